"""The Chalice project that gets packaged, assembled in a build directory from the repository.

Chalice zips only `app.py`, `chalicelib/` and the *contents* of `vendor/` (copied to the root of
the zip). The Jinja2 templates live at the top of the repository, so they would be left out.
Instead of copying them into `chalicelib/` or committing a `vendor/` symlink, the build assembles
a copy of the project where `templates/` sits at `vendor/templates/`: Chalice then puts it at
`templates/` in the zip, i.e. next to `app.py` exactly as in the repository. Code that finds the
templates relative to the app's root works unchanged locally, in tests and on Lambda, and nothing
generated is ever written into the working tree.

The copy leaves out `__pycache__`, which Chalice would otherwise ship from `chalicelib/`, and
keeps `.chalice/deployments/` between builds: Chalice caches the built dependencies there.
"""
from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
APP_FILES = ("app.py", "requirements.txt")
APP_DIRS = ("chalicelib",)
TEMPLATES = "templates"
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".DS_Store")


def stage_project(build_dir: Path, repo: Path = REPO) -> Path:
    """Copy the parts of the repository that make up the Lambda package into `build_dir/project`."""
    project = build_dir / "project"
    project.mkdir(parents=True, exist_ok=True)
    for name in APP_FILES:
        shutil.copy2(repo / name, project / name)
    for name in (*APP_DIRS, "vendor"):
        shutil.rmtree(project / name, ignore_errors=True)
    for name in APP_DIRS:
        shutil.copytree(repo / name, project / name, ignore=_IGNORE)
    (project / ".chalice").mkdir(exist_ok=True)
    shutil.copy2(repo / ".chalice" / "config.json", project / ".chalice" / "config.json")
    if (repo / "vendor").is_dir():  # none today; Chalice ships it as is if one appears
        shutil.copytree(repo / "vendor", project / "vendor", ignore=_IGNORE)
    templates = repo / TEMPLATES
    if templates.is_dir():
        shutil.copytree(templates, project / "vendor" / TEMPLATES, ignore=_IGNORE)  # fails if vendor/ has one
    return project
