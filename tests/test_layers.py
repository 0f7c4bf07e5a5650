"""The layers of docs/design/layers.md, as `make lint` checks them with import-linter:
they hold on the tree, and each contract fails when a wrong import is added (on a copy of
the package, so that this test cannot pass by checking nothing)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


@pytest.fixture(scope="module")
def copy_of_the_tree(tmp_path_factory) -> Path:
    tree = tmp_path_factory.mktemp("layers")
    shutil.copytree(ROOT / "lens", tree / "lens", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


@pytest.mark.parametrize(
    "module, wrong_import, broken",
    [
        # The data model reaching up into the pages.
        ("lens/data/registry.py", "from lens.registry import views", "Layers"),
        # The policy importing the app that contributes a scope to it.
        ("lens/access/policy.py", "from lens.coordination import clusters", "Layers"),
        # The catalogue importing the registry back.
        ("lens/catalogue/services.py", "from lens.registry import tasks", "Layers"),
        # The pure engine importing Django.
        ("lens/rules/engine.py", "import django.db", "plain Python"),
        # Two modules of one package importing each other (verify builds on log).
        ("lens/access/log.py", "from lens.access import verify", "No package cycle"),
        # A view writing the access log itself instead of reading through the policy.
        ("lens/coordination/views/network.py", "from lens.access import log", "No page or API"),
        ("lens/registry/views_forms.py", "from lens.access.log import record", "No page or API"),
        ("lens/api/views/base.py", "from lens.access import log_sql", "No page or API"),
    ],
)
def test_a_wrong_import_breaks_a_contract(copy_of_the_tree, module, wrong_import, broken):
    path = copy_of_the_tree / module
    original = path.read_text()
    path.write_text(original + f"\n{wrong_import}  # noqa\n")
    try:
        result = lint_imports(copy_of_the_tree)
    finally:
        path.write_text(original)
    assert result.returncode == 1, result.stdout
    broken_line = next(line for line in result.stdout.splitlines() if line.endswith("BROKEN"))
    assert broken in broken_line
