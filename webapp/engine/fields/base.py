"""What every field type shares: cleaning raw input, errors, and GOV.UK macro parameters.

A field is configuration only (widths, bounds, options). Everything about *which* question it
is (id, label, hint, the short name used in error messages) lives on the ``Question`` that holds
it, and is passed in. That keeps one field class per type, reused by every service.

Raw values are what the user typed, kept exactly (after removing control characters and capping
length) so a page can be re-displayed as typed even when invalid. Clean values come from
``parse`` and are never stored: they are recomputed whenever needed.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, ClassVar, Protocol

from babel.support import LazyProxy

from webapp.i18n import gettext

from .accepts import Accepted

# A user-facing string: plain (already translated) or lazy (translated when rendered).
Label = str | LazyProxy

# JSON-serialisable raw value: str for single inputs, dict[str, str] for composite inputs
# (date, address), list[str] for checkboxes, dict[str, Any] for an uploaded file's record.
Raw = str | list[str] | dict[str, Any] | None

# Nothing a person types needs to be longer than this; it bounds storage and parsing work.
HARD_LIMIT = 20_000

# Ruled lines on paper for an answer of a few sentences: at 10 mm a line (handwriting), room
# for about 40 words.
PAPER_LINES = 4

# The components a field renders with (templates/components/fields.html calls the one a field's
# ``macro`` names). ``fieldset`` groups several of them under one legend: its params are
# ``fieldset`` and ``hint`` for the group and ``parts``, a list of {"macro": ..., "params": ...}
# (an address is a fieldset of inputs; a date and time, of a date input and a time input).
KNOWN_MACROS = frozenset(
    {
        "govukInput",
        "govukDateInput",
        "govukRadios",
        "govukCheckboxes",
        "govukCharacterCount",
        "govukTextarea",
        "govukFileUpload",
        "fieldset",
    }
)

# What only the running platform knows and a service's definition cannot (the places of the
# force an application goes to, say), for fields whose options are read at run time. The web
# layer sets them for a request with ``run_time_facts``; the engine never fetches anything.
_FACTS: ContextVar[Mapping[str, Any]] = ContextVar("field_facts", default=MappingProxyType({}))


@contextmanager
def run_time_facts(facts: Mapping[str, Any]) -> Iterator[None]:
    """Make ``facts`` what fields read at run time, until the block ends."""
    token = _FACTS.set(MappingProxyType(dict(facts)))
    try:
        yield
    finally:
        _FACTS.reset(token)


def current_facts() -> Mapping[str, Any]:
    return _FACTS.get()


def facts_key() -> str:
    """The current facts as text, for caches of work that depends on them."""
    facts = _FACTS.get()
    return json.dumps(facts, sort_keys=True, default=repr) if facts else ""


class QuestionLike(Protocol):
    """The parts of ``schema.Question`` a field needs (kept as a protocol to avoid a cycle)."""

    id: str
    label: Label
    hint: Label | None
    name: Label | None
    error: Label | None
    optional: bool

    @property
    def short_name(self) -> str: ...

    @property
    def shown_label(self) -> str: ...


@dataclass(frozen=True)
class FieldError:
    """One GOV.UK error: the message, the question it belongs to and the input to link to.

    ``href`` is the id of the element the error summary links to (the first input in error);
    ``parts`` names the sub-inputs to highlight (date parts, address lines), empty for all.
    """

    message: str
    question_id: str
    href: str
    parts: tuple[str, ...] = ()

    def summary_item(self) -> dict[str, str]:
        """An item for govukErrorSummary's errorList."""
        return {"text": self.message, "href": "#" + self.href}


