"""The public booking page and the manage page: HTML from Jinja2, behaviour from one served script.

The pages call the public JSON API from the browser. URLs inside them are relative (`../public/...`,
`assets/...`), so the same HTML works under `chalice local` at `/` and behind API Gateway at `/api/`.
There is no inline script or style: the Content-Security-Policy allows only this origin's files.
"""
from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from chalice import Blueprint, Response

from .. import wiring
from ..config import settings
from ..domain.contact import display_phone
from ..domain.model import Business
from ..errors import NotFoundError, TurnoError
from ..later import later
from ..templating import TEMPLATES_DIR, environment
from .http import cookie
from .public import booking_json

online_booking = later("chalicelib.services.booking")

pages = Blueprint(__name__)

PAGES_DIR = TEMPLATES_DIR / "pages"
ASSETS_DIR = PAGES_DIR / "assets"
LOCALES = ("en", "es", "it", "cs", "et")
LANGUAGE_NAMES = {"en": "English", "es": "Español", "it": "Italiano", "cs": "Čeština", "et": "Eesti"}
LANG_COOKIE = "turno_lang"
CONTENT_TYPES = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8"}
ASSET_NAME = re.compile(r"^([a-z][a-z0-9-]{0,40})\.([0-9a-f]{10})\.(js|css)$")

CSP = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the manage link carries its token: never leak it onwards
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Strict-Transport-Security": "max-age=31536000",
}


