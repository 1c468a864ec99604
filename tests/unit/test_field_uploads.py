"""What an upload question accepts, checked against real files and spoofed ones: the contents
decide what a file is, never its name or the type a browser claims."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfWriter

from webapp.engine.fields import (
    Accepted,
    DocumentScan,
    FieldError,
    FileUpload,
    PdfDocument,
    Photo,
    UploadRejected,
)
from webapp.engine.schema import Question

WRONG_PHOTO = "The selected file must be a JPG or PNG"
WRONG_SCAN = "The selected file must be a JPG, PNG or PDF"
WRONG_PDF = "The selected file must be a PDF"


def jpeg_bytes(width: int = 300, height: int = 400, *, gps: bool = False) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), (120, 140, 160))
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "PhoneMaker"  # camera make
        exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_bytes(width: int = 300, height: int = 400) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 160)).save(out, format="PNG")
    return out.getvalue()


def pdf_bytes(pages: int = 1, *, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    return out.getvalue()


SPOOFED = {
    "png magic then junk": b"\x89PNG\r\n\x1a\n" + b"not really an image" * 10,
    "jpeg magic then junk": b"\xff\xd8\xff\xe0" + b"\x00" * 100,
    "pdf header then junk": b"%PDF-1.7\nnothing here\n%%EOF",
    "html": b"<html><script>alert(1)</script></html>",
    "gif": gif_bytes(),
    "truncated jpeg": jpeg_bytes()[:200],
}


def rejection(kind: Photo | DocumentScan | PdfDocument, data: bytes) -> str:
    with pytest.raises(UploadRejected) as caught:
        kind.clean(data)
    return str(caught.value)


# -- a photo: today's check, unchanged ----------------------------------------------------------


def test_photo_accepts_jpeg_and_png_and_stores_a_small_jpeg() -> None:
    for data in (jpeg_bytes(3000, 4000), png_bytes()):
        clean = Photo().clean(data)
        assert clean.content_type == "image/jpeg"
        with Image.open(io.BytesIO(clean.data)) as image:
            assert image.format == "JPEG" and max(image.size) <= 1200


def test_photo_drops_location_and_device_metadata() -> None:
    original = jpeg_bytes(gps=True)
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif()  # the test file really carries EXIF
    with Image.open(io.BytesIO(Photo().clean(original).data)) as image:
        assert not image.getexif()


@pytest.mark.parametrize("name", sorted(SPOOFED))
def test_photo_refuses_anything_that_is_not_really_an_image(name: str) -> None:
    assert rejection(Photo(), SPOOFED[name]) == WRONG_PHOTO


def test_photo_refuses_a_real_pdf_empty_and_too_big_files() -> None:
    assert rejection(Photo(), pdf_bytes()) == WRONG_PHOTO
    assert rejection(Photo(), b"") == "The selected file is empty"
    big = Photo().max_bytes + 1
    assert rejection(Photo(), b"\xff" * big) == "The selected file must be smaller than 10MB"


def test_photo_refuses_a_decompression_bomb_by_its_size_in_pixels() -> None:
    out = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(out, format="PNG")  # 60 megapixels, a few KB
    assert rejection(Photo(), out.getvalue()) == "The selected file must be smaller than 10MB"


# -- a document scan ----------------------------------------------------------------------------


def test_scan_accepts_jpeg_png_and_pdf_by_their_contents() -> None:
    assert DocumentScan().clean(jpeg_bytes()).content_type == "image/jpeg"
    assert DocumentScan().clean(png_bytes()).content_type == "image/png"
    pdf = pdf_bytes(3)
    assert DocumentScan().clean(pdf) == Accepted(pdf, "application/pdf")


@pytest.mark.parametrize("name", sorted(SPOOFED))
def test_scan_refuses_spoofed_files(name: str) -> None:
    assert rejection(DocumentScan(), SPOOFED[name]) == WRONG_SCAN


def test_scan_limits() -> None:
    assert rejection(DocumentScan(), b"") == "The selected file is empty"
    assert (
        rejection(DocumentScan(max_bytes=2 * 1024 * 1024), b"%PDF-" + b"0" * (3 * 1024 * 1024))
        == "The selected file must be smaller than 2MB"
    )
    assert rejection(DocumentScan(max_pages=2), pdf_bytes(3)) == (
        "The selected PDF must have 2 pages or fewer"
    )
    assert rejection(DocumentScan(), pdf_bytes(password="secret")) == (
        "The selected PDF must not be password protected"
    )


# -- a PDF --------------------------------------------------------------------------------------


def test_pdf_accepts_only_a_real_pdf() -> None:
    pdf = pdf_bytes()
    assert PdfDocument().clean(pdf) == Accepted(pdf, "application/pdf")
    assert rejection(PdfDocument(), jpeg_bytes()) == WRONG_PDF
    assert rejection(PdfDocument(), png_bytes()) == WRONG_PDF
    assert rejection(PdfDocument(), SPOOFED["pdf header then junk"]) == WRONG_PDF
    assert rejection(PdfDocument(), b"") == "The selected file is empty"


# -- on the field -------------------------------------------------------------------------------


def test_the_field_says_what_it_accepts_and_reports_a_refusal_on_its_question() -> None:
    question = Question("scan", "Upload a scan of your certificate", FileUpload(DocumentScan()))
    field = question.field
    assert field.is_upload and not field.is_photo
    params = field.macro_params(question, None, (), heading=True)
    assert params["attributes"] == {"accept": "image/jpeg,image/png,application/pdf"}
    refused = field.clean_upload(question, SPOOFED["html"])
    assert refused == FieldError(WRONG_SCAN, "scan", "scan")
    assert isinstance(field.clean_upload(question, pdf_bytes()), Accepted)
    record = {"id": "1", "filename": "", "content_type": "application/pdf", "size": 9}
    assert field.display(question, record, None) == ["File uploaded"]  # type: ignore[arg-type]


def test_a_photo_question_is_a_photo_as_before() -> None:
    question = Question("photo", "Upload a photo of yourself", FileUpload())
    field = question.field
    assert field.is_upload and field.is_photo
    assert field.macro_params(question, None, (), heading=True)["attributes"] == {
        "accept": "image/jpeg,image/png"
    }
    assert field.clean_upload(question, gif_bytes()) == FieldError(WRONG_PHOTO, "photo", "photo")
    record = {"id": "1", "filename": "", "content_type": "image/jpeg", "size": 9}
    assert field.paper_display(question, record, None) == ["Photo uploaded"]  # type: ignore[arg-type]
