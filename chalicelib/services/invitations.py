"""Inviting staff to the backoffice: a directory user with a temporary password, the login stored with the
staff profile (new or existing), and Turno's own invitation email. The directory sends nothing itself.

One email is one login across Turno (directory usernames are emails)."""
from __future__ import annotations

import functools
import json
import secrets
import string
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any, Callable

from ..domain.calendar import WeeklyHours
from ..domain.contact import normal_email
from ..domain.fields import checked_level, checked_text, reject_unknown
from ..domain.model import Business, Staff, new_id
from ..domain.principal import Level, Principal
from ..domain.views import staff_view
from ..errors import (ConflictError, ForbiddenError, NotFoundError, TooManyAttemptsError, UnavailableError,
                      ValidationError)
from ..observability import logger as log
from ..ports import (Directory, DirectoryError, Mailer, NotSentError, ThrottledError, UserExistsError,
                     UserNotFoundError)
from ..repositories import accounts, catalog_admin
from ..repositories.accounts import Account
from ..repositories.catalog_admin import Versioned
from ..notifications.render import message_locale
from ..templating import TEMPLATES_DIR, environment
from . import audit
from .team import FIELDS as PROFILE_FIELDS
from .team import Member, apply_profile, check_email_free, check_may_manage

VALID_DAYS = 7  # the temporary password's life: the pool's TemporaryPasswordValidityDays (infra/)


def directory_failures_answered(use_case: Callable) -> Callable:
    """The directory throttling its administrator calls (Cognito's TooManyRequests) is a 429 to retry in a
    minute; any other refusal the use case did not expect is a 503, never a 500."""

    @functools.wraps(use_case)
    def wrapped(*args: Any, **kw: Any) -> Any:
        try:
            return use_case(*args, **kw)
        except ThrottledError:
            raise TooManyAttemptsError("the sign-in service is busy; try again in a minute", retry_after=60) from None
        except DirectoryError:
            log.exception("the staff directory refused a call")
            raise UnavailableError("the sign-in service did not answer as expected; try again later") from None

    return wrapped


@dataclass(frozen=True)
class Invitation:
    member: Member
    sent: bool  # whether the email went out; the login exists either way, and it can be sent again


@directory_failures_answered
def invite(principal: Principal, directory: Directory, mailer: Mailer, data: dict, now: datetime, *,
           sign_in_url: str) -> Invitation:
    """Create the directory user, store the login with the staff profile (new or existing) and send
    Turno's own invitation."""
    reject_unknown(data, {"email", "level", "staff_id", "staff"})
    email = normal_email(checked_text(data.get("email"), "email", 254), field="email")
    level = checked_level(data.get("level"))
    if level == Level.ADMIN and not principal.is_admin:
        raise ForbiddenError("only an administrator can invite an administrator", field="level",
                             code="administrators_only")
    snap = catalog_admin.snapshot(principal.business_id)
    if data.get("staff_id") is not None:
        staff_id = checked_text(data["staff_id"], "staff_id", 64)
        if staff_id not in snap.staff:
            raise NotFoundError("no such staff member", field="staff_id")
        if accounts.of_staff(principal.business_id, staff_id) is not None:
            raise ConflictError("this staff member already has a login", field="staff_id", code="already_invited")
        record = snap.staff[staff_id]
        profile = apply_profile(snap, record.value, {**(data.get("staff") or {}), "email": email})
        record = Versioned(profile, record.revision)
    else:
        profile_data = data.get("staff")
        if not isinstance(profile_data, dict):
            raise ValidationError("give staff_id, or a staff profile with at least a name", field="staff",
                                  code="required")
        reject_unknown(profile_data, PROFILE_FIELDS - {"email"}, prefix="staff.")
        if "name" not in profile_data:
            raise ValidationError("this field is required", field="staff.name", code="required")
        draft = Staff(id=new_id("stf"), name="", service_ids=frozenset(), hours=WeeklyHours())
        record = Versioned(apply_profile(snap, draft, {**profile_data, "email": email}), None)
    check_email_free(principal.business_id, snap, email,
                     except_staff=record.value.id if record.revision is not None else None)
    temporary = temporary_password()
    try:
        sub = directory.create_user(email, temporary_password=temporary)
    except UserExistsError:
        raise ConflictError("this email already has a Turno login", field="email", code="email_taken") from None
    account = Account(sub=sub, business_id=principal.business_id, staff_id=record.value.id, email=email,
                      level=int(level))
    entry = audit.entry(principal, "access.invite", "staff", record.value.id,
                        None if record.revision is None else staff_view(snap.staff[record.value.id].value),
                        {**staff_view(record.value), "level": int(level)}, now)
    try:
        accounts.create(account, now, [catalog_admin.item_for(principal.business_id, record)], entry)
    except ConflictError:
        directory.delete_user(email)  # nothing half-made stays
        raise
    sent = _send(mailer, snap.business.value, record.value, email, temporary, level, sign_in_url)
    return Invitation(Member(record.value, account), sent)


