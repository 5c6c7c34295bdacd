"""Secret codes and manage tokens.

A business code locks every professional; a professional's personal code locks that professional.
A code *opens* what it matches: the business code opens everyone, a personal code its owner.
A manage token is an HMAC of the booking reference, so messages can always rebuild the link and
nothing secret is stored beside the booking.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import Sequence

from ..errors import ForbiddenError
from .model import Business, Staff

CODE_WINDOW_SECONDS = 15 * 60
MAX_WRONG_CODES = 5


def is_locked(business: Business, member: Staff) -> bool:
    return bool(business.secret_code or member.secret_code)


def open_to(business: Business, everyone: Sequence[Staff], candidates: Sequence[Staff],
            code: str | None) -> tuple[Staff, ...]:
    """Which of `candidates` a client holding `code` may book.

    Raises ForbiddenError `invalid_code` when a code is given that matches nothing (callers count
    those towards the throttle) and `code_required` when no candidate is open to the client.
    """
    if not any(is_locked(business, m) for m in candidates):
        return tuple(candidates)
    given = (code or "").strip()
    opens_all = _same(given, business.secret_code)
    if given and not opens_all and not any(_same(given, m.secret_code) for m in everyone):
        raise ForbiddenError("that code is not valid", field="code", code="invalid_code")
    allowed = tuple(m for m in candidates if not is_locked(business, m) or opens_all or _same(given, m.secret_code))
    if not allowed:
        raise ForbiddenError("a code is needed to book here", field="code", code="code_required")
    return allowed


def _same(given: str, secret: str | None) -> bool:
    return bool(secret) and hmac.compare_digest(given.casefold().encode(), secret.strip().casefold().encode())


def manage_token(key: bytes, reference: str) -> str:
    return hmac.new(key, f"manage:{reference}".encode(), hashlib.sha256).hexdigest()[:32]


def holds_token(key: bytes, reference: str, token: str | None) -> bool:
    """Whether `token` is the booking's manage token; anything else (non-ASCII included) is simply not it."""
    if not isinstance(token, str) or not token:
        return False
    return hmac.compare_digest(manage_token(key, reference).encode(), token.encode("utf-8", "surrogatepass"))
