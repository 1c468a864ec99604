"""What an upload question accepts: a photo of the person, a scan of a document, or a PDF.

Each kind checks a new file's bytes and gives back what to store, or refuses it with a GOV.UK
message. The file's own contents decide what it is (an image is decoded, a PDF parsed), never
its name or the type the browser claims. Images are re-encoded, which drops EXIF (location,
device) and anything hidden after the image data.

The imaging and PDF libraries are imported when a file is checked, not when a service is
defined: most requests never see an upload.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from webapp.i18n import gettext

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

MEGABYTE = 1024 * 1024
# What a photo needs and no more: a 26-megapixel camera (6240 x 4160) fits, phones save 12 MP.
# Larger images are refused from their header, before any pixel is decoded, which bounds the
# memory and time one upload can take (a 7000 x 7000 PNG of 143 KB would need 150 MB).
MAX_PIXELS = 26_000_000

logging.getLogger("pypdf").setLevel(logging.ERROR)


class UploadRejected(ValueError):
    """A GOV.UK-style message for the person who chose the file."""


@dataclass(frozen=True)
class Accepted:
    """A checked file, ready to store: its (re-encoded) bytes and their media type."""

    data: bytes
    content_type: str


@dataclass(frozen=True)
class Acceptance:
    """One kind of file an upload question accepts. Subclasses implement ``_clean``."""

    max_bytes: int = 10 * MEGABYTE
    # The media types the file chooser offers (the input's ``accept`` attribute).
    media_types: ClassVar[tuple[str, ...]] = ()
    # The PDF copy and the case page show the image of an accepted photo.
    is_photo: ClassVar[bool] = False

    def clean(self, data: bytes) -> Accepted:
        """The file to store, or ``UploadRejected``. Never any other exception."""
        if not data:
            raise UploadRejected(gettext("The selected file is empty"))
        if len(data) > self.max_bytes:
            raise UploadRejected(self.too_big())
        return self._clean(data)

    def _clean(self, data: bytes) -> Accepted:
        raise NotImplementedError

    def too_big(self) -> str:
        return gettext(
            "The selected file must be smaller than %(size)sMB", size=self.max_bytes // MEGABYTE
        )

    def received(self) -> str:
        """What the paper copy of a draft says in place of the file."""
        return gettext("File uploaded")


def _decoded(data: bytes, wrong_type: str, too_big: str) -> tuple[PILImage, str]:
    """The image in ``data`` (JPEG or PNG only) decoded, the right way up, and its format."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format or ""
            if kind not in ("JPEG", "PNG"):
                raise UploadRejected(wrong_type)
            if probe.width * probe.height > MAX_PIXELS:
                raise UploadRejected(too_big)
            probe.verify()  # checks the structure without decoding every pixel
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return ImageOps.exif_transpose(image), kind  # keep the photo the right way up
    except UploadRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise UploadRejected(wrong_type) from None


def _encoded(image: PILImage, kind: str) -> Accepted:
    out = io.BytesIO()
    if kind == "PNG":
        image.save(out, format="PNG", optimize=True)
        return Accepted(out.getvalue(), "image/png")
    image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    return Accepted(out.getvalue(), "image/jpeg")


@dataclass(frozen=True)
class Photo(Acceptance):
    """A photo of the person (JPEG or PNG), stored as a JPEG no larger than a passport photo
    needs: smaller files make pages and PDFs lighter."""

    longest_side: int = 1200
    media_types: ClassVar[tuple[str, ...]] = ("image/jpeg", "image/png")
    is_photo: ClassVar[bool] = True

    def _clean(self, data: bytes) -> Accepted:
        wrong_type = gettext("The selected file must be a JPG or PNG")
        image, _kind = _decoded(data, wrong_type, self.too_big())
        try:
            image.thumbnail((self.longest_side, self.longest_side))
            return _encoded(image, "JPEG")
        except (OSError, ValueError):
            raise UploadRejected(wrong_type) from None

    def received(self) -> str:
        return gettext("Photo uploaded")


def _checked_pdf(data: bytes, wrong_type: str, max_pages: int) -> Accepted:
    """``data`` if it is a PDF that opens, has pages and no password."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(b"%PDF-"):
        raise UploadRejected(wrong_type)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UploadRejected(gettext("The selected PDF must not be password protected"))
        pages = len(reader.pages)
    except UploadRejected:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise UploadRejected(wrong_type) from None
    if pages < 1:
        raise UploadRejected(wrong_type)
    if pages > max_pages:
        raise UploadRejected(
            gettext("The selected PDF must have %(pages)s pages or fewer", pages=max_pages)
        )
    return Accepted(data, "application/pdf")


@dataclass(frozen=True)
class DocumentScan(Acceptance):
    """A scan or photo of a document: a JPEG or PNG (re-encoded, large enough to read a
    signature on an A4 page) or a PDF (kept as sent, once it opens)."""

    longest_side: int = 2500
    max_pages: int = 40
    media_types: ClassVar[tuple[str, ...]] = ("image/jpeg", "image/png", "application/pdf")

    def _clean(self, data: bytes) -> Accepted:
        wrong_type = gettext("The selected file must be a JPG, PNG or PDF")
        if data.startswith(b"%PDF-"):
            return _checked_pdf(data, wrong_type, self.max_pages)
        image, kind = _decoded(data, wrong_type, self.too_big())
        try:
            image.thumbnail((self.longest_side, self.longest_side))
            return _encoded(image, kind)
        except (OSError, ValueError):
            raise UploadRejected(wrong_type) from None


@dataclass(frozen=True)
class PdfDocument(Acceptance):
    """A PDF (a letter, a certificate sent as a file), kept as sent once it opens."""

    max_pages: int = 40
    media_types: ClassVar[tuple[str, ...]] = ("application/pdf",)

    def _clean(self, data: bytes) -> Accepted:
        return _checked_pdf(data, gettext("The selected file must be a PDF"), self.max_pages)
