"""Integration tests against Amazon's DynamoDB Local (real transactions, real cancellation reasons) and
against the whole local stack. DynamoDB Local comes from infra/local (`make test` installs it).

PynamoDB and Powertools cache their clients; the `dynamodb` fixture points them at DynamoDB Local for
this package only and resets them on the way out, so moto-based tests in the same run are unaffected.
"""
from __future__ import annotations

import os
import uuid

import pytest

from chalicelib import wiring
from infra.local.devstack import start_dynamodb
from tests import factories
from tests.moto_session import forget_connections


@pytest.fixture(scope="package")
def dynamodb_local():
    """DynamoDB Local in memory on a free 127.0.0.1 port, stopped by PID at the end."""
    server = start_dynamodb()
    yield server
    server.stop()
    assert server.process.poll() is not None


@pytest.fixture(scope="package")
def dynamodb(dynamodb_local):
    from chalicelib.repositories.store import create_tables

    saved = os.environ.get("AWS_ENDPOINT_URL_DYNAMODB")
    os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamodb_local.url
    forget_connections()
    create_tables()
    yield dynamodb_local
    if saved is None:
        os.environ.pop("AWS_ENDPOINT_URL_DYNAMODB", None)
    else:
        os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = saved
    forget_connections()


@pytest.fixture
def store(dynamodb):
    wiring.store.cache_clear()
    return wiring.store()


@pytest.fixture
def salon(store):
    """The test salon under a business id and slug of its own: tests share the tables, not the data."""
    suffix = uuid.uuid4().hex[:8]
    return factories.seed(store, factories.salon(id=f"biz_{suffix}", slug=f"salon-{suffix}"))
