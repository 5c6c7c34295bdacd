"""Running the business from the backoffice: settings, services, staff, access levels, invitations.

Every function takes the caller's Principal (the business always comes from it), validates the input
with the domain's own rules, and stores the change together with its audit entry.
"""
from __future__ import annotations

import secrets
import string
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from botocore.exceptions import ClientError

from ..domain.principal import Level, Principal
from ..config import Settings
from ..domain.booking import LOCK_UNIT_MINUTES, check_service_shape
from ..domain.calendar import UTC, WEEKDAYS, Interval, WeeklyHours, format_clock
from ..domain.contact import normal_email, normal_phone
from ..domain.fields import checked_instant, checked_text as _text
from ..domain.model import Approval, BookingRules, Business, ClientChanges, Service, ServiceStatus, Staff, new_id
from ..errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from ..repositories import accounts, catalog_admin
from ..repositories.accounts import Account
from ..repositories.catalog_admin import CatalogSnapshot, Versioned
from . import audit

MAX_TIME_OFF = 100
MAX_CODE = 32
INVITATION_VALID_DAYS = 7


# -- reading -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Member:
    """A staff member as the backoffice shows them: profile and, if they have one, their login."""

    staff: Staff
    account: Account | None


def business(principal: Principal) -> Business:
    return catalog_admin.snapshot(principal.business_id).business.value


def services(principal: Principal) -> tuple[list[Service], dict[str, list[str]]]:
    """Every service (any status), and who performs each."""
    snap = catalog_admin.snapshot(principal.business_id)
    found = sorted((v.value for v in snap.services.values()), key=lambda s: (s.category, s.name))
    return found, _performers(snap)


def service(principal: Principal, service_id: str) -> tuple[Service, list[str]]:
    snap = catalog_admin.snapshot(principal.business_id)
    if service_id not in snap.services:
        raise NotFoundError("no such service", field="service")
    return snap.services[service_id].value, _performers(snap).get(service_id, [])


def staff(principal: Principal) -> list[Member]:
    snap = catalog_admin.snapshot(principal.business_id)
    logins = accounts.of_business(principal.business_id)
    return [Member(v.value, logins.get(v.value.id)) for v in sorted(snap.staff.values(), key=lambda v: v.value.name)]


def member(principal: Principal, staff_id: str) -> Member:
    found = catalog_admin.staff_member(principal.business_id, staff_id).value
    return Member(found, accounts.of_staff(principal.business_id, staff_id))


# -- business settings --------------------------------------------------------------------------------
BUSINESS_FIELDS = {"name", "phone", "opening_hours", "booking_rules", "secret_code"}
RULE_LIMITS = {  # name: (lowest, highest)
    "slot_step_minutes": (5, 240), "min_notice_minutes": (0, 60 * 24 * 30), "horizon_days": (1, 730),
    "client_change_notice_hours": (0, 24 * 30),
}


def update_business(principal: Principal, changes: dict, now: datetime) -> Business:
    _known(changes, BUSINESS_FIELDS)
    snap = catalog_admin.snapshot(principal.business_id)
    before = snap.business.value
    after = before
    if "name" in changes:
        after = replace(after, name=_text(changes["name"], "name", 120))
    if "phone" in changes:
        after = replace(after, phone=_phone(changes["phone"], "phone"))
    if "opening_hours" in changes:
        after = replace(after, opening_hours=WeeklyHours.from_json(changes["opening_hours"], field="opening_hours"))
    if "booking_rules" in changes:
        after = replace(after, rules=_rules(before.rules, changes["booking_rules"]))
    if "secret_code" in changes:
        after = replace(after, secret_code=_code(changes["secret_code"], "secret_code"))
    _save(principal, [Versioned(after, snap.business.revision)], "business.update", "business", before.id,
          business_view(before), business_view(after), now)
    return after


