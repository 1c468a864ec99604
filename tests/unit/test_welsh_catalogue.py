"""The Welsh catalogue: every translation keeps the English message's placeholders and markup,
and no message the public can see lacks Welsh.

Every message the extractor finds in Python, page, PDF and email templates is checked, except
those used only by the back office (staff pages stay English). A new service, page or string
with no Welsh fails here with no new test. Words written in JavaScript are not extracted: the
timeout warning takes its words from its template instead.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from webapp.i18n import CATALOGUE_DIR, DOMAIN
from webapp.settings import PROJECT_ROOT

WELSH = CATALOGUE_DIR / "cy" / "LC_MESSAGES" / f"{DOMAIN}.po"

# Used only by the back office, which stays in English (the Welsh Language Standards concern
# the public's pages, letters and emails).
STAFF_ONLY = ("webapp/web/staff/", "templates/staff/", "templates/email/sign_in_attempts.txt")

# %(name)s, GOV.UK Frontend's %{count}, and a literal %% (a per cent sign).
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%\{\w+\}|%%")
_TAG = re.compile(r"</?(\w+)")


def _welsh() -> dict[str, str]:
    with WELSH.open("rb") as handle:
        return {
            str(message.id): str(message.string)
            for message in read_po(handle, locale="cy")
            if message.id and isinstance(message.id, str)
        }


def test_every_welsh_message_keeps_the_english_placeholders_and_markup() -> None:
    wrong = {
        english: welsh
        for english, welsh in _welsh().items()
        if welsh
        and (
            sorted(_PLACEHOLDER.findall(english)) != sorted(_PLACEHOLDER.findall(welsh))
            # Links and emphasis must survive translation; a Welsh <span lang="en"> may be added.
            or sorted(tag for tag in _TAG.findall(english))
            != sorted(tag for tag in _TAG.findall(welsh) if tag != "span")
        )
    }
    assert wrong == {}


def test_the_placeholder_check_catches_a_dropped_name() -> None:
    """The check above can fail: a translation that loses its placeholder is found."""
    english, welsh = "Contact %(force)s", "Cysylltu â’r heddlu"
    assert sorted(_PLACEHOLDER.findall(english)) != sorted(_PLACEHOLDER.findall(welsh))


def _messages_by_source(folder: Path) -> dict[str, set[str]]:
    """Each message the extractor finds now, with the files it is used in."""
    extracted = folder / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "--mapping-file",
            "babel.cfg",
            "--output-file",
            str(extracted),
            "webapp",
            "templates",
        ],
        check=True,
        cwd=PROJECT_ROOT,
        capture_output=True,
    )
    with extracted.open("rb") as handle:
        return {
            str(message.id): {location for location, _line in message.locations}
            for message in read_po(handle)
            if message.id and isinstance(message.id, str)
        }


def _covered(path: str) -> bool:
    return not path.startswith(STAFF_ONLY)


def test_no_public_message_lacks_welsh(tmp_path: Path) -> None:
    welsh = _welsh()
    missing = sorted(
        (sorted(path for path in paths if _covered(path))[0], english)
        for english, paths in _messages_by_source(tmp_path).items()
        if any(_covered(path) for path in paths) and not welsh.get(english)
    )
    assert missing == [], f"{len(missing)} messages have no Welsh (first: {missing[:5]})"


_GETTEXT_IN_FSTRING = re.compile(r"""\bf(["']).*?\{\s*(?:gettext|ngettext|lazy_gettext|_l|_)\(""")


def test_no_message_hides_inside_an_f_string() -> None:
    """The extractor cannot see a gettext call inside an f-string: such a message would never
    reach the catalogue, and this file's other tests could not notice it lacks Welsh."""
    hidden = [
        f"{path.relative_to(PROJECT_ROOT)}:{number}"
        for path in (PROJECT_ROOT / "webapp").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _GETTEXT_IN_FSTRING.search(line)
    ]
    assert hidden == []


def test_the_f_string_check_finds_one() -> None:
    assert _GETTEXT_IN_FSTRING.search("""names = f"{a} {gettext('and')} {b}\"""")
