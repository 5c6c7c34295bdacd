"""The Chalice project that gets packaged, assembled in a build directory from the repository.

Chalice zips only `app.py` and `chalicelib/` into the function's package (dependencies and `vendor/`
go to the automatic layer), so the Jinja2 templates at the top of the repository would be left out
(Chalice issue #469). The stack adds `templates/` to the package itself, at its root, i.e. next to
`app.py` exactly as in the repository (`add_templates`): code that finds the templates relative to the
app's root works unchanged locally, in tests and on Lambda, and nothing generated is ever written into
the working tree.

The copy leaves out `__pycache__`, which Chalice would otherwise ship from `chalicelib/`, and keeps
`.chalice/deployments/` between builds: Chalice caches the dependency layer there.
"""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
APP_FILES = ("app.py", "requirements.txt")
APP_DIRS = ("chalicelib",)
TEMPLATES = "templates"
APP = Path(TEMPLATES) / "app"  # the backoffice app: only its build, dist/, is shipped
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".DS_Store")


def _ignore_templates(directory: str, names: list[str]) -> set[str]:
    """The templates, but of the backoffice app only the built files (no src/, node_modules, build stamp)."""
    ignored = set(_IGNORE(directory, names))
    if Path(directory).as_posix().endswith(APP.as_posix()):
        ignored |= {name for name in names if name != "dist"}
    return ignored | {name for name in names if name == ".built"}


def stage_project(build_dir: Path, repo: Path = REPO) -> Path:
    """Copy the parts of the repository that make up the Lambda package into `build_dir/project`."""
    project = build_dir / "project"
    project.mkdir(parents=True, exist_ok=True)
    for name in APP_FILES:
        shutil.copy2(repo / name, project / name)
    for name in (*APP_DIRS, "vendor", TEMPLATES):
        shutil.rmtree(project / name, ignore_errors=True)
    for name in APP_DIRS:
        shutil.copytree(repo / name, project / name, ignore=_IGNORE)
    (project / ".chalice").mkdir(exist_ok=True)
    shutil.copy2(repo / ".chalice" / "config.json", project / ".chalice" / "config.json")
    if (repo / "vendor").is_dir():  # none today; Chalice ships it in the layer if one appears
        shutil.copytree(repo / "vendor", project / "vendor", ignore=_IGNORE)
    if (repo / TEMPLATES).is_dir():
        shutil.copytree(repo / TEMPLATES, project / TEMPLATES, ignore=_ignore_templates)
    return project


def add_templates(package: Path, project: Path) -> None:
    """Append the project's `templates/` to the function's zip, at `templates/` next to `app.py`."""
    templates = project / TEMPLATES
    if not templates.is_dir():
        raise RuntimeError(f"{templates} is missing: the messages and pages could not be rendered on Lambda")
    if not (project / APP / "dist" / "index.html").is_file():
        raise RuntimeError(f"{project / APP / 'dist'} is missing: build the backoffice app first (make synth does)")
    with zipfile.ZipFile(package, "a", zipfile.ZIP_DEFLATED) as archive:
        if any(name.startswith(f"{TEMPLATES}/") for name in archive.namelist()):
            raise RuntimeError(f"{package} already has a {TEMPLATES}/ folder")
        for path in sorted(p for p in templates.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(project).as_posix())
