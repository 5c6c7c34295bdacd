"""In-memory implementations of the ports (chalicelib/ports.py and the delivery's Senders) for use-case tests.

They behave as Cognito, SES and SNS do for everything Turno relies on, and tests/contract/ runs the same
test classes against them and against moto, so they cannot drift from the real thing. Where moto differs
from AWS, the fakes follow AWS (the contract tests say where).
"""
from __future__ import annotations

import itertools
import re
import uuid
from dataclasses import dataclass, field

from chalicelib.notifications.compose import Message
from chalicelib.ports import (
    NewPasswordChallenge, NotAuthorizedError, NotSentError, SendUnconfirmedError, ThrottledError, Tokens,
    UserExistsError, UserNotFoundError, WeakPasswordError,
)

SYMBOLS = set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-")


def strong(password: str) -> bool:
    """The pool's policy (infra/ and tests): 12+ characters, upper and lower case, a digit and a symbol."""
    return (len(password) >= 12 and bool(re.search(r"[A-Z]", password)) and bool(re.search(r"[a-z]", password))
            and bool(re.search(r"\d", password)) and any(c in SYMBOLS for c in password))


@dataclass
class DirectoryUser:
    email: str
    subject: str
    password: str | None
    must_change_password: bool = True


class FakeDirectory:
    """The staff directory in memory. `codes[email]` holds the last forgot-password code "emailed";
    `throttle(n)` makes the next n calls fail as Cognito's throttling or lockout would."""

    def __init__(self) -> None:
        self.users: dict[str, DirectoryUser] = {}
        self.codes: dict[str, str] = {}
        self._sessions: dict[str, str] = {}  # session -> email
        self._refresh: dict[str, str] = {}  # refresh token -> email
        self._access: dict[str, str] = {}  # access token -> email
        self._numbers = itertools.count(1)
        self._throttled = 0

    def throttle(self, calls: int = 1) -> None:
        self._throttled = calls

    # -- the app client's flows --------------------------------------------------------------------------
    def sign_in(self, email: str, password: str) -> Tokens | NewPasswordChallenge:
        self._check_throttle()
        user = self.users.get(email)
        if user is None or user.password is None or user.password != password:
            raise NotAuthorizedError("Incorrect username or password.")
        if user.must_change_password:
            session = f"fake-session-{next(self._numbers)}"
            self._sessions[session] = email
            return NewPasswordChallenge(session=session)
        return self._issue(user, refresh=True)

    def set_new_password(self, email: str, session: str, new_password: str) -> Tokens:
        self._check_throttle()
        if self._sessions.get(session) != email or email not in self.users:
            raise NotAuthorizedError("Invalid session for the user.")
        if not strong(new_password):
            raise WeakPasswordError("Password does not conform to policy")
        del self._sessions[session]
        user = self.users[email]
        user.password, user.must_change_password = new_password, False
        return self._issue(user, refresh=True)

    def refresh(self, refresh_token: str) -> Tokens:
        self._check_throttle()
        email = self._refresh.get(refresh_token)
        if email is None or email not in self.users:
            raise NotAuthorizedError("Refresh Token has been revoked")
        return self._issue(self.users[email], refresh=False)

    def forgot_password(self, email: str) -> None:
        self._check_throttle()
        if email in self.users:  # unknown emails: the same silence as a known one's
            self.codes[email] = f"{next(self._numbers):06d}"

    def confirm_password(self, email: str, code: str, new_password: str) -> None:
        self._check_throttle()
        if email not in self.users or self.codes.get(email) != code:
            raise NotAuthorizedError("Invalid code provided, please request a code again.")
        if not strong(new_password):
            raise WeakPasswordError("Password does not conform to policy")
        del self.codes[email]
        self.users[email].password = new_password

    def accepts(self, access_token: str) -> bool:
        user = self.users.get(self._access.get(access_token, ""))
        return user is not None and not user.must_change_password

    # -- administrator calls ---------------------------------------------------------------------------
    def create_user(self, email: str, temporary_password: str | None = None) -> str:
        self._check_throttle()
        if email in self.users:
            raise UserExistsError("User account already exists")
        user = DirectoryUser(email, str(uuid.uuid4()), temporary_password)
        self.users[email] = user
        return user.subject

    def set_password(self, email: str, password: str, *, permanent: bool) -> None:
        user = self._user(email)
        if not strong(password):
            raise WeakPasswordError("Password does not conform to policy")
        user.password, user.must_change_password = password, not permanent

    def must_change_password(self, email: str) -> bool:
        return self._user(email).must_change_password

    def delete_user(self, email: str) -> None:
        self._user(email)
        del self.users[email]
        self._forget_tokens(email)

    def sign_out_everywhere(self, email: str) -> None:
        self._user(email)
        self._forget_tokens(email)

    # -- helpers ------------------------------------------------------------------------------------------
    def _user(self, email: str) -> DirectoryUser:
        self._check_throttle()
        if email not in self.users:
            raise UserNotFoundError("User does not exist.")
        return self.users[email]

    def _check_throttle(self) -> None:
        if self._throttled:
            self._throttled -= 1
            raise ThrottledError("Password attempts exceeded")

    def _issue(self, user: DirectoryUser, *, refresh: bool) -> Tokens:
        number = next(self._numbers)
        access = f"fake-access-{number}"
        self._access[access] = user.email
        refresh_token = None
        if refresh:
            refresh_token = f"fake-refresh-{number}"
            self._refresh[refresh_token] = user.email
        return Tokens(access_token=access, id_token=f"fake-id-{number}", refresh_token=refresh_token,
                      expires_in=3600, subject=user.subject)

    def _forget_tokens(self, email: str) -> None:
        for tokens in (self._access, self._refresh, self._sessions):
            for token in [t for t, owner in tokens.items() if owner == email]:
                del tokens[token]


