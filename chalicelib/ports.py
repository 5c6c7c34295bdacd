"""What the use cases need from the outside world, as small interfaces, and the only errors those raise.

`chalicelib/wiring.py` alone picks an implementation: on AWS the adapters in `chalicelib/adapters/`
(which translate the provider's errors into the ones below) and the DynamoDB store in
`chalicelib/repositories/`, in tests the in-memory fakes of `tests/fakes.py` and `tests/fake_store.py`.
`tests/contract/` and `tests/store_contract.py` run one test class against each, so a fake cannot drift
from the real thing. The client messages' own port (`Senders`) sits with the delivery that uses it
(`chalicelib/notifications/delivery.py`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Iterable, Mapping, Protocol, Sequence

if TYPE_CHECKING:  # types only: the ports depend on nothing at run time
    from .domain.agenda_change import AgendaChange, LockUnit
    from .domain.availability import Minutes
    from .domain.do_not_contact import Contacts
    from .domain.desks import Desk
    from .domain.model import Appointment, Business, Catalog, Client, ResourceRef, Service, Staff
    from .domain.signup import Opening


# -- the booking core's storage (DynamoDB) ---------------------------------------------------------------
class AgendaStore(Protocol):
    """The booking core's storage: catalog, clients as bookings see them, appointments and their locks."""

    def business_id(self, slug: str) -> str: ...  # NotFoundError for an unknown slug
    def catalog(self, business_id: str) -> Catalog: ...  # NotFoundError for an unknown business
    def save_business(self, business: Business) -> None: ...
    def save_staff(self, business_id: str, staff: Staff) -> None: ...
    def save_service(self, business_id: str, service: Service) -> None: ...
    def save_desk(self, business_id: str, desk: Desk) -> None: ...

    def contacts_and_locks(self, business_id: str, email: str | None, phone: str | None,
                           units: Iterable[LockUnit]) -> tuple[str | None, set[LockUnit]]:
        """The client known by this email (first) or phone, and which of `units` somebody holds."""

    def client(self, business_id: str, client_id: str) -> Client: ...
    def appointments_between(self, business_id: str, start: datetime, end: datetime) -> list[Appointment]: ...
    def busy_between(self, business_id: str, start: datetime, end: datetime) -> dict[ResourceRef, list[Minutes]]:
        """Busy minutes (epoch minutes, buffers included) by resource, of what may touch [start, end)."""
    def appointment(self, reference: str) -> Appointment: ...  # NotFoundError

    def write(self, change: AgendaChange) -> None:
        """All or nothing. SlotUnavailableError: a claimed unit is held; ContactTakenError: a new client's
        contact was registered meanwhile; ConflictError `booking_changed`: `before` is stale."""

    def write_all(self, changes: Sequence[AgendaChange]) -> None:
        """Several changes in one transaction, all or none, with `write`'s refusals (a sequence of services)."""

    def recent_code_failures(self, business_id: str, address: str, since: float) -> list[float]: ...
    def save_code_failures(self, business_id: str, address: str, failures: list[float], keep: int) -> None: ...




# -- the do-not-contact list (DynamoDB) --------------------------------------------------------------------
class DoNotContact(Protocol):
    """Erased clients' contacts, which no campaign or win-back may reach again (chalicelib/services/
    do_not_contact.py: the keyed hashing; only hashes are stored). Raw or stored addresses both work."""

    def blocked(self, business_id: str, email: str | None = None, phone: str | None = None) -> bool:
        """True when this email or this phone is on the business's list: one BatchGetItem."""

    def blocked_among(self, business_id: str, people: Mapping[str, Contacts]) -> set[str]:
        """Which of `people` (any id -> their contacts) are on the list, in one BatchGetItem per 50 people."""

    def add(self, business_id: str, contacts: Contacts, at: datetime, reason: str) -> None:
        """Puts these contacts on the list (again: nothing changes), e.g. reason `erased`."""


class ListedContacts(Protocol):
    """The list's storage: hashed entries per business (`email#<hex>`, `phone#<hex>`), nothing readable."""

    def listed(self, business_id: str, entries: list[str]) -> set[str]: ...  # which of these are on the list
    def put(self, business_id: str, entries: list[str], at: datetime, reason: str) -> None: ...


