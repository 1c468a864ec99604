"""What a case needs after the application is sent, read from the answers: how the applicant
can be reached, and what they still send by post (photos to follow, say)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .context import Context
from .schema import ByPost, Service


def contact_email(
    service: Service, answers: Mapping[str, Any], *, channel: str | None = None
) -> str | None:
    """The applicant's email address, or None when they gave none (write to them instead)."""
    if service.contact_email is None:
        return None
    value = Context(service, answers, channel=channel).value(service.contact_email)
    return value if isinstance(value, str) and value else None


def expects_email(service: Service) -> bool:
    """Whether the service asks for an email address at all (else saying 'none given' is noise)."""
    return service.contact_email is not None


def awaited_by_post(
    service: Service, answers: Mapping[str, Any], *, channel: str | None = None
) -> list[ByPost]:
    """The items the answers say will follow by post, in the order the service declares them."""
    ctx = Context(service, answers, channel=channel)
    return [item for item in service.by_post if item.condition(ctx)]
