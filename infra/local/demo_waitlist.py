"""The demo salon's waiting list for `make dev`: a few clients waiting for a time that suits them.

A devstack step (infra/local/devstack.py STEPS). Idempotent: a restart with kept data finds the requests
already there and adds none; with fresh data their windows start tomorrow, so they are open, oldest first.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

DEMO_ID = "biz_demo"
# (first name, last name, email, phone, service(s) ("a+b": one after the other), professional, days ahead, days long, from, to, hours ago, by)
REQUESTS = [
    ("Carmen", "Ortiz", "carmen.ortiz@example.com", "+34611400101", "svc_cut", "stf_lucia", 1, 5, "09:00", "13:00", 72, "desk"),
    ("Javier", "Ruiz", None, "+34611400102", "svc_beard", "any", 1, 7, "16:00", "20:00", 50, "desk"),
    ("Elena", "Martín", "elena.martin@example.com", None, "svc_color", "stf_sara", 3, 5, "09:00", "13:00", 26, "client"),
    ("Pablo", "Gómez", "pablo.gomez@example.com", "+34611400104", "svc_cut_style+svc_beard", "any", 1, 2, "10:00", "19:00", 2, "client"),
]


def provision(env: dict[str, str]) -> list[str]:
    from chalicelib.domain.calendar import parse_clock
    from chalicelib.domain.waitlist import Contact, WaitlistRequest, Window, last_end, new_request_id
    from chalicelib.repositories import waitlist

    now = datetime.now(timezone.utc)
    found, _ = waitlist.page(DEMO_ID, {}, now, None, 1)
    if found:
        return ["waiting list: already there"]
    tz = ZoneInfo("Europe/Madrid")
    today = now.astimezone(tz).date()
    for first, last, email, phone, service, staff, ahead, days, start, end, ago, by in REQUESTS:
        created = now - timedelta(hours=ago)
        windows = (Window(today + timedelta(days=ahead), today + timedelta(days=ahead + days - 1),
                          parse_clock(start, field="start"), parse_clock(end, field="end")),)
        waitlist.add(WaitlistRequest(
            id=new_request_id(created), business_id=DEMO_ID, contact=Contact(first, last, email, phone),
            service_id=service.split("+")[0], service_ids=tuple(service.split("+")), staff_id=staff, windows=windows, created_by="client" if by == "client" else "stf_lucia",
            created_at=created, updated_at=created, expires_at=last_end(windows, tz)))
    return [f"waiting list: {len(REQUESTS)} demo requests"]


