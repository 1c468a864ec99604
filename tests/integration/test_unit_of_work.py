"""A request's work commits once, in its unit of work: a failure half-way leaves nothing
half-written (on SQLite and PostgreSQL: `database_url` runs each test on both)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from tests.conftest import make_settings
from tests.support.databases import run_sql
from tests.support.firearms import COMPLETE
from tests.support.forms import post_form
from tests.support.paying import declare_and_pay, return_path_of
from tests.support.resume import Outbox, draft_row, in_thread, reference_of, set_draft, unique_email
from tests.support.staff import unique_ip
from webapp.app import create_app
from webapp.store import drafts, outbox
from webapp.store import resume as resume_store
from webapp.store.db import create_app_engine, session_factory, unit_of_work
from webapp.store.references import new_reference

BASE = "/apply/firearm-certificate"


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    app = create_app(make_settings(database_url))
    app.state.mailer = Outbox()
    with TestClient(app, raise_server_exceptions=False, client=(unique_ip(), 1)) as test_client:
        yield test_client


def _outbox_for(database_url: str, application_id: int) -> list[tuple[object, ...]]:
    return run_sql(
        database_url, "SELECT template FROM outbox WHERE application_id = :id", id=application_id
    )


class Boom(RuntimeError):
    """A failure half-way through a unit of work."""


def test_a_submission_that_fails_half_way_writes_nothing(
    client: TestClient, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The submit handler marks the draft sent and queues its confirmation email, then forgets
    the draft's resume links: if that last step fails, the draft is still a draft and no email
    is queued; sending again then works, once."""
    post_form(client, BASE, {}, action=f"{BASE}/start")
    post_form(client, f"{BASE}/force", {"postcode": "LS1 1UR"})
    reference = reference_of(client)
    set_draft(
        database_url,
        reference,
        answers={
            key: value
            for key, value in {**COMPLETE, "email": unique_email()}.items()
            if value is not None
        },
    )
    before = draft_row(database_url, reference)

    async def fail(*_args: object, **_kwargs: object) -> None:
        raise Boom("after the submission and its email were written")

    monkeypatch.setattr(resume_store, "forget_draft", fail)
    # The case is sent when its payment has succeeded: coming back from paying fails half way.
    response = declare_and_pay(client, BASE)
    assert response.status_code == 500
    after = draft_row(database_url, reference)
    assert (after.status, after.version, after.submitted_at) == ("draft", before.version, None)
    assert _outbox_for(database_url, before.id) == []

    monkeypatch.undo()
    [(pay_id,)] = run_sql(
        database_url, "SELECT pay_id FROM payment WHERE application_id = :id", id=before.id
    )
    response = client.get(return_path_of(str(pay_id)), follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    assert draft_row(database_url, reference).status == "submitted"
    assert _outbox_for(database_url, before.id) == [(outbox.CONFIRMATION,)]


def test_saved_answers_and_a_queued_email_roll_back_together(database_url: str) -> None:
    address = unique_email()

    async def scenario() -> int:
        engine = create_app_engine(database_url)
        sessions = session_factory(engine)
        try:
            async with unit_of_work(sessions) as session:
                draft = await drafts.create_draft(session, service="firearm-certificate")
            with pytest.raises(Boom):
                async with unit_of_work(sessions) as session:
                    await drafts.save_answers(
                        session,
                        draft.id,
                        expected_version=draft.version,
                        answers={"surname": "Halfway"},
                    )
                    outbox.enqueue(
                        session, template="resume_link", to=address, application_id=draft.id
                    )
                    await session.flush()  # both rows are in the database's transaction now
                    raise Boom("before the unit of work commits")
            return draft.id
        finally:
            await engine.dispose()

    application_id = in_thread(asyncio.run, scenario())
    assert run_sql(
        database_url, "SELECT version, answers FROM application WHERE id = :id", id=application_id
    ) in ([(1, {})], [(1, "{}")])
    assert run_sql(database_url, "SELECT id FROM outbox WHERE to_address = :to", to=address) == []


def test_a_reference_collision_undoes_only_its_own_insert(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """create_draft finds a taken reference before inserting: the unit of work's other rows
    are undisturbed and commit with the new draft."""
    address = unique_email()

    async def scenario() -> tuple[str, str]:
        engine = create_app_engine(database_url)
        sessions = session_factory(engine)
        try:
            async with unit_of_work(sessions) as session:
                taken = await drafts.create_draft(session, service="firearm-certificate")
            fresh = iter([taken.reference, new_reference()])
            monkeypatch.setattr(drafts, "new_reference", lambda: next(fresh))
            async with unit_of_work(sessions) as session:
                outbox.enqueue(session, template="resume_link", to=address, application_id=taken.id)
                second = await drafts.create_draft(session, service="firearm-certificate")
            return taken.reference, second.reference
        finally:
            await engine.dispose()

    taken, second = in_thread(asyncio.run, scenario())
    assert second != taken
    assert draft_row(database_url, second).status == "draft"
    assert (
        len(run_sql(database_url, "SELECT id FROM outbox WHERE to_address = :to", to=address)) == 1
    )


def test_a_draft_created_first_in_a_failed_unit_of_work_is_not_written(database_url: str) -> None:
    """create_draft may be the first write of the unit of work: a later failure must undo it."""

    async def scenario() -> str:
        engine = create_app_engine(database_url)
        sessions = session_factory(engine)
        try:
            with pytest.raises(Boom):
                async with unit_of_work(sessions) as session:
                    draft = await drafts.create_draft(session, service="firearm-certificate")
                    raise Boom("after the draft, before the commit")
            return draft.reference
        finally:
            await engine.dispose()

    reference = in_thread(asyncio.run, scenario())
    assert (
        run_sql(database_url, "SELECT id FROM application WHERE reference = :ref", ref=reference)
        == []
    )


def test_a_unit_of_work_that_reads_first_can_still_write_after_another_commits(
    database_url: str,
) -> None:
    """Work that reads and then writes, while another unit of work commits in between, must not be
    refused: on SQLite a transaction begun at the read would hold a stale snapshot, and its write
    would fail at once ("database is locked"), so the driver begins only at the first write."""

    async def scenario() -> int:
        engine = create_app_engine(database_url)
        sessions = session_factory(engine)
        try:
            async with unit_of_work(sessions) as session:
                first = await drafts.create_draft(session, service="firearm-certificate")
            async with unit_of_work(sessions) as reader:
                read_first = await drafts.get_application(reader, first.id)
                assert read_first is not None
                async with unit_of_work(sessions) as other:  # another request commits meanwhile
                    await drafts.create_draft(other, service="firearm-certificate")
                await drafts.save_answers(
                    reader,
                    first.id,
                    expected_version=read_first.version,
                    answers={"gender": "female"},
                )
            return first.id
        finally:
            await engine.dispose()

    application_id = in_thread(asyncio.run, scenario())
    rows = run_sql(
        database_url, "SELECT version FROM application WHERE id = :id", id=application_id
    )
    assert rows == [(2,)]
