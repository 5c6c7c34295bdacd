"""bandit over the code that ships (app.py, chalicelib/): no finding of medium or high severity.

A finding is fixed, or justified where it is with `# nosec BXXX` and the reason on the same or the line above.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_bandit_finds_nothing_of_medium_or_high_severity_in_the_shipped_code():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", "app.py", "chalicelib", "-ll", "-f", "json"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert "No module named bandit" not in result.stderr, "bandit is missing: pip install -r requirements-dev.txt"
    report = json.loads(result.stdout)
    findings = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_severity']}: {r['issue_text']}"
                for r in report["results"]]
    assert findings == []
    assert not report["errors"], report["errors"]
    assert result.returncode == 0, result.stderr[-2000:]
