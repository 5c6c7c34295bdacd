"""Freed time offered one request at a time: found from the `time_freed` event, held in the lock items
bookings claim, accepted once, passed on when declined or unanswered, then the business's fallback."""
from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.config import settings
from chalicelib.domain.openings import offer_token
from chalicelib.repositories.tables import BusyDayItem, LockItem
from chalicelib.repositories import openings as opening_store
from chalicelib.repositories import waitlist as request_store
from chalicelib.domain.waitlist_settings import Fallback, OfferMode, WaitlistSettings
from chalicelib.services import openings
from tests.api.helpers import booking_body, error, post
from tests.factories import NOW
from tests.integration.test_races import run_together
from tests.waitlist.offer_helpers import (
    SALON, TUESDAY_11, answer, booked, free, join, opening_of, release_holds, request)


def ana_slots(client, day="2026-03-24") -> list[str]:
    body = client.http.get(f"/public/salon/availability?service=svc_cut&staff=stf_ana&from={day}&to={day}").json_body
    return [s["start"] for s in body["slots"]]


def locks(staff="stf_ana") -> dict:
    return {i.sk: (tuple(sorted(i.owners or ())), i.held_by) for i in LockItem.query(f"LOCK#{SALON}#staff#{staff}")
            if i.owners or i.held_by}


def test_the_oldest_matching_request_gets_the_time_held_and_nobody_else_can_book_it(client, salon, store, clock):
    reference = booked(client)
    first, second = join(client, 1), join(client, 2)
    join(client, 3, windows=[{**{"from": "2026-03-24", "to": "2026-03-24"}, "start": "15:00", "end": "18:00"}])
    free(client, store, reference, NOW)

    opening = opening_of(first)
    assert (opening.status.value, opening.round, opening.holder) == ("held", 1, first)
    assert opening.held_until == NOW + timedelta(minutes=15)  # the default hold
    assert (request(first).status.value, request(second).status.value) == ("offered", "waiting")
    assert request(first).offers[-1]["start"] == "2026-03-24T10:00:00+00:00"
    # the booking page, the public API and the backoffice do not get it
    assert "2026-03-24T11:00:00+01:00" not in ana_slots(client)
    taken = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff="stf_ana", email="x@example.com"))
    assert taken.status_code == 409 and error(taken)["code"] == "slot_unavailable"
    assert set(locks().values()) == {((), opening.id)}

    accepted = answer(client, first)
    assert accepted.status_code == 201, accepted.body
    reference = accepted.json_body["reference"]
    appointment = store.appointment(reference)
    assert appointment.start.isoformat() == "2026-03-24T10:00:00+00:00" and appointment.staff_id == "stf_ana"
    assert store.client(SALON, appointment.client_id).email == "c1@example.com"
    assert request(first).status.value == "booked" and request(first).reference == reference
    assert request(first).offers[-1]["outcome"] == "accepted"
    filled = opening_of(first)
    assert filled.status.value == "filled" and filled.reference == reference
    assert set(locks().values()) == {((reference,), None)}  # the hold's marks are gone with the takeover
    assert all(opening.id not in item.attribute_values for item in BusyDayItem.query(f"BUSY#{SALON}"))
    again = answer(client, first, opening=opening)
    assert again.status_code == 409 and error(again)["code"] == "offer_used"


def test_a_link_without_its_token_or_for_another_round_is_404(client, salon, store):
    reference = booked(client)
    first = join(client, 1)
    free(client, store, reference, NOW)
    opening = opening_of(first)
    for round_, token in ((1, "0" * 32), (2, offer_token(settings().signing_key, opening.id, first, 1)), (1, "é")):
        response = answer(client, first, opening=opening, round_=round_, token=token)
        assert response.status_code == 404, (round_, token, response.body)
    view = client.http.get(f"/public/salon/offers/{opening.id}?request={first}&round=1&token="
                           + offer_token(settings().signing_key, opening.id, first, 1)).json_body
    assert view["state"] == "open" and view["held_until"] == "2026-03-23T08:15:00+01:00"
    assert view["start"] == "2026-03-24T11:00:00+01:00" and view["staff_name"] == "Ana"


