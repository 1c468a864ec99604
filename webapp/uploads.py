"""Checking uploaded images: decoded, not trusted by extension or declared type; re-encoded,
which drops EXIF (location, device) and anything hidden after the image data."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from webapp.i18n import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Large enough for any phone camera; caps the memory a decompression bomb could take.
MAX_PIXELS = 50_000_000
# A passport-style photo needs no more than this; smaller files make PDFs and pages lighter.
LONGEST_SIDE = 1200
ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


class UploadError(ValueError):
    """A GOV.UK-style message for the person who uploaded the file."""


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    width: int
    height: int


def clean_photo(raw: bytes) -> CleanImage:
    if not raw:
        raise UploadError(_("The selected file is empty"))
    if len(raw) > MAX_UPLOAD_BYTES:
        raise UploadError(_("The selected file must be smaller than 10MB"))
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind = probe.format
            if kind not in ACCEPTED_FORMATS:
                raise UploadError(_("The selected file must be a JPG or PNG"))
            if probe.width * probe.height > MAX_PIXELS:
                raise UploadError(_("The selected file must be smaller than 10MB"))
            probe.verify()  # checks the structure without decoding every pixel
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the photo the right way up
            image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
            image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except UploadError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise UploadError(_("The selected file must be a JPG or PNG")) from None
    return CleanImage(out.getvalue(), "image/jpeg", image.width, image.height)
