"""The demo's tests start from empty process-definition caches, like the services' tests (their sessions
carry a domain of their own: tests/conftest.py)."""
from __future__ import annotations

import pytest

from engine.services.process import definitions


@pytest.fixture(autouse=True)
def _fresh_caches():
    definitions.clear_cache()
