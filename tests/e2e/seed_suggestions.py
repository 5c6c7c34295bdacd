"""A freed time suggested to staff (manual mode) in seed_screens.py's salon, for the waiting-list screen's
browser test (tests/e2e/test_waitlist_suggestions.py): two clients wait for Ana five days from now at 11:00,
and the offer log holds that time as a suggestion listing both. Run as `python -m tests.e2e.seed_suggestions`
with the stack's environment; prints the opening's id. Seeded through the use cases and the openings'
own write, as the stream would have made it."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from chalicelib import wiring
from chalicelib.domain.openings import Opening, OpeningStatus
from chalicelib.domain.principal import Principal
from chalicelib.domain.waitlist_settings import OfferMode
from chalicelib.repositories import openings
from chalicelib.services import waitlist
from tests.e2e.seed_screens import ADMIN, SALON

WAITING = ("Sofia Suggested", "Teo Suggested")


def main() -> None:
    now = datetime.now(timezone.utc)
    owner = Principal(business_id=SALON.id, staff_id=ADMIN[0], level=ADMIN[2], email=ADMIN[1])
    tz = ZoneInfo(SALON.timezone)
    day = now.astimezone(tz).date() + timedelta(days=5)
    start = datetime.combine(day, time(11, 0), tz).astimezone(timezone.utc)
    window = {"from": day.isoformat(), "to": day.isoformat(), "start": "09:00", "end": "14:00"}
    made = []
    for full in WAITING:
        first, last = full.split()
        body = {"client": {"first_name": first, "last_name": last, "email": f"{first.lower()}@example.com"},
                "service": "svc_cut", "staff": "stf_ana", "windows": [window]}
        made.append(waitlist.create(wiring.store(), wiring.clients(), owner, body, now).id)
    service = wiring.store().catalog(SALON.id).service("svc_cut")
    span, busy = service.occupies(start)
    opening = Opening(id=f"op_{int(now.timestamp() * 1000):012x}e2esuggest", business_id=SALON.id,
                      service_id="svc_cut", staff_id="stf_ana", start=span.start, end=span.end, busy=busy,
                      mode=OfferMode.MANUAL, status=OpeningStatus.SUGGESTED, created_at=now, updated_at=now,
                      freed_by="e2e", offered=tuple(made))
    openings.write(None, opening, [])
    print(opening.id)


if __name__ == "__main__":
    main()
