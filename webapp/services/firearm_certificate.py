"""Apply for a firearm or shotgun certificate, new or renewal (the joint Form 201).

The whole public service, in the order the form asks. Facts marked "to confirm" in the domain
notes (the time-abroad threshold, who cannot be a referee) are constants at the top.
"""

from __future__ import annotations

from datetime import date

from webapp.channels import STAFF_CHANNELS
from webapp.engine import flow
from webapp.engine.conditions import all_of, answer_is, channel_is, not_
from webapp.engine.context import Context
from webapp.engine.fields import (
    YES,
    Address,
    Checkboxes,
    Date,
    Email,
    Enclosure,
    FileUpload,
    Label,
    Name,
    Number,
    Option,
    Phone,
    Radios,
    Text,
    TextArea,
    YesNo,
    years_before,
)  # fmt: skip
from webapp.engine.finding import Proof, SearchKeys
from webapp.engine.rules import at_least, at_least_one, covers_years, ends_after, requires
from webapp.engine.schema import (
    ByPost,
    Declaration,
    Page,
    Question,
    RepeatingGroup,
    Rule,
    Section,
    Service,
    StartInfo,
)  # fmt: skip
from webapp.fees import Fee
from webapp.i18n import lazy_gettext as _l

from .firearm_fees import fee_for
from .firearm_workflow import WORKFLOW

ADDRESS_YEARS = 5  # previous addresses must cover this many years
GP_YEARS = 10  # GP history asked for this many years
ABROAD_YEARS, ABROAD_MONTHS = 5, 3  # to confirm: the threshold for time spent abroad

FAC = answer_is("certificates", "fac")
SGC = answer_is("certificates", "sgc")
WORKING = answer_is("employment", "employed", "self_employed")


def moved_in_within_address_years(ctx: Context) -> bool:
    moved_in = ctx.value("moved_in")
    return isinstance(moved_in, date) and moved_in > years_before(ctx.today, ADDRESS_YEARS)


def details(question_id: str, label: Label, name: Label, error: Label) -> Question:
    """The 'give details' box revealed under a 'yes': its label says what the details are about,
    since a screen reader reaches it apart from the question above, and its name tells it apart
    from the other details on check answers."""
    return Question(question_id, label, TextArea(max_length=1200), name=name, error=error)


def kind(certificate: str, label: Label, name: Label, error: Label) -> Question:
    return Question(
        f"{certificate}_kind", label, Radios((Option("grant", _l("A new certificate")), Option("renewal", _l("A renewal")))),
        error=error, name=name, condition=answer_is("certificates", certificate),
    )  # fmt: skip


def current_certificate(certificate: str, title: Label, number: Label, expiry: Label,
                        number_error: Label, expiry_error: Label) -> Page:
    return Page(
        f"{certificate}_current",
        [
            Question(f"{certificate}_number", _l("Certificate number"), Text(max_length=30, width="10"),
                     hint=_l("This is printed on your certificate"), name=number, error=number_error),
            Question(f"{certificate}_expiry", _l("Expiry date"), Date(when="today_or_future", max_years_ahead=5),
                     name=expiry, error=expiry_error),
        ],
        title=title, condition=answer_is(f"{certificate}_kind", "renewal"),
    )  # fmt: skip


application = Section("application", _l("What you are applying for"), [
    Question("certificates", _l("Which certificates are you applying for?"), Checkboxes((
        Option("fac", _l("Firearm certificate"), hint=_l("For rifles, pistols, section 1 shotguns and sound moderators")),
        Option("sgc", _l("Shotgun certificate"), hint=_l("For shotguns with a magazine of 2 cartridges or fewer")),
    )), hint=_l("Select all that apply."), error=_l("Select which certificates you are applying for"),
        name=_l("Certificates")),
    kind("fac", _l("Is this a new firearm certificate or a renewal?"), _l("Firearm certificate: new or renewal"),
         _l("Select if this is a new firearm certificate or a renewal")),
    current_certificate("fac", _l("Your current firearm certificate"), _l("Firearm certificate number"),
                        _l("Firearm certificate expiry date"), _l("Enter your firearm certificate number"),
                        _l("Enter the date your firearm certificate expires")),
    kind("sgc", _l("Is this a new shotgun certificate or a renewal?"), _l("Shotgun certificate: new or renewal"),
         _l("Select if this is a new shotgun certificate or a renewal")),
    current_certificate("sgc", _l("Your current shotgun certificate"), _l("Shotgun certificate number"),
                        _l("Shotgun certificate expiry date"), _l("Enter your shotgun certificate number"),
                        _l("Enter the date your shotgun certificate expires")),
    Question("coterminous", _l("Do you want both certificates to expire on the same date?"), YesNo(),
             hint=_l("This costs less than 2 separate certificates."), condition=all_of(FAC, SGC),
             error=_l("Select yes if you want both certificates to expire on the same date"),
             name=_l("Expire on the same date")),
])  # fmt: skip

