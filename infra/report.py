"""Figures of the Lambda package in a synthesized cloud assembly: sizes and the cold-start import.

    python infra/report.py [CDK_OUT] [STAGE]

Prints figures and never fails on them. The import is timed in fresh interpreters started with -S
inside the unzipped package, so only the standard library and the package itself are importable,
as on Lambda (whose runtime adds boto3, which `import app` does not need).
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

RUNS = 7


def package_zip(cdk_out: Path, stage: str) -> Path:
    """The Lambda code asset of a stage's stack (the only zip file asset Turno has)."""
    manifest = json.loads((cdk_out / f"{stage}.assets.json").read_text())
    zips = [cdk_out / f["source"]["path"] for f in manifest["files"].values()
            if f["source"]["path"].endswith(".zip")]
    if len(zips) != 1:
        raise SystemExit(f"expected one zip asset in {stage}.assets.json, found {zips}")
    return zips[0]


def lambda_like_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TURNO_", "PYTHON", "AWS_"))}
    env.update({"TURNO_STAGE": "prod", "TURNO_SIGNING_KEY": "k" * 64, "TURNO_TABLE": "turno-prod",
                "TURNO_IDEMPOTENCY_TABLE": "turno-prod-idempotency", "AWS_DEFAULT_REGION": "eu-west-1",
                "PYTHONDONTWRITEBYTECODE": "1"})
    return env


def import_seconds(package_dir: Path, runs: int = RUNS) -> list[float]:
    """Wall time of `python -S -c 'import app'` in the package, interpreter start-up excluded."""
    code = "import time; t = time.perf_counter(); import app; print(time.perf_counter() - t)"
    return [float(subprocess.run([sys.executable, "-S", "-c", code], cwd=package_dir, env=lambda_like_env(),
                                 check=True, capture_output=True, text=True).stdout) for _ in range(runs)]


def slowest_imports(package_dir: Path, top: int = 8) -> list[tuple[int, str]]:
    """Where `import app` spends its time, per top-level package (sum of -X importtime self us)."""
    result = subprocess.run([sys.executable, "-S", "-X", "importtime", "-c", "import app"], cwd=package_dir,
                            env=lambda_like_env(), check=True, capture_output=True, text=True)
    rows = []  # (self us, cumulative us, depth, name), children listed before their parent
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            label = parts[2][1:]
            self_us = int(parts[0].rsplit(":", 1)[1])
            rows.append((self_us, int(parts[1]), (len(label) - len(label.lstrip())) // 2, label.strip()))
    (end,) = [i for i, row in enumerate(rows) if row[2:] == (0, "app")]
    start = max([i for i in range(end) if rows[i][2] == 0], default=-1) + 1
    per_package: Counter[str] = Counter()
    for self_us, _, _, name in rows[start:end + 1]:
        top_level = name.split(".", 1)[0]
        per_package["(stdlib)" if top_level in sys.stdlib_module_names else top_level] += self_us
    return [(rows[end][1], "total")] + [(us, name) for name, us in per_package.most_common(top)]


def main() -> None:
    cdk_out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "cdk.out")
    stage = sys.argv[2] if len(sys.argv) > 2 else "prod"
    package = package_zip(cdk_out, stage)
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(package) as archive:
        archive.extractall(tmp)
        infos = archive.infolist()
        unzipped = sum(i.file_size for i in infos)
        by_top = Counter()
        for info in infos:
            by_top[info.filename.split("/", 1)[0]] += info.file_size
        started = time.perf_counter()
        seconds = import_seconds(Path(tmp))
        measured_in = time.perf_counter() - started
        slowest = slowest_imports(Path(tmp))
        for cache in list(Path(tmp).rglob("__pycache__")):  # as Chalice alone would ship it
            shutil.rmtree(cache)
        without_bytecode = import_seconds(Path(tmp))
    mib = 1024 * 1024
    print(f"Lambda package ({stage}): {package.stat().st_size / mib:.1f} MiB zipped, "
          f"{unzipped / mib:.1f} MiB unzipped, {len(infos)} files")
    print("  largest top-level entries: " + ", ".join(
        f"{name} {size / mib:.1f} MiB" for name, size in by_top.most_common(6)))
    print(f"Cold-start `import app` ({RUNS} fresh interpreters, -S, package only): "
          f"median {statistics.median(seconds) * 1000:.0f} ms, min {min(seconds) * 1000:.0f} ms, "
          f"max {max(seconds) * 1000:.0f} ms (measured in {measured_in:.1f} s)")
    print(f"  the same without the package's .pyc files: median "
          f"{statistics.median(without_bytecode) * 1000:.0f} ms, min {min(without_bytecode) * 1000:.0f} ms")
    print("  -X importtime, by package: " + ", ".join(
        f"{name} {us / 1000:.0f} ms" for us, name in slowest))


if __name__ == "__main__":
    main()
