"""Clients in DynamoDB for the backoffice: profile, contact keys and search words move together."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import Any, Iterable, Sequence

from pynamodb.exceptions import DoesNotExist

from ..domain.clients import ClientProfile, contact_field
from ..domain.model import Appointment
from ..domain.search import SearchEntry, client_entries, index_changes
from ..errors import ConflictError, NotFoundError
from . import codecs
from .codecs import history_pk
from .tables import AppointmentItem, ClientAppointmentItem, ClientItem, ContactItem, Item
from .transactions import Refusals, Transaction

_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class ContactInUseError(ConflictError):
    """Another client of the business already has this email or number."""

    code = "contact_in_use"


def client_pk(business_id: str) -> str:
    return f"BIZ#{business_id}#CLIENT"


def _contact_pk(business_id: str) -> str:
    return f"BIZ#{business_id}#CONTACT"


class ClientRepository:
    def get(self, business_id: str, client_id: str) -> ClientProfile:
        if not valid_id(client_id):
            raise NotFoundError("no such client", field="client")
        try:
            return codecs.client_profile(ClientItem.get(client_pk(business_id), client_id))
        except DoesNotExist:
            raise NotFoundError("no such client", field="client") from None

    def many(self, business_id: str, client_ids: Iterable[str]) -> dict[str, ClientProfile]:
        keys = [(client_pk(business_id), cid) for cid in dict.fromkeys(client_ids)]
        return {item.id: codecs.client_profile(item) for item in ClientItem.batch_get(keys)} if keys else {}

    def page(self, business_id: str, after: str | None, limit: int) -> tuple[list[ClientProfile], str | None]:
        """Every client, in id order, `limit` at a time: one query."""
        condition = ClientItem.sk > after if after else None
        items = list(ClientItem.query(client_pk(business_id), condition, limit=limit + 1))
        found = [codecs.client_profile(i) for i in items[:limit]]
        return found, (found[-1].id if len(items) > limit else None)

    def holders(self, business_id: str, keys: list[str]) -> dict[str, str]:
        """contact key -> the client id holding it, for the keys that are held."""
        if not keys:
            return {}
        found = ContactItem.batch_get([(_contact_pk(business_id), k) for k in keys], consistent_read=True)
        return {item.sk: item.client_id for item in found}

    def create(self, business_id: str, profile: ClientProfile, also: Sequence[Any] = ()) -> ClientProfile:
        """The client, their contact keys and search words (and `also`: the audit entry) in one transaction."""
        self._check_contacts(business_id, profile, profile.contact_keys())
        self._transact(business_id, profile, None, puts=profile.contact_keys(), deletes=[],
                       word_puts=sorted(_entries(business_id, profile)), word_deletes=[], also=also)
        return profile

    def update(self, business_id: str, before: ClientProfile, after: ClientProfile,
               also: Sequence[Any] = ()) -> ClientProfile:
        """Store an edit: contact keys and search words follow the fields that changed.

        A key another client holds is refused (`contact_in_use`, naming the field); an edit that lands
        after someone else's since `before` was read is refused (`client_changed`)."""
        old_keys, new_keys = before.contact_keys(), after.contact_keys()
        added = [k for k in new_keys if k not in old_keys]
        removed = [k for k in old_keys if k not in new_keys]
        self._check_contacts(business_id, after, added)
        new_words = _entries(business_id, after)
        _, stale = index_changes(_entries(business_id, before), new_words)
        after = replace(after, revision=before.revision + 1)
        # every entry is put again, not only the changed ones: a client indexed before prefix search
        # (jobs/reindex.py) is re-indexed by their next edit
        self._transact(business_id, after, before, puts=added, deletes=removed,
                       word_puts=sorted(new_words), word_deletes=stale, also=also)
        return after

    def _check_contacts(self, business_id: str, profile: ClientProfile, keys: list[str]) -> None:
        for key, holder in self.holders(business_id, keys).items():
            if holder != profile.id:
                field = contact_field(key, profile)
                raise ContactInUseError(f"another client already has this {field}", field=field)

    def _transact(self, business_id: str, profile: ClientProfile, before: ClientProfile | None, *,
                  puts: list[str], deletes: list[str], word_puts: list[SearchEntry], word_deletes: list[SearchEntry],
                  also: Sequence[Any] = ()) -> None:
        item = codecs.client_item(business_id, profile)
        if before is None:
            condition = Item.pk.does_not_exist()
        elif before.revision:
            condition = ClientItem.revision == before.revision
        else:
            condition = ClientItem.revision.does_not_exist() & Item.pk.exists()
        contact_pk = _contact_pk(business_id)
        refusals: Refusals = {
            "changed": lambda: ConflictError("the client was changed meanwhile; reload it", code="client_changed"),
            "contact": lambda: ContactInUseError("another client has just been given these details",
                                                 field="email" if profile.email else "phone"),
        }
        with Transaction(refusals) as tx:
            for key in deletes:
                tx.delete(ContactItem(pk=contact_pk, sk=key), ContactItem.client_id == profile.id, refused="changed")
            for word in word_deletes:
                tx.delete(codecs.search_item(word))
            tx.save(item, condition, refused="changed" if before is not None else "contact")
            for key in puts:
                tx.save(ContactItem(pk=contact_pk, sk=key, client_id=profile.id), Item.pk.does_not_exist(),
                        refused="contact")
            for word in word_puts:
                tx.save(codecs.search_item(word))
            for record in also:
                tx.save(codecs.item_of(record))

    # -- history and search --------------------------------------------------------------------
    def history(self, business_id: str, client_id: str) -> list[Appointment]:
        """The client's appointments, newest first: one query and one batch read."""
        references = [link.reference for link in ClientAppointmentItem.query(history_pk(business_id, client_id))]
        if not references:
            return []
        items = AppointmentItem.batch_get([(f"APPT#{r}", "APPT") for r in references])
        found = [codecs.appointment(i) for i in items if i.business_id == business_id]
        return sorted(found, key=lambda a: (a.start, a.reference), reverse=True)


def valid_id(value: object) -> bool:
    """Ids are short and plain; anything else cannot name a record (and must not reach a key)."""
    return isinstance(value, str) and bool(_ID.fullmatch(value))


def _entries(business_id: str, profile: ClientProfile) -> set[SearchEntry]:
    return client_entries(business_id, profile.id, profile.first_name, profile.last_name, profile.fiscal_code,
                          profile.email, profile.phone, profile.mobile)
