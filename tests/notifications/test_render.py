"""What clients read: formatting per locale and time zone, escaping, toggles, custom texts in a
sandbox, and the .ics invitation parsed back with icalendar."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from icalendar import Calendar

from chalicelib.domain.calendar import UTC
from chalicelib.domain.model import AppointmentStatus, BookingRules, ClientChanges
from chalicelib.errors import ValidationError
from chalicelib.notifications import render
from chalicelib.domain.messages import Channel, MessageKind
from chalicelib.notifications.render import InvalidTemplateError, check_custom_text, format_price
from chalicelib.domain.notification_settings import CustomText, NotificationSettings, SmsMode
from chalicelib.notifications.sms import GSM7, UCS2
from tests.notifications.render_samples import MANAGE_URL, SENDER, booking, by_channel, messages, with_client

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


# -- formatting ---------------------------------------------------------------------------------
@pytest.mark.parametrize("locale, price, when", [
    ("en", "€60.50", "Wednesday, July 1, 2026, 9:00 AM"),
    ("es", "60,50 €", "miércoles, 1 de julio de 2026, 9:00"),
    ("it", "60,50 €", "mercoledì 1 luglio 2026 09:00"),
    ("cs", "60,50 €", "středa 1. července 2026 9:00"),
    ("et", "60,50 €", "kolmapäev, 1. juuli 2026 09:00"),
])
def test_prices_dates_and_times_are_written_the_locale_way(locale, price, when):
    email = by_channel(messages(MessageKind.CONFIRMED, locale=locale))["email"]
    assert price in email.text and when in email.text


@pytest.mark.parametrize("amount, currency, locale, expected", [
    (6050, "EUR", "es", "60,50 €"), (Decimal("1234.5"), "EUR", "cs", "1 234,50 €"), (1500, "JPY", "en", "¥1,500"),
    (99900, "CZK", "cs", "999,00 Kč"), (2500, "USD", "en", "$25.00"),
])
def test_prices_in_minor_units_follow_the_currency_and_locale(amount, currency, locale, expected):
    assert format_price(amount, currency, locale) == expected


@pytest.mark.parametrize("start", [datetime(2026, 1, 14, 8, 0, tzinfo=UTC),  # CET, UTC+1
                                   datetime(2026, 7, 15, 7, 0, tzinfo=UTC)])  # CEST, UTC+2
def test_a_nine_oclock_appointment_reads_nine_oclock_in_winter_and_in_summer(start):
    found = by_channel(messages(MessageKind.REMINDER, start=start, locale="es"))
    assert "a las 9:00" in found["email"].subject and "9:00" in found["email"].text
    assert "a las 9:00" in found["sms"].text
    assert "10:30" in render.context(**booking(start=start), manage_url="")["appointment"]["end_time"]


def test_times_follow_the_business_time_zone_not_utc():
    start = datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    found = by_channel(messages(MessageKind.CONFIRMED, start=start, locale="en", timezone="America/New_York"))
    assert "3:00 AM" in found["email"].text and "Wednesday, July 1, 2026" in found["email"].text


def test_formatted_values_use_plain_spaces_so_they_do_not_force_unicode_sms():
    values = render.context(**booking(locale="en"), manage_url="")
    assert values["appointment"]["time"] == "9:00 AM" and "\u00a0" not in values["appointment"]["price"]


# -- escaping -----------------------------------------------------------------------------------
def test_a_client_name_with_html_is_escaped_in_html_and_left_as_typed_in_text():
    client = with_client(first_name='<script>alert("x")</script> & Co')
    email = by_channel(messages(MessageKind.CONFIRMED, client=client, locale="en"))["email"]
    assert "<script>" not in email.html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in email.html
    assert '<script>alert("x")</script> & Co' in email.text


# -- who gets what ------------------------------------------------------------------------------
def test_defaults_send_email_for_every_kind_and_sms_for_every_kind_but_pending():
    for kind in MessageKind:
        channels = [m.channel for m in messages(kind)]
        assert channels == (["email"] if kind is MessageKind.PENDING else ["email", "sms"]), kind


def test_toggles_switch_each_channel_per_kind():
    settings = NotificationSettings(email=frozenset({MessageKind.REMINDER}), sms=frozenset({MessageKind.CONFIRMED}))
    assert [m.channel for m in messages(MessageKind.CONFIRMED, settings=settings)] == ["sms"]
    assert [m.channel for m in messages(MessageKind.REMINDER, settings=settings)] == ["email"]
    assert messages(MessageKind.CANCELLED, settings=settings) == []


def test_a_client_without_email_gets_the_sms_only():
    found = messages(MessageKind.CONFIRMED, client=with_client(email=None))
    assert [(m.channel, m.to) for m in found] == [("sms", "+34612345678")]


@pytest.mark.parametrize("phone", ["612345678", "+34 612 345 678", "0034612345678", "+3461234", "+999123456789",
                                   None, ""])
def test_sms_goes_only_to_valid_e164_numbers(phone):
    assert [m.channel for m in messages(MessageKind.CONFIRMED, client=with_client(phone=phone))] == ["email"]


def test_sms_records_its_encoding_and_segments_under_the_business_mode():
    as_written = by_channel(messages(MessageKind.CONFIRMED, settings=NotificationSettings(
        sms_mode=SmsMode.AS_WRITTEN)))["sms"]
    gsm7 = by_channel(messages(MessageKind.CONFIRMED, settings=NotificationSettings(sms_mode=SmsMode.GSM7)))["sms"]
    assert "Salón Lucía" in as_written.text and as_written.encoding == UCS2
    assert "Salon Lucia" in gsm7.text and gsm7.encoding == GSM7 and gsm7.segments < as_written.segments


def test_without_online_changes_the_message_gives_the_phone_instead_of_a_change_link():
    rules = BookingRules(client_changes=ClientChanges.OFF)
    found = by_channel(messages(MessageKind.CONFIRMED, rules=rules, locale="en"))
    assert "please call us on +34 910 00 00 00" in found["email"].text
    assert "call +34 910 00 00 00" in found["sms"].text and MANAGE_URL not in found["sms"].text


def test_the_change_deadline_is_shown_when_changes_close_before_the_start():
    rules = BookingRules(client_changes=ClientChanges.UNTIL, client_change_notice_hours=24)
    email = by_channel(messages(MessageKind.CONFIRMED, rules=rules, locale="en"))["email"]
    assert "(until Tuesday, June 30, 2026, 9:00 AM)" in email.text


def test_the_rescheduled_message_gives_the_new_and_the_old_time():
    email = by_channel(messages(MessageKind.RESCHEDULED, locale="en",
                                previous_start=datetime(2026, 6, 29, 15, 30, tzinfo=UTC)))["email"]
    assert "New time: Wednesday, July 1, 2026, 9:00 AM" in email.text
    assert "It was Monday, June 29, 2026, 5:30 PM" in email.text


# -- .ics -----------------------------------------------------------------------------------------
def _event(message):
    calendar = Calendar.from_ical(message.ics)
    return calendar, next(iter(calendar.walk("VEVENT")))


def test_confirmed_email_carries_an_invitation_that_parses_back():
    email = by_channel(messages(MessageKind.CONFIRMED))["email"]
    calendar, event = _event(email)
    assert email.ics_method == "REQUEST" and str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == "ABCD2345EFGH@turno"
    assert event.decoded("DTSTART") == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 7, 1, 8, 30, tzinfo=UTC)
    assert str(event["ORGANIZER"]) == f"mailto:{SENDER}" and str(event["ATTENDEE"]) == "mailto:eva@example.com"
    assert "Color" in str(event["SUMMARY"]) and str(event["URL"]) == MANAGE_URL


def test_a_reschedule_keeps_the_uid_and_raises_the_sequence():
    confirmed = _event(by_channel(messages(MessageKind.CONFIRMED))["email"])[1]
    moved = _event(by_channel(messages(MessageKind.RESCHEDULED, start=datetime(2026, 7, 2, 7, 0, tzinfo=UTC),
                                       updated_at=datetime(2026, 6, 10, 9, 0, tzinfo=UTC)))["email"])[1]
    assert moved["UID"] == confirmed["UID"] and int(moved["SEQUENCE"]) > int(confirmed["SEQUENCE"])
    assert moved.decoded("DTSTART") == datetime(2026, 7, 2, 7, 0, tzinfo=UTC)


def test_a_cancellation_carries_a_cancel_for_the_same_event():
    email = by_channel(messages(MessageKind.CANCELLED, status=AppointmentStatus.CANCELLED,
                                updated_at=datetime(2026, 6, 20, tzinfo=UTC)))["email"]
    calendar, event = _event(email)
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == "ABCD2345EFGH@turno"


@pytest.mark.parametrize("kind", [MessageKind.PENDING, MessageKind.REJECTED, MessageKind.REMINDER])
def test_other_kinds_carry_no_calendar_file(kind):
    assert by_channel(messages(kind))["email"].ics is None


def test_without_a_sender_the_invitation_is_a_plain_event_to_import():
    email = by_channel(messages(MessageKind.CONFIRMED, sender=None))["email"]
    calendar, event = _event(email)
    assert email.ics_method == "PUBLISH" and str(calendar["METHOD"]) == "PUBLISH" and "ORGANIZER" not in event


# -- custom texts -------------------------------------------------------------------------------
def _sample():
    return render.context(**booking(), manage_url=MANAGE_URL)


def test_a_custom_text_replaces_the_default_and_keeps_the_manage_link_in_email():
    settings = NotificationSettings().with_custom(CustomText(
        MessageKind.CONFIRMED, Channel.EMAIL, "¡Hola {{ client.first_name }}!\n\nTe esperamos el {{ appointment.date }}.",
        "Nos vemos, {{ client.first_name }}")).with_custom(CustomText(
            MessageKind.CONFIRMED, Channel.SMS, "{{ business.name }}: {{ appointment.date_short }} {{ appointment.time }}"))
    found = by_channel(messages(MessageKind.CONFIRMED, settings=settings, client=with_client(first_name="<Eva>")))
    email = found["email"]
    assert email.subject == "Nos vemos, <Eva>"
    assert email.text.startswith("¡Hola <Eva>!\n\nTe esperamos el miércoles, 1 de julio de 2026.")
    assert MANAGE_URL in email.text and f'href="{MANAGE_URL}"' in email.html
    assert "<p>¡Hola &lt;Eva&gt;!</p>" in email.html and email.ics is not None
    assert found["sms"].text == "Salón Lucía: mié, 1 jul 9:00"  # cheapest: one segment either way, kept as written


def test_addresses_in_a_custom_email_become_links_and_nothing_else_becomes_html():
    settings = NotificationSettings().with_custom(CustomText(
        MessageKind.REMINDER, Channel.EMAIL, "Manage: {{ manage_url }}&x=<b>\nSee https://salon.example/map", "S"))
    html = by_channel(messages(MessageKind.REMINDER, settings=settings))["email"].html
    assert f'Manage: <a href="{MANAGE_URL}&amp;x=">{MANAGE_URL}&amp;x=</a>&lt;b&gt;<br>' in html  # stops at "<"
    assert '<a href="https://salon.example/map">https://salon.example/map</a></p>' in html


@pytest.mark.parametrize("body", [
    "Hi {{ client.first_name }}, see you {{ appointment.when }} ({{ manage_url }})",
    "{% if online_changes %}Change until {{ change_deadline }}{% else %}Call {{ business.phone }}{% endif %}",
    "{{ client.first_name|upper }} {{ service.name|truncate(20) }} {{ previous.when|default('-') }}",
    "{{ client['first_name'] }}",
])
def test_documented_variables_filters_and_conditions_are_accepted(body):
    check_custom_text(CustomText(MessageKind.CONFIRMED, Channel.SMS, body), _sample())


@pytest.mark.parametrize("body, complaint", [
    ("Hi {{ client.first_name ", "line 1"),  # syntax error
    ("{% if %}", "line 1"),
    ("Hi {{ name }}", "unknown variable name"),
    ("Hi {{ client.email }}", "unknown variable client.email"),
    ("{{ client.__class__ }}", "unknown variable client.__class__"),
    ("{{ client.items() }}", "only variables"),
    ("{{ client.first_name.__class__.__mro__ }}", "nested"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "only variables"),
    ("{{ client.first_name|attr('__class__') }}", "line 1"),  # no such filter in the sandbox
    ("{{ range(10) }}", "only variables"),
    ("{% for i in client %}{{ i }}{% endfor %}", "only variables"),
    ("{{ client.first_name * 1000000 }}", "only variables"),
    ("{{ 9 ** 9 ** 9 }}", "only variables"),
    ("{% include 'messages/base.html' %}", "only variables"),
    ("{{ lipsum() }}", "only variables"),
    ("{{ client.first_name|truncate(-1) }}", "cannot be rendered"),
    ("{{ client.first_name|replace('a') }}", "cannot be rendered"),
    ("{{ '%0999999999d' % 1 }}", "only variables"),  # string formatting grows a text like *
    ("{{ client.first_name" + "|replace('', 'ab')" * 10 + " }}", "cannot be rendered"),  # each one triples it
    ("{{ " + "(" * 480 + "client.first_name" + ")" * 480 + " }}", "nested too deeply"),  # within 1,000 characters
    ("{{ " + "not " * 240 + "client.first_name }}", "nested too deeply"),
    ("{{ " + "-" * 480 + "1 }}", "nested too deeply"),
])
def test_the_sandbox_refuses_what_is_not_a_documented_variable(body, complaint):
    with pytest.raises(InvalidTemplateError) as refused:
        check_custom_text(CustomText(MessageKind.CONFIRMED, Channel.SMS, body), _sample())
    assert refused.value.field == "body" and refused.value.code == "invalid_template"
    assert complaint in refused.value.message


def test_a_forbidden_expression_is_refused_before_the_compiler_computes_it(monkeypatch):
    """Jinja's compiler folds constants ('a' * 999999999 is a gigabyte, seconds of CPU): the check comes first."""
    from jinja2 import meta

    def compiled(_tree):
        raise AssertionError("compiled before the forbidden nodes were looked for")

    monkeypatch.setattr(meta, "find_undeclared_variables", compiled)
    with pytest.raises(InvalidTemplateError) as refused:
        check_custom_text(CustomText(MessageKind.CONFIRMED, Channel.SMS, "{{ 'a' * 999999999 }}"), _sample())
    assert "only variables" in refused.value.message


