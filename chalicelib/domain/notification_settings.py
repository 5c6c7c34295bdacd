"""What a business sends, by which channel, when it reminds, and in whose words. Pure: no I/O.

Defaults: every kind goes by email; SMS goes for every kind but `pending`, because a pending booking is
always followed by a `confirmed` or `rejected` message that does go by SMS, and SMS costs money.
One reminder, 24 hours before. SMS mode `cheapest`: accents are kept unless dropping them saves a segment.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import Enum
from typing import Any, Iterable

from ..errors import ValidationError
from .fields import checked_text, reject_unknown
from .messages import Channel, MessageKind


class SmsMode(str, Enum):
    AS_WRITTEN = "as_written"  # GSM-7 when every character allows it, UCS-2 (Unicode) otherwise
    GSM7 = "gsm7"  # characters outside GSM-7 become their closest GSM-7 form (é, ñ, ü... stay)
    CHEAPEST = "cheapest"  # whichever of the two takes fewer segments; as written on a tie


MAX_REMINDERS = 2
MIN_LEAD = timedelta(minutes=15)
MAX_LEAD = timedelta(days=14)
MAX_SUBJECT = 200
MAX_BODY = {Channel.EMAIL: 10_000, Channel.SMS: 1_000}

def _lead_out_of_range(field: str) -> ValidationError:
    return ValidationError("each reminder lead time is between 15 minutes and 14 days", field=field,
                           code="invalid_reminder_lead_times")


DEFAULT_EMAIL = frozenset(MessageKind)
DEFAULT_SMS = frozenset(MessageKind) - {MessageKind.PENDING}
DEFAULT_LEADS = (timedelta(hours=24),)


@dataclass(frozen=True)
class CustomText:
    """A business's own wording for one kind on one channel (Jinja2, rendered in a sandbox).

    For email, `body` is plain text: the HTML part is made from it (escaped, paragraphs kept), so a
    business never writes HTML. `subject` is for email only.
    """

    kind: MessageKind
    channel: Channel
    body: str
    subject: str | None = None

    def to_json(self) -> dict:
        data = {"kind": self.kind.value, "channel": self.channel.value, "body": self.body}
        if self.channel is Channel.EMAIL:
            data["subject"] = self.subject
        return data


@dataclass(frozen=True)
class NotificationSettings:
    email: frozenset[MessageKind] = DEFAULT_EMAIL  # kinds sent by email
    sms: frozenset[MessageKind] = DEFAULT_SMS  # kinds sent by SMS
    reminder_lead_times: tuple[timedelta, ...] = DEFAULT_LEADS  # one or two, longest first
    sms_mode: SmsMode = SmsMode.CHEAPEST
    custom_texts: tuple[CustomText, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        leads = tuple(sorted(set(self.reminder_lead_times), reverse=True))
        if not 1 <= len(leads) <= MAX_REMINDERS or len(leads) != len(self.reminder_lead_times):
            raise ValidationError("one or two different reminder lead times", field="reminder_lead_times",
                                  code="invalid_reminder_lead_times")
        if any(not MIN_LEAD <= lead <= MAX_LEAD for lead in leads):
            raise _lead_out_of_range("reminder_lead_times")
        object.__setattr__(self, "reminder_lead_times", leads)
        object.__setattr__(self, "email", frozenset(MessageKind(k) for k in self.email))
        object.__setattr__(self, "sms", frozenset(MessageKind(k) for k in self.sms))
        object.__setattr__(self, "sms_mode", SmsMode(self.sms_mode))

    def sends(self, kind: MessageKind, channel: Channel | str) -> bool:
        return MessageKind(kind) in (self.email if Channel(channel) is Channel.EMAIL else self.sms)

    def custom(self, kind: MessageKind, channel: Channel | str) -> CustomText | None:
        kind, channel = MessageKind(kind), Channel(channel)
        return next((t for t in self.custom_texts if t.kind is kind and t.channel is channel), None)

    def with_custom(self, text: CustomText) -> "NotificationSettings":
        others = tuple(t for t in self.custom_texts if (t.kind, t.channel) != (text.kind, text.channel))
        return replace(self, custom_texts=_ordered(others + (text,)))

    def without_custom(self, kind: MessageKind, channel: Channel) -> "NotificationSettings":
        return replace(self, custom_texts=tuple(t for t in self.custom_texts if (t.kind, t.channel) != (kind, channel)))

    # -- JSON (storage and API share one shape) -------------------------------------------------
    def preferences_json(self) -> dict:
        """Everything but the custom texts (they are stored and edited one by one)."""
        return {
            "channels": {k.value: {"email": k in self.email, "sms": k in self.sms} for k in MessageKind},
            "reminder_lead_minutes": [int(lead.total_seconds() // 60) for lead in self.reminder_lead_times],
            "sms_mode": self.sms_mode.value,
        }

    def to_json(self) -> dict:
        return {**self.preferences_json(), "custom_texts": [t.to_json() for t in self.custom_texts]}

    @classmethod
    def from_json(cls, data: Any, custom_texts: Iterable[CustomText] = ()) -> "NotificationSettings":
        """Parse the preferences shape; every problem is a ValidationError naming its field."""
        if not isinstance(data, dict):
            raise ValidationError("must be an object", code="wrong_type")
        reject_unknown(data, {"channels", "reminder_lead_minutes", "sms_mode", "custom_texts"})
        email, sms = set(DEFAULT_EMAIL), set(DEFAULT_SMS)
        channels = data.get("channels", {})
        if not isinstance(channels, dict):
            raise ValidationError("must be an object", field="channels", code="wrong_type")
        for name, toggles in channels.items():
            kind = _enum(MessageKind, name, f"channels.{name}", "unknown_kind")
            if not isinstance(toggles, dict):
                raise ValidationError("must be an object", field=f"channels.{name}", code="wrong_type")
            for channel_name, on in toggles.items():
                channel = _enum(Channel, channel_name, f"channels.{name}.{channel_name}", "unknown_channel")
                if not isinstance(on, bool):
                    raise ValidationError("must be true or false", field=f"channels.{name}.{channel_name}",
                                          code="wrong_type")
                target = email if channel is Channel.EMAIL else sms
                (target.add if on else target.discard)(kind)
        minutes = data.get("reminder_lead_minutes", [24 * 60])
        if not isinstance(minutes, list) or not all(type(m) is int for m in minutes):
            raise ValidationError("a list of one or two whole numbers of minutes", field="reminder_lead_minutes",
                                  code="wrong_type")
        if any(abs(m) > MAX_LEAD // timedelta(minutes=1) for m in minutes):  # beyond timedelta's range, too
            raise _lead_out_of_range("reminder_lead_minutes")
        mode = _enum(SmsMode, data.get("sms_mode", SmsMode.CHEAPEST.value), "sms_mode", "unknown_sms_mode")
        try:
            return cls(frozenset(email), frozenset(sms), tuple(timedelta(minutes=m) for m in minutes), mode,
                       _ordered(tuple(custom_texts)))
        except ValidationError as error:
            if error.field == "reminder_lead_times":
                error.field = "reminder_lead_minutes"
            raise


def kind_and_channel(kind: Any, channel: Any) -> tuple[MessageKind, Channel]:
    return _enum(MessageKind, kind, "kind", "unknown_kind"), _enum(Channel, channel, "channel", "unknown_channel")


def custom_text_from_json(kind: str, channel: str, data: Any) -> CustomText:
    """The body of `PUT .../texts/{kind}/{channel}`: shape only; the template is checked by render."""
    kind_, channel_ = kind_and_channel(kind, channel)
    if not isinstance(data, dict):
        raise ValidationError("must be an object", code="wrong_type")
    allowed = {"body", "subject"} if channel_ is Channel.EMAIL else {"body"}
    reject_unknown(data, allowed)
    body = checked_text(data.get("body"), "body", MAX_BODY[channel_], multiline=True)
    subject = checked_text(data.get("subject"), "subject", MAX_SUBJECT) if channel_ is Channel.EMAIL else None
    return CustomText(kind_, channel_, body, subject)


def _enum(enum: type[Enum], value: Any, field: str, code: str):
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(e.value for e in enum)
        raise ValidationError(f"one of {choices}", field=field, code=code) from None


def _ordered(texts: tuple[CustomText, ...]) -> tuple[CustomText, ...]:
    kinds, channels = list(MessageKind), list(Channel)
    return tuple(sorted(texts, key=lambda t: (kinds.index(t.kind), channels.index(t.channel))))
