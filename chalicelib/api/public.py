"""Public booking API: no login; a client sees a business's offer and books a slot."""
from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Response

from .. import observability, wiring
from ..config import settings
from ..domain.access import manage_token
from ..domain.booking import ANY
from ..domain.changes import change_deadline, client_may_change
from ..domain.contact import normal_email, normal_phone
from ..domain.fields import reject_unknown
from ..errors import ValidationError
from ..later import later
from .availability_json import availability_response
from .public_plans import coverage_json
from .http import Api, client_address, json_body, parse_date, parse_instant, query, text

if TYPE_CHECKING:
    from ..services.booking import Booking, BookingRequest

online_booking = later("chalicelib.services.booking")
consents = later("chalicelib.services.consents")
idempotency = later("chalicelib.services.idempotency")

public = Api(__name__)
BOOKING_FIELDS = {"service", "staff", "start", "client", "code", "desk", "marketing"}
CLIENT_FIELDS = {"first_name", "last_name", "email", "phone", "notes"}


@public.route("/public/{business}", methods=["GET"])
def business_profile(business: str) -> dict:
    found = online_booking.business(wiring.store(), business)
    rules = found.rules
    return {
        "slug": found.slug,
        "name": found.name,
        "timezone": found.timezone,
        "locale": found.locale,
        "currency": found.currency,
        "requires_code": bool(found.secret_code),
        "booking_rules": {
            "slot_step_minutes": rules.slot_step_minutes,
            "min_notice_minutes": rules.min_notice_minutes,
            "horizon_days": rules.horizon_days,
            "approval": rules.approval.value,
        },
    }


@public.route("/public/{business}/services", methods=["GET"])
def services(business: str) -> dict:
    request = public.current_request
    found, offered = online_booking.public_services(wiring.store(), business, query(request, "code", required=False),
                                                    client_address(request), wiring.now())
    return {"services": [
        {
            "id": s.id, "name": s.name, "description": s.description, "category": s.category,
            "duration_minutes": s.duration_minutes, "price": f"{s.price:.2f}", "currency": found.currency,
        }
        for s in offered
    ]}


@public.route("/public/{business}/staff", methods=["GET"])
def staff(business: str) -> dict:
    request = public.current_request
    members = online_booking.staff_for(wiring.store(), business, query(request, "service"),
                                query(request, "code", required=False), client_address(request), wiring.now())
    return {"staff": [{"id": m.id, "name": m.name} for m in members]}


@public.route("/public/{business}/availability", methods=["GET"])
def availability(business: str) -> Response:
    request = public.current_request
    first, last = parse_date(query(request, "from"), "from"), parse_date(query(request, "to"), "to")
    catalog, slots = online_booking.availability(
        wiring.store(), business, query(request, "service"), query(request, "staff", required=False) or ANY,
        first, last, query(request, "code", required=False), client_address(request), wiring.now(),
        query(request, "desk", required=False),
    )
    found = catalog.business
    closed = catalog.special_days.closed_days(first, last, found.opening_hours)
    return availability_response(found.timezone, found.tz, slots, closed)


@public.route("/public/{business}/bookings", methods=["POST"])
def create_booking(business: str) -> Response:
    request = public.current_request
    body = json_body(request, BOOKING_FIELDS)
    key = (request.headers or {}).get("idempotency-key")
    address = client_address(request)
    if key:
        result = idempotency.once(_book, business=business, key=key, body=body, address=address,
                                  lambda_context=request.lambda_context)
    else:
        result = _book(request={"business": business, "body": body, "address": address})
    return Response(body=result, status_code=201)


def _book(request: dict) -> dict:
    marketing = parse_marketing(request["body"].get("marketing"))
    booking = online_booking.book(wiring.store(), request["business"], parse_booking(request["body"]),
                           request["address"], wiring.now(), wiring.plans())
    observability.booked("public", booking.appointment.reference, booking.business.id)  # not on a replay
    if marketing:
        consents.record_from_booking(booking.business.id, booking.business.name, booking.appointment.client_id,
                                     marketing, wiring.now())
    body = booking_json(booking, with_token=True)
    if booking.coverage is not None:  # the business sells plans: what the client's plans covered
        online_payment = bool(booking.coverage.case) and wiring.plans().settings(booking.business.id).online_payment
        body["plan"] = coverage_json(booking.coverage, online_payment)
    return body


