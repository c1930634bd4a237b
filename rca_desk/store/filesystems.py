"""Is a workspace on a network drive? SQLite's write-ahead log is not safe there.

WAL keeps its index in shared memory (the ``-shm`` file, mapped into every process), which
works only when every process using the file runs on one computer. On a network drive,
apps on two computers each see their own copy of that index, and the workspace can be
corrupted. :func:`network_filesystem` names the kind of network file system a path is on
(or returns None), and :func:`network_warning` is the one wording of the warning, used by
the command line and the app.

How it is told, per platform (each low-level probe can be replaced, for tests):

- Linux: ``statfs(2)`` through ctypes; its ``f_type`` is a magic number per file system
  (:data:`LINUX_MAGIC`). FUSE is any user-space file system (NTFS drives, encrypted
  folders), so for FUSE the mount's subtype is looked up in ``/proc/self/mountinfo`` and
  only known network ones count (sshfs, rclone, GVFS's SMB mounts, ...).
- Windows: ``GetDriveTypeW`` of the path's drive is ``DRIVE_REMOTE``, or the path is a UNC
  path (``\\\\server\\share``).
- macOS: ``statfs``'s ``f_fstypename`` (``nfs``, ``smbfs``, ``afpfs``, ``webdav``).
- Anything else, or any probe failing: None (no warning rather than a wrong one).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from pathlib import Path, PureWindowsPath

NFS = "NFS"
SMB = "SMB/CIFS"

#: Linux ``statfs`` ``f_type`` values of network and cluster file systems.
LINUX_MAGIC: dict[int, str] = {
    0x6969: NFS,
    0x517B: SMB,  # smbfs, long gone from the kernel
    0xFF534D42: SMB,  # cifs
    0xFE534D42: SMB,  # smb3
    0x5346414F: "AFS",  # OpenAFS
    0x6B414653: "AFS",  # kAFS
    0x73757245: "Coda",
    0x564C: "NetWare (NCP)",
    0x01021997: "9P",  # also WSL2's /mnt/c: WAL across that is no safer
    0x00C36400: "Ceph",
    0x01161970: "GFS2",
    0x7461636F: "OCFS2",
    0x0BD00BD0: "Lustre",
    0x47504653: "GPFS",
    0x19830326: "BeeGFS",
}
FUSE_MAGIC = 0x65735546

#: FUSE subtypes (``fuse.<subtype>`` in mountinfo) that reach across the network.
FUSE_NETWORK: dict[str, str] = {
    "sshfs": "SSHFS",
    "rclone": "rclone",
    "s3fs": "S3 (s3fs)",
    "glusterfs": "GlusterFS",
    "davfs": "WebDAV",
    "davfs2": "WebDAV",
}
#: GVFS (GNOME's file manager mounts) puts each share under a folder named for its kind.
GVFS_PREFIXES: dict[str, str] = {
    "smb-share:": SMB,
    "sftp:": "SFTP",
    "dav:": "WebDAV",
    "davs:": "WebDAV",
    "ftp:": "FTP",
    "afp-volume:": "AFP",
    "nfs:": NFS,
}

#: macOS ``f_fstypename`` values of network file systems.
MAC_TYPES: dict[str, str] = {
    "nfs": NFS,
    "smbfs": SMB,
    "cifs": SMB,
    "afpfs": "AFP",
    "webdav": "WebDAV",
    "ftp": "FTP",
}

DRIVE_REMOTE = 4

# The low-level probes below (linux_statfs_type, linux_mount_type, windows_drive_type,
# mac_fstypename) return None when they cannot tell. They are looked up in this module on
# every call, so a test can replace one to fake a file system.


# --------------------------------------------------------------------- Linux
def linux_statfs_type(path: Path) -> int | None:
    """``statfs(path).f_type`` (the file system's magic number), or None."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        buffer = ctypes.create_string_buffer(512)  # struct statfs is 120 bytes on 64-bit
        if libc.statfs(os.fsencode(path), buffer) != 0:
            return None
    except (OSError, AttributeError, TypeError, ValueError):
        return None
    # f_type comes first, as a native long (__fsword_t); the magic numbers fit 32 bits.
    return ctypes.c_long.from_buffer(buffer).value & 0xFFFFFFFF


def _unescape_mountinfo(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash in paths as octal escapes."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def linux_mount_type(path: Path, mountinfo: Path = Path("/proc/self/mountinfo")) -> str | None:
    """The file system type (``fuse.sshfs``, ``nfs4``, ...) of the mount holding ``path``."""
    try:
        text = mountinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    target = str(path)
    best: tuple[int, str] | None = None
    for line in text.splitlines():
        left, sep, right = line.partition(" - ")
        fields, after = left.split(), right.split()
        if not sep or len(fields) < 5 or not after:
            continue
        mount_point = _unescape_mountinfo(fields[4])
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) >= best[0]):
            best = (len(mount_point), after[0])
    return best[1] if best else None


