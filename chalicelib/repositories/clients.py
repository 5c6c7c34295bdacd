"""Clients in DynamoDB for the backoffice: profile, contact keys and search words move together."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import Any, Callable, Iterable, Sequence

from pynamodb.exceptions import DoesNotExist

from ..domain.clients import ClientProfile, contact_field
from ..domain.model import Appointment
from ..domain.search import CONTACT, ClientWord, client_index
from ..errors import ConflictError, NotFoundError
from . import codecs
from .codecs import history_pk, word_pk
from .tables import AppointmentItem, ClientAppointmentItem, ClientItem, ContactItem, Item, SearchWordItem
from .transactions import Refusals, Transaction

_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
HIGH = "~"  # sorts after every character of a client id or an origin (ASCII)


class ContactInUseError(ConflictError):
    """Another client of the business already has this email or number."""

    code = "contact_in_use"


def _client_pk(business_id: str) -> str:
    return f"BIZ#{business_id}#CLIENT"


def _contact_pk(business_id: str) -> str:
    return f"BIZ#{business_id}#CONTACT"


class ClientRepository:
    def get(self, business_id: str, client_id: str) -> ClientProfile:
        if not valid_id(client_id):
            raise NotFoundError("no such client", field="client")
        try:
            return codecs.client_profile(ClientItem.get(_client_pk(business_id), client_id))
        except DoesNotExist:
            raise NotFoundError("no such client", field="client") from None

    def many(self, business_id: str, client_ids: Iterable[str]) -> dict[str, ClientProfile]:
        keys = [(_client_pk(business_id), cid) for cid in dict.fromkeys(client_ids)]
        return {item.id: codecs.client_profile(item) for item in ClientItem.batch_get(keys)} if keys else {}

    def page(self, business_id: str, after: str | None, limit: int) -> tuple[list[ClientProfile], str | None]:
        """Every client, in id order, `limit` at a time: one query."""
        condition = ClientItem.sk > after if after else None
        items = list(ClientItem.query(_client_pk(business_id), condition, limit=limit + 1))
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
        words = _word_keys(business_id, profile)
        self._transact(business_id, profile, None, puts=profile.contact_keys(), deletes=[],
                       word_puts=words, word_deletes=set(), also=also)
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
        old_words, new_words = _word_keys(business_id, before), _word_keys(business_id, after)
        after = replace(after, revision=before.revision + 1)
        self._transact(business_id, after, before, puts=added, deletes=removed,
                       word_puts=new_words - old_words, word_deletes=old_words - new_words, also=also)
        return after

    def _check_contacts(self, business_id: str, profile: ClientProfile, keys: list[str]) -> None:
        for key, holder in self.holders(business_id, keys).items():
            if holder != profile.id:
                field = contact_field(key, profile)
                raise ContactInUseError(f"another client already has this {field}", field=field)

    def _transact(self, business_id: str, profile: ClientProfile, before: ClientProfile | None, *,
                  puts: list[str], deletes: list[str], word_puts: set[ClientWord], word_deletes: set[ClientWord],
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
            for word in sorted(word_deletes):
                tx.delete(codecs.word_item(word))
            tx.save(item, condition, refused="changed" if before is not None else "contact")
            for key in puts:
                tx.save(ContactItem(pk=contact_pk, sk=key, client_id=profile.id), Item.pk.does_not_exist(),
                        refused="contact")
            for word in sorted(word_puts):
                tx.save(codecs.word_item(word))
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

    def search(self, business_id: str, words: list[str], *, contacts: bool, after: str | None, limit: int,
               accept: Callable[[str], bool] = lambda _: True) -> tuple[list[str], str | None]:
        """Ids of clients who have every word, in id order, and where the next page starts.

        The first word drives: its items are read in order of client id, from the cursor on. The
        other words are read whole (one query each) and intersected. Nothing is scanned.
        `contacts=False` ignores words that come from email, phone and mobile (access level 6).
        """
        others = [self._clients_with(business_id, w, contacts) for w in words[1:]]
        first = words[0]
        low = f"{first}#{after}#{HIGH}" if after else f"{first}#"
        items = SearchWordItem.query(word_pk(business_id), SearchWordItem.sk.between(low, f"{first}#{HIGH}"),
                                     page_size=200)
        found: list[str] = []
        more = False
        for item in items:
            client_id, origin = _client_and_origin(item.sk)
            if (not contacts and origin == CONTACT) or (found and found[-1] == client_id):
                continue
            if not all(client_id in other for other in others) or not accept(client_id):
                continue
            if len(found) == limit:
                more = True
                break
            found.append(client_id)
        return found, (found[-1] if more else None)

    def _clients_with(self, business_id: str, word: str, contacts: bool) -> set[str]:
        condition = SearchWordItem.sk.between(f"{word}#", f"{word}#{HIGH}")
        return {client_id for client_id, origin in
                (_client_and_origin(i.sk) for i in SearchWordItem.query(word_pk(business_id), condition))
                if contacts or origin != CONTACT}


def valid_id(value: object) -> bool:
    """Ids are short and plain; anything else cannot name a record (and must not reach a key)."""
    return isinstance(value, str) and bool(_ID.fullmatch(value))


def _client_and_origin(sk: str) -> tuple[str, str]:
    _, client_id, origin = sk.rsplit("#", 2)
    return client_id, origin


def _word_keys(business_id: str, profile: ClientProfile) -> set[ClientWord]:
    return client_index(business_id, profile.id, profile.first_name, profile.last_name, profile.fiscal_code,
                        profile.email, profile.phone, profile.mobile)
