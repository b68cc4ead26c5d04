"""API tokens: another school system calls ``/api/v1`` as a person, with that person's roles.

    issue(session, actor, person_id, name, ttl) -> IssuedToken     # the plaintext is shown ONCE
    authenticate(session, token) -> Actor                          # TokenRejected when it is not valid
    revoke(session, actor, token_id) -> ApiToken
    list_tokens(session, actor, person_id) -> list[ApiToken]

Only the SHA-256 of a token is stored, with its first characters (``prefix``) to recognise it in lists.
A token is valid until it expires or is revoked, and only while its person is active; the person's
current roles apply (a role revoked today is gone from the token today). A person issues and revokes
their own tokens; the command line acts as the system and may do it for anyone. Nothing is committed
here, except that ``authenticate`` leaves ``last_used_at`` for the caller to commit.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import ApiToken, Person, record_audit
from engine.db.types import utcnow
from engine.errors import NastavnikError, NotFound, PermissionDenied, TokenRejected
from engine.services.people.actor import Actor, load_actor
from engine.workflow.clock import to_utc

TOKEN_PREFIX = "nst_"
PREFIX_LENGTH = 12  # ApiToken.prefix: "nst_" and 8 random characters
MAX_NAME = 100
MAX_TTL = timedelta(days=3 * 365)
LAST_USED_RESOLUTION = timedelta(minutes=1)  # last_used_at is not rewritten on every request


@dataclass(frozen=True)
class IssuedToken:
    token: str  # the plaintext: shown once, never stored
    record: ApiToken


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _require_owner_or_system(actor: Actor, person_id: int, action: str) -> None:
    if actor.is_system or actor.person_id == person_id:
        return
    raise PermissionDenied(f"{actor.full_name or actor.login}: {action} — только для своих токенов")


def issue(session: Session, actor: Actor, person_id: int, name: str, ttl: timedelta | None) -> IssuedToken:
    """A new token of ``person_id`` named ``name`` (what it is for), valid for ``ttl`` (None: no expiry)."""
    _require_owner_or_system(actor, person_id, "выпуск токена API")
    person = session.get(Person, person_id)
    if person is None or not person.is_active:
        raise NotFound(f"нет активного пользователя с номером {person_id}")
    cleaned = " ".join(str(name or "").split())
    if not cleaned:
        raise NastavnikError("укажите, для чего токен (например, «Электронный журнал школы № 8»)", where="name")
    if len(cleaned) > MAX_NAME:
        raise NastavnikError(f"название токена длиннее {MAX_NAME} символов", where="name")
    if ttl is not None and not timedelta(0) < ttl <= MAX_TTL:
        raise NastavnikError(f"срок действия токена — от 1 дня до {MAX_TTL.days} дней", where="ttl")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    record = ApiToken(person_id=person.id, name=cleaned, token_sha256=token_sha256(token),
                      prefix=token[:PREFIX_LENGTH], created_at=now,
                      expires_at=now + ttl if ttl is not None else None)
    session.add(record)
    session.flush()
    record_audit(session, "api_token.issued", actor=actor.person_id, obj=record,
                 details={"person_id": person.id, "name": cleaned, "prefix": record.prefix,
                          "expires_at": record.expires_at.isoformat() if record.expires_at else None})
    session.flush()
    return IssuedToken(token, record)


def authenticate(session: Session, token: str | None, *, now: datetime | None = None) -> Actor:
    """The ``Actor`` of a valid token (with the person's current roles); ``TokenRejected`` otherwise."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise TokenRejected("неверный токен API")
    digest = token_sha256(token)
    record = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == digest))
    if record is None or not hmac.compare_digest(record.token_sha256, digest):
        raise TokenRejected("неверный токен API")
    moment = to_utc(now) if now is not None else utcnow()
    if record.revoked_at is not None:
        raise TokenRejected(f"токен API {record.prefix}… отозван")
    if record.expires_at is not None and to_utc(record.expires_at) <= moment:
        raise TokenRejected(f"срок действия токена API {record.prefix}… истёк")
    person = record.person
    if person is None or not person.is_active:
        raise TokenRejected("пользователь токена API больше не активен")
    if record.last_used_at is None or moment - to_utc(record.last_used_at) >= LAST_USED_RESOLUTION:
        record.last_used_at = moment  # the caller commits (or not: a lost update here is harmless)
    try:
        return load_actor(session, person.login)
    except NotFound:
        raise TokenRejected("пользователь токена API больше не активен") from None


def get_token(session: Session, token_id: int) -> ApiToken:
    record = session.get(ApiToken, token_id)
    if record is None:
        raise NotFound(f"нет токена API с номером {token_id}")
    return record


def revoke(session: Session, actor: Actor, token_id: int) -> ApiToken:
    """Revoke a token (from now on it is rejected); revoking it again changes nothing."""
    record = get_token(session, token_id)
    _require_owner_or_system(actor, record.person_id, "отзыв токена API")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        record_audit(session, "api_token.revoked", actor=actor.person_id, obj=record,
                     details={"person_id": record.person_id, "prefix": record.prefix})
        session.flush()
    return record


def list_tokens(session: Session, actor: Actor, person_id: int) -> list[ApiToken]:
    """The person's tokens, newest first (no secrets: the prefix only)."""
    _require_owner_or_system(actor, person_id, "просмотр токенов API")
    return list(session.scalars(select(ApiToken).where(ApiToken.person_id == person_id)
                                .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def is_active(record: ApiToken, now: datetime | None = None) -> bool:
    moment = to_utc(now) if now is not None else utcnow()
    return record.revoked_at is None and (record.expires_at is None or to_utc(record.expires_at) > moment)
