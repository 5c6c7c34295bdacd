"""The default texts: every kind in every locale renders completely, in its own language."""
from __future__ import annotations

from datetime import datetime
from html.parser import HTMLParser

import pytest

from chalicelib.domain.calendar import UTC
from chalicelib.domain.messages import MessageKind
from chalicelib.notifications.render import LOCALES, PARTS, message_locale
from chalicelib.domain.notification_settings import NotificationSettings, SmsMode
from chalicelib.templating import TEMPLATES_DIR
from tests.notifications.render_samples import MANAGE_URL, by_channel, messages

EVERYTHING = NotificationSettings(sms=frozenset(MessageKind), sms_mode=SmsMode.AS_WRITTEN)
# A phrase of each kind's subject, and the weekday of 1 July 2026 as Babel writes it. The sample offer has no
# hold: it reads as offered to everyone (test_offer_messages.py checks the held one).
SUBJECT = {
    "en": ("booking request", "Booking confirmed", "could not accept", "Booking cancelled", "Booking moved",
           "Reminder", "A time has come free", "Offer ended"),
    "es": ("solicitud de cita", "Cita confirmada", "No hemos podido", "Cita cancelada", "Cita cambiada",
           "Recordatorio", "Se ha liberado un hueco", "Oferta terminada"),
    "it": ("richiesta", "Prenotazione confermata", "Non possiamo", "Prenotazione annullata", "Prenotazione spostata",
           "Promemoria", "Si è liberato un orario", "Offerta scaduta"),
    "cs": ("žádost o rezervaci", "Rezervace potvrzena", "nemůžeme", "Rezervace zrušena", "Rezervace přesunuta",
           "Připomínka", "Uvolnil se termín", "Nabídka skončila"),
    "et": ("broneerimissoovi", "Broneering kinnitatud", "ei saa", "Broneering tühistatud", "Broneering muudetud",
           "Meeldetuletus", "Vabanes aeg", "Pakkumine lõppes"),
}
SHORT_DATE = {"en": "Wed, Jul 1", "es": "mié, 1 jul", "it": "mer 1 lug", "cs": "st 1. 7.", "et": "K, 1. juuli"}
WEDNESDAY = {"en": "Wednesday", "es": "miércoles", "it": "mercoledì", "cs": "středa", "et": "kolmapäev"}
MONDAY_BEFORE = datetime(2026, 6, 29, 7, 0, tzinfo=UTC)
CASES = [(locale, kind) for locale in LOCALES for kind in MessageKind]


def test_every_locale_has_every_part_of_every_kind_and_nothing_else():
    expected = {f"{k.value}.{suffix}" for k in MessageKind for suffix in PARTS.values()}
    expected |= {"_details.txt", "_details.html", "_footer.txt", "_footer.html"}
    for locale in LOCALES:
        found = {p.name for p in (TEMPLATES_DIR / "messages" / locale).iterdir()}
        assert found == expected, locale
    assert len(expected) * len(LOCALES) == 180


@pytest.mark.parametrize("locale, kind", CASES)
def test_each_kind_renders_completely_in_the_business_language(locale, kind):
    found = by_channel(messages(kind, locale=locale, settings=EVERYTHING, previous_start=MONDAY_BEFORE))
    email, sms = found["email"], found["sms"]
    assert SUBJECT[locale][list(MessageKind).index(kind)] in email.subject
    for text in (email.subject, email.text, email.html, sms.text):
        assert "{{" not in text and "{%" not in text and "None" not in text
    assert WEDNESDAY[locale] in email.text and WEDNESDAY[locale] in email.html
    assert "Color" in email.text and "Ana" in email.text
    if kind not in (MessageKind.OFFER, MessageKind.OFFER_EXPIRED):  # an offer is no booking yet: no reference
        assert "ABCD2345EFGH" in email.text
    if kind is not MessageKind.OFFER_EXPIRED:  # an ended offer has no link left to follow
        assert MANAGE_URL in email.text and f'href="{MANAGE_URL}"' in email.html
    assert "Color" in sms.text and "Salón Lucía" in sms.text and SHORT_DATE[locale] in sms.text
    assert email.locale == sms.locale == locale
    assert _html_lang(email.html) == locale


@pytest.mark.parametrize("kind", [MessageKind.PENDING, MessageKind.CONFIRMED, MessageKind.RESCHEDULED,
                                  MessageKind.REMINDER])
def test_sms_of_live_bookings_carry_the_manage_link(kind):
    assert MANAGE_URL in by_channel(messages(kind, settings=EVERYTHING))["sms"].text


def test_an_unknown_locale_falls_back_to_english_and_a_regional_one_to_its_language():
    assert message_locale("fr") == "en" and message_locale("es_MX") == "es" and message_locale("it-IT") == "it"
    email = by_channel(messages(MessageKind.CONFIRMED, locale="fr"))["email"]
    assert "Booking confirmed" in email.subject and email.locale == "en"


def _html_lang(html: str) -> str | None:
    found = {}

    class Finder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "html":
                found["lang"] = dict(attrs).get("lang")

    Finder().feed(html)
    return found.get("lang")


@pytest.mark.parametrize("locale", LOCALES)
def test_default_sms_cost_at_most_two_segments_in_the_default_mode_even_with_the_link(locale):
    everything = NotificationSettings(sms=frozenset(MessageKind))  # SMS mode: the default, cheapest
    for kind in MessageKind:
        sms = by_channel(messages(kind, locale=locale, settings=everything))["sms"]
        assert sms.segments <= 2, (kind, sms.text)
