"""New businesses in DynamoDB: one transaction claims the slug and writes the business, its owner's staff
profile and both sides of the owner's login, or writes nothing.

The slug item's `does_not_exist` condition is what makes two owners racing for one slug get one winner;
the other items are new ids, conditional too, so nothing an opening writes can overwrite anything.
"""
from __future__ import annotations

import hashlib

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from ..domain.principal import Level
from ..domain.signup import Opening
from ..errors import ConflictError
from . import codecs, throttles
from .accounts import Account, login_items
from .tables import Item, SlugItem
from .transactions import Refusals, Transaction

ATTEMPTS = 3  # DynamoDB may cancel a transaction that met another on the same item: it wrote nothing, try again

REFUSALS: Refusals = {
    "slug": lambda: ConflictError("this address has just been taken; choose another one", field="slug",
                                  code="slug_taken"),
    "new": lambda: ConflictError("this business or login exists already", code="already_exists"),
}


class DynamoRegistry:
    def slug_taken(self, slug: str) -> bool:
        try:
            SlugItem.get(_slug_pk(slug), "SLUG", consistent_read=True)
        except DoesNotExist:
            return False
        return True

    def open(self, opening: Opening) -> None:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return self._write(opening)
            except TransactWriteError:  # cancelled with no condition failed: a conflict, nothing written
                if attempt == ATTEMPTS:
                    raise ConflictError("the sign-up met another one; please try again", code="try_again") from None

    def close(self, opening: Opening) -> None:
        """Deletes exactly what `open` wrote, in one transaction."""
        with Transaction({}) as tx:
            for item in _items(opening):
                tx.delete(item)

    def recent_signups(self, address: str, since: float) -> list[float]:
        return throttles.recent(*_throttle_key(address), since)

    def save_signups(self, address: str, times: list[float], keep: int) -> None:
        throttles.save(*_throttle_key(address), times, keep)

    def _write(self, opening: Opening) -> None:
        slug, *others = _items(opening)
        with Transaction(REFUSALS) as tx:
            tx.save(slug, Item.pk.does_not_exist(), refused="slug")
            for item in others:
                tx.save(item, Item.pk.does_not_exist(), refused="new")


def _items(opening: Opening) -> list[Item]:
    """The slug first, then the business, the owner's profile and login."""
    business, owner = opening.business, opening.owner
    login = Account(sub=opening.owner_subject, business_id=business.id, staff_id=owner.id,
                    email=opening.owner_email, level=int(Level.ADMIN))
    return [SlugItem(pk=_slug_pk(business.slug), sk="SLUG", business_id=business.id),
            codecs.business_item(business), codecs.staff_item(business.id, owner),
            *login_items(login, opening.at)]


def _slug_pk(slug: str) -> str:
    return f"SLUG#{slug}"


def _throttle_key(address: str) -> tuple[str, str]:
    """Hashed, so the table never lists who signed up from where."""
    return "THROTTLE#signup#" + hashlib.sha256(address.encode()).hexdigest(), "signup"
