"""API tests: the Chalice app through chalice.test.Client, AWS through moto, the clock frozen."""
from __future__ import annotations

from datetime import datetime

import pytest
from moto import mock_aws

from chalicelib import wiring
from chalicelib.domain.calendar import UTC
from tests import factories

# Monday 23 March 2026, 08:00 in Madrid (CET, UTC+1).
NOW = datetime(2026, 3, 23, 7, 0, tzinfo=UTC)


@pytest.fixture
def aws():
    with mock_aws():
        from chalicelib.repositories.store import create_tables
        from chalicelib.repositories.tables import IdempotencyRecord, Item

        for model in (Item, IdempotencyRecord, *Item.__subclasses__()):
            model._connection = None  # PynamoDB caches a client per model class: make fresh ones here
        create_tables()
        wiring.store.cache_clear()
        yield


@pytest.fixture
def clock(monkeypatch):
    now = {"value": NOW}
    monkeypatch.setattr(wiring, "now", lambda: now["value"])
    return now


@pytest.fixture
def store(aws):
    return wiring.store()


@pytest.fixture
def salon(store):
    return factories.seed(store)


@pytest.fixture
def client(aws, clock):
    from chalice.test import Client

    from app import app

    with Client(app, stage_name="dev") as test_client:
        yield test_client
