"""The PDF copy of a submitted application: rendered on first download, then kept.

A submitted application never changes, so neither does its copy: keeping the bytes means a
download costs one row read, and staff see exactly the document the applicant saw.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from webapp.engine.fields import FileUpload
from webapp.engine.schema import Service
from webapp.store import drafts
from webapp.store.models import Application, ApplicationDocument

from .render import ApplicationData, ForceData, render_application_pdf
from .worker import render_in_worker

KIND = "pdf"


async def photo_of(session: AsyncSession, service: Service, application: Application) -> bytes | None:
    """The first uploaded photo the application's answers refer to."""
    for question in service.all_questions():
        if isinstance(question.field, FileUpload) and application.answers.get(question.id):
            upload = await drafts.get_upload(session, application.id, question.id)
            if upload is not None:
                return upload.data
    return None


async def application_pdf(
    sessions: async_sessionmaker[AsyncSession], service: Service, application: Application
) -> bytes:
    """The stored copy, or render it (in a worker) and store it. Submitted applications only."""
    if application.status == "draft":
        raise ValueError("only a submitted application has a stored copy")
    async with sessions() as session:
        stored = await session.get(ApplicationDocument, (application.id, KIND))
        if stored is not None:
            return stored.data
        force = await drafts.get_force(session, application.force_id) if application.force_id else None
        photo = await photo_of(session, service, application)
    data = await render_in_worker(
        render_application_pdf, service, ApplicationData.of(application), ForceData.of(force), photo
    )
    async with sessions() as session:
        session.add(ApplicationDocument(application_id=application.id, kind=KIND, data=data))
        try:
            await session.commit()
        except IntegrityError:  # another download rendered it first: theirs is the copy
            await session.rollback()
            stored = await session.get(ApplicationDocument, (application.id, KIND))
            if stored is not None:
                return stored.data
    return data
