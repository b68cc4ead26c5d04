"""Account links: the administrator invites a new teacher (one-time, 7 days), resets a forgotten password (24 hours;
the old password stops at once), and a newer link revokes the older one."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.db.models import AccountLink, AuditEntry
from engine.db.types import utcnow
from engine.errors import ConflictError, LinkGone, NastavnikError, NotFound, PermissionDenied
from engine.services.administration import account_links, people
from engine.services.people.accounts import authenticate, set_password
from engine.services.people.actor import load_actor
from tests import factories as f


@pytest.fixture
def world(db_session):
    session = db_session
    department = f.make_department(session)
    school = f.make_organization(session, parent=department)
    admin = f.make_person(session, login="admin_links", organization=department)
    f.make_role(session, admin, department, "admin")
    stranger = f.make_person(session, login="admin_elsewhere", organization=f.make_department(session))
    f.make_role(session, stranger, stranger.organization, "admin")
    teacher = f.make_person(session, login="teacher", full_name="Учитель Новый", organization=school)
    session.commit()
    return {"admin": load_actor(session, "admin_links"), "stranger": load_actor(session, "admin_elsewhere"),
            "teacher": teacher}


def test_an_invitation_sets_the_first_password_once(db_session, world):
    session = db_session
    issued = account_links.issue_link(session, world["admin"], world["teacher"].id)
    session.commit()
    assert issued.record.purpose == "invitation" and issued.token.startswith("nsl_")
    assert issued.record.expires_at - issued.record.created_at == timedelta(days=7)
    stored = session.scalars(select(AccountLink)).one()
    assert stored.token_sha256 == account_links.token_sha256(issued.token) and issued.token not in stored.token_sha256
    assert account_links.link_for(session, issued.token).person_id == world["teacher"].id
    with pytest.raises(NastavnikError, match="короче 8") as short:
        account_links.use_link(session, issued.token, "корот")
    assert short.value.where == "password"
    with pytest.raises(NastavnikError, match="совпадать с логином"):
        account_links.use_link(session, issued.token, "TEACHER ")
    person = account_links.use_link(session, issued.token, "новый-пароль-2026")
    session.commit()
    assert authenticate(session, "teacher", "новый-пароль-2026") is person
    with pytest.raises(LinkGone, match="уже задан"):
        account_links.use_link(session, issued.token, "другой-пароль-2026")
    actions = [e.action for e in session.scalars(select(AuditEntry).where(AuditEntry.object_type == "person",
                                                                         AuditEntry.object_id == str(person.id)))]
    assert actions == ["account_link.issued", "account_link.used"]


def test_a_reset_stops_the_old_password_at_once_and_lasts_a_day(db_session, world):
    session = db_session
    teacher = world["teacher"]
    set_password(teacher, "старый-пароль-1")
    session.commit()
    epoch = teacher.session_epoch
    issued = account_links.issue_link(session, world["admin"], teacher.id)
    session.commit()
    assert issued.record.purpose == "password_reset"
    assert issued.record.expires_at - issued.record.created_at == timedelta(hours=24)
    assert authenticate(session, "teacher", "старый-пароль-1") is None and teacher.session_epoch > epoch
    again = account_links.issue_link(session, world["admin"], teacher.id)  # still a reset: no password now
    session.commit()
    assert again.record.purpose == "password_reset"
    with pytest.raises(LinkGone, match="отменена"):
        account_links.link_for(session, issued.token)  # the newer link revoked it
    with pytest.raises(LinkGone, match="срок действия ссылки истёк"):
        account_links.use_link(session, again.token, "новый-пароль-1", now=utcnow() + timedelta(hours=25))
    account_links.use_link(session, again.token, "новый-пароль-1")
    session.commit()
    assert authenticate(session, "teacher", "новый-пароль-1") is not None


def test_unknown_links_deactivated_people_and_strangers_are_refused(db_session, world):
    session = db_session
    for token in (None, "", "nsl_unknown", "x" * 300):
        with pytest.raises(NotFound):
            account_links.link_for(session, token)
    with pytest.raises(PermissionDenied):
        account_links.issue_link(session, world["stranger"], world["teacher"].id)
    issued = account_links.issue_link(session, world["admin"], world["teacher"].id)
    people.deactivate(session, world["admin"], world["teacher"].id)
    session.commit()
    with pytest.raises(LinkGone):
        account_links.use_link(session, issued.token, "новый-пароль-1")
    with pytest.raises(ConflictError, match="деактивирован"):
        account_links.issue_link(session, world["admin"], world["teacher"].id)
    assert account_links.latest_link(session, world["teacher"].id).state == "revoked"


def test_a_school_administrator_cannot_take_over_a_departments_role(db_session, world):
    """The department's curator works in a school: the school's administrator sees her, but her password, access
    and data are the department administrator's to change — a reset link would hand over the department's role."""
    session = db_session
    teacher = world["teacher"]
    school, department = teacher.organization, teacher.organization.parent
    school_admin = f.make_person(session, login="school_admin", organization=school)
    f.make_role(session, school_admin, school, "admin")
    f.make_role(session, teacher, department, "curator")
    session.commit()
    actor = load_actor(session, "school_admin")
    for act in (lambda: account_links.issue_link(session, actor, teacher.id),
                lambda: people.deactivate(session, actor, teacher.id),
                lambda: people.edit(session, actor, teacher.id, {"position": "x"}, text=True, partial=True)):
        with pytest.raises(PermissionDenied, match="«куратор» в .*её администратор"):
            act()
    assert account_links.issue_link(session, world["admin"], teacher.id).record.purpose == "invitation"
