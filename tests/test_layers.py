"""The import contracts in pyproject.toml ([tool.importlinter]) hold, and they are live.

``lint-imports`` runs on the real package and must pass; then, on a copy of the package
with one bad import planted, it must fail and name the contract that the import breaks.
Without the second half a contract that checks nothing (a typo in a module name, a
layer list that no longer matches the folders) would pass forever.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.subprocess

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

LAYERS = "Layers: cli > ui > render > interchange > store | layout > model"
NO_QT = "The model and the layout import no Qt"
NO_SQL = "Only the store imports SQL libraries"
NO_PSYCOPG = "Only the store imports psycopg"
UI_LAYERS = "Inside ui: workspace > incident > canvas | review > document > common"
CONTRACTS = (LAYERS, UI_LAYERS, NO_QT, NO_SQL, NO_PSYCOPG)


def lint_imports(config: Path, *, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONPATH": str(cwd)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_package_keeps_every_contract() -> None:
    result = lint_imports(ROOT / "pyproject.toml", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in CONTRACTS:
        assert f"{name} KEPT" in result.stdout
    assert "5 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "planted", "broken"),
    [
        ("model/errors.py", "import PySide6", NO_QT),
        ("layout/geometry.py", "from shiboken6 import isValid", NO_QT),
        ("interchange/json_format.py", "import sqlite3", NO_SQL),
        ("ui/common/plain.py", "import sqlite_utils", NO_SQL),
        ("ui/document/watcher.py", "import psycopg", NO_PSYCOPG),
        ("cli/main.py", "from psycopg import sql", NO_PSYCOPG),
        ("interchange/json_format.py", "import psycopg_pool", NO_PSYCOPG),
        ("__main__.py", "import psycopg", NO_PSYCOPG),
        # store and layout are independent siblings
        ("layout/text.py", "from rca_desk.store import paths", LAYERS),
        # the model is the lowest layer
        ("model/vocab.py", "import rca_desk.interchange", LAYERS),
        # inside ui: the document never reaches up into the widgets that observe it
        ("ui/document/changes.py", "import rca_desk.ui.canvas.nodes", UI_LAYERS),
        ("ui/review/pareto.py", "import rca_desk.ui.canvas.nodes", UI_LAYERS),
    ],
)
def test_a_planted_import_breaks_its_contract(
    tmp_path: Path, module: str, planted: str, broken: str
) -> None:
    copy = tmp_path / "rca_desk"
    shutil.copytree(ROOT / "rca_desk", copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = copy / module
    assert target.is_file(), module
    target.write_text(target.read_text("utf-8") + f"\n{planted}  # planted by the test\n", "utf-8")

    result = lint_imports(tmp_path / "pyproject.toml", cwd=tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{broken} BROKEN" in result.stdout
    for name in CONTRACTS:
        if name != broken:
            assert f"{name} KEPT" in result.stdout
    assert "4 kept, 1 broken" in result.stdout
    dotted = "rca_desk." + module.removesuffix(".py").replace("/", ".")
    assert dotted in result.stdout  # the report names the offending module


def test_the_planted_copy_is_what_gets_checked(tmp_path: Path) -> None:
    """An unchanged copy passes, so the failures above come from the planted line alone."""
    shutil.copytree(ROOT / "rca_desk", tmp_path / "rca_desk")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    result = lint_imports(tmp_path / "pyproject.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 kept, 0 broken" in result.stdout


def test_the_store_may_import_psycopg(tmp_path: Path) -> None:
    """The PostgreSQL backend lives in the store: the same import there breaks nothing."""
    copy = tmp_path / "rca_desk"
    shutil.copytree(ROOT / "rca_desk", copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = copy / "store" / "interface.py"
    planted = "\nimport psycopg  # planted by the test\n"
    target.write_text(target.read_text("utf-8") + planted, "utf-8")
    result = lint_imports(tmp_path / "pyproject.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 kept, 0 broken" in result.stdout
