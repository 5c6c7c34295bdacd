"""Agenda views: a day, a week or a month, for one professional, several or everyone, in the
business's time zone, with only what the caller's level may see."""
from __future__ import annotations

from chalicelib.domain.principal import Level
from tests.api.helpers import error, post

DESK = Level.RECEPTION_FULL


def agenda(client, headers, query):
    response = client.http.get(f"/admin/agenda?{query}", headers=headers)
    assert response.status_code == 200, response.body
    return response.json_body


def book(client, headers, client_id, start, staff="stf_ana"):
    response = post(client, "/admin/appointments",
                    {"client": client_id, "service": "svc_cut", "staff": staff, "start": start}, headers)
    assert response.status_code == 201, response.body
    return response.json_body["reference"]


def refs(view):
    return [a["reference"] for a in view["appointments"]]


def test_day_week_and_month_cover_their_local_dates(client, login, seeded):
    headers = login(DESK)
    eva = seeded["client"]
    friday = book(client, headers, eva, "2026-03-27T09:00:00+01:00")
    next_tuesday = book(client, headers, eva, "2026-03-31T09:00:00+02:00")  # after the change to summer time
    april = book(client, headers, eva, "2026-04-01T17:30:00+02:00")
    day = agenda(client, headers, "view=day&date=2026-03-24")
    assert (day["from"], day["to"], day["timezone"]) == ("2026-03-24", "2026-03-24", "Europe/Madrid")
    assert refs(day) == [seeded["reference"]]
    week = agenda(client, headers, "view=week&date=2026-03-25")
    assert (week["from"], week["to"]) == ("2026-03-23", "2026-03-29")
    assert refs(week) == [seeded["reference"], friday]
    next_week = agenda(client, headers, "view=week&date=2026-04-02")
    assert refs(next_week) == [next_tuesday, april]
    assert next_week["appointments"][0]["start"] == "2026-03-31T09:00:00+02:00"
    month = agenda(client, headers, "view=month&date=2026-03-10")
    assert (month["from"], month["to"]) == ("2026-03-01", "2026-03-31")
    assert refs(month) == [seeded["reference"], friday, next_tuesday]


def test_today_is_the_default_day(client, login, seeded, clock):
    headers = login(DESK)
    today = agenda(client, headers, "")
    assert today["from"] == today["to"] == "2026-03-23" and today["appointments"] == []


def test_one_several_or_every_professional(client, login, seeded):
    headers = login(DESK)
    bea = book(client, headers, seeded["client"], "2026-03-24T10:00:00+01:00", staff="stf_bea")
    everyone = agenda(client, headers, "date=2026-03-24")
    assert set(refs(everyone)) == {seeded["reference"], bea}
    assert {s["id"] for s in everyone["staff"]} >= {"stf_ana", "stf_bea", "stf_cris"}
    assert refs(agenda(client, headers, "date=2026-03-24&staff=stf_bea")) == [bea]
    several = agenda(client, headers, "date=2026-03-24&staff=stf_bea,stf_ana")
    assert set(refs(several)) == {seeded["reference"], bea} and [s["id"] for s in several["staff"]] == ["stf_bea", "stf_ana"]


def test_cancelled_appointments_are_shown_only_when_asked(client, login, seeded):
    headers = login(DESK)
    post(client, f"/admin/appointments/{seeded['reference']}/cancel", {}, headers)
    assert refs(agenda(client, headers, "date=2026-03-24")) == []
    shown = agenda(client, headers, "date=2026-03-24&include_cancelled=true")
    assert refs(shown) == [seeded["reference"]] and shown["appointments"][0]["status"] == "cancelled"


def test_professionals_see_colleagues_read_only_and_level_7_only_itself(client, login, seeded):
    cris_ref = book(client, login(DESK), seeded["client"], "2026-03-24T12:00:00+01:00", staff="stf_cris")
    ana = agenda(client, login(Level.PROFESSIONAL), "date=2026-03-24")
    assert set(refs(ana)) == {seeded["reference"], cris_ref}
    writable = {s["id"]: s["writable"] for s in ana["staff"]}
    assert writable["stf_ana"] is True and writable["stf_cris"] is False
    by_ref = {a["reference"]: a for a in ana["appointments"]}
    assert by_ref[cris_ref]["writable"] is False and by_ref[seeded["reference"]]["writable"] is True
    cris = login(Level.PROFESSIONAL_OWN)
    own = agenda(client, cris, "date=2026-03-24")
    assert refs(own) == [cris_ref] and [s["id"] for s in own["staff"]] == ["stf_cris"]
    refused = client.http.get("/admin/agenda?date=2026-03-24&staff=stf_ana", headers=cris)
    assert refused.status_code == 403 and error(refused)["code"] == "not_your_agenda"


def test_level_6_sees_names_but_never_contacts(client, login, seeded):
    view = agenda(client, login(Level.PROFESSIONAL_NO_CONTACTS), "date=2026-03-24")
    entry = view["appointments"][0]["client"]
    assert entry == {"id": seeded["client"], "first_name": "Eva", "last_name": "Ruiz"}
    full = agenda(client, login(DESK), "date=2026-03-24")["appointments"][0]["client"]
    assert full["email"] == seeded["client_email"] and full["phone"] == seeded["client_phone"]


def test_bad_agenda_queries_are_400_or_404(client, login, seeded):
    headers = login(DESK)
    for query, status, field in (("view=year", 400, "view"), ("date=24/03/2026", 400, "date"),
                                 ("staff=stf_nope", 404, "staff"), ("include_cancelled=maybe", 400, "include_cancelled")):
        response = client.http.get(f"/admin/agenda?{query}", headers=headers)
        assert response.status_code == status, query
        assert error(response)["field"] == field


def test_another_business_sees_neither_these_staff_nor_appointments(client, login, seeded):
    other = login(Level.ADMIN, business="biz_other")
    assert client.http.get("/admin/agenda?date=2026-03-24&staff=stf_ana", headers=other).status_code == 404
    assert agenda(client, other, "view=month&date=2026-03-24")["appointments"] == []
