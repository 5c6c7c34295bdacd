"""DynamoDB side of a client's export and erasure: every read by key or by index, never a scan.

Where each thing about a client is found:
  outbox items     the `agenda` index, BIZ#<b>#OUTBOXOF#<client> (codecs.outbox_item), and for items written
                   before that key existed, the outbox ids their message log names (finished items expire
                   30 days after they finish anyway)
  message log      BIZ#<b>#MSGLOG#<client>
  audit entries    the `agenda` index, BIZ#<b>#AUDITOF#<kind>#<id> (codecs.audit_item); older entries get the
                   key from `jobs/backfill_privacy.py`
  search entries   BIZ#<b>#FIND#client, by the keys the client's own words make (domain/search.py)
"""
from __future__ import annotations

from typing import Iterable

from pynamodb.exceptions import DeleteError, UpdateError

from ..domain.clients import ClientProfile
from ..domain.messages import LoggedMessage, OutboxMessage
from ..domain.privacy import scrubbed_deliveries, scrubbed_offer, scrubbed_view
from ..domain.search import SearchEntry, client_entries
from ..errors import ConflictError
from . import codecs
from .codecs import audit_of_pk, outbox_of_pk
from .tables import AuditItem, MessageLogItem, OutboxItem, SearchEntryItem


class OutboxBusyError(ConflictError):
    """A message to this client is being sent right now: try the erasure again in a minute."""

    code = "message_being_sent"


# -- reading -------------------------------------------------------------------------------------------
def outbox(business_id: str, client_id: str, also: Iterable[str] = ()) -> list[OutboxMessage]:
    """The client's outbox items: one index query, and one batch read for the older ones the log names."""
    found = {item.id: item for item in OutboxItem.agenda.query(outbox_of_pk(business_id, client_id))}
    older = [(f"OUTBOX#{ident}", "OUTBOX") for ident in dict.fromkeys(also) if ident not in found]
    for item in OutboxItem.batch_get(older) if older else ():
        found[item.id] = item
    mine = [i for i in found.values() if i.business_id == business_id and i.client_id == client_id]
    return sorted(map(codecs.outbox_message, mine), key=lambda m: (m.due, m.id))


def message_log(business_id: str, client_id: str) -> list[LoggedMessage]:
    """Every message sent to the client, oldest first (one query, paginated by PynamoDB)."""
    return [codecs.logged_message(i) for i in MessageLogItem.query(_log_pk(business_id, client_id))]


def audit_about(business_id: str, target_kind: str, target_id: str) -> list[AuditItem]:
    return list(AuditItem.agenda.query(audit_of_pk(business_id, target_kind, target_id)))


def search_entries(business_id: str, profile: ClientProfile) -> list[SearchEntry]:
    """The entries the client is found by, as stored (one batch read of the keys their words make)."""
    wanted = client_entries(business_id, profile.id, profile.first_name, profile.last_name, profile.fiscal_code,
                            profile.email, profile.phone, profile.mobile)
    keys = [(codecs.search_pk(business_id, e.kind), f"{e.word}#{e.target}") for e in sorted(wanted)]
    found = SearchEntryItem.batch_get(keys) if keys else []
    return sorted(codecs.search_entry(business_id, "client", item) for item in found)


# -- scrubbing -----------------------------------------------------------------------------------------
def scrub_outbox(message: OutboxMessage, appointment_json: dict) -> str:
    """An item waiting to be sent is taken out of the queue (deleted), unless a run took it meanwhile; a
    finished one keeps its outcome without the address (nor, for a waiting-list offer, its contact). Returns what was done: dropped | scrubbed | kept."""
    key = OutboxItem(pk=f"OUTBOX#{message.id}", sk="OUTBOX")
    try:
        if message.status == "pending":
            key.delete(condition=OutboxItem.due_sk == message.due_key)
            return "dropped"
        if message.status == "sending":
            raise OutboxBusyError("a message to this client is being sent; try again in a minute")
        deliveries, offer = scrubbed_deliveries(message.deliveries), scrubbed_offer(message.offer)
        if deliveries == message.deliveries and appointment_json == codecs.appointment_json(message.appointment) \
                and offer == message.offer:
            return "kept"
        actions = [OutboxItem.appointment.set(appointment_json), OutboxItem.deliveries.set(deliveries)]
        if offer != message.offer:
            actions.append(OutboxItem.offer.set(offer))
        key.update(actions=actions, condition=OutboxItem.claim.does_not_exist() & (OutboxItem.status == message.status))
        return "scrubbed"
    except (DeleteError, UpdateError) as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise OutboxBusyError("a message to this client is being sent; try again in a minute") from None
        raise


def scrub_message_log(business_id: str, client_id: str) -> int:
    """Addresses and provider error texts leave the client's message log; kind, channel, status, time stay."""
    scrubbed = 0
    for item in MessageLogItem.query(_log_pk(business_id, client_id)):
        actions = [getattr(MessageLogItem, name).remove() for name in ("to", "error") if getattr(item, name)]
        if actions:
            item.update(actions=actions)
            scrubbed += 1
    return scrubbed


def scrub_audit(items: Iterable[AuditItem]) -> int:
    """Personal fields of the entries' before/after views replaced; who did what when stays."""
    scrubbed = 0
    for item in items:
        before, after = scrubbed_view(item.before), scrubbed_view(item.after)
        if (before, after) != (item.before, item.after):
            replace_views(item, before, after)
            scrubbed += 1
    return scrubbed


def replace_views(item: AuditItem, before: dict | None, after: dict | None) -> None:
    item.update(actions=[AuditItem.before.set(before) if before is not None else AuditItem.before.remove(),
                         AuditItem.after.set(after) if after is not None else AuditItem.after.remove()])


def _log_pk(business_id: str, client_id: str) -> str:
    return f"BIZ#{business_id}#MSGLOG#{client_id}"


def index_audit(business_id: str) -> int:
    """Give the business's audit entries written before `codecs.audit_item` set it their key in the `agenda`
    index by target (the backfill); returns how many. One query of the log, one update per entry."""
    indexed = 0
    for item in AuditItem.query(f"BIZ#{business_id}#AUDIT", filter_condition=AuditItem.agenda_pk.does_not_exist()):
        item.update(actions=[AuditItem.agenda_pk.set(audit_of_pk(business_id, item.target_kind, item.target_id)),
                             AuditItem.agenda_sk.set(item.sk)])
        indexed += 1
    return indexed
