"""What sending needs besides a provider: an email's MIME form, and the local copy `make dev` keeps of
every message sent. The providers themselves are chalicelib/adapters/aws_senders.py; chalicelib/wiring.py
puts them together."""
from __future__ import annotations

import re
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .compose import Message

if TYPE_CHECKING:
    from ..ports import Mailer
    from .delivery import Senders


class LocalCopy:
    """Locally (`make dev`), every sent message is also written to a folder and the console, so a
    person sees exactly what a client would receive. Set by TURNO_LOCAL_OUTBOX."""

    def __init__(self, inner: "Senders", folder: Path, clock: Callable[[], datetime]) -> None:
        self.inner, self.folder, self.clock = inner, folder, clock

    def email(self, message: Message, sender: str) -> str:
        ident = self.inner.email(message, sender)
        self._keep(message, ident, "eml", mime(message, sender))
        return ident

    def sms(self, message: Message) -> str:
        ident = self.inner.sms(message)
        header = f"To: {message.to}\nEncoding: {message.encoding}, {message.segments} segment(s)\n\n"
        self._keep(message, ident, "txt", (header + message.text).encode())
        return ident

    def _keep(self, message: Message, ident: str, suffix: str, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = self.clock().strftime("%Y%m%dT%H%M%S")
        name = f"{stamp}-{message.kind.value}-{message.channel}-{re.sub(r'[^A-Za-z0-9@.+-]', '_', message.to)}"
        path = self.folder / f"{name}-{ident[:8]}.{suffix}"
        path.write_bytes(data)
        print(f"[turno] {message.channel} {message.kind.value} to {message.to}: {path}", flush=True)


class LocalMailCopy:
    """Turno's own emails to staff (invitations, a new owner's welcome) kept beside the clients' messages under
    `make dev`, so the temporary password can be read in `.local/outbox/` (TURNO_LOCAL_OUTBOX)."""

    def __init__(self, inner: "Mailer", sender: str, folder: Path, clock: Callable[[], datetime]) -> None:
        self.inner, self.sender, self.folder, self.clock = inner, sender, folder, clock

    def send(self, to: str, subject: str, text: str, html: str) -> str:
        ident = self.inner.send(to, subject, text, html)
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = self.sender, to, subject
        mail.set_content(text, cte="quoted-printable")
        mail.add_alternative(html, subtype="html", cte="quoted-printable")
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = self.clock().strftime("%Y%m%dT%H%M%S")
        path = self.folder / f"{stamp}-staff-email-{re.sub(r'[^A-Za-z0-9@.+-]', '_', to)}-{ident[:8]}.eml"
        path.write_bytes(mail.as_bytes())
        print(f"[turno] email to staff {to}: {path}", flush=True)
        return ident


def mime(message: Message, sender: str) -> bytes:
    """The email as MIME: plain text and HTML alternatives, and the .ics as a text/calendar part."""
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, message.to, message.subject or ""
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    mail.set_content(message.text, cte="quoted-printable")
    if message.html:
        mail.add_alternative(message.html, subtype="html", cte="quoted-printable")
    if message.ics:
        mail.add_attachment(message.ics, maintype="text", subtype="calendar", filename="invite.ics",
                            params={"method": message.ics_method or "PUBLISH"})
    return mail.as_bytes()
