"""Turn one booking event into the messages a client receives: the rendering half of notifications.

`compose()` is pure apart from reading templates: delivery (outbox, SES/SNS, retries) takes its
Messages as they are. It honours the business's toggles per kind and channel; a client without an
email gets only the SMS (if SMS is on for the kind: we never override a business's choice to save
money); SMS goes only to valid E.164 numbers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..domain.desks import Desk
from ..domain.model import Appointment, Business, Client, Service, Staff
from ..observability import logger as log
from . import ics, render, sms
from ..domain.messages import Channel, MessageKind
from ..domain.notification_settings import CustomText, NotificationSettings
from ..domain.quiet_hours import channels

# The .ics that goes with each kind's email: an invitation, a cancellation, or none.
CLOSED = frozenset({MessageKind.CANCELLED, MessageKind.REJECTED})
ICS_METHOD = {MessageKind.CONFIRMED: ics.REQUEST, MessageKind.RESCHEDULED: ics.REQUEST,
              MessageKind.CANCELLED: ics.CANCEL}


@dataclass(frozen=True)
class Message:
    kind: MessageKind
    channel: str  # "email" | "sms"
    to: str  # an email address, or an E.164 phone number
    subject: str | None  # email only
    text: str  # the plain-text part; for SMS, the final text as it must be sent
    html: str | None = None  # email only
    ics: bytes | None = None  # email only: text/calendar attachment
    ics_method: str | None = None  # its METHOD ("REQUEST", "CANCEL", "PUBLISH"), for the MIME type
    encoding: str | None = None  # SMS only: "GSM-7" or "UCS-2"
    segments: int | None = None  # SMS only: what the operator bills
    locale: str = render.DEFAULT_LOCALE
    headers: tuple[tuple[str, str], ...] = ()  # email only: extra headers (marketing's List-Unsubscribe)


def compose(kind: MessageKind | str, *, business: Business, appointment: Appointment, client: Client,
            service: Service, staff: Staff, settings: NotificationSettings, manage_url: str,
            previous_start: datetime | None = None, sender: str | None = None, desk: Desk | None = None,
            held_until: datetime | None = None, now: datetime | None = None) -> list[Message]:
    """The messages for `kind`: email first, then SMS; an empty list when none is due.

    `previous_start` (rescheduled only) lets the text say the old time; `sender` is the From address,
    which the .ics names as organizer (without it the .ics is METHOD PUBLISH). Offers: `manage_url` is the
    offer's link, `held_until` the end of the hold, `now` the send time for SMS quiet hours (domain/quiet_hours.py)."""
    kind = MessageKind(kind)
    phone = e164(client.phone)
    wants_email, wants_sms = channels(kind, settings, has_email=bool(client.email), has_phone=phone is not None,
                                      now=now, tz=business.tz)
    if not (wants_email or wants_sms):
        return []
    values = render.context(business=business, appointment=appointment, client=client, service=service,
                            staff=staff, manage_url=manage_url, desk=desk,
                            previous_start=previous_start if kind is MessageKind.RESCHEDULED else None)
    values["hold"] = {"until": render.local_time(held_until, business) if held_until else ""}
    if kind in CLOSED:
        values["active"] = False  # whatever the stored status says, there is nothing left to change
    messages = []
    if wants_email:
        messages.append(_email(kind, values, appointment, client, settings, sender))
    if wants_sms:
        messages.append(_sms(kind, values, phone, settings))
    return messages


def _email(kind: MessageKind, values: dict, appointment: Appointment, client: Client,
           settings: NotificationSettings, sender: str | None) -> Message:
    email = _custom(render.custom_email, settings.custom(kind, Channel.EMAIL), values)
    email = email or render.default_email(kind, values)
    attachment = method = None
    if kind in ICS_METHOD:
        description = render.details_text(values)
        attachment = ics.invitation(appointment, values, method=ICS_METHOD[kind], description=description,
                                    sender=sender, attendee=client.email)
        method = ics.PUBLISH if sender is None and ICS_METHOD[kind] == ics.REQUEST else ICS_METHOD[kind]
    return Message(kind, Channel.EMAIL.value, client.email or "", email.subject, email.text, email.html,
                   attachment, method, locale=values["locale"])


def _sms(kind: MessageKind, values: dict, phone: str, settings: NotificationSettings) -> Message:
    text = _custom(render.custom_sms, settings.custom(kind, Channel.SMS), values) or render.default_sms(kind, values)
    encoded = sms.encode(text, settings.sms_mode)
    return Message(kind, Channel.SMS.value, phone, None, encoded.text, encoding=encoded.encoding,
                   segments=encoded.segments, locale=values["locale"])


def _custom(renderer, text: CustomText | None, values: dict):
    """The business's own text, or None. A saved text was checked when saved; should one still fail
    (say, on a value no sample had), the client gets the default text rather than nothing."""
    if text is None:
        return None
    try:
        return renderer(text, values)
    except render.CUSTOM_TEXT_ERRORS:
        log.warning("custom %s text for %s failed to render; sending the default", text.channel.value,
                    text.kind.value, exc_info=True)
        return None


def e164(phone: str | None) -> str | None:
    """The number if it is a valid number written in E.164 (+ and digits only), else None."""
    if not phone or not phone.startswith("+") or not phone[1:].isdigit():
        return None
    import phonenumbers

    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return formatted if formatted == phone else None
