"""The dashboard's tiles count every row, not just whether there is one."""

from __future__ import annotations

from rca_desk.model import ActionStatus
from rca_desk.model.review import Tile, tile_counts
from tests.conftest import TODAY
from tests.model.test_review import Row, act

S = ActionStatus


def test_each_tile_counts_all_of_its_rows() -> None:
    rows = [
        Row(act(S.IMPLEMENTED)),
        Row(act(S.IMPLEMENTED)),
        Row(act(S.IMPLEMENTED)),
        Row(act(S.NOT_EFFECTIVE)),
        Row(act(S.NOT_EFFECTIVE)),
        Row(act(S.VERIFIED_EFFECTIVE)),
    ]
    assert tile_counts(rows, TODAY) == {
        Tile.OPEN: 5,
        Tile.OVERDUE: 0,
        Tile.DUE_SOON: 2,  # the not-effective ones, due today and unfinished again
        Tile.AWAITING_VERIFICATION: 3,
        Tile.NOT_EFFECTIVE: 2,
    }
