"""Waiting-list offers as messages: the hold's end in the text, the toggles, and SMS quiet hours (21:00-08:00
business-local, email instead), checked at the boundaries on the days Madrid's clocks change."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.calendar import UTC
from chalicelib.domain.messages import MessageKind
from chalicelib.domain.model import Client
from chalicelib.domain.notification_settings import NotificationSettings
from chalicelib.domain.quiet_hours import is_quiet
from chalicelib.notifications.render import LOCALES
from chalicelib.notifications.compose import compose
from tests.notifications.render_samples import MANAGE_URL, SENDER, booking, by_channel

MADRID = ZoneInfo("Europe/Madrid")
OFFER, ENDED = MessageKind.OFFER, MessageKind.OFFER_EXPIRED
HELD_UNTIL = datetime(2026, 6, 29, 16, 15, tzinfo=UTC)  # 18:15 in Madrid (summer time)
NO_EMAIL = Client("cli_eva", "Eva", "Ruiz", email=None, phone="+34612345678")
NO_PHONE = Client("cli_eva", "Eva", "Ruiz", email="eva@example.com", phone=None)


def local(day: str, hh_mm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hh_mm}").replace(tzinfo=MADRID).astimezone(UTC)


def messages(kind, *, settings=None, held_until=None, now=None, **booking_changes):
    return compose(kind, settings=settings or NotificationSettings(), manage_url=MANAGE_URL, sender=SENDER,
                   held_until=held_until, now=now, **booking(**booking_changes))


def sent(kind, now, **changes):
    return by_channel(messages(kind, held_until=HELD_UNTIL, now=now, **changes))


# 29 March 2026: Madrid goes from +01:00 to +02:00 at 02:00; 25 October 2026: back to +01:00 at 03:00.
@pytest.mark.parametrize("day", ["2026-03-29", "2026-10-25", "2026-06-29"])
@pytest.mark.parametrize("hh_mm, quiet", [("20:59", False), ("21:00", True), ("07:59", True), ("08:00", False),
                                          ("00:00", True), ("12:00", False)])
def test_quiet_hours_are_local_wall_clock_inclusive_at_21_and_exclusive_at_8(day, hh_mm, quiet):
    assert is_quiet(local(day, hh_mm), MADRID) is quiet
    assert set(sent(OFFER, local(day, hh_mm))) == ({"email"} if quiet else {"email", "sms"})


def test_the_dst_boundaries_are_different_utc_instants():
    assert local("2026-03-29", "07:59") == datetime(2026, 3, 29, 5, 59, tzinfo=UTC)  # summer time already
    assert local("2026-10-25", "07:59") == datetime(2026, 10, 25, 6, 59, tzinfo=UTC)  # winter time again
    assert not is_quiet(datetime(2026, 3, 29, 6, 0, tzinfo=UTC), MADRID)  # 08:00 CEST
    assert is_quiet(datetime(2026, 10, 25, 6, 0, tzinfo=UTC), MADRID)  # 07:00 CET


def test_at_night_the_email_replaces_the_sms_even_when_the_business_sends_offers_by_sms_only():
    sms_only = NotificationSettings(email=frozenset(), sms=frozenset({OFFER}))
    night = local("2026-06-29", "22:30")
    assert set(by_channel(messages(OFFER, settings=sms_only, held_until=HELD_UNTIL, now=night))) == {"email"}
    day = local("2026-06-29", "10:00")
    assert set(by_channel(messages(OFFER, settings=sms_only, held_until=HELD_UNTIL, now=day))) == {"sms"}


def test_at_night_a_client_without_email_is_not_told_at_all():
    assert sent(OFFER, local("2026-06-29", "23:00"), client=NO_EMAIL) == {}
    assert set(sent(OFFER, local("2026-06-29", "09:00"), client=NO_EMAIL)) == {"sms"}


def test_quiet_hours_cover_the_offer_ended_notice_but_no_booking_message():
    night = local("2026-06-29", "23:00")
    assert set(sent(ENDED, night)) == {"email"}
    everything = NotificationSettings(sms=frozenset(MessageKind))
    assert set(by_channel(messages(MessageKind.CANCELLED, settings=everything, now=night))) == {"email", "sms"}


def test_the_toggles_turn_each_channel_off():
    noon = local("2026-06-29", "12:00")
    off = NotificationSettings(email=frozenset(MessageKind) - {OFFER}, sms=frozenset(MessageKind) - {OFFER})
    assert messages(OFFER, settings=off, held_until=HELD_UNTIL, now=noon) == []
    no_sms = NotificationSettings(sms=frozenset(MessageKind) - {OFFER, ENDED})
    assert set(by_channel(messages(OFFER, settings=no_sms, held_until=HELD_UNTIL, now=noon))) == {"email"}
    assert set(by_channel(messages(ENDED, settings=no_sms, now=noon))) == {"email"}
    assert set(sent(OFFER, noon, client=NO_PHONE)) == {"email"}


def test_offers_are_on_by_default_on_both_channels():
    settings = NotificationSettings()
    assert settings.sends(OFFER, "email") and settings.sends(OFFER, "sms")
    assert settings.sends(ENDED, "email") and settings.sends(ENDED, "sms")
    assert settings.preferences_json()["channels"]["offer"] == {"email": True, "sms": True}


HELD_TEXT = {"en": "6:15 PM", "es": "18:15", "it": "18:15", "cs": "18:15", "et": "18:15"}


@pytest.mark.parametrize("locale", LOCALES)
def test_the_offer_says_until_when_it_is_held_and_carries_its_link_in_every_language(locale):
    found = sent(OFFER, local("2026-06-29", "12:00"), locale=locale)
    email, sms = found["email"], found["sms"]
    for text in (email.text, email.html, sms.text):
        assert HELD_TEXT[locale] in text
    assert MANAGE_URL in email.text and f'href="{MANAGE_URL}"' in email.html and MANAGE_URL in sms.text
    assert sms.segments <= 2 and email.locale == sms.locale == locale


HELD_SUBJECT = {"en": "Time held for you", "es": "Hueco reservado", "it": "Orario riservato", "cs": "Termín držíme",
                "et": "Aeg on teile hoitud"}
FIRST_TO_ACCEPT = {"en": "first to accept", "es": "quien acepte primero", "it": "chi accetta per primo",
                   "cs": "kdo přijme první", "et": "esimesena vastu"}


@pytest.mark.parametrize("locale", LOCALES)
def test_an_offer_to_everyone_says_the_first_to_accept_gets_it_and_no_hold(locale):
    held = sent(OFFER, local("2026-06-29", "12:00"), locale=locale)["email"]
    everyone = by_channel(messages(OFFER, now=local("2026-06-29", "12:00"), locale=locale))
    assert HELD_SUBJECT[locale] in held.subject and HELD_SUBJECT[locale] not in everyone["email"].subject
    assert FIRST_TO_ACCEPT[locale] in everyone["email"].text and FIRST_TO_ACCEPT[locale] not in held.text
    assert MANAGE_URL in everyone["sms"].text and everyone["sms"].segments <= 2
    assert HELD_TEXT[locale] not in everyone["email"].text


@pytest.mark.parametrize("locale", LOCALES)
def test_the_offer_ended_notice_has_no_link_and_says_they_are_still_waiting(locale):
    found = sent(ENDED, local("2026-06-29", "12:00"), locale=locale)
    assert MANAGE_URL not in found["email"].text and MANAGE_URL not in found["sms"].text
    assert found["sms"].segments <= 2


def test_the_backoffice_preview_of_an_offer_shows_a_sample_hold(salon, store):
    from chalicelib.services import notification_settings
    from tests.factories import NOW

    email = notification_settings.preview(store, salon.id, {"kind": "offer", "channel": "email"}, NOW)
    assert "hasta las 8:15." in email.text  # NOW is 08:00 in Madrid: a 15-minute sample hold
    sms = notification_settings.preview(store, salon.id, {"kind": "offer_expired", "channel": "sms"}, NOW)
    assert "Lucia" in sms.text and "lista de espera" in sms.text  # the cheapest SMS mode drops accents
