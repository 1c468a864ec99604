"""The paper form and a draft as a person who prefers paper gets them: clear print, room to
write, nothing that only works online, and pages that still make sense once apart.

Read back per page with poppler (text) and pypdf (the size every run of text is drawn at).
"""

from __future__ import annotations

import io
import math
import re
import subprocess
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from tests.unit.test_pdf import FORCE, full_answers, save_page_one
from webapp.engine.fields import (
    PAPER_LINES,
    Address,
    Date,
    Enclosure,
    Field,
    FileUpload,
    Number,
    Option,
    Radios,
    Text,
    TextArea,
)
from webapp.engine.schema import Question
from webapp.pdf import render_blank_form_pdf, render_draft_pdf
from webapp.pdf.layout import PageBlock, Slot, form_layout, walk_slots
from webapp.services.firearm_certificate import SERVICE
from webapp.settings import PROJECT_ROOT

TODAY = date(2026, 6, 1)
CONTACT = "https://apply.example.org/contact"
UPLOADED_AS = "holiday-in-malaga-2019.jpg"


def pages_of(pdf: bytes) -> list[str]:
    """Each page's text in content order, whitespace collapsed."""
    count = len(PdfReader(io.BytesIO(pdf)).pages)
    out = []
    for number in range(1, count + 1):
        text = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", "-f", str(number), "-l", str(number), "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        out.append(" ".join(text.split()))
    return out


def text_sizes(pdf: bytes) -> dict[float, list[str]]:
    """Every size (pt) text is drawn at, with a few of the runs drawn at it."""
    sizes: dict[float, list[str]] = {}

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if text.strip():
            scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
            sizes.setdefault(round(size * scale, 1), []).append(text.strip())

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def draft_answers() -> dict[str, Any]:
    answers = full_answers()
    answers.pop("referees", None)  # a part not reached yet
    answers["home_phone"] = ""  # an optional question skipped
    answers["photo"] = {
        "id": "f1",
        "filename": UPLOADED_AS,
        "content_type": "image/jpeg",
        "size": 2048,
    }
    return answers


@pytest.fixture(scope="module")
def blank() -> bytes:
    pdf = render_blank_form_pdf(SERVICE, None, today=TODAY, contact_url=CONTACT)
    save_page_one(pdf, "pdf-paper-form")
    return pdf


@pytest.fixture(scope="module")
def draft() -> bytes:
    return render_draft_pdf(SERVICE, draft_answers(), FORCE, reference="ABCD-EFGH", today=TODAY)


@pytest.mark.parametrize("kind", ["blank", "draft"])
def test_no_text_is_smaller_than_12pt(kind: str, blank: bytes, draft: bytes) -> None:
    """Clear print: body text, hints, option labels, headers and footers all at 12 pt or more."""
    sizes = text_sizes({"blank": blank, "draft": draft}[kind])
    small = {size: runs[:3] for size, runs in sizes.items() if size < 12}
    assert not small, small
    assert 12.0 in sizes


@pytest.mark.parametrize("kind", ["blank", "draft"])
def test_every_page_has_a_name_line_and_its_page_number(
    kind: str, blank: bytes, draft: bytes
) -> None:
    """Pages of a posted form come apart: each says whose it is and where it goes."""
    pages = pages_of({"blank": blank, "draft": draft}[kind])
    assert len(pages) > 10
    for number, text in enumerate(pages, start=1):
        assert re.search(r"Name: ?_{10,}", text), number
        assert f"Page {number} of {len(pages)}" in text, number


def test_writing_boxes_are_tall_enough_to_write_in() -> None:
    css = (PROJECT_ROOT / "templates" / "pdf" / "form.css").read_text()
    rules = dict(re.findall(r"^([^{}\n/]+?)\s*\{([^}]*)\}", css, flags=re.M))
    assert "min-height: 10mm" in rules[".box"]
    assert "height: 10mm" in rules[".ruled"]
    assert "break-inside: avoid" in rules[".question"]
    assert "font-size: 12pt" in rules["html"]


def test_multi_line_answers_get_several_lines() -> None:
    slots = list(walk_slots(form_layout(SERVICE)))
    long_answers = [
        slot
        for slot in slots
        if isinstance(SERVICE.questions[slot.question_id].question.field, TextArea)
    ]
    assert long_answers
    assert all(slot.kind == "lines" and slot.rows >= 4 for slot in long_answers), [
        (slot.number, slot.rows) for slot in long_answers if slot.rows < 4
    ]


def _follows_in_order(text: str, words: list[str], start: int) -> bool:
    at = start
    for word in words:
        at = text.find(word, at)
        if at < 0:
            return False
        at += len(word)
    return True


