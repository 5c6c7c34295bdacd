"""An SQS queue as a WorkQueue: units go ten to a SendMessageBatch call (SQS's limit per call).

A unit SQS did not take raises NotSentError after the rest went: the schedule's run fails and EventBridge
retries it; the units already sent arrive twice, which their idempotency absorbs."""
from __future__ import annotations

import json
from typing import Any, Callable

from botocore.exceptions import BotoCoreError, ClientError

from ..ports import NotSentError

BATCH = 10


class SqsQueue:
    def __init__(self, sqs: Callable[[], Any], url: str) -> None:
        self._sqs, self.url = sqs, url

    def send(self, units: list[dict]) -> int:
        failed: list[str] = []
        for start in range(0, len(units), BATCH):
            entries = [{"Id": str(i), "MessageBody": json.dumps(unit, sort_keys=True)}
                       for i, unit in enumerate(units[start:start + BATCH])]
            try:
                answer = self._sqs().send_message_batch(QueueUrl=self.url, Entries=entries)
            except (BotoCoreError, ClientError) as error:
                code = error.response["Error"].get("Code", "") if isinstance(error, ClientError) else ""
                raise NotSentError(f"the queue took no units: {error}", code) from None
            failed += [f.get("Code", "") for f in answer.get("Failed") or []]
        if failed:
            raise NotSentError(f"{len(failed)} of {len(units)} units were not queued", failed[0])
        return len(units)


class InlineQueue:
    """The same contract in the caller's process, for a stage with no queue (tests, `chalice local` alone):
    each unit is handled at once, one failing is logged and does not stop the others."""

    def __init__(self, handle: Callable[[dict], Any]) -> None:
        self.handle = handle
        self.failed = 0

    def send(self, units: list[dict]) -> int:
        from ..observability import logger

        for unit in units:
            try:
                self.handle(unit)
            except Exception:  # noqa: BLE001 - as SQS would, the others go on
                logger.exception("a unit of work failed")
                self.failed += 1
        return len(units)
