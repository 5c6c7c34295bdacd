"""Staff from the backoffice: profile, weekly hours and breaks, time off, services, personal code,
access levels and invitations; managers run the team but never change administrators."""
from __future__ import annotations

import json
import re

import pytest

from chalicelib.domain.principal import Level
from tests.backoffice_world import TRAINEE, sent_emails
from tests.api.helpers import error, post


def send(client, method, path, body, headers):
    return client.http.request(method, path, body=json.dumps(body), headers={**headers, "Content-Type": "application/json"})


def test_a_manager_sets_hours_breaks_time_off_services_and_code_and_availability_follows(client, login):
    manager = login(Level.MANAGER)
    response = send(client, "PATCH", "/admin/staff/stf_bea", {
        "hours": {"tue": [["10:00", "19:00"]]},
        "breaks": {"tue": [["13:00", "14:00"]]},
        "time_off": [{"start": "2026-03-31T10:00:00+02:00", "end": "2026-03-31T12:00:00+02:00"}],
        "services": ["svc_cut", "svc_color"],
        "secret_code": "2026",
        "phone": "+34 611 22 33 44",
    }, manager)
    assert response.status_code == 200, response.body
    bea = response.json_body
    assert bea["hours"] == {"tue": [["10:00", "13:00"], ["14:00", "19:00"]]}
    assert bea["breaks"] == {"tue": [["13:00", "14:00"]]}
    assert bea["time_off"] == [{"start": "2026-03-31T08:00:00Z", "end": "2026-03-31T10:00:00Z"}]
    assert bea["services"] == ["svc_color", "svc_cut"] and bea["phone"] == "+34611223344"
    assert bea["secret_code"] == "2026"
    slots = client.http.get("/public/salon/availability?service=svc_cut&staff=stf_bea&from=2026-03-24&to=2026-03-24&code=2026",
                            headers={}).json_body["slots"]
    starts = {s["start"][11:16] for s in slots}
    assert "12:30" in starts and "13:00" not in starts and "13:45" not in starts and "14:00" in starts


def test_the_personal_code_then_locks_that_professional_online(client, login):
    send(client, "PATCH", "/admin/staff/stf_bea", {"secret_code": "2026"}, login(Level.MANAGER))
    open_staff = client.http.get("/public/salon/staff?service=svc_cut").json_body["staff"]
    assert "stf_bea" not in [s["id"] for s in open_staff]
    with_code = client.http.get("/public/salon/staff?service=svc_cut&code=2026").json_body["staff"]
    assert "stf_bea" in [s["id"] for s in with_code]


def test_codes_are_hidden_below_the_front_desk(client, login):
    send(client, "PATCH", "/admin/staff/stf_bea", {"secret_code": "2026"}, login(Level.MANAGER))
    seen = client.http.get("/admin/staff/stf_bea", headers=login(Level.PROFESSIONAL)).json_body
    assert "secret_code" not in seen and seen["has_code"] is True and "access" not in seen


def test_a_new_staff_member_without_a_login(client, login):
    response = send(client, "POST", "/admin/staff", {"name": "Nora", "services": ["svc_cut"],
                                                     "hours": {"mon": [["09:00", "14:00"]]}}, login(Level.MANAGER))
    assert response.status_code == 201, response.body
    assert response.json_body["access"] is None and response.json_body["id"].startswith("stf_")
    listed = client.http.get("/admin/staff", headers=login(Level.PROFESSIONAL_OWN)).json_body["staff"]
    assert "Nora" in [m["name"] for m in listed]


@pytest.mark.parametrize("body, field, code", [
    ({"hours": {"mon": [["9:00", "14:00"]]}}, "hours.mon[0]", "invalid"),
    ({"hours": {"mon": [["09:00", "14:00"], ["13:00", "15:00"]]}}, "hours.mon[1]", "invalid"),
    ({"breaks": {"mon": [["x", "y"]]}}, "breaks.mon[0]", "invalid"),
    ({"time_off": [{"start": "2026-03-31T10:00:00", "end": "2026-03-31T12:00:00+02:00"}]}, "time_off[0].start",
     "invalid_datetime"),
    ({"time_off": [{"start": "2026-03-31T12:00:00+02:00", "end": "2026-03-31T10:00:00+02:00"}]}, "time_off[0].end",
     "invalid"),
    ({"time_off": "tomorrow"}, "time_off", "wrong_type"),
    ({"email": "nope"}, "email", "invalid_email"),
    ({"secret_code": 1234}, "secret_code", "wrong_type"),
    ({"secret_code": "123"}, "secret_code", "invalid_code_format"),  # personal codes: 4 to 6 digits
    ({"secret_code": "1234567"}, "secret_code", "invalid_code_format"),
    ({"secret_code": "BEA-2026"}, "secret_code", "invalid_code_format"),
    ({"secret_code": "１２３４"}, "secret_code", "invalid_code_format"),  # digits, but not 0-9
    ({"level": 1}, "level", "unknown_field"),
])
def test_bad_staff_edits_are_refused_and_nothing_changes(client, login, body, field, code):
    manager = login(Level.MANAGER)
    before = client.http.get("/admin/staff/stf_ana", headers=manager).json_body
    response = send(client, "PATCH", "/admin/staff/stf_ana", body, manager)
    assert response.status_code == 400, response.body
    assert (error(response)["field"], error(response)["code"]) == (field, code)
    assert client.http.get("/admin/staff/stf_ana", headers=manager).json_body == before


