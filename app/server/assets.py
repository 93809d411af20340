"""The page's static files: versioned by content, compressed once, cached by the browser.

- `versioned(path)` is `path?v=<hash of its content>`: templates link every file so, and a
  request whose v matches is answered `Cache-Control: public, max-age=31536000, immutable`
  (anything else is `no-cache`: revalidated by its ETag, the hash).
- Text files are sent gzip-compressed to a client that accepts it, compressed once (level 9)
  and kept in memory with the file (the files of static/ are a few MB at most).
- A page's own modules come as one file, `<entry>.bundle.js` next to its entry module
  (app/server/bundle.py), made once; `page_script` writes the tags that load it.

A file is read again when its size or modification time changes (a checkout being edited).
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import mimetypes
import os
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup
from starlette.datastructures import Headers, QueryParams
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from app.server.bundle import BundleError, bundle

log = logging.getLogger("descent.assets")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
BUNDLE_SUFFIX = ".bundle.js"
COMPRESSIBLE = (".js", ".mjs", ".css", ".svg", ".json", ".html", ".txt", ".map")
MIN_COMPRESS = 512  # bytes: smaller files are sent as they are
MEDIA_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css"}


@dataclass
class Asset:
    """One file's bytes, content hash and (made on first need) gzip bytes."""

    data: bytes
    media_type: str
    stamp: tuple[int, int] = (0, 0)  # (size, mtime_ns) of the file it was read from
    digest: str = ""
    gzipped: bytes | None = None
    vendors: list[str] = field(default_factory=list)  # a bundle's vendored modules

    def __post_init__(self) -> None:
        """The hash: the first 16 hex digits of the SHA-256 of the bytes."""
        self.digest = hashlib.sha256(self.data).hexdigest()[:16]

    def compressed(self) -> bytes | None:
        """gzip of the bytes (made once), or None where it does not pay."""
        if self.gzipped is None:
            self.gzipped = gzip.compress(self.data, 9, mtime=0)
        return self.gzipped if len(self.gzipped) < len(self.data) else None


def media_type(path: str) -> str:
    """The Content-Type of a static file by its extension."""
    suffix = os.path.splitext(path)[1]
    guessed = MEDIA_TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


class Assets:
    """The files under one static folder, read, hashed and compressed once each."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.files: dict[str, Asset] = {}
        self.bundles: dict[str, Asset | None] = {}

    def file(self, path: str) -> Asset | None:
        """The file at static path `path` (e.g. js/shared/dom.js), None if there is none."""
        full = (self.root / path).resolve()
        if not full.is_relative_to(self.root):
            return None
        try:
            status = full.stat()
        except OSError:
            return None
        if not full.is_file():
            return None
        stamp = (status.st_size, status.st_mtime_ns)
        asset = self.files.get(path)
        if asset is None or asset.stamp != stamp:
            asset = Asset(full.read_bytes(), media_type(path), stamp)
            self.files[path] = asset
            self.bundles.clear()  # a module may have changed
        return asset

    def text(self, path: str) -> str | None:
        """A file's text (for the bundler)."""
        asset = self.file(path)
        return None if asset is None else asset.data.decode("utf-8")

    def versioned(self, path: str) -> str:
        """`path?v=<content hash>` (the path alone if there is no such file)."""
        if path.endswith(BUNDLE_SUFFIX):
            built = self.bundle(path)
            return f"{path}?v={built.digest}" if built else path
        asset = self.file(path)
        return f"{path}?v={asset.digest}" if asset else path

    def bundle(self, path: str) -> Asset | None:
        """The bundle `<entry>.bundle.js` of the entry module `<entry>.js`; None when the
        entry's modules cannot be bundled (they are then loaded one by one)."""
        entry = path.removesuffix(BUNDLE_SUFFIX) + ".js"
        for name in [entry, *self._sources(path)]:
            self.file(name)  # re-read what changed (that clears stale bundles)
        if path not in self.bundles:
            try:
                text, vendors = bundle(entry, self.text, self.versioned)
            except BundleError as error:
                log.warning("%s: loading modules one by one: %s", entry, error)
                self.bundles[path] = None
            else:
                built = Asset(text.encode(), media_type(path), vendors=vendors)
                self.bundles[path] = built
        return self.bundles[path]

    def _sources(self, path: str) -> list[str]:
        """The modules of a built bundle (to notice their changes)."""
        built = self.bundles.get(path)
        if built is None:
            return []
        return [line[3:] for line in built.data.decode().splitlines() if line.startswith("// js/")]

    def page_script(self, entry: str, root: str = "") -> Markup:
        """The tags that load a page's modules: its bundle (with a modulepreload of each
        vendored module it imports), or the entry module when it cannot be bundled."""
        path = entry.removesuffix(".js") + BUNDLE_SUFFIX
        built = self.bundle(path)
        if built is None:
            return Markup('<script type="module" src="{}"></script>').format(
                f"{root}static/{self.versioned(entry)}"
            )
        tags = [
            Markup('<link rel="modulepreload" href="{}">').format(
                f"{root}static/{self.versioned(v)}"
            )
            for v in built.vendors
        ]
        tags.append(
            Markup('<script type="module" src="{}"></script>').format(
                f"{root}static/{path}?v={built.digest}"
            )
        )
        return Markup("\n  ").join(tags)


class StaticAssets(StaticFiles):
    """StaticFiles answering from Assets: bundles, gzip, ETag and the Cache-Control above."""

    def __init__(self, assets: Assets) -> None:
        super().__init__(directory=str(assets.root))
        self.assets = assets

    async def get_response(self, path: str, scope: Scope) -> Response:
        """The file (or bundle) at `path`, 304 when the client's ETag matches."""
        if scope["method"] not in ("GET", "HEAD"):
            return await super().get_response(path, scope)
        name = path.replace(os.sep, "/")
        asset = self.assets.bundle(name) if name.endswith(BUNDLE_SUFFIX) else self.assets.file(name)
        if asset is None:
            return await super().get_response(path, scope)  # 404 as StaticFiles says it
        headers = Headers(scope=scope)
        query = QueryParams(scope.get("query_string", b"").decode("latin-1"))
        etag = f'"{asset.digest}"'
        response_headers = {
            "etag": etag,
            "cache-control": IMMUTABLE if query.get("v") == asset.digest else REVALIDATE,
            "vary": "Accept-Encoding",
        }
        if etag in headers.get("if-none-match", ""):
            return Response(status_code=304, headers=response_headers)
        body = asset.data
        if (
            name.endswith(COMPRESSIBLE)
            and len(body) >= MIN_COMPRESS
            and "gzip" in headers.get("accept-encoding", "")
            and (packed := asset.compressed()) is not None
        ):
            body = packed
            response_headers["content-encoding"] = "gzip"
        return Response(body, media_type=asset.media_type, headers=response_headers)