def test_declining_passes_the_hold_to_the_next_request(client, salon, store, clock):
    reference = booked(client)
    first, second = join(client, 1), join(client, 2)
    free(client, store, reference, NOW)
    clock["value"] = NOW + timedelta(minutes=3)
    response = answer(client, first, "decline")
    assert response.status_code == 200, response.body
    opening = opening_of(second)
    assert (opening.round, opening.holder, opening.held_until) == (2, second, NOW + timedelta(minutes=18))
    assert [(r["request"], r["outcome"]) for r in opening.rounds] == [(first, "declined"), (second, None)]
    assert request(first).status.value == "waiting" and request(first).offers[-1]["outcome"] == "declined"
    assert request(second).status.value == "offered"
    assert set(locks().values()) == {((), opening.id)}  # still held, for the next client
    late = answer(client, first, opening=opening, round_=1)
    assert late.status_code == 409 and error(late)["code"] == "offer_ended"


def test_the_job_moves_an_unanswered_hold_on_exactly_once_even_when_runs_overlap(client, salon, store, clock,
                                                                                 serialised_moto):
    reference = booked(client)
    first, second = join(client, 1), join(client, 2)
    free(client, store, reference, NOW)
    clock["value"] = NOW + timedelta(minutes=14, seconds=59)
    assert release_holds(client)["expired"] == 0  # not yet
    clock["value"] = NOW + timedelta(minutes=15)  # inclusive: at the hold's end it is over
    reports = run_together(*[lambda: openings.release_expired(store, clock["value"])] * 4)
    assert sum(r["expired"] for r in reports) == 1, reports
    opening = opening_of(second)
    assert [(r["request"], r["outcome"]) for r in opening.rounds] == [(first, "expired"), (second, None)]
    assert request(first).status.value == "waiting" and request(second).status.value == "offered"
    assert release_holds(client)["expired"] == 0


def five_unanswered_rounds(client, store, clock):
    """Seven requests wait for Tuesday 11:00 with Ana; it is freed, and five holds run out one by one."""
    reference = booked(client)
    asked = [join(client, n) for n in range(7)]
    free(client, store, reference, NOW)
    for n in range(5):
        clock["value"] = NOW + timedelta(minutes=15 * (n + 1))
        openings.release_expired(store, clock["value"])
    return asked, opening_of(asked[0])


def test_after_five_rounds_the_time_goes_back_to_the_booking_page(client, salon, store, clock):
    asked, opening = five_unanswered_rounds(client, store, clock)
    assert opening.status.value == "released" and len(opening.rounds) == 5
    assert [r["request"] for r in opening.rounds] == asked[:5]
    assert "2026-03-24T11:00:00+01:00" in ana_slots(client)  # free for everyone again
    assert locks() == {}
    assert [request(r).status.value for r in asked] == ["waiting"] * 7


def test_with_the_everyone_fallback_the_rest_are_told_and_the_first_to_accept_books(client, salon, store, clock):
    request_store.save_settings(SALON, WaitlistSettings(fallback=Fallback.EVERYONE), NOW)
    asked, opening = five_unanswered_rounds(client, store, clock)
    assert opening.status.value == "offered" and set(opening.offered) == set(asked[5:])
    assert locks() == {}  # no longer held: the first to accept books
    first = answer(client, asked[6], opening=opening, round_=0)
    assert first.status_code == 201, first.body
    second = answer(client, asked[5], opening=opening, round_=0)
    assert second.status_code == 409 and error(second)["code"] == "offer_taken"


