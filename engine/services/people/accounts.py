"""Passwords (argon2id) and login checks; the web layer logs people in through these."""
from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Person, record_audit

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters


def hash_password(plain: str) -> str:
    """An argon2id hash of ``plain`` (a new random salt each time)."""
    if not plain:
        raise ValueError("пароль не может быть пустым")
    return _hasher.hash(plain)


def verify_password(stored_hash: str | None, plain: str) -> bool:
    if not stored_hash or not plain:
        return False
    try:
        return _hasher.verify(stored_hash, plain)
    except (VerificationError, InvalidHashError):
        return False


def set_password(person: Person, plain: str) -> None:
    person.password_hash = hash_password(plain)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("nastavnik-dummy-password")


def authenticate(session: Session, login: str, password: str) -> Person | None:
    """The active person with this login and password, else None. Unknown logins cost the same argon2
    verification as wrong passwords, so timing does not reveal which logins exist. An outdated hash is
    replaced in the session (the caller commits)."""
    person = session.scalar(select(Person).where(Person.login == login.strip())) if login else None
    if person is None or not person.is_active or not person.password_hash:
        verify_password(_dummy_hash(), password or "x")
        return None
    if not verify_password(person.password_hash, password):
        return None
    if _hasher.check_needs_rehash(person.password_hash):
        person.password_hash = hash_password(password)
    return person


def active_person(session: Session, person_id: int) -> Person | None:
    """The active person with this id (a logged-in session names it), else None."""
    person = session.get(Person, person_id)
    return person if person is not None and person.is_active else None


def record_login(session: Session, person: Person) -> None:
    """The audit entry of a successful login (the caller commits)."""
    record_audit(session, "auth.login", actor=person, object_type="person", object_id=person.id)
