"""A force's applications, as its staff see them. Force isolation lives here, in the data layer:
``ForceCases`` is built for one force and every query it runs is scoped to that force, so an
application of another force is simply not found (and the web layer answers 404).

Staff see sent applications only: drafts belong to whoever is filling them in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from webapp.store.models import Application, Upload, utcnow
from webapp.store.staff import (
    ApplicationIndex,
    ApplicationOrigin,
    ReceivedByPost,
    StaffMember,
    StatusChange,
)

RECEIVED = "submitted"  # what the public journey sets on sending; staff call it "Received"
STATUSES = {
    RECEIVED: "Received",
    "medical_check": "Medical check",
    "referee_checks": "Referee checks",
    "home_visit": "Home visit",
    "granted": "Granted",
    "refused": "Refused",
    "withdrawn": "Withdrawn",
}
WORKFLOW = [RECEIVED, "medical_check", "referee_checks", "home_visit"]
DECISIONS = ("granted", "refused", "withdrawn")
CHANNELS = {"online": "Online", "assisted": "Assisted digital (phone)", "paper": "Paper form"}
PAPER_SCAN = "paper_scan"  # the Upload.question_id of a paper form's scan


def next_statuses(current: str) -> list[str]:
    """Where an application may go from here: the next stage, or refused or withdrawn at any
    stage; granted only after the home visit. Decisions are final."""
    if current not in WORKFLOW:
        return []
    stage = WORKFLOW.index(current)
    if stage + 1 < len(WORKFLOW):
        return [WORKFLOW[stage + 1], "refused", "withdrawn"]
    return ["granted", "refused", "withdrawn"]


@dataclass(frozen=True)
class SearchFilters:
    reference: str = ""
    surname: str = ""
    postcode: str = ""
    date_of_birth: date | None = None
    status: str = ""
    channel: str = ""
    sent_from: date | None = None
    sent_to: date | None = None

    def used(self) -> dict[str, str]:
        return {name: str(value) for name, value in self.__dict__.items() if value}


@dataclass(frozen=True)
class Result:
    application: Application
    surname: str | None
    postcode: str | None


@dataclass(frozen=True)
class SearchPage:
    results: list[Result]
    page: int
    pages: int
    total: int


IndexValues = Callable[[Application], tuple[str | None, str | None, date | None]]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


class ForceCases:
    def __init__(self, session: AsyncSession, force_id: str) -> None:
        if not force_id:
            raise ValueError("a force is required")
        self.session = session
        self.force_id = force_id

    def _sent(self) -> Select[tuple[Application]]:
        return select(Application).where(
            Application.force_id == self.force_id, Application.status != "draft"
        )

    async def get(self, application_id: int) -> Application | None:
        return await self.session.scalar(self._sent().where(Application.id == application_id))

    async def by_reference(self, reference: str) -> Application | None:
        wanted = reference.strip().upper()
        return await self.session.scalar(self._sent().where(Application.reference == wanted))

    async def origin(self, application: Application) -> ApplicationOrigin | None:
        self._check(application)
        return await self.session.get(ApplicationOrigin, application.id)

    async def upload(self, application: Application, question_id: str) -> Upload | None:
        self._check(application)
        return await self.session.scalar(
            select(Upload).where(Upload.application_id == application.id,
                                 Upload.question_id == question_id)
        )

    async def history(self, application: Application) -> list[tuple[StatusChange, str]]:
        self._check(application)
        rows = await self.session.execute(
            select(StatusChange, StaffMember.email)
            .join(StaffMember, StaffMember.id == StatusChange.staff_id)
            .where(StatusChange.application_id == application.id)
            .order_by(StatusChange.at, StatusChange.id)
        )
        return [(change, email) for change, email in rows.all()]

    async def move(self, application: Application, to_status: str, note: str, staff_id: int) -> bool:
        """Change the status if nobody changed it since it was read; False otherwise."""
        self._check(application)
        if to_status not in next_statuses(application.status):
            return False
        result = await self.session.execute(
            update(Application)
            .where(Application.id == application.id, Application.force_id == self.force_id,
                   Application.status == application.status)
            .values(status=to_status, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        self.session.add(StatusChange(application_id=application.id, from_status=application.status,
                                      to_status=to_status, note=note, staff_id=staff_id, at=utcnow()))
        return True

    async def received_by_post(self, application: Application) -> dict[str, tuple[ReceivedByPost, str]]:
        """What staff recorded as arrived by post, by item id, with who recorded it."""
        self._check(application)
        rows = await self.session.execute(
            select(ReceivedByPost, StaffMember.name, StaffMember.email)
            .join(StaffMember, StaffMember.id == ReceivedByPost.staff_id)
            .where(ReceivedByPost.application_id == application.id)
        )
        return {row.item: (row, name or email) for row, name, email in rows.all()}

    async def record_received(self, application: Application, item: str, staff_id: int) -> bool:
        """Record an item as arrived by post; False if it was already recorded (the key decides)."""
        self._check(application)
        self.session.add(ReceivedByPost(application_id=application.id, item=item,
                                        staff_id=staff_id, at=utcnow()))
        try:
            await self.session.flush()
        except IntegrityError:
            await self.session.rollback()
            return False
        return True

    def _check(self, application: Application) -> None:
        # Defence in depth: objects passed back in must be this force's.
        if application.force_id != self.force_id:
            raise PermissionError("application of another force")

    async def refresh_index(self, values: IndexValues, limit: int = 500) -> None:
        """Index sent applications not indexed yet (they are sent by the public journey)."""
        missing = await self.session.scalars(
            self._sent()
            .outerjoin(ApplicationIndex, ApplicationIndex.application_id == Application.id)
            .where(ApplicationIndex.application_id.is_(None))
            .limit(limit)
        )
        added = False
        for application in missing:
            surname, postcode, born = values(application)
            self.session.add(ApplicationIndex(application_id=application.id, surname=surname,
                                              postcode=postcode, date_of_birth=born))
            added = True
        if added:
            await self.session.commit()

    async def search(self, filters: SearchFilters, *, page: int = 1, per_page: int = 20) -> SearchPage:
        query = (
            select(Application, ApplicationIndex.surname, ApplicationIndex.postcode)
            .outerjoin(ApplicationIndex, ApplicationIndex.application_id == Application.id)
            .where(Application.force_id == self.force_id, Application.status != "draft")
        )
        conditions: list[Any] = []
        if filters.reference:
            conditions.append(Application.reference == filters.reference.strip().upper())
        if filters.surname:
            conditions.append(ApplicationIndex.surname == filters.surname.strip().lower())
        if filters.postcode:
            conditions.append(ApplicationIndex.postcode == squash_postcode(filters.postcode))
        if filters.date_of_birth:
            conditions.append(ApplicationIndex.date_of_birth == filters.date_of_birth)
        if filters.status:
            conditions.append(Application.status == filters.status)
        if filters.channel:
            conditions.append(Application.channel == filters.channel)
        if filters.sent_from:
            conditions.append(Application.submitted_at >= _start_of(filters.sent_from))
        if filters.sent_to:
            conditions.append(Application.submitted_at < _start_of(filters.sent_to + timedelta(days=1)))
        query = query.where(*conditions)
        total = int(await self.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        rows = await self.session.execute(
            query.order_by(Application.submitted_at.desc(), Application.id.desc())
            .limit(per_page).offset((page - 1) * per_page)
        )
        results = [Result(app, surname, postcode) for app, surname, postcode in rows.all()]
        return SearchPage(results, page, pages, total)

    async def counts_by_status(self) -> dict[str, int]:
        rows = await self.session.execute(
            select(Application.status, func.count())
            .where(Application.force_id == self.force_id, Application.status != "draft")
            .group_by(Application.status)
        )
        found = {status: int(count) for status, count in rows.all()}
        return {status: found.get(status, 0) for status in STATUSES}

    async def counts_by_week(self, weeks: int = 8, today: date | None = None) -> list[tuple[date, int]]:
        """Applications sent in each of the last few weeks (Monday to Sunday), oldest first."""
        today = today or utcnow().date()
        first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
        sent = await self.session.scalars(
            select(Application.submitted_at)
            .where(Application.force_id == self.force_id, Application.status != "draft",
                   Application.submitted_at >= _start_of(first))
        )
        counts = {first + timedelta(weeks=n): 0 for n in range(weeks)}
        for moment in sent:
            if moment is None:
                continue
            day = moment.date()
            monday = day - timedelta(days=day.weekday())
            if monday in counts:
                counts[monday] += 1
        return sorted(counts.items())


def squash_postcode(postcode: str) -> str:
    return "".join(postcode.split()).upper()[:10]


async def record_origin(session: AsyncSession, application_id: int, staff_id: int,
                        received_on: date | None) -> None:
    session.add(ApplicationOrigin(application_id=application_id, created_by_staff_id=staff_id,
                                  received_on=received_on))


async def origin_of(session: AsyncSession, application_id: int) -> ApplicationOrigin | None:
    """Who keyed in this application, if staff did (the declaration hook, the PDF copy)."""
    return await session.get(ApplicationOrigin, application_id)
