"""Desks keep availability at two DynamoDB reads (the catalog, the busy days) whatever the number of days,
professionals or desks: desks live in the catalog's partition and their busy time in the same busy-day
items (bench/desks.py prints the same counts and the engine's CPU with and without desks)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from bench import desks as bench_desks
from bench.counting import counting_dynamodb_calls


@pytest.fixture
def desk_salons(store, clock):
    """The bench's salon (10 desks, 20 professionals; fewer appointments, for speed) and a one-desk salon."""
    business, service, staff, desks, appointments = bench_desks.scenario(appointment_count=300)
    bench_desks.seed(store, business, service, staff, desks, appointments)
    small = replace(business, id="biz_desk1", slug="desk1")
    bench_desks.seed(store, small, service, staff[:1], desks[:1], [])
    return business.slug, small.slug


@pytest.mark.parametrize("days", [1, 7, 31])
def test_availability_with_desks_makes_two_reads_whatever_the_days_staff_or_desks(client, desk_salons, days):
    counts = {}
    for slug in desk_salons:
        path = bench_desks.availability_path(slug, days)
        assert client.http.get(path).status_code == 200  # warms the function (the slug is cached)
        with counting_dynamodb_calls() as calls:
            response = client.http.get(path)
        assert response.status_code == 200 and response.json_body["slots"][0]["desks"], response.body
        assert calls == calls.reads, calls.detail()
        counts[slug] = len(calls)
    assert counts == {"desks": 2, "desk1": 2}