def parse_marketing(value) -> dict | None:
    """The booking form's two marketing boxes (unticked unless the client ticked them) and the page's language,
    whose words are recorded with the consent; None when nothing was ticked."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValidationError("an object with email, sms and language", field="marketing", code="wrong_type")
    reject_unknown(value, {"email", "sms", "language"}, prefix="marketing.")
    for name in ("email", "sms"):
        if not isinstance(value.get(name, False), bool):
            raise ValidationError("true or false", field=f"marketing.{name}", code="wrong_type")
    language = value.get("language", "en")
    if language not in consents.LANGUAGES:
        raise ValidationError(f"one of {', '.join(consents.LANGUAGES)}", field="marketing.language",
                              code="invalid_choice")
    chosen = {name: value.get(name, False) for name in ("email", "sms")}
    return {**chosen, "language": language} if any(chosen.values()) else None


@public.route("/public/bookings/{reference}", methods=["GET"])
def booking(reference: str) -> dict:
    token = query(public.current_request, "token", required=False)
    return booking_json(online_booking.booking_for_holder(wiring.store(), reference, token, settings().signing_key))


@public.route("/public/bookings/{reference}/cancel", methods=["POST"])
def cancel_booking(reference: str) -> dict:
    token = _manage_token(json_body(public.current_request, {"token"}))
    return booking_json(online_booking.cancel_by_client(wiring.store(), reference, token, settings().signing_key,
                                                 wiring.now()))


@public.route("/public/bookings/{reference}/reschedule", methods=["POST"])
def reschedule_booking(reference: str) -> dict:
    body = json_body(public.current_request, {"start", "staff", "token"})
    staff_id = body.get("staff")
    if staff_id is not None and not isinstance(staff_id, str):
        raise ValidationError("must be a string", field="staff", code="wrong_type")
    moved = online_booking.reschedule_by_client(wiring.store(), reference, _manage_token(body), settings().signing_key,
                                         parse_instant(body.get("start"), "start"), staff_id, wiring.now())
    return booking_json(moved)


def _manage_token(body: dict) -> str | None:
    """The manage token, from the link's query string or the JSON body."""
    return query(public.current_request, "token", required=False) or text(body, "token", required=False)


def parse_booking(body: dict) -> BookingRequest:
    client = body.get("client")
    if not isinstance(client, dict):
        raise ValidationError("client details are required", field="client", code="required")
    reject_unknown(client, CLIENT_FIELDS, prefix="client.")
    email = text(client, "email", prefix="client.", required=False, max_length=254)
    phone = text(client, "phone", prefix="client.", required=False, max_length=40)
    if not email and not phone:
        raise ValidationError("an email or a phone number is needed to reach you", field="client.phone",
                              code="required")
    staff_id = body.get("staff") or ANY
    if not isinstance(staff_id, str):
        raise ValidationError("must be a string", field="staff", code="wrong_type")
    return online_booking.BookingRequest(
        desk_id=text(body, "desk", required=False, max_length=64),
        service_id=text(body, "service"),
        staff_id=staff_id,
        start=parse_instant(body.get("start"), "start"),
        client=online_booking.ClientDetails(
            first_name=text(client, "first_name", prefix="client.", max_length=100),
            last_name=text(client, "last_name", prefix="client.", max_length=100),
            email=normal_email(email, field="client.email") if email else None,
            phone=normal_phone(phone, field="client.phone") if phone else None,
            notes=text(client, "notes", prefix="client.", required=False, max_length=1000, multiline=True) or "",
        ),
        code=text(body, "code", required=False, max_length=64),
    )


def booking_json(booking: Booking, *, with_token: bool = False) -> dict:
    appointment, tz = booking.appointment, booking.business.tz
    deadline = change_deadline(booking.business, appointment) if appointment.status.holds_time else None
    body = {
        "reference": appointment.reference,
        "status": appointment.status.value,
        "start": appointment.start.astimezone(tz).isoformat(),
        "end": appointment.end.astimezone(tz).isoformat(),
        "service": appointment.service_id,
        "service_name": booking.service.name if booking.service else None,
        "staff": appointment.staff_id,
        "staff_name": booking.staff.name if booking.staff else None,
        "price": f"{appointment.price:.2f}",
        "currency": appointment.currency,
        "business": booking.business.slug,
        "business_name": booking.business.name,
        "business_phone": booking.business.phone,
        "timezone": booking.business.timezone,
        "change_until": deadline.astimezone(tz).isoformat() if deadline else None,
        "can_change": client_may_change(booking.business, appointment, wiring.now()),
        "covered_by_plan": appointment.plan is not None,
    }
    desk = booking.desk
    if desk is not None and booking.business.rules.show_desk:  # the business chooses to say where
        body["desk"] = {"id": desk.id, "number": desk.number, "name": desk.label}
    if with_token:
        body["manage_token"] = manage_token(settings().signing_key, appointment.reference)
    return body
