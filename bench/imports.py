"""Import time of `app` (what a cold start pays before the first request) against a bare Chalice
app that imports boto3, measured with `python -X importtime` in fresh interpreters."""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE_APP = '''import boto3
from chalice import Chalice

app = Chalice(app_name="bare")


@app.route("/")
def index():
    return {"hello": "world"}
'''

# `import app` plus what the booking page's first request imports (chalicelib/later.py defers them): what
# moved out of the cold start is paid there, so it is printed too. Turno's app.py is loaded under another
# name, since this file must be `app` for the measurement.
FIRST_ROUTE_APP = '''import importlib.util
import sys

sys.path.insert(0, {root!r})
spec = importlib.util.spec_from_file_location("turno_app", {app!r})
spec.loader.exec_module(importlib.util.module_from_spec(spec))
import chalicelib.repositories.store, chalicelib.services.booking, jinja2  # noqa: E401,F401
'''

# The Lambda package ships compiled bytecode (infra/turno_infra/bytecode.py): so do the measured imports.
# Without it (PYTHONDONTWRITEBYTECODE set), every run would recompile the app's own modules.
BYTECODE_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
IMPORT_GOAL = 1.3  # `import app` within 1.3x of the bare app


def importtime(cwd: Path) -> tuple[float, dict[str, float]]:
    """Cumulative microseconds of `import app`, and the self time of every module imported for it
    summed by top-level package (self times add up; cumulative ones of nested packages overlap)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import app"], cwd=cwd, env=BYTECODE_ENV,
                          capture_output=True, text=True, check=True)
    lines = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if not line.startswith("import time:") or len(parts) != 3 or not parts[1].strip().isdigit():
            continue  # the header, or anything else on stderr
        self_us = float(parts[0].removeprefix("import time:"))
        depth = (len(parts[2]) - len(parts[2].lstrip(" ")) - 1) // 2
        lines.append((self_us, float(parts[1]), depth, parts[2].strip()))
    # importtime prints a module after everything it imported: the `app` line closes its subtree,
    # which is every line since the previous top-level one.
    end = max(i for i, (_, _, depth, name) in enumerate(lines) if depth == 0 and name == "app")
    start = max((i for i in range(end) if lines[i][2] == 0), default=-1) + 1
    packages: dict[str, float] = {}
    for self_us, _, _, name in lines[start:end + 1]:
        root = name.split(".")[0]
        packages[root] = packages.get(root, 0.0) + self_us
    return lines[end][1], packages


def run(repeats: int = 5) -> dict:
    with tempfile.TemporaryDirectory(prefix="turno-bench-") as bare_dir, \
            tempfile.TemporaryDirectory(prefix="turno-bench-") as first_dir:
        bare, first = Path(bare_dir), Path(first_dir)
        (bare / "app.py").write_text(BARE_APP)
        (first / "app.py").write_text(FIRST_ROUTE_APP.format(root=str(ROOT), app=str(ROOT / "app.py")))
        for where in (ROOT, bare, first):  # a first run compiles bytecode; not measured
            importtime(where)
        turno, plain, with_route, turno_packages, plain_packages = [], [], [], [], []
        for _ in range(repeats):  # interleaved, so a busy moment hits all alike
            for where, totals, packages in ((ROOT, turno, turno_packages), (bare, plain, plain_packages),
                                            (first, with_route, [])):
                total, by_package = importtime(where)
                totals.append(total)
                packages.append(by_package)
    turno_median = _median_run(turno, turno_packages)
    bare_median = _median_run(plain, plain_packages)
    heaviest = sorted(turno_median, key=lambda name: -turno_median[name])[:10]
    return {
        "repeats": repeats,
        "turno_ms": [t / 1000 for t in turno],
        "bare_ms": [t / 1000 for t in plain],
        "turno_median_ms": statistics.median(turno) / 1000,
        "bare_median_ms": statistics.median(plain) / 1000,
        "first_route_ms": [t / 1000 for t in with_route],
        "first_route_median_ms": statistics.median(with_route) / 1000,
        "heaviest": [(name, turno_median[name] / 1000, bare_median.get(name, 0.0) / 1000) for name in heaviest],
    }


def _median_run(totals: list[float], packages: list[dict[str, float]]) -> dict[str, float]:
    """The package breakdown of the run whose total is the median (one real run, not a mix)."""
    return packages[totals.index(sorted(totals)[len(totals) // 2])]