@dataclass(frozen=True)
class SentEmail:
    sender: str
    to: str
    subject: str
    text: str
    html: str


class FakeMailer:
    """Turno's own emails in memory: `sent` lists them. Like SES, an unverified sender is refused
    (`verified`, by default the one sender); `refuse(n)` makes the next n sends fail."""

    def __init__(self, sender: str = "no-reply@turno.example", verified: set[str] | None = None) -> None:
        self.sender = sender
        self.verified = {sender} if verified is None else verified
        self.sent: list[SentEmail] = []
        self._refusals = 0

    def refuse(self, sends: int = 1) -> None:
        self._refusals = sends

    def send(self, to: str, subject: str, text: str, html: str) -> str:
        if self._refusals:
            self._refusals -= 1
            raise NotSentError("Throttling: Maximum sending rate exceeded.", "Throttling")
        if self.sender not in self.verified:
            raise NotSentError(f"MessageRejected: Email address is not verified.", "MessageRejected")
        self.sent.append(SentEmail(self.sender, to, subject, text, html))
        return f"fake-email-{uuid.uuid4()}"

    def to(self, address: str) -> list[SentEmail]:
        return [m for m in self.sent if m.to == address]


@dataclass
class FakeSenders:
    """The delivery's Senders in memory: `emails` holds (sender, message), `sms` the messages. Like SES, an
    unverified sender is refused; `fail("email"|"sms", n)` makes the next n sends of a channel fail (refused:
    nothing sent), `lose_answer(channel, n)` the next n sends go out and then raise as if the answer was lost."""

    verified: set[str] = field(default_factory=lambda: {"no-reply@turno.example"})
    emails: list[tuple[str, Message]] = field(default_factory=list)
    sms_sent: list[Message] = field(default_factory=list)
    _failures: dict[str, int] = field(default_factory=dict)
    _lost: dict[str, int] = field(default_factory=dict)

    def fail(self, channel: str, sends: int = 1) -> None:
        self._failures[channel] = sends

    def lose_answer(self, channel: str, sends: int = 1) -> None:
        self._lost[channel] = sends

    def email(self, message: Message, sender: str) -> str:
        self._maybe_fail("email")
        if sender not in self.verified:
            raise NotSentError("MessageRejected: Email address is not verified.", "MessageRejected")
        self.emails.append((sender, message))
        self._maybe_lose("email")
        return f"fake-email-{uuid.uuid4()}"

    def sms(self, message: Message) -> str:
        self._maybe_fail("sms")
        self.sms_sent.append(message)
        self._maybe_lose("sms")
        return f"fake-sms-{uuid.uuid4()}"

    def _maybe_lose(self, channel: str) -> None:
        if self._lost.get(channel):
            self._lost[channel] -= 1
            raise SendUnconfirmedError("sent but not confirmed: Read timeout", "ReadTimeoutError")

    def _maybe_fail(self, channel: str) -> None:
        if self._failures.get(channel):
            self._failures[channel] -= 1
            raise NotSentError("Throttling: Rate exceeded", "Throttling")


class FakeRegistry:
    """Sign-ups in memory, opening businesses into a FakeAgendaStore (so the booking use cases find them)
    and keeping the owners' logins in `logins` (subject -> (business id, staff id, email, level)).
    One lock makes `open` atomic, as DynamoDB's transaction is; tests/contract/test_registry.py keeps it honest."""

    def __init__(self, store) -> None:
        import threading

        self.store = store
        self.logins: dict[str, tuple[str, str, str, int]] = {}
        self.signups: dict[str, list[float]] = {}
        self._slugs: dict[str, str] = {}
        self._lock = threading.Lock()

    def slug_taken(self, slug: str) -> bool:
        return slug in self._slugs

    def open(self, opening) -> None:
        from chalicelib.errors import ConflictError

        business = opening.business
        with self._lock:
            if business.slug in self._slugs:
                raise ConflictError("this address has just been taken; choose another one", field="slug",
                                    code="slug_taken")
            self._slugs[business.slug] = business.id
            self.store.save_business(business)
            self.store.save_staff(business.id, opening.owner)
            self.logins[opening.owner_subject] = (business.id, opening.owner.id, opening.owner_email, 1)

    def close(self, opening) -> None:
        with self._lock:
            del self._slugs[opening.business.slug]
            del self.store.businesses[opening.business.id]
            del self.store.staff[opening.business.id]
            del self.logins[opening.owner_subject]

    def recent_signups(self, address: str, since: float) -> list[float]:
        return [at for at in self.signups.get(address, []) if at >= since]

    def save_signups(self, address: str, times: list[float], keep: int) -> None:
        self.signups[address] = list(times)


class FakeListedContacts:
    """The do-not-contact list's storage in memory: business id -> {entry: (at, reason)}. `calls` counts
    lookups as the DynamoDB one makes them (one batch read per `listed`)."""

    def __init__(self) -> None:
        self.entries: dict[str, dict[str, tuple]] = {}
        self.calls = 0

    def listed(self, business_id: str, entries: list[str]) -> set[str]:
        self.calls += 1
        return set(entries) & set(self.entries.get(business_id, {}))

    def put(self, business_id: str, entries: list[str], at, reason: str) -> None:
        for entry in entries:
            self.entries.setdefault(business_id, {})[entry] = (at, reason)


def fake_do_not_contact(key: bytes = b"test-privacy-key"):
    """A do-not-contact list (ports.DoNotContact) in memory, hashing exactly as the real one does."""
    from chalicelib.services.do_not_contact import DoNotContactList

    return DoNotContactList(key, FakeListedContacts())
