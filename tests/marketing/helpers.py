"""A salon's agenda for marketing tests: clients and their appointments, each committed version handed to
the stream function as the table's stream would (tests/reports/helpers.py does the same for reports)."""
from __future__ import annotations

from dataclasses import replace

from chalicelib.domain.clients import ClientProfile
from chalicelib.domain.model import AppointmentStatus as S
from tests.factories import NOW
from tests.reports.helpers import Agenda, appointment


def add_client(client_id: str, first: str, last: str = "", email: str | None = None, phone: str | None = None,
               business: str = "biz_salon"):
    """A client of the business, as the backoffice would register them (search words included)."""
    from chalicelib import wiring

    profile = ClientProfile(id=client_id, first_name=first, last_name=last, email=email, phone=phone,
                            created_at=NOW)
    return wiring.clients().create(business, profile)


class ClientAgenda(Agenda):
    """Agenda whose appointments belong to the client named."""

    def visit(self, client_id: str, start: str, status: S = S.COMPLETED, created=None, **kw) -> str:
        made = replace(appointment(start, **kw), client_id=client_id)
        if created is not None:
            made = replace(made, created_at=created, updated_at=created)
        from tests import factories

        factories.book(self.store, made)
        self.current[made.reference] = made
        self._feed(made.reference)
        if status is not S.CONFIRMED:
            self.set(made.reference, status)
        return made.reference


def run_job(client, name: str) -> dict:
    """A scheduled function, invoked as EventBridge would."""
    return client.lambda_.invoke(name, client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])).payload


def api(client, login, method: str, path: str, body=None, level=None):
    import json

    from chalicelib.domain.principal import Level

    headers = {**login(level or Level.MANAGER), "content-type": "application/json"}
    call = getattr(client.http, method.lower())
    if body is None:
        return call(path, headers=headers)
    return call(path, headers=headers, body=json.dumps(body))


def grant(client, login, client_id: str, *channels: str):
    changes = [{"channel": c, "purpose": "marketing", "granted": True, "wording": "Yes to news by " + c}
               for c in channels]
    answer = api(client, login, "PUT", f"/admin/clients/{client_id}/consent", {"changes": changes})
    assert answer.status_code == 200, answer.body
    return answer.json_body
