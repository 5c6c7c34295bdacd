"""Test set-up shared by every folder: fake AWS credentials before anything imports boto3, one moto for the
session with a reset before each test, a frozen clock, the Chalice test client, and the backoffice's logins.

moto, the tables and the Cognito pool are made once per session (per xdist worker: tests/moto_session.py).
Each test starts from a *world* restored from a snapshot, the richest one its fixtures ask for:

    empty       tables and pool, nothing in them                  aws, store, client, cognito_pool, ses
    salon       + the test salon (tests/factories.py)             salon
    backoffice  + a second business, staff of every level in      backoffice, second_business, login
                  both (each level's login and sign-in made once,
                  replayed when a test first asks for it)
    seeded      + an invited trainee, a leaver and a booking      seeded

A world is built the first time a test needs it, from its parent, through the app itself; later tests
get a copy of it. Tests never see each other's data: the whole of moto's state for the services the app
uses (tables, users and tokens, sent mail and SMS) is put back before every test. (Rather than a fresh
business id per test: the tests name the salon's ids and slug, and a restore also isolates what no
business id scopes - Cognito users, sign-in throttles by email, sent mail and SMS, idempotency records.)
"""
import os

os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "TURNO_STAGE": "test",
})
for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
    os.environ.pop(name, None)

import threading  # noqa: E402  (after the environment above)
from contextlib import contextmanager  # noqa: E402

import pytest  # noqa: E402

from infra.local.gateway import shape_gateway_errors  # noqa: E402
from tests import backoffice_world as staff_world  # noqa: E402
from tests import factories  # noqa: E402
from tests.factories import NOW  # noqa: E402
from tests.moto_session import MotoSession, forget_settings  # noqa: E402

# Which world a fixture needs (the richest one a test asks for is restored).
NEEDS = {"salon": "salon", "second_business": "backoffice", "backoffice": "backoffice", "login": "backoffice",
         "seeded": "seeded"}
ORDER = ("empty", "salon", "backoffice", "seeded")

# The test client answers API Gateway's own errors as `make dev` and the deployed stack do.
shape_gateway_errors()


# Folders whose tests share one expensive session fixture (a CDK synthesis, DynamoDB Local, the local stack,
# a browser): under pytest-xdist (`make test`) each runs whole on one worker, so it is made only once, and
# first (xdist sends the largest units first); every other test is a unit of its own, for the best balance.
# (A scheduler rather than xdist_group marks: with pytest 9's node ids, xdist 3.8 cannot group by mark.)
ONE_WORKER = ("infra", "integration", "e2e")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class FolderOrTest(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            parts = nodeid.split("::", 1)[0].split("/")
            return parts[1] if len(parts) > 2 and parts[0] == "tests" and parts[1] in ONE_WORKER else nodeid

    return FolderOrTest(config, log)


@contextmanager
def _as_the_app(session: MotoSession, *, pool: bool):
    """The app at the frozen NOW (and with the session's Cognito pool), for building a world through it."""
    from chalice.test import Client

    from app import app
    from chalicelib import wiring

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wiring, "now", lambda: NOW)
        if pool:
            _use_pool(patch, session)
        with Client(app, stage_name="dev") as client:
            yield client


def _use_pool(patch: pytest.MonkeyPatch, session: MotoSession) -> None:
    """The app reads the pool, its app client, its keys and the sender from the environment."""
    patch.setenv("TURNO_USER_POOL_ID", session.pool_id)
    patch.setenv("TURNO_USER_POOL_CLIENT_ID", session.client_id)
    patch.setenv("TURNO_JWKS_URL", session.jwks_url)
    patch.setenv("TURNO_SENDER_EMAIL", staff_world.SENDER)
    session.sesv2.create_email_identity(EmailIdentity=staff_world.SENDER)
    forget_settings()


def _build_salon(session: MotoSession) -> dict:
    from chalicelib import wiring

    return {"salon": factories.seed(wiring.store())}


def _build_backoffice(session: MotoSession) -> dict:
    from chalicelib import wiring

    with _as_the_app(session, pool=True) as client:
        store = wiring.store()
        second = staff_world.seed_second_business(store)
        staff_world.seed_backoffice_staff(store)
        return {"second_business": second, "signed_in": staff_world.sign_in_everyone(session, client)}


def _build_seeded(session: MotoSession) -> dict:
    from chalicelib import wiring

    with _as_the_app(session, pool=True) as client:
        return {"seeded": staff_world.seed_invitations_and_a_booking(client, wiring.store(), NOW)}


BUILDERS = {"salon": _build_salon, "backoffice": _build_backoffice, "seeded": _build_seeded}


