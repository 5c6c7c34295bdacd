"""The six messages a client receives about a booking."""
from __future__ import annotations

from enum import Enum


class MessageKind(str, Enum):
    PENDING = "pending"  # booked online, waiting for the salon's approval (manual approval only)
    CONFIRMED = "confirmed"  # booked and confirmed: automatic approval, approved by staff, or backoffice
    REJECTED = "rejected"  # the salon declined a pending booking
    CANCELLED = "cancelled"  # by the salon or by the client
    RESCHEDULED = "rescheduled"  # moved to a new time (the message says the new one)
    REMINDER = "reminder"  # some hours before the start


class Channel(str, Enum):
    EMAIL = "email"
    SMS = "sms"