about_you = Section("about_you", _l("About you"), [
    Question("gender", _l("What is your gender?"), Radios((
        Option("male", _l("Male")), Option("female", _l("Female")), Option("other", _l("Other")))),
        name=_l("Gender"), error=_l("Select your gender")),
    # The GOV.UK names pattern: one page, an optional title as free text, names as on official
    # documents, in the paper form's order (staff key paper forms in by its numbers). The ids
    # stay 'title', 'surname' and 'forenames': the PDF, letters and staff search read them.
    Page("name", [
        Question("title", _l("Title"), Text(max_length=20, width="5", autocomplete="honorific-prefix", spellcheck=False),
                 hint=_l("For example, Mr, Mrs, Ms, Mx or Dr"), optional=True, name=_l("Title")),
        Question("surname", _l("Family name"), Name(autocomplete="family-name"), error=_l("Enter your family name"),
                 name=_l("Family name")),
        Question("forenames", _l("Given names"), Name(autocomplete="given-name", width="30"),
                 hint=_l("All of them, in order, as they are written on your passport or driving licence"),
                 error=_l("Enter your given names"), name=_l("Given names")),
    ], title=_l("What is your name?")),
    Question("has_other_names", _l("Have you ever been known by another name?"), YesNo(),
             hint=_l("For example, a surname before you married, or a name you used to be known by"),
             error=_l("Select yes if you have ever been known by another name"), name=_l("Other names")),
    RepeatingGroup("other_names", _l("Your other names"), _l("other name"), [
        Page("other_name", [
            Question("other_surname", _l("Family name"), Name(), error=_l("Enter the family name"), name=_l("Family name")),
            Question("other_forenames", _l("Given names"), Name(width="30"), error=_l("Enter the given names"), name=_l("Given names")),
        ], title=_l("Other name")),
    ], summary=lambda ctx: f"{ctx.value('other_forenames') or ''} {ctx.value('other_surname') or ''}".strip(),
        add_another=_l("Do you need to add another name?"), max=10,
        add_another_error=_l("Select yes if you need to add another name"),
        condition=answer_is("has_other_names", YES)),
    Question("home_address", _l("What is your home address?"), Address(autocomplete=True), name=_l("Home address")),
    Question("moved_in", _l("When did you move to this address?"),
             Date(day=False, when="past_or_today", max_years_ago=110), name=_l("The date you moved in"),
             error=_l("Enter the month and year you moved to this address")),
    Page("phone_numbers", [
        # Each may be left out, but not both (the page says so, and a rule checks it).
        Question("home_phone", _l("Home phone number"), Phone(autocomplete="home tel"), optional=True,
                 say_optional=False, name=_l("Home phone number")),
        Question("mobile_phone", _l("Mobile phone number"), Phone(autocomplete="mobile tel"), optional=True,
                 say_optional=False, name=_l("Mobile phone number")),
    ], title=_l("What are your phone numbers?"), body=[_l("Give at least one number.")]),
    Question("email", _l("What is your email address?"), Email(),
             hint=_l("We will use this to send you updates about your application"), error=_l("Enter your email address"), name=_l("Email address"),
             optional_for=STAFF_CHANNELS,
             optional_hint=_l("Leave this empty if the applicant has no email address: the police will write to them by post instead")),
    RepeatingGroup("previous_addresses", _l("Your previous addresses"), _l("previous address"), [
        Question("previous_address", _l("What was your previous address?"), Address(), name=_l("Address")),
        Page("previous_address_dates", [
            Question("previous_from", _l("When did you move in?"), Date(day=False, when="past_or_today"),
                     name=_l("The date you moved in")),
            Question("previous_to", _l("When did you move out?"), Date(day=False, when="past_or_today"),
                     name=_l("The date you moved out")),
        ], title=_l("When did you live at this address?")),
    ], summary=lambda ctx: ", ".join((ctx.value("previous_address") or {}).get(part, "") for part in ("line1", "postcode")),
        add_another=_l("Do you need to add another previous address?"),
        add_another_error=_l("Select yes if you need to add another previous address"),
        hint=_l("Give every address you have lived at in the last 5 years."),
        condition=moved_in_within_address_years),
    Question("height", _l("How tall are you?"), Number(unit=_l("cm"), minimum=50, maximum=250),
             hint=_l("Enter your height in centimetres"), error=_l("Enter your height"), name=_l("Height")),
    Question("date_of_birth", _l("What is your date of birth?"), Date(when="past", max_years_ago=120, autocomplete="bday"),
             error=_l("Enter your date of birth"), name=_l("Date of birth")),
    Question("place_of_birth", _l("Where were you born?"), Text(width="30"), hint=_l("Town or city, and country"),
             error=_l("Enter where you were born"), name=_l("Place of birth")),
    Question("nationality", _l("What is your nationality?"), Text(width="20"),
             hint=_l("If you have more than one, give them all"), error=_l("Enter your nationality"), name=_l("Nationality")),
    Question("employment", _l("Which of these describes you?"), Radios((
        Option("employed", _l("Employed")), Option("self_employed", _l("Self-employed")),
        Option("student", _l("In full-time education")), Option("retired", _l("Retired")),
        Option("unemployed", _l("Not working")))), name=_l("Work"), error=_l("Select which of these describes you")),
    Question("occupation", _l("What is your job?"), Text(width="30", autocomplete="organization-title"),
             error=_l("Enter your job"), name=_l("Job"), condition=WORKING),
    Page("work_details", [
        Question("work_address", _l("Work address"), Address(), name=_l("Work address")),
        Question("work_phone", _l("Work phone number"), Phone(autocomplete="work tel"), error=_l("Enter your work phone number"), name=_l("Work phone number")),
        Question("work_email", _l("Work email address"), Email(autocomplete="work email"), optional=True,
                 name=_l("Work email address")),
    ], title=_l("Your work details"), condition=WORKING),
    Question("abroad", _l("In the last %(years)s years, have you lived outside the UK for %(months)s months or more?",
                          years=ABROAD_YEARS, months=ABROAD_MONTHS),
             YesNo(reveal_if_yes=details("abroad_details", _l("Give the countries and dates"),
                                         _l("Countries and dates abroad"), _l("Enter the countries and dates"))),
             name=_l("Time abroad"), error=_l("Select yes if you have lived outside the UK")),
], depends_on=["application"])  # fmt: skip

