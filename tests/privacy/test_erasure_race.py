"""Erasure under concurrency (threads against moto, its transactions serialised as DynamoDB isolates them):
two staff erasing one client at once, or one editing while another erases, leave one erasure, audited once,
and nothing readable."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from chalicelib import wiring
from chalicelib.domain.principal import Level, Principal
from chalicelib.errors import ConflictError
from chalicelib.repositories.tables import AuditItem
from chalicelib.services import clients, privacy
from tests.factories import NOW
from tests.privacy.test_erasure import whole_table

OWNER = Principal("biz_salon", "stf_owner", Level.ADMIN)
RACERS = 4


def erase(client_id: str):
    return privacy.erase(wiring.store(), wiring.clients(), wiring.do_not_contact(), privacy.Actor.of(OWNER),
                         client_id, NOW)


def erasures(client_id: str) -> list:
    return [i for i in AuditItem.query("BIZ#biz_salon#AUDIT") if i.action == "client.erase" and i.target_id == client_id]


def test_staff_erasing_one_client_at_once_erase_and_audit_it_once(atomic_moto, salon):
    made = clients.create(wiring.clients(), OWNER, {"first_name": "Zoraida", "last_name": "Quiñones",
                                                    "email": "zoraida@example.com", "phone": "+34611555666"}, NOW)
    barrier = threading.Barrier(RACERS)

    def attempt(_):
        barrier.wait(timeout=30)
        try:
            return erase(made.id)
        except Exception as error:  # every outcome is reported
            return error

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        outcomes = list(pool.map(attempt, range(RACERS)))

    done = [o for o in outcomes if not isinstance(o, Exception)]
    assert all(isinstance(o, ConflictError) for o in outcomes if o not in done), outcomes
    assert len([o for o in done if not o.already]) == 1
    assert len(erasures(made.id)) == 1
    text = whole_table()
    assert "zoraida" not in text and "611555666" not in text and "quiñones" not in text


def test_an_edit_racing_an_erasure_either_lands_before_it_or_is_refused(atomic_moto, salon):
    made = clients.create(wiring.clients(), OWNER, {"first_name": "Zoraida", "email": "zoraida@example.com"}, NOW)
    barrier = threading.Barrier(2)

    def edit():
        barrier.wait(timeout=30)
        try:
            return clients.update(wiring.clients(), OWNER, made.id, {"notes": "Llamar a Zoraida al 611 777 888"}, NOW)
        except ConflictError as error:
            return error

    def erasing():
        barrier.wait(timeout=30)
        try:
            return erase(made.id)
        except ConflictError as error:
            return error

    with ThreadPoolExecutor(max_workers=2) as pool:
        edited, erased = pool.submit(edit), pool.submit(erasing)
        edited, erased = edited.result(), erased.result()

    if isinstance(erased, ConflictError):  # the edit landed first: asked again, the erasure completes
        erase(made.id)
    profile = wiring.clients().get("biz_salon", made.id)
    assert profile.erased_at is not None and profile.notes == ""
    text = whole_table()
    assert "zoraida" not in text and "611 777 888" not in text
