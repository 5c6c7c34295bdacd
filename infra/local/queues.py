"""An SQS queue (moto's, locally) handed to the app's SQS function as Lambda's event source mapping would.

`chalice local` runs no SQS functions, so `make dev` runs a `QueuePump` on the dormant-client sweep's queue:
every two seconds it receives what is waiting (ten at most, as the function's batch size), invokes the
function with Lambda's event shape and deletes the messages it did not report failed (the partial batch
response); a failed one comes back after the queue's visibility timeout, as on AWS. Tests use `poll()`.
"""
from __future__ import annotations

from infra.local.stream import Invoke, Pump  # Invoke answers {"batchItemFailures": [...]} here


def create_sweep_queue(sqs, name: str, visibility_timeout: int = 60) -> tuple[str, str]:
    """The queue (as the stack makes it, without the dead-letter queue); returns its URL and ARN."""
    url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": str(visibility_timeout)})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def lambda_event(messages: list[dict], queue_arn: str, region: str) -> dict:
    """ReceiveMessage's messages in the shape Lambda hands an SQS function."""
    return {"Records": [{
        "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
        "attributes": m.get("Attributes") or {}, "messageAttributes": m.get("MessageAttributes") or {},
        "md5OfBody": m.get("MD5OfBody", ""), "eventSource": "aws:sqs", "eventSourceARN": queue_arn,
        "awsRegion": region} for m in messages]}


class QueuePump(Pump):
    label = "queue"

    def __init__(self, sqs, url: str, arn: str, invoke: Invoke, *, region: str, every: float = 2.0) -> None:
        super().__init__(every)
        self.sqs, self.url, self.arn, self.invoke, self.region = sqs, url, arn, invoke, region

    def poll(self) -> int:
        """Receive once and hand it over; returns how many messages were handed."""
        messages = self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                            AttributeNames=["All"]).get("Messages") or []
        if not messages:
            return 0
        answer = self.invoke(lambda_event(messages, self.arn, self.region)) or {}
        failed = {f["itemIdentifier"] for f in answer.get("batchItemFailures") or []}
        done = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                for i, m in enumerate(messages) if m["MessageId"] not in failed]
        if done:
            self.sqs.delete_message_batch(QueueUrl=self.url, Entries=done)
        self.handed += len(messages)
        return len(messages)


def provision(env: dict[str, str]) -> list[str]:
    """`make dev`'s step: the sweep's queue on moto, and its URL for the schedule (the pump reads it)."""
    import boto3

    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "eu-west-1"
    name = f"turno-{env.get('TURNO_STAGE', 'dev')}-sweep"
    url, _ = create_sweep_queue(boto3.client("sqs", region_name=region), name)
    env["TURNO_SWEEP_QUEUE"], env["TURNO_SWEEP_QUEUE_URL"] = name, url
    return [f"dormant-client sweep: one unit per business through the SQS queue {name} (moto)"]


def sweep_pump(root, region: str, app=None, every: float = 2.0) -> QueuePump | None:
    """The sweep queue's pump for the stage's queue (None when the stage has none), in this process."""
    import boto3
    from chalice.test import Client

    from chalicelib.config import settings

    url = settings().sweep_queue_url
    if not url:
        return None
    if app is None:
        from app import app
    client = Client(app, stage_name="dev", project_dir=str(root))
    sqs = boto3.client("sqs", region_name=region)
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return QueuePump(sqs, url, arn, lambda event: client.lambda_.invoke("sweep_business", event).payload,
                     region=region, every=every)