HEALTH_CONDITIONS = (
    ("stress", _l("Acute stress reaction or post-traumatic stress disorder (PTSD)")),
    ("self_harm", _l("Suicidal thoughts, self-harm or harming others")),
    ("depression", _l("Depression or anxiety")),
    ("dementia", _l("Dementia")),
    ("psychosis", _l("Mania, bipolar disorder or a psychotic illness")),
    ("personality", _l("A personality disorder")),
    (
        "neurological",
        _l(
            "A neurological condition, for example multiple sclerosis, Parkinson’s, Huntington’s or epilepsy"
        ),
    ),
    ("neurodevelopmental", _l("A neurodevelopmental condition, for example autism or ADHD")),
    ("substance", _l("Alcohol or drug misuse")),
    ("other", _l("Any other condition that could affect your safe use of firearms")),
)

health = Section("health", _l("Your health"), [
    Question("conditions", _l("Have you ever been diagnosed with or treated for any of these?"), Checkboxes((
        *(Option(value, label, reveal=details(f"health_{value}_details",
                                              _l("Give details of ‘%(condition)s’, including when and any treatment",
                                                 condition=label),
                                              _l("Details of ‘%(condition)s’", condition=label),
                                              _l("Enter details of ‘%(condition)s’", condition=label)))
          for value, label in HEALTH_CONDITIONS),
        Option("none", _l("No, none of these"), exclusive=True, divider=True),
    )), hint=_l("Select all that apply, including conditions you no longer have."), name=_l("Health conditions"),
        error=_l("Select the conditions you have been diagnosed with or treated for, or ‘No, none of these’")),
    Page("gp_practice", [
        Question("gp_name", _l("Practice name"), Text(width="30"), error=_l("Enter the name of your GP practice"), name=_l("GP practice name")),
        Question("gp_address", _l("Address"), Address(), name=_l("GP practice address")),
        Question("gp_phone", _l("Phone number"), Phone(autocomplete=None), error=_l("Enter your GP practice’s phone number"), name=_l("GP practice phone number")),
        Question("gp_email", _l("Email address"), Email(autocomplete=None), optional=True,
                 name=_l("GP practice email address")),
    ], title=_l("Your GP practice")),
    Question("has_previous_gps", _l("Have you been registered with another GP practice in the last %(years)s years?",
                                    years=GP_YEARS), YesNo(), name=_l("Other GP practices"),
             error=_l("Select yes if you have been registered with another GP practice")),
    RepeatingGroup("previous_gps", _l("Your previous GP practices"), _l("previous GP practice"), [
        Page("previous_gp", [
            Question("previous_gp_name", _l("Practice name"), Text(width="30"), error=_l("Enter the name of the GP practice"), name=_l("GP practice name")),
            Question("previous_gp_address", _l("Address"), Address(), name=_l("GP practice address")),
        ], title=_l("Previous GP practice")),
    ], summary="previous_gp_name", add_another=_l("Do you need to add another GP practice?"),
        add_another_error=_l("Select yes if you need to add another GP practice"),
        condition=answer_is("has_previous_gps", YES)),
    Question("unregistered", _l("In the last %(years)s years, was there any time you were not registered with a GP "
                                "in the UK?", years=GP_YEARS), YesNo(reveal_if_yes=details(
                 "unregistered_details", _l("Give the dates you were not registered with a GP, and why"),
                 _l("Time not registered: details"), _l("Enter the dates you were not registered with a GP"))),
             name=_l("Time not registered with a GP"), error=_l("Select yes if there was a time you were not registered")),
    Question("other_doctors", _l("In the last %(years)s years, have you been treated by a doctor other than your GP?",
                                 years=GP_YEARS), YesNo(reveal_if_yes=details(
                 "other_doctors_details", _l("Give each doctor’s name and address, and what they treated you for"),
                 _l("Other doctors: details"), _l("Enter the details of the other doctors who treated you"))),
             hint=_l("For example, privately or abroad"), name=_l("Other doctors"),
             error=_l("Select yes if you have been treated by another doctor")),
    Page("medical_consent_page", [
        Question("medical_consent", _l("Your agreement"), Checkboxes((Option("agree", _l(
            "I agree that the police can ask my GP and any doctor who has treated me for information about my health")),)),
            error=_l("Select that you agree to the police asking for information about your health"),
            name=_l("Consent to medical information")),
    ], title=_l("Your medical information"), body=[
        _l("The police will ask your GP about your health. Your GP will also add a note to your medical record "
           "that you hold a certificate."),
        _l("You also need to ask your GP, or another doctor registered with the General Medical Council, to fill in a "
           "medical form. You may have to pay for this."),
    ]),
], depends_on=["application"])  # fmt: skip