def _enter(session: MotoSession, world: str) -> dict:
    """Restore `world` (building it and its parents the first time) and return what its builders made."""
    if world == "empty":
        return dict(session.reset("empty") or {})
    parent = ORDER[ORDER.index(world) - 1]
    if not session.built(world):
        below = _enter(session, parent)
        return dict(session.reset(world, lambda: {**below, **BUILDERS[world](session)}, parent))
    return dict(session.reset(world))


@pytest.fixture(scope="session")
def moto_session(tmp_path_factory):
    session = MotoSession(tmp_path_factory.mktemp("moto"))
    yield session
    session.stop()


@pytest.fixture
def aws(moto_session, request) -> dict:
    """moto, reset to the world this test needs: {"salon": Business, ...} as its builders made it."""
    world = max((NEEDS.get(name, "empty") for name in request.fixturenames), key=ORDER.index)
    return _enter(moto_session, world)


@pytest.fixture
def clock(monkeypatch):
    from chalicelib import wiring

    now = {"value": NOW}
    monkeypatch.setattr(wiring, "now", lambda: now["value"])
    return now


@pytest.fixture
def store(aws):
    from chalicelib import wiring

    return wiring.store()


@pytest.fixture
def salon(aws, store):
    return aws["salon"]


@pytest.fixture
def client(aws, clock):
    from chalice.test import Client

    from app import app

    with Client(app, stage_name="dev") as test_client:
        yield test_client


@pytest.fixture
def ses(aws, moto_session):
    """SES with the sender verified (as infra/ and the local stack do)."""
    import boto3

    moto_session.sesv2.create_email_identity(EmailIdentity=staff_world.SENDER)
    return boto3


@pytest.fixture
def atomic_moto(aws, monkeypatch):
    """moto's DynamoDB is not thread-safe (a failed transaction restores a snapshot of the whole table,
    wiping a concurrent winner, and reads see half-applied transactions): its transactions and batch reads
    are serialised here, isolated from each other as DynamoDB's are. Everything else interleaves freely."""
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.Lock()

    def serialised(original):
        def call(self, *args, **kwargs):
            with lock:
                return original(self, *args, **kwargs)
        return call

    for name in ("transact_write_items", "batch_get_item"):
        monkeypatch.setattr(DynamoDBBackend, name, serialised(getattr(DynamoDBBackend, name)))


@pytest.fixture
def serialised_moto(aws, monkeypatch):
    """Every moto DynamoDB call one at a time, as DynamoDB's own writes are per item, so overlapping job
    runs interleave only between calls."""
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.RLock()

    def serialised(original):
        def call(self, *args, **kwargs):
            with lock:
                return original(self, *args, **kwargs)
        return call

    for name in ("transact_write_items", "transact_get_items", "batch_get_item", "update_item", "put_item",
                 "delete_item", "get_item", "query", "scan"):
        monkeypatch.setattr(DynamoDBBackend, name, serialised(getattr(DynamoDBBackend, name)))


@pytest.fixture
def settings_env(monkeypatch):
    """settings_env(TURNO_X="...") for one test: settings are read once (chalicelib/config.py), so they are
    read again after the change and after the test."""
    from chalicelib import config

    def change(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        config.settings.cache_clear()

    yield change
    monkeypatch.undo()
    config.settings.cache_clear()


# -- the backoffice ----------------------------------------------------------------------------------------
@pytest.fixture
def cognito_pool(aws, moto_session, monkeypatch):
    """The session's user pool and app client; the app reads them (and the pool's keys) from the environment."""
    from chalicelib import config

    _use_pool(monkeypatch, moto_session)
    yield {"pool_id": moto_session.pool_id, "client_id": moto_session.client_id, "cognito": moto_session.cognito}
    config.settings.cache_clear()  # read again once the environment is back


@pytest.fixture
def second_business(aws, store):
    """Another salon with its own (different) ids: its staff must never reach the first one's data."""
    return aws["second_business"]


@pytest.fixture
def backoffice(aws, salon, second_business, cognito_pool):
    """Both businesses with a staff member and a signed-in login behind every level."""
    return {staff_world.SALON: salon, staff_world.OTHER: second_business}


@pytest.fixture
def login(aws, backoffice, cognito_pool, client, moto_session) -> staff_world.Login:
    return staff_world.Login(moto_session, aws["signed_in"])


@pytest.fixture
def seeded(aws, backoffice, cognito_pool, client, clock, store) -> dict:
    """See tests/backoffice_world.py: seed_invitations_and_a_booking."""
    return dict(aws["seeded"])
