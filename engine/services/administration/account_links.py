"""One-time account links (issue 12): the administrator's invitation to set the first password, or a password
reset — the current password stops working at once (its hash is cleared and every session ends).

    issue_link(session, actor, person_id) -> IssuedLink      # the token is shown to the administrator ONCE
    link_for(session, token) -> AccountLink                  # the set-password page: valid, or why not
    use_link(session, token, new_password) -> Person         # sets the password, the link is used

An invitation lasts 7 days, a reset 24 hours; a newer link for the same person revokes the older ones; only the
SHA-256 of a token is stored (as for API tokens). When e-mail is on and the person has an address, the link is
e-mailed to them (``email_outbox.queue_account_link``, sent by a job after the commit; the token is scrubbed from
the stored e-mail once sent) and the administrator is told where it went, not shown it; otherwise the
administrator hands the link over. Every issue and use is audited on the person. The caller commits."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import AccountLink, AccountLinkPurpose, Person, record_audit
from engine.db.types import utcnow
from engine.errors import ConflictError, LinkGone, NastavnikError, NotFound
from engine.services.administration.people import administered_person
from engine.services.notifications.email_outbox import queue_account_link
from engine.services.notifications.email_settings import mail_settings_of
from engine.services.people import accounts
from engine.services.people.actor import Actor
from engine.workflow.clock import to_utc

TOKEN_PREFIX = "nsl_"
LIFETIME = {AccountLinkPurpose.INVITATION: timedelta(days=7), AccountLinkPurpose.PASSWORD_RESET: timedelta(hours=24)}
PURPOSE_LABELS = {AccountLinkPurpose.INVITATION: "приглашение (первый пароль)",
                  AccountLinkPurpose.PASSWORD_RESET: "сброс пароля"}
LINK_PATH = "/account/{token}"  # the set-password page (web.views.account)
MIN_PASSWORD = 8
MAX_PASSWORD = 1024


@dataclass(frozen=True)
class IssuedLink:
    token: str  # the secret part of the link: shown once, never stored
    record: AccountLink
    emailed_to: str | None = None  # the address it was e-mailed to (then it is not shown to the administrator)

    @property
    def purpose_label(self) -> str:
        return PURPOSE_LABELS[AccountLinkPurpose(self.record.purpose)]


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _open_links(session: Session, person_id: int) -> list[AccountLink]:
    return list(session.scalars(select(AccountLink).where(AccountLink.person_id == person_id,
                                                          AccountLink.used_at.is_(None),
                                                          AccountLink.revoked_at.is_(None))))


def _purpose(session: Session, person: Person) -> AccountLinkPurpose:
    """An invitation for a person who has never had a password, a reset otherwise (also while an earlier reset's
    link is waiting: the password was cleared by it)."""
    if person.password_hash:
        return AccountLinkPurpose.PASSWORD_RESET
    earlier_reset = session.scalar(select(AccountLink.id).where(
        AccountLink.person_id == person.id, AccountLink.purpose == AccountLinkPurpose.PASSWORD_RESET.value).limit(1))
    return AccountLinkPurpose.PASSWORD_RESET if earlier_reset is not None else AccountLinkPurpose.INVITATION


def issue_link(session: Session, actor: Actor, person_id: int, *, now: datetime | None = None) -> IssuedLink:
    """A new link for the person the actor administers: an invitation, or a reset that ends the current password
    and sessions at once. Older open links of the person are revoked."""
    person = administered_person(session, actor, person_id, action="выдача ссылки для входа", account=True)
    if not person.is_active:
        raise ConflictError(f"{person.full_name} деактивирован(а): сначала восстановите доступ")
    moment = to_utc(now) if now is not None else utcnow()
    purpose = _purpose(session, person)
    for older in _open_links(session, person.id):
        older.revoked_at = moment
    if purpose is AccountLinkPurpose.PASSWORD_RESET:
        person.password_hash = None  # the current password stops working now
        session.flush()
        accounts.end_sessions(session, person)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = AccountLink(person_id=person.id, purpose=purpose.value, token_sha256=token_sha256(token),
                         created_at=moment, created_by_id=actor.person_id, expires_at=moment + LIFETIME[purpose])
    session.add(record)
    session.flush()
    emailed = queue_account_link(session, person, mail_settings_of(session).absolute(LINK_PATH.format(token=token)),
                                 token, invitation=purpose is AccountLinkPurpose.INVITATION,
                                 expires_at=record.expires_at)
    record_audit(session, "account_link.issued", actor=actor.person_id, object_type="person", object_id=person.id,
                 organization=person.organization_id,
                 details={"link_id": record.id, "purpose": purpose.value, "expires_at": record.expires_at.isoformat(),
                          "emailed": emailed is not None})
    return IssuedLink(token, record, emailed.to_address if emailed is not None else None)


def link_for(session: Session, token: str | None, *, now: datetime | None = None) -> AccountLink:
    """The link of ``token`` if it may still be used; ``NotFound`` for an unknown token, ``LinkGone`` for one
    used, revoked, expired or whose person was deactivated."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise NotFound("такой ссылки нет: проверьте, что она скопирована целиком, или попросите администратора "
                       "выдать новую")
    digest = token_sha256(token)
    record = session.scalar(select(AccountLink).where(AccountLink.token_sha256 == digest))
    if record is None or not hmac.compare_digest(record.token_sha256, digest):
        raise NotFound("такой ссылки нет: проверьте, что она скопирована целиком, или попросите администратора "
                       "выдать новую")
    moment = to_utc(now) if now is not None else utcnow()
    if record.used_at is not None:
        raise LinkGone("по этой ссылке пароль уже задан: ссылка одноразовая. Войдите со своим паролем или "
                       "попросите администратора выдать новую ссылку")
    if record.revoked_at is not None:
        raise LinkGone("эта ссылка отменена: администратор выдал более новую или закрыл доступ. Воспользуйтесь "
                       "последней выданной ссылкой")
    if to_utc(record.expires_at) <= moment:
        raise LinkGone(f"срок действия ссылки истёк {to_utc(record.expires_at):%d.%m.%Y}: попросите "
                       "администратора выдать новую")
    if not record.person.is_active:
        raise LinkGone("доступ этого пользователя закрыт администратором")
    return record