convictions = Section("convictions", _l("Convictions and cautions"), [
    Page("convictions_intro", [
        Question("has_convictions", _l("Have you ever been convicted of an offence or cautioned, in any country?"),
                 YesNo(), name=_l("Convictions or cautions"),
                 hint=_l("Include spent convictions, motoring offences such as speeding, bind-overs, and conditional or "
                         "absolute discharges. Do not include parking tickets or fixed penalty notices."),
                 error=_l("Select yes if you have ever been convicted of an offence or cautioned")),
    ], title=_l("Convictions and cautions"), warning=_l(
        "If you have been sentenced to 3 years or more in prison, the law does not allow you to have a firearm or "
        "shotgun. A sentence of 3 months to 3 years stops you for 5 years after your release. You can still apply.")),
    RepeatingGroup("convictions", _l("Your convictions and cautions"), _l("conviction or caution"), [
        Page("conviction", [
            Question("offence", _l("Offence"), Text(max_length=200, width="30"), error=_l("Enter the offence"), name=_l("Offence")),
            Question("conviction_date", _l("Date"), Date(when="past_or_today", max_years_ago=100),
                     error=_l("Enter the date of the conviction or caution"), name=_l("Date of conviction or caution")),
            Question("court", _l("Court, or country if outside the UK"), Text(max_length=200, width="30"),
                     error=_l("Enter the court, or the country if it was outside the UK"), name=_l("Court or country")),
            Question("sentence", _l("Sentence"), Text(max_length=200, width="30"),
                     hint=_l("For example, a fine of £200, or 6 months in prison"), error=_l("Enter the sentence"), name=_l("Sentence")),
        ], title=_l("Conviction or caution")),
    ], summary="offence", add_another=_l("Do you need to add another conviction or caution?"),
        add_another_error=_l("Select yes if you need to add another conviction or caution"), max=50,
        condition=answer_is("has_convictions", YES)),
    Question("refused", _l("Have you ever been refused a firearm or shotgun certificate, had one taken away, or been "
                           "refused registration as a firearms dealer?"),
             YesNo(reveal_if_yes=details("refused_details", _l("Give details of what happened and when"),
                                         _l("Refused or revoked: details"),
                                         _l("Enter details of the refusal or revocation"))),
             name=_l("Refused or revoked"),
             error=_l("Select yes if you have ever been refused a certificate or had one taken away")),
], depends_on=["application"])  # fmt: skip

