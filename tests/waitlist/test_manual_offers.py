"""Manual mode on moto: a freed time is suggested to staff with its matches (no message, no hold); staff book
one of them from the suggestion (`offer`), which marks the freed time filled for the figures; a suggestion
already booked, or named for another time, is refused with its field."""
from __future__ import annotations

from datetime import timedelta

from chalicelib.domain.waitlist_settings import OfferMode, WaitlistSettings
from chalicelib.repositories import openings as opening_store
from chalicelib.repositories import waitlist as request_store
from tests.api.helpers import error, post
from tests.factories import NOW
from tests.waitlist.helpers import DESK
from tests.waitlist.offer_helpers import SALON, booked, free, join, request
from tests.waitlist.test_offer_messages import offers
from tests.waitlist.test_offers import locks


def test_staff_book_a_suggested_match_and_the_freed_time_counts_as_filled(client, salon, store, clock, login):
    request_store.save_settings(SALON, WaitlistSettings(mode=OfferMode.MANUAL), NOW)
    reference = booked(client)
    first, second = join(client, 1), join(client, 2)
    free(client, store, reference, NOW)
    [suggested] = opening_store.between(SALON, NOW, NOW + timedelta(seconds=1))
    assert suggested.status.value == "suggested" and list(suggested.offered) == [first, second]
    assert offers() == [] and locks() == {}  # nobody is told, nothing is held: staff choose
    desk = login(DESK)
    path = f"/admin/waitlist/{second}/convert"
    body = {"start": suggested.start.isoformat(), "staff": suggested.staff_id, "offer": suggested.id}

    wrong = post(client, path, {**body, "start": (suggested.start + timedelta(minutes=30)).isoformat()}, desk)
    assert wrong.status_code == 400 and error(wrong)["field"] == "offer"
    done = post(client, path, body, desk)
    assert done.status_code == 201, done.body
    filled = opening_store.get(SALON, suggested.id)
    assert filled.status.value == "filled" and filled.reference == done.json_body["appointment"]["reference"]
    assert request(second).status.value == "booked" and request(first).status.value == "waiting"
    log = client.http.get("/admin/waitlist-offers?from=2026-03-23&to=2026-03-23", headers=desk).json_body
    assert log["figures"]["filled"] == 1 and log["figures"]["openings"] == 1

    late = post(client, f"/admin/waitlist/{first}/convert", {**body}, desk)
    assert late.status_code == 409 and (error(late)["code"], error(late)["field"]) == ("offer_ended", "offer")
