"""Before the window opens on X11: are the system libraries Qt's xcb plugin needs there?

Without them Qt prints "could not load the Qt platform plugin xcb" and aborts the process
(exit 134): a fresh Debian desktop lacks libxcb-cursor0, libxcb-icccm4 and libxcb-keysyms1,
which PySide6's wheel does not ship. So the GUI launch checks first, while nothing of Qt's
platform layer is loaded yet, and says which libraries are missing and how to install them.

The list is what ``ldd`` shows for PySide6's ``plugins/platforms/libqxcb.so`` and the
``libQt6XcbQpa.so.6`` it links (PySide6 6.8 to 6.11), with the Debian/Ubuntu and Fedora
packages that hold each one. No Qt import here: this runs before Qt may touch the display.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TextIO

#: The exit status when the window cannot start for want of system libraries.
EXIT_MISSING_LIBRARIES = 2


@dataclass(frozen=True)
class SystemLibrary:
    """One shared library, by its soname, and the packages that install it."""

    soname: str
    debian: str
    fedora: str


#: Everything the xcb platform plugin links beyond glibc, OpenGL and Qt itself.
XCB_LIBRARIES: tuple[SystemLibrary, ...] = (
    SystemLibrary("libxcb.so.1", "libxcb1", "libxcb"),
    SystemLibrary("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor"),
    SystemLibrary("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm"),
    SystemLibrary("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms"),
    SystemLibrary("libxcb-image.so.0", "libxcb-image0", "xcb-util-image"),
    SystemLibrary("libxcb-util.so.1", "libxcb-util1", "xcb-util"),
    SystemLibrary("libxcb-render-util.so.0", "libxcb-render-util0", "xcb-util-renderutil"),
    SystemLibrary("libxcb-randr.so.0", "libxcb-randr0", "libxcb"),
    SystemLibrary("libxcb-render.so.0", "libxcb-render0", "libxcb"),
    SystemLibrary("libxcb-shape.so.0", "libxcb-shape0", "libxcb"),
    SystemLibrary("libxcb-shm.so.0", "libxcb-shm0", "libxcb"),
    SystemLibrary("libxcb-sync.so.1", "libxcb-sync1", "libxcb"),
    SystemLibrary("libxcb-xfixes.so.0", "libxcb-xfixes0", "libxcb"),
    SystemLibrary("libxcb-xkb.so.1", "libxcb-xkb1", "libxcb"),
    SystemLibrary("libxkbcommon.so.0", "libxkbcommon0", "libxkbcommon"),
    SystemLibrary("libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11"),
    SystemLibrary("libX11-xcb.so.1", "libx11-xcb1", "libX11-xcb"),
    SystemLibrary("libX11.so.6", "libx11-6", "libX11"),
)


def uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt is about to load its xcb plugin: asked for by name, or left to choose
    on Linux with an X display (``DISPLAY``) to show on."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    first = chosen.split(";")[0].split(":")[0].strip()  # "xcb:arg" and fallback lists
    if first:
        return first == "xcb"
    return bool(environ.get("DISPLAY"))


def missing_libraries(load: Callable[[str], object] = ctypes.CDLL) -> list[SystemLibrary]:
    """The libraries of :data:`XCB_LIBRARIES` that ``load`` (the dynamic loader) cannot
    find, in the list's order."""
    missing = []
    for library in XCB_LIBRARIES:
        try:
            load(library.soname)
        except OSError:
            missing.append(library)
    return missing


def _packages(names: list[str]) -> str:
    return " ".join(dict.fromkeys(names))  # in order, each once


def advice(missing: list[SystemLibrary]) -> str:
    """What to tell the person: which libraries are missing and the install lines."""
    names = ", ".join(library.soname for library in missing)
    debian = _packages([library.debian for library in missing])
    fedora = _packages([library.fedora for library in missing])
    return (
        "rca-desk: error: the window cannot open: Qt's X11 (xcb) platform plugin needs "
        f"system libraries that are missing: {names}.\n"
        "Install them, then start rca-desk again:\n"
        f"  Debian/Ubuntu: sudo apt install {debian}\n"
        f"  Fedora:        sudo dnf install {fedora}\n"
        "The command-line subcommands (rca-desk list, export, check …) work without them."
    )


def check_display_libraries(
    environ: Mapping[str, str] = os.environ,
    *,
    load: Callable[[str], object] = ctypes.CDLL,
    err: TextIO | None = None,
) -> int | None:
    """``None`` when the window may start; else the exit status, the advice printed."""
    if not uses_xcb(environ):
        return None
    missing = missing_libraries(load)
    if not missing:
        return None
    print(advice(missing), file=err or sys.stderr)
    return EXIT_MISSING_LIBRARIES
