"""Files are written beside their target under a hidden temporary name, then renamed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rca_desk.interchange.files import ExportError, atomic_write_bytes


def test_the_temporary_file_is_hidden_beside_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Path] = []
    real = Path.replace

    def replace(self: Path, target: Path) -> Path:
        seen.append(self)
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    atomic_write_bytes(tmp_path / "report.dot", b"digraph {}")
    (temporary,) = seen
    assert temporary.parent == tmp_path
    assert temporary.name.startswith(".report.dot.")
    assert temporary.name.endswith(".part")
    assert (tmp_path / "report.dot").read_bytes() == b"digraph {}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.dot"]


def test_a_bare_file_name_is_written_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    atomic_write_bytes("plain.txt", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.txt"]


def test_a_missing_folder_is_refused_by_name(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "file.json"
    with pytest.raises(ExportError) as refused:
        atomic_write_bytes(target, b"x")
    assert str(refused.value) == f"{target}: cannot be written (No such file or directory)."


def test_a_failed_rename_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "old.json").write_bytes(b"before")

    def refuse(self: Path, target: Path) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(ExportError) as refused:
        atomic_write_bytes(tmp_path / "old.json", b"after")
    assert str(refused.value) == f"{tmp_path / 'old.json'}: cannot be written (Permission denied)."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.json"]
    assert (tmp_path / "old.json").read_bytes() == b"before"


def test_a_temporary_file_that_cannot_be_removed_does_not_hide_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Path, target: Path) -> Path:
        raise PermissionError(13, "Permission denied")

    def cannot_unlink(self: Path, missing_ok: bool = False) -> None:
        raise OSError(16, "Device or resource busy")

    monkeypatch.setattr(Path, "replace", refuse)
    monkeypatch.setattr(Path, "unlink", cannot_unlink)
    with pytest.raises(ExportError, match=r"cannot be written \(Permission denied\)\.$"):
        atomic_write_bytes(tmp_path / "x.json", b"x")
    assert os.path.exists(tmp_path)
