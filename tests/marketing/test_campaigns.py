"""Campaigns end to end: consent with its history, preview with recipients per channel and exclusions per
reason, the audience fixed at send, delivery through the marketing outbox exactly once per (campaign, client,
channel), quiet hours for SMS, the cap across campaigns, the monthly SMS quota, unsubscribe (one-click POST,
GET only asks), STOP/START through the SNS inbound path, attribution and the campaign's figures."""
from __future__ import annotations

import email
import email.policy
import json
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest

from chalicelib.domain.calendar import UTC
from chalicelib.domain.do_not_contact import Contacts
from chalicelib.domain.model import AppointmentStatus as S
from chalicelib.domain.principal import Level
from tests.factories import NOW
from tests.marketing.helpers import ClientAgenda, add_client, api, grant, run_job
from tests.notifications.delivery_helpers import emails, sms

ACCOUNT, REGION = "123456789012", "eu-west-1"
NINE_LOCAL = datetime(2026, 3, 23, 8, 0, tzinfo=UTC)  # 09:00 in Madrid: quiet hours open


@pytest.fixture
def dormant(client, store, login, clock, ses):
    """Dormant clients (last visit in 2025), each with what decides whether a campaign reaches them."""
    people = {
        "cli_ok": ("Olga", "olga@example.com", "+34612000001"),  # consented to both
        "cli_mail": ("Marta", "marta@example.com", None),  # email consent, no phone
        "cli_none": ("Nadia", "nadia@example.com", "+34612000003"),  # never asked
        "cli_unsub": ("Ursula", "ursula@example.com", None),  # unsubscribed by the link
        "cli_bounce": ("Berta", "bounce@example.com", None),  # her address bounced
        "cli_dnc": ("Dora", "dora@example.com", None),  # erased: on the do-not-contact list
    }
    agenda = ClientAgenda(client, store)
    for cid, (name, mail, phone) in people.items():
        add_client(cid, name, "Test", email=mail, phone=phone)
        agenda.visit(cid, "2025-10-01T10:00:00+00:00")
    grant(client, login, "cli_ok", "email", "sms")
    for cid in ("cli_mail", "cli_unsub", "cli_bounce", "cli_dnc"):
        grant(client, login, cid, "email")
    from chalicelib import wiring
    from chalicelib.repositories import messages
    from chalicelib.services import consents

    consents.withdraw("biz_salon", "cli_unsub", "email", "unsubscribe_link", NOW, "link")
    messages.mark_undeliverable("email", "bounce@example.com", "bounce", "{}", NOW)
    wiring.do_not_contact().add("biz_salon", Contacts(email="dora@example.com"), NOW, "erased")
    return agenda


@contextmanager
def at(clock, when: datetime):
    """The jobs run at `when`; the staff's API calls stay at NOW (their sign-in lasts an hour)."""
    clock["value"] = when
    try:
        yield
    finally:
        clock["value"] = NOW


def new_campaign(client, login, **texts) -> dict:
    body = {"name": "Spring", "audience": {"view": "dormant", "days": 90},
            "email_subject": "Hello {{ client.first_name }}",
            "email_body": "Spring is here, {{ client.first_name }}! Book: {{ booking_url }}",
            "sms_body": "Spring offer at {{ business.name }}", **texts}
    made = api(client, login, "POST", "/admin/marketing/campaigns", {k: v for k, v in body.items() if v is not None})
    assert made.status_code == 201, made.body
    return made.json_body


def test_consent_is_recorded_with_its_history_and_wording(client, login, dormant):
    body = api(client, login, "GET", "/admin/clients/cli_ok/consent", level=Level.RECEPTION_FULL).json_body
    assert body["consent"]["email"]["marketing"]["granted"] is True
    assert body["consent"]["email"]["marketing"]["source"] == "backoffice"
    assert body["consent"]["email"]["service"] is None
    assert body["history"][0]["wording"].startswith("Yes to news by")
    refused = api(client, login, "PUT", "/admin/clients/cli_ok/consent",
                  {"changes": [{"channel": "sms", "purpose": "marketing", "granted": True}]})
    assert refused.status_code == 400 and refused.json_body["error"]["field"] == "changes[0].wording"
    other = api(client, login, "GET", "/admin/clients/cli_nobody/consent")
    assert other.status_code == 404