def check_password(person: Person, password: str) -> None:
    """``NastavnikError`` naming the ``password`` field unless the password is acceptable."""
    if len(password) < MIN_PASSWORD:
        raise NastavnikError(f"пароль короче {MIN_PASSWORD} знаков", where="password")
    if len(password) > MAX_PASSWORD:
        raise NastavnikError(f"пароль длиннее {MAX_PASSWORD} знаков", where="password")
    if password.strip().casefold() == person.login.casefold():
        raise NastavnikError("пароль не должен совпадать с логином", where="password")


def use_link(session: Session, token: str | None, new_password: str, *, now: datetime | None = None) -> Person:
    """The person's new password by the link (every session of theirs ends); the link is used up."""
    record = link_for(session, token, now=now)
    person = record.person
    check_password(person, new_password)
    accounts.set_password(person, new_password)
    record.used_at = to_utc(now) if now is not None else utcnow()
    session.flush()
    record_audit(session, "account_link.used", actor=person.id, object_type="person", object_id=person.id,
                 organization=person.organization_id, details={"link_id": record.id, "purpose": record.purpose})
    return person


@dataclass(frozen=True)
class LinkState:
    purpose: str
    purpose_label: str
    created_at: datetime
    expires_at: datetime
    state: str  # open | used | revoked | expired
    state_label: str


STATE_LABELS = {"open": "действует", "used": "использована", "revoked": "отменена", "expired": "срок истёк"}


def latest_link(session: Session, person_id: int, *, now: datetime | None = None) -> LinkState | None:
    """The newest link issued for the person and what became of it (no secret: the token is never stored)."""
    record = session.scalars(select(AccountLink).where(AccountLink.person_id == person_id)
                             .order_by(AccountLink.created_at.desc(), AccountLink.id.desc())).first()
    if record is None:
        return None
    moment = to_utc(now) if now is not None else utcnow()
    state = ("used" if record.used_at is not None else "revoked" if record.revoked_at is not None
             else "expired" if to_utc(record.expires_at) <= moment else "open")
    purpose = AccountLinkPurpose(record.purpose)
    return LinkState(purpose.value, PURPOSE_LABELS[purpose], record.created_at, record.expires_at, state,
                     STATE_LABELS[state])

