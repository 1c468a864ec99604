"""Every field of every page of every service posted with hostile values: a clear error or a
safely stored value, never a 500, nothing echoed unescaped, and what was typed shown back as
typed.

Each service is first applied for up to check answers (tests/support/service_walk.py), so that
the pages its answers open can be visited; after each accepted post those answers are put back,
so that one hostile answer does not close the pages after it."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.support.forms import csrf_from
from tests.support.hostile import SCRIPT, Draft, form_fields, typed_shown
from tests.support.service_walk import every_page_url, walk_service
from webapp.engine.schema import Service
from webapp.services import SERVICES

HOSTILE = [
    "",
    "   \t  ",
    "x" * 10_000,
    "😀🔫 naïve ☃ \u202e\u0000\u0007\u001b[31m",
    SCRIPT + '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE application; --",
    "31",
    "-1e308",
]
IDS = ["empty", "blank", "long", "unicode", "html", "sql", "day", "number"]
# Values no field changes when it keeps what was typed (no control characters, nothing to trim,
# short enough for every input's limit); each must come back exactly. Date boxes keep 20
# characters, so only the short ones are looked for there.
KEPT_AS_TYPED = {"html", "sql", "day", "number"}
DATE_BOX_LIMIT = 20


@pytest.mark.parametrize("service", SERVICES.values(), ids=lambda service: service.slug)
def test_every_field_survives_hostile_input(
    client: TestClient, database_url: str, service: Service
) -> None:
    """One walk per service; then each hostile value on every page in turn."""
    walk = walk_service(client, service, until="check")
    draft = Draft(database_url, service)
    # Every page of the service, and each item page the walk reached (the second referee).
    urls = list(dict.fromkeys([*walk.question_urls, *every_page_url(service)]))
    token = csrf_from(walk.last.html)  # one per session: good for every form
    for label, value in zip(IDS, HOSTILE, strict=True):
        posted, kept = _post_everywhere(
            client, draft, urls, token, value, check_kept=label in KEPT_AS_TYPED
        )
        assert set(walk.question_urls) <= posted, (
            f"{label}: every page the walk answered got hostile input"
        )
        if label in KEPT_AS_TYPED:
            assert kept, f"{label}: no typed value was looked for"
    draft.close()


def _post_everywhere(
    client: TestClient, draft: Draft, urls: list[str], token: str, value: str, *, check_kept: bool
) -> tuple[set[str], int]:
    """Post ``value`` in every field of each page; the pages posted to as shown, and how many
    fields were seen to keep what was typed."""
    posted, kept = set(), 0
    for url in urls:
        page = client.get(url, follow_redirects=False)
        assert page.status_code in (200, 303), (url, page.status_code)
        # A page these answers do not open redirects; a post to it must still never fail.
        fields = form_fields(page.text) if page.status_code == 200 else {}
        form: dict[str, str] = dict.fromkeys(fields, value)
        form["unexpected_extra_field"] = value
        form["csrf_token"] = token
        response = client.post(url, data=form, follow_redirects=False)
        assert response.status_code in (200, 303), (url, value[:40], response.status_code)
        assert SCRIPT not in response.text, url
        if page.status_code == 200:
            posted.add(url)
        shown = ""
        if response.status_code == 200:
            assert "<title>Error: " in response.text, url
            shown = response.text
        else:
            if check_kept and fields:
                again = client.get(url, follow_redirects=False)  # the page as reopened
                shown = again.text if again.status_code == 200 else ""
            draft.restore()  # keep every page reachable
        if not (check_kept and shown):
            continue
        for name, field_kind in fields.items():
            if field_kind in ("radio", "checkbox", "file", "hidden") or (
                field_kind == "date" and len(value) > DATE_BOX_LIMIT
            ):
                continue
            assert typed_shown(shown, name, field_kind, value), (url, name, value)
            kept += 1
    return posted, kept


@pytest.mark.parametrize("service", SERVICES.values(), ids=lambda service: service.slug)
def test_wrong_types_in_a_multipart_post(client: TestClient, service: Service) -> None:
    """A file where text or choices are expected, on every page: never a 500; an error page
    when the answer is refused, or the 'could not understand that request' page when the post
    itself is (more files than the form parser takes)."""
    walk = walk_service(client, service, until="check")
    draft = Draft(str(client.app.state.settings.database_url), service)  # type: ignore[attr-defined]
    refused = 0
    for url in walk.question_urls:
        page = client.get(url)
        files = dict.fromkeys(
            form_fields(page.text), ("a.txt", b"\x00\xff" * 100, "application/octet-stream")
        )
        response = client.post(
            url, data={"csrf_token": csrf_from(page.text)}, files=files, follow_redirects=False
        )
        assert response.status_code in (200, 303, 400), url
        if response.status_code == 400:
            assert "could not understand that request" in response.text, url
        elif response.status_code == 200:
            assert "<title>Error: " in response.text, url
            refused += 1
        else:
            draft.restore()
    draft.close()
    assert refused, "a file is no answer to any question"
