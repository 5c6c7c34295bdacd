"""How a business offers freed time to its waiting list."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from .fields import checked_choice, checked_integer, reject_unknown
from ..errors import ValidationError


class OfferMode(str, Enum):
    MANUAL = "manual"  # staff see the matching requests and choose
    ONE_AT_A_TIME = "one_at_a_time"  # the oldest match gets the time, held for it (the default)
    EVERYONE = "everyone"  # every match is told; the first to accept books


class Fallback(str, Enum):
    """What happens to a freed time after five rounds, or too close to its start for another hold."""

    EVERYONE = "everyone"  # every remaining match is told at once
    RELEASE = "release"  # the time goes back to the booking page


MIN_HOLD, MAX_HOLD, DEFAULT_HOLD = 5, 120, 15
MAX_ROUNDS = 5
FALLBACK_MARGIN_MINUTES = 30  # no new hold when the time starts within hold + this


@dataclass(frozen=True)
class WaitlistSettings:
    mode: OfferMode = OfferMode.ONE_AT_A_TIME
    hold_minutes: int = DEFAULT_HOLD
    fallback: Fallback = Fallback.RELEASE
    public_join: bool = True  # the booking page shows "tell me if something frees up"

    def to_json(self) -> dict[str, Any]:
        return {"mode": self.mode.value, "hold_minutes": self.hold_minutes, "fallback": self.fallback.value,
                "public_join": self.public_join}

    @classmethod
    def from_json(cls, data: dict[str, Any], base: "WaitlistSettings | None" = None) -> "WaitlistSettings":
        """Settings from a (partial) body over `base`, each field checked and named."""
        reject_unknown(data, {"mode", "hold_minutes", "fallback", "public_join"})
        base = base or cls()
        public_join = data.get("public_join", base.public_join)
        if not isinstance(public_join, bool):
            raise ValidationError("true or false", field="public_join", code="wrong_type")
        return cls(
            mode=checked_choice(OfferMode, data.get("mode", base.mode.value), "mode"),
            hold_minutes=checked_integer(data.get("hold_minutes", base.hold_minutes), "hold_minutes",
                                         MIN_HOLD, MAX_HOLD),
            fallback=checked_choice(Fallback, data.get("fallback", base.fallback.value), "fallback"),
            public_join=public_join,
        )
