"""A file upload (a photo of the person, a scan of a document, a PDF). The web layer receives
and stores the bytes.

The stored raw answer is the web layer's record of an upload already received, a dict such as
``{"id": "…", "filename": "me.jpg", "content_type": "image/jpeg", "size": 123456}``. The engine
declares the field and what it accepts (``accepts``, see ``accepts.py``), checks a new upload's
bytes (``clean_upload``) and validates that a record is present (``parse``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from webapp.i18n import gettext

from .accepts import Acceptance, Accepted, Photo, UploadRejected
from .base import (
    Field,
    FieldError,
    Label,
    Parsed,
    QuestionLike,
    Raw,
    clean_text,
    error_for,
    first_error,
    hint_param,
    label_param,
    required_error,
)


@dataclass(frozen=True)
class Enclosure:
    """What a person sends with the paper form instead of uploading: nothing can be uploaded on
    paper. ``label`` asks for it ("Your photos"); ``instructions`` say how many and how to mark
    them. The words belong to the service."""

    label: Label
    instructions: tuple[Label, ...] = ()


@dataclass(frozen=True)
class FileUpload(Field):
    accepts: Acceptance = field(default_factory=Photo)
    paper: Enclosure | None = None  # how the file is given on paper; None: "enclose a copy"
    macro: ClassVar[str] = "govukFileUpload"
    is_upload: ClassVar[bool] = True
    summary_wide: ClassVar[bool] = True

    @property
    def is_photo(self) -> bool:
        return self.accepts.is_photo

    def raw_from_form(self, question: QuestionLike, form: Mapping[str, Any]) -> Raw:
        """The upload record the web layer put under the question id, if any."""
        record = form.get(question.id) if hasattr(form, "get") else None
        return self._record(record)

    @staticmethod
    def _record(raw: object) -> dict[str, Any] | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
            return None
        size = raw.get("size")
        return {
            "id": clean_text(raw["id"], limit=200),
            "filename": clean_text(raw.get("filename", ""), limit=200),
            "content_type": clean_text(raw.get("content_type", ""), limit=100),
            "size": size if isinstance(size, int) and not isinstance(size, bool) else 0,
        }

    def is_empty(self, raw: Raw) -> bool:
        return self._record(raw) is None

    def parse(self, question: QuestionLike, raw: Raw, today: date) -> Parsed:
        record = self._record(raw)
        if record is None:
            if question.optional:
                return Parsed(None)
            return Parsed(errors=(error_for(question, required_error(question, "select")),))
        return Parsed(record)

    def clean_upload(self, question: QuestionLike, data: bytes) -> Accepted | FieldError:
        """A newly uploaded file's bytes checked by what the question accepts: the file to
        store, or the error to show."""
        try:
            return self.accepts.clean(data)
        except UploadRejected as exc:
            return error_for(question, str(exc))

    def display_value(self, value: Any) -> list[str]:
        return [value.get("filename") or self.accepts.received()]

    def display(self, question: QuestionLike, raw: Raw, today: date) -> list[str]:
        record = self._record(raw)
        return self.display_value(record) if record else []

    def paper_label(self, question: QuestionLike) -> str:
        return str(self.paper.label) if self.paper else str(question.label)

    def paper_widget(self) -> dict[str, Any]:
        """No box to write in: what to enclose, and a box to tick once it is in the envelope."""
        instructions = self.paper.instructions if self.paper else ()
        default = gettext("Do not write here. Enclose a printed copy with this form.")
        return {
            "kind": "enclose",
            "instructions": [str(text) for text in instructions] or [default],
            "hide_hint": True,  # the instructions say what the hint would
        }

    def paper_display(self, question: QuestionLike, raw: Raw, today: date) -> list[str]:
        """Never the file's name (it can say more than the person meant to share): only that
        the upload was received."""
        return [] if self._record(raw) is None else [self.accepts.received()]

    def macro_params(
        self, question: QuestionLike, raw: Raw, errors: Sequence[FieldError], *, heading: bool
    ) -> dict[str, Any]:
        return {
            "id": question.id,
            "name": question.id,
            "label": label_param(question, heading=heading),
            "hint": hint_param(question),
            "errorMessage": first_error(errors),
            "attributes": {"accept": ",".join(self.accepts.media_types)},
        }
