"""The Lambda package's zipped size, read from `make synth`'s cloud assembly (prod stage)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CDK_OUT = ROOT / "infra" / "cdk.out"
GOAL_BYTES = 15_000_000  # function + layer, zipped


def run(cdk_out: Path = CDK_OUT, stage: str = "prod") -> dict[str, int] | None:
    """Bytes of each zip of the stage (the function's package and the dependency layer), or None."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("turno_infra_report", ROOT / "infra" / "report.py")
    report = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(report)
    if not cdk_out.is_dir():
        return None
    try:
        zips = report.package_zips(cdk_out, stage)
    except (Exception, SystemExit):  # noqa: BLE001 - an older or partial assembly: no figure, not a crash
        return None
    return {name: path.stat().st_size for name, path in zips.items()}
