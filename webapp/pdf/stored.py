"""The PDF copy of a submitted application: rendered on first download, then kept.

A submitted application never changes, so neither does its copy: keeping the bytes means a
download costs one row read, and staff see exactly the document the applicant saw.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from webapp.engine.schema import Service
from webapp.store import drafts, force_services
from webapp.store.cases import origin_of
from webapp.store.db import unit_of_work
from webapp.store.models import Application, ApplicationDocument
from webapp.store.staff import StaffMember

from .render import ApplicationData, ForceData, TakenBy, render_application_pdf
from .worker import render_in_worker

KIND = "pdf"


async def photo_of(
    session: AsyncSession, service: Service, application: Application
) -> bytes | None:
    """The first uploaded photo the application's answers refer to."""
    for question in service.all_questions():
        if question.field.is_photo and application.answers.get(question.id):
            upload = await drafts.get_upload(session, application.id, question.id)
            if upload is not None:
                return upload.data
    return None


async def taken_by(session: AsyncSession, application: Application) -> TakenBy | None:
    """Who of the application's own force took it for the applicant, if staff did."""
    origin = await origin_of(session, application.id)
    if origin is None:
        return None
    staff = await session.get(StaffMember, origin.created_by_staff_id)
    if staff is None or staff.force_id != application.force_id:
        return None
    return TakenBy(staff.name or staff.email, origin.created_at, origin.received_on)


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
        force = await force_services.contact(session, application.force_id, service)
        photo = await photo_of(session, service, application)
        taken = await taken_by(session, application)
    data = await render_in_worker(
        render_application_pdf,
        service,
        ApplicationData.of(application),
        ForceData.of(force),
        photo,
        taken,
    )
    try:
        async with unit_of_work(sessions) as session:
            session.add(ApplicationDocument(application_id=application.id, kind=KIND, data=data))
    except IntegrityError:  # another download rendered it first: theirs is the copy
        async with sessions() as session:
            stored = await session.get(ApplicationDocument, (application.id, KIND))
        if stored is not None:
            return stored.data
    return data
