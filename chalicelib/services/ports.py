"""What the use cases need from the outside world, as small interfaces.

`wiring.py` picks the implementations (DynamoDB through PynamoDB on AWS and locally; the in-memory
fakes in tests/fakes.py for use-case tests); a contract test runs one suite against each, so a fake
cannot drift from the real thing.
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterable, Protocol

from ..domain.agenda_change import AgendaChange, LockUnit
from ..domain.model import Appointment, Business, Catalog, Client, Service, Staff


class AgendaStore(Protocol):
    """The booking core's storage: catalog, clients as bookings see them, appointments and their locks."""

    def business_id(self, slug: str) -> str: ...  # NotFoundError for an unknown slug
    def catalog(self, business_id: str) -> Catalog: ...  # NotFoundError for an unknown business
    def save_business(self, business: Business) -> None: ...
    def save_staff(self, business_id: str, staff: Staff) -> None: ...
    def save_service(self, business_id: str, service: Service) -> None: ...

    def contacts_and_locks(self, business_id: str, email: str | None, phone: str | None,
                           units: Iterable[LockUnit]) -> tuple[str | None, set[LockUnit]]:
        """The client known by this email (first) or phone, and which of `units` somebody holds."""

    def client(self, business_id: str, client_id: str) -> Client: ...
    def appointments_between(self, business_id: str, start: datetime, end: datetime) -> list[Appointment]: ...
    def appointment(self, reference: str) -> Appointment: ...  # NotFoundError

    def write(self, change: AgendaChange) -> None:
        """All or nothing. SlotUnavailableError: a claimed unit is held; ContactTakenError: a new client's
        contact was registered meanwhile; ConflictError `booking_changed`: `before` is stale."""

    def recent_code_failures(self, business_id: str, address: str, since: float) -> list[float]: ...
    def save_code_failures(self, business_id: str, address: str, failures: list[float], keep: int) -> None: ...
