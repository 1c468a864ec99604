"""Section 7: how the guns will be kept safe."""

from __future__ import annotations

from webapp.engine.fields import Address, Option, Radios, TextArea, YesNo
from webapp.engine.schema import Question, Section
from webapp.i18n import lazy_gettext as _l

from .common import details

security = Section(
    "security",
    _l("Keeping them safe"),
    [
        Question(
            "storage",
            _l("How will you keep your guns and ammunition at home?"),
            Radios(
                (
                    Option("cabinet", _l("In a gun cabinet that meets British Standard BS 7558")),
                    Option("room", _l("In a secure gun room")),
                    Option(
                        "other",
                        _l("Another way"),
                        reveal=details(
                            "storage_other",
                            _l("Describe how you will keep them"),
                            _l("Another way: details"),
                            _l("Describe how you will keep them"),
                        ),
                    ),
                )
            ),
            name=_l("How they will be kept"),
            error=_l("Select how you will keep your guns and ammunition"),
        ),
        Question(
            "storage_location",
            _l("Where in your home will they be kept?"),
            TextArea(max_length=500),
            hint=_l("For example, a cabinet bolted to the wall inside the bedroom wardrobe"),
            error=_l("Enter where in your home they will be kept"),
            name=_l("Where at home"),
        ),
        Question(
            "others_access",
            _l("Will anyone else be able to get to them?"),
            YesNo(
                reveal_if_yes=details(
                    "others_access_details",
                    _l("Who, and do they hold a certificate?"),
                    _l("Who else can get to them"),
                    _l("Enter who else can get to them, and if they hold a certificate"),
                )
            ),
            name=_l("Anyone else with access"),
            error=_l("Select yes if anyone else will be able to get to them"),
        ),
        Question(
            "other_address",
            _l("Will you ever keep them at another address?"),
            YesNo(
                reveal_if_yes=Question(
                    "other_address_details",
                    _l("Other address"),
                    Address(),
                    name=_l("Other address"),
                )
            ),
            name=_l("Kept at another address"),
            error=_l("Select yes if you will keep them at another address"),
        ),
    ],
    depends_on=["application"],
)
