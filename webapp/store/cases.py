"""A force's applications, as its staff see them. Force isolation lives here, in the data layer:
``ForceCases`` is built for one force and every query it runs is scoped to that force, so an
application of another force is simply not found (and the web layer answers 404).

Staff see sent applications, and the drafts staff are working on: the ones they started for a
caller or from a paper form, and callers' own drafts they were allowed to open (``StaffHelp``),
so a dropped call is never lost work. Any other draft belongs to whoever is filling it in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from webapp.engine.workflow import Workflow
from webapp.store.models import Application, Upload, utcnow
from webapp.store.references import normalise_reference
from webapp.store.staff import (
    ApplicationIndex,
    ApplicationOrigin,
    ReceivedByPost,
    StaffHelp,
    StaffMember,
    StatusChange,
)
from webapp.uk_time import uk_local

CHANNELS = {"online": "Online", "assisted": "Assisted digital (phone)", "paper": "Paper form"}
PAPER_SCAN = "paper_scan"  # the Upload.question_id of a paper form's scan


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
    started_by: str | None = None  # a draft's: the member of staff who started or opened it

    @property
    def in_progress(self) -> bool:
        return self.application.status == "draft"


@dataclass(frozen=True)
class SearchPage:
    results: list[Result]
    page: int
    pages: int
    total: int


IndexValues = Callable[[Application], tuple[str | None, str | None, date | None]]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def reference_wanted(typed: str) -> str:
    """What people type (any case, spaces, no hyphen) as a reference, as the public resume page
    reads it; anything that cannot be one is compared as typed, so it simply matches nothing."""
    return normalise_reference(typed) or typed.strip().upper()


def _staff_started(application_id: Any) -> ColumnElement[bool]:
    return exists().where(ApplicationOrigin.application_id == application_id)


def _staff_helped(application_id: Any, force_id: str) -> ColumnElement[bool]:
    return exists().where(
        StaffHelp.application_id == application_id, StaffHelp.force_id == force_id
    )


@dataclass(frozen=True)
class StaffDraft:
    """An unfinished application staff are working on, for the dashboard."""

    application: Application
    started_by: str
    started_at: datetime


class ForceCases:
    def __init__(self, session: AsyncSession, force_id: str) -> None:
        if not force_id:
            raise ValueError("a force is required")
        self.session = session
        self.force_id = force_id

    def _sent(self) -> Select[Application]:
        return select(Application).where(
            Application.force_id == self.force_id, Application.status != "draft"
        )

    def _visible(self) -> ColumnElement[bool]:
        """Sent, or a draft staff of this force started or were allowed to open."""
        return (Application.force_id == self.force_id) & or_(
            Application.status != "draft",
            _staff_started(Application.id),
            _staff_helped(Application.id, self.force_id),
        )

    async def staff_draft(self, application_id: int) -> Application | None:
        """A draft of this force's that staff started or were allowed to open; None otherwise."""
        return await self.session.scalar(
            select(Application).where(
                Application.id == application_id, Application.status == "draft", self._visible()
            )
        )

    async def staff_drafts(self, limit: int = 50) -> list[StaffDraft]:
        """Drafts staff of this force are working on, most recently saved first."""
        started = (
            select(Application, StaffMember.name, StaffMember.email, ApplicationOrigin.created_at)
            .join(ApplicationOrigin, ApplicationOrigin.application_id == Application.id)
            .join(StaffMember, StaffMember.id == ApplicationOrigin.created_by_staff_id)
            .where(Application.force_id == self.force_id, Application.status == "draft")
            .order_by(Application.updated_at.desc())
            .limit(limit)
        )
        helped = (
            select(Application, StaffMember.name, StaffMember.email, StaffHelp.at)
            .join(StaffHelp, StaffHelp.application_id == Application.id)
            .join(StaffMember, StaffMember.id == StaffHelp.staff_id)
            .where(
                Application.force_id == self.force_id,
                Application.status == "draft",
                StaffHelp.force_id == self.force_id,
            )
            .order_by(StaffHelp.at)
        )
        found: dict[int, StaffDraft] = {}
        for query in (started, helped):
            for application, name, email, at in (await self.session.execute(query)).all():
                # The first member of staff to start or open it is the one named.
                found.setdefault(application.id, StaffDraft(application, name or email, at))
        return sorted(found.values(), key=lambda draft: draft.application.updated_at, reverse=True)[
            :limit
        ]

    async def started_by(self, application_ids: list[int]) -> dict[int, str]:
        """Who started (or first opened) each of these drafts."""
        if not application_ids:
            return {}
        names: dict[int, str] = {}
        for query in (
            select(ApplicationOrigin.application_id, StaffMember.name, StaffMember.email)
            .join(StaffMember, StaffMember.id == ApplicationOrigin.created_by_staff_id)
            .where(ApplicationOrigin.application_id.in_(application_ids)),
            select(StaffHelp.application_id, StaffMember.name, StaffMember.email)
            .join(StaffMember, StaffMember.id == StaffHelp.staff_id)
            .where(
                StaffHelp.application_id.in_(application_ids), StaffHelp.force_id == self.force_id
            )
            .order_by(StaffHelp.at),
        ):
            for application_id, name, email in (await self.session.execute(query)).all():
                names.setdefault(application_id, name or email)
        return names

    async def caller_draft(self, reference: str) -> Application | None:
        """A caller's own draft with this force, found by the reference they read out."""
        return await self.session.scalar(
            select(Application).where(
                Application.reference == reference_wanted(reference),
                Application.status == "draft",
                Application.force_id == self.force_id,
            )
        )

    async def help_given(self, application: Application) -> list[tuple[StaffHelp, str]]:
        """Each time staff opened this caller's own draft: the consent recorded, and by whom."""
        self._check(application)
        rows = await self.session.execute(
            select(StaffHelp, StaffMember.name, StaffMember.email)
            .join(StaffMember, StaffMember.id == StaffHelp.staff_id)
            .where(StaffHelp.application_id == application.id, StaffHelp.force_id == self.force_id)
            .order_by(StaffHelp.at, StaffHelp.id)
        )
        return [(row, name or email) for row, name, email in rows.all()]

    async def record_help(
        self, application: Application, staff_id: int, consent_from: str, purpose: str
    ) -> StaffHelp:
        self._check(application)
        help_row = StaffHelp(
            application_id=application.id,
            staff_id=staff_id,
            force_id=self.force_id,
            consent_from=consent_from,
            purpose=purpose,
            at=utcnow(),
        )
        self.session.add(help_row)
        return help_row

    async def get(self, application_id: int) -> Application | None:
        found: Application | None = await self.session.scalar(
            self._sent().where(Application.id == application_id)
        )
        return found

    async def by_reference(self, reference: str) -> Application | None:
        wanted = reference_wanted(reference)
        found: Application | None = await self.session.scalar(
            self._sent().where(Application.reference == wanted)
        )
        return found

    async def origin(self, application: Application) -> ApplicationOrigin | None:
        self._check(application)
        return await self.session.get(ApplicationOrigin, application.id)

    async def upload(self, application: Application, question_id: str) -> Upload | None:
        self._check(application)
        return await self.session.scalar(
            select(Upload).where(
                Upload.application_id == application.id, Upload.question_id == question_id
            )
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

    async def move(
        self,
        application: Application,
        workflow: Workflow | None,
        to_status: str,
        note: str,
        staff: StaffMember,
    ) -> bool:
        """Change the status if the service's workflow lets this member make the move and nobody
        changed the status since it was read; False otherwise."""
        self._check(application)
        declared = workflow.move(application.status, to_status, staff.role) if workflow else None
        if declared is None or (declared.needs_note and not note.strip()):
            return False
        staff_id = staff.id
        result = await self.session.execute(
            update(Application)
            .where(
                Application.id == application.id,
                Application.force_id == self.force_id,
                Application.status == application.status,
            )
            .values(status=to_status, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        self.session.add(
            StatusChange(
                application_id=application.id,
                from_status=application.status,
                to_status=to_status,
                note=note,
                staff_id=staff_id,
                at=utcnow(),
            )
        )
        return True

    async def received_by_post(
        self, application: Application
    ) -> dict[str, tuple[ReceivedByPost, str]]:
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
        self.session.add(
            ReceivedByPost(application_id=application.id, item=item, staff_id=staff_id, at=utcnow())
        )
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
        """Index what staff may find and is not indexed as it is now: applications sent by the
        public journey, and staff drafts whose answers changed since they were indexed."""
        stale = await self.session.execute(
            select(Application, ApplicationIndex)
            .outerjoin(ApplicationIndex, ApplicationIndex.application_id == Application.id)
            .where(
                self._visible(),
                or_(
                    ApplicationIndex.application_id.is_(None),
                    ApplicationIndex.version.is_(None),
                    ApplicationIndex.version != Application.version,
                ),
            )
            .limit(limit)
        )
        for application, row in stale.all():
            surname, postcode, born = values(application)
            if row is None:
                row = ApplicationIndex(application_id=application.id)
                self.session.add(row)
            row.surname, row.postcode, row.date_of_birth = surname, postcode, born
            row.version = application.version
        await self.session.flush()

    async def search(
        self, filters: SearchFilters, *, page: int = 1, per_page: int = 20
    ) -> SearchPage:
        query = (
            select(Application, ApplicationIndex.surname, ApplicationIndex.postcode)
            .outerjoin(ApplicationIndex, ApplicationIndex.application_id == Application.id)
            .where(self._visible())
        )
        conditions: list[Any] = []
        if filters.reference:
            conditions.append(Application.reference == reference_wanted(filters.reference))
        if filters.surname:
            conditions.append(ApplicationIndex.surname == filters.surname.strip().lower())
        if filters.postcode:
            conditions.append(ApplicationIndex.postcode == squash_postcode(filters.postcode))
        if filters.date_of_birth:
            conditions.append(ApplicationIndex.date_of_birth == filters.date_of_birth)
        if filters.status:
            conditions.append(Application.status == filters.status)
        if filters.status or filters.sent_from or filters.sent_to:
            conditions.append(Application.status != "draft")
        if filters.channel:
            conditions.append(Application.channel == filters.channel)
        if filters.sent_from:
            conditions.append(Application.submitted_at >= _start_of(filters.sent_from))
        if filters.sent_to:
            conditions.append(
                Application.submitted_at < _start_of(filters.sent_to + timedelta(days=1))
            )
        query = query.where(*conditions)
        total = int(
            await self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        )
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        rows = await self.session.execute(
            # Unfinished work first (a dropped call is found at once), then newest sent.
            query.order_by(
                (Application.status == "draft").desc(),
                Application.submitted_at.desc(),
                Application.updated_at.desc(),
                Application.id.desc(),
            )
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        found = rows.all()
        names = await self.started_by([app.id for app, _s, _p in found if app.status == "draft"])
        results = [
            Result(app, surname, postcode, names.get(app.id)) for app, surname, postcode in found
        ]
        return SearchPage(results, page, pages, total)

    async def counts_by_status(self, statuses: Iterable[str]) -> dict[str, int]:
        """Sent cases at each of these states (the states of the services staff handle)."""
        rows = await self.session.execute(
            select(Application.status, func.count())
            .where(Application.force_id == self.force_id, Application.status != "draft")
            .group_by(Application.status)
        )
        found = {status: int(count) for status, count in rows.all()}
        return {status: found.get(status, 0) for status in statuses}

    async def counts_by_week(
        self, weeks: int = 8, today: date | None = None
    ) -> list[tuple[date, int]]:
        """Applications sent in each of the last few weeks (Monday to Sunday), oldest first."""
        today = today or uk_local(utcnow()).date()
        first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
        sent = await self.session.scalars(
            select(Application.submitted_at).where(
                Application.force_id == self.force_id,
                Application.status != "draft",
                Application.submitted_at >= _start_of(first),
            )
        )
        counts = {first + timedelta(weeks=n): 0 for n in range(weeks)}
        for moment in sent:
            if moment is None:
                continue
            day = uk_local(moment).date()  # the week as the force counts it, in UK time
            monday = day - timedelta(days=day.weekday())
            if monday in counts:
                counts[monday] += 1
        return sorted(counts.items())


def squash_postcode(postcode: str) -> str:
    return "".join(postcode.split()).upper()[:10]


async def record_origin(
    session: AsyncSession, application_id: int, staff_id: int, received_on: date | None
) -> None:
    session.add(
        ApplicationOrigin(
            application_id=application_id, created_by_staff_id=staff_id, received_on=received_on
        )
    )


async def origin_of(session: AsyncSession, application_id: int) -> ApplicationOrigin | None:
    """Who keyed in this application, if staff did (the declaration hook, the PDF copy)."""
    return await session.get(ApplicationOrigin, application_id)


async def mark_taken_by_phone(session: AsyncSession, application_id: int) -> None:
    """Staff sent a caller's own online draft, the declaration read to them by phone."""
    await session.execute(
        update(Application)
        .where(Application.id == application_id, Application.channel == "online")
        .values(channel="assisted")
        .execution_options(synchronize_session=False)
    )


async def latest_help(session: AsyncSession, application_id: int) -> StaffHelp | None:
    """For the applicant's task list: when staff last helped with this draft."""
    return await session.scalar(
        select(StaffHelp)
        .where(StaffHelp.application_id == application_id)
        .order_by(StaffHelp.at.desc(), StaffHelp.id.desc())
        .limit(1)
    )
