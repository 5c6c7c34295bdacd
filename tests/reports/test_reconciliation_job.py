"""The nightly reconciliation, through its scheduled function: a stream record that never arrived is
repaired, the drift is a metric, and what lies outside the last 35 days is left alone."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bench.counting import counting_dynamodb_calls
from chalicelib.domain.model import AppointmentStatus as S
from chalicelib.domain.principal import Level
from tests import factories
from tests.admin.test_observability import named, parse, run, stdout  # noqa: F401 - the fixture
from tests.reports.helpers import appointment

MARCH = "/admin/reports/{}?from=2026-03-01&to=2026-03-31"


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch):
    from chalicelib.jobs import report_counters

    monkeypatch.setattr(report_counters, "_noted", {})  # a warm process's memory of an earlier test's world


def sales(client, login) -> tuple:
    t = client.http.get(MARCH.format("sales"), headers=login(Level.RECEPTION_FULL)).json_body["totals"]
    return t["booked"], t["completed"], t["revenue"], t["cancelled"]


def test_the_nightly_job_repairs_a_lost_stream_record_and_counts_the_drift(client, login, store, agenda, clock,
                                                                           stdout):  # noqa: F811
    # given two appointments the stream counted, then a completion whose record was lost, and one too old
    kept = agenda.book("2026-03-20T10:00:00+00:00")
    agenda.set(kept, S.COMPLETED)
    lost = agenda.book("2026-03-21T10:00:00+00:00", client="cli_lost")
    before = agenda.current[lost]
    factories.change(store, before, before.with_status(S.COMPLETED, before.updated_at + timedelta(minutes=1)))
    ancient = appointment("2026-01-05T10:00:00+00:00")
    factories.book(store, ancient)  # never streamed, 77 days before the night: outside the window
    assert sales(client, login) == (2, 1, "25.00", 0)
    visits = client.http.get(MARCH.format("clients"), headers=login(Level.RECEPTION_FULL)).json_body["totals"]
    assert visits["visits"] == 1

    # when the job runs on the night of 23 March
    clock["value"] = clock["value"] + timedelta(hours=20)
    stdout()
    with counting_dynamodb_calls() as calls:
        result = run(client, "reconcile_reports")

    # then the lost completion is counted (sales and clients), the old one is not, and the drift is a metric
    assert result == {"businesses": 1, "appointments": 2, "drift": 1}
    assert sales(client, login) == (2, 2, "50.00", 0)
    clients = client.http.get(MARCH.format("clients"), headers=login(Level.RECEPTION_FULL)).json_body["totals"]
    assert (clients["visits"], clients["new_clients"]) == (2, 2)
    _, metrics = parse(stdout())
    assert [m.values for m in named(metrics, "ReportDrift")] == [[1]]
    assert not any(c.operation == "Scan" for c in calls), calls.detail()
    # the list of businesses, the catalog, the business's 35 days from the agenda index: three queries
    assert calls.operations()["Query"] == 3, calls.detail()

    # and a second night finds nothing to repair
    assert run(client, "reconcile_reports")["drift"] == 0
    _, metrics = parse(stdout())
    assert [m.values for m in named(metrics, "ReportDrift")] == [[0]]
