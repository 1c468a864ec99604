"""The PDF copy of an application staff took for the applicant says how it was taken: the
channel, who took it, when, and how the declaration was made (by phone, or signed on paper)."""

from __future__ import annotations

import copy
import io
from datetime import UTC, date, datetime

from pypdf import PdfReader

from tests.support.firearms import COMPLETE
from webapp.pdf import ApplicationData, ForceData, TakenBy, render_application_pdf
from webapp.services.firearm_certificate import SERVICE

SENT = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
STARTED = datetime(2026, 6, 1, 9, 5, tzinfo=UTC)  # 10:05 in London (summer time)
FORCE = ForceData("West Yorkshire Police")


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "") for page in reader.pages).split())


def _copy(channel: str, taken: TakenBy | None, **changes: object) -> str:
    answers = {**copy.deepcopy(COMPLETE), **changes}
    application = ApplicationData("ABCD-EFGH", answers, SENT, 20200, "Fee", channel)
    return _text(render_application_pdf(SERVICE, application, FORCE, None, taken))


def test_phone_copy_states_channel_staff_time_and_declaration_by_phone() -> None:
    answers = {k: v for k, v in COMPLETE.items() if k != "photo"}
    answers.update(email="", photo_route="post")
    application = ApplicationData("ABCD-EFGH", answers, SENT, 20200, "Fee", "assisted")
    text = _text(
        render_application_pdf(SERVICE, application, FORCE, None, TakenBy("Casey Worker", STARTED))
    )
    assert "By phone, with police staff (assisted digital)" in text
    assert "Taken by Casey Worker, West Yorkshire Police" in text
    assert "Started 1 June 2026 at 10:05" in text
    assert "The applicant confirmed this declaration by phone to Casey Worker" in text
    # Relaxed for the phone: no email (shown as not provided) and photos to follow by post.
    assert "Photos to follow by post" in text
    assert "Email address Not provided" in text


def test_paper_copy_says_the_declaration_was_signed_on_paper() -> None:
    text = _copy("paper", TakenBy("Pat Keyer", STARTED, date(2026, 5, 28)))
    assert "On a paper form, keyed in by police staff" in text
    assert "Keyed in by Pat Keyer" in text
    assert "Paper form received 28 May 2026" in text
    assert "The applicant signed this declaration on the paper form." in text
    assert "keyed in by Pat Keyer" in text
    assert "confirmed this declaration by phone" not in text


def test_online_copy_says_nothing_about_staff() -> None:
    text = _copy("online", None)
    assert "The applicant confirmed:" in text
    assert "How it was made" not in text and "with police staff" not in text
