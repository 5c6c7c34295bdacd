"""`python -m bench` (or `make bench`): print Turno's figures. Nothing here asserts a timing.

1. availability engine CPU time (pure domain code),
2. DynamoDB calls per public request (the app under moto),
3. import time of `app` against a bare Chalice app importing boto3,
4. the reminder job: DynamoDB calls per due reminder (bench/reminders.py).
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time

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

from . import calls, engine, imports, reminders  # noqa: E402  (after the environment is set)
from .report import table  # noqa: E402


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
    return results


def _ratio(value: float, goal: float | None) -> str:
    """'0.82x (goal <= 2x: met)': a ratio next to its goal."""
    if goal is None:
        return f"{value:.2f}x"
    return f"{value:.2f}x (goal <= {goal:g}x: {'met' if value <= goal else 'MISSED'})"


def print_calls() -> None:
    rows = [(r["scenario"], r["status"], r["calls"], r["reads"], r["writes"], r["idempotency"], r["detail"])
            for r in calls.run()]
    print(table(
        "2. DynamoDB calls per request (moto, chalice.test.Client, the real app)",
        ["request", "status", "calls", "reads", "writes", "idem. table", "calls made, in order"], rows,
        [f"'ten' has 10 professionals and {calls.SEEDED_APPOINTMENTS} appointments over the 31 days; 'one' has 1.",
         "main = the Turno table, idem = Powertools' idempotency table; xN = keys read or items written;",
         "warm = the business slug is already cached by the running function."],
    ))


def print_imports(repeats: int) -> None:
    result = imports.run(repeats)
    runs = lambda values: " ".join(f"{v:.0f}" for v in values)  # noqa: E731
    rows = [
        ("app (Turno)", f"{result['turno_median_ms']:.0f}", runs(result["turno_ms"])),
        ("bare Chalice app + boto3", f"{result['bare_median_ms']:.0f}", runs(result["bare_ms"])),
        ("difference", f"{result['turno_median_ms'] - result['bare_median_ms']:.0f}", ""),
    ]
    print(table(
        f"3. Import time: python -X importtime -c 'import app', cumulative, {repeats} interleaved runs",
        ["app", "median ms", "each run, ms"], rows,
    ))
    print(table(
        "   Where app's import time goes (self time summed by top-level package, median run)",
        ["package", "app ms", "bare app ms"],
        [(name, f"{ms:.1f}", f"{bare:.1f}") for name, ms, bare in result["heaviest"]],
        ["-X importtime itself adds overhead: compare the two apps, not the absolute numbers with Lambda's."],
    ))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="runs of the availability engine per case")
    parser.add_argument("--import-runs", type=int, default=5, help="interpreters started per app")
    args = parser.parse_args()
    began = time.perf_counter()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Turno bench - Python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {load:.2f}\n")
    for section in (lambda: print_engine(args.repeats), print_calls, lambda: print_imports(args.import_runs),
                    reminders.main):
        section()
        sys.stdout.flush()
    print(f"bench finished in {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
