from __future__ import annotations

import pytest

from yiwang.org.models import Region
from yiwang.org.tests.factories import region_tree


@pytest.fixture
def regions(db) -> dict[str, Region]:
    return region_tree()
