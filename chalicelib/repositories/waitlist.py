"""The waiting list's requests and settings in DynamoDB (domain/waitlist.py).

Keys:
  BIZ#<business>#WAIT   <request id>   a request; ids sort by creation, so the key order is oldest first and
                                       a creation-date filter is a key range
  BIZ#<business>#WAIT   SETTINGS       offer mode, hold minutes, fallback, the booking page's join form
  BIZ#<business>#WAITCAP  <email|phone>#<digest>   the booking page's open requests of one email or phone
                                       (request id -> end of its last window), versioned: written with a
                                       request joined online, only if unchanged since read (the cap's race)
  BIZ#<business>#WAITOF#<client id>  <request id>   the client's requests (export, erasure): written with
                                       the request, for its client or, joined online, the client records
                                       its email and phone belong to when it joins
While a request is open (waiting or offered) it also sits in the `agenda` index under `WAIT#<business>`,
sorted by the end of its last window: the requests a freed time may suit are one Query of that index from
the freed time on, never a scan of the list.

Services: `service_id` holds the first (every request has one; items written before sequences have only
it) and `service_ids` every service in order. The list's service filter is part of its one Query's filter
expression: `service_id = :s OR contains(service_ids, :s)` finds a request holding that service anywhere,
old items included, with no extra index entry per service.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

from ..domain.search import fold
from ..domain.waitlist import ClientRequest, Contact, RequestStatus, WaitlistRequest, Window, id_floor, search_text
from ..domain.waitlist_settings import WaitlistSettings
from ..errors import ConflictError, NotFoundError
from . import codecs
from .codecs import iso
from .tables import ContactItem, Item
from .transactions import connection

ROWS = 200  # requests read per page: one Query, each item well under 2 KB


class WaitlistRequestItem(Item, discriminator="waitlist_request"):
    id = UnicodeAttribute()
    business_id = UnicodeAttribute()
    contact = JSONAttribute()
    service_id = UnicodeAttribute()  # the first service
    service_ids = ListAttribute(of=UnicodeAttribute, null=True)  # all of them, in order (absent: only the first)
    staff_id = UnicodeAttribute()
    windows = JSONAttribute()
    first_day = UnicodeAttribute()  # of its windows, for the list's window filter
    last_day = UnicodeAttribute()
    created_by = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    expires_at = UTCDateTimeAttribute()
    status = UnicodeAttribute()
    notes = UnicodeAttribute(default="")
    text = UnicodeAttribute(default="")  # folded name, email, phone, notes: the text filter
    reference = UnicodeAttribute(null=True)
    offers = JSONAttribute(default=list)


class WaitlistOfItem(Item, discriminator="waitlist_of"):
    """Points from a client to one of their requests: no scan finds an erased client's requests."""

    request_id = UnicodeAttribute()


class WaitlistCapItem(Item, discriminator="waitlist_cap"):
    """The open requests one email or phone joined online (domain/waitlist.py MAX_OPEN_ONLINE); it expires
    (TTL) after the last of their windows."""

    open = JSONAttribute(default=dict)  # request id -> the end of its last window (ISO)
    version = NumberAttribute(default=0)


class WaitlistSettingsItem(Item, discriminator="waitlist_settings"):
    mode = UnicodeAttribute()
    hold_minutes = NumberAttribute()
    fallback = UnicodeAttribute()
    public_join = BooleanAttribute()
    updated_at = UTCDateTimeAttribute(null=True)


def wait_pk(business_id: str) -> str:
    return f"BIZ#{business_id}#WAIT"


def open_pk(business_id: str) -> str:
    return f"WAIT#{business_id}"


# -- codec ------------------------------------------------------------------------------------------------
def request_item(request: WaitlistRequest) -> WaitlistRequestItem:
    item = WaitlistRequestItem(
        pk=wait_pk(request.business_id), sk=request.id, id=request.id, business_id=request.business_id,
        contact={k: v for k, v in vars(request.contact).items() if v is not None},
        service_id=request.service_id, service_ids=list(request.service_ids), staff_id=request.staff_id,
        windows=[w.to_json() for w in request.windows],
        first_day=min(w.first_day for w in request.windows).isoformat(),
        last_day=max(w.last_day for w in request.windows).isoformat(),
        created_by=request.created_by, created_at=request.created_at, updated_at=request.updated_at,
        expires_at=request.expires_at, status=request.status.value, notes=request.notes,
        text=search_text(request.contact, request.notes), reference=request.reference, offers=list(request.offers),
    )
    if request.status.open:
        item.agenda_pk, item.agenda_sk = open_pk(request.business_id), f"{iso(request.expires_at)}#{request.id}"
    return item


