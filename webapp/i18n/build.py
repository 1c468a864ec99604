"""Message catalogues: `python -m webapp.i18n.build` compiles them; `--extract` refreshes them
from the code and templates (run it after adding or changing user-facing text)."""

from __future__ import annotations

import argparse
import subprocess
import sys

from webapp.i18n import CATALOGUE_DIR, DOMAIN, SUPPORTED_LOCALES
from webapp.settings import PROJECT_ROOT

TEMPLATE = CATALOGUE_DIR / f"{DOMAIN}.pot"


def _pybabel(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", *args],
        check=True,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
    )


def extract() -> None:
    _pybabel(
        "extract",
        "--mapping-file",
        "babel.cfg",
        "--no-location",
        "--sort-output",
        "--omit-header",
        "--output-file",
        str(TEMPLATE),
        "webapp",
        "templates",
    )
    for locale in SUPPORTED_LOCALES:
        catalogue = CATALOGUE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        command = "update" if catalogue.exists() else "init"
        _pybabel(
            command,
            "--input-file",
            str(TEMPLATE),
            "--output-dir",
            str(CATALOGUE_DIR),
            "--locale",
            locale,
            "--domain",
            DOMAIN,
            *(["--no-fuzzy-matching"] if command == "update" else []),
        )


def compile_all() -> None:
    _pybabel("compile", "--directory", str(CATALOGUE_DIR), "--domain", DOMAIN, "--use-fuzzy")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m webapp.i18n.build")
    parser.add_argument(
        "--extract", action="store_true", help="refresh the catalogues from the source first"
    )
    if parser.parse_args().extract:
        extract()
    compile_all()


if __name__ == "__main__":
    main()
