"""Flask-Login wiring (passwords are ``engine.services.people.accounts``). A logged-in user is a ``User`` wrapping
the engine's ``Actor``; the session stores ``<person id>.<session epoch>.<fingerprint>``, checked against the
database on every request: logout, a password change and deactivation raise the person's epoch
(``accounts.end_sessions``), and the fingerprint changes with the password hash even when it is changed behind the
services' back, so a cookie kept from before any of them is no longer a session anywhere.
"""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from flask import Flask, flash, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin

from engine.db.models import Person
from engine.services.people import accounts
from engine.services.people.accounts import hash_password, verify_password  # noqa: F401 - re-exported
from engine.services.people.actor import Actor, active_with_roles, actor_of
from web.db import get_db

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

login_manager = LoginManager()


def authenticate(session: Session, login: str, password: str) -> Person | None:
    person = accounts.authenticate(session, login, password)
    if person is not None and session.dirty:  # a rehashed password
        session.commit()
    return person


def _fingerprint(password_hash: str | None) -> str:
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


def session_id_for(person: Person) -> str:
    return f"{person.id}.{person.session_epoch or 0}.{_fingerprint(person.password_hash)}"


class User(UserMixin):
    """The logged-in person: their ``Actor`` (roles by organization) plus the Flask-Login id."""

    def __init__(self, actor: Actor, session_id: str) -> None:
        self.actor = actor
        self._session_id = session_id

    def get_id(self) -> str:
        return self._session_id

    @property
    def full_name(self) -> str:
        return self.actor.full_name

    @property
    def login(self) -> str:
        return self.actor.login


def user_for(person: Person, session: Session) -> User:
    """The logged-in user of an active person (their roles read once, the person not again)."""
    return User(actor_of(session, person), session_id_for(person))


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    person_id, _, rest = session_id.partition(".")
    epoch, _, fingerprint = rest.partition(".")
    if not (person_id.isdigit() and len(person_id) < 11 and epoch.isdigit()):
        return None
    found = active_with_roles(get_db(), int(person_id))  # who, and their roles: one SELECT on every request
    if found is None or session_id_for(found[0]) != session_id:
        return None
    return User(found[1], session_id)


@login_manager.unauthorized_handler
def _unauthorized():
    if request.path.startswith("/api/"):
        response = jsonify(code=401, status="Unauthorized", message="требуется вход в систему")
        response.status_code = 401
        return response
    if request.path != "/":
        flash(_l("Войдите, чтобы продолжить."), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return redirect(url_for("auth.login"))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
