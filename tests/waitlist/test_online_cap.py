"""One email or phone may have at most three open requests joined from the booking page: the fourth is
409 `too_many_open_requests`, a closed or expired one makes room again, and joins racing each other cannot pass
the cap together (the count is a versioned item written with the request)."""
from __future__ import annotations

from datetime import timedelta

from chalicelib.domain.principal import Level
from chalicelib.domain.waitlist import MAX_OPEN_ONLINE, Contact, contact_keys
from chalicelib.repositories import waitlist as repository
from tests.api.helpers import error, post
from tests.factories import NOW
from tests.integration.test_races import run_together
from tests.waitlist.helpers import DESK, TUESDAY_WINDOW, add_request

SALON = "biz_salon"


def join(client, email: str | None = "nadia@example.com", phone: str | None = None, **changes):
    body = {"service": "svc_cut", "staff": "any", "windows": [TUESDAY_WINDOW],
            "client": {"first_name": "Nadia", **({"email": email} if email else {}), **({"phone": phone} if phone else {})}}
    return post(client, "/public/salon/waitlist", {**body, **changes})


def test_a_fourth_open_request_of_one_email_or_phone_is_refused(client, salon, login):
    made = [join(client, phone="+34611000900") for _ in range(MAX_OPEN_ONLINE)]
    assert [r.status_code for r in made] == [201] * MAX_OPEN_ONLINE
    for refused in (join(client), join(client, email="other@example.com", phone="+34611000900")):
        assert refused.status_code == 409 and (error(refused)["code"], error(refused)["field"]) == (
            "too_many_open_requests", "client"), refused.body
    assert join(client, email="someone.else@example.com").status_code == 201
    # staff may still add one for her (the cap is the booking page's)
    assert add_request(client, login(DESK), client={"first_name": "Nadia", "email": "nadia@example.com"})
    listed = client.http.get("/admin/waitlist?q=nadia%40example", headers=login(DESK)).json_body["requests"]
    assert len(listed) == MAX_OPEN_ONLINE + 1


def test_a_cancelled_or_expired_request_makes_room_again(client, salon, login, clock):
    made = [join(client).json_body["id"] for _ in range(MAX_OPEN_ONLINE)]
    assert post(client, f"/admin/waitlist/{made[0]}/cancel", {}, login(DESK)).status_code == 200
    assert join(client).status_code == 201
    assert join(client).status_code == 409
    clock["value"] = NOW.replace(day=24, hour=12)  # Tuesday 13:00 in Madrid: every window above has passed
    later = {"from": "2026-03-25", "to": "2026-03-25", "start": "09:00", "end": "13:00"}
    assert [join(client, windows=[later]).status_code for _ in range(MAX_OPEN_ONLINE + 1)] == [201] * 3 + [409]


def test_joins_racing_each_other_cannot_pass_the_cap_together(client, salon, store, clock, atomic_moto):
    from chalicelib.errors import ConflictError
    from chalicelib.services import waitlist as use_case

    assert [join(client).status_code for _ in range(MAX_OPEN_ONLINE - 1)] == [201, 201]
    body = {"service": "svc_cut", "staff": "any", "windows": [TUESDAY_WINDOW],
            "client": {"first_name": "Nadia", "email": "nadia@example.com"}}
    outcomes = run_together(*[lambda: use_case.join(store, "salon", body, clock["value"]) for _ in range(6)])
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 5 and all(isinstance(o, ConflictError) for o in refused), outcomes
    assert {o.code for o in refused} <= {"too_many_open_requests", "joined_meanwhile"}
    versions, joined = repository.joined_online(SALON, contact_keys(Contact("Nadia", email="nadia@example.com")),
                                                NOW + timedelta(minutes=1))
    assert len(joined) == MAX_OPEN_ONLINE and list(versions.values()) == [MAX_OPEN_ONLINE]


def test_erasing_the_client_forgets_her_count(client, login, seeded):
    assert join(client, email=seeded["client_email"]).status_code == 201
    keys = contact_keys(Contact("Eva", email=seeded["client_email"]))
    assert repository.joined_online(SALON, keys, NOW)[0]
    assert post(client, f"/admin/clients/{seeded['client']}/erase", {"confirm": True},
                login(Level.ADMIN)).status_code == 200
    assert repository.joined_online(SALON, keys, NOW) == ({}, [])
