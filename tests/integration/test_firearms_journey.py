"""The whole firearms application over HTTP, as a browser without JavaScript drives it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from tests.support.firearms import BASE, form_for, step_of
from tests.support.forms import png_bytes, post_form
from tests.support.paying import pay

TASK_LINK = re.compile(r'class="govuk-link govuk-task-list__link" href="([^"]+)"')


def path_of(response) -> str:  # type: ignore[no-untyped-def]
    return urlsplit(response.headers["location"]).path + (
        "?" + urlsplit(response.headers["location"]).query
        if urlsplit(response.headers["location"]).query
        else ""
    )


def start_application(client: TestClient, postcode: str = "LS1 1UR") -> None:
    response = post_form(client, BASE, {}, action=f"{BASE}/start")
    assert response.status_code == 303 and path_of(response) == f"{BASE}/force"
    response = post_form(client, f"{BASE}/force", {"postcode": postcode})
    assert response.status_code == 303 and path_of(response) == f"{BASE}/tasks"


def answer_page(client: TestClient, url: str, answers: dict | None = None):  # type: ignore[no-untyped-def]
    step = step_of(url)
    files = None
    form = dict(form_for(step, answers) if answers is not None else form_for(step))
    if "photo" in form:
        form.pop("photo")
        files = {"photo": ("me.png", png_bytes(), "image/png")}
    response = post_form(client, url, form, files=files)
    assert response.status_code == 303, (
        url,
        re.findall(r'govuk-error-message">\s*<span[^>]*>[^<]*</span>([^<]*)', response.text),
    )
    return path_of(response)


def complete_every_task(client: TestClient, answers: dict | None = None) -> int:  # type: ignore[type-arg]
    """Follow the task list like a person: open the first unfinished task, answer each page
    (with ``answers``, stored answers like COMPLETE, when given)."""
    pages = 0
    for _ in range(40):
        tasks = client.get(f"{BASE}/tasks").text
        links = [link for link in TASK_LINK.findall(tasks) if not link.endswith("/check")]
        todo = next(
            (link for link in links if f'href="{link}"' in tasks and _not_completed(tasks, link)),
            None,
        )
        if todo is None:
            return pages
        url = todo
        while urlsplit(url).path != f"{BASE}/tasks":
            url = answer_page(client, url, answers)
            pages += 1
    raise AssertionError("task list never completed")


def _not_completed(tasks_html: str, link: str) -> bool:
    after = tasks_html.split(f'href="{link}"', 1)[1]
    status = after.split("govuk-task-list__status", 1)[1][:200]
    return "Completed" not in status


def test_apply_from_start_to_confirmation(client: TestClient) -> None:
    start_application(client)
    assert complete_every_task(client) > 55
    check = client.get(f"{BASE}/check")
    assert check.status_code == 200
    assert "Check your answers before sending your application" in check.text
    assert "Jones" in check.text and "LS1 1UR" in check.text
    assert "£202" in check.text  # FAC grant + SGC renewal, coterminous

    response = post_form(client, f"{BASE}/declaration", {"confirm": "yes"})
    assert response.status_code == 303 and path_of(response) == f"{BASE}/payment"
    payment = client.get(f"{BASE}/payment").text
    assert "Pay for your application" in payment and "£202" in payment
    response = pay(client, BASE)
    assert response.status_code == 303 and path_of(response) == f"{BASE}/confirmation"
    confirmation = client.get(f"{BASE}/confirmation").text
    reference = re.search(r"<strong>([A-Z2-9]{4}-[A-Z2-9]{4})</strong>", confirmation)
    assert reference, "confirmation shows a reference"
    assert "West Yorkshire Police" in confirmation

    # The back button on a submitted application: a clear page, never a resubmission.
    back = client.get(f"{BASE}/declaration", follow_redirects=True)
    assert "You have already sent your application" in back.text
    back = client.get(f"{BASE}/name", follow_redirects=True)
    assert "You have already sent your application" in back.text


def test_errors_keep_what_was_typed_and_link_to_the_field(client: TestClient) -> None:
    start_application(client)
    response = post_form(client, f"{BASE}/certificates", {})
    assert response.status_code == 200
    assert "<title>Error: " in response.text
    assert 'class="govuk-error-summary"' in response.text
    first_task = TASK_LINK.findall(client.get(f"{BASE}/tasks").text)[0]
    assert first_task.endswith("/certificates")


def test_date_kept_exactly_as_typed_on_error(client: TestClient) -> None:
    start_application(client)
    # Jumping ahead by URL before earlier pages are answered goes to the first unanswered page.
    response = client.get(f"{BASE}/date_of_birth", follow_redirects=False)
    assert response.status_code == 303
    assert path_of(response).startswith(f"{BASE}/")


def test_a_later_page_cannot_be_reached_by_url(client: TestClient) -> None:
    start_application(client)
    response = client.get(f"{BASE}/referees_add_another", follow_redirects=False)
    assert response.status_code == 303
    assert "referees" not in path_of(response)


def test_unknown_page_and_service_are_404(client: TestClient) -> None:
    start_application(client)
    assert client.get(f"{BASE}/no_such_page").status_code == 404
    assert client.get("/apply/no-such-service").status_code == 404


def test_postcode_on_a_border_asks_which_force(client: TestClient) -> None:
    post_form(client, BASE, {}, action=f"{BASE}/start")
    response = post_form(client, f"{BASE}/force", {"postcode": "sy10 7aa"})
    assert response.status_code == 303
    assert path_of(response) == f"{BASE}/force/choose"
    choose = client.get(f"{BASE}/force/choose").text
    assert choose.count('name="force"') >= 2
    response = post_form(client, f"{BASE}/force/choose", {})
    assert response.status_code == 200 and "Select the police force" in response.text


@pytest.mark.parametrize(
    "postcode", ["", "   ", "not a postcode", "<script>alert(1)</script>", "x" * 10_000]
)
def test_bad_postcodes_get_an_error(client: TestClient, postcode: str) -> None:
    post_form(client, BASE, {}, action=f"{BASE}/start")
    response = post_form(client, f"{BASE}/force", {"postcode": postcode})
    assert response.status_code == 200
    assert "<title>Error: " in response.text
    assert "<script>alert(1)</script>" not in response.text


def test_scottish_postcode_is_outside(client: TestClient) -> None:
    post_form(client, BASE, {}, action=f"{BASE}/start")
    response = post_form(client, f"{BASE}/force", {"postcode": "EH1 1YZ"})
    assert path_of(response) == f"{BASE}/force/outside"


def test_postcode_on_the_scottish_border_can_say_scotland(client: TestClient) -> None:
    post_form(client, BASE, {}, action=f"{BASE}/start")
    response = post_form(client, f"{BASE}/force", {"postcode": "TD15 1AA"})
    assert path_of(response) == f"{BASE}/force/choose"
    assert "I live in Scotland" in client.get(f"{BASE}/force/choose").text
    response = post_form(client, f"{BASE}/force/choose", {"force": "outside"})
    assert path_of(response) == f"{BASE}/force/outside"