def request(item: WaitlistRequestItem) -> WaitlistRequest:
    from ..domain.calendar import parse_clock

    return WaitlistRequest(
        id=item.id, business_id=item.business_id, contact=Contact(**item.contact), service_id=item.service_id,
        service_ids=tuple(item.service_ids or (item.service_id,)), staff_id=item.staff_id,
        windows=tuple(Window(date.fromisoformat(w["from"]), date.fromisoformat(w["to"]),
                             parse_clock(w["start"], field="start"), parse_clock(w["end"], field="end"))
                      for w in item.windows),
        created_by=item.created_by, created_at=item.created_at, updated_at=item.updated_at,
        expires_at=item.expires_at, status=RequestStatus(item.status), notes=item.notes or "",
        reference=item.reference, offers=tuple(item.offers or ()),
    )


codecs.ENCODERS[WaitlistRequest] = request_item  # a request rides in an agenda change when it is booked
codecs.ENCODERS[ClientRequest] = lambda p: WaitlistOfItem(pk=of_pk(p.business_id, p.client_id), sk=p.request_id,
                                                          request_id=p.request_id)


# -- reads ------------------------------------------------------------------------------------------------
def get(business_id: str, request_id: str) -> WaitlistRequest:
    if not (isinstance(request_id, str) and request_id.startswith("wl_") and len(request_id) <= 40):
        raise NotFoundError("no such request", field="request")
    try:
        return request(WaitlistRequestItem.get(wait_pk(business_id), request_id))
    except DoesNotExist:
        raise NotFoundError("no such request", field="request") from None


def page(business_id: str, filters: dict[str, Any], now: datetime, after: str | None,
         limit: int) -> tuple[list[WaitlistRequest], str | None]:
    """Requests oldest first matching `filters` (service, staff, status, day, created_from/_to, words): one
    Query of at most ROWS items, the filters applied by DynamoDB. A page may hold fewer than `limit`
    when many did not match: follow the cursor (None: the end)."""
    T = WaitlistRequestItem
    low = id_floor(filters["created_from"]) if filters.get("created_from") else "wl_"
    high = id_floor(filters["created_to"]) if filters.get("created_to") else "wl_~"
    condition = None

    def both(more):
        nonlocal condition
        condition = more if condition is None else condition & more

    if filters.get("service"):
        both((T.service_id == filters["service"]) | T.service_ids.contains(filters["service"]))
    if filters.get("staff"):
        both(T.staff_id == filters["staff"])
    if filters.get("day"):
        day = filters["day"].isoformat()
        both((T.first_day <= day) & (T.last_day >= day))
    for word in filters.get("words", ()):
        both(T.text.contains(fold(word)))
    status = filters.get("status")
    if status is RequestStatus.WAITING:
        both((T.status == "waiting") & (T.expires_at > now))
    elif status is RequestStatus.EXPIRED:
        both((T.status == "expired") | ((T.status == "waiting") & (T.expires_at <= now)))
    elif status is not None:
        both(T.status == status.value)
    start = {"pk": {"S": wait_pk(business_id)}, "sk": {"S": after}} if after else None
    rows = T.query(wait_pk(business_id), T.sk.between(low, high), filter_condition=condition,
                   limit=ROWS, page_size=ROWS, last_evaluated_key=start)
    found: list[WaitlistRequest] = []
    for item in rows:
        found.append(request(item))
        if len(found) == limit:
            break
    if len(found) == limit:
        return found, found[-1].id
    last = rows.last_evaluated_key
    return found, (last["sk"]["S"] if last else None)


def open_from(business_id: str, start: datetime) -> list[WaitlistRequest]:
    """Open requests whose last window ends after `start`, oldest first: one Query of the `agenda` index."""
    items = Item.agenda.query(open_pk(business_id), Item.agenda_sk > iso(start))
    found = [request(i) for i in items if isinstance(i, WaitlistRequestItem)]
    return sorted(found, key=lambda r: r.id)


