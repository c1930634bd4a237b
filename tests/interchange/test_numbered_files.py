"""Several pages of one export: ``NAME-1.svg``, ``NAME-2.svg`` … beside the name chosen,
each written whole, and a refusal part way says which were written (issue 13)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rca_desk.interchange.files import ExportError, numbered_paths, write_files


def test_one_page_keeps_the_name_and_several_are_numbered_before_the_extension(
    tmp_path: Path,
) -> None:
    assert numbered_paths(tmp_path / "whys.svg", 1) == [tmp_path / "whys.svg"]
    assert [p.name for p in numbered_paths(tmp_path / "a.b.png", 3)] == [
        "a.b-1.png",
        "a.b-2.png",
        "a.b-3.png",
    ]
    written = write_files(tmp_path / "whys.svg", [b"one", b"two"])
    assert [p.read_bytes() for p in written] == [b"one", b"two"]
    assert not (tmp_path / "whys.svg").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_refused_page_names_the_pages_already_written(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "whys-2.svg")
    with pytest.raises(ExportError) as refused:
        write_files(tmp_path / "whys.svg", [b"one", b"two", b"three"])
    message = str(refused.value)
    assert "is a named pipe (FIFO)" in message
    assert f"Page 1 was written (of 3): {tmp_path / 'whys-1.svg'}." in message
    assert (tmp_path / "whys-1.svg").read_bytes() == b"one"
    assert not (tmp_path / "whys-3.svg").exists()
