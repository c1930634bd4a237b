"""A first start that never aborts (issue 14): missing xcb libraries are named, with the
install lines, and the launch exits 2 before Qt can abort with 134."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rca_desk.cli.display_check import (
    XCB_LIBRARIES,
    check_display_libraries,
    missing_libraries,
    uses_xcb,
)

#: What a fresh Debian desktop lacked in the workshop.
FRESH_DEBIAN = frozenset({"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"})


def loader(absent: frozenset[str]):  # type: ignore[no-untyped-def]
    """A dynamic loader that finds everything but ``absent``."""

    def load(name: str) -> object:
        if name in absent:
            raise OSError(f"{name}: cannot open shared object file: No such file or directory")
        return object()

    return load


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"DISPLAY": ":0"}, True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, True),
        ({"QT_QPA_PLATFORM": "xcb"}, True),
        ({"QT_QPA_PLATFORM": "xcb:nograb"}, True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, False),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland;xcb"}, False),
        ({}, False),
    ],
)
def test_the_check_runs_only_when_qt_is_about_to_use_xcb(
    environ: dict[str, str], expected: bool
) -> None:
    assert uses_xcb(environ, platform="linux") is expected
    assert uses_xcb(environ, platform="win32") is False


def test_a_missing_library_is_named_with_the_install_lines() -> None:
    err = io.StringIO()
    status = check_display_libraries({"DISPLAY": ":0"}, load=loader(FRESH_DEBIAN), err=err)
    assert status == 2
    assert err.getvalue().splitlines() == [
        "rca-desk: error: the window cannot open: Qt's X11 (xcb) platform plugin needs system "
        "libraries that are missing: libxcb-cursor.so.0, libxcb-icccm.so.4, "
        "libxcb-keysyms.so.1.",
        "Install them, then start rca-desk again:",
        "  Debian/Ubuntu: sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1",
        "  Fedora:        sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-keysyms",
        "The command-line subcommands (rca-desk list, export, check …) work without them.",
    ]


def test_a_package_holding_several_missing_libraries_is_named_once() -> None:
    err = io.StringIO()
    absent = frozenset({"libxcb-shm.so.0", "libxcb-sync.so.1"})
    assert check_display_libraries({"DISPLAY": ":0"}, load=loader(absent), err=err) == 2
    assert "  Fedora:        sudo dnf install libxcb\n" in err.getvalue()
    assert "sudo apt install libxcb-shm0 libxcb-sync1\n" in err.getvalue()


def test_nothing_is_said_when_every_library_loads_or_xcb_is_not_used() -> None:
    err = io.StringIO()
    assert check_display_libraries({"DISPLAY": ":0"}, load=loader(frozenset()), err=err) is None
    everything = frozenset(library.soname for library in XCB_LIBRARIES)
    offscreen = {"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}
    assert check_display_libraries(offscreen, load=loader(everything), err=err) is None
    assert err.getvalue() == ""


def test_this_machine_has_what_the_tests_window_needs() -> None:
    """The real loader, on the real list: the suite's machine has every library."""
    assert missing_libraries() == []


@pytest.mark.subprocess
def test_the_real_entry_point_exits_2_instead_of_aborting(tmp_path: Path) -> None:
    """``rca-desk`` started on an X display with the loader refusing three libraries (the
    fresh Debian desktop): the advice on stderr and exit 2, never Qt's abort (134)."""
    script = textwrap.dedent(
        f"""
        import ctypes
        import sys

        real = ctypes.CDLL

        class FreshDebian(real):
            def __init__(self, name, *args, **kwargs):
                if name in {sorted(FRESH_DEBIAN)!r}:
                    raise OSError(name + ": cannot open shared object file")
                super().__init__(name, *args, **kwargs)

        ctypes.CDLL = FreshDebian
        from rca_desk.cli.main import main

        sys.exit(main())
        """
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("QT_QPA_PLATFORM", "RCA_DESK_WORKSPACE", "WAYLAND_DISPLAY")
    }
    env["DISPLAY"] = ":99"  # no server there: had the check passed, Qt would abort
    workspace = tmp_path / "w.rcadesk"
    run = subprocess.run(
        [sys.executable, "-c", script, "--workspace", str(workspace)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert run.returncode == 2, run.stderr
    assert "missing: libxcb-cursor.so.0, libxcb-icccm.so.4, libxcb-keysyms.so.1." in run.stderr
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in run.stderr
    assert "could not load the Qt platform plugin" not in run.stderr
    assert not workspace.exists()  # nothing was created on the way out
