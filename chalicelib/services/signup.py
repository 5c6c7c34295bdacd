"""A new salon signs itself up: its public address (slug) checked as typed, then the business opened with
the starter defaults and its owner as the administrator (level 1), who gets Turno's welcome email with a
temporary password; signing in with it proves the email is theirs and sets their own password (the same
first sign-in as an invited colleague's, services/invitations.py).

Nothing is half-made: the directory user comes first (an email with a login already is refused there),
then one write claims the slug with everything else, then the email goes out; a failure at any step takes
back the steps before it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from ..domain.contact import normal_email
from ..domain.fields import checked_text, reject_unknown
from ..domain.model import new_id
from ..domain.signup import (
    Opening, SlugCheck, checked_currency, checked_locale, checked_slug, checked_timezone, normal_slug,
    owner_profile, slug_problem, starter_business,
)
from ..errors import ConflictError, TooManyAttemptsError, UnprocessableError, ValidationError
from ..observability import logger as log
from ..ports import Directory, Mailer, NotSentError, Registry, UserExistsError
from ..notifications.render import message_locale
from ..templating import environment
from .invitations import VALID_DAYS, directory_failures_answered, email_words, temporary_password

FIELDS = {"business_name", "slug", "timezone", "locale", "currency", "owner_name", "email"}
WINDOW_SECONDS = 60 * 60
MAX_SIGNUPS = 5  # per network address in the window: a salon signs up once; a script squatting slugs stops


@dataclass(frozen=True)
class Links:
    sign_in_url: str  # where the owner signs in (the backoffice)
    public_url: str  # where booking pages are: the new one is <public_url>/b/<slug>


def check_slug(registry: Registry, value: str) -> SlugCheck:
    """As the owner types: available, or why not (`invalid`, `reserved`, `taken`)."""
    slug = normal_slug(value)
    problem = slug_problem(slug)
    if problem.available and registry.slug_taken(slug):
        return SlugCheck(slug, "taken", "another business has this address; choose another one")
    return problem


@directory_failures_answered  # a throttle is a 429, any other refusal a 503
def sign_up(registry: Registry, directory: Directory, mailer: Mailer, data: dict, address: str, now: datetime,
            links: Links) -> Opening:
    """Open the business and send its owner the welcome email; 409 `slug_taken` or `email_taken`, 422
    `email_not_sent` (nothing kept), 429 after MAX_SIGNUPS from one address in an hour."""
    opening = _opening(data, now)
    _count_attempt(registry, address, now)
    if registry.slug_taken(opening.business.slug):
        raise ConflictError("another business has this address; choose another one", field="slug", code="slug_taken")
    temporary = temporary_password()
    try:
        subject = directory.create_user(opening.owner_email, temporary_password=temporary)
    except UserExistsError:
        raise ConflictError("this email already has a Turno login; sign in, or use another email", field="email",
                            code="email_taken") from None
    opening = replace(opening, owner_subject=subject)
    try:
        registry.open(opening)
    except BaseException:
        directory.delete_user(opening.owner_email)
        raise
    try:
        _welcome(mailer, opening, temporary, links)
    except BaseException:
        registry.close(opening)
        directory.delete_user(opening.owner_email)
        raise
    return opening


def _opening(data: dict, now: datetime) -> Opening:
    """The sign-up form's fields, each checked and named when wrong; the directory subject comes later."""
    if not isinstance(data, dict):
        raise ValidationError("the body must be a JSON object", code="malformed_json")
    reject_unknown(data, FIELDS)
    email = normal_email(checked_text(data.get("email"), "email", 254), field="email")
    business = starter_business(
        new_id("biz"), checked_slug(data.get("slug")), checked_text(data.get("business_name"), "business_name", 100),
        checked_timezone(data.get("timezone")), checked_locale(data.get("locale")),
        checked_currency(data.get("currency"), now.date()))
    owner = owner_profile(new_id("stf"), checked_text(data.get("owner_name"), "owner_name", 100), email)
    return Opening(business, owner, "", email, now)


def _count_attempt(registry: Registry, address: str, now: datetime) -> None:
    """Every well-formed attempt counts, won or lost, so nobody can probe which emails have a login."""
    at = now.timestamp()
    recent = registry.recent_signups(address, at - WINDOW_SECONDS)
    if len(recent) >= MAX_SIGNUPS:
        raise TooManyAttemptsError("too many sign-ups from this network; try again later",
                                   retry_after=int(min(recent) + WINDOW_SECONDS - at) + 1)
    registry.save_signups(address, recent + [at], WINDOW_SECONDS)


def render(opening: Opening, password: str, links: Links) -> dict[str, str]:
    """The welcome email's subject, text and HTML (templates/email/welcome.*), in the business's language."""
    locale = message_locale(opening.business.locale)
    words = email_words(locale)
    values = {"locale": locale, "t": words, "w": words["welcome"], "business": opening.business.name, "name": opening.owner.name, "email": opening.owner_email,
              "password": password, "sign_in_url": links.sign_in_url,
              "booking_url": f"{links.public_url.rstrip('/')}/b/{opening.business.slug}",
              "valid_days": VALID_DAYS}
    env = environment()
    return {part: env.get_template(f"email/welcome.{suffix}").render(values).strip()
            for part, suffix in (("subject", "subject.txt"), ("text", "txt"), ("html", "html"))}


def _welcome(mailer: Mailer, opening: Opening, password: str, links: Links) -> None:
    message = render(opening, password, links)
    try:
        mailer.send(opening.owner_email, message["subject"], message["text"], message["html"])
    except NotSentError as error:
        log.warning("welcome email for business %s not sent: %s", opening.business.id, error.code)
        raise UnprocessableError("we could not send an email to this address: check it, or try again later",
                                 field="email", code="email_not_sent") from None
