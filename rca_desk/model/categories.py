"""Cause categories: the default set and the classic presets.

Categories are per incident and editable; a preset is only a starting list.
"""

from __future__ import annotations

from rca_desk.model.errors import RuleError
from rca_desk.model.text import typed

DEFAULT_CATEGORIES: tuple[str, ...] = (
    "SOPs",
    "Training",
    "Technology",
    "QC checkpoints",
    "Communication",
)

PRESETS: dict[str, tuple[str, ...]] = {
    "Service (default)": DEFAULT_CATEGORIES,
    # Manufacturing's 6M.
    "6M": ("Manpower", "Machine", "Method", "Material", "Measurement", "Mother Nature"),
    # Service marketing's 8P.
    "8P": (
        "Product",
        "Price",
        "Place",
        "Promotion",
        "People",
        "Process",
        "Physical evidence",
        "Productivity",
    ),
    # Service industry's 4S.
    "4S": ("Surroundings", "Suppliers", "Systems", "Skills"),
}

MAX_CATEGORY_LENGTH = 60


def clean_category_name(name: str) -> str:
    """Return ``name`` stripped, or refuse an empty or overlong one (or one with bidi
    overrides; control characters go, see :func:`typed`)."""
    cleaned = " ".join(typed(name, what="A category name").split())
    if not cleaned:
        raise RuleError("A category needs a name.")
    if len(cleaned) > MAX_CATEGORY_LENGTH:
        raise RuleError(
            f"Category name {cleaned[:20]!r}… is longer than {MAX_CATEGORY_LENGTH} characters."
        )
    return cleaned


def category_title(name: str, elsewhere: int, *, sep: str = " ") -> str:
    """A category's title on the fishbone: ``name``, plus "(+N on other bones)" when
    ``elsewhere`` (N) of its causes are sub-causes drawn on another category's bone.
    ``sep`` goes between the two (the diagram puts the note on a line of its own).

    >>> category_title("Methods", 1)
    'Methods (+1 on other bones)'
    >>> category_title("Methods", 0)
    'Methods'
    """
    return f"{name}{sep}(+{elsewhere} on other bones)" if elsewhere else name


def preset(name: str) -> tuple[str, ...]:
    """The categories of a named preset (case-insensitive)."""
    for key, categories in PRESETS.items():
        if key.lower() == name.strip().lower() or key.split()[0].lower() == name.strip().lower():
            return categories
    raise RuleError(f"Unknown category preset {name!r}; use one of: {', '.join(PRESETS)}")
