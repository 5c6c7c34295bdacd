"""The store maps a cancelled transaction to the right error by the position of each cancellation
reason, which depends on the order PynamoDB sends the items in. DynamoDB Local returns real reasons,
so this is where that mapping is proven; a failed transaction must also leave nothing behind."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.domain.model import Appointment, AppointmentStatus, Client, Source, new_id, new_reference
from chalicelib.errors import ConflictError, NotFoundError, SlotUnavailableError
from chalicelib.errors import ContactTakenError
from chalicelib.repositories.transactions import connection as _connection
from chalicelib.services import agenda_changes
from chalicelib.repositories.tables import ClientItem, ContactItem, Item, LockItem
from tests import factories
from tests.factories import NOW

pytestmark = pytest.mark.slow

CUT = factories.services()[0]


def appointment(salon, start: str, client_id: str, staff: str = "stf_ana", notes: str = "") -> Appointment:
    span, busy = CUT.occupies(datetime.fromisoformat(start))
    return Appointment(
        reference=new_reference(), business_id=salon.id, client_id=client_id, service_id=CUT.id, staff_id=staff,
        start=span.start, end=span.end, busy=busy, status=AppointmentStatus.CONFIRMED, source=Source.ONLINE,
        price=CUT.price, currency="EUR", created_at=NOW, updated_at=NOW, notes=notes,
    )


def new_client(email: str) -> Client:
    return Client(new_id("cli"), "Eva", "Ruiz", email, None)


def lock_owners(salon, staff: str = "stf_ana") -> dict[str, set[str]]:
    return {lock.sk: set(lock.owners) for lock in LockItem.query(f"LOCK#{salon.id}#staff#{staff}") if lock.owners}


def absent(reference: str) -> bool:
    with pytest.raises(NotFoundError):
        from chalicelib import wiring

        wiring.store().appointment(reference)
    return True


def test_pynamodb_sends_puts_before_updates_and_reasons_follow_that_order(store, salon):
    """Why `Transaction` reads keys back from the request: whatever the call order, puts come back before updates."""
    held = LockItem(pk=f"LOCK#{salon.id}#staff#stf_ana", sk="2026-03-24T10:00:00Z")
    with TransactWrite(connection=_connection()) as tx:
        tx.update(held, [LockItem.owners.add({"someone"}), LockItem.kind.set(LockItem)])
    fresh = ContactItem(pk=f"BIZ#{salon.id}#CONTACT", sk="email#order@example.com", client_id="cli_x")
    with pytest.raises(TransactWriteError) as caught:
        with TransactWrite(connection=_connection()) as tx:
            tx.update(held, [LockItem.owners.add({"me"})], condition=LockItem.owners.does_not_exist())
            tx.save(fresh, condition=Item.pk.does_not_exist())
    codes = [r.code if r else None for r in caught.value.cancellation_reasons]  # PynamoDB: None for "None"
    assert codes == [None, "ConditionalCheckFailed"], codes  # the put (called second) passed, came back first
    with pytest.raises(DoesNotExist):
        ContactItem.get(fresh.pk, fresh.sk)


def test_a_held_slot_is_slot_unavailable_and_writes_nothing(store, salon):
    first = appointment(salon, "2026-03-24T11:00:00+01:00", "cli_first")
    factories.book(store, first, new_client("first@example.com"))
    late_client = new_client("late@example.com")
    late = appointment(salon, "2026-03-24T11:15:00+01:00", late_client.id)
    with pytest.raises(SlotUnavailableError):
        factories.book(store, late, late_client)
    assert absent(late.reference)
    with pytest.raises(DoesNotExist):
        ClientItem.get(f"BIZ#{salon.id}#CLIENT", late_client.id)
    with pytest.raises(DoesNotExist):
        ContactItem.get(f"BIZ#{salon.id}#CONTACT", "email#late@example.com")
    assert all(o == {first.reference} for o in lock_owners(salon).values())


def test_a_contact_registered_meanwhile_is_contact_taken_and_writes_nothing(store, salon):
    factories.book(store, appointment(salon, "2026-03-24T11:00:00+01:00", "cli_a"), new_client("same@example.com"))
    twin = new_client("same@example.com")
    second = appointment(salon, "2026-03-24T15:00:00+01:00", twin.id)
    with pytest.raises(ContactTakenError):
        factories.book(store, second, twin)
    assert absent(second.reference)
    assert not [sk for sk in lock_owners(salon) if sk.startswith("2026-03-24T14:")]  # 15:00 Madrid is 14:00Z


def test_held_slot_and_taken_contact_together_report_the_slot(store, salon):
    factories.book(store, appointment(salon, "2026-03-24T11:00:00+01:00", "cli_a"), new_client("both@example.com"))
    twin = new_client("both@example.com")
    with pytest.raises(SlotUnavailableError):
        factories.book(store, appointment(salon, "2026-03-24T11:00:00+01:00", twin.id), twin)


def test_a_stale_change_is_booking_changed_and_changes_nothing(store, salon):
    booked = appointment(salon, "2026-03-24T11:00:00+01:00", "cli_a")
    factories.book(store, booked, new_client("stale@example.com"))
    moved = replace(booked, start=booked.start + timedelta(hours=1), end=booked.end + timedelta(hours=1),
                    busy=CUT.occupies(booked.start + timedelta(hours=1))[1], updated_at=NOW + timedelta(minutes=1))
    factories.change(store, booked, moved)
    again = replace(booked, status=AppointmentStatus.CANCELLED, updated_at=NOW + timedelta(minutes=2))
    with pytest.raises(ConflictError) as caught:
        factories.change(store, booked, again)  # `booked` is what it was before the move: stale
    assert caught.value.code == "booking_changed"
    assert store.appointment(booked.reference).start == moved.start
    assert all(o == {booked.reference} for o in lock_owners(salon).values()) and len(lock_owners(salon)) == 6


@pytest.mark.parametrize("stale", [False, True], ids=["slot_taken", "stale"])
def test_reasons_after_deleted_search_words_are_mapped_too(store, salon, stale):
    """A change that drops search words sends their deletes first: the offset must be skipped."""
    noted = appointment(salon, "2026-03-24T11:00:00+01:00", "cli_a", notes="mechas rubio ceniza")
    factories.book(store, noted, new_client("words@example.com"))
    other = appointment(salon, "2026-03-24T16:00:00+01:00", "cli_b")
    factories.book(store, other, new_client("other@example.com"))
    target = other.start if not stale else noted.start + timedelta(hours=2)
    span, busy = CUT.occupies(target)
    after = replace(noted, notes="", start=span.start, end=span.end, busy=busy, updated_at=NOW + timedelta(minutes=1))
    assert agenda_changes.compose(noted, after, by="system").removals, "the change must drop words for this test to mean anything"
    before = replace(noted, updated_at=NOW - timedelta(minutes=1)) if stale else noted
    with pytest.raises(ConflictError) as caught:
        factories.change(store, before, after)
    assert caught.value.code == ("booking_changed" if stale else "slot_unavailable")
    kept = store.appointment(noted.reference)
    assert (kept.start, kept.notes) == (noted.start, noted.notes)