firearms = Section("firearms", _l("Firearms and ammunition"), [
    RepeatingGroup("firearms", _l("Your firearms"), _l("firearm"), [
        Question("firearm_status", _l("Do you have this firearm now, or do you want to get it?"), Radios((
            Option("held", _l("I have it now")), Option("wanted", _l("I want to get it")))),
            name=_l("Have it or want it"), error=_l("Select if you have this firearm now or want to get it")),
        Question("firearm_type", _l("What type of firearm is it?"), Radios((
            Option("rifle", _l("Rifle")), Option("muzzle_loading_pistol", _l("Muzzle-loading pistol")),
            Option("section1_shotgun", _l("Section 1 shotgun")), Option("moderator", _l("Sound moderator")),
            Option("other", _l("Something else"), reveal=Question("firearm_type_other", _l("What type is it?"),
                                                                Text(width="20"), error=_l("Enter the type of firearm"), name=_l("Type of firearm"))))),
            name=_l("Type"), error=_l("Select the type of firearm")),
        Question("firearm_calibre", _l("What calibre is it?"), Text(max_length=30, width="10"),
                 hint=_l("For example, .22 LR or .308"), error=_l("Enter the calibre"), name=_l("Calibre")),
        Page("firearm_identity", [
            Question("firearm_make", _l("Make"), Text(width="20"), error=_l("Enter the make"), name=_l("Make")),
            Question("firearm_serial", _l("Serial number or unique identifying mark"), Text(max_length=60, width="20"),
                     hint=_l("The mark on the frame or receiver"), error=_l("Enter the serial number or unique identifying mark"), name=_l("Serial number or mark")),
            Question("firearm_parts", _l("Component parts with a different mark"), TextArea(max_length=500),
                     optional=True, name=_l("Component parts")),
        ], title=_l("About this firearm"), condition=answer_is("firearm_status", "held")),
        Question("firearm_reason", _l("Why do you need this firearm?"), Radios((
            Option("target", _l("Target shooting with a club")), Option("deer", _l("Deer stalking")),
            Option("vermin", _l("Vermin or pest control")), Option("collecting", _l("Collecting")),
            Option("other", _l("Another reason"), reveal=details("firearm_reason_other", _l("What is the reason?"),
                                                                 _l("Other reason"), _l("Enter the reason"))))),
            name=_l("Reason"), error=_l("Select why you need this firearm")),
        Question("firearm_where", _l("Where will you use it?"), TextArea(max_length=600),
                 hint=_l("Give the club’s name and your membership number, or the land and the name of the person "
                         "who has given you permission to shoot there"), error=_l("Enter where you will use it"), name=_l("Where it will be used")),
    ], summary=lambda ctx: " ".join(filter(None, (ctx.value("firearm_make"), ctx.value("firearm_calibre")))),
        add_another=_l("Do you need to add another firearm?"),
        add_another_error=_l("Select yes if you need to add another firearm"), max=50),
    Question("needs_ammunition", _l("Do you need to buy or keep ammunition?"), YesNo(),
             hint=_l("You do not need ammunition for a sound moderator"), name=_l("Ammunition needed"),
             error=_l("Select yes if you need to buy or keep ammunition")),
    RepeatingGroup("ammunition", _l("Your ammunition"), _l("calibre"), [
        Page("ammunition_amounts", [
            Question("ammo_calibre", _l("Calibre"), Text(max_length=30, width="10"), error=_l("Enter the calibre"), name=_l("Calibre")),
            Question("ammo_buy", _l("Most rounds you will buy at one time"), Number(unit=_l("rounds"), minimum=0,
                     maximum=100_000, width="5"), error=_l("Enter the most rounds you will buy at one time"), name=_l("Rounds to buy at one time")),
            Question("ammo_hold", _l("Most rounds you will keep at any time"), Number(unit=_l("rounds"), minimum=0,
                     maximum=100_000, width="5"), error=_l("Enter the most rounds you will keep at any time"), name=_l("Rounds to keep")),
        ], title=_l("Ammunition for one calibre")),
        Question("ammo_expanding", _l("Do you need expanding ammunition for this calibre?"), YesNo(),
                 hint=_l("For example, for deer stalking"), name=_l("Expanding ammunition"),
                 error=_l("Select yes if you need expanding ammunition")),
    ], summary="ammo_calibre", add_another=_l("Do you need ammunition for another calibre?"),
        add_another_error=_l("Select yes if you need ammunition for another calibre"), max=50,
        condition=answer_is("needs_ammunition", YES)),
], condition=FAC, depends_on=["application"])  # fmt: skip

