"""Locally, sent messages are printed and kept in a folder, and the stack verifies the SES sender."""
from __future__ import annotations

import boto3

from chalicelib import wiring
from chalicelib.notifications.senders import LocalCopy
from tests.notifications.delivery_helpers import REGION, book, deliver, emails, sms


def test_the_local_step_verifies_the_sender_and_names_the_folder(aws, tmp_path, monkeypatch):
    from infra.local import ses

    monkeypatch.setattr(ses, "OUTBOX_DIR", tmp_path / "outbox")
    env = {"AWS_REGION": REGION}
    lines = ses.provision(env)
    again = ses.provision(env)  # idempotent: it runs at every start
    identities = boto3.client("sesv2", region_name=REGION).list_email_identities()["EmailIdentities"]
    assert [i["IdentityName"] for i in identities] == ["no-reply@turno.example"]
    assert env["TURNO_LOCAL_OUTBOX"] == str(tmp_path / "outbox") and lines == again


def test_sent_messages_land_in_the_local_folder_and_the_console(client, salon, aws, tmp_path, monkeypatch, capsys,
                                                              settings_env):
    from infra.local import ses

    monkeypatch.setattr(ses, "OUTBOX_DIR", tmp_path / "outbox")
    env = {"AWS_REGION": REGION}
    ses.provision(env)
    settings_env(TURNO_LOCAL_OUTBOX=env["TURNO_LOCAL_OUTBOX"])
    assert isinstance(wiring.senders(), LocalCopy)
    made = book(client)
    deliver(client)
    files = sorted(p.name for p in (tmp_path / "outbox").iterdir())
    assert len(files) == 2 and files[0].endswith(".eml") and files[1].endswith(".txt")
    eml = next((tmp_path / "outbox").glob("*.eml")).read_text()
    assert "eva@example.com" in eml and made["reference"] in eml and "text/calendar" in eml
    printed = capsys.readouterr().out
    assert "email confirmed to eva@example.com" in printed and "sms confirmed to +34612345678" in printed
    assert len(emails()) == 1 and len(sms()) == 1  # and they still went through SES and SNS