@lru_cache(maxsize=None)
def translations(locale: str) -> dict[str, str]:
    return json.loads((PAGES_DIR / "i18n" / f"{locale}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def asset(name: str) -> tuple[str, str]:
    """(content, version): the version is a hash of the content, so a served name never changes meaning."""
    content = (ASSETS_DIR / name).read_text(encoding="utf-8")
    return content, hashlib.sha256(content.encode()).hexdigest()[:10]


def asset_url(name: str) -> str:
    stem, ext = name.rsplit(".", 1)
    return f"{stem}.{asset(name)[1]}.{ext}"


def choose_locale(request: Any, default: str | None) -> tuple[str, bool]:
    """(locale, chosen now): `?lang=` when asked, else the visitor's earlier choice, else the business's,
    else (no business, or one in a language the pages lack) the browser's Accept-Language, else English."""
    asked = (request.query_params or {}).get("lang")
    if asked in LOCALES:
        return asked, True
    remembered = cookie(request, LANG_COOKIE)
    if remembered in LOCALES:
        return remembered, False
    for language in [_language(default or ""), *_accepted(request)]:
        if language in LOCALES:
            return language, False
    return "en", False


def _language(tag: str) -> str:
    return re.split(r"[-_;]", tag.strip())[0].lower()  # a business in "es-ES" speaks "es"


def _accepted(request: Any) -> list[str]:
    """The browser's languages, most wanted first ('cs-CZ,cs;q=0.9,en;q=0.8' -> cs, cs, en)."""
    weighted = []
    for position, part in enumerate(((request.headers or {}).get("accept-language") or "").split(",")):
        q = re.search(r";\s*q=([0-9.]+)", part)
        try:
            weight = float(q.group(1)) if q else 1.0
        except ValueError:
            weight = 0.0
        if weight > 0:
            weighted.append((-weight, position, _language(part)))
    return [language for _, _, language in sorted(weighted)]


@pages.route("/b/{business}", methods=["GET"])
def booking_page(business: str) -> Response:
    request = pages.current_request
    try:
        catalog, offered = online_booking.public_catalog(wiring.store(), business)
    except NotFoundError:
        return _not_found(request, "", None)
    found = catalog.business
    locale, chosen = choose_locale(request, found.locale)
    categories: dict[str, list] = {}
    for item in offered:
        categories.setdefault(item.category, []).append({
            "id": item.id, "name": item.name, "description": item.description,
            "duration": _minutes(item.duration_minutes, locale), "price": _money(item.price, found.currency, locale),
        })
    data = {
        "page": "book",
        "root": "../",
        "business": {
            "slug": found.slug, "name": found.name, "timezone": found.timezone, "currency": found.currency,
            "requires_code": bool(found.secret_code), "horizon_days": found.rules.horizon_days,
            "phone": found.phone, "plans": catalog.sells_plans,
        },
        "services": [{"id": s.id, "name": s.name} for s in offered],
    }
    return _page("pages/book.html", request, locale, chosen, data, {
        "business": found, "categories": list(categories.items()),
    }, links={}, cache="no-cache", prefix="")


@pages.route("/b/{business}/manage/{reference}", methods=["GET"])
def manage_page(business: str, reference: str) -> Response:
    request = pages.current_request
    token = (request.query_params or {}).get("token")
    try:
        found = online_booking.booking_for_holder(wiring.store(), reference, token, settings().signing_key)
    except TurnoError:
        found = None
    if found is None or found.business.slug != business:
        return _not_found(request, "../../", business)
    locale, chosen = choose_locale(request, found.business.locale)
    data = {"page": "manage", "root": "../../../", "token": token, "booking": booking_json(found)}
    client = online_booking.booked_client(wiring.store(), found)
    phone = display_phone(client.phone, _home_region(found.business)) if client and client.phone else None
    return _page("pages/manage.html", request, locale, chosen, data,
                 {"business": found.business, "client": client, "client_phone": phone},
                 links={"token": token}, cache="no-store, private", prefix="../../")


@pages.route("/b/assets/{name}", methods=["GET"])
def page_asset(name: str) -> Response:
    """The pages' script and stylesheet under content-hashed names, cached for a year."""
    match = ASSET_NAME.match(name)
    plain = f"{match.group(1)}.{match.group(3)}" if match else None
    if not plain or not (ASSETS_DIR / plain).is_file():
        return Response(body="not found\n", status_code=404,
                        headers={"Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff"})
    content, version = asset(plain)
    # A page cached before a deploy may ask for the previous version: serve the current one, briefly.
    cache = "public, max-age=31536000, immutable" if version == match.group(2) else "public, max-age=60"
    return Response(body=content, status_code=200, headers={
        "Content-Type": CONTENT_TYPES[match.group(3)], "Cache-Control": cache, "X-Content-Type-Options": "nosniff",
    })


def _page(template: str, request: Any, locale: str, chosen: bool, data: dict, context: dict, *,
          links: dict, cache: str, prefix: str, status: int = 200) -> Response:
    t = translations(locale)
    data = {**data, "locale": locale, "t": t}
    html = environment().get_template(template).render(
        t=t, locale=locale, data=data, languages=language_links(locale, links),
        css=asset_url("page.css"), js=asset_url("page.js"), asset_prefix=prefix, **context,
    )
    return Response(body=html, status_code=status, headers=page_headers(locale, chosen, cache))


def page_headers(locale: str, chosen: bool, cache: str) -> dict[str, str]:
    """A page's headers: its security policy, its language (kept in a cookie when the visitor chose it)."""
    headers = {**SECURITY_HEADERS, "Content-Type": "text/html; charset=utf-8", "Cache-Control": cache,
               "Content-Language": locale, "Vary": "Cookie, Accept-Language"}
    if chosen:
        headers["Set-Cookie"] = f"{LANG_COOKIE}={locale}; Path=/; Max-Age=31536000; SameSite=Lax"
    return headers


def _money(amount: Decimal, currency: str, locale: str) -> str:
    """Prices as the client reads them ('25,00 €', '€25.00'); babel is imported only when a page is drawn."""
    from babel.numbers import format_currency

    return format_currency(amount, currency, locale=locale)


def _minutes(count: int, locale: str) -> str:
    from babel.units import format_unit

    return format_unit(count, "duration-minute", length="short", locale=locale)


def _home_region(business: Business) -> str | None:
    """The business's country: its time zone's (Europe/Madrid: ES), else its phone's."""
    from babel.core import get_global
    import phonenumbers

    region = get_global("zone_territories").get(business.timezone)
    if not region and business.phone:
        try:
            region = phonenumbers.region_code_for_number(phonenumbers.parse(business.phone, None))
        except phonenumbers.NumberParseException:
            region = None
    return region


def _not_found(request: Any, prefix: str, slug: str | None) -> Response:
    """One answer for an unknown business, reference or token: a guesser learns nothing about the
    booking. It speaks the page's language: the business's when the slug is one, else the browser's."""
    try:
        default = online_booking.business(wiring.store(), slug).locale if slug else None
    except NotFoundError:
        default = None
    locale, _ = choose_locale(request, default)
    data = {"page": "missing", "root": ""}
    return _page("pages/missing.html", request, locale, False, data, {}, links={}, cache="no-cache",
                 prefix=prefix, status=404)


def language_links(current: str, keep: dict) -> list[dict]:
    return [{"code": code, "name": LANGUAGE_NAMES[code], "current": code == current,
             "href": "?" + urlencode({**{k: v for k, v in keep.items() if v}, "lang": code})}
            for code in LOCALES]
