"""Static files: content-hash URLs cached as immutable, gzip made once, one bundle per page."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.server.assets import IMMUTABLE, REVALIDATE, Assets
from app.server.bundle import BundleError, bundle


def linked(html: str) -> list[str]:
    """Every static URL a page links (stylesheets, scripts, preloads)."""
    return re.findall(r'(?:href|src)="(static/[^"]+)"', html)


def test_every_file_the_playground_links_is_versioned_and_cached_as_immutable(client: TestClient):
    urls = linked(client.get("/").text)
    assert any(url.startswith("static/js/playground/playground.bundle.js?v=") for url in urls)
    assert not any("katex" in url for url in urls), "KaTeX waits for the equations"
    for url in urls:
        response = client.get(f"/{url}")
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == IMMUTABLE, url
        assert response.headers["etag"].strip('"') == url.rsplit("?v=", 1)[1], url


def test_an_unversioned_or_stale_url_is_revalidated_by_its_etag(client: TestClient):
    plain = client.get("/static/css/base.css")
    stale = client.get("/static/css/base.css?v=0000")
    assert plain.headers["cache-control"] == stale.headers["cache-control"] == REVALIDATE
    again = client.get("/static/css/base.css", headers={"if-none-match": plain.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_text_is_gzipped_for_a_client_that_accepts_it_and_plain_otherwise(client: TestClient):
    path = "/static/js/playground/tex.js"
    packed = client.get(path, headers={"accept-encoding": "gzip"}, extensions={})
    plain = client.get(path, headers={"accept-encoding": "identity"})
    assert packed.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert packed.content == plain.content  # httpx inflates: the same file
    raw = Path("static/js/playground/tex.js").read_bytes()
    assert plain.content == raw
    assert int(packed.headers["content-length"]) == len(gzip.compress(raw, 9, mtime=0))


def test_missing_files_and_paths_outside_static_are_404(client: TestClient):
    assert client.get("/static/js/nothing-here.js").status_code == 404
    assert client.get("/static/../app/settings.py").status_code == 404
    assert client.get("/static/js/nothing.bundle.js").status_code == 404


def test_a_bundle_runs_each_module_after_those_it_imports_and_keeps_vendors_apart():
    files = {
        "js/a/main.js": 'import { b } from "./b.js";\nimport { c as see } from "../c.js";\n'
        "export function main() { return b() + see; }\n",
        "js/a/b.js": 'import { c } from "../c.js";\nimport lib from "../../vendor/lib.js";\n'
        "export const b = () => c + lib;\n",
        "js/c.js": "export const c = 1;\n"
        'export async function later() { return import("../vendor/x.js"); }\n',
    }
    text, vendors = bundle("js/a/main.js", files.get, lambda path: f"{path}?v=h")
    order = [line[3:] for line in text.splitlines() if line.startswith("// ")]
    assert order == ["js/c.js", "js/a/b.js", "js/a/main.js"]
    assert vendors == ["vendor/lib.js"]
    assert 'import __v0 from "../../vendor/lib.js?v=h";' in text
    assert 'import("../../vendor/x.js?v=h")' in text, "dynamic imports from the bundle's folder"
    assert "const { c: see } = __m0;" in text and "export" not in text


@pytest.mark.parametrize(
    "source",
    [
        'import * as all from "./c.js";\n',
        "export default 1;\n",
        'import "./c.js";\n',
        "const c = 1;\nexport { c };\n",
    ],
)
def test_a_form_the_bundler_does_not_take_is_refused(source: str):
    files = {"js/main.js": source, "js/c.js": "export const c = 1;\n"}
    with pytest.raises(BundleError):
        bundle("js/main.js", files.get, str)


def test_an_import_cycle_is_refused_and_the_page_loads_its_modules_one_by_one(tmp_path: Path):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.js").write_text('import { b } from "./b.js";\nexport const a = 1;\n')
    (tmp_path / "js" / "b.js").write_text('import { a } from "./a.js";\nexport const b = 2;\n')
    assets = Assets(tmp_path)
    assert assets.bundle("js/a.bundle.js") is None
    tag = str(assets.page_script("js/a.js"))
    assert tag.startswith('<script type="module" src="static/js/a.js?v=')
