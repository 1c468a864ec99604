"""Built front-end assets: URLs for templates, and an ASGI app that serves them.

The files come from ``scripts/build_assets.py`` (run it after ``npm ci``), which
writes content-hashed files and ``static/dist/manifest.json`` (logical name ->
hashed file name). Because a file's name changes whenever its content does,
every file here may be cached for a year: ``Cache-Control: public,
max-age=31536000, immutable``.

Templates::

    env.globals["asset_url"] = asset_url
    <link rel="stylesheet" href="{{ asset_url('application.css') }}">

Serving (in ``create_app``)::

    Mount("/static/dist", app=StaticAssets(), name="assets")

In development, ``assets.manifest.auto_reload = True`` picks up a rebuild
without restarting the server.

Layout tags (no inline script or style anywhere, for a strict CSP)::

    <head>
      <meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,
        "allowScriptTags":false,"selfRequestsOnly":true,"historyCacheSize":0,
        "refreshOnHistoryMiss":true}'>   (one line in the page; see HTMX_CONFIG)
      <link rel="icon" href="{{ asset_url('favicon.svg') }}" type="image/svg+xml">
      <link rel="stylesheet" href="{{ asset_url('application.css') }}">
    </head>
    <body class="govuk-template__body">
      <script src="{{ asset_url('govuk-supported.js') }}"></script>   (first in <body>)
      ...
      <script src="{{ asset_url('htmx.js') }}" defer></script>
      <script type="module" src="{{ asset_url('application.js') }}"></script>
    </body>

``govuk-supported.js`` replaces GOV.UK Frontend's inline snippet that adds
``js-enabled govuk-frontend-supported`` to ``<body>``; ``application.js`` starts
the GOV.UK Frontend components (and again for content htmx swaps in).

Why each htmx setting (htmx 2.0, see docs/adr/0001-htmx-version.md):

* ``includeIndicatorStyles: false`` - htmx would otherwise add an inline
  ``<style>``; the same rules are in application.css.
* ``allowEval: false`` - no ``eval``/``new Function`` (our CSP has no
  ``unsafe-eval``); so no ``hx-on:*`` attributes, ``js:`` values or event filters.
* ``allowScriptTags: false`` - scripts in swapped-in HTML are never run.
* ``selfRequestsOnly: true`` - requests only to our own origin (2.0's default).
* ``historyCacheSize: 0`` and ``refreshOnHistoryMiss: true`` - htmx keeps no
  copies of pages (which hold people's answers) in localStorage; going back
  reloads the page from the server instead.
* ``responseHandling`` - every answer with content is swapped in, 4xx and 5xx
  too (2.0 leaves the page alone on those, so a click seemed to do nothing):
  the person sees the error page or field error a no-JavaScript visitor sees
  (docs/adr/0005). 204 still swaps nothing.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

__all__ = [
    "CACHE_CONTROL",
    "HTMX_CONFIG",
    "URL_PREFIX",
    "AssetManifest",
    "AssetsNotBuilt",
    "StaticAssets",
    "asset_url",
    "hashed_files",
    "htmx_config_json",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DIST_DIR = PROJECT_ROOT / "static" / "dist"
MANIFEST_NAME = "manifest.json"
URL_PREFIX = "/static/dist/"
CACHE_CONTROL = "public, max-age=31536000, immutable"

#: The content of ``<meta name="htmx-config">``; see the module docstring.
HTMX_CONFIG: dict[str, Any] = {
    "includeIndicatorStyles": False,
    "allowEval": False,
    "allowScriptTags": False,
    "selfRequestsOnly": True,
    "historyCacheSize": 0,
    "refreshOnHistoryMiss": True,
    "responseHandling": [
        {"code": "204", "swap": False},
        {"code": "[23]..", "swap": True},
        {"code": "[45]..", "swap": True, "error": True},
    ],
}


def htmx_config_json() -> str:
    """``HTMX_CONFIG`` as compact JSON, for ``<meta name="htmx-config" content='...'>``.

    Jinja's autoescaping turns the quotes into ``&#34;``, which the browser
    decodes again, so ``content="{{ htmx_config }}"`` is fine too.
    """
    return json.dumps(HTMX_CONFIG, separators=(",", ":"))


class AssetsNotBuilt(RuntimeError):
    """The manifest is missing or unreadable: the assets have not been built."""


class AssetManifest:
    """``static/dist/manifest.json``, read on first use.

    With ``auto_reload=True`` (handy in development) the file is read again
    whenever its modification time changes, so a rebuild is picked up without a
    restart; otherwise it is read once.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str] = DIST_DIR,
        *,
        url_prefix: str = URL_PREFIX,
        auto_reload: bool = False,
    ) -> None:
        self.directory = Path(directory)
        self.path = self.directory / MANIFEST_NAME
        self.url_prefix = url_prefix if url_prefix.endswith("/") else url_prefix + "/"
        self.auto_reload = auto_reload
        self._lock = threading.Lock()
        self._entries: dict[str, str] | None = None
        self._files: frozenset[str] = frozenset()
        self._mtime: float | None = None

    def _load(self) -> dict[str, str]:
        try:
            mtime = self.path.stat().st_mtime
            entries = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError) as error:
            raise AssetsNotBuilt(
                f"Front-end assets are not built ({self.path} is missing or unreadable: {error}). "
                "Build them with: npm ci && python scripts/build_assets.py"
            ) from error
        if not isinstance(entries, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in entries.items()
        ):
            raise AssetsNotBuilt(
                f"{self.path} is not a manifest: rebuild with scripts/build_assets.py"
            )
        self._entries = entries
        self._files = frozenset(entries.values())
        self._mtime = mtime
        return entries

    @property
    def entries(self) -> dict[str, str]:
        """Logical name -> hashed file name."""
        entries = self._entries
        if entries is not None and self.auto_reload:
            try:
                if self.path.stat().st_mtime != self._mtime:
                    entries = None
            except OSError:
                entries = None
        if entries is None:
            with self._lock:
                entries = self._load()
        return entries

    @property
    def files(self) -> frozenset[str]:
        """Every hashed file name: the files that may be cached as immutable."""
        self.entries  # noqa: B018 - loads (or reloads) the manifest
        return self._files

    def url(self, name: str) -> str:
        try:
            return self.url_prefix + self.entries[name]
        except KeyError:
            raise KeyError(
                f"No asset called {name!r} in {self.path}; known: {', '.join(sorted(self.entries))}"
            ) from None

    def reload(self) -> None:
        with self._lock:
            self._entries = None


