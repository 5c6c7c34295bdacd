"""The public routes' throttle at the edge (services/public_throttle.py): who is calling, from where, when."""
from __future__ import annotations

from typing import Any

from .. import wiring
from ..later import later
from .http import client_address

public_throttle = later("chalicelib.services.public_throttle")
throttles = later("chalicelib.repositories.throttles")


def throttle(request: Any, route: str, business: str, addresses: tuple[str | None, ...]) -> None:
    """Count this call, or answer 429 `too_many_requests` with Retry-After (services/public_throttle.py)."""
    public_throttle.admit(throttles.DynamoAttempts(), route, business.lower(), addresses, client_address(request),
                          wiring.now())


def addresses_in(body: Any) -> tuple[str, ...]:
    return public_throttle.addresses_in(body)
