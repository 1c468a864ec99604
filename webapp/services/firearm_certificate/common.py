"""What several sections of the form share: the periods it asks about, the answers that
switch sections on, and the 'give details' box."""

from __future__ import annotations

from datetime import date

from webapp.engine.conditions import answer_is
from webapp.engine.context import Context
from webapp.engine.fields import Label, TextArea, years_before
from webapp.engine.schema import Question

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
