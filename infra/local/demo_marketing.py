"""Demo data for Marketing under `make dev`: loyal and dormant clients of the demo salon, with their visits,
consent and a sweep that is on (fixed 60 days). Idempotent: a restart with kept data adds nothing."""
from __future__ import annotations

from datetime import datetime, time, timedelta

DEMO_ID = "biz_demo"
# (client id, first name, last name, email, phone, days ago of each completed visit, services)
CLIENTS = [
    ("cli_mkt_ana", "Ana", "Fernández", "ana.fernandez@example.com", "+34611000101", (8, 36, 64, 95), "svc_cut"),
    ("cli_mkt_jon", "Jon", "Etxeberria", "jon@example.com", "+34611000102", (12, 40, 70), "svc_beard"),
    ("cli_mkt_lia", "Lía", "Martín", "lia@example.com", None, (20, 50), "svc_color"),
    ("cli_mkt_pau", "Pau", "Soler", "pau@example.com", "+34611000104", (110, 140, 170, 200), "svc_cut_style"),
    ("cli_mkt_eva", "Eva", "Nieto", None, "+34611000105", (130, 300), "svc_manicure"),
    ("cli_mkt_tom", "Tomás", "Ruiz", "tomas@example.com", None, (240,), "svc_highlights"),
]


def seed(env: dict[str, str]) -> list[str]:
    from chalicelib import wiring
    from chalicelib.domain.calendar import Interval
    from chalicelib.domain.clients import ClientProfile
    from chalicelib.domain.marketing import ClientStats, ConsentChange, MarketingSettings, SweepMode, Visit
    from chalicelib.domain.model import Appointment, AppointmentStatus, Source, new_reference
    from chalicelib.errors import NotFoundError
    from chalicelib.repositories import client_stats
    from chalicelib.repositories import marketing as repo

    store, clients = wiring.store(), wiring.clients()
    try:
        clients.get(DEMO_ID, CLIENTS[0][0])
        return ["marketing: demo clients already there"]
    except NotFoundError:
        pass
    catalog = store.catalog(DEMO_ID)
    tz, now = catalog.business.tz, datetime.now().astimezone()
    today = now.astimezone(tz).date()
    figures = []
    for cid, first, last, mail, phone, ago, service_id in CLIENTS:
        clients.create(DEMO_ID, ClientProfile(cid, first, last, email=mail, phone=phone, created_at=now))
        service = catalog.service(service_id)
        staff = next(m for m in catalog.staff if m.performs(service_id))
        visits = []
        for days in ago:
            start = datetime.combine(today - timedelta(days=days), time(11, 0), tzinfo=tz)
            end = start + timedelta(minutes=service.duration_minutes)
            made = Appointment(new_reference(), DEMO_ID, cid, service_id, staff.id, start, end, Interval(start, end),
                               AppointmentStatus.COMPLETED, Source.BACKOFFICE, service.price, "EUR", now, now)
            from chalicelib.services import agenda_changes

            agenda_changes.book(store, made, by="system")
            visits.append(Visit.of(made, tz))
        figures.append(ClientStats.of(cid, visits))
        channels = [c for c, address in (("email", mail), ("sms", phone)) if address]
        repo.record_consent(DEMO_ID, cid, [ConsentChange(c, "marketing", True, "backoffice", "system", now,
                                                         "Demo: agreed to news at the front desk") for c in channels])
    client_stats.put_many(DEMO_ID, figures)  # the stream pump may not have started: the figures at once
    repo.save_settings(DEMO_ID, MarketingSettings(sweep=SweepMode.FIXED, sweep_days=60,
                                                  sms_monthly_quota=100), now)
    return [f"marketing: {len(CLIENTS)} demo clients (loyal and dormant), sweep on (60 days)"]
