"""What the command line writes can never steer the terminal.

Stored text comes from anyone: a title pasted from a web page, an import from another
team, a file edited by hand before this check existed. Printed raw, an ESC sequence in it
recolours or clears the terminal or rewrites the line above, a carriage return overwrites
what was printed, and a bidi override shows "rm -rf" as "fr- mr". So every character of
that kind is shown as U+FFFD in human output, and written as a ``\\uXXXX`` escape in JSON
(which reads back as the same text). Line breaks, tabs, and the plain left-to-right and
right-to-left marks that real right-to-left text uses pass through.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO

#: C0 controls but tab and newline, DEL, C1 controls, and the bidi embeddings, overrides
#: and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
REPLACEMENT = "\ufffd"


def shown(text: str) -> str:
    """``text`` safe for a terminal: each unsafe character becomes U+FFFD."""
    return UNSAFE.sub(REPLACEMENT, text)


def json_safe(text: str) -> str:
    """JSON text with every unsafe character escaped (json.dumps leaves C1 and bidi raw)."""
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class SafeStream:
    """A text stream that passes everything through :func:`shown` (bytes pass as they are:
    an exported PNG goes to ``.buffer``)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(shown(text))

    @property
    def raw(self) -> TextIO:
        """The stream itself, for text that is the program's own (a progress line that
        rewrites itself with a carriage return)."""
        return self._stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def safe_streams() -> Iterator[None]:
    """Make ``sys.stdout`` and ``sys.stderr`` safe while the command runs."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
