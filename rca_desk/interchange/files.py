"""Writing files so that a failure never leaves half a file behind.

What lands at the target, and what is refused (:func:`atomic_write_bytes`):

* a new file gets the permissions any program's new file gets: ``0o666`` less the
  process umask (the kernel applies it, so a default ACL on the folder counts too);
* an existing file keeps its permission bits, and its owner and group where this process
  may set them (root can; anyone can keep their own file's group);
* a symbolic link is written through: the file it points to gets the new content,
  written beside that file and renamed into place, and the link stays a link. A link
  to nothing creates the file it names if that file's folder exists;
* a file with more than one name (hard links) is written in place - its space reserved
  first, then overwritten, truncated and synced - so every name sees the new content. A
  rename would give the chosen name a new file and leave the others with the old one,
  which is never what someone exporting over a shared file means;
* a named pipe, device, socket or folder, and a read-only file, are refused with one
  line and left untouched. A pipe is never opened: opening it would wait for a reader.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

from rca_desk.model import RcaError

#: Links followed before giving up, as the kernel does (``ELOOP``).
MAX_LINKS = 40

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class ExportError(RcaError):
    """A file could not be written; whatever was at the path before is still there.

    The one exception: a hard-linked file is written in place, and a failure part way
    through (the message says so) can leave it incomplete.
    """


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (see the module docstring).

    The data goes to a hidden temporary file beside the file that will hold it, is
    synced, and is renamed into place. Raises :class:`ExportError` with one line.
    """
    target = Path(path)
    real = _follow_links(target)
    name = str(target) if real == target else f"{target} (a link to {real})"
    try:
        old = real.lstat()
    except (FileNotFoundError, NotADirectoryError):
        old = None
    except OSError as error:
        raise ExportError(f"{name}: cannot be written ({error.strerror}).") from None
    if old is None:
        if real != target and not _folder(real).is_dir():
            raise ExportError(
                f"{target}: is a symbolic link to {real}, whose folder does not exist; "
                "nothing was written."
            )
    else:
        _refuse_if_not_writable(name, real, old)
        if old.st_nlink > 1:
            _write_in_place(name, real, old, data)
            return
    _write_and_rename(name, real, old, data)


def _follow_links(target: Path) -> Path:
    """The path a write to ``target`` lands on: ``target`` with its links followed."""
    current = target
    for _ in range(MAX_LINKS):
        try:
            link = current.readlink()
        except OSError:
            return current  # not a link, or not there: lstat says which
        current = current.parent / link
    raise ExportError(f"{target}: too many levels of symbolic links; nothing was written.")


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path()


_NOT_A_FILE = (
    (stat.S_ISDIR, "is a folder"),
    (stat.S_ISFIFO, "is a named pipe (FIFO)"),
    (stat.S_ISCHR, "is a device"),
    (stat.S_ISBLK, "is a device"),
    (stat.S_ISSOCK, "is a socket"),
)


def _refuse_if_not_writable(name: str, real: Path, old: os.stat_result) -> None:
    for test, what in _NOT_A_FILE:
        if test(old.st_mode):
            raise ExportError(f"{name}: {what}, not a file; nothing was written.")
    if not stat.S_ISREG(old.st_mode):
        raise ExportError(f"{name}: is not a regular file; nothing was written.")
    # Root may write anything, so the bits are asked too: a file nobody may write is
    # one its owner meant to keep. os.access covers everyone else and read-only mounts.
    if not old.st_mode & 0o222 or not os.access(real, os.W_OK):
        raise ExportError(f"{name}: is read-only; nothing was written.")


def _write_and_rename(name: str, real: Path, old: os.stat_result | None, data: bytes) -> None:
    folder = _folder(real)
    fd, tmp = _create_beside(name, folder, real.name, 0o600 if old else 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            if old is not None:
                _keep_owner_and_mode(handle.fileno(), old)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(real)
    except OSError as error:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ExportError(f"{name}: cannot be written ({error.strerror}).") from None


def _create_beside(name: str, folder: Path, base: str, mode: int) -> tuple[int, Path]:
    """A new hidden ``.BASE.XXXX.part`` in ``folder``, created with ``mode`` less the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY
    for _ in range(100):
        tmp = folder / f".{base}.{secrets.token_hex(4)}.part"
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue
        except OSError as error:
            raise ExportError(f"{name}: cannot be written ({error.strerror}).") from None
    raise ExportError(f"{name}: cannot be written (no free temporary name).")


def _keep_owner_and_mode(fd: int, old: os.stat_result) -> None:
    """Give the new file the old one's owner and group where allowed, and its mode."""
    if hasattr(os, "fchown"):
        try:
            os.fchown(fd, old.st_uid, old.st_gid)
        except OSError:
            with contextlib.suppress(OSError):
                os.fchown(fd, -1, old.st_gid)
    if hasattr(os, "fchmod"):  # after chown, which may clear bits
        os.fchmod(fd, stat.S_IMODE(old.st_mode) & 0o777)


def _write_in_place(name: str, real: Path, old: os.stat_result, data: bytes) -> None:
    # O_NONBLOCK: if a pipe took the file's place since lstat, opening it fails (ENXIO)
    # instead of waiting for a reader; on a regular file it changes nothing.
    try:
        fd = os.open(real, os.O_WRONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC | _BINARY)
    except OSError as error:
        raise ExportError(f"{name}: cannot be written ({error.strerror}).") from None
    started = False
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (old.st_dev, old.st_ino) or not stat.S_ISREG(now.st_mode):
            raise ExportError(f"{name}: was replaced while being written; nothing was written.")
        _reserve(fd, len(data))  # a full disk is found before the old content is touched
        started = True
        view = memoryview(data)
        os.lseek(fd, 0, os.SEEK_SET)
        offset = 0
        while offset < len(view):
            offset += os.write(fd, view[offset:])
        os.ftruncate(fd, len(view))
        os.fsync(fd)
    except OSError as error:
        detail = (
            "; it has hard links, so it was being written in place and may be incomplete"
            if started
            else ""
        )
        raise ExportError(f"{name}: cannot be written ({error.strerror}){detail}.") from None
    finally:
        os.close(fd)


def _reserve(fd: int, size: int) -> None:
    if size == 0 or not hasattr(os, "posix_fallocate"):
        return
    try:
        os.posix_fallocate(fd, 0, size)
    except OSError as error:
        if error.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
            raise


def numbered_paths(path: str | os.PathLike[str], count: int) -> list[Path]:
    """Where ``count`` pages of one export go: ``path`` itself for one page, else
    ``NAME-1.svg``, ``NAME-2.svg`` … beside it (the number before the extension, so each
    still opens by its type)."""
    target = Path(path)
    if count == 1:
        return [target]
    return [target.with_name(f"{target.stem}-{n}{target.suffix}") for n in range(1, count + 1)]


def write_files(path: str | os.PathLike[str], parts: list[bytes]) -> list[Path]:
    """Write each of ``parts`` to its :func:`numbered_paths` name with
    :func:`atomic_write_bytes`, in order; return the paths written.

    Each file is whole or absent. When one is refused, the ones before it stay written
    and the message names them, so nobody takes a half-made set for the old one.
    """
    paths = numbered_paths(path, len(parts))
    for done, (target, data) in enumerate(zip(paths, parts, strict=True)):
        try:
            atomic_write_bytes(target, data)
        except ExportError as error:
            if not done:
                raise
            written = ", ".join(str(p) for p in paths[:done])
            pages = "Page 1 was" if done == 1 else f"Pages 1 to {done} were"
            raise ExportError(f"{error} {pages} written (of {len(paths)}): {written}.") from None
    return paths
