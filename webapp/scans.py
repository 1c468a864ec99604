"""Checking the scan of a signed paper form: a PDF (by its magic bytes, then parsed with pypdf)
or an image (decoded and re-encoded, like the photo, which drops anything hidden in it)."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

MAX_SCAN_BYTES = 10 * 1024 * 1024
MAX_PAGES = 40
MAX_PIXELS = 36_000_000  # an A4 page scanned at 600 dots an inch is about 35 megapixels
# Big enough to read a signature on an A4 page.
LONGEST_SIDE = 2500
WRONG_TYPE = "The selected file must be a PDF, JPG or PNG"

logging.getLogger("pypdf").setLevel(logging.ERROR)


class ScanError(ValueError):
    """A GOV.UK-style message for the member of staff who attached the file."""


@dataclass(frozen=True)
class CleanScan:
    data: bytes
    content_type: str


def _check_pdf(raw: bytes) -> CleanScan:
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            raise ScanError("The selected PDF must not be password protected")
        pages = len(reader.pages)
    except ScanError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise ScanError(WRONG_TYPE) from None
    if pages < 1:
        raise ScanError(WRONG_TYPE)
    if pages > MAX_PAGES:
        raise ScanError(f"The selected PDF must have {MAX_PAGES} pages or fewer")
    return CleanScan(raw, "application/pdf")


def _clean_image(raw: bytes) -> CleanScan:
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind = probe.format
            if kind not in ("JPEG", "PNG") or probe.width * probe.height > MAX_PIXELS:
                raise ScanError(WRONG_TYPE)
            probe.verify()
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
            out = io.BytesIO()
            if kind == "PNG":
                upright.save(out, format="PNG", optimize=True)
                return CleanScan(out.getvalue(), "image/png")
            upright.convert("RGB").save(out, format="JPEG", quality=85)
            return CleanScan(out.getvalue(), "image/jpeg")
    except ScanError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ScanError(WRONG_TYPE) from None


def clean_scan(raw: bytes) -> CleanScan:
    if not raw:
        raise ScanError("The selected file is empty")
    if len(raw) > MAX_SCAN_BYTES:
        raise ScanError("The selected file must be smaller than 10MB")
    if raw.startswith(b"%PDF-"):
        return _check_pdf(raw)
    return _clean_image(raw)