def _gvfs_kind(path: Path) -> str | None:
    for part in path.parts:
        for prefix, kind in GVFS_PREFIXES.items():
            if part.startswith(prefix):
                return kind
    return None


def _linux(path: Path) -> str | None:
    magic = linux_statfs_type(path)
    if magic is None:
        return None
    if magic != FUSE_MAGIC:
        return LINUX_MAGIC.get(magic)
    fs_type = linux_mount_type(path) or ""
    subtype = fs_type.removeprefix("fuseblk").removeprefix("fuse").removeprefix(".")
    if subtype in FUSE_NETWORK:
        return FUSE_NETWORK[subtype]
    if subtype == "gvfsd-fuse":
        return _gvfs_kind(path)
    return None


# ------------------------------------------------------------------- Windows
def windows_drive_type(root: str) -> int | None:
    """``GetDriveTypeW(root)`` (4 is a network drive), or None off Windows or on failure."""
    if sys.platform != "win32":
        return None
    try:  # pragma: no cover - Windows only
        kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined,unused-ignore]
        return int(kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))
    except (OSError, AttributeError):  # pragma: no cover - Windows only
        return None


def _windows(text: str) -> str | None:
    if text.startswith(("\\\\?\\UNC\\", "//?/UNC/")):
        text = "\\\\" + text[8:]
    elif text.startswith(("\\\\?\\", "//?/")):
        text = text[4:]
    drive = PureWindowsPath(text).drive
    if drive.startswith(("\\\\", "//")):
        # \\server\share: always another computer (WebDAV when the server says so).
        upper = drive.upper()
        return "WebDAV" if "@SSL" in upper or "DAVWWWROOT" in text.upper() else SMB
    if not drive:
        return None
    return SMB if windows_drive_type(drive + "\\") == DRIVE_REMOTE else None


# --------------------------------------------------------------------- macOS
class _MacStatfs(ctypes.Structure):
    # struct statfs with 64-bit inodes (<sys/mount.h>), the only one on Apple silicon.
    _fields_ = [
        ("f_bsize", ctypes.c_uint32),
        ("f_iosize", ctypes.c_int32),
        ("f_blocks", ctypes.c_uint64),
        ("f_bfree", ctypes.c_uint64),
        ("f_bavail", ctypes.c_uint64),
        ("f_files", ctypes.c_uint64),
        ("f_ffree", ctypes.c_uint64),
        ("f_fsid", ctypes.c_int32 * 2),
        ("f_owner", ctypes.c_uint32),
        ("f_type", ctypes.c_uint32),
        ("f_flags", ctypes.c_uint32),
        ("f_fssubtype", ctypes.c_uint32),
        ("f_fstypename", ctypes.c_char * 16),
        ("f_mntonname", ctypes.c_char * 1024),
        ("f_mntfromname", ctypes.c_char * 1024),
        ("f_flags_ext", ctypes.c_uint32),
        ("f_reserved", ctypes.c_uint32 * 7),
    ]


def mac_fstypename(path: Path) -> str | None:
    """``statfs(path).f_fstypename`` on macOS (``apfs``, ``smbfs``, ...), or None."""
    if sys.platform != "darwin":
        return None
    try:  # pragma: no cover - macOS only
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        try:
            statfs = libc["statfs$INODE64"]  # Intel Macs: the 64-bit-inode variant
        except AttributeError:
            statfs = libc.statfs
        result = _MacStatfs()
        if statfs(os.fsencode(path), ctypes.byref(result)) != 0:
            return None
        return bytes(result.f_fstypename).split(b"\0", 1)[0].decode("ascii", "replace")
    except (OSError, AttributeError, TypeError, ValueError):  # pragma: no cover
        return None


def _mac(path: Path) -> str | None:
    return MAC_TYPES.get(mac_fstypename(path) or "")


# ---------------------------------------------------------------------- all
def _existing(path: Path) -> Path:
    """The path itself or its nearest existing folder (a new workspace does not exist yet)."""
    path = path.absolute()
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def network_filesystem(path: Path | str, *, platform: str | None = None) -> str | None:
    """A short name ("NFS", "SMB/CIFS", ...) if ``path`` is on a network drive, else None."""
    platform = platform or sys.platform
    try:
        if platform == "win32":
            return _windows(str(Path(path).absolute()) if sys.platform == "win32" else str(path))
        where = _existing(Path(path))
        if platform.startswith("linux"):
            return _linux(where)
        if platform == "darwin":
            return _mac(where)
    except (OSError, ValueError):
        return None
    return None


def network_warning(path: Path | str, kind: str) -> str:
    """The one wording of the warning (plain text; the CLI prefixes ``rca-desk: warning:``)."""
    return (
        f"{path} is on a network drive ({kind}). SQLite's write-ahead log, which the "
        "workspace uses, works only when everyone using the file is on one computer: two "
        "people editing it from different computers can corrupt the workspace. Keep it on a "
        "local disk; for a team, a shared server (PostgreSQL) is planned."
    )
