"""The desk in the client's messages: the `desk` variable, a line of the details in every language, and
the calendar invitation's LOCATION; a booking without a desk shows none of it."""
from __future__ import annotations

import pytest
from icalendar import Calendar

from chalicelib.domain.messages import Channel, MessageKind
from chalicelib.domain.notification_settings import CustomText, NotificationSettings
from chalicelib.notifications.compose import compose
from tests import factories
from tests.notifications.render_samples import MANAGE_URL, SENDER, booking, by_channel

STATION = factories.desks()[2]  # 3 · Colour station


def messages(kind=MessageKind.CONFIRMED, locale="es", desk=STATION, settings=None):
    return by_channel(compose(kind, settings=settings or NotificationSettings(), manage_url=MANAGE_URL,
                              sender=SENDER, desk=desk, **booking(locale=locale)))


@pytest.mark.parametrize("locale, line", [("en", "Desk: 3 · Colour station"), ("es", "Puesto: 3 · Colour station"),
                                          ("it", "Postazione: 3 · Colour station"),
                                          ("cs", "Pracoviště: 3 · Colour station"),
                                          ("et", "Töökoht: 3 · Colour station")])
def test_the_details_name_the_desk_in_every_language(locale, line):
    email = messages(locale=locale)["email"]
    assert line in email.text and "3 · Colour station" in email.html


def test_the_invitation_says_where_and_without_a_desk_says_nothing():
    event = next(iter(Calendar.from_ical(messages()["email"].ics).walk("VEVENT")))
    assert str(event["LOCATION"]) == "3 · Colour station · Salón Lucía"
    plain = messages(desk=None)["email"]
    assert "LOCATION" not in next(iter(Calendar.from_ical(plain.ics).walk("VEVENT")))
    assert "Puesto" not in plain.text


def test_a_custom_text_may_use_the_desk_variable():
    custom = CustomText(MessageKind.CONFIRMED, Channel.SMS, "Te esperamos en el puesto {{ desk.number }}.")
    settings = NotificationSettings(custom_texts=(custom,))
    assert messages(settings=settings)["sms"].text == "Te esperamos en el puesto 3."