SHOTGUN_ACTIONS = (
    ("side_by_side", _l("Side-by-side")),
    ("over_and_under", _l("Over-and-under")),
    ("single", _l("Single barrel")),
    ("semi_automatic", _l("Semi-automatic")),
    ("pump", _l("Pump-action")),
    ("bolt", _l("Bolt-action")),
    ("other", _l("Other")),
)

shotguns = Section("shotguns", _l("Shotguns"), [
    Question("has_shotguns", _l("Do you have any shotguns now?"), YesNo(),
             hint=_l("If this is your first certificate, you may not have any yet"), name=_l("Shotguns held"),
             error=_l("Select yes if you have any shotguns now")),
    RepeatingGroup("shotguns", _l("Your shotguns"), _l("shotgun"), [
        Page("shotgun", [
            Question("shotgun_make", _l("Make"), Text(width="20"), error=_l("Enter the make"), name=_l("Make")),
            Question("shotgun_gauge", _l("Gauge"), Text(max_length=10, width="5"), hint=_l("For example, 12 or .410"),
                     error=_l("Enter the gauge"), name=_l("Gauge")),
            Question("shotgun_serial", _l("Serial number"), Text(max_length=60, width="20"), error=_l("Enter the serial number"), name=_l("Serial number")),
            Question("shotgun_barrels", _l("Number of barrels"), Radios((
                Option("1", _l("1")), Option("2", _l("2")), Option("3", _l("3 or more"))), inline=True),
                name=_l("Number of barrels"), error=_l("Select the number of barrels")),
            Question("shotgun_action", _l("Action"), Radios(tuple(Option(v, label) for v, label in SHOTGUN_ACTIONS)),
                     name=_l("Action"), error=_l("Select the action")),
        ], title=_l("About this shotgun")),
    ], summary=lambda ctx: ", ".join(filter(None, (ctx.value("shotgun_make"), ctx.value("shotgun_serial")))),
        add_another=_l("Do you need to add another shotgun?"),
        add_another_error=_l("Select yes if you need to add another shotgun"), max=50,
        condition=answer_is("has_shotguns", YES)),
], condition=SGC, depends_on=["application"])  # fmt: skip

security = Section("security", _l("Keeping them safe"), [
    Question("storage", _l("How will you keep your guns and ammunition at home?"), Radios((
        Option("cabinet", _l("In a gun cabinet that meets British Standard BS 7558")),
        Option("room", _l("In a secure gun room")),
        Option("other", _l("Another way"), reveal=details("storage_other", _l("Describe how you will keep them"),
                                                          _l("Another way: details"),
                                                          _l("Describe how you will keep them"))))),
        name=_l("How they will be kept"), error=_l("Select how you will keep your guns and ammunition")),
    Question("storage_location", _l("Where in your home will they be kept?"), TextArea(max_length=500),
             hint=_l("For example, a cabinet bolted to the wall inside the bedroom wardrobe"), error=_l("Enter where in your home they will be kept"), name=_l("Where at home")),
    Question("others_access", _l("Will anyone else be able to get to them?"),
             YesNo(reveal_if_yes=details("others_access_details", _l("Who, and do they hold a certificate?"),
                                         _l("Who else can get to them"),
                                         _l("Enter who else can get to them, and if they hold a certificate"))),
             name=_l("Anyone else with access"), error=_l("Select yes if anyone else will be able to get to them")),
    Question("other_address", _l("Will you ever keep them at another address?"),
             YesNo(reveal_if_yes=Question("other_address_details", _l("Other address"), Address(),
                                          name=_l("Other address"))),
             name=_l("Kept at another address"), error=_l("Select yes if you will keep them at another address")),
], depends_on=["application"])  # fmt: skip