# -- new businesses (DynamoDB) ---------------------------------------------------------------------------
class Registry(Protocol):
    """Where a business is opened at sign-up: its slug claimed, the business, its owner's profile and
    login, all in one write; and the sign-ups each network address made lately (the throttle)."""

    def slug_taken(self, slug: str) -> bool: ...
    def open(self, opening: Opening) -> None: ...  # all or nothing; ConflictError `slug_taken` if claimed meanwhile
    def close(self, opening: Opening) -> None: ...  # takes back an opening whose owner could not be emailed
    def recent_signups(self, address: str, since: float) -> list[float]: ...
    def save_signups(self, address: str, times: list[float], keep: int) -> None: ...


# -- the staff directory (Amazon Cognito) ----------------------------------------------------------------
class DirectoryError(Exception):
    """The directory refused; the subclass says why (never a provider's own exception)."""


class NotAuthorizedError(DirectoryError):
    """Wrong email or password, or a session, refresh token, code or access token it does not accept.
    In the sign-in flows an unknown email looks exactly the same."""


class ThrottledError(DirectoryError):
    """Too many requests, or too many wrong attempts for one user: try again later."""


class WeakPasswordError(DirectoryError):
    """The new password does not meet the pool's policy."""


class UserExistsError(DirectoryError):
    """An administrator call would create a user whose email is already taken (in any business)."""


class UserNotFoundError(DirectoryError):
    """An administrator call names a user the directory does not have."""


@dataclass(frozen=True)
class Tokens:
    """A session the directory just issued, and whose it is (`subject`: the user's permanent id, `sub`)."""

    access_token: str
    id_token: str
    refresh_token: str | None
    expires_in: int
    subject: str


@dataclass(frozen=True)
class NewPasswordChallenge:
    """First sign-in with a temporary password: the caller must choose a new one with this session."""

    session: str


class Directory(Protocol):
    """Who may sign in to the backoffice, with which password; usernames are emails.

    The first group is what the backoffice app's client may do; the second needs administrator rights on
    the pool (and an IAM grant each: infra/turno_infra/access.py)."""

    def sign_in(self, email: str, password: str) -> Tokens | NewPasswordChallenge: ...
    def set_new_password(self, email: str, session: str, new_password: str) -> Tokens: ...
    def refresh(self, refresh_token: str) -> Tokens: ...
    def forgot_password(self, email: str) -> None: ...  # the directory sends the code itself
    def confirm_password(self, email: str, code: str, new_password: str) -> None: ...
    def accepts(self, access_token: str) -> bool: ...  # False once revoked (a global sign-out) or invalid

    def create_user(self, email: str, temporary_password: str | None = None) -> str: ...  # its subject
    def set_password(self, email: str, password: str, *, permanent: bool) -> None: ...
    def must_change_password(self, email: str) -> bool: ...  # still on the temporary password
    def delete_user(self, email: str) -> None: ...
    def sign_out_everywhere(self, email: str) -> None: ...  # revokes every refresh (and access) token


# -- Turno's own emails (SES) --------------------------------------------------------------------------
class NotSentError(Exception):
    """The provider refused (it answered: a throttle, a 4xx or 5xx) or the request never left (no connection
    could be made); nothing went out, and it may be tried again later.
    `code` is the provider's error code, safe to log (the message may name an address)."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class SendUnconfirmedError(Exception):
    """The request may have reached the provider, but no answer came back (a read timeout, a dropped
    connection): the message may well have gone out. Never sent again automatically (a client would get it
    twice); the message log shows it as `unconfirmed`. `code` names the failure, safe to log."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class Mailer(Protocol):
    """Turno's own emails to staff (invitations), from Turno's sender address; Cognito sends none."""

    def send(self, to: str, subject: str, text: str, html: str) -> str: ...  # the provider's message id


# -- work fanned out to another function (the dormant-client sweep's queue) ----------------------------
class WorkQueue(Protocol):
    """Units of work (small JSON objects) handed to the function that does each one (at least once: a
    unit may arrive twice, so its work is idempotent)."""

    def send(self, units: list[dict]) -> int: ...  # how many were handed over; NotSentError if some were not
