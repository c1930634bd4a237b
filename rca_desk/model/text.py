"""The one definition of unsafe text, and what the model does with it.

Text reaches the model from a keyboard, a paste, an imported file or an old workspace.
Two kinds of character in it do harm without being visible:

- **Control characters** (Unicode category Cc: NUL, BEL, ESC, DEL, the C1 controls
  U+0080-U+009F ...) other than newline and tab. An ESC sequence printed to a terminal
  recolours it or rewrites the line above; NUL truncates text in C tools. They carry no
  meaning in a cause or an action, so typed text simply loses them (a paste from a
  terminal is not an attack); an imported file is refused instead, since something made it
  wrong and the person should see where.
- **Bidi override, embedding and isolate characters** (:data:`BIDI_CONTROLS`). They make
  text display in a different order than it is stored: a stored "rm -rf" can be drawn as
  "fr- mr", so a reviewer approves something other than what is there. They are refused
  with a message that names them, typed or imported. The plain marks U+200E (LRM) and
  U+200F (RLM), which real right-to-left text uses, are allowed.

**Carriage returns** are not an attack but a Windows line ending: "\\r\\n" and a lone
"\\r" become "\\n", both when typed and on import (:func:`normalise_newlines`), so a
pasted paragraph keeps its lines and never hides a CR that overwrites a terminal line.

Old stored data is never refused: :func:`stripped_for_storage` mends it for migrations.
"""

from __future__ import annotations

import re
import unicodedata

from rca_desk.model.errors import RuleError

#: Line breaks and tabs are the only control characters text may keep.
ALLOWED_CONTROLS = frozenset("\n\t")

#: The bidi embedding, override and isolate characters, by code point, with their names.
BIDI_CONTROLS: dict[int, str] = {
    cp: unicodedata.name(chr(cp))
    for cp in (0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069)
}

#: Plain names of the control characters (Unicode's aliases; Cc has no character names).
CONTROL_NAMES: dict[int, str] = {
    0x00: "null",
    0x01: "start of heading",
    0x02: "start of text",
    0x03: "end of text",
    0x04: "end of transmission",
    0x05: "enquiry",
    0x06: "acknowledge",
    0x07: "bell",
    0x08: "backspace",
    0x09: "tab",
    0x0A: "line feed",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x0D: "carriage return",
    0x0E: "shift out",
    0x0F: "shift in",
    0x10: "data link escape",
    0x11: "device control one",
    0x12: "device control two",
    0x13: "device control three",
    0x14: "device control four",
    0x15: "negative acknowledge",
    0x16: "synchronous idle",
    0x17: "end of transmission block",
    0x18: "cancel",
    0x19: "end of medium",
    0x1A: "substitute",
    0x1B: "escape",
    0x1C: "file separator",
    0x1D: "group separator",
    0x1E: "record separator",
    0x1F: "unit separator",
    0x7F: "delete",
    0x80: "padding character",
    0x81: "high octet preset",
    0x82: "break permitted here",
    0x83: "no break here",
    0x84: "index",
    0x85: "next line",
    0x86: "start of selected area",
    0x87: "end of selected area",
    0x88: "character tabulation set",
    0x89: "character tabulation with justification",
    0x8A: "line tabulation set",
    0x8B: "partial line forward",
    0x8C: "partial line backward",
    0x8D: "reverse line feed",
    0x8E: "single shift two",
    0x8F: "single shift three",
    0x90: "device control string",
    0x91: "private use one",
    0x92: "private use two",
    0x93: "set transmit state",
    0x94: "cancel character",
    0x95: "message waiting",
    0x96: "start of guarded area",
    0x97: "end of guarded area",
    0x98: "start of string",
    0x99: "single graphic character introducer",
    0x9A: "single character introducer",
    0x9B: "control sequence introducer",
    0x9C: "string terminator",
    0x9D: "operating system command",
    0x9E: "privacy message",
    0x9F: "application program command",
}

_CONTROLS = frozenset(chr(cp) for cp in CONTROL_NAMES) - ALLOWED_CONTROLS
_REMOVE_CONTROLS = dict.fromkeys(map(ord, _CONTROLS))
_REMOVE_UNSAFE = _REMOVE_CONTROLS | dict.fromkeys(BIDI_CONTROLS)
#: Anything :func:`stripped_for_storage` would change (CR included): the store reads every
#: text through it, and almost all of them are clean, so a search comes first.
_UNSAFE = re.compile(
    "[" + re.escape("".join(_CONTROLS | {"\r"} | set(map(chr, BIDI_CONTROLS)))) + "]"
)


def normalise_newlines(text: str) -> str:
    """ "\\r\\n" and a lone "\\r" as "\\n": a Windows line ending is a line break."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def strip_controls(text: str) -> str:
    """Typed text without control characters; line endings normalised, newline and tab kept."""
    return normalise_newlines(text).translate(_REMOVE_CONTROLS)


def stripped_for_storage(text: str) -> str:
    """Old stored text mended: no control characters, no bidi overrides, "\\n" line ends.

    For migrations: data written before these rules is never refused. What comes out
    passes :func:`typed` unchanged.
    """
    if _UNSAFE.search(text) is None:
        return text
    return normalise_newlines(text).translate(_REMOVE_UNSAFE)


def _code(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def control_problem(text: str) -> str | None:
    """What is wrong when ``text`` holds control characters (CR counts), else None.

    Names the first one and says how many there are, e.g. "contains the control character
    U+001B (escape); remove it".
    """
    found = [ch for ch in text if ch in _CONTROLS]
    if not found:
        return None
    first = f"{_code(found[0])} ({CONTROL_NAMES[ord(found[0])]})"
    if len(found) == 1:
        return f"contains the control character {first}; remove it"
    return f"contains {len(found)} control characters, the first {first}; remove them"


def bidi_problem(text: str) -> str | None:
    """What is wrong when ``text`` holds bidi overrides, embeddings or isolates, else None.

    Names each distinct one in order of appearance and says why it matters: it makes text
    display in a different order than it is stored.
    """
    found = list(dict.fromkeys(ch for ch in text if ord(ch) in BIDI_CONTROLS))
    if not found:
        return None
    names = [f"{_code(ch)} {BIDI_CONTROLS[ord(ch)]}" for ch in found]
    if len(names) == 1:
        return (
            f"contains {names[0]}, which shows text in a different order than it is stored; "
            "remove it"
        )
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    return f"contains {listed}, which show text in a different order than it is stored; remove them"


def typed(text: str, *, what: str) -> str:
    """Text as the model keeps it: controls stripped, line ends "\\n", bidi overrides refused.

    ``what`` names the field in the refusal ("The stop reason", "An evidence note"). Other
    rules (blank, length, trimming) stay with the field.
    """
    if not isinstance(text, str):
        raise RuleError(f"{what} must be text.")
    if _UNSAFE.search(text) is None:
        return text  # the usual case: nothing to strip, nothing to refuse (one scan)
    cleaned = strip_controls(text)
    problem = bidi_problem(cleaned)
    if problem is not None:
        raise RuleError(f"{what} {problem}.")
    return cleaned


def is_rtl(paragraph: str) -> bool:
    """Whether ``paragraph`` reads right to left: its first strong character is R or AL.

    The Unicode bidi algorithm's rule P2; a paragraph with no strong character (digits,
    punctuation) reads left to right.
    """
    for ch in paragraph:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False
