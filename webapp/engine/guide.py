"""Guidance a service publishes for someone other than the applicant: a plain content page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .fields import Label


@dataclass(frozen=True)
class GuidePart:
    """A part of a guide: an optional heading, paragraphs, then a bulleted list."""

    paragraphs: Sequence[Label] = ()
    heading: Label | None = None
    bullets: Sequence[Label] = ()


@dataclass(frozen=True)
class Guide:
    """A public page of guidance the service publishes for someone other than the applicant
    (say, what a referee is asked), at ``/apply/<service>/guide/<id>``: open to anyone with the
    link, so the applicant can print it or pass the link on."""

    id: str
    title: Label
    parts: Sequence[GuidePart]
    summary: Label | None = None
