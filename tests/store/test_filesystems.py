"""Telling a network drive from a local disk, with the low-level probes faked."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from rca_desk.store import filesystems
from rca_desk.store.filesystems import (
    DRIVE_REMOTE,
    FUSE_MAGIC,
    linux_mount_type,
    network_filesystem,
    network_warning,
)

EXT4 = 0xEF53


def fake_statfs(monkeypatch: pytest.MonkeyPatch, magic: int | None) -> list[Path]:
    asked: list[Path] = []

    def probe(path: Path) -> int | None:
        asked.append(path)
        return magic

    monkeypatch.setattr(filesystems, "linux_statfs_type", probe)
    return asked


@pytest.mark.parametrize(
    ("magic", "kind"),
    [
        (0x6969, "NFS"),
        (0x517B, "SMB/CIFS"),
        (0xFF534D42, "SMB/CIFS"),
        (0xFE534D42, "SMB/CIFS"),
        (0x5346414F, "AFS"),
        (0x73757245, "Coda"),
        (0x564C, "NetWare (NCP)"),
        (0x01021997, "9P"),
        (0x00C36400, "Ceph"),
        (EXT4, None),
        (0x01021994, None),  # tmpfs
        (None, None),  # statfs failed
    ],
)
def test_linux_magic_numbers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, magic: int | None, kind: str | None
) -> None:
    fake_statfs(monkeypatch, magic)
    assert network_filesystem(tmp_path / "w.rcadesk", platform="linux") == kind


def test_a_workspace_not_made_yet_is_probed_at_its_nearest_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    asked = fake_statfs(monkeypatch, 0x6969)
    assert network_filesystem(tmp_path / "new" / "deeper" / "w.rcadesk", platform="linux")
    assert asked == [tmp_path]


# Not in mount order: the longest mount point holding the path decides, wherever it is.
MOUNTINFO = (
    "43 40 0:38 / /home/ana/remote/inner rw - fuse.encfs encfs rw\n"
    "40 22 0:35 / /home/ana/remote rw,nosuid shared:20 - fuse.sshfs ana@srv:/data rw\n"
    "41 22 0:36 / /mnt/my\\040disk rw shared:21 - fuseblk /dev/sdb1 rw\n"
    "42 22 0:37 / /run/user/1000/gvfs rw shared:22 - fuse.gvfsd-fuse gvfsd-fuse rw\n"
    "this line is not mountinfo\n"
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
)


@pytest.fixture
def mountinfo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    info = tmp_path / "mountinfo"
    info.write_text(MOUNTINFO, encoding="utf-8")
    monkeypatch.setattr(filesystems, "linux_mount_type", lambda path: linux_mount_type(path, info))
    fake_statfs(monkeypatch, FUSE_MAGIC)
    return info


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/home/ana/remote/w.rcadesk", "SSHFS"),
        ("/home/ana/remote/inner/w.rcadesk", None),  # the innermost mount decides
        ("/home/ana/remote2/w.rcadesk", None),  # a longer name is not inside the mount
        ("/mnt/my disk/w.rcadesk", None),  # ntfs-3g and friends are local
        ("/run/user/1000/gvfs/smb-share:server=nas,share=rca/w.rcadesk", "SMB/CIFS"),
        ("/run/user/1000/gvfs/sftp:host=srv/w.rcadesk", "SFTP"),
        ("/run/user/1000/gvfs/mtp:host=phone/w.rcadesk", None),
    ],
)
def test_fuse_counts_only_for_network_subtypes(mountinfo: Path, path: str, kind: str) -> None:
    assert filesystems._linux(Path(path)) == kind


def test_the_real_mount_table_names_the_root(tmp_path: Path) -> None:
    if not Path("/proc/self/mountinfo").exists():
        pytest.skip("no /proc/self/mountinfo")
    assert linux_mount_type(Path("/")) is not None
    assert linux_mount_type(Path("/"), tmp_path / "missing") is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="statfs through ctypes")
def test_the_real_statfs_answers_for_a_local_folder(tmp_path: Path) -> None:
    magic = filesystems.linux_statfs_type(tmp_path)
    assert magic is not None and magic not in filesystems.LINUX_MAGIC
    assert filesystems.linux_statfs_type(tmp_path / "missing") is None
    assert network_filesystem(tmp_path / "w.rcadesk") is None


@pytest.mark.parametrize(
    ("path", "drive_type", "kind"),
    [
        (r"\\nas\rca\w.rcadesk", None, "SMB/CIFS"),
        ("//nas/rca/w.rcadesk", None, "SMB/CIFS"),
        (r"\\?\UNC\nas\rca\w.rcadesk", None, "SMB/CIFS"),
        (r"\\files@SSL\DavWWWRoot\w.rcadesk", None, "WebDAV"),
        (r"Z:\rca\w.rcadesk", DRIVE_REMOTE, "SMB/CIFS"),
        (r"\\?\Z:\rca\w.rcadesk", DRIVE_REMOTE, "SMB/CIFS"),
        (r"C:\Users\ana\w.rcadesk", 3, None),  # DRIVE_FIXED
        (r"C:\Users\ana\w.rcadesk", None, None),  # the probe failed
    ],
)
def test_windows_network_drives(
    monkeypatch: pytest.MonkeyPatch, path: str, drive_type: int | None, kind: str | None
) -> None:
    asked: list[str] = []

    def probe(root: str) -> int | None:
        asked.append(root)
        return drive_type

    monkeypatch.setattr(filesystems, "windows_drive_type", probe)
    assert network_filesystem(path, platform="win32") == kind
    if not path.startswith(("\\\\nas", "//", "\\\\files", "\\\\?\\UNC")):
        assert asked == [path.removeprefix("\\\\?\\")[:2] + "\\"]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("nfs", "NFS"),
        ("smbfs", "SMB/CIFS"),
        ("afpfs", "AFP"),
        ("webdav", "WebDAV"),
        ("apfs", None),
        (None, None),
    ],
)
def test_macos_file_system_names(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str | None, kind: str | None
) -> None:
    monkeypatch.setattr(filesystems, "mac_fstypename", lambda path: name)
    assert network_filesystem(tmp_path, platform="darwin") == kind


def test_other_platforms_say_nothing(tmp_path: Path) -> None:
    assert network_filesystem(tmp_path, platform="freebsd14") is None


def test_a_probe_that_fails_means_no_warning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(path: Path) -> int:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(filesystems, "linux_statfs_type", broken)
    assert network_filesystem(tmp_path, platform="linux") is None


def test_the_warning_names_the_file_the_kind_and_what_to_do() -> None:
    text = network_warning(Path("/mnt/team/w.rcadesk"), "SMB/CIFS")
    assert text.startswith("/mnt/team/w.rcadesk is on a network drive (SMB/CIFS).")
    assert "corrupt" in text and "local disk" in text and "PostgreSQL" in text
    assert "\n" not in text
