"""The calendar invitation attached to emails (RFC 5545 / iTIP RFC 5546), built with icalendar.

- UID is stable per appointment (its reference), so a moved booking updates the same calendar entry
  and a cancelled one removes it.
- SEQUENCE must grow with every revision. Instead of storing a counter we use the seconds from
  2020-01-01 to the appointment's `updated_at`: every change (confirm, reschedule, cancel) moves
  `updated_at` forward, so the number grows without another write (and fits 32 bits until 2088).
- METHOD REQUEST on confirmed and rescheduled, CANCEL (STATUS CANCELLED) on cancelled, so calendar
  apps drop the entry. iTIP needs an ORGANIZER for both: the sending address, named after the
  business. Without a sender we fall back to METHOD PUBLISH (a plain event to import).
- Times are written in UTC: every calendar app shows them in its own zone, no VTIMEZONE needed.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Mapping

from ..domain.model import Appointment

SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)
PRODID = "-//Turno//Appointments//EN"
REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"


def uid(reference: str) -> str:
    return f"{reference}@turno"


def sequence(appointment: Appointment) -> int:
    return max(0, int((appointment.updated_at - SEQUENCE_EPOCH).total_seconds()))


def invitation(appointment: Appointment, values: Mapping[str, Any], *, method: str, description: str,
               sender: str | None = None, attendee: str | None = None) -> bytes:
    """An .ics with one VEVENT for the appointment; `values` are render.context()'s variables."""
    from icalendar import Calendar, Event, vCalAddress, vText

    if method not in (REQUEST, CANCEL):
        raise ValueError(f"unsupported METHOD {method}")
    if sender is None:
        method = PUBLISH if method == REQUEST else method
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)

    event = Event()
    event.add("uid", uid(appointment.reference))
    event.add("sequence", sequence(appointment))
    event.add("dtstamp", appointment.updated_at.astimezone(timezone.utc))
    event.add("dtstart", appointment.start.astimezone(timezone.utc))
    event.add("dtend", appointment.end.astimezone(timezone.utc))
    event.add("summary", f"{values['service']['name']} · {values['business']['name']}")
    event.add("description", description)
    if values.get("desk", {}).get("name"):  # where: the desk, at the business
        event.add("location", f"{values['desk']['name']} · {values['business']['name']}")
    if values.get("manage_url"):
        event.add("url", values["manage_url"])
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if sender:
        organizer = vCalAddress(f"mailto:{sender}")
        organizer.params["cn"] = vText(values["business"]["name"])
        event.add("organizer", organizer)
    if sender and attendee:
        guest = vCalAddress(f"mailto:{attendee}")
        guest.params["cn"] = vText(values["client"]["name"])
        guest.params["role"] = vText("REQ-PARTICIPANT")
        guest.params["partstat"] = vText("ACCEPTED")  # the client booked it: nothing to answer
        guest.params["rsvp"] = vText("FALSE")
        event.add("attendee", guest)
    calendar.add_component(event)
    return calendar.to_ical()
