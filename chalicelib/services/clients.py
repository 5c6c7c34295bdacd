"""What staff do with clients: register, correct, look up, find. Who may see whom is decided here."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from ..domain.principal import Level, Principal
from ..domain import search
from ..domain.clients import ClientProfile
from ..domain.model import Appointment, new_id
from ..domain.retention import ClientSeen
from ..errors import ConflictError, NotFoundError, ValidationError
from ..repositories import search_index
from ..repositories.clients import ClientRepository, valid_id
from . import audit

MAX_PAGE = 100
DEFAULT_PAGE = 25
FIELDS = ("first_name", "last_name", "email", "phone", "mobile", "fiscal_code", "notes")


@dataclass(frozen=True)
class ClientPage:
    clients: list[ClientProfile]
    cursor: str | None


def create(repo: ClientRepository, principal: Principal, fields: dict, now: datetime) -> ClientProfile:
    """A new client; their email and numbers must not belong to another client of the business."""
    profile = ClientProfile(id=new_id("cli"), created_at=now, updated_at=now,
                            **{"first_name": "", "last_name": "", **fields})
    _check_complete(profile)
    entry = audit.entry(principal, "client.create", "client", profile.id, None, audit_view(profile), now)
    seen = ClientSeen(principal.business_id, profile.id, now)  # retention counts idle time from here
    return repo.create(principal.business_id, profile, also=[entry, seen])


def update(repo: ClientRepository, principal: Principal, client_id: str, changes: dict,
           now: datetime) -> tuple[ClientProfile, ClientProfile]:
    """(before, after). Fields not named keep their value; null clears an optional one."""
    before = visible(repo, principal, client_id)
    refuse_erased(before)
    after = replace(before, updated_at=now, **changes)
    _check_complete(after)
    if all(getattr(after, f) == getattr(before, f) for f in FIELDS):
        return before, before
    entry = audit.entry(principal, "client.update", "client", client_id, audit_view(before), audit_view(after), now)
    return before, repo.update(principal.business_id, before, after, also=[entry])


def refuse_erased(profile: ClientProfile) -> None:
    """An erased client is kept only as a pseudonym for the accounts: nobody is to be written back into it."""
    if profile.erased_at is not None:
        raise ConflictError("this client was erased; register them again as a new client", field="client",
                            code="client_erased")


def audit_view(profile: ClientProfile) -> dict:
    """What the audit log keeps of a client (it is for administrators: contacts included)."""
    return {name: getattr(profile, name) for name in FIELDS}


def visible(repo: ClientRepository, principal: Principal, client_id: str) -> ClientProfile:
    """The client, if the caller may see them; otherwise the same 404 as for no client at all."""
    profile = repo.get(principal.business_id, client_id)
    if principal.level == Level.PROFESSIONAL_OWN and not _served_by(repo, principal, client_id):
        raise NotFoundError("no such client", field="client")
    return profile


def with_history(repo: ClientRepository, principal: Principal,
                 client_id: str) -> tuple[ClientProfile, list[Appointment]]:
    """The client and their appointments, newest first; level 7 sees only its own among them."""
    profile = visible(repo, principal, client_id)
    history = repo.history(principal.business_id, client_id)
    if principal.level == Level.PROFESSIONAL_OWN:
        history = [a for a in history if a.staff_id == principal.staff_id]
    return profile, history


def find(repo: ClientRepository, principal: Principal, query: str | None, cursor: str | None,
         limit: int | None) -> ClientPage:
    """Clients having every word of `query` (all clients when it is empty), a page at a time."""
    size = page_size(limit)
    own_only = principal.level == Level.PROFESSIONAL_OWN
    if query and query.strip():
        asked = search.parse_query(query)
        after = search.resume_after(cursor, asked)
        served: dict[str, bool] = {}

        def accept(client_id: str) -> bool:
            if not own_only:
                return True
            if client_id not in served:
                served[client_id] = _served_by(repo, principal, client_id)
            return served[client_id]

        ids, last = search_index.find(principal.business_id, search.CLIENTS, asked,
                                      contacts=principal.sees_contacts, after=after, limit=size, accept=accept)
        found = repo.many(principal.business_id, ids)
        clients = [found[i] for i in ids if i in found]
        return ClientPage(clients, search.encode_cursor({"q": list(asked.words), "after": last}) if last else None)
    position = search.decode_cursor(cursor) or {}
    after = position.get("after")
    if (after is not None and not valid_id(after)) or "q" in position:
        raise ValidationError("not a cursor this API returned", field="cursor", code="invalid_cursor")
    if own_only:
        raise ValidationError("type a name, number or word to find one of your clients", field="q",
                              code="required")
    clients, last = repo.page(principal.business_id, after, size)
    return ClientPage(clients, search.encode_cursor({"after": last}) if last else None)


def _served_by(repo: ClientRepository, principal: Principal, client_id: str) -> bool:
    return any(a.staff_id == principal.staff_id for a in repo.history(principal.business_id, client_id))


def _check_complete(profile: ClientProfile) -> None:
    if not profile.first_name:
        raise ValidationError("this field is required", field="first_name", code="required")


def page_size(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_PAGE
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError(f"between 1 and {MAX_PAGE}", field="limit", code="out_of_range")
    return limit
