"""Section 6: the shotguns on a shotgun certificate."""

from __future__ import annotations

from webapp.engine.conditions import answer_is
from webapp.engine.fields import YES, Option, Radios, Text, YesNo
from webapp.engine.schema import Page, Question, RepeatingGroup, Section
from webapp.i18n import lazy_gettext as _l

from .common import SGC

SHOTGUN_ACTIONS = (
    ("side_by_side", _l("Side-by-side")),
    ("over_and_under", _l("Over-and-under")),
    ("single", _l("Single barrel")),
    ("semi_automatic", _l("Semi-automatic")),
    ("pump", _l("Pump-action")),
    ("bolt", _l("Bolt-action")),
    ("other", _l("Other")),
)

SHOTGUNS = RepeatingGroup(
    "shotguns",
    _l("Your shotguns"),
    _l("shotgun"),
    [
        Page(
            "shotgun",
            [
                Question(
                    "shotgun_make",
                    _l("Make"),
                    Text(width="20"),
                    error=_l("Enter the make"),
                    name=_l("Make"),
                ),
                Question(
                    "shotgun_gauge",
                    _l("Gauge"),
                    Text(max_length=10, width="5"),
                    hint=_l("For example, 12 or .410"),
                    error=_l("Enter the gauge"),
                    name=_l("Gauge"),
                ),
                Question(
                    "shotgun_serial",
                    _l("Serial number"),
                    Text(max_length=60, width="20"),
                    error=_l("Enter the serial number"),
                    name=_l("Serial number"),
                ),
                Question(
                    "shotgun_barrels",
                    _l("Number of barrels"),
                    Radios(
                        (
                            Option("1", _l("1")),
                            Option("2", _l("2")),
                            Option("3", _l("3 or more")),
                        ),
                        inline=True,
                    ),
                    name=_l("Number of barrels"),
                    error=_l("Select the number of barrels"),
                ),
                Question(
                    "shotgun_action",
                    _l("Action"),
                    Radios(tuple(Option(v, label) for v, label in SHOTGUN_ACTIONS)),
                    name=_l("Action"),
                    error=_l("Select the action"),
                ),
            ],
            title=_l("About this shotgun"),
        ),
    ],
    summary=lambda ctx: ", ".join(
        filter(None, (ctx.value("shotgun_make"), ctx.value("shotgun_serial")))
    ),
    add_another=_l("Do you need to add another shotgun?"),
    add_another_error=_l("Select yes if you need to add another shotgun"),
    max=50,
    condition=answer_is("has_shotguns", YES),
)

shotguns = Section(
    "shotguns",
    _l("Shotguns"),
    [
        Question(
            "has_shotguns",
            _l("Do you have any shotguns now?"),
            YesNo(),
            hint=_l("If this is your first certificate, you may not have any yet"),
            name=_l("Shotguns held"),
            error=_l("Select yes if you have any shotguns now"),
        ),
        SHOTGUNS,
    ],
    condition=SGC,
    depends_on=["application"],
)
