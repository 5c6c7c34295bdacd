"""Local messages: the stack's SES sender identity, the delivery-events topic, and a folder where
every sent message lands (`.local/outbox/`, git-ignored) so a person sees what a client would get.

A devstack STEP (`provision(env)`): idempotent, runs at every `make dev` start against moto's server.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
OUTBOX_DIR = ROOT / ".local" / "outbox"


def provision(env: dict[str, str]) -> list[str]:
    import boto3

    from chalicelib.config import settings

    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "eu-west-1"
    sender = os.environ.get("TURNO_SENDER_EMAIL") or settings().sender_email
    ses = boto3.client("sesv2", region_name=region)
    identities = {i["IdentityName"] for i in ses.list_email_identities().get("EmailIdentities", [])}
    if sender not in identities:
        ses.create_email_identity(EmailIdentity=sender)
    topic = os.environ.get("TURNO_DELIVERY_TOPIC", "turno-delivery-events")
    boto3.client("sns", region_name=region).create_topic(Name=topic)  # bounces, complaints, opt-outs
    OUTBOX_DIR.mkdir(parents=True, exist_ok=True)
    env["TURNO_LOCAL_OUTBOX"] = str(OUTBOX_DIR)
    return [f"messages: from {sender} (SES identity verified); each sent one is printed and kept in {OUTBOX_DIR}"]
