"""A client as the backoffice keeps them: the booking core's client plus what staff add."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ..errors import ValidationError
from .model import Client


@dataclass(frozen=True)
class ClientProfile:
    id: str
    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None  # E.164
    mobile: str | None = None  # E.164
    fiscal_code: str | None = None  # upper case, no spaces (DNI/NIE, codice fiscale, ...)
    notes: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    revision: int = 0
    erased_at: datetime | None = None  # pseudonymised on request or by retention (domain/privacy.py)

    @classmethod
    def new(cls, client: Client, now: datetime) -> "ClientProfile":
        """A client first met through an online booking."""
        return cls(id=client.id, first_name=client.first_name, last_name=client.last_name, email=client.email,
                   phone=client.phone, notes=client.notes, created_at=now)

    def as_client(self) -> Client:
        """The booking core's view (what messages address); a mobile stands in for a missing phone."""
        return Client(id=self.id, first_name=self.first_name, last_name=self.last_name, email=self.email,
                      phone=self.phone or self.mobile, notes=self.notes)

    def contact_keys(self) -> list[str]:
        """The keys that make a client "returning": their email and every number they gave.
        The same spelling as the booking core's, so an online booking finds a backoffice client."""
        keys = [f"email#{self.email}"] if self.email else []
        keys += [f"phone#{n}" for n in dict.fromkeys(n for n in (self.phone, self.mobile) if n)]
        return keys


def normal_fiscal_code(value: str, *, field: str = "fiscal_code") -> str:
    code = re.sub(r"[\s.-]", "", value).upper()
    if not re.fullmatch(r"[A-Z0-9]{4,32}", code):
        raise ValidationError("a fiscal code has 4 to 32 letters and digits", field=field,
                              code="invalid_fiscal_code")
    return code


def contact_field(key: str, profile: ClientProfile) -> str:
    """Which field of `profile` a contact key came from, to name it in an error."""
    if key.startswith("email#"):
        return "email"
    return "phone" if key == f"phone#{profile.phone}" else "mobile"


@dataclass(frozen=True)
class HistoryEntry:
    """One of a client's appointments, linked when it is booked: the client's history."""

    business_id: str
    client_id: str
    reference: str
