"""Workspace versions at the edges of the 16-bit halves of SQLite's user_version."""

from __future__ import annotations

import pytest

from rca_desk.store.schema import SchemaVersion


def test_the_highest_major_and_minor_fit() -> None:
    assert str(SchemaVersion(65535, 65535)) == "65535.65535"
    assert SchemaVersion(65535, 65535).to_int() == -1


@pytest.mark.parametrize(("major", "minor"), [(65536, 0), (0, 65536), (-1, 0), (0, -1)])
def test_a_version_beyond_16_bits_is_refused(major: int, minor: int) -> None:
    with pytest.raises(ValueError, match=rf"schema version {major}\.{minor} is out of range"):
        SchemaVersion(major, minor)


def test_major_32768_is_the_first_that_reads_as_negative() -> None:
    assert SchemaVersion(32767, 65535).to_int() == 2147483647
    assert SchemaVersion(32768, 0).to_int() == -2147483648
    assert SchemaVersion.from_int(-2147483648) == SchemaVersion(32768, 0)
