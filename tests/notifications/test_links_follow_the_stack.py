"""Links in messages point to the stack that sent them: a second `make dev PORT=8101` mails 8101 links."""
from __future__ import annotations

from infra.local.devstack import stack_env
from tests.notifications.delivery_helpers import book, deliver, emails


def test_the_local_stack_tells_the_app_its_own_url():
    env = stack_env("http://127.0.0.1:1", "http://127.0.0.1:2", api_url="http://127.0.0.1:8101")
    assert env["TURNO_PUBLIC_URL"] == "http://127.0.0.1:8101"
    assert env["TURNO_BACKOFFICE_URL"] == "http://127.0.0.1:8101"


def test_a_booking_on_a_stack_on_port_8101_mails_a_manage_link_to_8101(client, salon, ses, settings_env):
    env = stack_env("http://127.0.0.1:1", "http://127.0.0.1:2", api_url="http://127.0.0.1:8101")
    settings_env(TURNO_PUBLIC_URL=env["TURNO_PUBLIC_URL"], TURNO_BACKOFFICE_URL=env["TURNO_BACKOFFICE_URL"])
    made = book(client)
    deliver(client)
    [mail] = emails()
    assert f"http://127.0.0.1:8101/b/salon/manage/{made['reference']}?token=" in mail.text
    assert "127.0.0.1:8000" not in mail.text + mail.html