referees = Section("referees", _l("Referees"), [
    RepeatingGroup("referees", _l("Your referees"), _l("referee"), [
        Page("referee_details", [
            Question("referee_name", _l("Full name"), Name(width="30"), error=_l("Enter your referee’s full name"), name=_l("Referee’s full name")),
            Question("referee_occupation", _l("Job"), Text(width="30"), error=_l("Enter your referee’s job"), name=_l("Referee’s job")),
        ], title=_l("Who is your referee?"), body=[
            _l("Your referee must know you personally, live in Great Britain and not charge you for the reference.")]),
        Question("referee_address", _l("What is your referee’s address?"), Address(), name=_l("Referee’s address")),
        Page("referee_contact", [
            Question("referee_phone", _l("Phone number"), Phone(autocomplete=None), error=_l("Enter your referee’s phone number"), name=_l("Referee’s phone number")),
            Question("referee_email", _l("Email address"), Email(autocomplete=None), error=_l("Enter your referee’s email address"), name=_l("Referee’s email address")),
        ], title=_l("How can we contact your referee?")),
        Page("referee_known", [
            Question("referee_years", _l("How many years has your referee known you?"),
                     Number(unit=_l("years"), minimum=0, maximum=110), error=_l("Enter how many years your referee has known you"), name=_l("Years known")),
            Question("referee_how", _l("How do they know you?"), TextArea(max_length=500),
                     hint=_l("For example, we have been members of the same club since 2015"), error=_l("Enter how your referee knows you"), name=_l("How they know you")),
        ], title=_l("How your referee knows you")),
    ], summary="referee_name", add_another=_l("Do you need to add another referee?"), min=2, max=2),
    Page("referee_confirm_page", [
        Question("referee_confirm", _l("Confirm your referees"), Checkboxes((Option("confirmed", _l(
            "Neither referee is a member of my family, a serving police officer or member of police staff, or a "
            "registered firearms dealer")),)), name=_l("Referees confirmed"),
            error=_l("Select to confirm your referees can give you a reference")),
    ], title=_l("Check your referees can give you a reference")),
], depends_on=["application"])  # fmt: skip

# On paper the photos are enclosed, not uploaded. Form 201's notes: four identical photos, one
# signed on the back (since 2014 by the applicant, no longer a referee); some forces now ask for
# fewer (domain notes, "Photographs on paper": confirm the number per force).
PAPER_PHOTOS = Enclosure(_l("Your photos"), (
    _l("Enclose 4 identical photos of yourself with this form."),
    _l("They must be recent, 45 mm high and 35 mm wide, and show your full face without a hat."),
    _l("Sign your name on the back of one of the photos."),
))  # fmt: skip

PHOTOS_BY_POST = all_of(channel_is(*STAFF_CHANNELS), answer_is("photo_route", "post"))

photo = Section("photo", _l("Your photo"), [
    # Staff helping a caller (or keying in paper) may take the photos by post instead.
    Question("photo_route", _l("How is the applicant sending their photo?"), Radios((
        Option("upload", _l("Upload a digital photo now")),
        Option("post", _l("Photos to follow by post"),
               hint=_l("The case shows the photos as outstanding until staff record them received")),
    )), name=_l("How the photo is sent"), error=_l("Select how the applicant is sending their photo"),
        condition=channel_is(*STAFF_CHANNELS)),
    Question("photo", _l("Upload a photo of yourself"), FileUpload(paper=PAPER_PHOTOS), name=_l("Photo"),
             error=_l("Select a photo"), condition=not_(PHOTOS_BY_POST),
             hint=_l("A recent colour photo of your face, looking straight at the camera, without a hat or "
                     "sunglasses. It must be a JPG or PNG file smaller than 10MB.")),
], depends_on=["application"])  # fmt: skip


def fees_on(on: date) -> list[Fee]:
    """Every fee a Form 201 application can cost, for the start page."""
    return [
        fee_for("grant", None, coterminous=False, on=on),
        fee_for("renewal", None, coterminous=False, on=on),
        fee_for(None, "grant", coterminous=False, on=on),
        fee_for(None, "renewal", coterminous=False, on=on),
        fee_for("grant", "grant", coterminous=True, on=on),
        fee_for("renewal", "renewal", coterminous=True, on=on),
    ]


def application_fee(ctx: Context, on: date) -> Fee:
    fac = ctx.value("fac_kind") if FAC(ctx) else None
    sgc = ctx.value("sgc_kind") if SGC(ctx) else None
    return fee_for(fac, sgc, coterminous=ctx.value("coterminous") == YES, on=on)


