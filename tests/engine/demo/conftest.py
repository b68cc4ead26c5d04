"""The demo's tests start from empty process-definition caches and no domain hooks, like the services' tests."""
from __future__ import annotations

import pytest

from engine.services.process import definitions, instances


@pytest.fixture(autouse=True)
def _fresh_caches():
    definitions.clear_cache()
    instances.clear_hooks()
    yield
    instances.clear_hooks()
