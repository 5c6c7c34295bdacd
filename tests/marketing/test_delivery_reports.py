"""Each marketing email's outcome as SES reports it (event publishing through the configuration set to the
delivery-events topic): a Delivery marks it delivered, a Bounce or a Reject failed, found by the id SES gave
the message when it was sent; the campaign's figures count them. Events arrive through the SNS function."""
from __future__ import annotations

import json

from chalicelib.repositories import marketing
from chalicelib.repositories.marketing_tables import MarketingMessageItem
from tests.marketing.helpers import api, run_job
from tests.marketing.test_campaigns import dormant, new_campaign  # noqa: F401 - the campaigns' salon

SENDER = "no-reply@turno.example"


def ses_event(kind: str, message_id: str, to: str, **detail) -> dict:
    """An SES event-publishing record as SNS delivers it (the shapes of SES's developer guide)."""
    mail = {"timestamp": "2026-03-23T07:00:01.000Z", "source": f"Salon Lucia <{SENDER}>",
            "sourceArn": f"arn:aws:ses:eu-west-1:123456789012:identity/{SENDER}", "sendingAccountId": "123456789012",
            "messageId": message_id, "destination": [to], "headersTruncated": False,
            "tags": {"ses:configuration-set": ["turno-test"], "ses:from-domain": ["turno.example"]}}
    event = {"eventType": kind, "mail": mail}
    if kind == "Delivery":
        event["delivery"] = {"timestamp": "2026-03-23T07:00:02.000Z", "processingTimeMillis": 546,
                             "recipients": [to], "smtpResponse": "250 2.6.0 Message received",
                             "reportingMTA": "a8-70.smtp-out.amazonses.com"}
    if kind == "Bounce":
        event["bounce"] = {"bounceType": detail.get("bounce_type", "Permanent"), "bounceSubType": "General",
                           "bouncedRecipients": [{"emailAddress": to, "action": "failed", "status": "5.1.1",
                                                  "diagnosticCode": "smtp; 550 5.1.1 user unknown"}],
                           "timestamp": "2026-03-23T07:00:03.000Z", "feedbackId": "0102017-abc",
                           "reportingMTA": "dsn; e226-55.smtp-out.amazonses.com"}
    if kind == "Reject":
        event["reject"] = {"reason": "Bad content"}
    if kind == "Complaint":
        event["complaint"] = {"complainedRecipients": [{"emailAddress": to}], "timestamp": "2026-03-23T09:00:00Z",
                              "feedbackId": "0102017-def", "complaintFeedbackType": "abuse"}
    return event


def publish(client, event: dict) -> dict:
    return client.lambda_.invoke("on_sns_message", client.events.generate_sns_event(message=json.dumps(event))).payload


def sent_ids(campaign_id: str) -> dict[str, str]:
    """The address of each email the campaign sent -> the id SES gave it."""
    items = MarketingMessageItem.query(f"BIZ#biz_salon#MKTOUT#{campaign_id}")
    return {i.to: i.provider_id for i in items if i.channel == "email" and i.status == "sent"}


def figures(client, login, campaign_id: str) -> tuple[int, int, int, int]:
    found = api(client, login, "GET", f"/admin/marketing/campaigns/{campaign_id}").json_body["figures"]
    return found["sent"], found["delivered"], found["failed"], found["delivery_unknown"]


def test_deliveries_and_bounces_mark_each_campaign_email(client, login, dormant):  # noqa: F811
    made = new_campaign(client, login)
    api(client, login, "POST", f"/admin/marketing/campaigns/{made['id']}/send")
    run_job(client, "deliver_marketing")  # 08:00 in Madrid: the two emails go; the SMS waits for 09:00
    ids = sent_ids(made["id"])
    assert sorted(ids) == ["marta@example.com", "olga@example.com"] and all(ids.values())
    assert figures(client, login, made["id"]) == (2, 0, 0, 2)

    publish(client, ses_event("Delivery", ids["olga@example.com"], "olga@example.com"))
    publish(client, ses_event("Bounce", ids["marta@example.com"], "marta@example.com"))
    assert figures(client, login, made["id"]) == (2, 1, 1, 0)
    (marta,) = [m for m in marketing.campaign_messages("biz_salon", made["id"]) if m.to == "marta@example.com"]
    assert (marta.status, marta.delivery) == ("sent", "failed")

    # SNS delivers at least once, and out of order: a repeat changes nothing, a late delivery report does not
    # undo a bounce, a complaint is no failure (it was delivered)
    publish(client, ses_event("Delivery", ids["olga@example.com"], "olga@example.com"))
    publish(client, ses_event("Delivery", ids["marta@example.com"], "marta@example.com"))
    publish(client, ses_event("Complaint", ids["olga@example.com"], "olga@example.com"))
    assert figures(client, login, made["id"]) == (2, 1, 1, 0)


def test_a_late_bounce_fails_a_delivered_email_and_a_rejection_fails_it(client, login, dormant):  # noqa: F811
    made = new_campaign(client, login, sms_body=None)
    api(client, login, "POST", f"/admin/marketing/campaigns/{made['id']}/send")
    run_job(client, "deliver_marketing")
    ids = sent_ids(made["id"])
    publish(client, ses_event("Delivery", ids["olga@example.com"], "olga@example.com"))
    publish(client, ses_event("Bounce", ids["olga@example.com"], "olga@example.com", bounce_type="Transient"))
    publish(client, ses_event("Reject", ids["marta@example.com"], "marta@example.com"))
    assert figures(client, login, made["id"]) == (2, 0, 2, 0)
    from chalicelib.repositories import messages

    assert not messages.undeliverable([("email", "olga@example.com")])  # a transient bounce marks no address


def test_events_of_other_emails_change_no_campaign(client, login, dormant):  # noqa: F811
    made = new_campaign(client, login, sms_body=None)
    api(client, login, "POST", f"/admin/marketing/campaigns/{made['id']}/send")
    run_job(client, "deliver_marketing")
    # a booking confirmation's delivery (not a marketing message), and an event with no mail at all
    assert publish(client, ses_event("Delivery", "0102018e-booking-confirmation", "olga@example.com")) == {"marked": []}
    assert publish(client, {"eventType": "Delivery"}) == {"marked": []}
    assert figures(client, login, made["id"]) == (2, 0, 0, 2)
