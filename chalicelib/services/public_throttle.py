"""A throttle on the public routes that reveal data or create records without a sign-in: what a client's
plans cover (anyone knowing an email would otherwise learn it by the thousand) and joining the waiting list.

Each call counts against several keys, each with its own limit over a sliding window: the business and each
client address the body names (its email and its phone: one address probed from many networks) and the
business and the source IP (one network trying many addresses). Over either, the answer is 429
`too_many_requests` with Retry-After, and the attempt is not counted. Times are kept in
repositories/throttles.py's items (TTL removes them), the address hashed: a throttle keeps no email.
Two requests at the same instant may both pass the last free place (read, then write): a throttle slows
probing down, it does not count exactly.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Protocol

from ..errors import TooManyAttemptsError


@dataclass(frozen=True)
class Limit:
    per_address: int  # calls from anywhere naming one email or phone
    per_network: int  # calls from one source IP, whatever they name
    window_seconds: int


LIMITS = {
    "plan-coverage": Limit(per_address=30, per_network=120, window_seconds=3600),  # a page asks on each change
    "waitlist": Limit(per_address=5, per_network=30, window_seconds=3600),
}


class TooManyRequestsError(TooManyAttemptsError):
    """429: too many calls of a public route from this network or for this address; Retry-After says when."""

    code = "too_many_requests"


class Attempts(Protocol):
    """repositories/throttles.py: the times of recent attempts under a key."""

    def recent(self, pk: str, sk: str, since: float) -> list[float]: ...
    def save(self, pk: str, sk: str, times: list[float], keep_seconds: int) -> None: ...


def admit(attempts: Attempts, route: str, business: str, addresses: Iterable[str | None], network: str,
          now: datetime) -> None:
    """Count this call of `route` for `business` (its slug), or refuse it with TooManyRequestsError."""
    limit, at = LIMITS[route], now.timestamp()
    since, pk = at - limit.window_seconds, f"THROTTLE#{business}#{route}"
    keys = [(pk, f"ip#{network}", limit.per_network)]
    keys += [(pk, f"to#{_hashed(a)}", limit.per_address) for a in dict.fromkeys(a for a in addresses if a)]
    seen = [(pk, sk, most, attempts.recent(pk, sk, since)) for pk, sk, most in keys]
    full = [min(times) + limit.window_seconds - at for _, _, most, times in seen if len(times) >= most]
    if full:
        raise TooManyRequestsError("too many requests; try again later", retry_after=int(max(full)) + 1)
    for pk, sk, _, times in seen:
        attempts.save(pk, sk, times + [at], limit.window_seconds)


def addresses_in(body: Any) -> tuple[str, ...]:
    """The email and phone a public body's `client` names, as typed without spaces, lower-cased: the
    throttle's keys, read before the use case checks them (a malformed one counts under what was typed)."""
    client = body.get("client") if isinstance(body, dict) else None
    if not isinstance(client, dict):
        return ()
    values = (client.get(name) for name in ("email", "phone"))
    return tuple("".join(v.split()).lower() for v in values if isinstance(v, str) and v.strip())


def _hashed(address: str) -> str:
    return hashlib.sha256(address.encode()).hexdigest()[:32]
