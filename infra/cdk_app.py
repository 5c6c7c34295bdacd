"""The CDK app: `python cdk_app.py` synthesizes every stage into $CDK_OUTDIR (or ./cdk.out).

Not called app.py on purpose: Chalice's packager runs `import app` to load the Chalice app, and a
CDK entry point of the same name on sys.path could be imported in its place.
Context `stages=dev,prod` (or env TURNO_STAGES) limits which stages are synthesized.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import aws_cdk as cdk  # noqa: E402

from turno_infra.project import stage_project  # noqa: E402
from turno_infra.stack import TurnoStack  # noqa: E402
from turno_infra.stages import STAGES  # noqa: E402


def main() -> None:
    started = time.perf_counter()
    outdir = os.environ.get("CDK_OUTDIR") or str(HERE / "cdk.out")  # the CDK CLI sets CDK_OUTDIR
    app = cdk.App(outdir=outdir, analytics_reporting=False)
    wanted = app.node.try_get_context("stages") or os.environ.get("TURNO_STAGES") or ",".join(STAGES)
    names = [n.strip() for n in wanted.split(",") if n.strip()]
    unknown = set(names) - set(STAGES)
    if unknown:
        raise SystemExit(f"unknown stage(s) {sorted(unknown)}; known: {sorted(STAGES)}")
    build_dir = Path(os.environ.get("TURNO_BUILD_DIR", HERE / "build")).resolve()
    build_dir.mkdir(parents=True, exist_ok=True)
    with open(build_dir / ".lock", "w") as lock:  # one synthesis at a time per build directory
        fcntl.flock(lock, fcntl.LOCK_EX)
        project_dir = stage_project(build_dir)
        for name in names:
            TurnoStack(app, STAGES[name], project_dir=project_dir, build_dir=build_dir)
        app.synth()
        for name in names:  # the package is now in the cloud assembly; drop Chalice's working copy
            shutil.rmtree(build_dir / name / "chalice.out", ignore_errors=True)
        prune_package_cache(project_dir)
    print(f"synthesized {', '.join(names)} into {outdir} in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)


def prune_package_cache(project_dir: Path) -> None:
    """Chalice caches the dependency layer per requirements.txt and the app's zip per version of the
    code: keep the newest few of each so an edit-synth loop does not fill the disk."""
    deployments = project_dir / ".chalice" / "deployments"
    layers = set(deployments.glob("managed-layer-*.zip"))
    for kind in (layers, set(deployments.glob("*.zip")) - layers):
        for old in sorted(kind, key=lambda p: p.stat().st_mtime)[:-2]:
            old.unlink()


if __name__ == "__main__":
    main()
