from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_real_indicator_refresh(indicator_refreshes: list[str]) -> None:
    """The workflows' tests do not start indicator runs."""