def _rules(current: BookingRules, data: Any) -> BookingRules:
    if not isinstance(data, dict):
        raise ValidationError("booking rules must be an object", field="booking_rules", code="wrong_type")
    names = set(RULE_LIMITS) | {"approval", "total_availability", "client_changes"}
    _known(data, names, prefix="booking_rules.")
    values: dict[str, Any] = {}
    for name, (low, high) in RULE_LIMITS.items():
        if name in data:
            values[name] = _integer(data[name], f"booking_rules.{name}", low, high)
    if "slot_step_minutes" in values and values["slot_step_minutes"] % LOCK_UNIT_MINUTES:
        raise ValidationError(f"must be a multiple of {LOCK_UNIT_MINUTES} minutes",
                              field="booking_rules.slot_step_minutes")
    if "approval" in data:
        values["approval"] = _choice(Approval, data["approval"], "booking_rules.approval")
    if "client_changes" in data:
        values["client_changes"] = _choice(ClientChanges, data["client_changes"], "booking_rules.client_changes")
    if "total_availability" in data:
        if not isinstance(data["total_availability"], bool):
            raise ValidationError("must be true or false", field="booking_rules.total_availability",
                                  code="wrong_type")
        values["total_availability"] = data["total_availability"]
    return replace(current, **values)


# -- services ----------------------------------------------------------------------------------------
SERVICE_FIELDS = {"name", "description", "category", "duration_minutes", "buffer_before_minutes",
                  "buffer_after_minutes", "price", "status", "staff"}


def create_service(principal: Principal, data: dict, now: datetime) -> tuple[Service, list[str]]:
    _known(data, SERVICE_FIELDS)
    if "name" not in data or "duration_minutes" not in data or "price" not in data:
        missing = next(f for f in ("name", "duration_minutes", "price") if f not in data)
        raise ValidationError("this field is required", field=missing, code="required")
    draft = Service(id=new_id("svc"), name="", duration_minutes=LOCK_UNIT_MINUTES, price=Decimal(0))
    return _write_service(principal, None, draft, data, now)


def update_service(principal: Principal, service_id: str, data: dict, now: datetime) -> tuple[Service, list[str]]:
    _known(data, SERVICE_FIELDS)
    return _write_service(principal, service_id, None, data, now)


def _write_service(principal: Principal, service_id: str | None, draft: Service | None, data: dict,
                   now: datetime) -> tuple[Service, list[str]]:
    snap = catalog_admin.snapshot(principal.business_id)
    if service_id is not None:
        if service_id not in snap.services:
            raise NotFoundError("no such service", field="service")
        record = snap.services[service_id]
    else:
        record = Versioned(draft, None)
    before = record.value
    after = before
    if "name" in data:
        after = replace(after, name=_text(data["name"], "name", 120))
    for name, limit in (("description", 2000), ("category", 80)):
        if name in data:
            after = replace(after, **{name: _text(data[name], name, limit, required=False) or ""})
    for name in ("duration_minutes", "buffer_before_minutes", "buffer_after_minutes"):
        if name in data:
            after = replace(after, **{name: _integer(data[name], name, 0, 24 * 60)})
    check_service_shape(after.duration_minutes, after.buffer_before_minutes, after.buffer_after_minutes)
    if "price" in data:
        after = replace(after, price=_price(data["price"]))
    if "status" in data:
        after = replace(after, status=_choice(ServiceStatus, data["status"], "status"))
    performers_before = sorted(_performers(snap).get(before.id, []))
    changed: list[Versioned] = [Versioned(after, record.revision)]
    performers_after = performers_before
    if "staff" in data:
        wanted = set(_ids(data["staff"], "staff"))
        unknown = wanted - set(snap.staff)
        if unknown:
            raise NotFoundError("no such staff member", field="staff")
        for staff_id, versioned in snap.staff.items():
            has = versioned.value.performs(after.id)
            if has != (staff_id in wanted):
                ids = versioned.value.service_ids | {after.id} if not has else versioned.value.service_ids - {after.id}
                changed.append(Versioned(replace(versioned.value, service_ids=frozenset(ids)), versioned.revision))
        performers_after = sorted(wanted)
    action = "service.create" if service_id is None else "service.update"
    _save(principal, changed, action, "service", after.id,
          None if service_id is None else {**service_view(before), "staff": performers_before},
          {**service_view(after), "staff": performers_after}, now)
    return after, performers_after


# -- staff profiles ------------------------------------------------------------------------------------
STAFF_FIELDS = {"name", "email", "phone", "hours", "breaks", "time_off", "services", "secret_code"}


