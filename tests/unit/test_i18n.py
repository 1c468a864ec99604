"""Every user-facing string goes through gettext, so Welsh is a translation, not a rewrite."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from webapp.i18n import CATALOGUE_DIR, DOMAIN
from webapp.settings import PROJECT_ROOT
from webapp.templating import create_environment

TEMPLATES = PROJECT_ROOT / "templates"
_TAG = re.compile(r"<[^>]+>", re.DOTALL)
# Markup that carries no words a person reads.
_NOT_TEXT = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)


def _untranslated_text(source: str) -> list[str]:
    # Jinja's own lexer tells template data (what is sent as written) from code.
    environment = create_environment()
    text = " ".join(value for _, kind, value in environment.lex(source) if kind == "data")
    text = _NOT_TEXT.sub(" ", text)
    text = _TAG.sub(" ", text)
    return [
        chunk.strip() for chunk in re.split(r"\s{2,}|\n", text) if re.search(r"[A-Za-z]{2,}", chunk)
    ]


def test_templates_have_no_bare_text() -> None:
    offenders = {}
    for path in TEMPLATES.rglob("*.html"):
        # The back office is for force staff and is in English; the Welsh Language Standards
        # apply to what the public sees.
        if "staff" in path.relative_to(TEMPLATES).parts:
            continue
        found = _untranslated_text(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(PROJECT_ROOT))] = found[:3]
    assert offenders == {}, "wrap these in _() so they can be translated"


def _msgids(path: Path) -> set[str]:
    with path.open("rb") as handle:
        return {
            message.id if isinstance(message.id, str) else message.id[0]
            for message in read_po(handle)
            if message.id
        }


def _extract(folder: Path) -> Path:
    """The strings the extractor finds now (with where it found them), as the build runs it."""
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
    return extracted


def test_english_catalogue_is_up_to_date(tmp_path: Path) -> None:
    extracted = _extract(tmp_path)
    catalogue = CATALOGUE_DIR / "en" / "LC_MESSAGES" / f"{DOMAIN}.po"
    missing = _msgids(extracted) - _msgids(catalogue)
    assert not missing, (
        f"{len(missing)} new strings are not in the catalogue: run "
        f"`python -m webapp.i18n.build --extract` (first: {sorted(missing)[:3]})"
    )


def test_the_extractor_reads_every_template_with_strings(tmp_path: Path) -> None:
    """Babel skips a template it cannot parse without a word (one using a Jinja extension that
    babel.cfg does not list, say), and its strings then never reach a translator."""
    with _extract(tmp_path).open("rb") as handle:
        found_in = {location for message in read_po(handle) for location, _ in message.locations}
    skipped = [
        str(path.relative_to(PROJECT_ROOT))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"\b_\(|\{%-?\s*trans\b", path.read_text(encoding="utf-8"))
        and str(path.relative_to(PROJECT_ROOT)) not in found_in
    ]
    assert not skipped, f"no strings extracted from {skipped}: check babel.cfg's extensions"