@directory_failures_answered
def resend(principal: Principal, directory: Directory, mailer: Mailer, staff_id: str, now: datetime, *,
           sign_in_url: str) -> Invitation:
    """A fresh temporary password and a new email, for someone who has not signed in yet."""
    found = catalog_admin.staff_member(principal.business_id, staff_id).value
    login = accounts.of_staff(principal.business_id, staff_id)
    if login is None:
        raise NotFoundError("this staff member has no login yet: invite them first", field="staff", code="no_login")
    check_may_manage(principal, login)
    temporary = temporary_password()
    try:
        waiting = directory.must_change_password(login.email)
    except UserNotFoundError:
        login = _recreate(directory, login, temporary, now)
    else:
        if not waiting:
            raise ConflictError("this staff member has already signed in", code="already_signed_in")
        directory.set_password(login.email, temporary, permanent=False)
    audit.record(audit.entry(principal, "access.reinvite", "staff", staff_id, None, {"email": login.email}, now))
    sent = _send(mailer, catalog_admin.snapshot(principal.business_id).business.value, found, login.email,
                 temporary, Level(login.level), sign_in_url)
    return Invitation(Member(found, login), sent)


def _recreate(directory: Directory, login: Account, temporary: str, now: datetime) -> Account:
    """The directory lost the user (a local stack's pool is new at each start; a user deleted by hand):
    the same login again, under the directory's new subject, so the invitation can go out."""
    log.warning("staff %s had no directory user: created again", login.staff_id)
    try:
        again = replace(login, sub=directory.create_user(login.email, temporary_password=temporary))
    except UserExistsError:  # another resend created it meanwhile, and its email is on the way
        raise ConflictError("an invitation to this person is being sent right now; try again in a moment",
                            code="try_again") from None
    accounts.replace_login(again, now)
    return again


def temporary_password(length: int = 16) -> str:
    """Meets the pool's policy: upper and lower case, digits and a symbol, 12+ characters."""
    alphabet = string.ascii_letters + string.digits
    core = [secrets.choice(alphabet) for _ in range(length - 4)]
    core += [secrets.choice(string.ascii_uppercase), secrets.choice(string.ascii_lowercase),
             secrets.choice(string.digits), secrets.choice("!#%+-=?@")]
    secrets.SystemRandom().shuffle(core)
    return "".join(core)


def render(business: Business, member: Staff, email: str, password: str, level: Level,
           sign_in_url: str) -> dict[str, str]:
    """The invitation's subject, text and HTML (templates/email/invitation.*), in the business's language
    (the words in templates/email/i18n/<language>.json, the languages of the clients' messages)."""
    locale = message_locale(business.locale)
    words = email_words(locale)
    values = {"business": business.name, "name": member.name, "email": email, "password": password,
              "level": words["levels"][str(int(level))], "sign_in_url": sign_in_url, "valid_days": VALID_DAYS,
              "locale": locale, "t": words}
    env = environment()
    return {part: env.get_template(f"email/invitation.{suffix}").render(values).strip()
            for part, suffix in (("subject", "subject.txt"), ("text", "txt"), ("html", "html"))}


@lru_cache(maxsize=None)
def email_words(locale: str) -> dict:
    """The words of Turno's own emails to staff in one language (templates/email/i18n/<locale>.json)."""
    return json.loads((TEMPLATES_DIR / "email" / "i18n" / f"{locale}.json").read_text(encoding="utf-8"))


def _send(mailer: Mailer, business: Business, member: Staff, email: str, password: str, level: Level,
          sign_in_url: str) -> bool:
    """Whether the invitation went out: if not, the login exists and the invitation can be sent again."""
    message = render(business, member, email, password, level, sign_in_url)
    try:
        mailer.send(email, message["subject"], message["text"], message["html"])
    except NotSentError as error:
        log.warning("invitation to staff %s not sent: %s", member.id, error.code)
        return False
    return True
