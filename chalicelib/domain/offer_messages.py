"""The outbox entry of a waiting-list offer: "a time is held for you" when a round starts, "it ended" when a
hold runs out. Written in the same transaction as the opening's step (repositories/openings.write), with an
id made of the opening, the round and the request: a retried job, a redelivered stream record or an
overlapping run that repeats a step cannot write a second entry (the step itself is conditional on the
opening as read, and the entry on not existing), so each offer round is told once.

The request's contact is kept in the entry: a request may be for someone who is not a client yet."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from .messages import MessageKind, OutboxMessage
from .openings import Opening, OpeningStatus
from .waitlist import WaitlistRequest

PREFIX = {MessageKind.OFFER: "ofr", MessageKind.OFFER_EXPIRED: "ofx"}


def offer_message(opening: Opening, request: WaitlistRequest, kind: MessageKind, round_: int,
                  now: datetime) -> OutboxMessage:
    contact = request.contact
    appointment = replace(opening.as_appointment(), client_id=contact.client_id or request.id)
    return OutboxMessage(
        id=f"{PREFIX[kind]}_{opening.id}_{round_}_{request.id}", appointment=appointment, kind=kind, due=now,
        offer={"request": request.id, "round": round_, "opening": opening.id,
               "held_until": opening.held_until.isoformat() if opening.held_until else None,
               "contact": {"first_name": contact.first_name, "last_name": contact.last_name,
                           "email": contact.email, "phone": contact.phone, "client_id": contact.client_id}})


def step_messages(before: Opening | None, after: Opening, requests: dict[str, WaitlistRequest],
                  outcome: str | None, now: datetime) -> list[OutboxMessage]:
    """What one step of an opening tells: the holder whose hold ran out (not one who declined: they know),
    the new holder of a round that starts, and, when the time is offered to everyone (the mode, or the
    fallback), each request newly told, under round 0 (no hold: the first to accept books)."""
    found = []
    if before is not None and outcome == "expired" and before.status is OpeningStatus.HELD \
            and before.holder in requests:
        found.append(offer_message(before, requests[before.holder], MessageKind.OFFER_EXPIRED, before.round, now))
    starts = after.status is OpeningStatus.HELD and (
        before is None or before.status is not OpeningStatus.HELD or before.round != after.round)
    if starts and after.holder in requests:
        found.append(offer_message(after, requests[after.holder], MessageKind.OFFER, after.round, now))
    if after.status is OpeningStatus.OFFERED:
        told_before = set(before.offered) if before is not None and before.status is OpeningStatus.OFFERED else set()
        found += [offer_message(after, requests[r], MessageKind.OFFER, 0, now)
                  for r in after.offered if r not in told_before and r in requests]
    return found


def worth_sending_until(message: OutboxMessage) -> datetime:
    """Until when a refused send is tried again: an offer until its hold ends (its link is no use after), an
    "it ended" notice until the time itself starts, any other message until its appointment starts."""
    held = (message.offer or {}).get("held_until") if message.kind is MessageKind.OFFER else None
    return datetime.fromisoformat(held) if held else message.appointment.start
