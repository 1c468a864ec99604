#!/usr/bin/env python3
"""Build Blue Lamp's front-end assets into static/dist/.

Usage (from the project root, after `npm ci`):

    .venv/bin/python scripts/build_assets.py            # build (Sass skipped if up to date)
    .venv/bin/python scripts/build_assets.py --force    # always recompile the Sass

What it does:

* compiles assets/scss/application.scss with the npm `sass` package
  (`--pkg-importer=node --style=compressed --no-source-map`), and refuses CSS that
  would load GDS Transport or any web font;
* bundles assets/js/application.mjs with the npm `esbuild` package, so that only
  the GOV.UK Frontend components it imports are shipped (tree-shaken, minified);
* copies htmx, our other scripts and images;
* names every file after its content (`application.3f9a2c1b.css`), rewriting the
  relative imports between our ES modules to those names;
* writes precompressed `.gz` siblings (and `.br` when the `brotli` module is
  importable) for CSS, JavaScript and SVG;
* writes static/dist/manifest.json: logical name -> hashed file name, read by
  webapp/assets.py; and removes files left over from earlier builds.

Standard library only, apart from `node_modules/.bin/sass` and `esbuild` run as subprocesses.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

try:  # Optional: brotli is a dependency of the web app, but the build works without it.
    import brotli
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
NODE_MODULES = ROOT / "node_modules"
OUT_DIR = ROOT / "static" / "dist"
MANIFEST_NAME = "manifest.json"

SASS_ENTRY = ASSETS / "scss" / "application.scss"
SASS_ARGS = ["--pkg-importer=node", "--style=compressed", "--no-source-map"]

HASH_LENGTH = 8
COMPRESSIBLE = {".css", ".js", ".svg", ".json", ".webmanifest"}

# Logical name -> source, for files copied as they are (JavaScript is handled
# in this order, so a module may import any module listed before it).
VENDOR_JS = {
    # htmx's own minified build: smaller than esbuild makes it from the source.
    "htmx.js": NODE_MODULES / "htmx.org" / "dist" / "htmx.min.js",
}
OWN_JS = {
    "govuk-supported.js": ASSETS / "js" / "govuk-supported.js",
    "timeout-warning.js": ASSETS / "js" / "timeout-warning.mjs",
}
# Bundled with what it imports from npm packages; an import of one of OWN_JS stays an import
# of that (separately served) file.
BUNDLED_JS = {"application.js": ASSETS / "js" / "application.mjs"}
ESBUILD_ARGS = [
    "--bundle",
    "--minify",
    "--format=esm",
    "--target=es2020",
    "--legal-comments=none",
    "--log-level=warning",
    *(f"--external:./{logical}" for logical in OWN_JS),
]
IMAGES_DIR = ASSETS / "images"

# A hashed output name: stem, dot, 8 hex digits, extension(s).
HASHED_RE = re.compile(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})(?P<ext>\.[^.]+)$")

# `import ... from "./x.js"`, `export ... from './x.js'`, `import "./x.js"`, `import("./x.js")`
IMPORT_RE = re.compile(
    r"""(?P<lead>\bfrom\s*|\bimport\s*\(?\s*)(?P<q>["'])\./(?P<name>[A-Za-z0-9_.-]+)(?P=q)"""
)
SOURCE_MAP_RE = re.compile(rb"\n?//# sourceMappingURL=\S+\s*$")


class BuildError(Exception):
    """Raised with a message meant for the person running the build."""


@dataclass(frozen=True)
class Output:
    logical: str
    filename: str
    data: bytes


def content_hash(data: bytes) -> str:
    """The short content hash used in file names (first 8 hex digits of SHA-256)."""
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


def hashed_name(logical: str, data: bytes) -> str:
    """`application.css` + content -> `application.3f9a2c1b.css`."""
    stem, dot, ext = logical.rpartition(".")
    if not dot or not stem:
        raise ValueError(f"asset name needs an extension: {logical!r}")
    return f"{stem}.{content_hash(data)}.{ext}"


def rewrite_imports(source: str, manifest: dict[str, str], logical: str) -> str:
    """Point relative ES module imports at the hashed names in `manifest`."""

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in manifest:
            raise BuildError(
                f"{logical} imports './{name}', which is not an asset built before it "
                f"(known: {', '.join(sorted(manifest)) or 'none'})"
            )
        return f"{match['lead']}{match['q']}./{manifest[name]}{match['q']}"

    return IMPORT_RE.sub(replace, source)


def strip_comment_lines(source: str) -> str:
    """Drop whole-line `//` comments and blank lines from our own scripts.

    Deliberately simple (no minifier dependency): only lines whose first
    non-blank characters are `//` go, so code is never touched. Our scripts keep
    comments on lines of their own for this reason.
    """
    lines = [
        line for line in source.splitlines() if line.strip() and not line.lstrip().startswith("//")
    ]
    return "\n".join(lines) + "\n"


def strip_source_map(data: bytes) -> bytes:
    """Drop a trailing sourceMappingURL comment: we do not ship the maps."""
    return SOURCE_MAP_RE.sub(b"\n", data).rstrip(b"\n") + b"\n"


def check_css(css: bytes) -> None:
    text = css.decode("utf-8")
    problems = []
    if "GDS Transport" in text:
        problems.append("it names the GDS Transport font")
    if re.search(r"@font-face|\.woff2?\b", text):
        problems.append("it loads a web font")
    if re.search(r"govuk-crest|crown\.(svg|png)", text):
        problems.append("it refers to the Royal Arms crest or the crown")
    if problems:
        raise BuildError("application.css is not allowed: " + "; ".join(problems))


def sass_sources() -> list[Path]:
    files = list((ASSETS / "scss").rglob("*.scss"))
    files.append(NODE_MODULES / "govuk-frontend" / "package.json")
    return files


def compile_sass(previous: Path | None, force: bool) -> tuple[bytes, bool]:
    """Return (css, compiled?). Reuses `previous` when it is newer than every source."""
    if previous is not None and previous.is_file() and not force:
        newest_source = max(p.stat().st_mtime for p in sass_sources() if p.exists())
        if previous.stat().st_mtime >= newest_source:
            return previous.read_bytes(), False

    sass = NODE_MODULES / ".bin" / ("sass.cmd" if os.name == "nt" else "sass")
    if not sass.exists():
        raise BuildError(f"{sass.relative_to(ROOT)} is missing: run `npm ci` first")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "application.css"
        result = subprocess.run(
            [str(sass), *SASS_ARGS, str(SASS_ENTRY), str(out)],
            cwd=ROOT,
            check=False,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BuildError("Sass failed:\n" + (result.stderr or result.stdout))
        if result.stderr.strip():
            sys.stderr.write(result.stderr)
        return out.read_bytes(), True


def bundle_js(entry: Path) -> str:
    """`entry` and the npm modules it imports, as one minified ES module (esbuild)."""
    esbuild = NODE_MODULES / ".bin" / ("esbuild.cmd" if os.name == "nt" else "esbuild")
    if not esbuild.exists():
        raise BuildError(f"{esbuild.relative_to(ROOT)} is missing: run `npm ci` first")
    result = subprocess.run(
        [str(esbuild), str(entry), *ESBUILD_ARGS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BuildError(f"esbuild failed on {entry.relative_to(ROOT)}:\n{result.stderr}")
    return result.stdout


def read_source(path: Path) -> bytes:
    if not path.is_file():
        hint = " (run `npm ci` first)" if NODE_MODULES in path.parents else ""
        raise BuildError(f"missing {path.relative_to(ROOT)}{hint}")
    return path.read_bytes()


def collect(
    previous_manifest: dict[str, str], out_dir: Path, force: bool
) -> tuple[list[Output], bool]:
    outputs: list[Output] = []
    manifest: dict[str, str] = {}

    def add(logical: str, data: bytes) -> None:
        filename = hashed_name(logical, data)
        manifest[logical] = filename
        outputs.append(Output(logical, filename, data))

    previous_css = previous_manifest.get("application.css")
    css, compiled = compile_sass(out_dir / previous_css if previous_css else None, force)
    check_css(css)
    add("application.css", css)

    for logical, path in VENDOR_JS.items():
        add(logical, strip_source_map(read_source(path)))
    for logical, path in OWN_JS.items():
        source = strip_comment_lines(read_source(path).decode("utf-8"))
        add(logical, rewrite_imports(source, manifest, logical).encode("utf-8"))
    for logical, path in BUNDLED_JS.items():
        add(logical, rewrite_imports(bundle_js(path), manifest, logical).encode("utf-8"))

    for path in sorted(IMAGES_DIR.iterdir()) if IMAGES_DIR.is_dir() else []:
        if path.is_file() and not path.name.startswith("."):
            add(path.name, path.read_bytes())
    return outputs, compiled


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def compressed_variants(data: bytes) -> dict[str, bytes]:
    """`.gz` (and `.br`) versions of `data`, each only if it is smaller."""
    variants = {".gz": gzip.compress(data, compresslevel=9, mtime=0)}
    if brotli is not None:
        variants[".br"] = brotli.compress(data, quality=11)
    return {suffix: packed for suffix, packed in variants.items() if len(packed) < len(data)}


def write_outputs(outputs: list[Output], out_dir: Path) -> dict[str, dict[str, int]]:
    sizes: dict[str, dict[str, int]] = {}
    for output in outputs:
        target = out_dir / output.filename
        if not target.is_file() or target.read_bytes() != output.data:
            write_atomic(target, output.data)
        sizes[output.logical] = {"raw": len(output.data)}
        if Path(output.filename).suffix in COMPRESSIBLE:
            for suffix, packed in compressed_variants(output.data).items():
                sibling = out_dir / (output.filename + suffix)
                if not sibling.is_file() or sibling.read_bytes() != packed:
                    write_atomic(sibling, packed)
                sizes[output.logical][suffix[1:]] = len(packed)
    return sizes


def prune(out_dir: Path, keep: set[str]) -> list[str]:
    """Remove hashed files (and their compressed siblings) not in this build."""
    removed = []
    for path in out_dir.iterdir():
        base = path.name
        for suffix in (".gz", ".br"):
            base = base.removesuffix(suffix)
        if HASHED_RE.match(base) and base not in keep:
            path.unlink()
            removed.append(path.name)
    return removed


def load_manifest(out_dir: Path) -> dict[str, str]:
    try:
        return json.loads((out_dir / MANIFEST_NAME).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def build(out_dir: Path = OUT_DIR, force: bool = False, quiet: bool = False) -> dict[str, str]:
    """Build everything into `out_dir`; return the manifest."""
    started = time.monotonic()
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs, compiled = collect(load_manifest(out_dir), out_dir, force)
    sizes = write_outputs(outputs, out_dir)
    manifest = {o.logical: o.filename for o in outputs}
    # Touch the CSS so the next build can tell it is newer than the Sass sources.
    if compiled:
        os.utime(out_dir / manifest["application.css"])
    write_atomic(
        out_dir / MANIFEST_NAME,
        (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8"),
    )
    removed = prune(out_dir, set(manifest.values()))

    if not quiet:
        print(f"{'asset':<22} {'file':<34} {'bytes':>8} {'gzip':>7} {'brotli':>7}")
        for o in outputs:
            s = sizes[o.logical]
            print(
                f"{o.logical:<22} {o.filename:<34} {s['raw']:>8} "
                f"{s.get('gz', '-'):>7} {s.get('br', '-'):>7}"
            )
        note = "compiled" if compiled else "up to date, not recompiled"
        print(
            f"Sass {note}; {len(removed)} stale file(s) removed; wrote "
            f"{(out_dir / MANIFEST_NAME).relative_to(ROOT) if ROOT in out_dir.parents else out_dir}"
            f" in {time.monotonic() - started:.1f}s"
        )
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--force", action="store_true", help="recompile the Sass even if up to date"
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    parser.add_argument(
        "--out", type=Path, default=OUT_DIR, help="output folder (default static/dist)"
    )
    args = parser.parse_args(argv)
    try:
        build(args.out.resolve(), force=args.force, quiet=args.quiet)
    except BuildError as error:
        print(f"build_assets: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
