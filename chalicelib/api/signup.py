"""Sign-up: the public form a salon's owner fills in (`GET /signup`), its slug check as typed and the
sign-up itself. No login; the owner signs in afterwards with the /auth routes."""
from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from chalice import Response

from .. import wiring
from ..config import settings
from ..domain.signup import LOCALES, currencies_in_use, listed_time_zones
from ..later import later
from ..templating import environment
from .admin_app import app_url
from .http import BY_USE_CASE, Api, client_address, json_body
from .pages import (LANGUAGE_NAMES, PAGES_DIR, asset_url, choose_locale, language_links, page_headers,
                    translations)

signup = later("chalicelib.services.signup")
signups = Api(__name__)
SIGNUP_DIR = PAGES_DIR / "signup"
# What the form proposes before the browser says where it is: by the page's language.
STARTING_POINT = {"cs": ("Europe/Prague", "CZK"), "en": ("Europe/London", "GBP"), "es": ("Europe/Madrid", "EUR"),
                  "et": ("Europe/Tallinn", "EUR"), "it": ("Europe/Rome", "EUR")}


@signups.route("/public/slugs/{slug}", methods=["GET"])
def slug_check(slug: str) -> dict:
    found = signup.check_slug(wiring.registry(), slug)
    return {"slug": found.slug, "available": found.available, "reason": found.reason, "message": found.message}


@signups.route("/public/signup", methods=["POST"])
def sign_up() -> Response:
    request = signups.current_request
    config = settings()
    opening = signup.sign_up(
        wiring.registry(), wiring.directory(), wiring.mailer(), json_body(request, BY_USE_CASE),
        client_address(request), wiring.now(),
        signup.Links(sign_in_url=app_url(config.backoffice_url), public_url=config.public_url or config.backoffice_url))
    business = opening.business
    return Response(status_code=201, body={
        "business": {"id": business.id, "slug": business.slug, "name": business.name, "timezone": business.timezone,
                     "locale": business.locale, "currency": business.currency},
        "owner": {"staff_id": opening.owner.id, "name": opening.owner.name, "email": opening.owner_email},
        "next": "the owner signs in with the temporary password emailed to them (POST /auth/login)",
    })


@signups.route("/signup", methods=["GET"])
def signup_page() -> Response:
    """The form, in the visitor's language (`?lang=`, their earlier choice, their browser's, else English)."""
    request = signups.current_request
    locale, chosen = choose_locale(request, None)
    t = {**translations(locale), **texts(locale)}
    zone, currency = STARTING_POINT[locale]
    data = {"page": "signup", "root": "", "locale": locale, "t": texts(locale)}
    html = environment().get_template("pages/signup/page.html").render(
        t=t, locale=locale, data=data, languages=language_links(locale, {}), asset_prefix="b/",
        css=asset_url("page.css"), signup_css=asset_url("signup.css"), js=asset_url("signup.js"),
        zones=[_option(z, z.replace("_", " "), zone) for z in listed_time_zones()],
        locales=[_option(code, LANGUAGE_NAMES[code], locale, lang=code) for code in LOCALES],
        currencies=[_option(code, f"{name} ({code})", currency)
                    for code, name in currency_names(locale, wiring.now().date())])
    return Response(body=html, status_code=200, headers=page_headers(locale, chosen, "no-cache"))


def _option(value: str, text: str, chosen: str, lang: str | None = None) -> dict:
    return {"value": value, "text": text, "chosen": value == chosen, "lang": lang}


@lru_cache(maxsize=None)
def texts(locale: str) -> dict[str, str]:
    return json.loads((SIGNUP_DIR / "i18n" / f"{locale}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def currency_names(locale: str, today: date) -> tuple[tuple[str, str], ...]:
    """(code, name in the page's language) of the currencies in use, by name."""
    from babel.numbers import get_currency_name

    named = ((code, get_currency_name(code, locale=locale)) for code in currencies_in_use(today))
    return tuple(sorted(named, key=lambda pair: pair[1].casefold()))
