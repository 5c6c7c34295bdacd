"""The built Lambda package, unzipped as Lambda does (function at /var/task, layer at /opt): it holds
`templates/` and everything the functions import, and renders a template with nothing but the
runtime requirements (the layer Chalice built from requirements.txt) and the standard library."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO, report

pytestmark = pytest.mark.slow
SENTINEL = "ZZ-rendered-value-ZZ"

# Runs inside the unzipped package with `python -S`: no site-packages, only the stdlib, the package
# (cwd) and the layer (PYTHONPATH). Imports every module of the app and renders every template.
PROBE = f"""
import importlib, json, pkgutil, sys
import app
import chalicelib
modules = []
for info in pkgutil.walk_packages(chalicelib.__path__, "chalicelib."):
    importlib.import_module(info.name)
    modules.append(info.name)
from jinja2 import ChainableUndefined, meta
from chalicelib import templating
env = templating.environment()
lenient = env.overlay(undefined=ChainableUndefined)
names = [n for n in env.list_templates() if not n.rsplit("/", 1)[-1].startswith(".") and not n.startswith("app/")]
rendered = {{}}
for name in names:
    env.get_template(name)  # every template compiles with the real environment
    source = env.loader.get_source(env, name)[0]
    values = {{v: {SENTINEL!r} for v in meta.find_undeclared_variables(env.parse(source))}}
    for context in (values, {{}}):  # text where a template takes text, else everything left undefined
        try:
            rendered[name] = lenient.get_template(name).render(context)
            break
        except Exception as error:  # e.g. a template that includes one named by its values
            rendered[name] = "!" + type(error).__name__
# What the trimmed layer must still do (infra/turno_infra/trim.py): every language, every client.
from datetime import date
from babel.dates import format_date
from babel.numbers import format_currency
from chalicelib.notifications.render import LOCALES
formatted = {{code: format_date(date(2026, 3, 24), "full", locale=code) + " " + format_currency(25, "EUR", locale=code)
             for code in LOCALES}}
import botocore.session
session = botocore.session.get_session()
clients = sorted(session.create_client(name, region_name="eu-west-1", aws_access_key_id="x",
                                       aws_secret_access_key="x").meta.service_model.service_name
                 for name in ("dynamodb", "cognito-idp", "sesv2", "sns", "sts"))
print(json.dumps({{"path": sys.path, "modules": modules, "rendered": rendered, "formatted": formatted,
                  "clients": clients, "app": app.__file__, "templates_dir": str(templating.TEMPLATES_DIR)}}))
"""


@pytest.fixture(scope="module")
def package(assembly, tmp_path_factory):
    task, opt = report.unpack(assembly.out, "prod", tmp_path_factory.mktemp("lambda"))
    return task, opt


def repo_templates(assembly) -> set[str]:
    found = {name for name in assembly.files if name.startswith("templates/")}
    if not found:
        pytest.fail("templates/ is empty: nothing proves the package can render messages or pages", pytrace=False)
    return found


def test_the_function_zip_holds_the_app_chalicelib_and_every_template(assembly, package):
    task, _ = package
    shipped = {p.relative_to(task).as_posix() for p in task.rglob("*") if p.is_file()}
    assert "app.py" in shipped
    sources = {name for name in assembly.files if name.startswith("chalicelib/") and name.endswith(".py")}
    assert sources <= shipped
    assert {name for name in shipped if name.startswith("templates/")} == repo_templates(assembly)
    # Compiled for Lambda (see infra/turno_infra/bytecode.py): no module is compiled at cold start.
    for source in sources:
        folder, _, stem = source.removesuffix(".py").rpartition("/")
        assert any(name.startswith(f"{folder}/__pycache__/{stem}.cpython-3") for name in shipped), source


def test_the_function_zip_carries_the_built_backoffice_app_and_not_its_sources(package):
    """The app serves templates/app/dist (chalicelib/api/admin_app.py); src/ and node_modules stay home."""
    task, _ = package
    app = task / "templates" / "app"
    assert sorted(p.name for p in app.iterdir()) == ["dist"]
    index = (app / "dist" / "index.html").read_text(encoding="utf-8")
    loaded = re.findall(r'(?:src|href)="assets/([^"]+)"', index)
    assert any(n.endswith(".js") for n in loaded) and any(n.endswith(".css") for n in loaded)
    for name in loaded:
        assert (app / "dist" / "assets" / name).is_file(), name
    assert not [p for p in task.rglob("node_modules")] and not (app / "dist" / ".built").exists()


def test_the_layer_holds_the_runtime_requirements_and_no_test_tools(package):
    _, opt = package
    site = report.layer_path(opt)
    top = {p.name.lower() for p in site.iterdir()}
    for needed in ("pynamodb", "jinja2", "aws_lambda_powertools", "babel", "botocore"):
        assert needed in top
    for dev_only in ("moto", "pytest", "hypothesis", "chalice", "boto3", "aws_cdk"):
        assert dev_only not in top, f"{dev_only} is not a runtime requirement"


def test_the_packaged_app_imports_and_renders_templates_with_runtime_requirements_only(assembly, package):
    task, opt = package
    result = subprocess.run([sys.executable, "-S", "-c", PROBE], cwd=task, env=report.lambda_like_env(opt),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    probe = json.loads(result.stdout)
    assert not [p for p in probe["path"] if "site-packages" in p and not p.startswith(str(opt))], probe["path"]
    assert Path(probe["app"]).parent == task
    assert Path(probe["templates_dir"]) == task / "templates"
    assert {"chalicelib.jobs.handlers", "chalicelib.auth.authorizer"} <= set(probe["modules"])
    rendered = probe["rendered"]
    assert set(rendered) == {n.removeprefix("templates/") for n in repo_templates(assembly)
                             if not n.rsplit("/", 1)[-1].startswith(".") and not n.startswith("templates/app/")}
    with_values = [n for n, text in rendered.items() if SENTINEL in text]
    assert with_values, "no template rendered the values it was given"
    assert len([n for n, text in rendered.items() if text.startswith("!")]) < len(rendered) / 2
    assert set(probe["formatted"]) == {"cs", "en", "es", "et", "it"} and all(probe["formatted"].values())
    assert probe["clients"] == ["cognito-idp", "dynamodb", "sesv2", "sns", "sts"]


def test_the_package_and_layer_are_at_most_15_mb_zipped_with_only_the_locales_turno_speaks(assembly):
    zips = report.package_zips(assembly.out, "prod")
    assert sum(path.stat().st_size for path in zips.values()) <= 15_000_000
    with zipfile.ZipFile(zips["layer"]) as archive:
        names = archive.namelist()
    locales = {n.rsplit("/", 1)[-1].removesuffix(".dat") for n in names
               if "/babel/locale-data/" in n and n.endswith(".dat")}
    assert locales == {"root", "cs", "en", "es", "et", "it"}
    services = {rest.split("/")[0] for n in names if "/botocore/data/" in n
                for rest in [n.split("/botocore/data/", 1)[1]] if "/" in rest}
    assert {"dynamodb", "sesv2", "sns", "cognito-idp"} <= services and "ec2" not in services
    assert not [n for n in names if "/site-packages/dns/" in n or "/icalendar/tests/" in n]


def test_the_package_unzips_under_lambdas_limits(assembly):
    zips = report.package_zips(assembly.out, "prod")
    unzipped = 0
    for path in zips.values():
        with zipfile.ZipFile(path) as archive:
            unzipped += sum(i.file_size for i in archive.infolist())
    assert unzipped < 250 * 1024 * 1024  # function and layers together, unzipped