def test_replace_still_replaces_within_its_bound():
    body = "{{ client.first_name|replace('E', 'Ev')|replace('', '.', 2) }}"
    check_custom_text(CustomText(MessageKind.CONFIRMED, Channel.SMS, body), _sample())
    assert render.custom_sms(CustomText(MessageKind.CONFIRMED, Channel.SMS, body), _sample()) == ".E.vva"  # as Python (and Jinja) replace


def test_the_subject_is_checked_too_and_named_as_the_field():
    with pytest.raises(InvalidTemplateError) as refused:
        check_custom_text(CustomText(MessageKind.CONFIRMED, Channel.EMAIL, "ok", "{{ oops }}"), _sample())
    assert refused.value.field == "subject"


def test_even_without_the_save_time_check_the_sandbox_cannot_reach_python_objects():
    from jinja2.sandbox import SecurityError

    for body in ("{{ client.__class__.__mro__ }}", "{{ client.items() }}", "{{ ''.__class__ }}"):
        with pytest.raises(SecurityError):
            render.custom_sms(CustomText(MessageKind.CONFIRMED, Channel.SMS, body), _sample())
    assert render.custom_sms(CustomText(MessageKind.CONFIRMED, Channel.SMS, "{{ client.first_name }}"), _sample()) == "Eva"


