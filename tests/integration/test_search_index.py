"""The search index on Amazon's DynamoDB Local: `begins_with` on the sort key, pages that resume from
the cursor (ExclusiveStartKey) and end where DynamoDB's Limit ended them, one Query a page."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from bench.counting import counting_dynamodb_calls
from chalicelib.domain import search
from chalicelib.domain.calendar import UTC, Interval
from chalicelib.domain.model import Appointment, AppointmentStatus, Source
from chalicelib.repositories import search_index
from tests import factories

pytestmark = pytest.mark.slow
NAMES = ["Marta Ruiz", "Martina Gil", "Martín Martínez", "Mario Sanz", "Ana Marín", "Eva Ortega"]


def appointments(salon) -> list[Appointment]:
    made = []
    for n, name in enumerate(NAMES):
        start = datetime(2026, 3, 24, 8 + n, tzinfo=UTC)
        first, last = name.split()
        words, contacts = search.who(first, last, None, f"+3461100000{n}", None)
        made.append(Appointment(f"R{salon.id[-8:].upper()}{n}", salon.id, f"cli_{n}", "svc_cut", "stf_ana", start,
                                start + timedelta(minutes=30), Interval(start, start + timedelta(minutes=30)),
                                AppointmentStatus.CONFIRMED, Source.BACKOFFICE, Decimal("18"), "EUR", start, start,
                                client_words=words, client_contacts=contacts))
    return made


def every_page(salon, q, limit):
    query, after, pages, found = search.parse_query(q), None, 0, []
    while True:
        with counting_dynamodb_calls() as calls:
            page, after = search_index.find(salon.id, search.APPOINTMENTS, query, contacts=True, after=after,
                                            limit=limit)
        assert calls.operations() == {"Query": 1}, calls.detail()
        pages, found = pages + 1, found + page
        if after is None:
            return found, pages


@pytest.mark.parametrize("rows", [200, 3])  # 3: pages end where DynamoDB's Limit ended the read
def test_prefixes_page_through_every_match_once(store, salon, monkeypatch, rows):
    monkeypatch.setattr(search_index, "ROWS", rows)
    made = appointments(salon)
    for appointment in made:
        factories.book(store, appointment)
    mart = {a.reference for a in made[:3]}
    found, pages = every_page(salon, "mart", limit=1)
    assert sorted(found) == sorted(mart) and pages >= 3  # Martín Martínez once, under "martin"
    assert set(every_page(salon, "mar", limit=2)[0]) == {a.reference for a in made[:5]}
    assert every_page(salon, "611 000 003", limit=5)[0] == [made[3].reference]


def test_a_status_change_moves_the_appointment_between_words(store, salon):
    booked = appointments(salon)[0]
    factories.book(store, booked)
    factories.change(store, booked, replace(booked.with_status(AppointmentStatus.CANCELLED,
                                                               booked.updated_at + timedelta(minutes=1))))
    assert every_page(salon, "cancelled marta", limit=5)[0] == [booked.reference]
    assert every_page(salon, "confirmed", limit=5)[0] == []
