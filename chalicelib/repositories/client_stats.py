"""Per-client marketing figures in DynamoDB (items in repositories/marketing_tables.py).

Each client's item holds every one of their appointments as marketing counts it, with the sequence
number of the stream record that last changed it: a record delivered twice (or late) finds a later one
there and changes nothing. Writes are conditional on the item's version, so two batches touching one
client take turns. Clients with a completed visit are also in the `agenda` index by last visit, which
makes "absent for N days" one range query, whatever the number of clients.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable, Iterator

from pynamodb.exceptions import PutError

from ..domain.marketing import ClientStats, Visit
from .aggregates import sequence_key
from .marketing_tables import ClientStatsItem
from .tables import Item


def stats_pk(business_id: str) -> str:
    return f"BIZ#{business_id}#MKT"


def last_visit_pk(business_id: str) -> str:
    return f"BIZ#{business_id}#MKTLAST"


def _sk(client_id: str) -> str:
    return f"CLIENT#{client_id}"


def _stats(item: ClientStatsItem) -> ClientStats:
    return ClientStats.of(item.client_id, (Visit.from_json(ref, data[1:]) for ref, data in (item.visits or {}).items()
                                           if len(data) > 1))


def get(business_id: str, client_id: str) -> ClientStats:
    try:
        return _stats(ClientStatsItem.get(stats_pk(business_id), _sk(client_id), consistent_read=True))
    except ClientStatsItem.DoesNotExist:
        return ClientStats(client_id)


def many(business_id: str, client_ids: Iterable[str]) -> dict[str, ClientStats]:
    """One BatchGetItem per 100 clients; a client with no appointment gets empty figures."""
    ids = list(dict.fromkeys(client_ids))
    found = {item.client_id: _stats(item)
             for item in ClientStatsItem.batch_get([(stats_pk(business_id), _sk(c)) for c in ids])} if ids else {}
    return {c: found.get(c) or ClientStats(c) for c in ids}


def every(business_id: str) -> Iterator[ClientStats]:
    """All the business's clients with an appointment: one query, paginated by DynamoDB."""
    for item in ClientStatsItem.query(stats_pk(business_id), ClientStatsItem.sk.startswith("CLIENT#")):
        yield _stats(item)


def by_last_visit(business_id: str, first: date, last: date, after: str | None = None,
                  limit: int | None = None) -> Iterator[tuple[str, ClientStats]]:
    """Clients whose last completed visit is in [first, last], most recent first, with each one's
    position (a cursor) in the index: one paginated index query."""
    condition = Item.agenda_sk.between(first.isoformat(), f"{last.isoformat()}#~")
    if after:
        condition = Item.agenda_sk.between(first.isoformat(), after)
    for item in ClientStatsItem.agenda.query(last_visit_pk(business_id), condition, scan_index_forward=False,
                                             page_size=limit):
        if after and item.agenda_sk == after:
            continue
        yield item.agenda_sk, _stats(item)


def apply(business_id: str, client_id: str, visit: Visit | None, reference: str, sequence: str | None) -> bool:
    """Bring one appointment of the client to `visit` (None: it is gone); False when the stream record was
    already applied (or an older one). Retries while a concurrent delivery moves the same client."""
    for _ in range(8):
        try:
            item = ClientStatsItem.get(stats_pk(business_id), _sk(client_id), consistent_read=True)
            seen = item.version
        except ClientStatsItem.DoesNotExist:
            item, seen = ClientStatsItem(stats_pk(business_id), _sk(client_id), client_id=client_id, visits={}), None
        visits = dict(item.visits or {})
        key = sequence_key(sequence) if sequence is not None else None
        held = visits.get(reference)
        if key is not None and held is not None and held[0] >= key:
            return False
        new = [key or (held[0] if held else sequence_key("0"))]
        if visit is not None:
            new += visit.to_json()
        if held == new:
            return False
        visits[reference] = new  # a removed appointment keeps its sequence only: a late record stays late
        if _save(item, business_id, client_id, visits, seen):
            return True
    raise RuntimeError(f"the figures of client {client_id} kept moving; the stream will retry")


def _save(item: ClientStatsItem, business_id: str, client_id: str, visits: dict, seen: int | None) -> bool:
    stats = ClientStats.of(client_id, (Visit.from_json(r, d[1:]) for r, d in visits.items() if len(d) > 1))
    item.visits = visits
    item.completed = stats.completed_count
    item.spend = str(stats.spend)
    item.last_visit = stats.last_visit.isoformat() if stats.last_visit else None
    item.version = (seen or 0) + 1
    if stats.last_visit is not None:
        item.agenda_pk, item.agenda_sk = last_visit_pk(business_id), f"{stats.last_visit.isoformat()}#{client_id}"
    else:
        item.agenda_pk = item.agenda_sk = None
    condition = ClientStatsItem.pk.does_not_exist() if seen is None else ClientStatsItem.version == seen
    try:
        item.save(condition=condition)
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def put_many(business_id: str, stats: Iterable[ClientStats]) -> None:
    """Write figures directly (demo data, the benchmark): one BatchWriteItem per 25 clients."""
    with ClientStatsItem.batch_write() as batch:
        for one in stats:
            visits = {v.reference: [sequence_key("0"), *v.to_json()] for v in one.visits}
            item = ClientStatsItem(stats_pk(business_id), _sk(one.client_id), client_id=one.client_id, visits=visits,
                                   completed=one.completed_count, spend=str(one.spend),
                                   last_visit=one.last_visit.isoformat() if one.last_visit else None, version=1)
            if one.last_visit is not None:
                item.agenda_pk, item.agenda_sk = last_visit_pk(business_id), f"{one.last_visit}#{one.client_id}"
            batch.save(item)
