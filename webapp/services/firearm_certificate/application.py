"""Section 1: what the applicant is applying for (which certificates, new or renewal)."""

from __future__ import annotations

from webapp.engine.conditions import all_of, answer_is
from webapp.engine.fields import YES, Checkboxes, Date, Label, Option, Radios, Text, YesNo
from webapp.engine.schema import Page, Question, Section
from webapp.i18n import lazy_gettext as _l

from .common import FAC, SGC, details

# The grounds on which the Firearms Act 1968 s32(2)-(3) lets a certificate be granted, renewed
# or varied without a fee (to confirm each ground's exact reach with the Act): value -> words.
EXEMPTION_GROUNDS: dict[str, Label] = {
    "club_officer": _l(
        "I am an officer of a Home Office approved club and the firearms are the club’s"
    ),
    "ship": _l("The firearms are kept on a ship, for signalling or for saving life"),
    "aircraft": _l("The firearms are kept on an aircraft or at an aerodrome, for signalling"),
    "slaughter": _l("The firearms are for slaughtering animals"),
}
CLAIMS_EXEMPTION = answer_is("fee_exemption", YES)

FEE_EXEMPTION_PAGE = Page(
    "fee_exemption_reason",
    [
        Question(
            "fee_exemption_ground",
            _l("Why are you exempt from the fee?"),
            Radios(tuple(Option(value, label) for value, label in EXEMPTION_GROUNDS.items())),
            error=_l("Select why you are exempt from the fee"),
            name=_l("Fee exemption"),
        ),
        details(
            "fee_exemption_details",
            _l("Give details of the exemption you are claiming"),
            _l("Fee exemption details"),
            _l("Enter details of the exemption you are claiming"),
        ),
    ],
    title=_l("Your fee exemption"),
    condition=CLAIMS_EXEMPTION,
)


def kind(certificate: str, label: Label, name: Label, error: Label) -> Question:
    return Question(
        f"{certificate}_kind",
        label,
        Radios((Option("grant", _l("A new certificate")), Option("renewal", _l("A renewal")))),
        error=error,
        name=name,
        condition=answer_is("certificates", certificate),
    )


def current_certificate(
    certificate: str,
    title: Label,
    number: Label,
    expiry: Label,
    number_error: Label,
    expiry_error: Label,
) -> Page:
    return Page(
        f"{certificate}_current",
        [
            Question(
                f"{certificate}_number",
                _l("Certificate number"),
                Text(max_length=30, width="10"),
                hint=_l("This is printed on your certificate"),
                name=number,
                error=number_error,
            ),
            Question(
                f"{certificate}_expiry",
                _l("Expiry date"),
                Date(when="today_or_future", max_years_ahead=5),
                name=expiry,
                error=expiry_error,
            ),
        ],
        title=title,
        condition=answer_is(f"{certificate}_kind", "renewal"),
    )


application = Section(
    "application",
    _l("What you are applying for"),
    [
        Question(
            "certificates",
            _l("Which certificates are you applying for?"),
            Checkboxes(
                (
                    Option(
                        "fac",
                        _l("Firearm certificate"),
                        hint=_l("For rifles, pistols, section 1 shotguns and sound moderators"),
                    ),
                    Option(
                        "sgc",
                        _l("Shotgun certificate"),
                        hint=_l("For shotguns with a magazine of 2 cartridges or fewer"),
                    ),
                )
            ),
            hint=_l("Select all that apply."),
            error=_l("Select which certificates you are applying for"),
            name=_l("Certificates"),
        ),
        kind(
            "fac",
            _l("Is this a new firearm certificate or a renewal?"),
            _l("Firearm certificate: new or renewal"),
            _l("Select if this is a new firearm certificate or a renewal"),
        ),
        current_certificate(
            "fac",
            _l("Your current firearm certificate"),
            _l("Firearm certificate number"),
            _l("Firearm certificate expiry date"),
            _l("Enter your firearm certificate number"),
            _l("Enter the date your firearm certificate expires"),
        ),
        kind(
            "sgc",
            _l("Is this a new shotgun certificate or a renewal?"),
            _l("Shotgun certificate: new or renewal"),
            _l("Select if this is a new shotgun certificate or a renewal"),
        ),
        current_certificate(
            "sgc",
            _l("Your current shotgun certificate"),
            _l("Shotgun certificate number"),
            _l("Shotgun certificate expiry date"),
            _l("Enter your shotgun certificate number"),
            _l("Enter the date your shotgun certificate expires"),
        ),
        Question(
            "coterminous",
            _l("Do you want both certificates to expire on the same date?"),
            YesNo(),
            hint=_l("This costs less than 2 separate certificates."),
            condition=all_of(FAC, SGC),
            error=_l("Select yes if you want both certificates to expire on the same date"),
            name=_l("Expire on the same date"),
        ),
        Question(
            "fee_exemption",
            _l("Are you claiming an exemption from the fee?"),
            YesNo(),
            hint=_l(
                "The law lets some applications be made without a fee, for example for a Home "
                "Office approved club’s firearms held by one of its officers. The police check "
                "every claim."
            ),
            error=_l("Select yes if you are claiming an exemption from the fee"),
            name=_l("Claiming a fee exemption"),
        ),
        FEE_EXEMPTION_PAGE,
    ],
)