def create_staff(principal: Principal, data: dict, now: datetime) -> Member:
    _known(data, STAFF_FIELDS)
    if "name" not in data:
        raise ValidationError("this field is required", field="name", code="required")
    snap = catalog_admin.snapshot(principal.business_id)
    draft = Staff(id=new_id("stf"), name="", service_ids=frozenset(), hours=WeeklyHours())
    after = _apply_profile(snap, draft, data)
    _check_email_free(principal.business_id, snap, after.email, except_staff=None)
    _save(principal, [Versioned(after, None)], "staff.create", "staff", after.id, None, staff_view(after), now)
    return Member(after, None)


def update_staff(principal: Principal, staff_id: str, data: dict, now: datetime) -> Member:
    _known(data, STAFF_FIELDS)
    snap = catalog_admin.snapshot(principal.business_id)
    if staff_id not in snap.staff:
        raise NotFoundError("no such staff member", field="staff")
    login = accounts.of_staff(principal.business_id, staff_id)
    _check_may_manage(principal, login)
    record = snap.staff[staff_id]
    after = _apply_profile(snap, record.value, data)
    if after.email != record.value.email:
        if login is not None:
            raise ConflictError("this staff member signs in with their email: it cannot change here",
                                field="email", code="email_is_login")
        _check_email_free(principal.business_id, snap, after.email, except_staff=staff_id)
    _save(principal, [Versioned(after, record.revision)], "staff.update", "staff", staff_id,
          staff_view(record.value), staff_view(after), now)
    return Member(after, login)


def _apply_profile(snap: CatalogSnapshot, current: Staff, data: dict) -> Staff:
    after = current
    if "name" in data:
        after = replace(after, name=_text(data["name"], "name", 120))
    if "email" in data:
        after = replace(after, email=normal_email(data["email"], field="email") if data["email"] else None)
    if "phone" in data:
        after = replace(after, phone=_phone(data["phone"], "phone"))
    if "hours" in data or "breaks" in data:
        hours = WeeklyHours.from_json(data["hours"], field="hours") if "hours" in data else after.hours
        if data.get("breaks") is not None:
            hours = subtract(hours, WeeklyHours.from_json(data["breaks"], field="breaks"))
        after = replace(after, hours=hours)
    if "time_off" in data:
        after = replace(after, time_off=_time_off(data["time_off"]))
    if "services" in data:
        wanted = set(_ids(data["services"], "services"))
        if wanted - set(snap.services):
            raise NotFoundError("no such service", field="services")
        after = replace(after, service_ids=frozenset(wanted))
    if "secret_code" in data:
        after = replace(after, secret_code=_code(data["secret_code"], "secret_code"))
    return after


def subtract(hours: WeeklyHours, breaks: WeeklyHours) -> WeeklyHours:
    """Working hours with the breaks taken out (a break may also lie outside the hours: then it is moot)."""
    days = []
    for spans, gaps in zip(hours.days, breaks.days):
        pieces = list(spans)
        for gap_start, gap_end in gaps:
            pieces = [part for start, end in pieces for part in ((start, min(end, gap_start)), (max(start, gap_end), end))
                      if part[0] < part[1]]
        days.append(tuple(sorted(pieces)))
    return WeeklyHours(tuple(days))


def breaks_of(hours: WeeklyHours) -> dict[str, list[list[str]]]:
    """The gaps between a day's working intervals: the breaks, as the backoffice shows them."""
    return {
        WEEKDAYS[i]: [[format_clock(a[1]), format_clock(b[0])] for a, b in zip(spans, spans[1:])]
        for i, spans in enumerate(hours.days) if len(spans) > 1
    }


def _time_off(data: Any) -> tuple[Interval, ...]:
    if not isinstance(data, list):
        raise ValidationError("time off is a list of {start, end}", field="time_off", code="wrong_type")
    if len(data) > MAX_TIME_OFF:
        raise ValidationError(f"at most {MAX_TIME_OFF} periods", field="time_off", code="too_long")
    periods = []
    for i, entry in enumerate(data):
        where = f"time_off[{i}]"
        if not isinstance(entry, dict):
            raise ValidationError("a period is {start, end}", field=where, code="wrong_type")
        start = _instant(entry.get("start"), f"{where}.start")
        end = _instant(entry.get("end"), f"{where}.end")
        if end <= start:
            raise ValidationError("a period must end after it starts", field=f"{where}.end")
        periods.append(Interval(start, end))
    return tuple(sorted(periods))


