"""A small, hand-counted agenda for the reports, fed to the stream function as the table's stream would."""
from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from chalicelib.domain.calendar import Interval
from chalicelib.domain.model import Appointment, AppointmentStatus, Source, new_reference
from chalicelib.repositories.tables import AppointmentItem
from tests import factories
from tests.factories import NOW

_SEQUENCE = itertools.count(1000)
SERVICES = {s.id: s for s in factories.services()}


def appointment(start: str, service: str = "svc_cut", staff: str = "stf_ana", source: Source = Source.ONLINE,
                business: str = "biz_salon", client: str = "cli_report", made: str | None = None) -> Appointment:
    """Confirmed, at `start` (an ISO instant), for the service's price and duration; made at `made` (an ISO
    instant; the tests' clock by default)."""
    offered = SERVICES[service]
    begins = datetime.fromisoformat(start)
    ends = begins + timedelta(minutes=offered.duration_minutes)
    created = datetime.fromisoformat(made) if made else NOW
    return Appointment(new_reference(), business, client, service, staff, begins, ends, Interval(begins, ends),
                       AppointmentStatus.CONFIRMED, source, offered.price, "EUR", created, created)


def record(reference: str, *, sequence: int | None = None) -> dict:
    """The appointment item as stored now, as one stream record (sequence numbers only grow)."""
    item = AppointmentItem.get(f"APPT#{reference}", "APPT")
    number = str(sequence if sequence is not None else next(_SEQUENCE))
    return {"eventID": number, "eventName": "MODIFY", "eventVersion": "1.1", "eventSource": "aws:dynamodb",
            "awsRegion": "eu-west-1", "eventSourceARN": "arn:aws:dynamodb:eu-west-1:1:table/t/stream/x",
            "dynamodb": {"NewImage": item.serialize(), "SequenceNumber": number, "SizeBytes": 1,
                         "StreamViewType": "NEW_AND_OLD_IMAGES", "ApproximateCreationDateTime": 0,
                         "Keys": {"pk": {"S": item.pk}, "sk": {"S": item.sk}}}}


def feed(client, *records: dict) -> dict:
    return client.lambda_.invoke("on_table_change", {"Records": list(records)}).payload


class Agenda:
    """Books and changes appointments in the store, handing each committed version to the stream function."""

    def __init__(self, client, store) -> None:
        self.client, self.store = client, store
        self.current: dict[str, Appointment] = {}
        self.records: list[dict] = []

    def book(self, start: str, **kw) -> str:
        made = appointment(start, **kw)
        factories.book(self.store, made)
        self.current[made.reference] = made
        self._feed(made.reference)
        return made.reference

    def set(self, reference: str, status: AppointmentStatus | None = None, **changes) -> None:
        before = self.current[reference]
        after = replace(before, status=status or before.status, updated_at=before.updated_at + timedelta(minutes=1),
                        **changes)
        factories.change(self.store, before, after)
        self.current[reference] = after
        self._feed(reference)

    def _feed(self, reference: str) -> None:
        self.records.append(record(reference))
        feed(self.client, self.records[-1])


def money(value: str) -> Decimal:
    return Decimal(value)
