"""Turno's own invitation email (Cognito sends nothing: users are created with MessageAction SUPPRESS)."""
from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import ClientError

from ..domain.principal import Level
from ..config import Settings
from ..domain.model import Business, Staff
from ..templating import environment

LEVEL_NAMES = {
    Level.ADMIN: "administrator", Level.MANAGER: "manager", Level.RECEPTION_FULL: "reception",
    Level.RECEPTION_CALENDAR: "reception (calendar and clients)", Level.PROFESSIONAL: "professional",
    Level.PROFESSIONAL_NO_CONTACTS: "professional (without client contacts)",
    Level.PROFESSIONAL_OWN: "professional (own agenda only)",
}
log = logging.getLogger(__name__)


def render(business: Business, member: Staff, email: str, password: str, level: Level, settings: Settings,
           valid_days: int) -> dict[str, str]:
    values = {"business": business.name, "name": member.name, "email": email, "password": password,
              "level": LEVEL_NAMES[level], "sign_in_url": settings.backoffice_url, "valid_days": valid_days}
    env = environment()
    return {part: env.get_template(f"email/invitation.{suffix}").render(values).strip()
            for part, suffix in (("subject", "subject.txt"), ("text", "txt"), ("html", "html"))}


def sender(ses: Any, settings: Settings, valid_days: int):
    """A mailer for services.admin.invite: sends through SES v2, answers whether it went out."""

    def send(business: Business, member: Staff, email: str, password: str, level: Level) -> bool:
        message = render(business, member, email, password, level, settings, valid_days)
        try:
            ses.send_email(
                FromEmailAddress=settings.sender_email, Destination={"ToAddresses": [email]},
                Content={"Simple": {
                    "Subject": {"Data": message["subject"], "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": message["text"], "Charset": "UTF-8"},
                             "Html": {"Data": message["html"], "Charset": "UTF-8"}},
                }},
            )
        except ClientError as error:  # the login exists; the invitation can be sent again
            log.warning("invitation to staff %s not sent: %s", member.id, error.response.get("Error", {}).get("Code"))
            return False
        return True

    return send
