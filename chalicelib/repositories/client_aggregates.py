"""The clients report's items, in the business's `#REPORT` partition beside the other counters.

`CLIENT#<id>`: the client's appointments (one `Visit` each, with the stream sequence that wrote it) and what
they add to the maps. `C#D#<day>` and `C#M#<month>`: the client maps a report reads, one attribute per
client and figure, so a period of five years is one query of months and two of days at its edges.
A change writes the client's item (on condition its version did not move) and adds the difference to the
maps in one transaction: a record delivered twice finds its sequence there and changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.expressions.operand import Path
from pynamodb.transactions import TransactWrite

from ..domain.client_reports import ClientTally, Visit
from ..domain.reports import Span
from .aggregates import _pk
from .tables import Item, ReportClientItem, ReportClientMapItem
from .transactions import connection

KEPT = frozenset({"pk", "sk", "kind", "period"})


@dataclass(frozen=True)
class ClientFacts:
    version: int  # 0: never written
    visits: dict[str, Visit]
    tally: ClientTally


def facts(business_id: str, client_id: str) -> ClientFacts:
    try:
        item = ReportClientItem.get(_pk(business_id), f"CLIENT#{client_id}", consistent_read=True)
    except DoesNotExist:
        return ClientFacts(0, {}, {})
    visits = {reference: Visit.from_json(line) for reference, line in item.visits.items()}
    tally = {day: {n: int(v) for n, v in figures.items()} for day, figures in item.tally.items()}
    return ClientFacts(int(item.version), visits, tally)


def save(business_id: str, client_id: str, seen: ClientFacts, visits: Mapping[str, Visit], tally: ClientTally,
         delta: ClientTally) -> bool:
    """Write the client's facts and add `delta` to the maps, all or nothing; False when the client's item
    moved since `seen` was read (the caller reads again)."""
    item = ReportClientItem(_pk(business_id), f"CLIENT#{client_id}", client_id=client_id,
                            visits={r: v.to_json() for r, v in visits.items()}, tally=tally,
                            version=seen.version + 1)
    condition = (ReportClientItem.pk.does_not_exist() if seen.version == 0
                 else ReportClientItem.version == seen.version)
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(item, condition=condition)
            for period, figures in by_period(delta).items():
                prefix = "D" if len(period) == 10 else "M"
                tx.update(ReportClientMapItem(_pk(business_id), f"C#{prefix}#{period}"),
                          [ReportClientMapItem.kind.set(ReportClientMapItem), ReportClientMapItem.period.set(period),
                           *(Path(name).add(amount) for name, amount in figures.items())])
    except TransactWriteError as refused:
        if any(r is not None and r.code == "ConditionalCheckFailed" for r in refused.cancellation_reasons or []):
            return False
        raise
    return True


def by_period(delta: ClientTally) -> dict[str, dict[str, int]]:
    """Each day's figures added to the day and to its month (one update per item: a transaction may not
    touch an item twice)."""
    summed: dict[str, dict[str, int]] = {}
    for day, figures in delta.items():
        for period in (day, day[:7]):
            into = summed.setdefault(period, {})
            for name, amount in figures.items():
                into[name] = into.get(name, 0) + amount
    return {period: {n: v for n, v in figures.items() if v} for period, figures in summed.items()
            if any(figures.values())}


def maps(business_id: str, span: Span) -> list[dict[str, int]]:
    """The client maps of a span: one query for its months, one per range of days (pages aside)."""
    found: list[dict[str, int]] = []
    if span.months is not None:
        found += _query(business_id, f"C#M#{span.months[0]}", f"C#M#{span.months[1]}")
    for first, last in span.days:
        found += _query(business_id, f"C#D#{first.isoformat()}", f"C#D#{last.isoformat()}")
    return found


def _query(business_id: str, low: str, high: str) -> list[dict[str, int]]:
    params = {"TableName": Item.Meta.table_name,
              "KeyConditionExpression": "pk = :pk AND sk BETWEEN :low AND :high",
              "ExpressionAttributeValues": {":pk": {"S": _pk(business_id)}, ":low": {"S": low}, ":high": {"S": high}}}
    client = connection().client
    found = []
    while True:
        page = client.query(**params)
        found += [{name: int(value["N"]) for name, value in item.items() if name not in KEPT and "N" in value}
                  for item in page["Items"]]
        if "LastEvaluatedKey" not in page:
            return found
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