def test_preview_counts_recipients_per_channel_and_exclusions_per_reason(client, login, dormant):
    made = new_campaign(client, login)
    preview = api(client, login, "GET", f"/admin/marketing/campaigns/{made['id']}/preview").json_body["preview"]
    assert preview["clients"] == 6
    assert preview["recipients"] == {"email": 2, "sms": 1}
    assert preview["excluded"]["email"] == {"do_not_contact": 1, "no_address": 0, "bounced": 1, "unsubscribed": 1,
                                            "stop": 0, "no_consent": 1, "capped": 0}
    assert preview["excluded"]["sms"] == {"do_not_contact": 1, "no_address": 3, "bounced": 0, "unsubscribed": 0,
                                          "stop": 0, "no_consent": 1, "capped": 0}
    assert preview["sms_quota"] == {"month": "2026-03", "limit": 500, "used": 0, "remaining": 500}


def test_soft_opt_in_reaches_existing_clients_by_email_only(client, login, dormant):
    assert api(client, login, "PUT", "/admin/marketing/settings", {"soft_opt_in_email": True}).status_code == 200
    made = new_campaign(client, login)
    preview = api(client, login, "GET", f"/admin/marketing/campaigns/{made['id']}/preview").json_body["preview"]
    assert preview["recipients"] == {"email": 3, "sms": 1}  # Nadia now by email; an unsubscribe still counts


def test_sending_delivers_once_per_client_and_channel_with_unsubscribe_headers(client, login, dormant, clock):
    made = new_campaign(client, login)
    sent = api(client, login, "POST", f"/admin/marketing/campaigns/{made['id']}/send")
    assert sent.status_code == 200 and sent.json_body["status"] == "sent"
    again = api(client, login, "POST", f"/admin/marketing/campaigns/{made['id']}/send")
    assert again.status_code == 409 and again.json_body["error"]["code"] == "already_sent"

    # 08:00 in Madrid: the emails go, the SMS waits for 09:00
    run_job(client, "deliver_marketing")
    assert sorted(m.to for m in emails()) == ["marta@example.com", "olga@example.com"] and sms() == []
    with at(clock, NINE_LOCAL):
        run_job(client, "deliver_marketing")
        run_job(client, "deliver_marketing")
    assert [to for to, _ in sms()] == ["+34612000001"]
    assert "STOP" in sms()[0][1] and "Salon Lucia:" in sms()[0][1]  # GSM-7 is cheaper than UCS-2
    assert len(emails()) == 2

    from moto.ses.models import ses_backends

    raw = ses_backends[ACCOUNT][REGION].sent_messages[0].raw_data
    mail = email.message_from_string(raw, policy=email.policy.default)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<http" in mail["List-Unsubscribe"] and "mailto:" in mail["List-Unsubscribe"]
    figures = api(client, login, "GET", f"/admin/marketing/campaigns/{made['id']}").json_body["figures"]
    # sent, no delivery report yet (tests/marketing/test_delivery_reports.py has them)
    assert (figures["sent"], figures["delivered"], figures["delivery_unknown"], figures["failed"]) == (3, 0, 3, 0)


