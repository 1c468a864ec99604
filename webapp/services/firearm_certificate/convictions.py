"""Section 4: convictions, cautions and earlier refusals."""

from __future__ import annotations

from webapp.engine.conditions import answer_is
from webapp.engine.fields import YES, Date, Text, YesNo
from webapp.engine.schema import Page, Question, RepeatingGroup, Section
from webapp.i18n import lazy_gettext as _l

from .common import details

CONVICTIONS_INTRO_PAGE = Page(
    "convictions_intro",
    [
        Question(
            "has_convictions",
            _l("Have you ever been convicted of an offence or cautioned, in any country?"),
            YesNo(),
            name=_l("Convictions or cautions"),
            hint=_l(
                "Include spent convictions, motoring offences such as speeding, bind-overs, and conditional or "
                "absolute discharges. Do not include parking tickets or fixed penalty notices."
            ),
            error=_l("Select yes if you have ever been convicted of an offence or cautioned"),
        ),
    ],
    title=_l("Convictions and cautions"),
    warning=_l(
        "If you have been sentenced to 3 years or more in prison, the law does not allow you to have a firearm or "
        "shotgun. A sentence of 3 months to 3 years stops you for 5 years after your release. You can still apply."
    ),
)

CONVICTIONS = RepeatingGroup(
    "convictions",
    _l("Your convictions and cautions"),
    _l("conviction or caution"),
    [
        Page(
            "conviction",
            [
                Question(
                    "offence",
                    _l("Offence"),
                    Text(max_length=200, width="30"),
                    error=_l("Enter the offence"),
                    name=_l("Offence"),
                ),
                Question(
                    "conviction_date",
                    _l("Date"),
                    Date(when="past_or_today", max_years_ago=100),
                    error=_l("Enter the date of the conviction or caution"),
                    name=_l("Date of conviction or caution"),
                ),
                Question(
                    "court",
                    _l("Court, or country if outside the UK"),
                    Text(max_length=200, width="30"),
                    error=_l("Enter the court, or the country if it was outside the UK"),
                    name=_l("Court or country"),
                ),
                Question(
                    "sentence",
                    _l("Sentence"),
                    Text(max_length=200, width="30"),
                    hint=_l("For example, a fine of £200, or 6 months in prison"),
                    error=_l("Enter the sentence"),
                    name=_l("Sentence"),
                ),
            ],
            title=_l("Conviction or caution"),
        ),
    ],
    summary="offence",
    add_another=_l("Do you need to add another conviction or caution?"),
    add_another_error=_l("Select yes if you need to add another conviction or caution"),
    max=50,
    condition=answer_is("has_convictions", YES),
)

convictions = Section(
    "convictions",
    _l("Convictions and cautions"),
    [
        CONVICTIONS_INTRO_PAGE,
        CONVICTIONS,
        Question(
            "refused",
            _l(
                "Have you ever been refused a firearm or shotgun certificate, had one taken away, or been "
                "refused registration as a firearms dealer?"
            ),
            YesNo(
                reveal_if_yes=details(
                    "refused_details",
                    _l("Give details of what happened and when"),
                    _l("Refused or revoked: details"),
                    _l("Enter details of the refusal or revocation"),
                )
            ),
            name=_l("Refused or revoked"),
            error=_l(
                "Select yes if you have ever been refused a certificate or had one taken away"
            ),
        ),
    ],
    depends_on=["application"],
)
