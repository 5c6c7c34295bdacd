"""DynamoDB side of retention: when each client was last seen, in the `agenda` index by date, and which
businesses have retention on. The nightly job reads both by key and index, never by scanning.

  BIZ#<b>#SEEN / <client>         last_seen, erased      raised by the stream, never lowered
    agenda index: BIZ#<b>#IDLE / <last seen>#<client>  (removed once the client is erased)
  BIZ#<b>#PRIVACY / SETTINGS      retention_months
  PRIVACY#RETENTION / <b>         retention_months       one partition: the businesses to visit
"""
from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import UpdateError
from pynamodb.transactions import TransactWrite

from .codecs import idle_pk, iso, seen_pk
from .tables import ClientSeenItem, PrivacySettingsItem
from .transactions import connection

REGISTRY = "PRIVACY#RETENTION"


def raise_seen(business_id: str, client_id: str, at: datetime) -> bool:
    """Move the client's last-seen time forward to `at`; False when it was already as late (or erased).
    Conditional, so stream records applied twice or out of order leave the latest time."""
    item = ClientSeenItem(pk=seen_pk(business_id), sk=client_id)
    try:
        item.update(actions=[
            ClientSeenItem.kind.set(ClientSeenItem), ClientSeenItem.client_id.set(client_id),
            ClientSeenItem.last_seen.set(at), ClientSeenItem.agenda_pk.set(idle_pk(business_id)),
            ClientSeenItem.agenda_sk.set(f"{iso(at)}#{client_id}"),
        ], condition=ClientSeenItem.erased.does_not_exist() & (
            ClientSeenItem.last_seen.does_not_exist() | (ClientSeenItem.last_seen < at)))
        return True
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise


def last_seen(business_id: str, client_id: str) -> datetime | None:
    try:
        return ClientSeenItem.get(seen_pk(business_id), client_id).last_seen
    except ClientSeenItem.DoesNotExist:
        return None


def mark_erased(business_id: str, client_id: str) -> None:
    """Out of the idle index for good: later stream records of their appointments raise nothing."""
    ClientSeenItem(pk=seen_pk(business_id), sk=client_id).update(actions=[
        ClientSeenItem.kind.set(ClientSeenItem), ClientSeenItem.client_id.set(client_id),
        ClientSeenItem.erased.set(True), ClientSeenItem.agenda_pk.remove(), ClientSeenItem.agenda_sk.remove()])


def idle(business_id: str, before: datetime, limit: int) -> list[tuple[str, datetime]]:
    """Up to `limit` clients last seen before `before`, longest idle first: one index query."""
    rows = ClientSeenItem.agenda.query(idle_pk(business_id), ClientSeenItem.agenda_sk < iso(before),
                                       limit=limit)
    return [(row.client_id, row.last_seen) for row in rows]


# -- the setting ---------------------------------------------------------------------------------------
def retention_months(business_id: str) -> int | None:
    try:
        item = PrivacySettingsItem.get(f"BIZ#{business_id}#PRIVACY", "SETTINGS")
    except PrivacySettingsItem.DoesNotExist:
        return None
    return int(item.retention_months) if item.retention_months is not None else None


def save_retention(business_id: str, months: int | None, now: datetime) -> None:
    """The setting and the registry entry together: the job visits exactly the businesses that have it on."""
    own = PrivacySettingsItem(pk=f"BIZ#{business_id}#PRIVACY", sk="SETTINGS", business_id=business_id,
                              retention_months=months, updated_at=now)
    listed = PrivacySettingsItem(pk=REGISTRY, sk=business_id, business_id=business_id, retention_months=months,
                                 updated_at=now)
    with TransactWrite(connection=connection()) as tx:
        tx.save(own)
        if months is None:
            tx.delete(listed)
        else:
            tx.save(listed)


def businesses() -> list[tuple[str, int]]:
    """(business id, months) of every business with retention on: one query of one partition."""
    return [(i.business_id, int(i.retention_months)) for i in PrivacySettingsItem.query(REGISTRY)
            if i.retention_months is not None]
