"""The clients report's figures: who came, who came for the first time, who booked again before leaving.

Unlike the other figures these are not one appointment's alone: whether a visit is a client's first, or was
rebooked, depends on the client's other appointments. So the stream keeps, per client, a short line per
appointment (`Visit`), and the client's figures are derived from all of them at once (`client_tally`); a
change adds the difference to the per-day and per-month client maps the report reads.

- A *visit* is a completed appointment, on the local day of its start (the appointment date).
- A client is *new* in a period when their first visit ever falls in it; *returning* otherwise.
- A visit is *rebooked* when the client has a later appointment, not cancelled or rejected now, that was
  made by the end of the visit's local day (booked the next visit by the day of this one).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping
from zoneinfo import ZoneInfo

from .model import Appointment, AppointmentStatus as S
from .reports import difference, minor_units  # noqa: F401 - difference: the same for client tallies

COMPLETED, OPEN, OFF = "completed", "open", "off"
# figures a client map item holds besides its per-client ones (VISITS + id, SPENT + id)
NEW, REBOOKED = "new_clients", "rebooked"
VISITS, SPENT = "v:", "r:"

ClientTally = dict[str, dict[str, int]]  # local day -> figures


@dataclass(frozen=True)
class Visit:
    """One appointment of a client, as the clients report needs it."""

    sequence: str  # the stream record's, zero-padded (what made this line)
    state: str  # completed | open (pending, confirmed, arrived, no-show) | off (cancelled, rejected)
    day: str  # local day of its start
    start: str  # UTC instant, ISO: orders a client's appointments
    made: str  # local day it was made
    cents: int  # its price in hundredths, when completed

    def to_json(self) -> list:
        return [self.sequence, self.state, self.day, self.start, self.made, self.cents]

    @classmethod
    def from_json(cls, data: list) -> "Visit":
        sequence, state, day, start, made, cents = data
        return cls(sequence, state, day, start, made, int(cents))


def visit(appointment: Appointment, tz: ZoneInfo, sequence: str, cents: int | None = None) -> Visit:
    """`cents` is what a completed visit counts for (its price, or a plan session's unit value)."""
    status = appointment.status
    state = COMPLETED if status is S.COMPLETED else OFF if status in (S.CANCELLED, S.REJECTED) else OPEN
    return Visit(sequence, state, appointment.start.astimezone(tz).date().isoformat(),
                 appointment.start.isoformat(), appointment.created_at.astimezone(tz).date().isoformat(),
                 (minor_units(appointment.price) if cents is None else cents) if state == COMPLETED else 0)


def client_tally(client_id: str, visits: Iterable[Visit]) -> ClientTally:
    """What the client adds to each local day's client map, from all their appointments."""
    lines = sorted(visits, key=lambda v: v.start)
    completed = [v for v in lines if v.state == COMPLETED]
    tally: ClientTally = {}
    for n, seen in enumerate(completed):
        figures = tally.setdefault(seen.day, {})
        figures[VISITS + client_id] = figures.get(VISITS + client_id, 0) + 1
        figures[SPENT + client_id] = figures.get(SPENT + client_id, 0) + seen.cents
        if n == 0:
            figures[NEW] = 1
        if any(later.start > seen.start and later.state != OFF and later.made <= seen.day for later in lines):
            figures[REBOOKED] = figures.get(REBOOKED, 0) + 1
    return {day: {k: v for k, v in figures.items() if v} for day, figures in tally.items()}


@dataclass
class ClientFigures:
    """A period's client maps summed: visits and money per client, first visits and rebooked visits."""

    visits: dict[str, int]
    spent: dict[str, int]
    new: int = 0
    rebooked: int = 0

    @classmethod
    def summed(cls, maps: Iterable[Mapping[str, int]]) -> "ClientFigures":
        found = cls({}, {})
        for figures in maps:
            for name, value in figures.items():
                if name.startswith(VISITS):
                    found.visits[name[2:]] = found.visits.get(name[2:], 0) + value
                elif name.startswith(SPENT):
                    found.spent[name[2:]] = found.spent.get(name[2:], 0) + value
            found.new += figures.get(NEW, 0)
            found.rebooked += figures.get(REBOOKED, 0)
        return found

    @property
    def seen(self) -> list[str]:
        return sorted(c for c, n in self.visits.items() if n > 0)

    @property
    def total_visits(self) -> int:
        return sum(self.visits.values())

    @property
    def total_cents(self) -> int:
        return sum(self.spent.values())

    def top(self, n: int) -> list[str]:
        """The clients who spent most (then visited most), by id among equals: deterministic."""
        return sorted(self.seen, key=lambda c: (-self.spent.get(c, 0), -self.visits[c], c))[:n]
