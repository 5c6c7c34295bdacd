"""Sending through AWS: SES v2 for email (clients' messages and Turno's own), SNS for clients' SMS.

What botocore raised becomes one of two errors, because only one of them is safe to send again:
- NotSentError: the provider answered with a refusal (a ClientError: a throttle, a 4xx or 5xx; its code
  and message are kept in the message log), or the request never left (no connection could be made, no
  credentials, a parameter botocore refused);
- SendUnconfirmedError: the request was sent but no answer came back (a read timeout, a connection closed
  mid-request): the provider may have accepted it, so the delivery never sends it again on its own.
The clients behind these adapters are built without botocore's own retries (chalicelib/wiring.py), which
would resend after a lost answer inside one call."""
from __future__ import annotations

from typing import Any, Callable

from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError

from ..notifications.compose import Message
from ..notifications.senders import mime
from ..ports import NotSentError, SendUnconfirmedError


class AwsSenders:
    """The delivery's Senders: SES v2 (a raw MIME message: text, HTML and the .ics) and SNS (transactional SMS).
    `ses` and `sns` make (or return the cached) boto3 clients: nothing is created until used."""

    def __init__(self, ses: Callable[[], Any], sns: Callable[[], Any], *, configuration_set: str = "",
                 sms_sender_id: str = "") -> None:
        self._ses, self._sns = ses, sns
        self.configuration_set, self.sms_sender_id = configuration_set, sms_sender_id

    def email(self, message: Message, sender: str) -> str:
        request = {"FromEmailAddress": sender, "Destination": {"ToAddresses": [message.to]},
                   "Content": {"Raw": {"Data": mime(message, sender)}}}
        if self.configuration_set:  # its event destination publishes bounces and complaints to our topic
            request["ConfigurationSetName"] = self.configuration_set
        with _not_sent(unconfirmed=True):
            return self._ses().send_email(**request)["MessageId"]

    def sms(self, message: Message) -> str:
        attributes = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
        if self.sms_sender_id:
            attributes["AWS.SNS.SMS.SenderID"] = {"DataType": "String", "StringValue": self.sms_sender_id}
        with _not_sent(unconfirmed=True):
            return self._sns().publish(PhoneNumber=message.to, Message=message.text,
                                       MessageAttributes=attributes)["MessageId"]


class SesMailer:
    """The Mailer for Turno's own emails (staff invitations): SES v2, text and HTML, from `sender`."""

    def __init__(self, ses: Callable[[], Any], sender: str) -> None:
        self._ses, self.sender = ses, sender

    def send(self, to: str, subject: str, text: str, html: str) -> str:
        # An invitation with a lost answer is reported as not sent: staff see it and can send it again,
        # and a second invitation is harmless where a second reminder to a client is not.
        with _not_sent(unconfirmed=False):
            return self._ses().send_email(
                FromEmailAddress=self.sender, Destination={"ToAddresses": [to]},
                Content={"Simple": {
                    "Subject": {"Data": subject, "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": text, "Charset": "UTF-8"}, "Html": {"Data": html, "Charset": "UTF-8"}},
                }},
            )["MessageId"]


class _not_sent:
    """Translates botocore's errors (see the module docstring); `unconfirmed`: tell a lost answer apart."""

    def __init__(self, *, unconfirmed: bool) -> None:
        self.unconfirmed = unconfirmed

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> bool:
        if isinstance(error, ClientError):  # the provider answered: a refusal
            details = error.response.get("Error", {})
            code = details.get("Code", "Error")
            raise NotSentError(f"{code}: {details.get('Message', '')}", code) from error
        if isinstance(error, HTTPClientError) and self.unconfirmed:  # sent, and the answer was lost
            raise SendUnconfirmedError(f"sent but not confirmed: {error}", type(error).__name__) from error
        if isinstance(error, BotoCoreError):  # no connection could be made, no credentials...: nothing left
            raise NotSentError(str(error), type(error).__name__) from error
        return False
