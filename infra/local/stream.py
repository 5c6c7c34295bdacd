"""DynamoDB Local's own stream, handed to the app's stream function as Lambda's event source mapping would.

`chalice local` runs no stream functions, so `make dev` runs a `StreamPump`: every second it reads the
table's stream (DynamoDB Local implements the Streams API: one shard per stream, rotated now and then)
and invokes the function with the new records in Lambda's event shape. At start it reads from the end of
each shard (what happened while the stack was down is the outbox job's to catch up); a shard that
appears later is read from its beginning, so nothing written after start is missed.
"""
from __future__ import annotations

import threading
from datetime import datetime
from typing import Any, Callable

Invoke = Callable[[dict], Any]  # gets {"Records": [...]}


class Pump:
    """Calls `poll()` on a thread every `every` seconds until stopped, as Lambda's event source mappings poll;
    a failing poll is printed and kept, and the next one runs anyway (Lambda retries too)."""

    label = "pump"

    def __init__(self, every: float) -> None:
        self.every = every
        self.handed: int = 0  # records handed over so far
        self.failures: list[str] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"devstack-{self.label}", daemon=True)

    def poll(self) -> int:
        raise NotImplementedError

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join(30)

    def _run(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                self.poll()
            except Exception as error:  # a failing handler must not take the stack down; Lambda retries too
                self.failures.append(f"{type(error).__name__}: {error}")
                print(f"[{self.label}] {type(error).__name__}: {error}", flush=True)


class StreamPump(Pump):
    label = "stream"

    def __init__(self, table_name: str, invoke: Invoke, *, region: str, every: float = 1.0) -> None:
        import boto3

        super().__init__(every)
        self.table_name, self.invoke, self.region = table_name, invoke, region
        self.dynamodb = boto3.client("dynamodb", region_name=region)
        # DynamoDB Local serves the Streams API on its own endpoint
        self.streams = boto3.client("dynamodbstreams", region_name=region,
                                    endpoint_url=self.dynamodb.meta.endpoint_url)
        self.iterators: dict[str, str | None] = {}  # shard id -> next iterator (None: the shard is closed)
        self.started = False

    def start(self) -> None:
        self.poll()  # position the iterators at the end before anything else writes
        super().start()

    def poll(self) -> int:
        """Read every open shard once and hand over what is new; returns how many records."""
        arn = self.dynamodb.describe_table(TableName=self.table_name)["Table"]["LatestStreamArn"]
        shards = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
        start_at = "TRIM_HORIZON" if self.started else "LATEST"
        for shard in shards:
            if shard["ShardId"] not in self.iterators:
                self.iterators[shard["ShardId"]] = self.streams.get_shard_iterator(
                    StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType=start_at)["ShardIterator"]
        self.started = True
        records = []
        for shard_id, iterator in list(self.iterators.items()):
            if iterator is None:
                continue
            page = self.streams.get_records(ShardIterator=iterator, Limit=1000)
            self.iterators[shard_id] = page.get("NextShardIterator")
            records += [lambda_record(r, arn, self.region) for r in page["Records"]]
        if records:
            self.invoke({"Records": records})
            self.handed += len(records)
        return len(records)


def lambda_record(record: dict, stream_arn: str, region: str) -> dict:
    """A Streams API record as Lambda delivers it (epoch seconds, the source ARN and region added)."""
    data = dict(record["dynamodb"])
    created = data.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        data["ApproximateCreationDateTime"] = created.timestamp()
    return {**{k: v for k, v in record.items() if k != "dynamodb"}, "dynamodb": data,
            "eventSourceARN": stream_arn, "awsRegion": region}
