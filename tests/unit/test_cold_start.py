"""What a cold start loads: `import app` in a fresh interpreter must not load what only some routes use.

PyJWT (and cryptography under it) checks staff tokens: it loads with the first staff request, never for a
public one. phonenumbers and email-validator load when a contact is first checked. The use cases, the
repositories (PynamoDB, and botocore with it) and Jinja2 load when a route first runs: route modules take
them with `later(...)` (chalicelib/later.py). `make bench` prints the time; here the modules themselves
are counted, which is the same on every machine.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ONLY_WHEN_USED = ("jwt", "cryptography", "phonenumbers", "email_validator")
# botocore's package alone is imported by Powertools (its user agent); its client machinery is the cost.
WITH_THE_FIRST_ROUTE = ("jinja2", "pynamodb", "botocore.client", "boto3", "chalicelib.services", "chalicelib.repositories",
                        "chalicelib.notifications")


def loaded_after(code: str) -> set[str]:
    """Every module in sys.modules, and its top-level package, after running `code` in a fresh interpreter at the repository root."""
    script = (f"{code}\nimport json, sys\n"
              "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} | set(sys.modules))))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=os.environ, capture_output=True, text=True,
                          check=True, timeout=120)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_importing_the_app_loads_no_token_or_contact_library():
    assert loaded_after("import app") & set(ONLY_WHEN_USED) == set()


def test_importing_the_app_loads_no_use_case_storage_or_template():
    assert loaded_after("import app") & set(WITH_THE_FIRST_ROUTE) == set()


def test_a_route_loads_what_it_needs_when_it_runs():
    """The public booking page: the booking use case, the repositories and Jinja2 load with the request
    (the tables are created only after the request's modules have been looked up, hence here)."""
    loaded = loaded_after(
        "import app\n"
        "from chalice.test import Client\n"
        "from moto import mock_aws\n"
        "with mock_aws(), Client(app.app, stage_name='test') as client:\n"
        "    from chalicelib.repositories.store import create_tables\n"
        "    create_tables()\n"
        "    assert client.http.get('/b/nobody').status_code == 404\n"
    )
    assert {"jinja2", "pynamodb", "botocore.client", "chalicelib.services", "chalicelib.repositories"} <= loaded


def test_checking_a_token_or_a_contact_loads_them_when_needed():
    loaded = loaded_after(
        "import app\n"
        "from chalicelib.auth.tokens import InvalidTokenError, verify_access_token\n"
        "from chalicelib.domain.contact import normal_email, normal_phone\n"
        "normal_email('eva@example.com'); normal_phone('+34 612 345 678')\n"
        "try:\n"
        "    verify_access_token('not.a.token', keys_url='https://keys.invalid/', issuer='i', client_id='c')\n"
        "except InvalidTokenError:\n"
        "    pass\n"
    )
    assert set(ONLY_WHEN_USED) <= loaded