# -- access: levels and invitations ---------------------------------------------------------------------
@dataclass(frozen=True)
class Invitation:
    member: Member
    sent: bool


def change_level(principal: Principal, staff_id: str, level_value: Any, now: datetime) -> Member:
    level = _level(level_value)
    found = catalog_admin.staff_member(principal.business_id, staff_id).value
    login = accounts.of_staff(principal.business_id, staff_id)
    if login is None:
        raise NotFoundError("this staff member has no login yet: invite them first", field="staff",
                            code="no_login")
    _check_may_manage(principal, login)
    if level == Level.ADMIN and not principal.is_admin:
        raise ForbiddenError("only an administrator can make someone an administrator", field="level",
                             code="administrators_only")
    if login.level == Level.ADMIN and level != Level.ADMIN:
        admins = [a for a in accounts.of_business(principal.business_id).values() if a.level == Level.ADMIN]
        if len(admins) <= 1:
            raise ConflictError("the business would have no administrator left", field="level",
                                code="last_administrator")
    if login.level != level:
        accounts.set_level(login, int(level), audit.entry(
            principal, "access.change", "staff", staff_id, {"level": login.level}, {"level": int(level)}, now))
        login = replace(login, level=int(level))
    return Member(found, login)


def revoke_access(principal: Principal, cognito: Any, settings: Settings, staff_id: str, now: datetime) -> Member:
    """Take a staff member's login away: the very next request with their token is refused (the authorizer
    finds no login), their Cognito user is deleted, and the email may be invited again. The profile stays."""
    found = catalog_admin.staff_member(principal.business_id, staff_id).value
    login = accounts.of_staff(principal.business_id, staff_id)
    if login is None:
        raise NotFoundError("this staff member has no login", field="staff", code="no_login")
    _check_may_manage(principal, login)
    if login.level == Level.ADMIN:
        admins = [a for a in accounts.of_business(principal.business_id).values() if a.level == Level.ADMIN]
        if len(admins) <= 1:
            raise ConflictError("the business would have no administrator left", code="last_administrator")
    accounts.remove(login, audit.entry(principal, "access.revoke", "staff", staff_id,
                                       {"email": login.email, "level": login.level}, None, now))
    try:
        cognito.admin_delete_user(UserPoolId=settings.user_pool_id, Username=login.email)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "UserNotFoundException":
            raise
    return Member(found, None)


