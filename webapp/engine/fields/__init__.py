"""Field types: one class per kind of answer. See ``base`` for what every field can do.

A new field type is one module here, exported below: nothing outside this package tests a
field's class (tests/unit/test_field_types_own_behaviour.py keeps it so).
"""

from .accepts import Acceptance, Accepted, DocumentScan, PdfDocument, Photo, UploadRejected
from .address import Address
from .base import (
    KNOWN_MACROS,
    PAPER_LINES,
    Field,
    FieldError,
    Label,
    Parsed,
    Raw,
    clean_text,
    current_facts,
    facts_key,
    run_time_facts,
)
from .choice import NO, YES, Checkboxes, Option, Radios, YesNo, params_with_reveals
from .date_time import DateTime, format_date_time, format_time
from .dates import Date, format_date, parse_month, years_before
from .file import Enclosure, FileUpload
from .runtime_choice import OptionsReader, RuntimeRadios
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
    "Acceptance",
    "Accepted",
    "Address",
    "Checkboxes",
    "Date",
    "DateTime",
    "DocumentScan",
    "Email",
    "Enclosure",
    "Field",
    "FieldError",
    "FileUpload",
    "Label",
    "Name",
    "Number",
    "Option",
    "OptionsReader",
    "Parsed",
    "PdfDocument",
    "Phone",
    "Photo",
    "Postcode",
    "Radios",
    "Raw",
    "RuntimeRadios",
    "Text",
    "TextArea",
    "UploadRejected",
    "YesNo",
    "clean_text",
    "current_facts",
    "facts_key",
    "format_date",
    "format_date_time",
    "format_time",
    "normalise_postcode",
    "normalise_uk_phone",
    "params_with_reveals",
    "parse_month",
    "run_time_facts",
    "years_before",
]