def test_unknown_services_for_a_staff_member_are_404(client, login):
    response = send(client, "PATCH", "/admin/staff/stf_ana", {"services": ["svc_nope"]}, login(Level.MANAGER))
    assert response.status_code == 404 and error(response)["field"] == "services"


def test_an_email_used_by_another_staff_member_is_refused(client, login):
    manager = login(Level.MANAGER)
    send(client, "PATCH", "/admin/staff/stf_ana", {"email": "ana@salon.example"}, manager)
    response = send(client, "PATCH", "/admin/staff/stf_bea", {"email": "ANA@salon.example"}, manager)
    assert response.status_code == 409 and error(response)["code"] == "email_taken"


# -- invitations and access, end to end (the use cases' rules: test_access_use_cases.py) ------------------
def invitation_password(message) -> str:
    return re.search(r'class="password">([^<]+)</code>', message.body).group(1)


def test_an_invited_professional_gets_turnos_email_and_signs_in_with_it(client, login, cognito_pool):
    response = send(client, "POST", "/admin/staff/invitations", {
        "email": "Nora.New@Example.com", "level": 6, "staff": {"name": "Nora", "services": ["svc_cut"]}},
        login(Level.MANAGER))
    assert response.status_code == 201, response.body
    body = response.json_body
    assert body["access"] == {"email": "nora.new@example.com", "level": 6}
    assert body["invitation"] == {"email": "nora.new@example.com", "sent": True, "valid_days": 7}
    [message] = [m for m in sent_emails() if "nora.new@example.com" in m.destinations["ToAddresses"]]
    assert message.source == "no-reply@turno.example" and "Salón Lucía" in message.subject
    assert "sin contactos de clientes" in message.body  # the salon writes Spanish
    assert 'href="http://127.0.0.1:8000/admin-app/"' in message.body  # the link opens the backoffice app
    first = post(client, "/auth/login", {"email": "nora.new@example.com", "password": invitation_password(message)})
    assert first.json_body["challenge"] == "new_password_required"
    done = post(client, "/auth/password/new", {"email": "nora.new@example.com", "session": first.json_body["session"],
                                               "new_password": "Nora-Own-Pass-1"})
    me = client.http.get("/admin/me", headers={"Authorization": f"Bearer {done.json_body['access_token']}"}).json_body
    assert me["level"] == 6 and me["staff"] == body["id"] and me["sees_contacts"] is False
    entry = client.http.get("/admin/audit", headers=login(Level.ADMIN)).json_body["entries"][0]
    assert entry["action"] == "access.invite" and entry["after"]["level"] == 6 and entry["before"] is None


def test_taking_a_login_away_refuses_its_token_at_once_and_frees_the_email(client, login, seeded, cognito_pool):
    admin = login(Level.ADMIN)
    signed_in = post(client, "/auth/login", {"email": "leaver@biz-salon.example", "password": "Turno-Test-Pass-1!"})
    leaver = {"Authorization": f"Bearer {signed_in.json_body['access_token']}"}
    assert client.http.get("/admin/me", headers=leaver).status_code == 200
    response = client.http.delete("/admin/staff/stf_leaver/access", headers=admin)
    assert response.status_code == 200 and response.json_body["access"] is None
    assert client.http.get("/admin/me", headers=leaver).status_code == 403
    assert post(client, "/auth/login", {"email": "leaver@biz-salon.example",
                                        "password": "Turno-Test-Pass-1!"}).status_code == 401
    assert client.http.get("/admin/staff/stf_leaver", headers=admin).json_body["name"] == "Leo"  # the profile stays
    again = send(client, "POST", "/admin/staff/invitations", {"email": "leaver@biz-salon.example", "level": 5,
                                                              "staff_id": "stf_leaver"}, admin)
    assert again.status_code == 201, again.body
    entry = client.http.get("/admin/audit", headers=admin).json_body["entries"]
    assert "access.revoke" in [e["action"] for e in entry]
    assert client.http.delete("/admin/staff/stf_cris/access", headers=admin).status_code == 404


