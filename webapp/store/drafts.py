"""Applications in the database: create a draft, save answers safely, submit exactly once."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from webapp.store.models import Application, Force, Upload, utcnow
from webapp.store.references import new_reference


class StaleDraft(Exception):
    """The draft changed (another tab or device) since this request read it."""


class AlreadySubmitted(Exception):
    """The application has been submitted and can no longer change."""


async def create_draft(
    session: AsyncSession,
    *,
    service: str,
    force_id: str | None = None,
    channel: str = "online",
    language: str | None = None,
) -> Application:
    for _attempt in range(5):
        reference = new_reference()
        # A taken reference is found before the insert, not by a failed one, so a collision never
        # disturbs the caller's other work in this unit of work. (Two requests drawing the same new
        # reference in the same instant would fail one unit of work whole: nothing half-written.)
        taken = await session.scalar(
            select(Application.id).where(Application.reference == reference)
        )
        if taken is not None:  # astronomically rare: draw another
            continue
        draft = Application(
            reference=reference,
            service=service,
            force_id=force_id,
            channel=channel,
            language=language,
            status="draft",
            answers={},
            version=1,
        )
        session.add(draft)
        await session.flush()
        return draft
    raise RuntimeError("could not allocate a unique reference")


async def set_language(
    session: AsyncSession, application_ids: Collection[int], language: str
) -> None:
    """The person changed language while these drafts were open: their application follows.
    A sent application keeps the language it was made in."""
    if not application_ids:
        return
    await session.execute(
        update(Application)
        .where(Application.id.in_(application_ids), Application.status == "draft")
        .values(language=language)
        .execution_options(synchronize_session=False)
    )


async def get_application(session: AsyncSession, application_id: int) -> Application | None:
    return await session.get(Application, application_id)


async def save_answers(
    session: AsyncSession,
    application_id: int,
    *,
    expected_version: int,
    answers: dict[str, Any],
    force_id: str | None = None,
) -> int:
    """Store the new answers if nobody else saved since `expected_version`; the new version.
    A changed answer was not declared: the person declares again before paying or sending."""
    values: dict[str, Any] = {
        "answers": answers,
        "version": Application.version + 1,
        "updated_at": utcnow(),
        "declared_at": None,
    }
    if force_id is not None:
        values["force_id"] = force_id
    result = await session.execute(
        update(Application)
        .where(
            Application.id == application_id,
            Application.version == expected_version,
            Application.status == "draft",
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        # Nothing was written: read what is there now to say why.
        current = await session.get(Application, application_id, populate_existing=True)
        if current is not None and current.status != "draft":
            raise AlreadySubmitted()
        raise StaleDraft()
    return expected_version + 1


async def submit(
    session: AsyncSession,
    application_id: int,
    *,
    expected_version: int,
    fee_pence: int | None,
    fee_description: str | None,
    with_submission: Callable[[AsyncSession], None] | None = None,
) -> bool:
    """Mark the draft submitted. Only one of two racing submits succeeds (the other gets False).
    ``with_submission`` adds rows that belong to the submission (its confirmation email) to the
    same transaction: they are written if, and only if, the submission is (the caller commits)."""
    result = await session.execute(
        update(Application)
        .where(
            Application.id == application_id,
            Application.status == "draft",
            Application.version == expected_version,
        )
        .values(
            status="submitted",
            submitted_at=utcnow(),
            updated_at=utcnow(),
            version=Application.version + 1,
            fee_pence=fee_pence,
            fee_description=fee_description,
        )
        .execution_options(synchronize_session=False)
    )
    sent = result.rowcount == 1  # type: ignore[attr-defined]
    if not sent:
        return False
    if with_submission is not None:
        with_submission(session)
    await session.flush()
    return True


async def declare(session: AsyncSession, application_id: int, *, expected_version: int) -> bool:
    """Record the declaration of a draft whose case waits for its payment. False when the draft
    changed (another tab saved an answer) or was sent since this request read it. The version is
    not moved on: declaring changes no answer."""
    result = await session.execute(
        update(Application)
        .where(
            Application.id == application_id,
            Application.status == "draft",
            Application.version == expected_version,
        )
        .values(declared_at=utcnow(), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def save_upload(
    session: AsyncSession,
    application_id: int,
    *,
    question_id: str,
    content_type: str,
    filename: str,
    data: bytes,
) -> int:
    """Keep one upload per question: a new photo replaces the old one."""
    existing = await session.scalars(
        select(Upload).where(
            Upload.application_id == application_id, Upload.question_id == question_id
        )
    )
    for old in existing:
        await session.delete(old)
    upload = Upload(
        application_id=application_id,
        question_id=question_id,
        content_type=content_type,
        filename=filename,
        data=data,
    )
    session.add(upload)
    await session.flush()
    return upload.id


async def get_upload(session: AsyncSession, application_id: int, question_id: str) -> Upload | None:
    return await session.scalar(
        select(Upload).where(
            Upload.application_id == application_id, Upload.question_id == question_id
        )
    )


async def set_force(session: AsyncSession, application_id: int, force_id: str) -> None:
    await session.execute(
        update(Application)
        .where(Application.id == application_id, Application.status == "draft")
        # Another force would receive it: declared again, like any changed answer.
        .values(force_id=force_id, updated_at=utcnow(), declared_at=None)
        .execution_options(synchronize_session=False)
    )


async def get_force(session: AsyncSession, force_id: str) -> Force | None:
    return await session.get(Force, force_id)