@dataclass(frozen=True)
class Parsed:
    """The outcome of parsing a raw value: a clean value, or errors (never both)."""

    value: Any = None
    errors: tuple[FieldError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


def clean_text(value: object, *, multiline: bool = False, limit: int = HARD_LIMIT) -> str:
    """Turn anything into a safe string: no control characters, no lone surrogates, capped.

    Control characters are never meaningful in a form answer and some (NUL) break databases and
    PDFs; lone surrogates cannot be encoded as UTF-8. Newlines survive only in multi-line fields.
    """
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    if not isinstance(value, str):
        # Numbers can arrive from JSON; anything else (files, dicts, objects) is not text.
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return str(value)[:limit] if is_number else ""
    text = value[: limit * 2].replace("\r\n", "\n").replace("\r", "\n")
    if text.isprintable():
        # Every printable character is kept (none is Cc, Cf or Cs, nor a tab or newline): the
        # usual answer, checked in one C call instead of character by character.
        return text[:limit]
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char == "\n" and multiline:
            kept.append(char)
        elif char == "\t":
            kept.append(" ")
        elif category in ("Cc", "Cs"):
            continue
        elif category == "Cf" and char != "\u200d":
            # Format characters (bidi overrides, zero-width spaces) hide or reorder text; the
            # zero-width joiner is kept because emoji sequences need it.
            continue
        else:
            kept.append(char)
    return "".join(kept)[:limit]


def form_value(
    form: Mapping[str, Any], name: str, *, multiline: bool = False, limit: int = HARD_LIMIT
) -> str:
    """The single string posted under ``name``; "" when missing or of an unexpected type."""
    value = form.get(name, "") if isinstance(form, Mapping) or hasattr(form, "get") else ""
    return clean_text(value, multiline=multiline, limit=limit)


def form_values(form: Mapping[str, Any], name: str, *, limit: int = 200) -> list[str]:
    """Every string posted under ``name`` (checkboxes post one value per ticked box)."""
    getlist = getattr(form, "getlist", None)
    values: object = getlist(name) if callable(getlist) else form.get(name, [])
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, (list, tuple)):
        return []
    return [clean_text(v, limit=limit) for v in values[:100] if isinstance(v, str)]


def as_str(raw: object, *, multiline: bool = False) -> str:
    """A stored raw value read back as a string, whatever type it turned out to be."""
    return clean_text(raw, multiline=multiline) if isinstance(raw, str) else ""


def as_parts(raw: object, parts: Sequence[str]) -> dict[str, str]:
    """A stored composite raw value read back as a dict of strings with every part present."""
    source = raw if isinstance(raw, dict) else {}
    return {part: as_str(source.get(part, "")) for part in parts}


def lower_first(text: str) -> str:
    """'Date of birth' -> 'date of birth', for names placed mid-sentence ('Enter ...')."""
    if len(text) > 1 and text[1].isupper():  # keep acronyms such as 'GP practice name'
        return text
    return text[:1].lower() + text[1:]


def required_error(question: QuestionLike, verb: str = "enter") -> str:
    """The message for an empty required answer: the question's own, or 'Enter <name>'."""
    if question.error is not None:
        return str(question.error)
    name = lower_first(question.short_name)
    if verb == "select":
        return gettext("Select %(name)s", name=name)
    return gettext("Enter %(name)s", name=name)


def first_error(errors: Sequence[FieldError]) -> dict[str, str] | None:
    """govuk-frontend ``errorMessage`` parameter: the first error's text, or None."""
    return {"text": errors[0].message} if errors else None


