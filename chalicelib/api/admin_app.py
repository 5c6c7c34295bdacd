"""The backoffice single-page app (templates/app, built into templates/app/dist by `make`), served by the
app itself like the booking page: the index at /admin-app/, its content-hashed files at /admin-app/assets/.

The app calls the JSON API with relative URLs (`../admin/me`), so it works under `chalice local` at `/` and
behind API Gateway under a stage prefix. Its tokens live in memory only; a reload signs in again through the
refresh cookie (chalicelib/api/auth.py).
"""
from __future__ import annotations

import re
from functools import lru_cache

from chalice import Blueprint, Response

from ..templating import TEMPLATES_DIR
from .pages import SECURITY_HEADERS

admin_app = Blueprint(__name__)

DIST = TEMPLATES_DIR / "app" / "dist"
ASSET_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,40}-[A-Z0-9]{8}\.(js|css)$")  # esbuild's [name]-[hash]
CONTENT_TYPES = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8"}


def app_url(backoffice_url: str) -> str:
    """Where staff sign in (the invitation's link): the app under the backoffice's base URL."""
    return backoffice_url.rstrip("/") + "/admin-app/"


@lru_cache(maxsize=None)
def _read(name: str) -> str:
    return (DIST / name).read_text(encoding="utf-8")


@admin_app.route("/admin-app", methods=["GET"])
def index() -> Response:
    """The app's one page; `/admin-app` (no slash) redirects, so the page's relative URLs resolve alike."""
    request = admin_app.current_request
    if not ((request.context or {}).get("path") or "/").endswith("/"):
        return Response(body="", status_code=308, headers={
            **SECURITY_HEADERS, "Location": "admin-app/", "Cache-Control": "no-cache"})
    if not (DIST / "index.html").is_file():
        return _missing("the backoffice app is not built: run `make dev` (it builds templates/app)")
    index = (DIST / "index.html").read_text(encoding="utf-8")  # not cached: a rebuild under `make dev` shows at once
    return Response(body=index, status_code=200, headers={
        **SECURITY_HEADERS, "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache"})


@admin_app.route("/admin-app/assets/{name}", methods=["GET"])
def asset(name: str) -> Response:
    """A built file, named by its content's hash: it never changes, so browsers keep it for a year."""
    match = ASSET_NAME.match(name)
    if not match or not (DIST / "assets" / name).is_file():
        return _missing("not found")
    return Response(body=_read(f"assets/{name}"), status_code=200, headers={
        **SECURITY_HEADERS, "Content-Type": CONTENT_TYPES[match.group(1)],
        "Cache-Control": "public, max-age=31536000, immutable"})


def _missing(message: str) -> Response:
    """Plain text under the pages' headers: every answer under /admin-app/ carries the strict policy."""
    return Response(body=message + "\n", status_code=404,
                    headers={**SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8"})
