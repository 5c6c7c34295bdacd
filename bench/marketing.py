"""Marketing at size: the views, the dormant-client sweep and a campaign preview on one business of 50,000
clients and 500,000 appointments (10 each), DynamoDB calls by operation and CPU per business.

    python -m bench.marketing                   # 5,000 clients / 50,000 appointments on DynamoDB Local
    python -m bench.marketing --full --readme README.md   # 50,000 / 500,000, its table into README.md
    python -m bench.marketing --clients 300 --backend moto

Seeding takes seconds, not the hours 500,000 bookings would: the appointments are generated in memory and
their stream records go through the stream consumer's own code (services/marketing_stats.py `keep`, with
the figures gathered in memory instead of one conditional write per record); the per-client figures that
result are then written with batch writes, as are the clients (profile and search words) and their consent.
Only the appointments a measured view reads from the agenda index (those of the loyal period and after) are
written as appointment items (`--all-appointments` writes all 500,000).

Reads are measured on Amazon's DynamoDB Local by default: moto answers in-process, so its own Python work
would count as the app's CPU. "CPU" is the bench process's process_time (the app's code, botocore, the
HTTP exchange); DynamoDB Local's own CPU is printed apart. Every call is counted (bench/counting.py: every
botocore client, whatever the endpoint); a Scan anywhere fails the run. Nothing asserts a timing.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from .counting import Calls, counting_dynamodb_calls
from .report import table

NOW = datetime(2026, 3, 23, 7, 0, tzinfo=timezone.utc)  # Monday 08:00 in Madrid
BUSINESS = "biz_mkt"
FULL, DEFAULT = 50_000, 5_000  # clients; each has APPOINTMENTS of them
APPOINTMENTS = 10
LOYAL_DAYS = 90  # the loyal view's period: the last 90 days
DORMANT_DAYS = 90
TEXT = "garc"  # a name prefix: García, Garcés (accent- and case-insensitive)
MARKERS = ("<!-- bench-marketing:start -->", "<!-- bench-marketing:end -->")
FIRST_NAMES = ["Ana", "Lucía", "María", "Paula", "Elena", "Carmen", "Laura", "Sofía", "Marta", "Irene", "Sara", "Julia",
               "Jon", "Pablo", "Javier", "Álvaro", "Diego", "Hugo", "Mario", "Daniel", "Iker", "Marc", "Pau", "Nora"]
LAST_NAMES = ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
              "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso",
              "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano",
              "Blanco", "Molina", "Morales", "Suárez", "Ortega", "Delgado", "Castro", "Ortiz", "Rubio", "Marín",
              "Sanz", "Núñez", "Iglesias", "Medina", "Garrido", "Cortés", "Castillo", "Santos", "Lozano", "Guerrero",
              "Cano", "Prieto", "Méndez", "Cruz", "Calvo", "Gallego", "Vidal", "León", "Márquez", "Herrera", "Peña",
              "Flores", "Cabrera", "Campos", "Vega", "Fuentes", "Carrasco", "Diez", "Caballero", "Reyes", "Nieto",
              "Aguilar", "Pascual", "Santana", "Herrero", "Lorenzo", "Montero", "Hidalgo", "Giménez", "Ibáñez",
              "Ferrer", "Durán", "Santiago", "Benítez", "Mora", "Vicente", "Vargas", "Arias", "Carmona", "Crespo",
              "Román", "Pastor", "Soto", "Sáez", "Velasco", "Moya", "Soler", "Parra", "Esteban", "Bravo", "Gallardo",
              "Rojas", "Garcés"]


# -- the world ------------------------------------------------------------------------------------------
@dataclass
class Seeded:
    clients: int
    appointments: int
    written: Counter = field(default_factory=Counter)  # items written, by kind
    seconds: dict = field(default_factory=dict)  # seeding step -> wall seconds


def history(clients: int, catalog, seed: int = 15) -> Iterator[Any]:
    """Each client's APPOINTMENTS appointments, oldest first, at their own rhythm (every 3 to 10 weeks); the
    last completed visit anywhere in the last two years; one client in six booked ahead; a few cancelled or
    no-shows. Yields the appointments as the agenda would hold them."""
    from chalicelib.domain.calendar import Interval
    from chalicelib.domain.model import Appointment, AppointmentStatus as S, ServiceStatus, Source

    rng = random.Random(seed)
    business = catalog.business
    tz = business.tz
    offered = [s for s in catalog.services if s.status is ServiceStatus.ACTIVE]
    performers = {s.id: [m.id for m in catalog.performers(s.id)] for s in offered}
    today = NOW.astimezone(tz).date()
    for n in range(clients):
        rhythm = rng.randint(21, 70)
        last = today - timedelta(days=rng.randint(1, 730))
        ahead = rng.random() < 1 / 6
        days = [last - timedelta(days=rhythm * i) for i in range(APPOINTMENTS - ahead)][::-1]
        if ahead:
            days.append(today + timedelta(days=rng.randint(1, 40)))
        for i, day in enumerate(days):
            service = rng.choice(offered)
            start = datetime(day.year, day.month, day.day, 9 + rng.randrange(9), 15 * rng.randrange(4), tzinfo=tz)
            end = start + timedelta(minutes=service.duration_minutes)
            if day > today:
                status = S.CONFIRMED
            else:
                roll = rng.random()
                status = S.CANCELLED if roll < 0.06 else S.NO_SHOW if roll < 0.09 else S.COMPLETED
            yield Appointment(f"MK{n:06d}{i:02d}", business.id, client_id(n), service.id, rng.choice(performers[service.id]), start,
                              end, Interval(start, end), status, Source.ONLINE, service.price, business.currency,
                              NOW, NOW)


def client_id(n: int) -> str:
    return f"cli_{n:06d}"


class _InMemoryFigures:
    """Stands in for repositories/client_stats.py under `marketing_stats.keep`: what its `apply` would store
    for each stream record (the visit under its reference), gathered in memory."""

    def __init__(self) -> None:
        self.visits: dict[str, dict[str, Any]] = defaultdict(dict)

    def apply(self, business_id: str, client: str, visit, reference: str, sequence: str | None) -> bool:
        self.visits[client][reference] = visit
        return True


def seed(store, clients: int, all_appointments: bool = False, every_search_word: bool = False) -> Seeded:
    """The business, its clients (profile, search words, consent), their figures and the appointments the
    loyal view reads; the sweep on (fixed 60 days). Search entries of the names only, unless
    `every_search_word`: a name search reads no other entry, and the email and phone ones would triple
    what DynamoDB Local has to store (its CPU, not the bench's, is what seeding waits for)."""
    from chalicelib.domain.clients import ClientProfile
    from chalicelib.domain.marketing import ClientStats, ConsentChange, MarketingSettings, SweepMode
    from chalicelib.domain.search import client_entries, client_words
    from chalicelib.repositories import client_stats, codecs
    from chalicelib.repositories import marketing as repo
    from chalicelib.repositories.marketing_tables import ConsentItem
    from chalicelib.repositories.stream import AppointmentRecord
    from chalicelib.services import marketing_stats
    from tests import factories

    seeded = Seeded(clients, clients * APPOINTMENTS)
    began = time.perf_counter()
    factories.seed(store, factories.salon(id=BUSINESS, slug="mkt-bench"))
    catalog = store.catalog(BUSINESS)
    today = NOW.astimezone(catalog.business.tz).date()
    loyal_from = datetime.combine(today - timedelta(days=LOYAL_DAYS + 1), datetime.min.time(), catalog.business.tz)
    figures, kept = _InMemoryFigures(), []

    def records() -> Iterator[AppointmentRecord]:  # one at a time: 500,000 appointments need not sit in memory
        for n, appointment in enumerate(history(clients, catalog)):
            if all_appointments or appointment.start >= loyal_from:
                kept.append(appointment)
            yield AppointmentRecord(f"{n:021d}", BUSINESS, appointment.reference, appointment)
    marketing_stats.keep(records(), store.catalog, figures=figures)
    seeded.seconds["generated, through the stream's keep()"] = time.perf_counter() - began

    step = time.perf_counter()
    stats = [ClientStats.of(cid, visits.values()) for cid, visits in figures.visits.items()]
    _in_parallel(lambda chunk: client_stats.put_many(BUSINESS, chunk), stats)
    seeded.written["client figures"] = len(stats)
    seeded.seconds["client figures written"] = time.perf_counter() - step

    step = time.perf_counter()
    rng = random.Random(16)
    items = []
    for n in range(clients):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        phone = f"+3461{n:07d}" if n % 3 else None
        profile = ClientProfile(client_id(n), first, last, email=f"c{n}@example.com", phone=phone, created_at=NOW)
        items.append(codecs.client_item(BUSINESS, profile))
        words = [e for e in client_entries(BUSINESS, profile.id, first, last, None, profile.email, phone, None)
                 if every_search_word or e.word in client_words(first, last, None)]
        items += map(codecs.search_item, words)
        seeded.written["search words"] += len(words)
        changes = [ConsentChange(c, "marketing", True, "booking_form", "client", NOW, "News and offers")
                   for c, yes in (("email", n % 5 < 3), ("sms", phone and n % 2)) if yes]
        if changes:
            items.append(ConsentItem(f"BIZ#{BUSINESS}#CONSENT", profile.id, version=1,
                                     latest=[c.to_json() for c in changes]))
            seeded.written["consents"] += 1
    items += map(codecs.appointment_item, kept)
    _in_parallel(_batch_write, items)
    seeded.written["clients"] = clients
    seeded.written["appointments (agenda index)"] = len(kept)
    seeded.seconds["clients, search words, consent, appointments written"] = time.perf_counter() - step
    repo.save_settings(BUSINESS, MarketingSettings(sweep=SweepMode.FIXED, sweep_days=60, sms_monthly_quota=100_000),
                       NOW)
    return seeded


WRITERS = 4  # threads writing batches at once: DynamoDB Local answers several batch writes in parallel


def _in_parallel(write: Callable[[list], None], items: list, chunk: int = 2_500) -> None:
    """`write` on chunks of `items` from WRITERS threads (botocore clients are thread-safe)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(write, [items[i:i + chunk] for i in range(0, len(items), chunk)]))


def _batch_write(items: list) -> None:
    from chalicelib.repositories.tables import Item

    with Item.batch_write() as batch:
        for item in items:
            batch.save(item)


# -- where it runs ----------------------------------------------------------------------------------------
@contextmanager
def dynamodb_local() -> Iterator[Callable[[], float]]:
    """Amazon's DynamoDB Local in memory on a free 127.0.0.1 port (stopped by its PID), the app's store on
    it with a frozen clock; yields a reading of the server's CPU seconds so far."""
    from chalicelib import wiring
    from chalicelib.repositories.store import create_tables
    from infra.local.devstack import start_dynamodb
    from tests.moto_session import forget_connections

    server = start_dynamodb()
    real_now = wiring.now
    try:
        os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = server.url
        forget_connections()
        create_tables()
        wiring.now = lambda: NOW
        yield lambda: _cpu_seconds(server.pid)
    finally:
        wiring.now = real_now
        os.environ.pop("AWS_ENDPOINT_URL_DYNAMODB", None)
        forget_connections()
        server.stop()


@contextmanager
def moto() -> Iterator[Callable[[], float]]:
    from .world import moto_store

    with moto_store(NOW):
        yield lambda: float("nan")


def _cpu_seconds(pid: int) -> float:
    """user + system CPU of a process (Linux /proc), in seconds; NaN where there is no /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- the measurements ---------------------------------------------------------------------------------------
@dataclass
class Row:
    case: str
    calls: Calls
    cpu_ms: float
    wall_ms: float
    server_cpu_ms: float
    result: str

    @property
    def scans(self) -> int:
        return self.calls.operations()["Scan"]


def measure(label: str, run: Callable[[], str], server_cpu: Callable[[], float]) -> Row:
    server_before = server_cpu()
    wall, cpu = time.perf_counter(), time.process_time()
    with counting_dynamodb_calls() as calls:
        result = run()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return Row(label, calls, cpu * 1000, wall * 1000, (server_cpu() - server_before) * 1000, result)


def cases(store, clients_read, server_cpu: Callable[[], float]) -> list[Row]:
    """(a) the dormant view, first page and every page; (b) the loyal view; (c) filters with a text;
    (d) the sweep; (e) a campaign's preview. Each view as its route reads it: the page, then the page's
    client profiles (one batch read)."""
    from chalicelib.domain.marketing import Audience
    from chalicelib.domain.principal import Level, Principal
    from chalicelib.services import campaigns, marketing_views as views, winback

    catalog = store.catalog(BUSINESS)
    today = views.today_of(catalog, NOW)
    rows: list[Row] = []

    def view(audience: Audience, cursor: str | None = None, limit: int = 50):
        found = views.page(store, catalog, audience, NOW, cursor, limit)
        clients_read.many(BUSINESS, [m.stats.client_id for m in found.members])
        return found

    def add(label: str, run: Callable[[], str]) -> None:
        rows.append(measure(label, run, server_cpu))
        _progress(f"{label}: {len(rows[-1].calls)} calls, {rows[-1].wall_ms / 1000:.0f} s")

    dormant = Audience("dormant", days=DORMANT_DAYS)
    add(f"(a) dormant view, first page of 50 (absent {DORMANT_DAYS} days)",
        lambda: f"{len(view(dormant).members)} clients")

    def walk() -> str:
        pages, shown, cursor = 0, 0, None
        while True:
            found = view(dormant, cursor, 200)
            pages, shown, cursor = pages + 1, shown + len(found.members), found.cursor
            if cursor is None:
                return f"{shown} clients in {pages} pages"
    add("(a) dormant view, every page of 200", walk)

    loyal = Audience("loyal", first=today - timedelta(days=LOYAL_DAYS), last=today - timedelta(days=1))
    add(f"(b) loyal view of the last {LOYAL_DAYS} days, first page of 50, with indicators",
        lambda: (lambda p: f"{p.total} clients, {p.indicators['clients_seen']} seen")(view(loyal)))
    text = Audience("filter", text=TEXT)
    add(f"(c) filter: text '{TEXT}', first page of 50", lambda: f"{view(text).total} clients")
    combined = Audience("filter", first=today - timedelta(days=365), last=today - timedelta(days=1), min_visits=3,
                        services=("svc_color",), text=TEXT)
    add(f"(c) filter: text '{TEXT}' + last 365 days, 3+ visits, Color", lambda: f"{view(combined).total} clients")

    bounds = Audience("filter", min_visits=9)
    add("(c) filter: 9+ visits ever, no text, no period (every client's figures)", lambda: f"{view(bounds).total} clients")

    def sweep(at: datetime) -> Callable[[], str]:
        def run() -> str:
            report = winback.sweep(store, clients_read, _do_not_contact(), BUSINESS, at)
            return ", ".join(f"{k} {v}" for k, v in sorted(report.items()))
        return run
    add("(d) dormant-client sweep, first day (fixed 60 days)", sweep(NOW))
    add("(d) dormant-client sweep, same day again", sweep(NOW))
    add("(d) dormant-client sweep, the next day", sweep(NOW + timedelta(days=1)))

    admin = Principal(BUSINESS, "stf_ana", Level.ADMIN)
    campaign = campaigns.create(store, admin, {"name": "Come back", "audience": dormant.to_json(),
                                               "email_subject": "We miss you", "email_body": "Hello {{ client.first_name }}",
                                               "sms_body": "Hello {{ client.first_name }}"}, NOW)

    def preview() -> str:
        found = campaigns.preview(store, clients_read, _do_not_contact(), admin, campaign["id"], NOW)["preview"]
        return f"{found['clients']} clients: email {found['recipients']['email']}, sms {found['recipients']['sms']}"
    add(f"(e) campaign preview, dormant {DORMANT_DAYS} days, email + SMS", preview)
    return rows


def _progress(line: str) -> None:
    """A line on stderr while a long run goes on (the table comes at the end, on stdout)."""
    print(f"  {line}", file=sys.stderr, flush=True)


def _do_not_contact():
    from chalicelib import wiring

    return wiring.do_not_contact()


def run(clients: int = DEFAULT, backend: str = "local", all_appointments: bool = False,
        every_search_word: bool = False) -> dict:
    from chalicelib import wiring

    with (dynamodb_local() if backend == "local" else moto()) as server_cpu:
        store = wiring.store()
        began, cpu, server = time.perf_counter(), time.process_time(), server_cpu()
        seeded = seed(store, clients, all_appointments, every_search_word)
        seed_s, seed_cpu, seed_server = time.perf_counter() - began, time.process_time() - cpu, server_cpu() - server
        _progress(f"seeded {clients:,} clients in {seed_s:.0f} s")
        rows = cases(store, wiring.clients(), server_cpu)
    return {"clients": clients, "backend": backend, "seeded": seeded, "seed_s": seed_s, "seed_cpu_s": seed_cpu,
            "seed_server_cpu_s": seed_server, "rows": rows, "load": os.getloadavg()[0]}


# -- output ---------------------------------------------------------------------------------------------------
def operations(calls: Calls) -> str:
    return ", ".join(f"{op} {n}" for op, n in sorted(calls.operations().items())) or "none"


def print_result(result: dict) -> str:
    where = "DynamoDB Local" if result["backend"] == "local" else "moto (its CPU counts as the bench's)"
    seeded: Seeded = result["seeded"]
    text = table(
        f"9. Marketing, one business of {seeded.clients:,} clients / {seeded.appointments:,} appointments ({where})",
        ["case", "DynamoDB calls", "by operation", "scans", "CPU ms", "wall ms", "DynamoDB Local CPU ms", "result"],
        [(r.case, len(r.calls), operations(r.calls), r.scans, f"{r.cpu_ms:.0f}", f"{r.wall_ms:.0f}",
          _ms(r.server_cpu_ms), r.result) for r in result["rows"]],
        ["CPU: the bench process's process_time (app code, botocore, HTTP); wall includes DynamoDB Local's work.",
         "Each view as its route reads it: the page, then the page's client profiles (one BatchGetItem).",
         f"seeded in {result['seed_s']:.0f} s ({_seed_cpu(result)}): "
         + ", ".join(f"{k} {v:.0f} s" for k, v in seeded.seconds.items()),
         "written: " + ", ".join(f"{k} {v:,}" for k, v in seeded.written.items())],
    )
    print(text)
    return text


def _seed_cpu(result: dict) -> str:
    server = result["seed_server_cpu_s"]
    return f"CPU: bench {result['seed_cpu_s']:.0f} s" + ("" if server != server else f", DynamoDB Local {server:.0f} s")


def markdown(result: dict) -> str:
    seeded: Seeded = result["seeded"]
    lines = [f"Printed by `python -m bench.marketing{' --full' if seeded.clients == FULL else ''}` on {date.today()}, "
             f"{os.cpu_count()} CPUs at load {result['load']:.1f} (other work shared them: compare CPU, not wall), "
             f"{'DynamoDB Local' if result['backend'] == 'local' else 'moto'}: one business of {seeded.clients:,} "
             f"clients / {seeded.appointments:,} appointments, seeded in {result['seed_s']:.0f} s ({_seed_cpu(result)}).",
             "", "| case | DynamoDB calls | scans | CPU ms, bench | CPU ms, DynamoDB Local | wall ms | result |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {r.case} | {len(r.calls)} ({operations(r.calls)}) | {r.scans} | {r.cpu_ms:.0f} | "
              f"{_ms(r.server_cpu_ms)} | {r.wall_ms:.0f} | {r.result} |" for r in result["rows"]]
    return "\n".join(lines)


def _ms(value: float) -> str:
    return "-" if value != value else f"{value:.0f}"  # NaN: moto has no server of its own


def write_readme(path: Path, text: str) -> None:
    from .report import replace_between_markers

    replace_between_markers(path, text, MARKERS)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.marketing", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=DEFAULT, help=f"clients ({APPOINTMENTS} appointments each)")
    parser.add_argument("--full", action="store_true", help=f"{FULL:,} clients / {FULL * APPOINTMENTS:,} appointments")
    parser.add_argument("--backend", choices=("local", "moto"), default="local")
    parser.add_argument("--all-appointments", action="store_true",
                        help="write every appointment item, not only those the loyal view reads")
    parser.add_argument("--every-search-word", action="store_true",
                        help="write the clients' email and phone search entries too, not only their names'")
    parser.add_argument("--readme", type=Path, help="write the table between the bench-marketing markers of this file")
    args = parser.parse_args(argv)
    # fake credentials and the test stage before anything imports boto3 or the app (as bench/__main__.py)
    os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "eu-west-1", "TURNO_STAGE": "test",
                       "POWERTOOLS_LOG_LEVEL": "WARNING", "POWERTOOLS_METRICS_DISABLED": "true"})
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
        os.environ.pop(name, None)
    result = run(FULL if args.full else args.clients, args.backend, args.all_appointments, args.every_search_word)
    print_result(result)
    scans = sum(r.scans for r in result["rows"])
    if args.readme:
        write_readme(args.readme, markdown(result))
        print(f"wrote the table into {args.readme}")
    if scans:
        sys.exit(f"{scans} Scan calls: a view or the sweep scans the table")
    return result


if __name__ == "__main__":
    main()
