"""The stored answers, and the only functions that change them.

Shape (a plain JSON-serialisable dict; the web layer keeps it as JSON on the draft):

    {
      "surname": "Smith",                                   # text: exactly as typed
      "date_of_birth": {"day": "3", "month": "feb", "year": "1980"},   # date parts as typed
      "home_address": {"line1": "1 High St", "line2": "", "town": "Leeds",
                       "county": "", "postcode": "ls1 1aa"},
      "certificates": ["fac", "sgc"],                       # checkboxes: ticked values
      "fac_kind": "renewal",                                # radios / yes-no: option value
      "photo": {"id": "…", "filename": "me.jpg", "content_type": "image/jpeg", "size": 123},
      "referees": [                                         # repeating group: list of item dicts
        {"referee_name": "Ann Jones", "referee_years": "12", ...},
        {"referee_name": "Bob Lee", ...}
      ],
      "referees_add_another": "no",                         # the group's 'add another?' answer
    }

Keys are question ids (and group ids); a question revealed by an option is stored under its own
id beside its parent. A key is present once its page has been saved, even when an optional answer
was left empty. Nothing derived (validity, status, the next page) is stored: it is recomputed from
these raw values, so a fix to a validation rule applies to every draft at once.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from .context import Context, item_list
from .fields import YES, Raw
from .journey import Step, page_questions
from .schema import Service


def read_page(service: Service, step: Step, form: Mapping[str, Any]) -> dict[str, Raw]:
    """The raw values posted for a page: every question on it, revealed ones included (which of
    those count is decided later, from the chosen options). Unknown posted fields are ignored."""
    page = service.pages[step.page_id].page
    return {
        question.id: question.field.raw_from_form(question, form)
        for question in page.all_questions()
    }


def save_page(
    service: Service,
    answers: Mapping[str, Any],
    step: Step,
    raws: Mapping[str, Raw],
    *,
    channel: str | None = None,
) -> dict[str, Any]:
    """New answers with a page's submission saved (call only once it has no errors).

    Revealed questions whose option is no longer chosen are removed, so an abandoned 'details'
    box does not linger. Saving the first page of a new item appends the item and clears the
    group's 'add another' answer (it has been acted on).
    """
    result: dict[str, Any] = copy.deepcopy(dict(answers))
    ref = service.pages[step.page_id]
    page = ref.page
    ctx = Context(service, result, channel=channel)
    if ref.group is not None and not ref.is_add_another:
        group = ref.group
        items = item_list(result, group.id)
        index = step.index if step.index is not None else -1
        if index == len(items) and len(items) < group.max:
            items.append({})
            result.pop(group.more_question_id, None)
        elif not 0 <= index < len(items):
            raise IndexError(f"no item {step.index} in {group.id}")
        target: dict[str, Any] = items[index]
        result[group.id] = items
        ctx = ctx.for_item(group, index)
    else:
        target = result
    shown = {question.id for question in page_questions(page, ctx, raws)}
    for question in page.all_questions():
        if question.id in shown:
            target[question.id] = _json_safe(raws.get(question.id))
        else:
            target.pop(question.id, None)
    return result


def remove_item(answers: Mapping[str, Any], group_id: str, index: int) -> dict[str, Any]:
    """New answers without one item of a repeating group (no error if it is already gone)."""
    result: dict[str, Any] = copy.deepcopy(dict(answers))
    items = item_list(result, group_id)
    if 0 <= index < len(items):
        del items[index]
    result[group_id] = items
    return result


def wants_another(answers: Mapping[str, Any], group_id: str) -> bool:
    return answers.get(f"{group_id}_add_another") == YES


def _json_safe(raw: Raw) -> Raw:
    """Raw values are str / list[str] / dict of str (or an upload record); anything else is dropped."""
    if raw is None or isinstance(raw, str):
        return raw
    if isinstance(raw, list):
        return [value for value in raw if isinstance(value, str)]
    if isinstance(raw, dict):
        return {
            str(key): value
            for key, value in raw.items()
            if isinstance(value, (str, int)) and not isinstance(value, bool)
        }
    return None
