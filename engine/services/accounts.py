"""Passwords (argon2) and account lookup; the web layer logs people in through these."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Person

_hasher = PasswordHasher()
# Verified against when the login is unknown, so both cases cost the same (no user enumeration by timing).
_DUMMY_HASH = _hasher.hash("nastavnik-dummy-password")


def hash_password(plain: str) -> str:
    return _hasher.hash(plain)


def set_password(person: Person, plain: str) -> None:
    person.password_hash = hash_password(plain)


def authenticate(session: Session, login: str, plain: str) -> Person | None:
    """The active person with this login and password, or None (same cost either way)."""
    person = session.scalar(select(Person).where(Person.login == login))
    stored = person.password_hash if person is not None and person.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, plain)
    except (VerificationError, InvalidHashError):
        return None
    if person is None or not person.password_hash or not person.is_active:
        return None
    if _hasher.check_needs_rehash(person.password_hash):
        person.password_hash = _hasher.hash(plain)
    return person
