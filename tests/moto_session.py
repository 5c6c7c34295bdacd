"""One moto for the whole test session, and the one reset between tests.

Starting moto, creating the tables and a Cognito pool, and above all botocore building a client for every
PynamoDB model class, cost about a second per test when done per test. Here they happen once per session
(per pytest-xdist worker). Between tests `MotoSession.reset(world)` puts moto's state for the services the
app uses back to a snapshot: "empty" (the tables and the pool, no items, no users, nothing sent), or a
richer world built once by fixtures (tests/conftest.py). Restoring is a deep copy of a few dozen items, so
every test starts from a known state and never sees another test's data, sent mail or SMS.
"""
from __future__ import annotations

import copy
import functools
import json
import pickle
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar

T = TypeVar("T")

REGION = "eu-west-1"
# Worlds hold real Cognito tokens, which expire an hour after the sign-in that made them: older worlds are
# built again (a session rarely lasts this long, but one paused in a debugger may).
WORLD_MAX_AGE_SECONDS = 30 * 60
# Every AWS service the app calls; another one must be added here, or its state would leak between tests.
SERVICES = ("dynamodb", "cognito-idp", "ses", "sesv2", "sns")
POOL_POLICY = {"PasswordPolicy": {
    "MinimumLength": 12, "RequireUppercase": True, "RequireLowercase": True, "RequireNumbers": True,
    "RequireSymbols": True, "TemporaryPasswordValidityDays": 7}}


def forget_connections() -> None:
    """Drop the app's cached clients that point at one DynamoDB (PynamoDB keeps one per model class,
    Powertools' idempotency one per persistence layer), so the next call follows the current environment."""
    from pynamodb.models import Model

    from chalicelib import wiring
    from chalicelib.services import idempotency

    def subclasses(base):
        for sub in base.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for model in subclasses(Model):
        model._connection = None
    idempotency._wrapped.cache_clear()
    wiring.store.cache_clear()


def forget_settings() -> None:
    """Settings and the per-test app objects built from them (read again from the environment)."""
    from chalicelib import config, wiring

    config.settings.cache_clear()
    wiring.store.cache_clear()  # its warm caches (slugs) must not outlive a test's data
    config.settings()  # read here, outside any request (chalice.test.Client patches the environment)