def test_an_edit_that_changes_nothing_writes_nothing(client, login):
    admin = login(Level.ADMIN)
    send(client, "PATCH", "/admin/staff/stf_ana", {"name": "Ana"}, admin)
    send(client, "PATCH", "/admin/services/svc_cut", {}, admin)
    assert client.http.get("/admin/audit", headers=admin).json_body["entries"] == []


def test_when_ses_refuses_the_invitation_the_login_stays_and_it_can_be_sent_again(client, login):
    import boto3

    ses = boto3.client("sesv2", region_name="eu-west-1")
    ses.delete_email_identity(EmailIdentity="no-reply@turno.example")
    admin = login(Level.ADMIN)
    response = send(client, "POST", "/admin/staff/invitations",
                    {"email": "nora@example.com", "level": 5, "staff": {"name": "Nora"}}, admin)
    assert response.status_code == 201 and response.json_body["invitation"]["sent"] is False
    ses.create_email_identity(EmailIdentity="no-reply@turno.example")
    again = client.http.post(f"/admin/staff/{response.json_body['id']}/invitation", headers=admin)
    assert again.status_code == 200 and again.json_body["invitation"]["sent"] is True
    assert [m for m in sent_emails() if "nora@example.com" in m.destinations["ToAddresses"]]


def test_a_resend_after_the_directory_lost_the_user_invites_again_and_keeps_a_local_copy(
        client, login, cognito_pool, tmp_path, settings_env):
    import boto3

    from chalicelib.config import settings

    # given the local stack's outbox folder and an invited newcomer whom the directory then lost (a restart)
    settings_env(TURNO_LOCAL_OUTBOX=str(tmp_path / "outbox"))
    admin = login(Level.ADMIN)
    made = send(client, "POST", "/admin/staff/invitations",
                {"email": "lost@example.com", "level": 5, "staff": {"name": "Lía"}}, admin)
    assert made.status_code == 201, made.body
    boto3.client("cognito-idp", region_name=settings().region).admin_delete_user(
        UserPoolId=settings().user_pool_id, Username="lost@example.com")

    # when the invitation is sent again
    again = client.http.post(f"/admin/staff/{made.json_body['id']}/invitation", headers=admin)

    # then it goes out (no 500), both invitations are kept in the folder, and the new password signs in
    assert again.status_code == 200 and again.json_body["invitation"]["sent"] is True, again.body
    kept = sorted((tmp_path / "outbox").glob("*staff-email-lost@example.com*.eml"))
    assert len(kept) == 2 and "To: lost@example.com" in kept[1].read_text()
    [*_, latest] = [m for m in sent_emails() if "lost@example.com" in m.destinations["ToAddresses"]]
    signed = post(client, "/auth/login", {"email": "lost@example.com", "password": invitation_password(latest)})
    assert signed.json_body["challenge"] == "new_password_required"


def test_two_resends_racing_for_a_lost_user_give_one_invitation_and_a_409_not_a_500(client, login, cognito_pool,
                                                                                    monkeypatch):
    """Both saw the directory without the user; the other one created it first, so ours is told to retry."""
    from chalicelib.adapters.cognito import CognitoDirectory
    from chalicelib.ports import UserNotFoundError

    admin = login(Level.ADMIN)
    made = send(client, "POST", "/admin/staff/invitations",
                {"email": "racing@example.com", "level": 5, "staff": {"name": "Rita"}}, admin)
    assert made.status_code == 201, made.body

    def lost(self, email):  # as the racer saw it, before the other one created the user again
        raise UserNotFoundError(email)

    monkeypatch.setattr(CognitoDirectory, "must_change_password", lost)
    again = client.http.post(f"/admin/staff/{made.json_body['id']}/invitation", headers=admin)
    assert again.status_code == 409 and error(again)["code"] == "try_again", again.body


@pytest.mark.parametrize("call", ["invite", "resend"])
def test_a_directory_throttling_invitations_is_a_429_not_a_500(client, login, cognito_pool, monkeypatch, call):
    from chalicelib.adapters.cognito import CognitoDirectory
    from chalicelib.ports import ThrottledError

    admin = login(Level.ADMIN)
    made = send(client, "POST", "/admin/staff/invitations",
                {"email": "busy@example.com", "level": 5, "staff": {"name": "Bea"}}, admin)

    def busy(self, *args, **kw):
        raise ThrottledError("TooManyRequestsException")

    for method in ("create_user", "must_change_password", "set_password"):
        monkeypatch.setattr(CognitoDirectory, method, busy)
    if call == "invite":
        response = send(client, "POST", "/admin/staff/invitations",
                        {"email": "busy2@example.com", "level": 5, "staff": {"name": "Bo"}}, admin)
    else:
        response = client.http.post(f"/admin/staff/{made.json_body['id']}/invitation", headers=admin)
    assert response.status_code == 429 and error(response)["code"] == "too_many_attempts", response.body
    assert response.headers["Retry-After"] == "60"
