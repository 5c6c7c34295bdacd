"""Freed time told to every match at once, on moto: the `everyone` mode and the `everyone` fallback send one
offer per request through the outbox (a redelivered record or a job run twice sends nothing more), the first
to accept books, and the others' links then say the time is taken; the `release` fallback tells nobody new
and gives the time back to the booking page."""
from __future__ import annotations

from datetime import timedelta

from chalicelib.domain.waitlist_settings import Fallback, OfferMode, WaitlistSettings
from chalicelib.repositories import openings as opening_store
from chalicelib.repositories import waitlist as request_store
from chalicelib.repositories.tables import AppointmentItem
from tests.api.helpers import cancel
from tests.factories import NOW
from tests.notifications.delivery_helpers import deliver
from tests.notifications.test_stream import record
from tests.waitlist.offer_helpers import SALON, booked, free, join, opening_of, release_holds, request
from tests.waitlist.test_offer_messages import FORM, link_in, offers, texts_to, to
from tests.waitlist.test_offers import ana_slots, locks


def told_at_once(opening) -> list[tuple[str, str]]:
    return [("offer", f"ofr_{opening.id}_0_{r}") for r in opening.offered]


def test_everyone_mode_tells_every_match_once_and_the_others_links_then_say_taken(client, salon, store, clock, ses):
    request_store.save_settings(SALON, WaitlistSettings(mode=OfferMode.EVERYONE), NOW)
    reference = booked(client)
    asked = [join(client, n) for n in range(1, 4)]
    before = AppointmentItem.get(f"APPT#{reference}", "APPT")
    cancel(store, reference, NOW)
    after = AppointmentItem.get(f"APPT#{reference}", "APPT")
    for _ in range(2):  # the stream delivers at least once
        client.lambda_.invoke("on_table_change", {"Records": [record(after, old=before, name="MODIFY")]})
    opening = opening_of(asked[0])
    assert opening.status.value == "offered" and list(opening.offered) == asked and locks() == {}
    assert offers() == sorted(told_at_once(opening))

    deliver(client)
    deliver(client)  # a second run sends nothing again
    for n in range(1, 4):
        [mail] = to(f"c{n}@example.com")
        assert "quien acepte primero" in mail.text and "&round=0&" in link_in(mail)
        assert len(texts_to(f"+346110003{n:02d}")) == 1
    links = {n: link_in(to(f"c{n}@example.com")[0]).split("?") for n in range(1, 4)}
    page = client.http.get("?".join(links[1])).body.decode()
    assert "quien acepte primero" in page and 'value="accept"' in page

    path, query = links[3]
    won = client.http.post(path, body=query + "&answer=accept", headers=FORM)
    assert won.status_code == 200 and "Reservado" in won.body.decode()
    assert request(asked[2]).status.value == "booked"
    path, query = links[1]
    seen = client.http.get(f"{path}?{query}")
    assert seen.status_code == 200 and "Otra persona aceptó antes" in seen.body.decode()
    assert 'value="accept"' not in seen.body.decode()
    late = client.http.post(path, body=query + "&answer=accept", headers=FORM)
    assert late.status_code == 409 and "Otra persona aceptó antes" in late.body.decode()
    api = client.http.get(f"/public/salon/offers/{opening.id}?{query}").json_body
    assert api["state"] == "taken"
    assert [request(r).status.value for r in asked] == ["waiting", "waiting", "booked"]


def five_rounds_run_twice(client, store, clock):
    """Seven requests wait for Tuesday 11:00 with Ana; it is freed and five holds run out, the hold job
    running twice each time (as overlapping or retried schedules do)."""
    reference = booked(client)
    asked = [join(client, n) for n in range(1, 8)]
    free(client, store, reference, NOW)
    for n in range(5):
        clock["value"] = NOW + timedelta(minutes=15 * (n + 1))
        assert [release_holds(client)["expired"] for _ in range(2)] == [1, 0]
    return asked, opening_of(asked[0])


def held_and_ended(opening, asked) -> list[tuple[str, str]]:
    return [("offer", f"ofr_{opening.id}_{n + 1}_{r}") for n, r in enumerate(asked[:5])] + \
        [("offer_expired", f"ofx_{opening.id}_{n + 1}_{r}") for n, r in enumerate(asked[:5])]


def test_the_everyone_fallback_tells_the_two_never_asked_once_each(client, salon, store, clock, ses):
    request_store.save_settings(SALON, WaitlistSettings(fallback=Fallback.EVERYONE), NOW)
    asked, opening = five_rounds_run_twice(client, store, clock)
    assert opening.status.value == "offered" and list(opening.offered) == asked[5:] and locks() == {}
    assert offers() == sorted(held_and_ended(opening, asked) + told_at_once(opening))
    deliver(client)
    deliver(client)
    assert [len(to(f"c{n}@example.com")) for n in range(1, 8)] == [2] * 5 + [1] * 2  # offer + ended, or offer
    assert "quien acepte primero" in to("c6@example.com")[0].text
    assert "2026-03-24T11:00:00+01:00" in ana_slots(client)  # not held: the first to book (or accept) has it


def test_the_release_fallback_tells_nobody_new_and_frees_the_time(client, salon, store, clock, ses):
    asked, opening = five_rounds_run_twice(client, store, clock)
    assert opening.status.value == "released" and opening.offered == ()
    assert offers() == sorted(held_and_ended(opening, asked))
    deliver(client)
    assert to("c6@example.com") == [] and to("c7@example.com") == []
    assert "2026-03-24T11:00:00+01:00" in ana_slots(client) and locks() == {}


def too_close(client, store, clock, fallback: Fallback):
    """An hour's hold: a time freed 75 minutes before it starts is bookable (an hour's notice) but too
    close for a hold (60 + 30 minutes)."""
    request_store.save_settings(SALON, WaitlistSettings(hold_minutes=60, fallback=fallback), NOW)
    reference = booked(client)
    first, second = join(client, 1), join(client, 2)
    clock["value"] = NOW + timedelta(hours=2, minutes=-15, days=1)  # Tuesday 09:45 in Madrid
    free(client, store, reference, clock["value"])
    [opening] = opening_store.between(SALON, NOW, clock["value"] + timedelta(seconds=1))
    return [first, second], opening


def test_too_close_for_a_hold_the_everyone_fallback_tells_all_at_once(client, salon, store, clock, ses):
    asked, opening = too_close(client, store, clock, Fallback.EVERYONE)
    assert opening.status.value == "offered" and list(opening.offered) == asked and locks() == {}
    assert offers() == sorted(told_at_once(opening))


def test_too_close_for_a_hold_the_release_fallback_leaves_the_time_on_the_booking_page(
        client, salon, store, clock, ses):
    asked, opening = too_close(client, store, clock, Fallback.RELEASE)
    assert opening.status.value == "released" and offers() == [] and locks() == {}
    assert [request(r).offers for r in asked] == [(), ()]
    assert "2026-03-24T11:00:00+01:00" in ana_slots(client)