SERVICE = Service(
    slug="firearm-certificate",
    title=_l("Apply for a firearm or shotgun certificate"),
    # The home postcode chooses the force; a long application is worked through as a task list.
    flow=flow.Flow(
        [
            flow.ForceRouting(),
            flow.Questions(layout="task_list"),
            flow.CheckAnswers(),
            flow.Declaration(),
            flow.Confirmation(),
        ]
    ),
    sections=[
        application,
        about_you,
        health,
        convictions,
        firearms,
        shotguns,
        security,
        referees,
        photo,
    ],
    start=StartInfo(
        summary=[
            _l(
                "Use this service to apply for a new firearm or shotgun certificate, or to renew one."
            ),
            _l(
                "You apply to the police force for the area where you live. A certificate lasts 5 years."
            ),
        ],
        you_will_need=[
            _l("your current certificate, if you are renewing"),
            _l("your addresses for the last 5 years"),
            _l("your GP practice’s details, and any others from the last 10 years"),
            _l("details of any convictions or cautions"),
            _l("details of the firearms and shotguns you have or want"),
            _l("the details of 2 people who can be your referees"),
            _l("a digital photo of yourself"),
        ],
        time_to_complete=_l(
            "It takes around 45 minutes. You can save your answers and come back later."
        ),
        fees=fees_on,
        paying=_l("You do not pay online yet: the police force will tell you how to pay the fee."),
        before_you_start=[
            _l(
                "If you are renewing, apply at least 8 weeks before your certificate expires. "
                "Your certificate then stays valid while the police decide, for up to 8 weeks."
            )
        ],
        after_you_apply=[
            _l(
                "The police will contact your GP and your referees, and an officer will visit you at home."
            ),
            _l("It usually takes between 8 and 15 weeks to get a decision."),
        ],
    ),
    declaration=Declaration(
        statements=[
            _l(
                "By sending this application you confirm that, to the best of your knowledge, the details "
                "you have given are correct and complete."
            )
        ],
        warning=_l(
            "It is a criminal offence to knowingly give false information to get a certificate."
        ),
        confirm=_l("I confirm the information I have given is true and complete"),
        error=_l("Select to confirm the information you have given is true and complete"),
    ),
    rules=[
        Rule(
            "fac_current",
            requires(
                answer_is("fac_kind", "renewal"),
                ("fac_number", "fac_expiry"),
                _l("Enter your current firearm certificate number and expiry date"),
            ),
            "fac_number",
        ),
        Rule(
            "sgc_current",
            requires(
                answer_is("sgc_kind", "renewal"),
                ("sgc_number", "sgc_expiry"),
                _l("Enter your current shotgun certificate number and expiry date"),
            ),
            "sgc_number",
        ),
        Rule(
            "phone_numbers",
            at_least_one(("home_phone", "mobile_phone"), _l("Enter a home or mobile phone number")),
            "home_phone",
        ),
        Rule(
            "previous_address_dates",
            ends_after(
                "previous_from",
                "previous_to",
                _l("The date you moved out must be after the date you moved in"),
            ),
            "previous_to",
        ),
        Rule(
            "previous_addresses_add_another",
            covers_years(
                ADDRESS_YEARS,
                since="moved_in",
                group="previous_addresses",
                start="previous_from",
                end="previous_to",
            ),
        ),
        Rule(
            "referee_known",
            at_least(
                "referee_years", 2, _l("Your referee must have known you for at least 2 years")
            ),
            "referee_years",
        ),
        Rule(
            "ammunition_amounts",
            lambda ctx: (
                str(_l("The rounds you keep must be at least the rounds you buy at one time"))
                if (ctx.value("ammo_hold") or 0) < (ctx.value("ammo_buy") or 0)
                else None
            ),
            "ammo_hold",
        ),
    ],
    fee=application_fee,
    contact_email="email",
    by_post=[ByPost("photos", _l("Photos"), PHOTOS_BY_POST)],
    unit_name=_l("Firearms Licensing Unit"),
    contact_team=_l("your police force’s firearms licensing team"),
    workflow=WORKFLOW,
    search_keys=SearchKeys(surname="surname", postcode="home_address", date_of_birth="date_of_birth"),
    identity=[Proof("date_of_birth", hint=_l("For example, 27 3 1980"))],
    privacy=[
        _l("The force decides a firearm or shotgun application as the Firearms Act 1968 requires."),
        _l(
            "To decide a firearm or shotgun application, the force may contact your GP, your referees, "
            "and other police forces. It records the application on the national firearms licensing system."
        ),
    ],
)
