"""A hold for a service that needs a desk keeps the desk's time too (domain/openings.py `desk_id`): nobody
else books that desk then, the holder's accept books it, and a hold that ends gives it back."""
from __future__ import annotations

from datetime import datetime
from functools import partial

from chalicelib.domain.calendar import Interval
from chalicelib.domain.model import ResourceRef
from chalicelib.repositories.openings import OpeningItem, opening_pk
from chalicelib.repositories.tables import BusyDayItem, LockItem
from chalicelib.services import openings
from tests.api.helpers import booking_body, error, post
from tests.factories import NOW, seed_last_desk
from tests.waitlist.helpers import DESK
from tests.waitlist.offer_helpers import SALON, TUESDAY_11, answer, booked, free, join, opening_of, release_holds, request


def desk_locks(desk="dsk_only") -> dict:
    return {i.sk: (tuple(sorted(i.owners or ())), i.held_by) for i in LockItem.query(f"LOCK#{SALON}#desk#{desk}")
            if i.owners or i.held_by}


def slots(client, staff="stf_p00") -> list[str]:
    body = client.http.get(f"/public/salon/availability?service=svc_cut&staff={staff}"
                           "&from=2026-03-24&to=2026-03-24").json_body
    return [s["start"] for s in body["slots"]]


def someone_else(client, staff="stf_p00", email="other@example.com"):
    """Another client books the held time with a free professional: it needs the one desk."""
    return post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff=staff, email=email, phone=None))


def held_for_the_first(client, store) -> tuple[str, object]:
    """Corte needs the one open basin (dsk_only); Ana's 11:00 is cancelled and the oldest request gets it."""
    seed_last_desk(store, SALON, professionals=2)
    reference = booked(client)
    assert store.appointment(reference).desk_id == "dsk_only"
    first = join(client, 1)
    free(client, store, reference, NOW)
    opening = opening_of(first)
    assert (opening.status.value, opening.holder, opening.desk_id, opening.operator_id) == (
        "held", first, "dsk_only", None)
    return first, opening


def test_a_held_desk_is_nobody_elses_and_the_holder_books_it(client, salon, store, clock, login):
    """Before, the hold kept only Ana's time: Pro 00's client took the basin and the accept was 409."""
    first, opening = held_for_the_first(client, store)
    log = client.http.get("/admin/waitlist-offers?from=2026-03-23&to=2026-03-23", headers=login(DESK)).json_body
    assert [(o["staff"], o["desk"]) for o in log["offers"]] == [("stf_ana", "dsk_only")]
    assert set(desk_locks().values()) == {((), opening.id)}
    assert TUESDAY_11 not in slots(client)  # the desk's busy day carries the hold
    taken = someone_else(client)
    assert taken.status_code == 409 and error(taken)["code"] == "slot_unavailable", taken.body

    accepted = answer(client, first)
    assert accepted.status_code == 201, accepted.body
    reference = accepted.json_body["reference"]
    appointment = store.appointment(reference)
    assert (appointment.staff_id, appointment.desk_id) == ("stf_ana", "dsk_only")
    assert set(desk_locks().values()) == {((reference,), None)}  # the hold's marks went with the takeover
    assert all(opening.id not in item.attribute_values for item in BusyDayItem.query(f"BUSY#{SALON}"))


def test_a_hold_that_runs_out_or_is_declined_gives_the_desk_back(client, salon, store, clock):
    first, opening = held_for_the_first(client, store)
    second = join(client, 2)  # joins after the time was freed: the next round gets it
    assert answer(client, first, "decline").status_code == 200
    passed = opening_of(second)
    assert (passed.holder, passed.desk_id) == (second, "dsk_only")  # the same hold, passed on with its desk
    assert set(desk_locks().values()) == {((), opening.id)}
    clock["value"] = passed.held_until  # expiry is inclusive
    assert release_holds(client)["expired"] == 1
    assert opening_of(second).status.value == "released" and request(second).status.value == "waiting"
    assert desk_locks() == {} and TUESDAY_11 in slots(client)
    taken = someone_else(client)
    assert taken.status_code == 201, taken.body
    assert store.appointment(taken.json_body["reference"]).desk_id == "dsk_only"


def test_an_opening_stored_before_holds_kept_a_desk_still_reads_and_accepts(client, salon, store, clock):
    """Stored without `desk_id`: it reads as no desk, and the accept takes a free desk as it used to."""
    first, opening = held_for_the_first(client, store)
    OpeningItem(pk=opening_pk(SALON), sk=opening.id).update(
        actions=[OpeningItem.desk_id.remove(), OpeningItem.operator_id.remove()])
    for item in LockItem.query(f"LOCK#{SALON}#desk#dsk_only"):  # an old hold kept the professional only
        item.update(actions=[LockItem.held_by.remove(), LockItem.held_until.remove()])
    old = opening_of(first)
    assert (old.desk_id, old.operator_id, old.status.value) == (None, None, "held")
    accepted = answer(client, first)
    assert accepted.status_code == 201, accepted.body
    assert store.appointment(accepted.json_body["reference"]).desk_id == "dsk_only"


