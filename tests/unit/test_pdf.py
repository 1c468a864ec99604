"""The PDFs themselves: rendered with WeasyPrint, read back with pypdf and poppler.

Text is read with poppler's pdftotext: WeasyPrint switches to its own two-byte font encoding
when a page uses many glyphs (RTL text, emoji), which PDF readers decode but pypdf 7.1 turns
into NUL-interleaved text. pypdf reads the structure: tags, metadata, fonts, images.
Page 1 of each kind is saved as a PNG under test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import copy
import functools
import io
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.support.firearms import COMPLETE
from tests.support.forms import png_bytes
from webapp import engine
from webapp.engine.schema import Service
from webapp.pdf import (
    ApplicationData,
    ForceData,
    render_application_pdf,
    render_blank_form_pdf,
    render_draft_pdf,
)
from webapp.pdf.layout import is_add_another, question_numbers, staff_only
from webapp.services import SERVICES
from webapp.services.firearm_certificate import SERVICE

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SENT = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
FORCE = ForceData(
    "West Yorkshire Police",
    None,
    "Firearms Licensing\nPO Box 9\nWakefield\nWF1 3QP",
    "101",
    "firearms@example.org",
)


def full_answers() -> dict[str, Any]:
    """COMPLETE plus every kind of repeating group and revealed answer the form has."""
    answers = copy.deepcopy(COMPLETE)
    answers.update(
        {
            "employment": "employed",
            "occupation": "Gamekeeper",
            "work_address": {
                "line1": "Estate Office",
                "line2": "",
                "town": "Otley",
                "county": "",
                "postcode": "LS21 1AA",
            },
            "work_phone": "01943 460000",
            "work_email": "",
            "conditions": ["depression"],
            "health_depression_details": "Treated in 2015, no recurrence",
            "has_convictions": "yes",
            "convictions": [
                {
                    "offence": "Speeding",
                    "conviction_date": {"day": "4", "month": "5", "year": "2019"},
                    "court": "Leeds Magistrates",
                    "sentence": "Fine of £100",
                }
            ],
            "convictions_add_another": "no",
            "has_shotguns": "yes",
            "shotguns": [
                {
                    "shotgun_make": "Beretta",
                    "shotgun_gauge": "12",
                    "shotgun_serial": "BX991",
                    "shotgun_barrels": "2",
                    "shotgun_action": "over_and_under",
                }
            ],
            "shotguns_add_another": "no",
        }
    )
    return answers


def sent(answers: dict[str, Any]) -> ApplicationData:
    return ApplicationData("ABCD-EFGH", answers, SENT, 20200, "Firearm certificate (new)")


def text_of(pdf: bytes, first: int | None = None, last: int | None = None) -> str:
    """The text in reading order (content order, -raw), whitespace collapsed."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", *pages, "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return " ".join(out.split())


def flat(text: str) -> str:
    return " ".join(text.split())


def save_page_one(pdf: bytes, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(ARTIFACTS / f"{name}.pdf"),
                str(ARTIFACTS / f"{name}-page-1"),
            ],
            check=True,
        )


@pytest.fixture(scope="module")
def application_pdf() -> bytes:
    pdf = render_application_pdf(SERVICE, sent(full_answers()), FORCE, png_bytes(700, 900))
    save_page_one(pdf, "pdf-application")
    return pdf


@functools.cache
def blank_form(service: Service) -> bytes:
    """A service's blank form, rendered once per run."""
    return render_blank_form_pdf(service, FORCE, today=date(2026, 6, 1))


@pytest.fixture(scope="module")
def blank_pdf() -> bytes:
    pdf = blank_form(SERVICE)
    save_page_one(pdf, "pdf-blank-form")
    return pdf


def test_full_answers_are_a_complete_application() -> None:
    assert engine.first_unanswered(SERVICE, full_answers(), today=SENT.date()) is None


def test_every_answer_appears_in_its_part(application_pdf: bytes) -> None:
    text = text_of(application_pdf)
    summary = engine.check_answers(SERVICE, full_answers(), SENT.date())
    numbers = question_numbers(SERVICE)
    parts = {section.id: str(n) for n, section in enumerate(SERVICE.sections, start=1)}
    # Where each part starts in the text: "3. Your health".
    starts = []
    for section in summary:
        heading = f"{parts[section.section_id]}. {flat(section.title)}"
        assert heading in text, heading
        starts.append(text.index(heading))
    assert starts == sorted(starts), "parts are in the order of the form"
    ends = [*starts[1:], text.index("Declaration", starts[-1])]
    checked = 0
    for section, start, end in zip(summary, starts, ends, strict=True):
        part = text[start:end]
        for card in section.cards:
            for row in card.rows:
                if row.question_id == "photo":
                    continue  # the photo itself is shown, not its file name
                assert numbers[row.question_id] in part, (section.title, row.question_id)
                for line in row.lines:
                    assert flat(line) in part, (section.title, row.key, line)
                checked += 1
    assert checked > 60


def test_application_pdf_has_header_footer_and_dates(application_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(application_pdf))
    first = text_of(application_pdf, 1, 1)
    assert "Apply for a firearm or shotgun certificate" in first
    assert "West Yorkshire Police" in first
    assert f"Page 1 of {len(reader.pages)}" in first
    assert "Reference ABCD-EFGH" in first and "Sent 1 June 2026" in first
    last = text_of(application_pdf, len(reader.pages), len(reader.pages))
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last
    assert "Reference ABCD-EFGH" in last


