"""Opening refuses anything that is not a sound workspace this version can use; touches nothing.

Every case checks the same promise: a :class:`WorkspaceError` whose one-line message names
the file and says why, and the file (bytes *and* mtime) and its folder exactly as before,
with no ``-wal``/``-shm``/journal litter left beside it.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import Incident
from rca_desk.store import Workspace, WorkspaceError
from rca_desk.store.schema import APPLICATION_ID, SCHEMA_VERSION, SchemaVersion
from tests.conftest import TODAY

PAGE = 4096


@dataclass(frozen=True)
class FileState:
    """Everything a refused open must leave alone."""

    data: bytes | None
    mtime_ns: int
    folder: tuple[str, ...]

    @classmethod
    def of(cls, path: Path) -> FileState:
        return cls(
            data=None if path.is_dir() else path.read_bytes(),
            mtime_ns=path.stat().st_mtime_ns,
            folder=tuple(sorted(os.listdir(path.parent))),
        )


def make_workspace(path: Path, copies: int = 4) -> None:
    """A real workspace, closed (so checkpointed), big enough to have interior pages."""
    with Workspace.open(path) as workspace:
        for _ in range(copies):
            workspace.add_incidents(sample_incidents(TODAY))  # fresh uids each time


# ------------------------------------------------------------------ file makers
def a_folder(path: Path) -> str:
    path.mkdir()
    return "folder"


def an_empty_file(path: Path) -> str:
    # Decided: an empty file is refused, not silently turned into a workspace. It may be
    # a file the person made for something else; refusing costs one clear message.
    path.write_bytes(b"")
    return "empty"


def a_text_file(path: Path) -> str:
    path.write_text("Meeting notes\nNorthwind incident, see the fishbone.\n", encoding="utf-8")
    return "not an SQLite database"


def random_bytes(path: Path) -> str:
    path.write_bytes(random.Random(7).randbytes(3 * PAGE))
    return "not an SQLite database"


def a_short_sqlite_header(path: Path) -> str:
    path.write_bytes(b"SQLite format 3\x00" + b"\x10\x00\x01\x01")
    return "cut short"


def another_programs_database(path: Path) -> str:
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE bookmarks (url TEXT, title TEXT);"
        "INSERT INTO bookmarks VALUES ('https://example.org', 'Example');"
    )
    conn.close()
    return "another program"


def a_database_with_a_foreign_application_id(path: Path) -> str:
    conn = sqlite3.connect(path)
    conn.executescript(
        "PRAGMA application_id = 1179403647;"  # "FSLa", some other tool
        "PRAGMA user_version = 1;"
        "CREATE TABLE incidents (id INTEGER PRIMARY KEY, name TEXT);"
    )
    conn.close()
    return "another program"


def our_id_but_unrelated_tables(path: Path) -> str:
    conn = sqlite3.connect(path)
    conn.executescript(
        f"PRAGMA application_id = {APPLICATION_ID};"
        "PRAGMA user_version = 1;"
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
    )
    conn.close()
    return "missing"


def a_newer_major_workspace(path: Path) -> str:
    """The next major version, written as the app that makes it would (WAL on, closed)."""
    make_workspace(path, copies=1)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SchemaVersion(SCHEMA_VERSION.major + 1, 0).to_int()}")
    conn.close()
    return "newer rca-desk"


def a_newer_major_workspace_not_yet_checkpointed(path: Path) -> str:
    """Another app has just migrated it to the next major; the new first page is still in
    the ``-wal``, so the header on disk says the old version. Copied as a crash leaves it
    (file, ``-wal``, ``-shm``): the read-only connection's check must catch it."""
    writer = path.parent / "writer" / path.name
    writer.parent.mkdir()
    make_workspace(writer, copies=1)
    conn = sqlite3.connect(writer, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute(f"PRAGMA user_version = {SchemaVersion(SCHEMA_VERSION.major + 1, 0).to_int()}")
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(f"{writer}{suffix}", f"{path}{suffix}")
    conn.close()
    assert SchemaVersion.from_int(int.from_bytes(path.read_bytes()[60:64], "big")) == (
        SCHEMA_VERSION
    )
    return "newer rca-desk"


def a_much_newer_major_workspace(path: Path) -> str:
    """All 32 bits set: a negative ``PRAGMA user_version``, major 65535 in the header."""
    make_workspace(path, copies=1)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = -1")
    conn.close()
    return "workspace format 65535.65535"


def a_damaged_workspace(path: Path) -> str:
    """Garbage over three pages in the middle of a real workspace (a bad disk, a bad copy)."""
    make_workspace(path)
    data = bytearray(path.read_bytes())
    pages = len(data) // PAGE
    assert pages >= 12, "the workspace must have interior pages to damage"
    garbage = random.Random(1)
    first = pages // 3
    for page in range(first, first + 3):
        data[page * PAGE : (page + 1) * PAGE] = garbage.randbytes(PAGE)
    path.write_bytes(bytes(data))
    return "damaged"


def a_truncated_workspace(path: Path) -> str:
    """A copy cut off half-way (a full disk, an interrupted download)."""
    make_workspace(path)
    data = path.read_bytes()
    path.write_bytes(data[: (len(data) // PAGE // 2) * PAGE])
    return "damaged"


MAKERS: list[Callable[[Path], str]] = [
    a_folder,
    an_empty_file,
    a_text_file,
    random_bytes,
    a_short_sqlite_header,
    another_programs_database,
    a_database_with_a_foreign_application_id,
    our_id_but_unrelated_tables,
    a_newer_major_workspace,
    a_newer_major_workspace_not_yet_checkpointed,
    a_much_newer_major_workspace,
    a_damaged_workspace,
    a_truncated_workspace,
]


@pytest.mark.parametrize("make", MAKERS, ids=lambda make: make.__name__)
def test_refused_with_the_file_and_reason_and_left_untouched(
    tmp_path: Path, make: Callable[[Path], str]
) -> None:
    path = tmp_path / "target.rcadesk"
    reason = make(path)
    before = FileState.of(path)

    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(path)

    message = str(caught.value)
    assert str(path) in message
    assert reason in message
    assert "\n" not in message, "the command prints refusals as one line"
    assert FileState.of(path) == before


@pytest.mark.parametrize("make", MAKERS, ids=lambda make: make.__name__)
def test_refused_twice_the_same_way(tmp_path: Path, make: Callable[[Path], str]) -> None:
    """A refusal leaves nothing behind that would change the next attempt's answer."""
    path = tmp_path / "target.rcadesk"
    make(path)
    messages = []
    for _ in range(2):
        with pytest.raises(WorkspaceError) as caught:
            Workspace.open(path, create=False)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]


def test_the_damage_is_real(tmp_path: Path) -> None:
    """Guard for the damaged case above: SQLite itself sees the damage we made."""
    path = tmp_path / "target.rcadesk"
    a_damaged_workspace(path)
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        report = [row[0] for row in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError:
        report = ["error"]
    finally:
        conn.close()
    assert report != ["ok"]


def test_a_missing_file_is_not_created_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "none.rcadesk"
    with pytest.raises(WorkspaceError, match="no such workspace") as caught:
        Workspace.open(path, create=False)
    assert str(path) in str(caught.value)
    assert not path.exists()
    assert not path.parent.exists()


def test_a_new_file_is_marked_as_ours_in_its_header(tmp_path: Path) -> None:
    """The header check relies on this: a fresh workspace carries our id and version."""
    path = tmp_path / "new.rcadesk"
    Workspace.open(path).close()
    header = path.read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID
    assert int.from_bytes(header[60:64], "big") == 0x1_0006  # 1.6: major high, minor low


def test_a_sound_workspace_opens_and_reopens_unchanged(tmp_path: Path) -> None:
    """The careful checks must not refuse (or rewrite) our own files."""
    path = tmp_path / "good.rcadesk"
    make_workspace(path, copies=2)
    before = FileState.of(path)
    with Workspace.open(path, create=False) as workspace:
        assert len(workspace.incidents()) == 2
        content = workspace.content()
    assert FileState.of(path).data == before.data
    with Workspace.open(path, create=False) as workspace:
        assert workspace.content() == content


def test_a_workspace_open_elsewhere_is_not_refused(tmp_path: Path, sample: Incident) -> None:
    """The read-only check runs while another connection holds the file open in WAL mode."""
    path = tmp_path / "shared.rcadesk"
    make_workspace(path, copies=1)
    with Workspace.open(path) as first:
        with Workspace.open(path) as second:
            assert [s.uid for s in second.incidents()] == [s.uid for s in first.incidents()]
        # The second one closing leaves the first one working.
        assert first.load(first.incidents()[0].id).title == sample.title
