"""Figures of the Lambda package in a synthesized cloud assembly: sizes and the cold-start import.

    python infra/report.py [CDK_OUT] [STAGE]

Prints figures and never fails on them. The import is timed in fresh interpreters started with -S
inside the unzipped package with the unzipped layer on PYTHONPATH, so only the standard library,
the package and its layer are importable, as on Lambda (whose runtime adds boto3, which `import app`
does not need). `tests/infra` imports this module to unpack the package the same way.
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


def package_zips(cdk_out: Path, stage: str) -> dict[str, Path]:
    """The Lambda code assets of a stage's stack: the functions' zip and the dependency layer's."""
    manifest = json.loads((cdk_out / f"{stage}.assets.json").read_text())
    found: dict[str, Path] = {}
    for entry in manifest["files"].values():
        path = cdk_out / entry["source"]["path"]
        if path.suffix != ".zip":
            continue
        with zipfile.ZipFile(path) as archive:
            kind = "function" if "app.py" in archive.namelist() else "layer"
        if kind in found:
            raise SystemExit(f"two {kind} zips in {stage}.assets.json: {found[kind]}, {path}")
        found[kind] = path
    if set(found) != {"function", "layer"}:
        raise SystemExit(f"expected a function zip and a layer zip in {stage}.assets.json, found {found}")
    return found


def unpack(cdk_out: Path, stage: str, dest: Path) -> tuple[Path, Path]:
    """Unzip the function as Lambda does (its zip at /var/task, the layer's at /opt): (task, opt)."""
    zips = package_zips(cdk_out, stage)
    task, opt = dest / "task", dest / "opt"
    for path, target in ((zips["function"], task), (zips["layer"], opt)):
        with zipfile.ZipFile(path) as archive:
            archive.extractall(target)
    return task, opt


def layer_path(opt: Path) -> Path:
    """Where Lambda's Python runtime finds a layer's packages (on sys.path after /var/task)."""
    (found,) = (opt / "python" / "lib").glob("python3.*/site-packages")
    return found


def lambda_like_env(opt: Path) -> dict[str, str]:
    """No TURNO_/AWS_ settings from the caller; the layer on PYTHONPATH as on Lambda."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TURNO_", "PYTHON", "AWS_", "VIRTUAL_ENV"))}
    env.update({"TURNO_STAGE": "prod", "TURNO_SIGNING_KEY": "k" * 64, "TURNO_PRIVACY_KEY": "p" * 64, "TURNO_TABLE": "turno-prod",
                "TURNO_IDEMPOTENCY_TABLE": "turno-prod-idempotency", "AWS_DEFAULT_REGION": "eu-west-1",
                "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(layer_path(opt))})
    return env


def import_seconds(task: Path, opt: Path, runs: int = RUNS, module: str = "app") -> list[float]:
    """Wall time of `python -S -c 'import app'` in the package, interpreter start-up excluded."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    return [float(subprocess.run([sys.executable, "-S", "-c", code], cwd=task, env=lambda_like_env(opt),
                                 check=True, capture_output=True, text=True).stdout) for _ in range(runs)]


def slowest_imports(task: Path, opt: Path, top: int = 8) -> list[tuple[int, str]]:
    """Where `import app` spends its time, per top-level package (sum of -X importtime self us)."""
    result = subprocess.run([sys.executable, "-S", "-X", "importtime", "-c", "import app"], cwd=task,
                            env=lambda_like_env(opt), check=True, capture_output=True, text=True)
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
    zips = package_zips(cdk_out, stage)
    mib = 1024 * 1024
    template = json.loads((cdk_out / f"{stage}.template.json").read_text())
    types = Counter(r["Type"] for r in template["Resources"].values())
    print(f"Template ({stage}): {sum(types.values())} resources, of them " + ", ".join(
        f"{n} {t.split('::', 1)[1]}" for t, n in types.most_common(6)))
    with tempfile.TemporaryDirectory() as tmp:
        task, opt = unpack(cdk_out, stage, Path(tmp))
        for kind, path in zips.items():
            with zipfile.ZipFile(path) as archive:
                infos = archive.infolist()
            by_top: Counter[str] = Counter()
            for info in infos:
                parts = info.filename.split("/")
                by_top[parts[4] if kind == "layer" and len(parts) > 5 else parts[0]] += info.file_size
            print(f"Lambda {kind} zip ({stage}): {path.stat().st_size / mib:.1f} MiB zipped, "
                  f"{sum(i.file_size for i in infos) / mib:.1f} MiB unzipped, {len(infos)} files; largest: "
                  + ", ".join(f"{name} {size / mib:.1f} MiB" for name, size in by_top.most_common(5)))
        started = time.perf_counter()
        seconds = import_seconds(task, opt)
        measured_in = time.perf_counter() - started
        slowest = slowest_imports(task, opt)
        bare = import_seconds(task, opt, module="chalice.app")  # the floor: Chalice's own router
        for cache in [*task.rglob("__pycache__"), *opt.rglob("__pycache__")]:  # as Chalice alone would ship it
            shutil.rmtree(cache)
        without_bytecode = import_seconds(task, opt)
    print(f"Cold-start `import app` ({RUNS} fresh interpreters, -S, package and layer only): "
          f"median {statistics.median(seconds) * 1000:.0f} ms, min {min(seconds) * 1000:.0f} ms, "
          f"max {max(seconds) * 1000:.0f} ms (measured in {measured_in:.1f} s)")
    print(f"  for scale, `import chalice.app` alone on this machine now: median {statistics.median(bare) * 1000:.0f} ms")
    print(f"  the same without the package's .pyc files: median "
          f"{statistics.median(without_bytecode) * 1000:.0f} ms, min {min(without_bytecode) * 1000:.0f} ms")
    print("  -X importtime, by package: " + ", ".join(
        f"{name} {us / 1000:.0f} ms" for us, name in slowest))


if __name__ == "__main__":
    main()
