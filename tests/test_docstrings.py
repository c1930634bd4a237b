"""Every module and public class says why it exists (issue 9: no undocumented public class)."""

from __future__ import annotations

import ast
from pathlib import Path

import rca_desk

PACKAGE = Path(rca_desk.__file__).parent


def undocumented() -> list[str]:
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        name = path.relative_to(PACKAGE.parent).as_posix()
        if not ast.get_docstring(tree):
            missing.append(name)
        missing.extend(
            f"{name}:{node.lineno} {node.name}"
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            and not node.name.startswith("_")
            and not ast.get_docstring(node)
        )
    return missing


def test_every_module_and_public_class_has_a_docstring() -> None:
    assert undocumented() == []


def test_the_check_sees_a_class_without_one(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "rca_desk").mkdir()
    (tmp_path / "rca_desk" / "planted.py").write_text('"""A module."""\n\nclass Bare:\n    x = 1\n')
    monkeypatch.setattr(f"{__name__}.PACKAGE", tmp_path / "rca_desk")
    assert undocumented() == ["rca_desk/planted.py:3 Bare"]
