"""Text the model keeps, for hypothesis strategies that build model objects.

Typed text loses its control characters (newline and tab stay) and bidi overrides are
refused (``rca_desk.model.text``), so strategies that mean "any text a person could type"
leave out the overrides and never draw a text that is nothing but control characters.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

#: LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI: refused by the model.
BIDI_OVERRIDES = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

#: Any character the model keeps as it is: no surrogates, controls or bidi overrides.
typed_characters = st.characters(
    exclude_categories=["Cs", "Cc"],
    include_characters="\n\t",
    exclude_characters=BIDI_OVERRIDES,
)


def without_bidi(text: str) -> str:
    return "".join(ch for ch in text if ch not in BIDI_OVERRIDES)


def has_text(text: str) -> bool:
    """Whether anything but white space is left once control characters are stripped."""
    return bool(_CONTROLS.sub("", text).strip())
