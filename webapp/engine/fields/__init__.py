"""Field types: one class per kind of answer. See ``base`` for what every field can do."""

from .address import Address
from .base import KNOWN_MACROS, PAPER_LINES, Field, FieldError, Label, Parsed, Raw, clean_text
from .choice import NO, YES, Checkboxes, Option, Radios, YesNo, params_with_reveals
from .dates import Date, format_date, parse_month, years_before
from .file import Enclosure, FileUpload
from .text import (
    Email,
    Name,
    Number,
    Phone,
    Postcode,
    Text,
    TextArea,
    normalise_postcode,
    normalise_uk_phone,
)

__all__ = [
    "KNOWN_MACROS",
    "NO",
    "PAPER_LINES",
    "YES",
    "Address",
    "Checkboxes",
    "Date",
    "Email",
    "Enclosure",
    "Field",
    "FieldError",
    "FileUpload",
    "Label",
    "Name",
    "Number",
    "Option",
    "Parsed",
    "Phone",
    "Postcode",
    "Radios",
    "Raw",
    "Text",
    "TextArea",
    "YesNo",
    "clean_text",
    "format_date",
    "normalise_postcode",
    "normalise_uk_phone",
    "params_with_reveals",
    "parse_month",
    "years_before",
]
