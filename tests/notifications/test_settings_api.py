"""The backoffice's notification settings through HTTP: read, change, custom texts (checked when
saved: 422 with the field), preview, and each business sees only its own."""
from __future__ import annotations

import json

import pytest

from chalicelib.domain.principal import Level
from tests.backoffice_world import OTHER

BASE = "/admin/notifications"


def put(client, path, body, headers):
    return client.http.put(path, body=json.dumps(body), headers={"Content-Type": "application/json", **headers})


def post(client, path, body, headers):
    return client.http.post(path, body=json.dumps(body), headers={"Content-Type": "application/json", **headers})


@pytest.fixture
def admin(login):
    return login(Level.ADMIN)


def test_a_new_business_reads_the_defaults_and_the_documented_variables(client, admin):
    response = client.http.get(BASE, headers=admin)
    assert response.status_code == 200
    body = response.json_body
    assert body["channels"]["pending"] == {"email": True, "sms": False}
    assert body["channels"]["reminder"] == {"email": True, "sms": True}
    assert body["reminder_lead_minutes"] == [1440] and body["sms_mode"] == "cheapest" and body["custom_texts"] == []
    assert "client.first_name" in body["variables"] and "manage_url" in body["variables"]


def test_changing_the_preferences_is_kept_and_changes_what_is_sent(client, admin, clock):
    response = put(client, BASE, {"channels": {"pending": {"sms": True}, "rejected": {"email": False}},
                                  "reminder_lead_minutes": [120, 1440], "sms_mode": "gsm7"}, admin)
    assert response.status_code == 200, response.body
    again = client.http.get(BASE, headers=admin).json_body
    assert again["channels"]["pending"]["sms"] is True and again["channels"]["rejected"]["email"] is False
    assert again["reminder_lead_minutes"] == [1440, 120] and again["sms_mode"] == "gsm7"
    preview = post(client, f"{BASE}/preview", {"kind": "confirmed", "channel": "sms"}, admin).json_body
    assert "Salon Lucia" in preview["text"] and preview["encoding"] == "GSM-7"  # gsm7 mode: accents replaced


@pytest.mark.parametrize("body, field, code", [
    ({"reminder_lead_minutes": [10]}, "reminder_lead_minutes", "invalid_reminder_lead_times"),
    ({"sms_mode": "ascii"}, "sms_mode", "unknown_sms_mode"),
    ({"channels": {"birthday": {"sms": True}}}, "channels.birthday", "unknown_kind"),
    ({"custom_texts": []}, "custom_texts", "unknown_field"),
])
def test_bad_preferences_answer_400_with_the_field_and_change_nothing(client, admin, body, field, code):
    response = put(client, BASE, body, admin)
    assert response.status_code == 400
    assert response.json_body["error"]["field"] == field and response.json_body["error"]["code"] == code
    assert client.http.get(BASE, headers=admin).json_body["sms_mode"] == "cheapest"


def test_a_custom_text_is_checked_saved_used_and_removed(client, admin, clock):
    path = f"{BASE}/texts/confirmed/email"
    saved = put(client, path, {"subject": "¡Hasta pronto, {{ client.first_name }}!",
                               "body": "Te esperamos el {{ appointment.date }} a las {{ appointment.time }}."}, admin)
    assert saved.status_code == 200, saved.body
    assert saved.json_body == {"kind": "confirmed", "channel": "email",
                               "subject": "¡Hasta pronto, {{ client.first_name }}!",
                               "body": "Te esperamos el {{ appointment.date }} a las {{ appointment.time }}."}
    assert client.http.get(BASE, headers=admin).json_body["custom_texts"] == [saved.json_body]
    preview = post(client, f"{BASE}/preview", {"kind": "confirmed", "channel": "email"}, admin).json_body
    assert preview["subject"] == "¡Hasta pronto, Maria!"
    assert preview["text"].startswith("Te esperamos el martes, 24 de marzo de 2026 a las 10:00.")
    assert "https://example.com/manage/SAMPLE0REF00" in preview["text"]  # the manage link is always added
    deleted = client.http.delete(path, headers=admin)
    assert deleted.status_code == 204
    default = post(client, f"{BASE}/preview", {"kind": "confirmed", "channel": "email"}, admin).json_body
    assert default["subject"].startswith("Cita confirmada")


@pytest.mark.parametrize("body, field, message", [
    ({"body": "Hola {{ client.first_name "}, "body", "line 1"),
    ({"body": "Hola {{ cliente.nombre }}"}, "body", "unknown variable cliente"),
    ({"body": "Hola {{ client.__class__.__mro__ }}"}, "body", "nested"),
    ({"body": "{{ client.items() }}"}, "body", "only variables"),
])
def test_a_text_that_cannot_render_answers_422_with_the_field_and_is_not_saved(client, admin, body, field, message):
    response = put(client, f"{BASE}/texts/reminder/sms", body, admin)
    assert response.status_code == 422
    error = response.json_body["error"]
    assert error["code"] == "invalid_template" and error["field"] == field and message in error["message"]
    assert client.http.get(BASE, headers=admin).json_body["custom_texts"] == []