def test_a_time_too_close_for_a_hold_goes_to_the_fallback_at_once(client, salon, store, clock):
    reference = booked(client, start="2026-03-23T09:30:00+01:00")
    first = join(client, 1, windows=[{"from": "2026-03-23", "to": "2026-03-23", "start": "09:00", "end": "13:00"}])
    clock["value"] = NOW + timedelta(minutes=50)  # 08:50 in Madrid: 40 minutes before, under the hold + 30
    free(client, store, reference, clock["value"])
    opening = opening_of(first) if request(first).offers else None
    assert opening is None or opening.status.value == "released"
    assert locks() == {}


def test_everyone_mode_tells_every_match_and_manual_mode_only_suggests(client, salon, store, clock):
    request_store.save_settings(SALON, WaitlistSettings(mode=OfferMode.EVERYONE), NOW)
    reference = booked(client)
    asked = [join(client, n) for n in range(3)]
    free(client, store, reference, NOW)
    opening = opening_of(asked[0])
    assert opening.status.value == "offered" and list(opening.offered) == asked and locks() == {}
    assert [request(r).status.value for r in asked] == ["waiting"] * 3

    request_store.save_settings(SALON, WaitlistSettings(mode=OfferMode.MANUAL), NOW)
    other = booked(client, start="2026-03-24T12:00:00+01:00", email="other@example.com")
    free(client, store, other, NOW)
    [suggested] = [o for o in opening_store.between(SALON, NOW, NOW + timedelta(days=1)) if o.id != opening.id]
    assert suggested.status.value == "suggested" and suggested.id != opening.id
    assert locks() == {} and answer(client, asked[0], opening=suggested, round_=0).status_code == 409


def held_for_one(client, store):
    """Tuesday 11:00 with Ana freed and held for the one waiting request: (its id, the opening, its token)."""
    reference = booked(client)
    first = join(client, 1)
    free(client, store, reference, NOW)
    opening = opening_of(first)
    return first, opening, offer_token(settings().signing_key, opening.id, first, 1)


@pytest.mark.parametrize("racers", [50])
def test_fifty_concurrent_accepts_of_one_offer_give_one_appointment(client, salon, store, clock, serialised_moto,
                                                                    racers):
    first, opening, token = held_for_one(client, store)
    outcomes = run_together(*[lambda: openings.accept(store, "salon", opening.id, first, 1, token,
                                                      settings().signing_key, NOW)] * racers)
    won = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(won) == 1, outcomes
    assert {getattr(o, "code", o) for o in outcomes if o not in won} == {"offer_used"}
    assert set(locks().values()) == {((won[0].reference,), None)}


def test_an_accept_racing_a_public_booking_after_the_hold_ended_gives_one_appointment(client, salon, store, clock,
                                                                                     atomic_moto):
    from chalicelib.services import booking

    first, opening, token = held_for_one(client, store)
    ended = NOW + timedelta(minutes=15)  # the hold's end, inclusive: the booking page may have it now
    details = booking.ClientDetails("Otra", "Persona", "otra@example.com", None)
    public = booking.BookingRequest("svc_cut", "stf_ana", opening.start, details)
    outcomes = run_together(
        lambda: openings.accept(store, "salon", opening.id, first, 1, token, settings().signing_key, ended),
        lambda: booking.book(store, "salon", public, "127.0.0.1", ended))
    won = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(won) == 1, outcomes
    day = store.appointments_between(SALON, opening.start, opening.end)
    assert len([a for a in day if a.status.holds_time]) == 1


def test_staff_taking_a_holder_off_the_list_pass_the_time_on_at_once(client, salon, store, clock, login):
    from tests.waitlist.helpers import DESK

    reference = booked(client)
    first, second = join(client, 1), join(client, 2)
    free(client, store, reference, NOW)
    response = post(client, f"/admin/waitlist/{first}/cancel", {}, login(DESK))
    assert response.status_code == 200 and response.json_body["status"] == "cancelled"
    opening = opening_of(second)
    assert (opening.round, opening.holder) == (2, second) and request(second).status.value == "offered"
    assert [(r["request"], r["outcome"]) for r in opening.rounds] == [(first, "declined"), (second, None)]
