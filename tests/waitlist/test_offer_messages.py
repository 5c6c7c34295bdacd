"""Offer messages end to end on moto: the freed time's stream record, the hold job and the outbox job as Lambda
runs them, SES and SNS as moto records them. One message per offer round, whatever is repeated."""
from __future__ import annotations

from datetime import timedelta

from chalicelib.repositories.tables import AppointmentItem, OutboxItem
from tests.api.helpers import cancel
from tests.factories import NOW
from tests.notifications.delivery_helpers import deliver, emails, sms
from tests.notifications.test_stream import record
from tests.waitlist.offer_helpers import answer, booked, free, join, opening_of, release_holds


def offers() -> list[tuple[str, str]]:
    return sorted((i.message_kind, i.id) for i in OutboxItem.scan() if getattr(i, "offer", None))


def to(address: str):
    return [m for m in emails() if m.to == address]


def texts_to(phone: str):
    return [text for number, text in sms() if number == phone]


def test_an_offer_round_is_told_once_by_email_and_sms_with_its_link_even_when_the_record_comes_twice(
        client, salon, store, clock, ses):
    reference = booked(client)
    first = join(client, 1)
    before = AppointmentItem.get(f"APPT#{reference}", "APPT")
    cancel(store, reference, NOW)
    after = AppointmentItem.get(f"APPT#{reference}", "APPT")
    for _ in range(2):  # the stream delivers at least once
        client.lambda_.invoke("on_table_change", {"Records": [record(after, old=before, name="MODIFY")]})
    opening = opening_of(first)
    assert offers() == [("offer", f"ofr_{opening.id}_1_{first}")]

    deliver(client)
    deliver(client)  # a second run sends nothing again
    [mail] = to("c1@example.com")
    assert f"/b/salon/offers/{opening.id}?request={first}&round=1&token=" in mail.text
    assert "hasta las 8:15" in mail.text and "Corte" in mail.text and "Referencia" not in mail.text  # held until, Madrid time (NOW is 08:00 CET)
    [text] = texts_to("+34611000301")
    assert f"/b/salon/offers/{opening.id}" in text


def test_a_hold_that_runs_out_tells_its_holder_once_and_offers_the_next_once_even_with_overlapping_runs(
        client, salon, store, clock, ses):
    reference = booked(client)
    first, second = join(client, 1), join(client, 2)
    free(client, store, reference, NOW)
    clock["value"] = NOW + timedelta(minutes=15)
    release_holds(client)
    release_holds(client)
    opening = opening_of(second)
    assert offers() == [("offer", f"ofr_{opening.id}_1_{first}"), ("offer", f"ofr_{opening.id}_2_{second}"),
                        ("offer_expired", f"ofx_{opening.id}_1_{first}")]
    deliver(client)
    assert len(to("c1@example.com")) == 2 and len(to("c2@example.com")) == 1
    assert len(texts_to("+34611000301")) == 2 and len(texts_to("+34611000302")) == 1


def test_who_declines_is_not_told_it_ended(client, salon, store, clock, ses):
    reference = booked(client)
    first, second = join(client, 1), join(client, 2)
    free(client, store, reference, NOW)
    assert answer(client, first, "decline").status_code == 200
    assert [kind for kind, _ in offers()] == ["offer", "offer"]


def test_after_21_local_the_offer_goes_by_email_only(client, salon, store, clock, ses):
    reference = booked(client)
    join(client, 1)
    free(client, store, reference, NOW)
    clock["value"] = NOW.replace(hour=20, minute=0)  # 21:00 in Madrid: the job sends late, at night
    deliver(client)
    assert len(to("c1@example.com")) == 1 and texts_to("+34611000301") == []


# -- the offer's page -----------------------------------------------------------------------------------------
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def link_in(mail) -> str:
    import re

    return re.search(r"(/b/salon/offers/\S+)", mail.text).group(1)


def test_the_link_opens_a_page_whose_accept_button_books_the_held_time_once(client, salon, store, clock, ses):
    from tests.waitlist.offer_helpers import request

    reference = booked(client)
    first = join(client, 1)
    free(client, store, reference, NOW)
    deliver(client)
    [mail] = to("c1@example.com")
    path, query = link_in(mail).split("?")
    page = client.http.get(f"{path}?{query}")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    html = page.body.decode()
    assert 'lang="es"' in html and "Corte" in html and "8:15" in html
    assert 'value="accept">Aceptar</button>' in html and 'value="decline">Rechazar</button>' in html
    assert request(first).status.value == "offered"  # looking is not answering

    done = client.http.post(path, body=query + "&answer=accept", headers=FORM)
    assert done.status_code == 200 and "Reservado" in done.body.decode()
    assert request(first).status.value == "booked"
    again = client.http.post(path, body=query + "&answer=accept", headers=FORM)
    assert again.status_code == 409 and "ha terminado" in again.body.decode()


def test_the_decline_button_passes_the_time_on_and_a_bad_token_shows_nothing(client, salon, store, clock, ses):
    reference = booked(client)
    first, second = join(client, 1), join(client, 2)
    free(client, store, reference, NOW)
    deliver(client)
    path, query = link_in(to("c1@example.com")[0]).split("?")
    forged = query.rsplit("token=", 1)[0] + "token=" + "0" * 32
    assert client.http.get(f"{path}?{forged}").status_code == 404
    assert client.http.post(path, body=forged + "&answer=decline", headers=FORM).status_code == 404
    done = client.http.post(path, body=query + "&answer=decline", headers=FORM)
    assert done.status_code == 200 and "Rechazado" in done.body.decode()
    assert opening_of(second).holder == second
