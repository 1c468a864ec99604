"""The form engine: services described as data, answers kept as typed, journeys derived.

Pure Python: nothing here knows about HTTP or databases. The web layer calls:

- ``journey``: ``task_list``, ``can_visit``, ``next_page``, ``first_unanswered``, ``is_complete``
- ``view``: ``page_view`` (macro parameters for a page) and ``submit`` (validate, save, next step)
- ``summary``: ``check_answers`` (check answers page and the PDF copy)
- ``answers``: ``remove_item`` and the documented shape of the stored answers
- ``follow_up``: ``contact_email`` and ``awaited_by_post`` (what a case still needs)

Every function that reads answers takes ``channel=`` (the draft's): a service may relax a
question for staff-assisted channels, or ask a question only there.
"""

from .answers import read_page, remove_item, save_page
from .context import Context
from .follow_up import awaited_by_post, contact_email, expects_email
from .journey import (
    Access,
    Status,
    Step,
    Task,
    can_visit,
    first_unanswered,
    is_complete,
    next_page,
    section_status,
    steps,
    task_list,
)
from .summary import Card, Row, SectionSummary, check_answers, item_summary
from .view import FieldView, ItemView, PageView, Submission, page_view, submit

__all__ = [
    "Access",
    "Card",
    "Context",
    "FieldView",
    "ItemView",
    "PageView",
    "Row",
    "SectionSummary",
    "Status",
    "Step",
    "Submission",
    "Task",
    "awaited_by_post",
    "can_visit",
    "check_answers",
    "contact_email",
    "expects_email",
    "first_unanswered",
    "is_complete",
    "item_summary",
    "next_page",
    "page_view",
    "read_page",
    "remove_item",
    "save_page",
    "section_status",
    "steps",
    "submit",
    "task_list",
]
