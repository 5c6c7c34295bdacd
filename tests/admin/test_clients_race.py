"""Clients under concurrency: one email, one client; an edit from a stale read does not land."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from chalicelib import wiring
from chalicelib.domain.principal import Level, Principal
from chalicelib.errors import ConflictError
from chalicelib.repositories.tables import ContactItem
from chalicelib.services import clients
from tests.factories import NOW

DESK = Principal("biz_salon", "stf_desk", Level.RECEPTION_FULL)
RACERS = 8


def test_staff_registering_the_same_email_at_once_make_one_client(atomic_moto, salon):
    barrier = threading.Barrier(RACERS)

    def attempt(n: int):
        barrier.wait(timeout=30)
        try:
            return clients.create(wiring.clients(), DESK, {"first_name": f"Eva {n}", "email": "eva@example.com"}, NOW)
        except Exception as error:  # every outcome is reported
            return error

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        outcomes = list(pool.map(attempt, range(RACERS)))
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, ConflictError) and o.code == "contact_in_use" for o in outcomes if o not in winners)
    keys = list(ContactItem.query("BIZ#biz_salon#CONTACT"))
    assert [(k.sk, k.client_id) for k in keys] == [("email#eva@example.com", winners[0].id)]


def test_an_edit_made_from_a_stale_read_is_refused(aws, salon):
    repo = wiring.clients()
    created = clients.create(repo, DESK, {"first_name": "Eva", "email": "eva@example.com"}, NOW)
    stale = repo.get("biz_salon", created.id)
    repo.update("biz_salon", stale, replace(stale, notes="primera"))
    with pytest.raises(ConflictError) as raised:
        repo.update("biz_salon", stale, replace(stale, email="otra@example.com"))
    assert raised.value.code == "client_changed"
    now = repo.get("biz_salon", created.id)
    assert (now.notes, now.email, now.revision) == ("primera", "eva@example.com", 1)
    assert repo.holders("biz_salon", ["email#eva@example.com", "email#otra@example.com"]) == {
        "email#eva@example.com": created.id}
