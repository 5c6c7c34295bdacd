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
        keep(self.folder, self.clock, f"{message.kind.value}-{message.channel}", message.to, ident, suffix, data,
             f"{message.channel} {message.kind.value}")


class LocalMailCopy:
    """Turno's own emails to staff (invitations, a new owner's welcome) kept beside the clients' messages under
    `make dev`, so the temporary password can be read in `.local/outbox/` (TURNO_LOCAL_OUTBOX)."""

    def __init__(self, inner: "Mailer", sender: str, folder: Path, clock: Callable[[], datetime]) -> None:
        self.inner, self.sender, self.folder, self.clock = inner, sender, folder, clock

    def send(self, to: str, subject: str, text: str, html: str) -> str:
        ident = self.inner.send(to, subject, text, html)
        mail = email_bytes(self.sender, to, subject, text, html)
        keep(self.folder, self.clock, "staff-email", to, ident, "eml", mail, "email to staff")
        return ident


def keep(folder: Path, clock: Callable[[], datetime], label: str, to: str, ident: str, suffix: str, data: bytes,
         said: str) -> None:
    """Write one sent message into the local outbox (names sort by time) and say where on the console."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock().strftime("%Y%m%dT%H%M%S")
    path = folder / f"{stamp}-{label}-{re.sub(r'[^A-Za-z0-9@.+-]', '_', to)}-{ident[:8]}.{suffix}"
    path.write_bytes(data)
    print(f"[turno] {said} to {to}: {path}", flush=True)


def mime(message: Message, sender: str) -> bytes:
    """A client's email as MIME: plain text and HTML alternatives, and the .ics as a text/calendar part."""
    return email_bytes(sender, message.to, message.subject or "", message.text, message.html, message.ics,
                       message.ics_method, message.headers)


def email_bytes(sender: str, to: str, subject: str, text: str, html: str | None = None, ics: bytes | None = None,
                ics_method: str | None = None, headers: tuple[tuple[str, str], ...] = ()) -> bytes:
    """Any email Turno sends, as MIME bytes."""
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, to, subject
    for name, value in headers:
        mail[name] = value
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    mail.set_content(text, cte="quoted-printable")
    if html:
        mail.add_alternative(html, subtype="html", cte="quoted-printable")
    if ics:
        mail.add_attachment(ics, maintype="text", subtype="calendar", filename="invite.ics",
                            params={"method": ics_method or "PUBLISH"})
    return mail.as_bytes()