#: The manifest used by ``asset_url`` and ``hashed_files``.
manifest = AssetManifest()


def asset_url(name: str) -> str:
    """``asset_url("application.css")`` -> ``"/static/dist/application.3f9a2c1b.css"``.

    Raises ``AssetsNotBuilt`` when the build has not been run, and ``KeyError``
    for a name the build does not produce.
    """
    return manifest.url(name)


def hashed_files() -> frozenset[str]:
    """File names under ``static/dist/`` that may be served as immutable."""
    return manifest.files


# --------------------------------------------------------------------------
# Serving

CONTENT_TYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2",
}

# Preferred first.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def accepted_encodings(header: str) -> set[str]:
    """Codings with a non-zero q-value in an Accept-Encoding header (lower case).

    ``*`` stands for any coding not named; an explicit ``q=0`` refuses one.
    """
    accepted: set[str] = set()
    refused: set[str] = set()
    wildcard = False
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if coding == "*":
            wildcard = q > 0
        elif q > 0:
            accepted.add(coding)
        else:
            refused.add(coding)
    if wildcard:
        accepted.update(c for c, _ in ENCODINGS if c not in refused)
    return accepted


class StaticAssets:
    """ASGI app serving the built files in ``static/dist`` (mount it at ``/static/dist``).

    * Only files named in the manifest are served; anything else is 404.
    * ``Cache-Control: public, max-age=31536000, immutable`` and a strong ETag.
    * The precompressed ``.br`` or ``.gz`` sibling when the request's
      Accept-Encoding allows it, with ``Content-Encoding`` and
      ``Vary: Accept-Encoding`` (so compression middleware leaves it alone).
    """

    def __init__(
        self,
        directory: str | os.PathLike[str] | None = None,
        asset_manifest: AssetManifest | None = None,
    ) -> None:
        if asset_manifest is None:
            asset_manifest = manifest if directory is None else AssetManifest(directory)
        self.manifest = asset_manifest
        self.directory = self.manifest.directory

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        from starlette.responses import FileResponse, PlainTextResponse, Response

        assert scope["type"] == "http"
        if scope["method"] not in ("GET", "HEAD"):
            response: Response = PlainTextResponse(
                "Method Not Allowed", status_code=405, headers={"Allow": "GET, HEAD"}
            )
            await response(scope, receive, send)
            return

        name = _route_path(scope).lstrip("/")
        try:
            known = name in self.manifest.files
        except AssetsNotBuilt:
            known = False
        if not known or "/" in name or "\\" in name or name.startswith("."):
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            return

        suffix = os.path.splitext(name)[1]
        headers = {"Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding"}
        path = self.directory / name
        encoding = None
        accept = _header(scope, b"accept-encoding")
        if accept:
            accepted = accepted_encodings(accept)
            for coding, extension in ENCODINGS:
                if coding in accepted and (self.directory / (name + extension)).is_file():
                    encoding, path = coding, self.directory / (name + extension)
                    break
        if encoding:
            headers["Content-Encoding"] = encoding
        # The name holds the content hash, so it makes a strong validator that is
        # the same on every server (unlike one built from mtime).
        etag = f'"{name}{"-" + encoding if encoding else ""}"'
        headers["ETag"] = etag

        if not path.is_file():  # listed in the manifest but deleted since
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            return

        if_none_match = _header(scope, b"if-none-match")
        if if_none_match and (
            if_none_match.strip() == "*"
            or etag in [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        ):
            await Response(status_code=304, headers=headers)(scope, receive, send)
            return

        media_type = CONTENT_TYPES.get(suffix)
        await FileResponse(path, media_type=media_type, headers=headers)(scope, receive, send)


def _header(scope: Any, name: bytes) -> str:
    values = [v.decode("latin-1") for k, v in scope.get("headers", []) if k.lower() == name]
    return ", ".join(values)


def _route_path(scope: Any) -> str:
    """The request path below the mount point (as Starlette's own StaticFiles does)."""
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    if (
        root_path
        and path.startswith(root_path)
        and path[len(root_path) : len(root_path) + 1] in ("/", "")
    ):
        return path[len(root_path) :]
    return path
