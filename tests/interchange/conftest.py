"""Interchange fixtures: the sample incident as an exported JSON document."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rca_desk.interchange.json_format import dumps
from rca_desk.model import Incident

Doc = dict[str, Any]


@pytest.fixture
def doc(sample: Incident) -> Doc:
    """The sample incident exported, decoded: a test changes it and imports it again."""
    document: Doc = json.loads(dumps([sample]))
    return document