def invite(principal: Principal, cognito: Any, mailer: Any, settings: Settings, data: dict,
           now: datetime) -> Invitation:
    """Create the Cognito user (no Cognito message), store the login with the staff profile (new or
    existing) and send Turno's own invitation. One email is one login across Turno (Cognito usernames)."""
    _known(data, {"email", "level", "staff_id", "staff"})
    email = normal_email(_text(data.get("email"), "email", 254), field="email")
    level = _level(data.get("level"))
    if level == Level.ADMIN and not principal.is_admin:
        raise ForbiddenError("only an administrator can invite an administrator", field="level",
                             code="administrators_only")
    snap = catalog_admin.snapshot(principal.business_id)
    if data.get("staff_id") is not None:
        staff_id = _text(data["staff_id"], "staff_id", 64)
        if staff_id not in snap.staff:
            raise NotFoundError("no such staff member", field="staff_id")
        if accounts.of_staff(principal.business_id, staff_id) is not None:
            raise ConflictError("this staff member already has a login", field="staff_id", code="already_invited")
        record = snap.staff[staff_id]
        profile = _apply_profile(snap, record.value, {**(data.get("staff") or {}), "email": email})
        record = Versioned(profile, record.revision)
    else:
        profile_data = data.get("staff")
        if not isinstance(profile_data, dict):
            raise ValidationError("give staff_id, or a staff profile with at least a name", field="staff",
                                  code="required")
        _known(profile_data, STAFF_FIELDS - {"email"}, prefix="staff.")
        if "name" not in profile_data:
            raise ValidationError("this field is required", field="staff.name", code="required")
        draft = Staff(id=new_id("stf"), name="", service_ids=frozenset(), hours=WeeklyHours())
        record = Versioned(_apply_profile(snap, draft, {**profile_data, "email": email}), None)
    _check_email_free(principal.business_id, snap, email, except_staff=record.value.id if record.revision is not None else None)
    temporary = temporary_password()
    try:
        created = cognito.admin_create_user(
            UserPoolId=settings.user_pool_id, Username=email, TemporaryPassword=temporary, MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}])
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "UsernameExistsException":
            raise ConflictError("this email already has a Turno login", field="email", code="email_taken") from None
        raise
    sub = next(a["Value"] for a in created["User"]["Attributes"] if a["Name"] == "sub")
    account = Account(sub=sub, business_id=principal.business_id, staff_id=record.value.id, email=email,
                      level=int(level))
    entry = audit.entry(principal, "access.invite", "staff", record.value.id,
                        None if record.revision is None else staff_view(snap.staff[record.value.id].value),
                        {**staff_view(record.value), "level": int(level)}, now)
    try:
        accounts.create(account, now, [catalog_admin.item_for(principal.business_id, record)], entry)
    except ConflictError:
        cognito.admin_delete_user(UserPoolId=settings.user_pool_id, Username=email)  # nothing half-made stays
        raise
    sent = mailer(snap.business.value, record.value, email, temporary, level)
    return Invitation(Member(record.value, account), sent)


def temporary_password(length: int = 16) -> str:
    """Meets the pool's policy: upper and lower case, digits and a symbol, 12+ characters."""
    alphabet = string.ascii_letters + string.digits
    core = [secrets.choice(alphabet) for _ in range(length - 4)]
    core += [secrets.choice(string.ascii_uppercase), secrets.choice(string.ascii_lowercase),
             secrets.choice(string.digits), secrets.choice("!#%+-=?@")]
    secrets.SystemRandom().shuffle(core)
    return "".join(core)


# -- JSON views (also what the audit log records) -------------------------------------------------------
def business_view(business: Business) -> dict:
    rules = business.rules
    return {
        "name": business.name, "phone": business.phone, "opening_hours": business.opening_hours.to_json(),
        "booking_rules": {
            "slot_step_minutes": rules.slot_step_minutes, "min_notice_minutes": rules.min_notice_minutes,
            "horizon_days": rules.horizon_days, "approval": rules.approval.value,
            "total_availability": rules.total_availability, "client_changes": rules.client_changes.value,
            "client_change_notice_hours": rules.client_change_notice_hours,
        },
        "secret_code": business.secret_code,
    }


def service_view(service: Service) -> dict:
    return {
        "name": service.name, "description": service.description, "category": service.category,
        "duration_minutes": service.duration_minutes, "buffer_before_minutes": service.buffer_before_minutes,
        "buffer_after_minutes": service.buffer_after_minutes, "price": f"{service.price:.2f}",
        "status": service.status.value,
    }


def staff_view(member: Staff) -> dict:
    return {
        "name": member.name, "email": member.email, "phone": member.phone, "hours": member.hours.to_json(),
        "breaks": breaks_of(member.hours),
        "time_off": [{"start": _iso(i.start), "end": _iso(i.end)} for i in member.time_off],
        "services": sorted(member.service_ids), "secret_code": member.secret_code,
    }


# -- helpers -----------------------------------------------------------------------------------------
def _save(principal: Principal, changed: list[Versioned], action: str, kind: str, target: str,
          before: dict | None, after: dict | None, now: datetime) -> None:
    """Store the change with its audit entry; an edit that changes nothing writes nothing."""
    if before is not None and before == after:
        return
    catalog_admin.save(principal.business_id, changed, audit.entry(principal, action, kind, target, before, after, now))


def _performers(snap: CatalogSnapshot) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for staff_id in sorted(snap.staff):
        for service_id in snap.staff[staff_id].value.service_ids:
            found.setdefault(service_id, []).append(staff_id)
    return found


