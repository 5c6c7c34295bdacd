"""One test class, two back ends: the fake senders and mailer (tests/fakes.py) and the AWS adapters on moto's
SES and SNS. What is sent is recorded (moto keeps it too), and an unverified sender is refused with our
own NotSentError, never a botocore exception; a send whose answer is lost after it went out is our own
SendUnconfirmedError, never a NotSentError (which would have it sent again)."""
from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from typing import Callable

import pytest

from chalicelib.adapters.aws_senders import AwsSenders, SesMailer
from chalicelib.notifications.compose import Message
from chalicelib.notifications.delivery import Senders
from chalicelib.domain.messages import MessageKind
from chalicelib.ports import Mailer, NotSentError, SendUnconfirmedError
from tests.fakes import FakeMailer, FakeSenders

REGION = "eu-west-1"
SENDER = "no-reply@turno.example"
UNVERIFIED = "someone-else@turno.example"
EMAIL = Message(MessageKind.CONFIRMED, "email", "eva@example.com", "Cita confirmada", "Hasta el martes",
                html="<p>Hasta el martes</p>", ics=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", ics_method="REQUEST")
SMS = Message(MessageKind.CONFIRMED, "sms", "+34612345678", None, "Cita confirmada: mar 10:00",
              encoding="GSM-7", segments=1)


@dataclass
class Backend:
    senders: Senders
    mailer: Callable[[str], Mailer]  # a mailer sending from this address
    emails: Callable[[], list[tuple[str, str, str]]]  # (from, to, subject) of what went out
    sms: Callable[[], list[tuple[str, str]]]  # (phone, text)
    lose_answer: Callable[[str], None]  # the next send on this channel goes out and its answer is lost


@pytest.fixture(params=["fake", "moto"])
def backend(request):
    if request.param == "fake":
        senders = FakeSenders(verified={SENDER})
        mailers: list[FakeMailer] = []

        def mailer(sender: str) -> FakeMailer:
            mailers.append(FakeMailer(sender, verified={SENDER}))
            return mailers[-1]

        def emails() -> list[tuple[str, str, str]]:
            return ([(s, m.to, m.subject) for s, m in senders.emails]
                    + [(m.sender, m.to, m.subject) for each in mailers for m in each.sent])

        yield Backend(senders, mailer, emails, lambda: [(m.to, m.text) for m in senders.sms_sent],
                      lambda channel: senders.lose_answer(channel))
        return
    import boto3
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends
    from moto.sns.models import sns_backends

    request.getfixturevalue("aws")  # the session's moto, reset before each test
    ses, sns = boto3.client("sesv2", region_name=REGION), boto3.client("sns", region_name=REGION)
    ses.create_email_identity(EmailIdentity=SENDER)

    def emails() -> list[tuple[str, str, str]]:
        found = []
        for sent in ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages:
            if hasattr(sent, "raw_data"):
                parsed = email.message_from_string(sent.raw_data, policy=email.policy.default)
                found.append((parsed["From"], parsed["To"], str(parsed["Subject"])))
            else:
                found.append((sent.source, sent.destinations["ToAddresses"][0], sent.subject))
        return found

    clients = {"email": ses, "sms": sns}

    def lose_answer(channel: str) -> None:
        real, operation = clients[channel], {"email": "send_email", "sms": "publish"}[channel]
        clients[channel] = _AnswerLost(real, operation, lambda: clients.__setitem__(channel, real))

    yield Backend(AwsSenders(lambda: clients["email"], lambda: clients["sms"]),
                  lambda sender: SesMailer(lambda: ses, sender), emails,
                  lambda: list(sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages.values()), lose_answer)


class _AnswerLost:
    """A boto3 client whose next `operation` reaches moto (which sends) and then times out reading the answer."""

    def __init__(self, real, operation: str, done: Callable[[], None]) -> None:
        self.real, self.operation, self.done = real, operation, done

    def __getattr__(self, name):
        if name != self.operation:
            return getattr(self.real, name)

        def call(**kwargs):
            from botocore.exceptions import ReadTimeoutError

            getattr(self.real, name)(**kwargs)
            self.done()
            raise ReadTimeoutError(endpoint_url="https://provider.invalid/")

        return call


class TestSenders:
    def test_a_clients_email_and_sms_go_out_and_are_recorded(self, backend):
        assert backend.senders.email(EMAIL, SENDER) and backend.senders.sms(SMS)
        assert backend.emails() == [(SENDER, "eva@example.com", "Cita confirmada")]
        assert backend.sms() == [("+34612345678", "Cita confirmada: mar 10:00")]

    def test_an_email_from_an_unverified_sender_is_not_sent(self, backend):
        with pytest.raises(NotSentError):
            backend.senders.email(EMAIL, UNVERIFIED)
        assert backend.emails() == []


    def test_a_send_whose_answer_is_lost_went_out_and_says_unconfirmed_not_refused(self, backend):
        backend.lose_answer("email")
        backend.lose_answer("sms")
        with pytest.raises(SendUnconfirmedError) as email:
            backend.senders.email(EMAIL, SENDER)
        with pytest.raises(SendUnconfirmedError):
            backend.senders.sms(SMS)
        assert not isinstance(email.value, NotSentError) and email.value.code == "ReadTimeoutError"
        assert backend.emails() == [(SENDER, "eva@example.com", "Cita confirmada")]
        assert backend.sms() == [("+34612345678", "Cita confirmada: mar 10:00")]
        assert backend.senders.email(EMAIL, SENDER)  # the next send is answered again


class TestMailer:
    def test_turnos_own_email_goes_out_from_its_sender(self, backend):
        assert backend.mailer(SENDER).send("nora@example.com", "Bienvenida", "Hola", "<p>Hola</p>")
        assert backend.emails() == [(SENDER, "nora@example.com", "Bienvenida")]

    def test_an_unverified_sender_is_refused_with_our_own_error(self, backend):
        with pytest.raises(NotSentError) as refused:
            backend.mailer(UNVERIFIED).send("nora@example.com", "Bienvenida", "Hola", "<p>Hola</p>")
        assert refused.value.code == "MessageRejected" and backend.emails() == []


@pytest.mark.parametrize("raised, translated", [
    ("ClientError", NotSentError),  # the provider answered no (a throttle, a 4xx or 5xx): safe to retry
    ("EndpointConnectionError", NotSentError),  # no connection was ever made: nothing left, safe to retry
    ("ConnectTimeoutError", NotSentError),
    ("ReadTimeoutError", SendUnconfirmedError),  # the request went out and no answer came back
    ("ConnectionClosedError", SendUnconfirmedError),
])
def test_the_adapters_tell_a_refusal_from_an_unknown_outcome(raised, translated):
    from botocore import exceptions

    def fail(**request):
        if raised == "ClientError":
            raise exceptions.ClientError({"Error": {"Code": "Throttling", "Message": "Rate exceeded"}}, "SendEmail")
        raise getattr(exceptions, raised)(endpoint_url="https://provider.invalid/")

    class Client:
        send_email = publish = staticmethod(fail)

    senders = AwsSenders(lambda: Client, lambda: Client)
    for send in (lambda: senders.email(EMAIL, SENDER), lambda: senders.sms(SMS)):
        with pytest.raises(translated) as caught:
            send()
        assert type(caught.value) is translated and caught.value.code in (raised, "Throttling")
