"""The platform names no service: words of the firearms service ("firearm", "shotgun",
"licensing", and their Welsh) live only in webapp/services/, a service's own templates, the
message catalogues and data files. A second service then needs no edit to the platform."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from webapp.settings import PROJECT_ROOT

# English, and Welsh with its mutations: dryll/drylliau (ddryll), gwn (ngwn), trwydded and
# trwyddedu (drwydded, nhrwydded, thrwydded all contain "rwydded").
SERVICE_WORDS = re.compile(r"firearm|shotgun|licensing|dryll|\bn?gwn\b|rwydded", re.IGNORECASE)

SCANNED = ("webapp", "templates")
NOT_PLATFORM = (
    "webapp/services",  # the services themselves
    "webapp/i18n",  # catalogues: every service's strings, translated
    "webapp/data",  # data files
    "webapp/store/alembic/versions",  # migrations record history as it was
    "templates/services",  # a service's own templates, when it needs its own look
)
TEXT_SUFFIXES = {".py", ".html", ".txt", ".css", ".js", ".md", ".mako", ".json", ".csv", ".toml"}

# What may remain, as (file: occurrences). The list may only shrink: a file over its count fails,
# and so does an entry no longer needed, so each one is removed as soon as it is cleared.
ALLOWED: dict[str, int] = {
    # The Force table's column is still called licensing_address; code and templates use the
    # attribute Force.postal_address. Renaming the column needs a migration of its own.
    "webapp/store/models.py": 1,
}


def _hits(path: Path) -> list[str]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        found += [f"line {number}: {match.group(0)!r}" for match in SERVICE_WORDS.finditer(line)]
    return found


def platform_files() -> list[Path]:
    files = []
    for top in SCANNED:
        for path in sorted((PROJECT_ROOT / top).rglob("*")):
            relative = path.relative_to(PROJECT_ROOT).as_posix()
            if not path.is_file() or path.suffix not in TEXT_SUFFIXES or "__pycache__" in relative:
                continue
            if any(relative == part or relative.startswith(part + "/") for part in NOT_PLATFORM):
                continue
            files.append(path)
    return files


def platform_hits() -> dict[str, list[str]]:
    hits = {}
    for path in platform_files():
        found = _hits(path)
        if found:
            hits[path.relative_to(PROJECT_ROOT).as_posix()] = found
    return hits


def test_platform_code_and_templates_name_no_service() -> None:
    offenders = {
        path: found for path, found in platform_hits().items() if len(found) > ALLOWED.get(path, 0)
    }
    assert not offenders, (
        "Service words in platform files (move them into the service):\n"
        + "\n".join(f"  {path}: {', '.join(found)}" for path, found in offenders.items())
    )


def test_the_allow_list_only_shrinks() -> None:
    hits = platform_hits()
    stale = {path: (count, len(hits.get(path, []))) for path, count in ALLOWED.items()}
    stale = {path: counts for path, counts in stale.items() if counts[1] < counts[0]}
    assert not stale, "Lower these allowances, they are no longer needed (allowed, found): " + str(
        stale
    )


def test_the_scan_covers_platform_code_and_templates() -> None:
    scanned = {path.relative_to(PROJECT_ROOT).as_posix() for path in platform_files()}
    assert {"webapp/fees.py", "webapp/pdf/render.py", "templates/errors/not_found.html"} <= scanned
    assert not any(path.startswith("webapp/services/") for path in scanned)


def test_the_scan_finds_the_words_where_they_belong() -> None:
    # The service file is full of them: a scan that found nothing there would find nothing anywhere.
    assert len(_hits(PROJECT_ROOT / "webapp/services/firearm_certificate/__init__.py")) > 10


@pytest.mark.parametrize(
    "text",
    [
        "Firearms Licensing Unit",
        "a shotgun certificate",
        "tystysgrif dryll",
        "drylliau",
        "eich gwn",
        "trwydded",
        "y drwydded",
        "fy nhrwydded",
    ],
)
def test_the_pattern_catches_english_and_welsh(text: str) -> None:
    assert SERVICE_WORDS.search(text)


@pytest.mark.parametrize("text", ["gwneud cais", "the team that deals with your application"])
def test_the_pattern_leaves_ordinary_words(text: str) -> None:
    assert not SERVICE_WORDS.search(text)
