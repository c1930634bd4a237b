"""The finer points of telling a network drive: odd mount tables, odd Windows paths.

The mount table is the kernel's text, which may hold escaped names, stacked mounts,
lines this code does not know and names that are not UTF-8; Windows paths come in
forward-slash and ``\\\\?\\`` spellings, and WebDAV shares in two. Each must still give
the right answer, since a wrong one either warns about a local disk or keeps quiet
about a network drive.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rca_desk.store import filesystems
from rca_desk.store.filesystems import (
    DRIVE_REMOTE,
    linux_mount_type,
    linux_statfs_type,
    network_filesystem,
    network_warning,
)

MOUNTINFO = (
    b"this line is not mountinfo\n"
    b"7 1 0:9 - proc\n"  # a separator, but too few fields before it
    b"22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
    b"50 22 0:40 / /mnt/a\\040b\\011c\\012d\\134e rw - fuse.sshfs ana@srv:/x rw\n"
    b"51 22 0:41 / /mnt/stack rw - nfs4 srv:/old rw\n"
    b"52 51 0:42 / /mnt/stack rw - fuse.sshfs ana@srv:/new rw\n"  # mounted over it
    b"53 22 0:43 / /mnt/caf\xe9 rw - vfat /dev/sdc1 rw\n"  # a Latin-1 name
    b"54 22 0:44 / /mnt/BOX rw - nfs4 box:/share rw\n"
)


@pytest.fixture
def mountinfo(tmp_path: Path) -> Path:
    info = tmp_path / "mountinfo"
    info.write_bytes(MOUNTINFO)
    return info


@pytest.mark.parametrize(
    ("path", "fs_type"),
    [
        ("/home/ana/w.rcadesk", "ext4"),  # only the root mount holds it
        ("/mnt/a b\tc\nd\\e/w.rcadesk", "fuse.sshfs"),  # escaped space, tab, newline, \
        ("/mnt/stack/w.rcadesk", "fuse.sshfs"),  # the later mount hides the earlier
        ("/mnt/caf\ufffd/w.rcadesk", "vfat"),
        ("/mnt/BOX/w.rcadesk", "nfs4"),
    ],
)
def test_the_mount_table_is_read_like_the_kernel_writes_it(
    mountinfo: Path, path: str, fs_type: str
) -> None:
    assert linux_mount_type(Path(path), mountinfo) == fs_type


@pytest.mark.skipif(not Path("/proc/self/mountinfo").exists(), reason="Linux /proc")
def test_the_real_statfs_names_procfs_by_its_magic_number() -> None:
    assert linux_statfs_type(Path("/proc")) == 0x9FA0  # PROC_SUPER_MAGIC


@pytest.mark.parametrize(
    ("path", "drive_type", "kind"),
    [
        ("//?/UNC/nas/rca/w.rcadesk", None, "SMB/CIFS"),
        ("//?/Z:/rca/w.rcadesk", DRIVE_REMOTE, "SMB/CIFS"),
        ("//?/C:/Users/ana/w.rcadesk", 3, None),  # a local drive, not a UNC path
        (r"\\?\UNC\s\rca\w.rcadesk", None, "SMB/CIFS"),  # a one-letter server name
        (r"\\files@SSL@443\rca\w.rcadesk", None, "WebDAV"),
        (r"\\files@ssl\rca\w.rcadesk", None, "WebDAV"),
        (r"\\files\DavWWWRoot\w.rcadesk", None, "WebDAV"),
        (r"\\files\davwwwroot\w.rcadesk", None, "WebDAV"),
    ],
)
def test_more_windows_spellings_of_a_network_path(
    monkeypatch: pytest.MonkeyPatch, path: str, drive_type: int | None, kind: str | None
) -> None:
    monkeypatch.setattr(filesystems, "windows_drive_type", lambda root: drive_type)
    assert network_filesystem(path, platform="win32") == kind


def test_macos_is_asked_about_the_nearest_existing_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    asked: list[Path] = []

    def probe(path: Path) -> str:
        asked.append(path)
        return "smbfs" if path == tmp_path else "apfs"

    monkeypatch.setattr(filesystems, "mac_fstypename", probe)
    assert network_filesystem(tmp_path / "new" / "w.rcadesk", platform="darwin") == "SMB/CIFS"
    assert asked == [tmp_path]


def test_the_warning_in_full() -> None:
    assert network_warning(Path("/mnt/team/w.rcadesk"), "NFS") == (
        "/mnt/team/w.rcadesk is on a network drive (NFS). SQLite's write-ahead log, which "
        "the workspace uses, works only when everyone using the file is on one computer: "
        "two people editing it from different computers can corrupt the workspace. Keep "
        "it on a local disk; for a team, a shared server (PostgreSQL) is planned."
    )
