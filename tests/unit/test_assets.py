"""Front-end asset build (scripts/build_assets.py) and serving (webapp/assets.py)."""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path

import brotli
import pytest

from webapp import assets

ROOT = Path(__file__).resolve().parents[2]
SASS = ROOT / "node_modules" / ".bin" / "sass"


def _load_build_module():
    spec = importlib.util.spec_from_file_location(
        "_build_assets_under_test", ROOT / "scripts" / "build_assets.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build_assets = _load_build_module()

needs_node_modules = pytest.mark.skipif(
    not SASS.exists(), reason="node_modules missing: run `npm ci` (make setup does)"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A full build into a temporary folder (the real static/dist is left alone)."""
    if not SASS.exists():
        pytest.skip("node_modules missing: run `npm ci`")
    out = tmp_path_factory.mktemp("dist")
    build_assets.build(out, force=True, quiet=True)
    return out


def _manifest(out: Path) -> dict[str, str]:
    return json.loads((out / "manifest.json").read_text("utf-8"))


# ----------------------------------------------------------------------------
# Hashing and import rewriting (no Node needed)


def test_hashed_name_follows_content():
    one = build_assets.hashed_name("application.css", b"body{color:red}")
    same = build_assets.hashed_name("application.css", b"body{color:red}")
    other = build_assets.hashed_name("application.css", b"body{color:blue}")
    assert re.fullmatch(r"application\.[0-9a-f]{8}\.css", one)
    assert one == same
    assert one != other
    assert build_assets.hashed_name("govuk-frontend.js", b"x").startswith("govuk-frontend.")
    with pytest.raises(ValueError):
        build_assets.hashed_name("noextension", b"x")


def test_module_imports_are_rewritten_to_hashed_names():
    source = (
        "import { initAll } from './govuk-frontend.js'\n"
        'export { x } from "./other.js"\n'
        "import './side-effect.js'\n"
        "const later = import('./other.js')\n"
        "import { y } from 'bare-specifier'\n"
    )
    manifest = {
        "govuk-frontend.js": "govuk-frontend.0123abcd.js",
        "other.js": "other.89abcdef.js",
        "side-effect.js": "side-effect.00000000.js",
    }
    out = build_assets.rewrite_imports(source, manifest, "application.js")
    assert "from './govuk-frontend.0123abcd.js'" in out
    assert 'from "./other.89abcdef.js"' in out
    assert "import './side-effect.00000000.js'" in out
    assert "import('./other.89abcdef.js')" in out
    assert "from 'bare-specifier'" in out
    with pytest.raises(build_assets.BuildError, match=r"missing\.js"):
        build_assets.rewrite_imports("import './missing.js'", manifest, "application.js")


def test_css_guard_rejects_fonts_and_crest():
    build_assets.check_css(b"body{font-family:arial,helvetica,sans-serif}")
    for bad in (
        b'body{font-family:"GDS Transport",arial}',
        b"@font-face{font-family:x;src:url(/x.woff2)}",
        b".a::before{background-image:url(/images/govuk-crest.svg)}",
    ):
        with pytest.raises(build_assets.BuildError):
            build_assets.check_css(bad)


def test_accept_encoding_parsing():
    assert assets.accepted_encodings("gzip, deflate, br, zstd") >= {"gzip", "br"}
    assert assets.accepted_encodings("gzip;q=1.0, br;q=0") == {"gzip"}
    assert assets.accepted_encodings("*") == {"br", "gzip"}
    assert assets.accepted_encodings("*;q=0.5, br;q=0") == {"gzip"}
    assert assets.accepted_encodings("identity") == {"identity"}
    assert assets.accepted_encodings("") == set()


# ----------------------------------------------------------------------------
# A real build


@needs_node_modules
def test_build_writes_every_manifest_entry(built: Path):
    manifest = _manifest(built)
    for name in (
        "application.css",
        "application.js",
        "htmx.js",
        "govuk-supported.js",
        "favicon.svg",
    ):
        assert name in manifest, name
    for logical, filename in manifest.items():
        data = (built / filename).read_bytes()
        assert filename == build_assets.hashed_name(logical, data), "name must match content"
    # Compressed siblings decode to the same bytes.
    css = manifest["application.css"]
    assert gzip.decompress((built / (css + ".gz")).read_bytes()) == (built / css).read_bytes()
    assert brotli.decompress((built / (css + ".br")).read_bytes()) == (built / css).read_bytes()


@needs_node_modules
def test_css_has_no_gds_transport_no_webfonts_and_no_crown(built: Path):
    css = (built / _manifest(built)["application.css"]).read_text("utf-8")
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert not re.search(r"\.woff2?", css)
    assert "crest" not in css
    # No image is loaded at all (the footer's crest became `none`); the only
    # trace of the crown is an unused `.govuk-footer__crown` class name.
    assert "url(" not in css
    # Our own styles and the components we asked for are in.
    for selector in (
        ".govuk-generic-header",
        ".govuk-task-list",
        ".govuk-service-navigation",
        ".app-timeout-dialog",
        ".htmx-indicator",
        "@media print",
    ):
        assert selector in css, selector
    # Components we did not ask for are not.
    for selector in (
        ".govuk-accordion",
        ".govuk-tabs",
        ".govuk-exit-this-page__",
        ".govuk-header__",
    ):
        assert selector not in css, selector


@needs_node_modules
def test_every_govuk_override_class_our_pages_use_is_in_the_stylesheet(built: Path):
    """Only the spacing overrides we use are compiled (assets/scss/_spacing-overrides.scss):
    a template that starts using another must find it missing here, not on a page."""
    css = (built / _manifest(built)["application.css"]).read_text("utf-8")
    used: set[str] = set()
    for folder in (ROOT / "templates", ROOT / "webapp"):
        for path in folder.rglob("*"):
            if path.suffix in {".html", ".py"}:
                # A name ending in '-' is built at run time (`govuk-!-width-{width}`): widths are all compiled.
                used |= set(re.findall(r"govuk-!-[a-z0-9-]*[a-z0-9]\b", path.read_text("utf-8")))
    assert used, "no override classes found: has the pattern changed?"
    missing = sorted(name for name in used if "." + name.replace("!", "\\!") not in css)
    assert not missing, f"add these to assets/scss/_spacing-overrides.scss: {missing}"


@needs_node_modules
def test_application_js_bundles_only_the_govuk_components_it_uses(built: Path):
    manifest = _manifest(built)
    assert "govuk-frontend.js" not in manifest  # bundled in, not a file of its own
    app_js = (built / manifest["application.js"]).read_text("utf-8")
    assert "sourceMappingURL" not in app_js
    assert re.findall(r"""\bfrom\s*['"]""", app_js) == []  # nothing left to fetch up front
    # The components it starts are in; one it does not use is not (tree-shaken).
    assert "govuk-file-upload" in app_js and "govuk-error-summary" in app_js
    assert "govuk-accordion" not in app_js and "govuk-exit-this-page" not in app_js
    # The timeout warning is fetched only on pages with its dialog, by its hashed name.
    loaded_later = re.findall(r"""import\(\s*['"]\./([^'"]+)['"]""", app_js)
    assert loaded_later == [manifest["timeout-warning.js"]]


@needs_node_modules
def test_build_prunes_stale_files_and_is_repeatable(built: Path, tmp_path: Path):
    out = tmp_path / "dist"
    shutil.copytree(built, out)
    (out / "application.00000000.css").write_text("old")
    (out / "application.00000000.css.gz").write_text("old")
    (out / "keep-me.txt").write_text("not ours")
    first = build_assets.build(out, quiet=True)  # Sass reused: the copied CSS is up to date
    assert first == _manifest(built)
    assert not (out / "application.00000000.css").exists()
    assert not (out / "application.00000000.css.gz").exists()
    assert (out / "keep-me.txt").exists()


# ----------------------------------------------------------------------------
# Manifest loading and serving (a small fake build; no Node needed)


@pytest.fixture()
def fake_dist(tmp_path: Path) -> Path:
    css = b"body{margin:0}" * 50
    js = b"console.log('hello')" * 50
    files = {
        "application.css": build_assets.hashed_name("application.css", css),
        "application.js": build_assets.hashed_name("application.js", js),
    }
    (tmp_path / files["application.css"]).write_bytes(css)
    (tmp_path / (files["application.css"] + ".gz")).write_bytes(gzip.compress(css))
    (tmp_path / (files["application.css"] + ".br")).write_bytes(brotli.compress(css))
    (tmp_path / files["application.js"]).write_bytes(js)
    (tmp_path / (files["application.js"] + ".gz")).write_bytes(gzip.compress(js))
    (tmp_path / "manifest.json").write_text(json.dumps(files))
    (tmp_path / "secret.txt").write_text("not an asset")
    return tmp_path


def test_asset_url_and_hashed_files(fake_dist: Path):
    manifest = assets.AssetManifest(fake_dist)
    files = json.loads((fake_dist / "manifest.json").read_text())
    assert manifest.url("application.css") == "/static/dist/" + files["application.css"]
    assert manifest.files == frozenset(files.values())
    with pytest.raises(KeyError, match=r"nope\.css"):
        manifest.url("nope.css")


def test_missing_manifest_says_to_build(tmp_path: Path):
    manifest = assets.AssetManifest(tmp_path / "nowhere")
    with pytest.raises(assets.AssetsNotBuilt, match="build_assets"):
        manifest.url("application.css")


def test_auto_reload_picks_up_a_rebuild(fake_dist: Path):
    import os

    manifest = assets.AssetManifest(fake_dist, auto_reload=True)
    before = manifest.url("application.css")
    (fake_dist / "manifest.json").write_text(
        json.dumps({"application.css": "application.12345678.css"})
    )
    st = (fake_dist / "manifest.json").stat()
    os.utime(fake_dist / "manifest.json", (st.st_atime, st.st_mtime + 5))
    assert manifest.url("application.css") == "/static/dist/application.12345678.css" != before


def test_htmx_config_is_json_for_the_meta_tag():
    config = json.loads(assets.htmx_config_json())
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    # Error answers are swapped in like any page (htmx 2 would leave the page as it was).
    swapped = {rule["code"]: rule["swap"] for rule in config["responseHandling"]}
    assert swapped == {"204": False, "[23]..": True, "[45]..": True}


@pytest.fixture()
def client(fake_dist: Path):
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.testclient import TestClient

    app = Starlette(routes=[Mount("/static/dist", app=assets.StaticAssets(fake_dist))])
    with TestClient(app) as test_client:
        yield test_client


def test_serves_brotli_then_gzip_by_accept_encoding(client, fake_dist: Path):
    files = json.loads((fake_dist / "manifest.json").read_text())
    css_url = "/static/dist/" + files["application.css"]
    css = (fake_dist / files["application.css"]).read_bytes()

    br = client.get(css_url, headers={"Accept-Encoding": "gzip, br"})
    assert br.status_code == 200
    assert br.headers["content-encoding"] == "br"
    assert br.headers["content-type"] == "text/css; charset=utf-8"
    assert br.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert br.headers["vary"] == "Accept-Encoding"
    assert (
        int(br.headers["content-length"])
        == (fake_dist / (files["application.css"] + ".br")).stat().st_size
    )
    assert br.content == css  # httpx decodes brotli when the brotli module is installed

    gz = client.get(css_url, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["content-encoding"] == "gzip"
    assert gz.content == css  # httpx decodes gzip
    assert gz.headers["vary"] == "Accept-Encoding"

    plain = client.get(css_url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == css
    assert plain.headers["cache-control"] == "public, max-age=31536000, immutable"

    refused = client.get(css_url, headers={"Accept-Encoding": "br;q=0, gzip;q=0"})
    assert "content-encoding" not in refused.headers


def test_js_content_type_and_missing_brotli_falls_back_to_gzip(client, fake_dist: Path):
    files = json.loads((fake_dist / "manifest.json").read_text())
    response = client.get(
        "/static/dist/" + files["application.js"], headers={"Accept-Encoding": "br, gzip"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["content-encoding"] == "gzip"


def test_etag_revalidation_and_head(client, fake_dist: Path):
    files = json.loads((fake_dist / "manifest.json").read_text())
    url = "/static/dist/" + files["application.css"]
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    again = client.get(
        url, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""
    head = client.head(url, headers={"Accept-Encoding": "identity"})
    assert head.status_code == 200
    assert head.content == b""
    assert (
        int(head.headers["content-length"]) == (fake_dist / files["application.css"]).stat().st_size
    )


@pytest.mark.parametrize(
    "path",
    [
        "/static/dist/secret.txt",
        "/static/dist/manifest.json",
        "/static/dist/nothing.12345678.css",
        "/static/dist/../dist/secret.txt",
        "/static/dist/",
    ],
)
def test_unknown_files_are_404(client, path: str):
    assert client.get(path).status_code == 404


def test_compressed_sibling_is_not_served_directly(client, fake_dist: Path):
    files = json.loads((fake_dist / "manifest.json").read_text())
    assert client.get("/static/dist/" + files["application.css"] + ".gz").status_code == 404


def test_only_get_and_head(client, fake_dist: Path):
    files = json.loads((fake_dist / "manifest.json").read_text())
    response = client.post("/static/dist/" + files["application.css"])
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
