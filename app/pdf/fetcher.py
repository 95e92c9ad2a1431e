"""The only way WeasyPrint reaches a resource: ``data:`` URIs and the files bundled in ``app/pdf/assets``.

Everything else is refused and stops the rendering (``FatalURLFetchingError``): ``file:`` outside the bundle
(symbolic links and ``..`` are resolved first), ``http:``, ``https:``, ``ftp:`` and any other scheme. The
fetcher never opens a connection, so there is no redirect to follow. Every URL asked for is recorded, so a
test can prove that nothing else was requested.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

ASSETS = Path(__file__).resolve().parent / "assets"
#: the base URL templates are rendered against: relative URLs resolve inside the bundle
BASE_URL = ASSETS.as_uri() + "/"
#: largest data: URI accepted (the logo is the only one a caller supplies)
MAX_DATA_BYTES = 8 * 1024 * 1024
_TYPES = {
    ".css": "text/css",
    ".otf": "font/otf",
    ".ttf": "font/ttf",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


class RefusedURL(FatalURLFetchingError):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """A URL outside ``data:`` and the bundle: rendering stops."""


def _short(url: str) -> str:
    """A URL as recorded: data: URIs by their media type only (a logo is megabytes)."""
    if url.startswith("data:"):
        return url.split(",", 1)[0][:80]
    return url[:500]


class BundleFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """WeasyPrint URL fetcher: ``data:`` and bundled files only; records every URL it was asked for."""

    def __init__(self) -> None:
        # No handler is ever used (fetch never calls the opener); protocols and redirects closed anyway.
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, fail_on_errors=True)
        self.requested: list[str] = []
        self.refused: list[str] = []
        self._cache: dict[Path, bytes] = {}

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        self.requested.append(_short(url))
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._data(url)
        if scheme == "file":
            return self._bundled(url)
        return self._refuse(url, f"scheme {scheme or '(none)'!r} is not allowed")

    def _refuse(self, url: str, why: str) -> URLFetcherResponse:
        self.refused.append(_short(url))
        raise RefusedURL(f"refused {_short(url)}: {why}")

    def _data(self, url: str) -> URLFetcherResponse:
        head, sep, payload = url[5:].partition(",")
        if not sep:
            return self._refuse(url, "malformed data: URI")
        params = head.split(";")
        mime = params[0].strip().lower() or "text/plain"
        try:
            if "base64" in (p.strip().lower() for p in params[1:]):
                body = base64.b64decode(unquote(payload), validate=False)
            else:
                body = unquote_to_bytes(payload)
        except (binascii.Error, ValueError):
            return self._refuse(url, "undecodable data: URI")
        if len(body) > MAX_DATA_BYTES:
            return self._refuse(url, f"data: URI larger than {MAX_DATA_BYTES} bytes")
        return URLFetcherResponse(_short(url), body, {"Content-Type": mime})

    def _bundled(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return self._refuse(url, "file: URL names a host")
        try:
            path = Path(unquote(parts.path)).resolve(strict=True)
        except (OSError, RuntimeError):
            return self._refuse(url, "no such bundled file")
        if not path.is_relative_to(ASSETS) or not path.is_file():
            return self._refuse(url, "outside the bundled assets")
        body = self._cache.get(path)
        if body is None:
            body = self._cache[path] = path.read_bytes()
        mime = (
            _TYPES.get(path.suffix.lower())
            or mimetypes.guess_type(path.name)[0]
            or "application/octet-stream"
        )
        return URLFetcherResponse(path.as_uri(), body, {"Content-Type": mime})
