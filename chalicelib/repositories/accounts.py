"""Staff logins in our table: Cognito subject -> business, staff member, access level; and sign-in throttling."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from ..errors import ConflictError
from ..domain.audit import AuditEntry
from . import throttles
from .codecs import audit_item
from .tables import AccountItem, Item, StaffAccountItem, ThrottleItem


@dataclass(frozen=True)
class Account:
    sub: str
    business_id: str
    staff_id: str
    email: str
    level: int
    signed_out_at: float | None = None


def _connection():
    return Item._get_connection().connection


def by_sub(sub: str) -> Account | None:
    """The authorizer's one read per request; strongly consistent, so a level change, a sign-out or a
    removed login applies to the very next request."""
    try:
        item = AccountItem.get(f"SUB#{sub}", "ACCOUNT", consistent_read=True)
    except DoesNotExist:
        return None
    return Account(sub=sub, business_id=item.business_id, staff_id=item.staff_id, email=item.email,
                   level=int(item.level), signed_out_at=item.signed_out_at)


def of_business(business_id: str) -> dict[str, Account]:
    """staff id -> login, for one business."""
    return {
        item.staff_id: Account(sub=item.sub, business_id=business_id, staff_id=item.staff_id, email=item.email,
                               level=int(item.level))
        for item in StaffAccountItem.query(f"BIZ#{business_id}#ACCOUNT", consistent_read=True)
    }


def of_staff(business_id: str, staff_id: str) -> Account | None:
    try:
        item = StaffAccountItem.get(f"BIZ#{business_id}#ACCOUNT", staff_id, consistent_read=True)
    except DoesNotExist:
        return None
    return Account(sub=item.sub, business_id=business_id, staff_id=staff_id, email=item.email, level=int(item.level))


def create(account: Account, now: datetime, extra: list[tuple[Item, Any]], audit: AuditEntry | None) -> None:
    """Both sides of a new login, the staff profile if new (`extra`), and the audit entry, all or nothing.
    A staff member has at most one login: a second one is ConflictError `already_invited`."""
    try:
        with TransactWrite(connection=_connection()) as tx:
            for item in login_items(account, now):
                tx.save(item, condition=Item.pk.does_not_exist())
            for item, condition in extra:
                tx.save(item, condition=condition)
            if audit is not None:
                tx.save(audit_item(audit))
    except TransactWriteError:
        raise ConflictError("this staff member already has a login, or was changed meanwhile",
                            code="already_invited") from None


def login_items(account: Account, now: datetime) -> tuple[AccountItem, StaffAccountItem]:
    """Both sides of a login: by its directory subject (the authorizer's read) and under its business."""
    return (AccountItem(pk=f"SUB#{account.sub}", sk="ACCOUNT", business_id=account.business_id,
                        staff_id=account.staff_id, email=account.email, level=account.level),
            StaffAccountItem(pk=f"BIZ#{account.business_id}#ACCOUNT", sk=account.staff_id, staff_id=account.staff_id,
                             sub=account.sub, email=account.email, level=account.level, created_at=now))


def set_level(account: Account, level: int, audit: AuditEntry) -> None:
    """Both sides change together, and only if the level is still what was read."""
    try:
        with TransactWrite(connection=_connection()) as tx:
            tx.update(AccountItem(pk=f"SUB#{account.sub}", sk="ACCOUNT"), [AccountItem.level.set(level)],
                      condition=AccountItem.level == account.level)
            tx.update(StaffAccountItem(pk=f"BIZ#{account.business_id}#ACCOUNT", sk=account.staff_id),
                      [StaffAccountItem.level.set(level)], condition=StaffAccountItem.level == account.level)
            tx.save(audit_item(audit))
    except TransactWriteError:
        raise ConflictError("the access level was changed meanwhile; reload", code="changed_meanwhile") from None


def remove(account: Account, audit: AuditEntry) -> None:
    """Both sides of a login go, with the audit entry; only if the login is still the one read."""
    try:
        with TransactWrite(connection=_connection()) as tx:
            tx.delete(AccountItem(pk=f"SUB#{account.sub}", sk="ACCOUNT"), condition=AccountItem.level == account.level)
            tx.delete(StaffAccountItem(pk=f"BIZ#{account.business_id}#ACCOUNT", sk=account.staff_id),
                      condition=StaffAccountItem.sub == account.sub)
            tx.save(audit_item(audit))
    except TransactWriteError:
        raise ConflictError("the login was changed meanwhile; reload", code="changed_meanwhile") from None


def mark_signed_out(sub: str, at: float) -> None:
    """Tokens issued before `at` stop working on our routes (see chalicelib/auth/authorizer.py)."""
    AccountItem(pk=f"SUB#{sub}", sk="ACCOUNT").update(
        actions=[AccountItem.signed_out_at.set(at)], condition=Item.pk.exists())


# -- failed sign-ins ------------------------------------------------------------------------------
def _throttle_key(email: str) -> str:
    """Hashed, so the table never lists the addresses people tried."""
    return "THROTTLE#login#" + hashlib.sha256(email.casefold().encode()).hexdigest()


def _throttle_sort_key(address: str | None) -> str:
    """"login" for every failure for the email; one more item per network address that failed for it."""
    if address is None:
        return "login"
    return "login#from#" + hashlib.sha256(address.encode()).hexdigest()


def recent_failures(email: str, since: float, address: str | None = None) -> list[float]:
    """Failed sign-ins for `email` since then: from `address` only, or (None) from everywhere."""
    return throttles.recent(_throttle_key(email), _throttle_sort_key(address), since)


def save_failures(email: str, failures: list[float], keep_seconds: int, address: str | None = None) -> None:
    throttles.save(_throttle_key(email), _throttle_sort_key(address), failures, keep_seconds)


def clear_failures(email: str, address: str | None = None) -> None:
    ThrottleItem(pk=_throttle_key(email), sk=_throttle_sort_key(address)).delete()


def replace_login(account: Account, now: datetime) -> None:
    """Point a staff member's login at a new Cognito subject, dropping the old one (the local demo: moto's
    pool is new at every start while DynamoDB Local keeps the table)."""
    try:
        old = StaffAccountItem.get(f"BIZ#{account.business_id}#ACCOUNT", account.staff_id, consistent_read=True)
    except DoesNotExist:
        old = None
    with TransactWrite(connection=_connection()) as tx:
        if old is not None and old.sub != account.sub:
            tx.delete(AccountItem(pk=f"SUB#{old.sub}", sk="ACCOUNT"))
        for item in login_items(account, now):
            tx.save(item)
