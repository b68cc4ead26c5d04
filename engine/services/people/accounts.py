"""Passwords (argon2id), login checks and the end of sessions; the web layer logs people in through these.

A web session carries the person's ``session_epoch`` from the moment of login; ``end_sessions`` raises it
(logout, ``set_password``, ``deactivate``), and a session whose epoch is not the person's current one is no
longer a session: it ends everywhere on its next request. A deactivated person's API tokens stop too
(``api_tokens.authenticate`` accepts only active people)."""
from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.db.models import Person, record_audit
from engine.errors import NotFound

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
    """A new password; the person's sessions end (the caller commits)."""
    person.password_hash = hash_password(plain)
    person.session_epoch = (person.session_epoch or 0) + 1


def end_sessions(session: Session, person: Person) -> None:
    """End every web session of the person, in every browser (the caller commits). The epoch is raised in
    the database itself, so two logouts at once both count."""
    session.execute(update(Person).where(Person.id == person.id)
                    .values(session_epoch=Person.session_epoch + 1).execution_options(synchronize_session=False))
    session.refresh(person, ["session_epoch"])


def deactivate(session: Session, person: Person, *, by: Person | int | None = None) -> None:
    """The person may no longer log in: their sessions end and their API tokens stop (the caller commits)."""
    person.is_active = False
    session.flush()
    end_sessions(session, person)
    record_audit(session, "person.deactivated", actor=by, object_type="person", object_id=person.id)


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


def person_by_login(session: Session, login: str) -> Person:
    """The person with this login (active or not); ``NotFound`` otherwise."""
    person = session.scalar(select(Person).where(Person.login == login.strip()))
    if person is None:
        raise NotFound(f"нет пользователя с логином «{login.strip()}»")
    return person


def record_login(session: Session, person: Person) -> None:
    """The audit entry of a successful login (the caller commits)."""
    record_audit(session, "auth.login", actor=person, object_type="person", object_id=person.id)


def log_out(session: Session, person_id: int) -> None:
    """Logout: every session of the person ends, here and in other browsers (the caller commits)."""
    person = session.get(Person, person_id)
    if person is None:
        return
    end_sessions(session, person)
    record_audit(session, "auth.logout", actor=person, object_type="person", object_id=person.id)