def test_concurrent_sends_fix_one_audience(client, login, dormant, store, atomic_moto):
    from chalicelib import wiring
    from chalicelib.domain.principal import Principal
    from chalicelib.errors import ConflictError
    from chalicelib.services import campaigns

    made = new_campaign(client, login)
    manager = Principal("biz_salon", "stf_manager", Level.MANAGER)
    answers = []

    def send():
        try:
            campaigns.send(store, wiring.clients(), wiring.do_not_contact(), manager, made["id"], NOW)
            answers.append("sent")
        except ConflictError as refused:
            answers.append(refused.code)

    threads = [threading.Thread(target=send) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == ["already_sent", "already_sent", "sent"]
    from chalicelib.repositories import marketing

    assert len(list(marketing.campaign_messages("biz_salon", made["id"]))) == 3


def test_the_cap_holds_across_campaigns(client, login, dormant):
    first, second = new_campaign(client, login, sms_body=None), new_campaign(client, login, sms_body=None)
    api(client, login, "POST", f"/admin/marketing/campaigns/{first['id']}/send")
    run_job(client, "deliver_marketing")
    preview = api(client, login, "GET", f"/admin/marketing/campaigns/{second['id']}/preview").json_body["preview"]
    assert preview["recipients"]["email"] == 0 and preview["excluded"]["email"]["capped"] == 2


def test_the_monthly_sms_quota_is_shown_and_enforced(client, login, dormant):
    api(client, login, "PUT", "/admin/marketing/settings", {"sms_monthly_quota": 0})
    made = new_campaign(client, login, email_subject=None, email_body=None)
    refused = api(client, login, "POST", f"/admin/marketing/campaigns/{made['id']}/send")
    assert refused.status_code == 409 and refused.json_body["error"]["code"] == "sms_quota_exceeded"


def test_one_click_unsubscribe_takes_effect_at_once_and_get_only_asks(client, login, dormant):
    from chalicelib.config import settings
    from chalicelib.notifications.marketing_messages import unsubscribe_token

    token = unsubscribe_token(settings().signing_key, "biz_salon", "cli_ok")
    path = f"/unsubscribe/biz_salon/cli_ok/{token}"
    page = client.http.get(path)
    assert page.status_code == 200 and b"<form method=\"post\"" in page.body
    made = new_campaign(client, login, sms_body=None)
    preview = api(client, login, "GET", f"/admin/marketing/campaigns/{made['id']}/preview").json_body["preview"]
    assert preview["recipients"]["email"] == 2  # the GET changed nothing

    done = client.http.post(path, headers={"content-type": "application/x-www-form-urlencoded"},
                            body="List-Unsubscribe=One-Click")
    assert done.status_code == 200 and "Salón Lucía".encode() in done.body
    preview = api(client, login, "GET", f"/admin/marketing/campaigns/{made['id']}/preview").json_body["preview"]
    assert preview["recipients"]["email"] == 1 and preview["excluded"]["email"]["unsubscribed"] == 2
    history = api(client, login, "GET", "/admin/clients/cli_ok/consent").json_body["history"]
    assert {(h["source"], h["granted"], h["by"]) for h in history} == {("backoffice", True, "stf_manager"),
                                                                         ("unsubscribe_link", False, "client")}

    forged = client.http.post(f"/unsubscribe/biz_salon/cli_mail/{token}",
                              headers={"content-type": "application/x-www-form-urlencoded"},
                              body="List-Unsubscribe=One-Click")
    assert forged.status_code == 404


def test_an_unsubscribe_after_the_audience_was_fixed_skips_the_message(client, login, dormant):
    made = new_campaign(client, login, sms_body=None)
    api(client, login, "POST", f"/admin/marketing/campaigns/{made['id']}/send")
    from chalicelib.services import consents

    consents.withdraw("biz_salon", "cli_mail", "email", "unsubscribe_link", NOW, "link")
    run_job(client, "deliver_marketing")
    assert [m.to for m in emails()] == ["olga@example.com"]
    figures = api(client, login, "GET", f"/admin/marketing/campaigns/{made['id']}").json_body["figures"]
    assert figures["skipped_by_reason"] == {"unsubscribed": 1}


def sns_reply(client, number: str, text: str) -> dict:
    event = client.events.generate_sns_event(message=json.dumps({"originationNumber": number, "messageBody": text}))
    return client.lambda_.invoke("on_sns_message", event).payload


def test_stop_through_the_sns_inbound_path_stops_marketing_sms_and_start_resumes(client, login, dormant, clock):
    made = new_campaign(client, login, email_subject=None, email_body=None)
    api(client, login, "POST", f"/admin/marketing/campaigns/{made['id']}/send")
    with at(clock, NINE_LOCAL):
        run_job(client, "deliver_marketing")
    assert len(sms()) == 1

    assert sns_reply(client, "+34612000001", "stop")["marked"][0]["reason"] == "marketing_stop"
    later = new_campaign(client, login, email_subject=None, email_body=None)
    preview = api(client, login, "GET", f"/admin/marketing/campaigns/{later['id']}/preview").json_body["preview"]
    assert preview["recipients"]["sms"] == 0 and preview["excluded"]["sms"]["stop"] == 1
    from chalicelib.repositories import messages

    assert messages.undeliverable([("sms", "+34612000001")]) == {}  # booking messages still reach her

    assert sns_reply(client, "+34612000001", "START")["marked"][0]["reason"] == "marketing_start"
    assert api(client, login, "GET", "/admin/clients/cli_ok/consent").json_body["consent"]["sms"]["marketing"][
        "granted"] is True


def test_a_booking_within_14_days_counts_for_the_campaign(client, login, dormant, clock, store):
    made = new_campaign(client, login, sms_body=None)
    api(client, login, "POST", f"/admin/marketing/campaigns/{made['id']}/send")
    run_job(client, "deliver_marketing")
    with at(clock, NOW + timedelta(days=3)):
        dormant.visit("cli_ok", "2026-04-02T10:00:00+00:00", S.CONFIRMED, created=NOW + timedelta(days=3))
    figures = api(client, login, "GET", f"/admin/marketing/campaigns/{made['id']}").json_body["figures"]
    assert figures["bookings"] == 1 and figures["revenue"] == "25.00"


@pytest.mark.parametrize("body, field, code", [
    ({"name": "", "audience": {"view": "dormant"}, "sms_body": "x"}, "name", "required"),
    ({"name": "A", "sms_body": "x"}, "audience", "required"),
    ({"name": "A", "audience": {"view": "loyal"}, "sms_body": "x"}, "audience.from", "required"),
    ({"name": "A", "audience": {"view": "dormant"}}, "email_body", "invalid_template"),
    ({"name": "A", "audience": {"view": "dormant"}, "sms_body": "{{ client.email }}"}, "body", "invalid_template"),
    ({"name": "A", "audience": {"view": "dormant"}, "email_body": "hi"}, "email_subject", "invalid_template"),
    ({"name": "A", "audience": {"view": "dormant"}, "sms_body": "x", "extra": 1}, "extra", "unknown_field"),
])
def test_bad_campaigns_are_refused_with_code_and_field(client, login, dormant, body, field, code):
    answer = api(client, login, "POST", "/admin/marketing/campaigns", body)
    assert answer.status_code in (400, 422), answer.body
    assert answer.json_body["error"]["field"] == field and answer.json_body["error"]["code"] == code


def test_quiet_hours_never_go_outside_8_to_21(client, login, dormant):
    answer = api(client, login, "PUT", "/admin/marketing/settings", {"quiet_start": "07:30"})
    assert answer.status_code == 400 and answer.json_body["error"]["code"] == "outside_allowed_hours"
    answer = api(client, login, "PUT", "/admin/marketing/settings", {"quiet_end": "21:30"})
    assert answer.status_code == 400 and answer.json_body["error"]["field"] == "quiet_end"
    assert api(client, login, "PUT", "/admin/marketing/settings", {"quiet_end": "21:00"},
               level=Level.RECEPTION_FULL).status_code == 403


def test_the_booking_form_asks_for_consent_unticked_and_records_the_words_shown(client, login, salon, ses):
    page = client.http.get("/b/salon?lang=it")
    assert b'id="marketing_email" name="marketing_email" type="checkbox">' in page.body  # not checked
    from tests.api.helpers import booking_body, post

    body = booking_body("2026-03-24T11:00:00+01:00", email="nuova@example.com", phone=None)
    body["marketing"] = {"email": True, "sms": False, "language": "it"}
    made = post(client, "/public/salon/bookings", body)
    assert made.status_code == 201, made.body
    from chalicelib import wiring

    client_id = wiring.store().appointment(made.json_body["reference"]).client_id
    consent = api(client, login, "GET", f"/admin/clients/{client_id}/consent").json_body
    assert consent["consent"]["sms"]["marketing"] is None
    email_consent = consent["consent"]["email"]["marketing"]
    assert email_consent["source"] == "booking_form" and email_consent["by"] == "client"
    assert email_consent["wording"] == "Voglio ricevere novità e offerte da Salón Lucía via email"

    bad = booking_body("2026-03-24T12:00:00+01:00", email="x@example.com", phone=None)
    bad["marketing"] = {"email": "yes"}
    refused = post(client, "/public/salon/bookings", bad)
    assert refused.status_code == 400 and refused.json_body["error"]["field"] == "marketing.email"
