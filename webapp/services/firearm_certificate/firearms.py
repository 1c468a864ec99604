"""Section 5: the firearms and ammunition on a firearm certificate."""

from __future__ import annotations

from webapp.engine.conditions import answer_is
from webapp.engine.fields import YES, Number, Option, Radios, Text, TextArea, YesNo
from webapp.engine.schema import Page, Question, RepeatingGroup, Section
from webapp.i18n import lazy_gettext as _l

from .common import FAC, details

FIREARMS = RepeatingGroup(
    "firearms",
    _l("Your firearms"),
    _l("firearm"),
    [
        Question(
            "firearm_status",
            _l("Do you have this firearm now, or do you want to get it?"),
            Radios(
                (
                    Option("held", _l("I have it now")),
                    Option("wanted", _l("I want to get it")),
                )
            ),
            name=_l("Have it or want it"),
            error=_l("Select if you have this firearm now or want to get it"),
        ),
        Question(
            "firearm_type",
            _l("What type of firearm is it?"),
            Radios(
                (
                    Option("rifle", _l("Rifle")),
                    Option("muzzle_loading_pistol", _l("Muzzle-loading pistol")),
                    Option("section1_shotgun", _l("Section 1 shotgun")),
                    Option("moderator", _l("Sound moderator")),
                    Option(
                        "other",
                        _l("Something else"),
                        reveal=Question(
                            "firearm_type_other",
                            _l("What type is it?"),
                            Text(width="20"),
                            error=_l("Enter the type of firearm"),
                            name=_l("Type of firearm"),
                        ),
                    ),
                )
            ),
            name=_l("Type"),
            error=_l("Select the type of firearm"),
        ),
        Question(
            "firearm_calibre",
            _l("What calibre is it?"),
            Text(max_length=30, width="10"),
            hint=_l("For example, .22 LR or .308"),
            error=_l("Enter the calibre"),
            name=_l("Calibre"),
        ),
        Page(
            "firearm_identity",
            [
                Question(
                    "firearm_make",
                    _l("Make"),
                    Text(width="20"),
                    error=_l("Enter the make"),
                    name=_l("Make"),
                ),
                Question(
                    "firearm_serial",
                    _l("Serial number or unique identifying mark"),
                    Text(max_length=60, width="20"),
                    hint=_l("The mark on the frame or receiver"),
                    error=_l("Enter the serial number or unique identifying mark"),
                    name=_l("Serial number or mark"),
                ),
                Question(
                    "firearm_parts",
                    _l("Component parts with a different mark"),
                    TextArea(max_length=500),
                    optional=True,
                    name=_l("Component parts"),
                ),
            ],
            title=_l("About this firearm"),
            condition=answer_is("firearm_status", "held"),
        ),
        Question(
            "firearm_reason",
            _l("Why do you need this firearm?"),
            Radios(
                (
                    Option("target", _l("Target shooting with a club")),
                    Option("deer", _l("Deer stalking")),
                    Option("vermin", _l("Vermin or pest control")),
                    Option("collecting", _l("Collecting")),
                    Option(
                        "other",
                        _l("Another reason"),
                        reveal=details(
                            "firearm_reason_other",
                            _l("What is the reason?"),
                            _l("Other reason"),
                            _l("Enter the reason"),
                        ),
                    ),
                )
            ),
            name=_l("Reason"),
            error=_l("Select why you need this firearm"),
        ),
        Question(
            "firearm_where",
            _l("Where will you use it?"),
            TextArea(max_length=600),
            hint=_l(
                "Give the club’s name and your membership number, or the land and the name of the person "
                "who has given you permission to shoot there"
            ),
            error=_l("Enter where you will use it"),
            name=_l("Where it will be used"),
        ),
    ],
    summary=lambda ctx: " ".join(
        filter(None, (ctx.value("firearm_make"), ctx.value("firearm_calibre")))
    ),
    add_another=_l("Do you need to add another firearm?"),
    add_another_error=_l("Select yes if you need to add another firearm"),
    max=50,
)

AMMUNITION = RepeatingGroup(
    "ammunition",
    _l("Your ammunition"),
    _l("calibre"),
    [
        Page(
            "ammunition_amounts",
            [
                Question(
                    "ammo_calibre",
                    _l("Calibre"),
                    Text(max_length=30, width="10"),
                    error=_l("Enter the calibre"),
                    name=_l("Calibre"),
                ),
                Question(
                    "ammo_buy",
                    _l("Most rounds you will buy at one time"),
                    Number(unit=_l("rounds"), minimum=0, maximum=100_000, width="5"),
                    error=_l("Enter the most rounds you will buy at one time"),
                    name=_l("Rounds to buy at one time"),
                ),
                Question(
                    "ammo_hold",
                    _l("Most rounds you will keep at any time"),
                    Number(unit=_l("rounds"), minimum=0, maximum=100_000, width="5"),
                    error=_l("Enter the most rounds you will keep at any time"),
                    name=_l("Rounds to keep"),
                ),
            ],
            title=_l("Ammunition for one calibre"),
        ),
        Question(
            "ammo_expanding",
            _l("Do you need expanding ammunition for this calibre?"),
            YesNo(),
            hint=_l("For example, for deer stalking"),
            name=_l("Expanding ammunition"),
            error=_l("Select yes if you need expanding ammunition"),
        ),
    ],
    summary="ammo_calibre",
    add_another=_l("Do you need ammunition for another calibre?"),
    add_another_error=_l("Select yes if you need ammunition for another calibre"),
    max=50,
    condition=answer_is("needs_ammunition", YES),
)

firearms = Section(
    "firearms",
    _l("Firearms and ammunition"),
    [
        FIREARMS,
        Question(
            "needs_ammunition",
            _l("Do you need to buy or keep ammunition?"),
            YesNo(),
            hint=_l("You do not need ammunition for a sound moderator"),
            name=_l("Ammunition needed"),
            error=_l("Select yes if you need to buy or keep ammunition"),
        ),
        AMMUNITION,
    ],
    condition=FAC,
    depends_on=["application"],
)
