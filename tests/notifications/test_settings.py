"""Notification settings: defaults, parsing with a field per problem, and storage per business."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.errors import ValidationError
from chalicelib.domain.messages import Channel, MessageKind
from chalicelib.notifications.render import InvalidTemplateError
from chalicelib.domain.notification_settings import (
    CustomText,
    NotificationSettings,
    SmsMode,
    custom_text_from_json,
)
from chalicelib.repositories import notification_settings as repository
from chalicelib.services import notification_settings

NOW = datetime(2026, 3, 23, 7, 0, tzinfo=timezone.utc)  # a Monday; the sample booking is the next day


def test_defaults_are_documented_ones():
    settings = NotificationSettings()
    assert settings.email == frozenset(MessageKind)
    assert settings.sms == frozenset(MessageKind) - {MessageKind.PENDING}
    assert settings.reminder_lead_times == (timedelta(hours=24),)
    assert settings.sms_mode is SmsMode.CHEAPEST and settings.custom_texts == ()


def test_the_json_shape_round_trips():
    data = {"channels": {"pending": {"email": False, "sms": True}, "reminder": {"sms": False}},
            "reminder_lead_minutes": [120, 1440], "sms_mode": "gsm7"}
    settings = NotificationSettings.from_json(data)
    assert not settings.sends(MessageKind.PENDING, Channel.EMAIL) and settings.sends(MessageKind.PENDING, "sms")
    assert not settings.sends(MessageKind.REMINDER, "sms") and settings.sends(MessageKind.REMINDER, "email")
    assert settings.reminder_lead_times == (timedelta(hours=24), timedelta(hours=2))  # longest first
    assert NotificationSettings.from_json(settings.preferences_json()) == settings


@pytest.mark.parametrize("data, field, code", [
    ([], None, "wrong_type"),
    ({"colour": "red"}, "colour", "unknown_field"),
    ({"channels": {"birthday": {"sms": True}}}, "channels.birthday", "unknown_kind"),
    ({"channels": {"reminder": {"fax": True}}}, "channels.reminder.fax", "unknown_channel"),
    ({"channels": {"reminder": {"sms": "yes"}}}, "channels.reminder.sms", "wrong_type"),
    ({"channels": {"reminder": True}}, "channels.reminder", "wrong_type"),
    ({"reminder_lead_minutes": []}, "reminder_lead_minutes", "invalid_reminder_lead_times"),
    ({"reminder_lead_minutes": [60, 120, 1440]}, "reminder_lead_minutes", "invalid_reminder_lead_times"),
    ({"reminder_lead_minutes": [60, 60]}, "reminder_lead_minutes", "invalid_reminder_lead_times"),
    ({"reminder_lead_minutes": [5]}, "reminder_lead_minutes", "invalid_reminder_lead_times"),
    ({"reminder_lead_minutes": [15 * 24 * 60]}, "reminder_lead_minutes", "invalid_reminder_lead_times"),
    ({"reminder_lead_minutes": [10 ** 20]}, "reminder_lead_minutes", "invalid_reminder_lead_times"),  # was a 500
    ({"reminder_lead_minutes": [-(10 ** 20)]}, "reminder_lead_minutes", "invalid_reminder_lead_times"),
    ({"reminder_lead_minutes": [1.5]}, "reminder_lead_minutes", "wrong_type"),
    ({"reminder_lead_minutes": "1440"}, "reminder_lead_minutes", "wrong_type"),
    ({"reminder_lead_minutes": [True]}, "reminder_lead_minutes", "wrong_type"),
    ({"sms_mode": "ascii"}, "sms_mode", "unknown_sms_mode"),
])
def test_bad_settings_name_the_field(data, field, code):
    with pytest.raises(ValidationError) as refused:
        NotificationSettings.from_json(data)
    assert (refused.value.field, refused.value.code) == (field, code)


@pytest.mark.parametrize("kind, channel, data, field, code", [
    ("birthday", "sms", {"body": "x"}, "kind", "unknown_kind"),
    ("confirmed", "fax", {"body": "x"}, "channel", "unknown_channel"),
    ("confirmed", "sms", {"body": "  "}, "body", "required"),
    ("confirmed", "sms", {"body": 3}, "body", "wrong_type"),
    ("confirmed", "sms", {"body": "x" * 1001}, "body", "too_long"),
    ("confirmed", "sms", {"body": "x", "subject": "y"}, "subject", "unknown_field"),
    ("confirmed", "email", {"body": "x"}, "subject", "required"),
    ("confirmed", "email", {"body": "x", "subject": "y" * 201}, "subject", "too_long"),
])
def test_bad_custom_texts_name_the_field(kind, channel, data, field, code):
    with pytest.raises(ValidationError) as refused:
        custom_text_from_json(kind, channel, data)
    assert (refused.value.field, refused.value.code) == (field, code)


def test_a_business_that_saved_nothing_gets_the_defaults(aws):
    assert repository.notification_settings("biz_nobody") == NotificationSettings()


def test_settings_and_texts_are_stored_per_business(aws):
    settings = NotificationSettings.from_json({"sms_mode": "as_written", "reminder_lead_minutes": [30]})
    repository.save_notification_settings("biz_a", settings)
    repository.save_custom_text("biz_a", CustomText(MessageKind.REMINDER, Channel.SMS, "See you {{ appointment.time }}"))
    stored = repository.notification_settings("biz_a")
    assert stored.sms_mode is SmsMode.AS_WRITTEN and stored.reminder_lead_times == (timedelta(minutes=30),)
    assert stored.custom(MessageKind.REMINDER, "sms").body == "See you {{ appointment.time }}"
    assert repository.notification_settings("biz_b") == NotificationSettings()
    repository.delete_custom_text("biz_a", MessageKind.REMINDER, Channel.SMS)
    assert repository.notification_settings("biz_a").custom_texts == ()


def test_saving_preferences_keeps_the_custom_texts_and_two_texts_never_overwrite_each_other(salon, store):
    notification_settings.save_text(store, salon.id, "confirmed", "sms", {"body": "A {{ appointment.time }}"}, NOW)
    notification_settings.save_text(store, salon.id, "confirmed", "email",
                                    {"subject": "S", "body": "B {{ client.first_name }}"}, NOW)
    notification_settings.save_preferences(salon.id, {"sms_mode": "gsm7"}, NOW)
    stored = notification_settings.read(salon.id)
    assert stored.sms_mode is SmsMode.GSM7
    assert [(t.kind.value, t.channel.value) for t in stored.custom_texts] == [("confirmed", "email"),
                                                                             ("confirmed", "sms")]


def test_a_text_that_does_not_render_is_not_saved(salon, store):
    with pytest.raises(InvalidTemplateError) as refused:
        notification_settings.save_text(store, salon.id, "confirmed", "sms", {"body": "Hi {{ client.phone }}"}, NOW)
    assert refused.value.field == "body"
    assert notification_settings.read(salon.id).custom_texts == ()


def test_the_preview_renders_the_businesss_own_service_in_its_language(salon, store):
    email = notification_settings.preview(store, salon.id, {"kind": "confirmed", "channel": "email"}, NOW)
    assert "Cita confirmada: Color, mar, 24 mar a las 10:00" == email.subject and "Salón Lucía" in email.html
    sms = notification_settings.preview(store, salon.id, {"kind": "pending", "channel": "sms",
                                                          "body": "{{ business.name }} ✂️"}, NOW)
    assert sms.text == "Salón Lucía ✂️" and (sms.encoding, sms.segments) == ("UCS-2", 1)
