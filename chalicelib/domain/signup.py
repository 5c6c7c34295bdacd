"""A new business as its owner describes it at sign-up, and what it starts with. Pure: no I/O.

The slug is the business's public address (`/b/<slug>`, `/public/<slug>/...`): lower-case letters, digits
and single hyphens, 3 to 40 characters, and never a word the product's own addresses use (RESERVED).
Every business starts from STARTER_HOURS and the default booking rules and message settings
(`BookingRules()`, `NotificationSettings()`); the local demo salon starts from the same ones.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from ..errors import ValidationError
from .calendar import WeeklyHours
from .fields import checked_text
from .model import BookingRules, Business, Staff

MIN_SLUG, MAX_SLUG = 3, 40
SLUG_FORMAT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Words the product's own addresses use, or may use next (a salon called "admin" would shadow a route).
RESERVED = frozenset({
    "about", "account", "accounts", "admin", "admin-app", "api", "app", "apps", "assets", "auth", "b", "billing",
    "blog", "bookings", "cdn", "contact", "dashboard", "demo-app", "docs", "help", "home", "legal", "login",
    "logout", "mail", "manage", "new", "password", "pricing", "privacy", "public", "register", "root", "security",
    "settings", "signin", "signup", "slugs", "static", "status", "support", "terms", "turno", "www",
})
LOCALES = ("cs", "en", "es", "et", "it")  # the languages of the pages and messages
STARTER_HOURS = {**{day: [["09:00", "20:00"]] for day in ("mon", "tue", "wed", "thu", "fri")},
                 "sat": [["09:00", "14:00"]]}


@dataclass(frozen=True)
class SlugCheck:
    """Whether a slug can be had, and if not why: `invalid`, `reserved` or `taken`."""

    slug: str
    reason: str | None = None
    message: str = ""

    @property
    def available(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class Opening:
    """Everything a sign-up writes at once: the business (its slug with it), its owner's staff profile and
    the owner's login (the directory's subject for their email), at access level 1."""

    business: Business
    owner: Staff
    owner_subject: str
    owner_email: str
    at: datetime


def normal_slug(value: Any) -> str:
    """As typed, lower-cased and trimmed: "Salon-Rosa " is "salon-rosa"."""
    if not isinstance(value, str):
        raise ValidationError("must be a string", field="slug", code="wrong_type")
    return unicodedata.normalize("NFC", value).strip().lower()


def slug_problem(slug: str) -> SlugCheck:
    """The slug's own problem (format or reserved), before anyone looks whether it is taken."""
    if slug in RESERVED:
        return SlugCheck(slug, "reserved", "this address is reserved; choose another one")
    if not MIN_SLUG <= len(slug) <= MAX_SLUG:
        return SlugCheck(slug, "invalid", f"an address has {MIN_SLUG} to {MAX_SLUG} characters")
    if not SLUG_FORMAT.match(slug):
        return SlugCheck(slug, "invalid", "use lower-case letters a-z, digits and single hyphens inside")
    return SlugCheck(slug)


def checked_slug(value: Any) -> str:
    slug = normal_slug(checked_text(value, "slug", 100))
    problem = slug_problem(slug)
    if not problem.available:
        raise ValidationError(problem.message, field="slug", code=f"slug_{problem.reason}")
    return slug


def checked_timezone(value: Any) -> str:
    """An IANA time zone name ("Europe/Madrid") the platform's tz database knows."""
    name = checked_text(value, "timezone", 64)
    if name not in _time_zones():
        raise ValidationError("not a time zone name like Europe/Madrid", field="timezone", code="invalid_timezone")
    return name


def checked_locale(value: Any) -> str:
    locale = checked_text(value, "locale", 8)
    if locale not in LOCALES:
        raise ValidationError(f"one of: {', '.join(LOCALES)}", field="locale", code="invalid_locale")
    return locale


def checked_currency(value: Any, today: date) -> str:
    """An ISO 4217 code in use somewhere today ("EUR"; not "DEM" nor "XAU"), as babel's CLDR data says."""
    code = (checked_text(value, "currency", 3) or "").upper()
    if code not in currencies_in_use(today):
        raise ValidationError("not a currency in use, like EUR", field="currency", code="invalid_currency")
    return code


@lru_cache(maxsize=4)
def currencies_in_use(today: date) -> frozenset[str]:
    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    return frozenset(code for territory in get_global("territory_currencies")
                     for code in get_territory_currencies(territory, today))


# Names the tz database files carry that are no place: the machine's own clock (which differs between a
# laptop and Lambda) and the placeholder for "not set yet".
NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    from zoneinfo import available_timezones

    return frozenset(available_timezones()) - NOT_PLACES


def listed_time_zones() -> list[str]:
    """The zones a sign-up form offers: places ("Europe/Rome") and UTC, not the legacy aliases."""
    legacy = ("Etc/", "SystemV/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/")
    return sorted(z for z in _time_zones() if ("/" in z and not z.startswith(legacy)) or z == "UTC")


def starter_business(business_id: str, slug: str, name: str, timezone: str, locale: str, currency: str, *,
                     phone: str | None = None) -> Business:
    """A business as it opens: Monday to Friday 09:00-20:00, Saturday 09:00-14:00, the default booking rules
    (a slot every 15 minutes, an hour's notice, 60 days ahead, confirmed at once)."""
    return Business(id=business_id, slug=slug, name=name, timezone=timezone, locale=locale, currency=currency,
                    opening_hours=WeeklyHours.from_json(STARTER_HOURS), rules=BookingRules(), phone=phone)


def owner_profile(staff_id: str, name: str, email: str) -> Staff:
    """The owner at the front desk: no services or hours until they say they take appointments."""
    return Staff(id=staff_id, name=name, service_ids=frozenset(), hours=WeeklyHours(), email=email)
