"""The casework workflow is plain Python: importing it loads no Django module."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
import lens.casework.workflow, lens.casework.weighing, lens.casework.periods
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print(",".join(loaded) or "none")
"""


def run_probe(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip()


def test_workflow_imports_no_django():
    assert run_probe(PROBE) == "none"


def test_the_probe_sees_django_when_it_is_imported():
    # The probe itself can fail: the same check after importing Django reports it.
    assert "django" in run_probe("import django\n" + PROBE).split(",")