def _check_may_manage(principal: Principal, login: Account | None) -> None:
    """Managers run the team, but administrators are only changed by administrators."""
    if login is not None and login.level == Level.ADMIN and not principal.is_admin:
        raise ForbiddenError("only an administrator can change an administrator", code="administrators_only")


def _check_email_free(business_id: str, snap: CatalogSnapshot, email: str | None, except_staff: str | None) -> None:
    if not email:
        return
    taken = {v.value.email for k, v in snap.staff.items() if k != except_staff and v.value.email}
    taken |= {a.email for a in accounts.of_business(business_id).values() if a.staff_id != except_staff}
    if email in taken:
        raise ConflictError("another staff member already uses this email", field="email", code="email_taken")


def _known(data: dict, names: set[str], prefix: str = "") -> None:
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValidationError("unknown field", field=f"{prefix}{unknown[0]}", code="unknown_field")


def _integer(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("must be a whole number", field=field, code="wrong_type")
    if not low <= value <= high:
        raise ValidationError(f"must be between {low} and {high}", field=field, code="out_of_range")
    return value


def _choice(kind, value: Any, field: str):
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise ValidationError(f"must be one of: {allowed}", field=field, code="invalid_choice") from None


def _price(value: Any) -> Decimal:
    """Prices are strings like "25.00" (or whole numbers): never floats, at most two decimals."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValidationError('a price is a string like "25.00"', field="price", code="wrong_type")
    try:
        price = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError('a price is a string like "25.00"', field="price", code="invalid_price") from None
    if not price.is_finite() or price < 0 or price >= 100000 or price != price.quantize(Decimal("0.01")):
        raise ValidationError("a price is between 0 and 99999.99, with at most two decimals", field="price",
                              code="invalid_price")
    return price.quantize(Decimal("0.01"))


def _phone(value: Any, field: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValidationError("must be a string", field=field, code="wrong_type")
    return normal_phone(value, field=field)


def _code(value: Any, field: str) -> str | None:
    """A secret code (null clears it): 4 to 32 letters, digits or dashes, compared case-insensitively."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValidationError("must be a string", field=field, code="wrong_type")
    code = value.strip()
    if not 4 <= len(code) <= MAX_CODE or not all(c.isalnum() or c in "-_" for c in code):
        raise ValidationError(f"a code has 4 to {MAX_CODE} letters, digits, '-' or '_'", field=field,
                              code="invalid_code_format")
    return code


def _ids(value: Any, field: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or len(value) > 200:
        raise ValidationError("must be a list of ids", field=field, code="wrong_type")
    return value


def _level(value: Any) -> Level:
    try:
        return Level.parse(value)
    except ValueError:
        raise ValidationError("an access level is 1 to 7 (1 administrator ... 7 own agenda only)", field="level",
                              code="invalid_level") from None


def _instant(value: Any, field: str) -> datetime:
    return checked_instant(value, field).astimezone(UTC)


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def resend_invitation(principal: Principal, cognito: Any, mailer: Any, settings: Settings, staff_id: str,
                      now: datetime) -> Invitation:
    """A fresh temporary password and a new email, for someone who has not signed in yet."""
    found = catalog_admin.staff_member(principal.business_id, staff_id).value
    login = accounts.of_staff(principal.business_id, staff_id)
    if login is None:
        raise NotFoundError("this staff member has no login yet: invite them first", field="staff", code="no_login")
    _check_may_manage(principal, login)
    user = cognito.admin_get_user(UserPoolId=settings.user_pool_id, Username=login.email)
    if user.get("UserStatus") != "FORCE_CHANGE_PASSWORD":
        raise ConflictError("this staff member has already signed in", code="already_signed_in")
    temporary = temporary_password()
    cognito.admin_set_user_password(UserPoolId=settings.user_pool_id, Username=login.email, Password=temporary,
                                    Permanent=False)
    audit.record(audit.entry(principal, "access.reinvite", "staff", staff_id, None, {"email": login.email}, now))
    sent = mailer(catalog_admin.snapshot(principal.business_id).business.value, found, login.email, temporary,
                  Level(login.level))
    return Invitation(Member(found, login), sent)