def test_a_question_is_never_split_from_its_options(blank: bytes) -> None:
    """On the page where a question is asked, all its options follow it, on that same page."""
    pages = pages_of(blank)
    asked: list[Slot] = [slot for slot in walk_slots(form_layout(SERVICE)) if slot.choices]
    assert len(asked) > 20
    for slot in asked:
        heading = " ".join(f"{slot.number} {slot.label}".split())
        found = [
            (page, text.find(heading)) for page, text in enumerate(pages, 1) if heading in text
        ]
        assert found, heading
        options = [" ".join(choice.label.split()) for choice in slot.choices]
        for page, at in found:
            assert _follows_in_order(pages[page - 1], options, at), (heading, page)


def test_a_page_title_is_never_left_apart_from_its_first_question(blank: bytes) -> None:
    """'What are your phone numbers? Give at least one number.' at the foot of one page and the
    phone questions on the next would be a heading with nothing under it."""
    pages = pages_of(blank)
    titled = [
        block
        for section in form_layout(SERVICE)
        for block in section.blocks
        if isinstance(block, PageBlock) and block.title and block.slots
    ]
    assert titled
    for block in titled:
        first = block.slots[0]
        words = [block.title, " ".join(f"{first.number} {first.label}".split())]
        assert any(_follows_in_order(text, words, 0) for text in pages), block.title


def test_photos_are_enclosed_not_uploaded(blank: bytes) -> None:
    text = " ".join(pages_of(blank))
    assert "upload" not in text.lower()
    assert "9.1 Your photos" in text
    assert "Enclose 4 identical photos of yourself with this form." in text
    assert "Sign your name on the back of one of the photos." in text


def test_without_a_force_it_says_how_to_find_where_to_send_it(blank: bytes) -> None:
    text = " ".join(pages_of(blank))
    assert "Send it to the police force for the area where you live." in text
    assert CONTACT in text.replace("/ ", "/")  # a long address may wrap after a slash


def test_with_a_force_it_gives_the_postal_address() -> None:
    text = " ".join(pages_of(render_blank_form_pdf(SERVICE, FORCE, today=TODAY)))
    assert "Post the completed form to: West Yorkshire Police Firearms Licensing PO Box 9" in text
    assert "area where you live" not in text


def test_draft_leaves_unanswered_boxes_empty_and_names_no_file(draft: bytes) -> None:
    save_page_one(draft, "pdf-paper-draft")
    text = " ".join(pages_of(draft))
    assert "Not provided" not in text
    assert UPLOADED_AS not in text and "malaga" not in text.lower()
    assert "9.1 Your photos Photo uploaded" in text
    # The skipped optional question's box is empty: the next question follows its label.
    assert "Home phone number (optional) 2.10" in text
    assert "Jones" in text  # answers given are filled in


# --- the field types' paper rendering ---------------------------------------------------------


def test_an_upload_on_paper_is_an_enclosure_and_never_shows_its_file_name() -> None:
    photos = Enclosure("Your photos", ("Enclose 2 photos.", "Sign one on the back."))
    question = Question("photo", "Upload a photo", FileUpload(paper=photos))
    field = question.field
    assert field.paper_label(question) == "Your photos"
    assert field.paper_widget() == {
        "kind": "enclose",
        "instructions": ["Enclose 2 photos.", "Sign one on the back."],
        "hide_hint": True,
    }
    record = {"id": "a1", "filename": "me at the beach.png", "content_type": "image/png", "size": 9}
    assert field.paper_display(question, record, TODAY) == ["Photo uploaded"]
    assert field.paper_display(question, None, TODAY) == []
    plain = Question("scan", "Upload a scan", FileUpload())
    assert plain.field.paper_label(plain) == "Upload a scan"
    assert plain.field.paper_widget()["instructions"]  # still says what to do on paper


def test_an_unanswered_question_prints_nothing_on_paper() -> None:
    text = Question("nickname", "Nickname", Text(), optional=True)
    assert text.field.paper_display(text, "", TODAY) == []
    assert text.field.paper_display(text, "Bob", TODAY) == ["Bob"]
    assert text.field.paper_widget() == {"kind": "line", "width": 100}


def test_each_field_type_says_how_it_looks_on_paper() -> None:
    """The layout asks the field type; a type with no paper rendering of its own still gets
    several ruled lines to write in."""
    assert Field().paper_widget() == {"kind": "lines", "rows": PAPER_LINES}
    assert TextArea(max_length=300).paper_widget() == {"kind": "lines", "rows": PAPER_LINES}
    assert Date(day=False).paper_widget() == {
        "kind": "date",
        "parts": ["Month", "Year"],
        "wide": ["Year"],
    }
    assert Address().paper_widget()["parts"][-1] == "Postcode"
    assert Number(unit="cm").paper_widget() == {"kind": "line", "width": 25, "unit": "cm"}
    yes_no = Radios(options=(Option("yes", "Yes"), Option("no", "No")))
    assert yes_no.paper_widget() == {
        "kind": "choices",
        "multiple": False,
        "inline": True,
        "columns": False,
    }