def test_the_subject_of_an_email_text_is_checked_too(client, admin):
    response = put(client, f"{BASE}/texts/reminder/email", {"subject": "{% if %}", "body": "ok"}, admin)
    assert response.status_code == 422 and response.json_body["error"]["field"] == "subject"


@pytest.mark.parametrize("path, body, status, field", [
    (f"{BASE}/texts/birthday/sms", {"body": "x"}, 400, "kind"),
    (f"{BASE}/texts/reminder/fax", {"body": "x"}, 400, "channel"),
    (f"{BASE}/texts/reminder/sms", {"body": ""}, 400, "body"),
    (f"{BASE}/texts/reminder/sms", {"body": "x", "subject": "y"}, 400, "subject"),
])
def test_malformed_text_requests_answer_400(client, admin, path, body, status, field):
    response = put(client, path, body, admin)
    assert response.status_code == status and response.json_body["error"]["field"] == field


def test_the_preview_renders_a_draft_without_saving_it_and_counts_sms_segments(client, admin, clock):
    response = post(client, f"{BASE}/preview",
                    {"kind": "reminder", "channel": "sms", "body": "{{ business.name }} 💇 " + "x" * 60}, admin)
    assert response.status_code == 200, response.body
    body = response.json_body
    # as written it would be UCS-2 in 2 segments; the default mode (cheapest) sends 1 GSM-7 segment
    assert body["text"] == "Salon Lucia " + "x" * 60 and (body["encoding"], body["segments"]) == ("GSM-7", 1)
    assert client.http.get(BASE, headers=admin).json_body["custom_texts"] == []
    bad = post(client, f"{BASE}/preview", {"kind": "reminder", "channel": "sms", "body": "{{ nope }}"}, admin)
    assert bad.status_code == 422 and bad.json_body["error"]["field"] == "body"
    missing = post(client, f"{BASE}/preview", {"channel": "sms"}, admin)
    assert missing.status_code == 400 and missing.json_body["error"]["field"] == "kind"


def test_each_business_reads_and_writes_only_its_own_settings(client, login, clock):
    salon_admin, other_admin = login(Level.ADMIN), login(Level.ADMIN, business=OTHER)
    assert put(client, BASE, {"sms_mode": "as_written"}, salon_admin).status_code == 200
    assert put(client, f"{BASE}/texts/reminder/sms", {"body": "Salon text"}, salon_admin).status_code == 200
    other = client.http.get(BASE, headers=other_admin).json_body
    assert other["sms_mode"] == "cheapest" and other["custom_texts"] == []
    preview = post(client, f"{BASE}/preview", {"kind": "reminder", "channel": "sms"}, other_admin).json_body
    assert preview["text"].startswith("Peluquer")  # the other business's own default text


def test_only_administrators_change_settings_but_everyone_reads_them(client, login):
    manager = login(Level.MANAGER)
    assert client.http.get(BASE, headers=manager).status_code == 200
    assert put(client, BASE, {"sms_mode": "gsm7"}, manager).status_code == 403
    assert post(client, f"{BASE}/preview", {"kind": "reminder", "channel": "sms"}, manager).status_code == 403


@pytest.mark.parametrize("channel, body, field", [
    ("email", {"subject": "Hola\r\nBcc: all@example.com", "body": "Hola"}, "subject"),
    ("email", {"subject": "Hola", "body": "Hola\u0000{{ business.name }}"}, "body"),
    ("sms", {"body": "\u0007{{ business.name }}"}, "body"),
])
def test_a_custom_text_with_control_characters_is_refused_and_not_saved(client, admin, channel, body, field):
    response = put(client, f"{BASE}/texts/reminder/{channel}", body, admin)
    assert response.status_code == 400, response.body
    assert response.json_body["error"]["code"] == "control_character"
    assert response.json_body["error"]["field"] == field
    assert client.http.get(BASE, headers=admin).json_body["custom_texts"] == []


def test_a_custom_text_keeps_its_line_breaks_and_is_stored_in_nfc(client, admin):
    response = put(client, f"{BASE}/texts/reminder/email",
                   {"subject": "Recordatorio", "body": "Hola Jose\u0301,\n\n\ttu cita {{ appointment.time }}"}, admin)
    assert response.status_code == 200, response.body
    assert response.json_body["body"] == "Hola José,\n\n\ttu cita {{ appointment.time }}"