class Field:
    """Base class: one subclass per field type.

    Subclasses set ``macro`` and implement the five operations. None of them may raise on any
    input: a stored raw value may come from an older version of the form or from a hostile post.

    Everything that differs by type is asked of the field, never decided by testing its class
    elsewhere: the component it renders with (``macro``), where an error summary link points
    (``error_anchor``), its look on paper (``paper_widget``, ``paper_choices``) and in the PDF
    copy (``summary_wide``, ``paper_table_cell``, ``is_photo``), and whether it is a file sent
    with the form (``is_upload``).
    """

    macro: ClassVar[str] = "govukInput"
    # A file sent with the form: the page posts multipart, and a file cannot be kept as typed.
    is_upload: ClassVar[bool] = False
    # The answer is too long to read well in a table cell of the PDF copy.
    summary_wide: ClassVar[bool] = False
    # On the blank paper form the answer fits a column of a table (a short one-line answer).
    paper_table_cell: ClassVar[bool] = False
    # The answer holds a postcode (an address, or a postcode on its own): a flow can route the
    # force from it.
    holds_postcode: ClassVar[bool] = False
    # Its options are read at run time (``run_time_facts``): the web layer must set the facts.
    reads_facts: ClassVar[bool] = False

    @property
    def is_photo(self) -> bool:
        """An uploaded photo of the person: the PDF copy and the case page show the image."""
        return False

    def error_anchor(self, question_id: str) -> str:
        """The id of the question's first input, for an error summary link or a Change link."""
        return question_id

    def form_data(self, question: QuestionLike, raw: Raw) -> dict[str, Any]:
        """What a person posts to give ``raw`` (the reverse of ``raw_from_form``)."""
        return {} if raw is None else {question.id: raw}

    def clean_upload(self, question: QuestionLike, data: bytes) -> Accepted | FieldError:
        """A newly uploaded file checked by what the question accepts (``is_upload`` fields):
        the file to store, or the error to show. Other fields take no file."""
        return error_for(question, gettext("The selected file could not be uploaded"))

    def option_label(self, value: str) -> str | None:
        """The words of the option stored as ``value``; None for a field without options."""
        return None

    def chosen_clause(self, answer: str, number: str) -> str:
        """How the paper form refers to an answer given at question ``number``."""
        return gettext("you answered ‘%(answer)s’ at %(number)s", answer=answer, number=number)

    def raw_from_form(self, question: QuestionLike, form: Mapping[str, Any]) -> Raw:
        """What the user typed, from posted form data whose names are namespaced by question id."""
        return form_value(form, question.id)

    def is_empty(self, raw: Raw) -> bool:
        return not as_str(raw).strip()

    def parse(self, question: QuestionLike, raw: Raw, today: date) -> Parsed:
        raise NotImplementedError

    def display(self, question: QuestionLike, raw: Raw, today: date) -> list[str]:
        """Plain-text lines for check answers and the PDF; the raw text when it does not parse."""
        parsed = self.parse(question, raw, today)
        if parsed.ok and parsed.value is not None:
            return self.display_value(parsed.value)
        text = as_str(raw).strip()
        return [text] if text else []

    def display_value(self, value: Any) -> list[str]:
        return [str(value)]

    def macro_params(
        self, question: QuestionLike, raw: Raw, errors: Sequence[FieldError], *, heading: bool
    ) -> dict[str, Any]:
        raise NotImplementedError

    def nested_questions(self) -> Sequence[tuple[str, Any]]:
        """(option value, question) pairs revealed by choosing an option; none for most fields."""
        return ()

    # --- on paper: the blank form and a draft printed to finish by hand ---------------------

    def paper_label(self, question: QuestionLike) -> str:
        """The question as the paper form asks it (a field answered differently on paper, such
        as an upload, words it for paper)."""
        return str(question.label)

    def paper_widget(self) -> dict[str, Any]:
        """The writing box on paper, as the PDF layout's ``Slot`` fields: ``kind`` (line, lines,
        date, address, choices, enclose) and its sizes. A type without its own gets a few ruled
        lines."""
        return {"kind": "lines", "rows": PAPER_LINES}

    def paper_display(self, question: QuestionLike, raw: Raw, today: date) -> list[str]:
        """A draft's answer printed in its box; empty leaves the box empty to write in."""
        return [] if self.is_empty(raw) else self.display(question, raw, today)

    def paper_choices(self, raw: Raw) -> Sequence[tuple[Any, bool]]:
        """(option, ticked) for each box to tick on paper; none for a field without options."""
        return ()


def label_param(question: QuestionLike, *, heading: bool) -> dict[str, Any]:
    """govuk ``label``: the page's h1 when it is the only question on the page (one thing per page)."""
    if heading:
        return {"text": question.shown_label, "classes": "govuk-label--l", "isPageHeading": True}
    return {"text": question.shown_label, "classes": "govuk-label--s"}


def legend_param(question: QuestionLike, *, heading: bool) -> dict[str, Any]:
    """govuk fieldset ``legend``, the h1 for a single-question page."""
    if heading:
        return {
            "text": question.shown_label,
            "classes": "govuk-fieldset__legend--l",
            "isPageHeading": True,
        }
    return {"text": question.shown_label, "classes": "govuk-fieldset__legend--s"}


def hint_param(question: QuestionLike) -> dict[str, str] | None:
    return {"text": str(question.hint)} if question.hint else None


def error_for(
    question: QuestionLike, message: str, part: str | None = None, parts: tuple[str, ...] = ()
) -> FieldError:
    """An error on a question, linking to the given sub-input (or the question's input)."""
    href = f"{question.id}-{part}" if part else question.id
    return FieldError(message=message, question_id=question.id, href=href, parts=parts)
