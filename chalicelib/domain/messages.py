"""The messages a client receives about a booking (six kinds) or a waiting-list offer (two), and the outbox
entry that carries them."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from .model import Appointment


class MessageKind(str, Enum):
    PENDING = "pending"  # booked online, waiting for the salon's approval (manual approval only)
    CONFIRMED = "confirmed"  # booked and confirmed: automatic approval, approved by staff, or backoffice
    REJECTED = "rejected"  # the salon declined a pending booking
    CANCELLED = "cancelled"  # by the salon or by the client
    RESCHEDULED = "rescheduled"  # moved to a new time (the message says the new one)
    REMINDER = "reminder"  # some hours before the start
    OFFER = "offer"  # waiting list: a freed time is held for the client until a time (domain/openings.py)
    OFFER_EXPIRED = "offer_expired"  # waiting list: that hold ran out unanswered, the time went on


class Channel(str, Enum):
    EMAIL = "email"
    SMS = "sms"


@dataclass(frozen=True)
class OutboxMessage:
    """What one change (or one due reminder) has to tell the client, kept with the change until sent.

    `appointment` is the appointment as the change left it, so a late retry still says what happened
    then. `kind` None: nothing to say, only reminders to schedule. The delivery state (`status`,
    `attempts`, `deliveries` with one entry per channel, `claim`) and `due_key` (the position in the due
    index a job saw, which every conditional step checks) come back when it is read."""

    id: str
    appointment: Appointment
    kind: MessageKind | None
    due: datetime
    previous_start: datetime | None = None  # rescheduled: the old time
    status: str = "pending"  # pending | sending | done | failed
    attempts: int = 0
    deliveries: dict = field(default_factory=dict)
    claim: str | None = None
    due_key: str | None = None
    offer: dict | None = None  # offer kinds: request, round, opening, held_until, contact (domain/offer_messages.py)

    @property
    def business_id(self) -> str:
        return self.appointment.business_id

    @property
    def client_id(self) -> str:
        return self.appointment.client_id

    @property
    def reference(self) -> str:
        return self.appointment.reference


@dataclass(frozen=True)
class DueReminder:
    """A confirmed appointment waiting in the due index for its next reminder."""

    appointment: Appointment
    leads: tuple[timedelta, ...]  # every lead time armed for this version, longest first
    lead: timedelta  # the reminder now due
    due_key: str


@dataclass(frozen=True)
class LoggedMessage:
    """One message to one client on one channel, as it finally went (the client's message log)."""

    outbox_id: str
    reference: str
    client_id: str
    kind: str
    channel: str
    status: str  # sent | failed | skipped
    to: str | None
    at: datetime
    attempts: int = 0
    segments: int | None = None
    encoding: str | None = None
    provider_id: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class MessageCount:
    """Messages of one kind on one channel on one local day of the business."""

    day: str
    kind: str
    channel: str
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    unconfirmed: int = 0  # sent, but the provider's answer was lost
    segments: int = 0
