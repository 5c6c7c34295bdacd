"""The audit log's items: written inside the transaction of the change they describe, listed newest first."""
from __future__ import annotations

import base64
import json

from ..domain.audit import AuditEntry
from ..domain.fields import storable_key
from ..errors import ValidationError
from .codecs import audit_entry, audit_item
from .tables import AuditItem


def save(entry: AuditEntry) -> None:
    """An entry for a change that has no transaction of its own."""
    audit_item(entry).save()


def entries(business_id: str, *, limit: int, cursor: str | None = None) -> tuple[list[AuditEntry], str | None]:
    """A page of the log, newest first, and the cursor of the next page (None at the end)."""
    start_key = _decode(cursor, business_id) if cursor else None
    result = AuditItem.query(f"BIZ#{business_id}#AUDIT", scan_index_forward=False, limit=limit,
                             last_evaluated_key=start_key)
    found = [audit_entry(business_id, item) for item in result]
    last = result.last_evaluated_key
    return found, _encode(last["sk"]["S"]) if last else None


def _encode(sk: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"sk": sk}).encode()).decode().rstrip("=")


def _decode(cursor: str, business_id: str) -> dict:
    """The cursor only carries the sort key: the partition is always the caller's business."""
    try:
        sk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["sk"]
        if not storable_key(sk):
            raise ValueError(sk)
    except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: nested thousands deep
        raise ValidationError("not a cursor this list gave out", field="cursor", code="invalid_cursor") from None
    return {"pk": {"S": f"BIZ#{business_id}#AUDIT"}, "sk": {"S": sk}}
