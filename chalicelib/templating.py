"""The one Jinja2 loader for messages and pages.

`templates/` sits next to `app.py` in the repository, and the build puts it at the same place in
the Lambda package (infra/turno_infra/project.py), so one relative path works everywhere.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


@lru_cache(maxsize=1)
def environment() -> "Environment":
    """HTML is escaped by default; a missing variable is an error, never an empty string. Jinja2 loads
    with the first page or message rendered, not with `import app`."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "htm", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