# -- writes -----------------------------------------------------------------------------------------------
def add(request: WaitlistRequest, counted: "Counted | None" = None) -> None:
    """The request and its pointers from the clients it is for, together; joined online, also its contact's
    open requests (`counted`), only if no other join changed them since they were read (else ConflictError
    `joined_meanwhile`: read again)."""
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(request_item(request), condition=Item.pk.does_not_exist())
            for client_id in _owners(request):
                tx.save(WaitlistOfItem(pk=of_pk(request.business_id, client_id), sk=request.id,
                                       request_id=request.id))
            if counted is not None:
                until = max(counted.open.values())
                for key in counted.keys:
                    version = counted.versions.get(key)
                    tx.save(WaitlistCapItem(pk=cap_pk(request.business_id), sk=key, version=(version or 0) + 1,
                                            open={i: iso(e) for i, e in counted.open.items()},
                                            expires_at=until + timedelta(days=1)),
                            condition=Item.pk.does_not_exist() if version is None
                            else WaitlistCapItem.version == version)
    except TransactWriteError:
        if counted is None:
            raise
        raise ConflictError("another request was joined with these details meanwhile", field="client",
                            code="joined_meanwhile") from None


@dataclass(frozen=True)
class Counted:
    """One contact's open online requests as a join writes them: its keys, the versions read, and the
    requests still open with the new one (id -> end of its last window)."""

    keys: tuple[str, ...]
    versions: dict[str, int]
    open: dict[str, datetime]


def cap_pk(business_id: str) -> str:
    return f"BIZ#{business_id}#WAITCAP"


def joined_online(business_id: str, keys: tuple[str, ...], now: datetime) -> tuple[dict[str, int], list[WaitlistRequest]]:
    """(the versions of the contact's cap items, their requests whose windows have not all passed): one batch
    read of the items, one of the requests."""
    items = list(WaitlistCapItem.batch_get([(cap_pk(business_id), k) for k in keys])) if keys else []
    ids = {i for item in items for i, until in (item.open or {}).items() if until > iso(now)}
    found = WaitlistRequestItem.batch_get([(wait_pk(business_id), i) for i in sorted(ids)]) if ids else []
    return {item.sk: int(item.version) for item in items}, sorted((request(i) for i in found), key=lambda r: r.id)


def forget_joined(business_id: str, keys: tuple[str, ...]) -> int:
    """Erasure: the contact's cap items go (they name no address, but they are about the person)."""
    gone = 0
    for key in keys:
        try:
            WaitlistCapItem(pk=cap_pk(business_id), sk=key).delete(condition=Item.pk.exists())
            gone += 1
        except DeleteError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
    return gone


def _owners(request: WaitlistRequest) -> list[str]:
    """Its client, or (joined online with details) the client records its email and phone name: one batch read."""
    c = request.contact
    if c.client_id:
        return [c.client_id]
    keys = [(f"BIZ#{request.business_id}#CONTACT", k) for k in (c.email and f"email#{c.email}",
                                                                 c.phone and f"phone#{c.phone}") if k]
    return sorted({i.client_id for i in ContactItem.batch_get(keys)}) if keys else []


def of_pk(business_id: str, client_id: str) -> str:
    return f"BIZ#{business_id}#WAITOF#{client_id}"


def client_requests(business_id: str, client_id: str) -> list[WaitlistRequest]:
    """The client's requests, oldest first: one query of their pointers, one batch read of the requests."""
    keys = [(wait_pk(business_id), i.request_id) for i in WaitlistOfItem.query(of_pk(business_id, client_id))]
    found = WaitlistRequestItem.batch_get(keys) if keys else []
    return sorted((request(i) for i in found), key=lambda r: r.id)


def replace(before: WaitlistRequest, after: WaitlistRequest) -> None:
    """Write `after` if the stored request is still `before` (else ConflictError `request_changed`)."""
    try:
        request_item(after).save(WaitlistRequestItem.updated_at == before.updated_at)
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise ConflictError("the request was changed meanwhile; reload it", field="request",
                                code="request_changed") from None
        raise


def settings(business_id: str) -> WaitlistSettings:
    try:
        item = WaitlistSettingsItem.get(wait_pk(business_id), "SETTINGS")
    except DoesNotExist:
        return WaitlistSettings()
    return WaitlistSettings.from_json({"mode": item.mode, "hold_minutes": int(item.hold_minutes),
                                       "fallback": item.fallback, "public_join": item.public_join})


def save_settings(business_id: str, value: WaitlistSettings, now: datetime) -> None:
    WaitlistSettingsItem(pk=wait_pk(business_id), sk="SETTINGS", mode=value.mode.value,
                         hold_minutes=value.hold_minutes, fallback=value.fallback.value,
                         public_join=value.public_join, updated_at=now).save()
