"""Freed time reaches the waiting list: the `time_freed` event of a committed change (cancelled, rejected,
moved away; time off removed, hours widened: domain/freed_time.py) is offered to the requests it suits
(services/openings.py), from the table's stream."""
from __future__ import annotations

from .. import wiring
from ..domain.events import Event, EventName
from ..observability import count
from ..services import openings
from .stream import subscribe


@subscribe(EventName.TIME_FREED)
def offer_freed_time(event: Event) -> None:
    made = openings.on_time_freed(wiring.store(), event, wiring.now())
    if made is not None:
        count("WaitlistOpenings", mode=made.mode.value)
