"""Each client's figures, kept from the table's stream: completed visits, spend, last visit (local date),
gaps, no-show last, booked ahead, services; idempotent per record; dormant clients by one index query."""
from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from bench.counting import counting_dynamodb_calls
from chalicelib.domain.model import AppointmentStatus as S
from chalicelib.repositories import client_stats
from chalicelib.repositories.marketing_tables import ClientStatsItem
from chalicelib.services import marketing_stats
from tests.factories import NOW
from tests.marketing.helpers import ClientAgenda
from tests.reports.helpers import feed, record


@pytest.fixture
def agenda(client, store, salon):
    return ClientAgenda(client, store)


def test_completed_visits_spend_and_last_visit_in_local_dates(agenda):
    # given two completed visits (one at 23:30 UTC, already the next day in Madrid), a cancelled one and a no-show
    agenda.visit("cli_ana", "2026-01-10T10:00:00+00:00", service="svc_cut")
    agenda.visit("cli_ana", "2026-02-14T23:30:00+00:00", service="svc_color")
    agenda.visit("cli_ana", "2026-02-20T10:00:00+00:00", S.CANCELLED)
    agenda.visit("cli_ana", "2026-01-20T10:00:00+00:00", S.NO_SHOW)
    # then only the completed ones count
    stats = client_stats.get("biz_salon", "cli_ana")
    assert stats.completed_count == 2 and stats.spend == Decimal("85.50")
    assert stats.first_visit == date(2026, 1, 10) and stats.last_visit == date(2026, 2, 15)
    assert stats.services == {"svc_cut", "svc_color"} and stats.gaps() == [36]
    assert not stats.last_was_no_show and not stats.booked_ahead(NOW)


def test_no_show_last_and_booked_ahead(agenda):
    agenda.visit("cli_bo", "2026-01-10T10:00:00+00:00")
    agenda.visit("cli_bo", "2026-02-10T10:00:00+00:00", S.NO_SHOW)
    stats = client_stats.get("biz_salon", "cli_bo")
    assert stats.last_was_no_show and stats.last_visit == date(2026, 1, 10)
    ahead = agenda.visit("cli_bo", "2026-04-10T10:00:00+00:00", S.CONFIRMED)
    assert client_stats.get("biz_salon", "cli_bo").booked_ahead(NOW)
    agenda.set(ahead, S.CANCELLED)
    assert not client_stats.get("biz_salon", "cli_bo").booked_ahead(NOW)


def test_a_record_delivered_twice_or_late_changes_nothing(agenda, client):
    reference = agenda.visit("cli_cy", "2026-01-10T10:00:00+00:00")
    completed = agenda.records[-1]
    version = ClientStatsItem.get("BIZ#biz_salon#MKT", "CLIENT#cli_cy").version
    feed(client, completed)  # again
    feed(client, agenda.records[0])  # the older, confirmed version, late
    item = ClientStatsItem.get("BIZ#biz_salon#MKT", "CLIENT#cli_cy")
    assert item.version == version and item.completed == 1
    assert client_stats.get("biz_salon", "cli_cy").visits[0].reference == reference


def test_dormant_clients_are_one_index_query_in_last_visit_order(agenda):
    agenda.visit("cli_old", "2025-06-01T10:00:00+00:00")
    agenda.visit("cli_mid", "2025-12-01T10:00:00+00:00")
    agenda.visit("cli_new", "2026-03-20T10:00:00+00:00")
    with counting_dynamodb_calls() as calls:
        found = list(client_stats.by_last_visit("biz_salon", date(2020, 1, 1), date(2026, 1, 1)))
    assert [s.client_id for _, s in found] == ["cli_mid", "cli_old"]
    assert len(calls) == 1 and calls[0].operation == "Query", calls.detail()
    # and a cursor continues after the last one seen
    rest = list(client_stats.by_last_visit("biz_salon", date(2020, 1, 1), date(2026, 1, 1), after=found[0][0]))
    assert [s.client_id for _, s in rest] == ["cli_old"]


def test_concurrent_deliveries_for_one_client_both_land(agenda, store, atomic_moto):
    # given two appointments of one client whose records arrive in two batches at once
    from chalicelib.repositories.stream import AppointmentRecord
    from tests.reports.helpers import appointment

    first = replace(appointment("2026-01-10T10:00:00+00:00"), client_id="cli_race", status=S.COMPLETED)
    second = replace(appointment("2026-02-10T10:00:00+00:00"), client_id="cli_race", status=S.COMPLETED)
    batches = [[AppointmentRecord("10", "biz_salon", a.reference, a)] for a in (first, second)]
    threads = [threading.Thread(target=marketing_stats.keep, args=(b, store.catalog)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert client_stats.get("biz_salon", "cli_race").completed_count == 2
