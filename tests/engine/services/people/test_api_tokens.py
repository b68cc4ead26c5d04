"""API tokens: issued once in plaintext, stored as SHA-256, rejected when expired, revoked or the person
is gone; the person's current roles apply."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.db.models import ApiToken, AuditEntry, RoleAssignment
from engine.db.types import utcnow
from engine.errors import NastavnikError, NotFound, PermissionDenied, TokenRejected
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM, load_actor


def test_issue_stores_only_the_hash_and_authenticates(world, db_session):
    issued = api_tokens.issue(db_session, world.curator, world.curator.person_id, "  Журнал   школы ",
                              timedelta(days=30))
    db_session.commit()
    record = db_session.scalar(select(ApiToken))
    assert issued.token.startswith("nst_") and len(issued.token) > 40
    assert record.token_sha256 == api_tokens.token_sha256(issued.token) != issued.token
    assert issued.token not in (record.prefix, record.name) and issued.token.startswith(record.prefix)
    assert record.name == "Журнал школы" and len(record.prefix) == 12
    assert timedelta(days=29) < record.expires_at - utcnow() <= timedelta(days=30)
    actor = api_tokens.authenticate(db_session, issued.token)
    assert actor == world.curator
    assert record.last_used_at is not None
    assert db_session.scalar(select(AuditEntry.action).where(AuditEntry.action == "api_token.issued"))


@pytest.mark.parametrize("bad", [None, "", "nst_", "nst_unknown", "Bearer x", "x" * 500])
def test_unknown_tokens_are_rejected(world, db_session, bad):
    with pytest.raises(TokenRejected, match="неверный токен"):
        api_tokens.authenticate(db_session, bad)


def test_expired_revoked_and_inactive(world, db_session):
    token = api_tokens.issue(db_session, SYSTEM, world.curator.person_id, "x", timedelta(days=1)).token
    with pytest.raises(TokenRejected, match="истёк"):
        api_tokens.authenticate(db_session, token, now=utcnow() + timedelta(days=2))
    record = db_session.scalar(select(ApiToken))
    api_tokens.revoke(db_session, world.curator, record.id)
    api_tokens.revoke(db_session, world.curator, record.id)  # again: nothing changes
    with pytest.raises(TokenRejected, match="отозван"):
        api_tokens.authenticate(db_session, token)
    assert not api_tokens.is_active(record)

    other = api_tokens.issue(db_session, SYSTEM, world.mentor.person_id, "y", None).token
    assert api_tokens.authenticate(db_session, other).person_id == world.mentor.person_id
    record = db_session.scalar(select(ApiToken).where(ApiToken.person_id == world.mentor.person_id))
    record.person.is_active = False
    with pytest.raises(TokenRejected, match="не активен"):
        api_tokens.authenticate(db_session, other)


def test_current_roles_apply(world, db_session):
    token = api_tokens.issue(db_session, SYSTEM, world.curator.person_id, "x", None).token
    assert api_tokens.authenticate(db_session, token).has_role(world.org_id, "curator")
    assignment = db_session.scalar(select(RoleAssignment).where(RoleAssignment.person_id == world.curator.person_id))
    assignment.active, assignment.revoked_at = False, utcnow()
    db_session.flush()
    assert api_tokens.authenticate(db_session, token).roles == frozenset()


def test_only_own_tokens_unless_system(world, db_session):
    with pytest.raises(PermissionDenied):
        api_tokens.issue(db_session, world.curator, world.mentor.person_id, "x", None)
    issued = api_tokens.issue(db_session, world.mentor, world.mentor.person_id, "x", None)
    with pytest.raises(PermissionDenied):
        api_tokens.revoke(db_session, world.curator, issued.record.id)
    with pytest.raises(PermissionDenied):
        api_tokens.list_tokens(db_session, world.curator, world.mentor.person_id)
    assert [t.id for t in api_tokens.list_tokens(db_session, SYSTEM, world.mentor.person_id)] == [issued.record.id]


def test_bad_issue_input(world, db_session):
    with pytest.raises(NastavnikError) as error:
        api_tokens.issue(db_session, SYSTEM, world.curator.person_id, "   ", None)
    assert error.value.where == "name"
    with pytest.raises(NastavnikError) as error:
        api_tokens.issue(db_session, SYSTEM, world.curator.person_id, "x", timedelta(days=5000))
    assert error.value.where == "ttl"
    with pytest.raises(NotFound):
        api_tokens.issue(db_session, SYSTEM, 10**6, "x", None)
    with pytest.raises(NotFound):
        api_tokens.revoke(db_session, SYSTEM, 10**6)
    load_actor(db_session, world.curator.login)  # nothing above broke the session
