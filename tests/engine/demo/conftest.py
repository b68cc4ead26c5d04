"""The demo's tests start from empty process-definition caches, like the services' tests (their sessions carry
a domain of their own: tests/conftest.py); every demo person gets the same argon2 hash of the demo password (hashing is slow on purpose and is tested in
tests/engine/services/people/test_accounts.py; these tests check the story)."""
from __future__ import annotations

from functools import cache

import pytest

from engine.demo import world as demo_data
from engine.services.people.accounts import hash_password
from engine.services.process import definitions


@pytest.fixture(autouse=True)
def _fresh_caches():
    definitions.clear_cache()
    return


@cache
def _hash_of(plain: str) -> str:
    return hash_password(plain)


@pytest.fixture(autouse=True)
def _one_hash_per_password(monkeypatch):
    monkeypatch.setattr(demo_data, "set_password", lambda person, plain: setattr(person, "password_hash", _hash_of(plain)))