def test_an_invalid_template_is_a_validation_error():
    assert issubclass(InvalidTemplateError, ValidationError)


def test_a_stored_text_that_fails_at_sending_time_falls_back_to_the_default(caplog):
    broken = "{{ client.first_name|truncate(-1) }} {{ client.__class__ }}"  # never passes the save-time check
    settings = NotificationSettings().with_custom(CustomText(MessageKind.REMINDER, Channel.SMS, broken))
    sms = by_channel(messages(MessageKind.REMINDER, settings=settings))["sms"]
    assert sms.text.startswith("Salon Lucia: te recordamos tu cita de Color")
    assert "failed to render" in caplog.text


@pytest.mark.parametrize("kind", [MessageKind.CANCELLED, MessageKind.REJECTED])
def test_closed_bookings_offer_no_change_only_a_look(kind):
    email = by_channel(messages(kind, locale="en"))["email"]  # even if the status read is still the old one
    assert "To change or cancel" not in email.text and f"Your booking: {MANAGE_URL}" in email.text


@pytest.mark.parametrize("locale", ["en", "es", "it", "cs", "et"])
@pytest.mark.parametrize("changes", [ClientChanges.ANYTIME, ClientChanges.OFF])
def test_a_custom_email_that_gives_the_manage_link_does_not_get_it_again_from_the_footer(locale, changes):
    settings = NotificationSettings().with_custom(CustomText(
        MessageKind.CONFIRMED, Channel.EMAIL, "See you!\n\nChange it here: {{ manage_url }}", "Booked"))
    email = by_channel(messages(MessageKind.CONFIRMED, settings=settings, locale=locale,
                                 rules=BookingRules(client_changes=changes)))["email"]
    assert email.text.count(MANAGE_URL) == 1
    assert email.html.count(f'href="{MANAGE_URL}"') == 1
    assert "Salón Lucía" in email.text.rsplit(MANAGE_URL, 1)[1]  # the rest of the footer stays


def test_a_custom_email_without_the_manage_link_gets_it_from_the_footer():
    settings = NotificationSettings().with_custom(CustomText(MessageKind.CONFIRMED, Channel.EMAIL, "See you!", "B"))
    email = by_channel(messages(MessageKind.CONFIRMED, settings=settings))["email"]
    assert email.text.count(MANAGE_URL) == 1 and email.html.count(f'href="{MANAGE_URL}"') == 1