def test_no_free_desk_means_no_hold_for_that_request(client, salon, store, clock):
    """Ana's Color (no desk) is cancelled while Pro 00 has the only basin at 11:00: a Corte with Ana then
    cannot keep a desk, so nothing is held for it; and a desk the lock units say is taken (a booking the
    busy days did not show yet) is no fit either."""
    seed_last_desk(store, SALON, professionals=2)
    colour = post(client, "/public/salon/bookings", booking_body(
        TUESDAY_11, service="svc_color", staff="stf_ana", email="col@example.com", phone=None))
    assert colour.status_code == 201, colour.body
    assert someone_else(client).status_code == 201
    cut = join(client, 1, windows=[{"from": "2026-03-24", "to": "2026-03-24", "start": "11:00", "end": "11:30"}])
    free(client, store, colour.json_body["reference"], NOW)
    assert request(cut).status.value == "waiting" and not request(cut).offers
    assert desk_locks()  # only Pro 00's booking: no hold

    catalog, ana = store.catalog(SALON), ResourceRef("staff", "stf_ana")
    freed = Interval(datetime.fromisoformat(TUESDAY_11), datetime.fromisoformat("2026-03-24T11:30:00+01:00"))
    members = [m for m in catalog.staff if m.id == "stf_ana"]
    fit = partial(openings._first_fit, catalog, [request(cut)], members, ana, freed, {}, NOW)  # busy days: none
    assert fit(lambda desks, busy: None) is None
    service, staff_id, span, desk_id = fit(lambda desks, busy: desks[0])
    assert (service.id, staff_id, span.start, desk_id) == ("svc_cut", "stf_ana", freed.start, "dsk_only")


def test_a_sequence_keeps_the_desk_and_its_part_without_one_gives_that_time_back(client, salon, store, clock):
    """Corte (needs the basin) then Color (needs none): the hold keeps the basin for the whole block, the
    accept books it for Corte only, and the basin's time during Color is free at once, not when the hold
    would have ended."""
    seed_last_desk(store, SALON, professionals=2)
    reference = booked(client)
    both = join(client, 1, services=["svc_cut", "svc_color"], service=None,
                windows=[{"from": "2026-03-24", "to": "2026-03-24", "start": "09:00", "end": "13:00"}])
    free(client, store, reference, NOW)
    opening = opening_of(both)
    assert (opening.service_id, opening.desk_id, opening.start.isoformat()) == (
        "svc_cut+svc_color", "dsk_only", "2026-03-24T08:00:00+00:00")
    assert set(desk_locks().values()) == {((), opening.id)} and len(desk_locks()) == 29  # 08:00-10:25 UTC
    accepted = answer(client, both)
    assert accepted.status_code == 201, accepted.body
    parts = sorted((a for a in store.appointments_between(SALON, opening.start, opening.end)
                    if a.status.value == "confirmed"), key=lambda a: a.start)
    assert [(a.service_id, a.desk_id) for a in parts] == [("svc_cut", "dsk_only"), ("svc_color", None)]
    assert {held for _, held in desk_locks().values()} == {None}  # nothing left held by the opening
    during_colour = post(client, "/public/salon/bookings", booking_body(
        "2026-03-24T10:00:00+01:00", staff="stf_p00", email="other@example.com", phone=None))
    assert during_colour.status_code == 201, during_colour.body


def test_the_holder_and_another_client_racing_for_the_held_desk_give_one_booking_the_holders(
        client, salon, store, clock, atomic_moto):
    from chalicelib.config import settings
    from chalicelib.domain.openings import offer_token
    from chalicelib.services import booking
    from tests.integration.test_races import run_together

    first, opening = held_for_the_first(client, store)
    token = offer_token(settings().signing_key, opening.id, first, 1)
    other = booking.BookingRequest("svc_cut", "stf_p00", opening.start,
                                   booking.ClientDetails("Otra", "Persona", "otra@example.com", None))
    outcomes = run_together(
        lambda: openings.accept(store, "salon", opening.id, first, 1, token, settings().signing_key, NOW),
        lambda: booking.book(store, "salon", other, "127.0.0.1", NOW))
    assert not isinstance(outcomes[0], Exception) and getattr(outcomes[1], "code", None) == "slot_unavailable", \
        outcomes
    at_the_desk = [a for a in store.appointments_between(SALON, opening.start, opening.end)
                   if a.status.holds_time and a.desk_id == "dsk_only"]
    assert [a.reference for a in at_the_desk] == [outcomes[0].reference]