class _TableBackups:
    """moto's transact_write_items backs up a table before a transaction by deep-copying it once per item
    of the transaction, before writing anything: identical copies of every item in the table, ten times for
    a ten-item booking. Here the first copy of each table is kept and handed out again within the same
    transaction (per thread), so a transaction costs one copy per table, and moto behaves exactly as before.
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def install(self) -> None:
        from moto.dynamodb import models
        from moto.dynamodb.models import DynamoDBBackend

        if getattr(DynamoDBBackend.transact_write_items, "one_backup_per_table", False):
            return
        original = DynamoDBBackend.transact_write_items

        @functools.wraps(original)
        def transact_write_items(backend, *args, **kwargs):
            self._local.copies = {}
            try:
                return original(backend, *args, **kwargs)
            finally:
                self._local.copies = None

        transact_write_items.one_backup_per_table = True
        DynamoDBBackend.transact_write_items = transact_write_items
        models.copy = self  # the module's `copy.deepcopy(...)` calls come here; all else is the copy module

    def deepcopy(self, value: Any, memo: dict | None = None) -> Any:
        from moto.dynamodb.models.table import Table

        copies = getattr(self._local, "copies", None)
        if copies is None or memo is not None or not isinstance(value, Table):
            return copy.deepcopy(value, memo)
        if id(value) not in copies:
            copies[id(value)] = copy.deepcopy(value)
        return copies[id(value)]

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


class MotoSession:
    """mock_aws for the session: the tables, a Cognito user pool and its app client, made once."""

    def __init__(self, folder: Path) -> None:
        import boto3
        from moto import mock_aws
        from moto.backends import get_backend
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.utilities.utils import load_resource

        from chalicelib.repositories.store import create_tables

        self._mock = mock_aws()
        self._mock.start()
        _TableBackups().install()
        forget_connections()  # anything made before the mock (tests/integration) goes
        create_tables()
        self.cognito = boto3.client("cognito-idp", region_name=REGION)
        self.sesv2 = boto3.client("sesv2", region_name=REGION)
        self.pool_id = self.cognito.create_user_pool(PoolName="turno-test", Policies=POOL_POLICY)["UserPool"]["Id"]
        self.client_id = self.cognito.create_user_pool_client(
            UserPoolId=self.pool_id, ClientName="backoffice", GenerateSecret=False,
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        # Under mock_aws the pool's public keys ship inside moto: the app reads them as a file:// JWKS URL.
        keys = folder / "jwks.json"
        keys.write_text(json.dumps(load_resource("cognitoidp/resources/jwks-public.json")))
        self.jwks_url = keys.as_uri()
        self._backends = [get_backend(service)[DEFAULT_ACCOUNT_ID][REGION] for service in SERVICES]
        self._worlds: dict[str, tuple[list[dict], Any]] = {"empty": (self._snapshot(), None)}
        self._built_at = time.monotonic()

    def stop(self) -> None:
        self._mock.stop()

    def reset(self, world: str = "empty", build: Callable[[], Any] | None = None, parent: str = "empty") -> Any:
        """Put moto back to `world` and return what its builder returned. The first time, `world` is built
        by calling `build` on top of `parent` (already built) and kept; the app's caches are dropped."""
        if not self.built(world):
            if build is None:
                raise KeyError(f"no world {world!r} and nothing to build it with")
            self._restore(self._worlds[parent][0])
            forget_settings()
            value = build()
            self._worlds[world] = (self._snapshot(), value)
            if len(self._worlds) == 2:
                self._built_at = time.monotonic()
        snapshot, value = self._worlds[world]
        self._restore(snapshot)
        forget_settings()
        return value

    def built(self, world: str) -> bool:
        if time.monotonic() - self._built_at > WORLD_MAX_AGE_SECONDS:
            self._worlds = {"empty": self._worlds["empty"]}  # built one on another: all go together
            self._built_at = time.monotonic()
        return world in self._worlds

    def rehearse(self, action: Callable[[], T]) -> tuple[T, "Changes"]:
        """Run `action`, note which DynamoDB items and Cognito entries (users, tokens) it wrote, and undo it.
        `apply` writes those entries again later: far cheaper than running the action again, and the same
        result as long as the entries are the action's own (a login's user, tokens and account items)."""
        state, before = self._snapshot(), self._entries()
        result = action()
        after = self._entries()
        gone = before.keys() - after.keys()
        if gone:
            raise AssertionError(f"a rehearsed action deleted entries: {sorted(map(str, gone))[:5]}")
        changes = Changes({key: copy.deepcopy(value) for key, (print_, value) in after.items()
                           if key not in before or before[key][0] != print_})
        self._restore(state)
        return result, changes

    def apply(self, changes: "Changes") -> None:
        """Write a rehearsed action's entries into the current state (see `rehearse`)."""
        dynamodb, cognito = self._backends[0], self._backends[1]
        for key, value in copy.deepcopy(changes.entries).items():
            if key[0] == "dynamodb":
                table = dynamodb.tables[key[1]]
                if table.range_key_attr:
                    table.items[value.hash_key][value.range_key] = value
                else:
                    table.items[value.hash_key] = value
            else:
                _, pool_id, attribute, name = key
                getattr(cognito.user_pools[pool_id], attribute)[name] = value

    def _entries(self) -> dict[tuple, tuple[Any, Any]]:
        """Every DynamoDB item and every entry of a Cognito pool's dicts: {key: (fingerprint, value)}."""
        dynamodb, cognito = self._backends[0], self._backends[1]
        found = {}
        for name, table in dynamodb.tables.items():
            for item in table.all_items():
                key = ("dynamodb", name, item.hash_key.value, item.range_key.value if item.range_key else None)
                found[key] = (item.to_json(), item)
        for pool_id, pool in cognito.user_pools.items():
            for attribute, entries in vars(pool).items():
                if isinstance(entries, dict):
                    for name, value in entries.items():
                        found[("cognito-idp", pool_id, attribute, name)] = (pickle.dumps(value), value)
        return found

    # Backends refer to each other (SES v2 keeps its data in SES v1's backend): those references must stay
    # the live backends, so the backends themselves are never copied, only what they hold.
    def _snapshot(self) -> list[dict]:
        return copy.deepcopy([vars(backend) for backend in self._backends], self._keep())

    def _restore(self, snapshot: list[dict]) -> None:
        for backend, state in zip(self._backends, copy.deepcopy(snapshot, self._keep())):
            vars(backend).clear()
            vars(backend).update(state)

    def _keep(self) -> dict[int, Any]:
        return {id(backend): backend for backend in self._backends}


@dataclass(frozen=True)
class Changes:
    """What a rehearsed action wrote: {("dynamodb", table, hash, range) | ("cognito-idp", pool, dict, key): value}."""

    entries: dict[tuple, Any] = field(default_factory=dict)


def sent_messages() -> list:
    """SES's record of sent mail (v1 and v2), emptied by every reset."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages


def sms_messages() -> dict:
    """SNS's record of sent SMS, {id: (phone, text)}, emptied by every reset."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns.models import sns_backends

    return sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages
