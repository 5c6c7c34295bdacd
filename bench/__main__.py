"""`python -m bench` (or `make bench`): print Turno's figures. Nothing here asserts a timing.

1. availability engine CPU time against a minimal sort-and-sweep (bench/sweep.py),
2. the whole warm availability request's CPU against the engine's (recorded DynamoDB responses replayed),
3. DynamoDB calls per public request (the app under moto),
4. import time of `app` against a bare Chalice app importing boto3, and the package's zipped size,
5. HTTP requests/s and latency against `make dev`'s stack (a dev-server figure),
6. the reminder job: DynamoDB calls per due reminder (bench/reminders.py),
7. desks: 10 desks x 20 professionals x 31 days, 2,000 appointments, engine CPU and DynamoDB calls (bench/desks.py),
8. the year-long sales report (bench/sales_report.py),
9. marketing: the views, the dormant-client sweep and a campaign preview on one business of 5,000 clients on
   DynamoDB Local (bench/marketing.py; `make bench-marketing FULL=1`: 50,000 clients / 500,000 appointments).
Every ratio is printed next to its goal; `--readme` also writes the summary table into README.md,
between its bench markers, so the README's figures are always ones this code printed. `--request-runs N`
(`make bench-request`) runs only section 2, in N fresh processes, and prints the spread of its ratio.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

# Fake credentials and the test stage before anything imports boto3 or the app (as tests/conftest.py).
os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "TURNO_STAGE": "test",
    # The figures are the output: the app's request lines and EMF metrics would bury them (as in `make dev`).
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    "POWERTOOLS_METRICS_DISABLED": "true",
})
for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
    os.environ.pop(name, None)

from . import calls, desks, engine, http, imports, marketing, package, reminders, request, sales_report  # noqa: E402
from .report import replace_between_markers, table  # noqa: E402

SUMMARY: list[tuple[str, str, str]] = []  # (figure, value, goal): what --readme writes


def print_engine(repeats: int) -> list[dict]:
    results = engine.run(repeats)
    rows = [
        (r["days"], r["staff"], r["appointments"], f"{r['median_ms']:.1f}", f"{r['p90_ms']:.1f}",
         f"{r['sweep_ms']:.1f}", _ratio(r["ratio"], engine.ENGINE_GOAL if r["goal"] else None),
         f"{r['us_per_staff_day']:.1f}", r["slots"], r["staff_slots"])
        for r in results
    ]
    print(table(
        f"1. Availability engine: booking.slots(..., staff 'any'), CPU time, median of {repeats} runs",
        ["days", "staff", "appointments", "engine ms", "p90 ms", "yardstick ms", "engine / yardstick",
         "engine us per staff-day", "slots", "staff-slots"], rows,
        ["30-minute service, 5-minute buffer after, 15-minute grid, Madrid time across the DST change.",
         "yardstick: bench/sweep.py, a minimal sort-and-sweep; both find the same slots (checked every run).",
         "staff-slots: (slot, free professional) pairs. The first two rows are the issue's cases.",
         "process_time is CPU time, yet other processes on a loaded machine still slow it: compare ratios."],
    ))
    for r in results:
        if r["goal"]:
            SUMMARY.append((f"engine / yardstick, {r['staff']} staff x {r['days']} days, {r['appointments']} appointments",
                            f"{r['ratio']:.2f}x ({r['median_ms']:.1f} ms vs {r['sweep_ms']:.1f} ms CPU)",
                            _ratio(r["ratio"], engine.ENGINE_GOAL).split(" ", 1)[1].strip("()")))
    per_cell = [r["us_per_staff_day"] for r in results if r["goal"]]
    SUMMARY.append(("engine cost per professional-day (the two cases above)",
                    " / ".join(f"{v:.1f} us" for v in per_cell), "linear: about the same"))
    return results


def print_request(repeats: int) -> None:
    r = request.run(repeats)
    print(table(
        "2. Whole warm availability request vs the engine alone, CPU time, median of "
        f"{repeats} interleaved runs (DynamoDB responses replayed)",
        ["staff", "days", "appointments", "DynamoDB calls", "slots", "body bytes", "request ms", "engine ms",
         "request / engine"],
        [(r["staff"], r["days"], r["appointments"], r["calls"], r["slots"], r["bytes"], f"{r['request_ms']:.2f}",
          f"{r['engine_ms']:.2f}", _ratio(r["ratio"], request.REQUEST_GOAL))],
        ["request: the Lambda handler, app(event, context): routing, middleware and its log line (at INFO, as",
         "deployed), both reads built, signed and checked (recorded answers fed back), conversion, engine, JSON.",
         "engine: slots_around alone on the same busy time. The replayed answer's slots are checked to be the engine's."],
    ))
    parts = r["parts_ms"]
    print(table(
        "   Where the request's time beyond the engine goes (medians of the same runs, each part timed alone)",
        ["part", "ms", "of the engine"],
        [(label, f"{parts[name]:.2f}", f"{parts[name] / parts['engine']:.0%}") for name, label in REQUEST_PARTS],
        ["rest: the request less the parts above: Chalice's routing, the middleware, the log line, the use case."],
    ))
    print(f"   The function's first request for this fortnight (no resource-day kept, every one decoded): "
          f"{r['first_ms']:.2f} ms, {r['first_ratio']:.2f}x the engine\n")
    SUMMARY.append(("warm availability request / engine alone (10 staff, 14 days)",
                    f"{r['ratio']:.2f}x ({r['request_ms']:.2f} ms vs {r['engine_ms']:.2f} ms CPU)",
                    _ratio(r["ratio"], request.REQUEST_GOAL).split(" ", 1)[1].strip("()")))
    SUMMARY.append(("the same, the function's first request for the fortnight (busy days all decoded)",
                    f"{r['first_ratio']:.2f}x ({r['first_ms']:.2f} ms)", "no goal: once per resource-day change"))


REQUEST_PARTS = [
    ("busy", "busy days read: one query; its busy minutes kept while its bytes are the same"),
    ("catalog", "catalog read: one query; the catalog kept while its bytes are the same"),
    ("json", "the answer's JSON text"),
    ("rest", "the rest"),
]


def _ratio(value: float, goal: float | None) -> str:
    """'0.82x (goal <= 2x: met)': a ratio next to its goal."""
    if goal is None:
        return f"{value:.2f}x"
    return f"{value:.2f}x (goal <= {goal:g}x: {'met' if value <= goal else 'MISSED'})"


def print_calls() -> None:
    found = calls.run()
    rows = [(r["scenario"], r["status"], r["calls"], r["reads"], r["writes"], r["idempotency"], r["detail"])
            for r in found]
    warm = [r["calls"] for r in found if r["scenario"].startswith("availability, warm")]
    booking = next(r for r in found if r["scenario"] == "booking, new client")
    SUMMARY.append(("DynamoDB calls, warm availability (1-31 days; 50 staff fully booked: tests/integration)",
                    f"at most {max(warm)}", "<= 2"))
    SUMMARY.append(("DynamoDB calls, booking", f"{booking['reads']} reads + {booking['writes']} transaction",
                    "1 transaction + <= 2 reads"))
    print(table(
        "3. DynamoDB calls per request (moto, chalice.test.Client, the real app)",
        ["request", "status", "calls", "reads", "writes", "idem. table", "calls made, in order"], rows,
        [f"'ten' has 10 professionals and {calls.SEEDED_APPOINTMENTS} appointments over the 31 days; 'one' has 1.",
         "main = the Turno table, idem = Powertools' idempotency table; xN = keys read or items written;",
         "warm = the business slug is already cached by the running function."],
    ))


def print_imports(repeats: int) -> None:
    result = imports.run(repeats)
    ratio = result["turno_median_ms"] / result["bare_median_ms"]
    runs = lambda values: " ".join(f"{v:.0f}" for v in values)  # noqa: E731
    rows = [
        ("app (Turno)", f"{result['turno_median_ms']:.0f}", runs(result["turno_ms"])),
        ("bare Chalice app + boto3", f"{result['bare_median_ms']:.0f}", runs(result["bare_ms"])),
        ("difference", f"{result['turno_median_ms'] - result['bare_median_ms']:.0f}", ""),
        ("app / bare app", _ratio(ratio, imports.IMPORT_GOAL), ""),
        ("app + the booking page's first request", f"{result['first_route_median_ms']:.0f}",
         runs(result["first_route_ms"])),
    ]
    SUMMARY.append(("`import app` / bare Chalice app + boto3 (-X importtime, with bytecode)",
                    f"{ratio:.2f}x ({result['turno_median_ms']:.0f} ms vs {result['bare_median_ms']:.0f} ms)",
                    _ratio(ratio, imports.IMPORT_GOAL).split(" ", 1)[1].strip("()")))
    first = result["first_route_median_ms"] / result["bare_median_ms"]
    SUMMARY.append(("`import app` + what the booking page's first request imports / bare app",
                    f"{first:.2f}x ({result['first_route_median_ms']:.0f} ms vs {result['bare_median_ms']:.0f} ms)",
                    "no goal: deferred, not removed"))
    print(table(
        f"4. Import time: python -X importtime -c 'import app', cumulative, {repeats} interleaved runs",
        ["app", "median ms", "each run, ms"], rows,
    ))
    print(table(
        "   Where app's import time goes (self time summed by top-level package, median run)",
        ["package", "app ms", "bare app ms"],
        [(name, f"{ms:.1f}", f"{bare:.1f}") for name, ms, bare in result["heaviest"]],
        ["-X importtime itself adds overhead: compare the two apps, not the absolute numbers with Lambda's."],
    ))


def print_package() -> None:
    sizes = package.run()
    if sizes is None:
        print("   Package size: no synthesized package (run `make synth` first)\n")
        return
    total = sum(sizes.values())
    rows = [(name, f"{size / 1e6:.1f}") for name, size in sizes.items()]
    rows.append(("function + layer", f"{total / 1e6:.1f}  ({'met' if total <= package.GOAL_BYTES else 'MISSED'}"
                                      f" goal <= {package.GOAL_BYTES / 1e6:g} MB)"))
    print(table("   Lambda package, zipped (prod stage of `make synth`'s infra/cdk.out)", ["zip", "MB"], rows))
    SUMMARY.append(("deployment package + layer, zipped", f"{total / 1e6:.1f} MB",
                    f"<= {package.GOAL_BYTES / 1e6:g} MB: {'met' if total <= package.GOAL_BYTES else 'MISSED'}"))


def print_http() -> None:
    rows = http.run()
    print(table(
        "5. HTTP against `make dev`'s stack (a DEV-SERVER figure: chalice local, DynamoDB Local, 2 cores)",
        ["request", "concurrency", "requests", "ok", "requests/s", "p50 ms", "p95 ms"],
        [(r["case"], r["concurrency"], r["requests"], r["ok"], f"{r['per_second']:.1f}", f"{r['p50_ms']:.0f}",
          f"{r['p95_ms']:.0f}") for r in rows],
        [f"at most {http.REQUESTS} availability requests and {http.BOOKINGS} bookings per case, "
         f"{http.TIME_LIMIT:g} s each; the demo salon."],
    ))
    for r in rows:
        SUMMARY.append((f"dev server: {r['case']}, concurrency {r['concurrency']}",
                        f"{r['per_second']:.1f} req/s, p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms",
                        "dev-server figure, no goal"))


def print_desks(repeats: int) -> None:
    found = desks.engine(repeats)
    rows = [(f"{desks.DESKS} desks, {desks.STAFF} staff, {desks.DAYS} days", found["appointments"],
             f"{found['desk_ms']:.1f}", f"{found['staff_ms']:.1f}", _ratio(found["ratio"], desks.RATIO_GOAL),
             found["slots"], found["slots_without"])]
    print(table(f"7. Desks: availability with a desk pool vs without, engine CPU, median of {repeats} runs",
                ["case", "appointments", "with desks ms", "staff only ms", "desks / staff only", "slots",
                 "slots without desks"], rows,
                ["The same appointments, each at a desk; 'staff only' is the same service not requiring one."]))
    SUMMARY.append((f"engine with {desks.DESKS} desks / without ({desks.STAFF} staff, {desks.DAYS} days, "
                    f"{found['appointments']} appointments)",
                    f"{found['ratio']:.2f}x ({found['desk_ms']:.1f} ms vs {found['staff_ms']:.1f} ms CPU)",
                    _ratio(found["ratio"], desks.RATIO_GOAL).split(" ", 1)[1].strip("()")))
    counted = desks.calls()
    print(table("   Desks: DynamoDB calls per warm availability request (moto, the real app)",
                ["case", "status", "calls", "slots", "calls made"],
                [(r["case"], r["status"], r["calls"], r["slots"], r["detail"]) for r in counted]))
    SUMMARY.append(("DynamoDB calls, warm availability with desks (1-31 days, 1-10 desks)",
                    f"at most {max(r['calls'] for r in counted)}", "<= 2, constant"))


def print_sales_report() -> None:
    result = sales_report.main()
    for case in result["cases"]:
        SUMMARY.append((f"sales report, {case['case']}, {result['appointments']:,} appointments",
                        f"{case['calls']} DynamoDB calls, {case['cpu_ms']:.0f} ms CPU (moto's in-process query work included)",
                        f"<= {sales_report.CALL_BOUND} calls, no scan: "
                        f"{'met' if case['calls'] <= sales_report.CALL_BOUND and not case['scans'] else 'MISSED'}"))


def print_marketing() -> None:
    result = marketing.run()
    marketing.print_result(result)
    for row in result["rows"]:
        SUMMARY.append((f"marketing, {result['clients']:,} clients: {row.case[4:]}",
                        f"{len(row.calls)} DynamoDB calls, {row.cpu_ms:.0f} ms CPU",
                        f"no scan: {'met' if not row.scans else 'MISSED'}"))


def print_request_spread(runs: int, repeats: int) -> None:
    """Section 2's ratio in fresh processes, one after another: one process's figure moves with the machine
    (its neighbours, where its heap landed), so the README quotes the spread of several."""
    ratios = []
    for n in range(runs):
        child = [sys.executable, "-m", "bench", "--request-ratio", "--repeats", str(repeats)]
        ratios.append(float(subprocess.run(child, capture_output=True, text=True, check=True).stdout.split()[-1]))
        print(f"run {n + 1} of {runs}: request / engine {ratios[-1]:.2f}x")
        sys.stdout.flush()
    within = sum(r <= request.REQUEST_GOAL for r in ratios)
    print(f"\nwarm availability request / engine alone, {runs} fresh processes (each runs section 1 first, as a "
          f"whole bench does): min {min(ratios):.2f}x, median {statistics.median(ratios):.2f}x, max {max(ratios):.2f}x; "
          f"within the goal (<= {request.REQUEST_GOAL}x) in {within} of {runs}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="runs of the availability engine per case")
    parser.add_argument("--import-runs", type=int, default=5, help="interpreters started per app")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP bench (it starts the local stack)")
    parser.add_argument("--readme", type=Path, help="write the summary table between the bench markers of this file")
    parser.add_argument("--request-runs", type=int, metavar="N",
                        help="only section 2's ratio, in N fresh processes: its spread (make bench-request)")
    parser.add_argument("--request-ratio", action="store_true", help=argparse.SUPPRESS)  # one of those processes
    args = parser.parse_args()
    if args.request_ratio:
        engine.run(args.repeats)  # what runs before section 2 in a whole bench
        print(request.run(args.repeats)["ratio"])
        return
    if args.request_runs:
        print_request_spread(args.request_runs, args.repeats)
        return
    began = time.perf_counter()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Turno bench - Python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {load:.2f}\n")
    sections = [lambda: print_engine(args.repeats), lambda: print_request(args.repeats), print_calls,
                lambda: print_imports(args.import_runs), print_package, lambda: print_desks(args.repeats)]
    sections += [] if args.no_http else [print_http]
    for section in (*sections, reminders.main, print_sales_report, print_marketing):
        section()
        sys.stdout.flush()
    summary = table(f"Summary (load average {load:.2f})", ["figure", "value", "goal"], SUMMARY)
    print(summary)
    if args.readme:
        replace_between_markers(args.readme, _markdown(SUMMARY, load))
        print(f"wrote the summary into {args.readme}")
    print(f"bench finished in {time.perf_counter() - began:.1f} s")


def _markdown(rows: list[tuple[str, str, str]], load: float) -> str:
    lines = [f"Printed by `make bench` on {date.today()}, {os.cpu_count()} CPUs at load {load:.1f} "
             "(ratios are measured within one run):", "", "| figure | value | goal |", "| --- | --- | --- |"]
    lines += [f"| {figure} | {value} | {goal} |" for figure, value, goal in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
