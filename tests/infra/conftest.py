"""One synthesis per test session, into a temporary cloud assembly.

The CDK app runs in infra/.venv (aws-cdk-lib is not in the main venv; `make` builds that venv on
first use), in a subprocess; the tests read its JSON output from here. Chalice's dependency layer
and the bytecode are cached in infra/build/tests, apart from `make synth`'s own build directory, so
both can run at once and a second session only rebuilds what changed.
"""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
INFRA = REPO / "infra"
INFRA_PY = INFRA / ".venv" / "bin" / "python"
STAGES = ("dev", "prod")


def load_infra_module(name: str, path: Path) -> ModuleType:
    """A stdlib-only module of infra/ (access.py, tables.py, stages.py, report.py), loaded without aws_cdk."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


access = load_infra_module("turno_infra_access", INFRA / "turno_infra" / "access.py")
tables = load_infra_module("turno_infra_tables", INFRA / "turno_infra" / "tables.py")
stages = load_infra_module("turno_infra_stages", INFRA / "turno_infra" / "stages.py")
report = load_infra_module("turno_infra_report", INFRA / "report.py")


@dataclass
class Assembly:
    out: Path
    seconds: float
    templates: dict[str, dict[str, Any]]
    files: set[str]  # chalicelib/ and templates/ files of the working tree when synthesis started

    def resources(self, stage: str, type_: str) -> dict[str, dict[str, Any]]:
        return {lid: r for lid, r in self.templates[stage]["Resources"].items() if r["Type"] == type_}


APP = REPO / "templates" / "app"


def shipped(path: Path) -> bool:
    """Of the backoffice app (templates/app) only the build, dist/, goes to Lambda: no sources, no node_modules."""
    if not path.is_relative_to(APP):
        return True
    return path.is_relative_to(APP / "dist") and path.name != ".built"


@pytest.fixture(scope="session")
def assembly(tmp_path_factory) -> Assembly:
    installed = subprocess.run(["make", "-s", "infra/.venv/.installed"], cwd=REPO, capture_output=True, text=True)
    if installed.returncode:
        pytest.fail(f"could not install infra/.venv:\n{installed.stdout[-2000:]}{installed.stderr[-2000:]}",
                    pytrace=False)
    out = tmp_path_factory.mktemp("cdk.out")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TURNO_", "AWS_", "VIRTUAL_ENV", "PYTHON"))}
    env.update({"CDK_OUTDIR": str(out), "TURNO_BUILD_DIR": str(INFRA / "build" / "tests"),
                "TURNO_STAGES": ",".join(STAGES), "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"})
    files = {p.relative_to(REPO).as_posix() for folder in ("chalicelib", "templates")
             for p in (REPO / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts and shipped(p)}
    started = time.perf_counter()
    result = subprocess.run([str(INFRA_PY), str(INFRA / "cdk_app.py")], cwd=INFRA, env=env,
                            capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode:
        pytest.fail(f"synthesis failed:\n{result.stderr[-4000:]}", pytrace=False)
    templates = {stage: json.loads((out / f"{stage}.template.json").read_text()) for stage in STAGES}
    return Assembly(out=out, seconds=seconds, templates=templates, files=files)
