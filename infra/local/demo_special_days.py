"""The demo salon's special days (`make dev`): Christmas Day and New Year's Day closed every year, and
Christmas Eve open 10:00-14:00 only. Added once each: a restart with kept data adds nothing (each entry is
looked for first), and whatever staff changed in the Calendar screen since is left alone."""
from __future__ import annotations

from datetime import date, datetime, timezone


def provision(env: dict[str, str]) -> list[str]:
    from chalicelib.domain.audit import AuditEntry
    from chalicelib.domain.special_days import Closure, SpecialHours
    from chalicelib.repositories import special_days
    from infra.local.devstack import DEMO_ID

    now = datetime.now(timezone.utc)
    year = now.year if (now.month, now.day) <= (12, 24) else now.year + 1
    current = special_days.read(DEMO_ID)
    wanted = [
        Closure("clo_0000000000001225", "Navidad", date(year, 12, 25), date(year, 12, 25), yearly=True),
        Closure("clo_0000000000000101", "Año Nuevo", date(year + 1, 1, 1), date(year + 1, 1, 1), yearly=True),
        SpecialHours("sph_0000000000001224", date(year, 12, 24), ((600, 840),), name="Nochebuena"),
    ]
    known = {c.name for c in current.closures} | {h.name for h in current.hours}
    added = [entry for entry in wanted if entry.name not in known]
    for entry in added:
        audit = AuditEntry(DEMO_ID, now, "demo", "", 1, "calendar.demo", type(entry).__name__.lower(), entry.id,
                           None, {"name": entry.name})
        special_days.write(DEMO_ID, entry, None, audit)
    return [f"demo special days: {', '.join(e.name for e in added)}"] if added else []