def test_empty_optional_answers_read_not_provided(application_pdf: bytes) -> None:
    text = text_of(application_pdf)
    assert re.search(r"Home phone number Not provided", text)


def test_photo_is_embedded(application_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(application_pdf))
    # WeasyPrint shares one resource dictionary between pages: count distinct images.
    images = {image.name: image for page in reader.pages for image in page.images}
    assert len(images) == 1
    (image,) = images.values()
    assert image.image is not None and image.image.size[0] <= 600  # scaled down, not the upload


@pytest.mark.parametrize("kind", ["application", "blank", "draft"])
def test_pdfs_are_tagged_with_title_and_language(
    kind: str, application_pdf: bytes, blank_pdf: bytes
) -> None:
    pdf = {
        "application": application_pdf,
        "blank": blank_pdf,
        "draft": render_draft_pdf(SERVICE, {"surname": "Jones"}, None),
    }[kind]
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert str(root["/MarkInfo"]["/Marked"]).lower() == "true"
    assert root["/Lang"] == "en"
    assert reader.metadata and reader.metadata.title and "firearm" in reader.metadata.title
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("Liberation-Sans" in name for name in fonts), fonts  # embedded subsets


@pytest.mark.parametrize("service", SERVICES.values(), ids=lambda service: service.slug)
def test_blank_form_has_every_question(service: Service) -> None:
    """Every service: a new question without a place on the form fails here."""
    text = text_of(blank_form(service))
    numbers = question_numbers(service)
    for question in service.all_questions():
        if is_add_another(service, question.id) or staff_only(service, question.id):
            continue
        label = question.field.paper_label(question)  # an upload is asked for as an enclosure
        assert f"{numbers[question.id]} {flat(label)}" in text, question.id


def test_blank_form_has_address_fees_and_continuation_sheet(blank_pdf: bytes) -> None:
    text = text_of(blank_pdf)
    assert "PO Box 9 Wakefield WF1 3QP" in text
    assert "Firearm certificate (new) £198" in text
    assert "Continuation sheet" in text
    assert "If you need to give more, use the continuation sheet" in text
    without_force = text_of(render_blank_form_pdf(SERVICE, None))
    assert "police force for the area where you live" in without_force


def test_draft_fills_answers_and_leaves_the_rest_blank() -> None:
    answers = {k: v for k, v in full_answers().items() if k not in ("referees", "photo")}
    pdf = render_draft_pdf(SERVICE, answers, FORCE, reference="ABCD-EFGH")
    save_page_one(pdf, "pdf-draft")
    text = text_of(pdf)
    assert "This is a draft. It has not been sent." in text
    assert "Jones" in text and "Gamekeeper" in text and "BX991" in text
    assert "8.1.1 Full name" in text  # referees not answered yet: still on the form, blank
    assert "Bob Lee" not in text


BAD = {
    "storage_location": ("A long answer. " * 700)[:10_000],
    "forenames": "مريم فاطمة",
    "place_of_birth": "🏴 Caerdydd 😀👍🏽 <b>bold</b>",
    "firearm_where": "<script>alert('x')</script> </style> @page { size: A0 } \") }",
    "occupation": "W" * 3000,
    "nationality": "עברית and English mixed",
}


def words_past_the_right_margin(pdf: bytes, tmp_path: Path) -> list[str]:
    """Words whose box ends beyond the printable area, from poppler's word boxes."""
    source = tmp_path / "bad.pdf"
    source.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(source), "-"], capture_output=True, text=True, check=True
    ).stdout
    limit = 595.3 - 16 * 72 / 25.4 + 1  # A4 width minus the right margin, 1pt of slack
    return [
        word
        for x_max, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', html)
        if float(x_max) > limit
    ]


def test_hostile_answers_render_as_text_inside_the_page(tmp_path: Path) -> None:
    answers = full_answers()
    answers.update({k: v for k, v in BAD.items() if k != "firearm_where"})
    answers["firearms"][0]["firearm_where"] = BAD["firearm_where"]
    for name, pdf in [
        ("application", render_application_pdf(SERVICE, sent(answers), FORCE, b"not an image")),
        ("draft", render_draft_pdf(SERVICE, answers, FORCE)),
    ]:
        text = text_of(pdf)
        assert "<script>alert('x')</script>" in text, name  # shown as typed, never markup
        assert "<b>bold</b>" in text, name
        assert "size: A0" in text, name
        assert "مريم" in text, name  # right-to-left text kept, in its logical order
        assert words_past_the_right_margin(pdf, tmp_path) == [], name
        reader = PdfReader(io.BytesIO(pdf))
        assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # still A4
        assert not [
            image for page in reader.pages for image in page.images
        ]  # broken photo left out


def test_css_strings_cannot_escape() -> None:
    from webapp.pdf.render import css_string

    escaped = str(css_string('a"b\\c</style>{}'))
    assert escaped.startswith('"') and escaped.endswith('"')
    assert not set(escaped[1:-1]) & set('"<>{};')
