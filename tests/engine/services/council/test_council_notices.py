"""What the council tells: every member hears of a scheduled session with its agenda (000 §4.1), the members present
that the voting is open (000 §4.2), the elected secretary that the protocol is hers to draw up (000 §5.1) — nobody of
their own act, nobody outside the council; the head hears when a signed protocol's adopted decisions await the
administration's agreement (000 §4.3): once, with a link to the session; a protocol whose decisions were all
rejected tells nobody."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from engine.db.models import Notification
from engine.services.council import base, protocol, sessions
from engine.services.notifications.kinds import (
    COUNCIL_DECISIONS_AWAITING,
    COUNCIL_SECRETARY_ELECTED,
    COUNCIL_SESSION_SCHEDULED,
    COUNCIL_VOTING_OPEN,
)
from tests.engine.services.council.test_council_sessions import _held_session, _world

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def _signed(s, choice: str):
    school, curator, head, mentors, found = _held_session(s)
    chair, secretary = mentors[0], mentors[1]
    for item in found.items:
        for voter in mentors[:4]:
            sessions.vote(s, voter, found.id, item.id, choice)
        sessions.record_item(s, secretary, found.id, item.id, key_points="", proposals="", decision="Принять к сведению")
    protocol.draw_up(s, secretary, found.id)
    protocol.sign(s, chair, found.id, at=datetime(2026, 3, 13, 3, tzinfo=UTC))
    told_before = _told(s)
    protocol.sign(s, secretary, found.id, at=datetime(2026, 3, 13, 4, tzinfo=UTC))
    return head, found, told_before


def _told(s) -> list[Notification]:
    return list(s.scalars(select(Notification).where(Notification.kind == COUNCIL_DECISIONS_AWAITING)))


@BOTH
def test_the_head_hears_that_the_adopted_decisions_await_her(db_session):
    head, found, told_before = _signed(db_session, "for")
    assert told_before == []  # one signature is not a signed protocol
    told = _told(db_session)
    assert [n.person_id for n in told] == [head.person_id]
    assert told[0].link == f"/council/sessions/{found.id}" and "протокол № 1 от 12.03.2026" in told[0].title
    assert "№ 1, № 2" in told[0].body and "000 §4.3" in told[0].body


@BOTH
def test_nothing_adopted_nobody_told(db_session):
    _signed(db_session, "against")
    assert _told(db_session) == []


def _of_kind(s, kind: str) -> dict[int, Notification]:
    found = list(s.scalars(select(Notification).where(Notification.kind == kind)))
    by_person = {n.person_id: n for n in found}
    assert len(by_person) == len(found), f"{kind}: told someone twice"
    return by_person


@BOTH
def test_members_hear_of_the_session_the_present_of_the_vote_the_secretary_of_the_protocol(db_session):
    s = db_session
    school, curator, head, mentors, found = _held_session(s)  # the curator schedules; the chair (mentors[0]) holds
    chair, secretary = mentors[0], mentors[1]
    members = {m.person_id for m in mentors}

    scheduled = _of_kind(s, COUNCIL_SESSION_SCHEDULED)
    assert set(scheduled) == members  # every member, the chair too; not the curator who scheduled it, nor the head
    told = scheduled[chair.person_id]
    assert told.title == "Назначена сессия совета наставников № 1 на 12.03.2026"
    assert "назначена на 12.03.2026, место: учительская (000 §4.1)" in told.body
    assert "1. Итоги мониторинга за полугодие\n2. Конкурс «Лучший наставник»" in told.body
    assert told.link == f"/council/sessions/{found.id}" and told.organization_id == school.id

    voting = _of_kind(s, COUNCIL_VOTING_OPEN)
    assert set(voting) == {m.person_id for m in mentors[1:4]}  # the present, not the absent, not the chair who held it
    assert voting[secretary.person_id].title == "Голосование открыто: сессия совета наставников № 1 (12.03.2026)"
    assert "000 §4.2" in voting[secretary.person_id].body and voting[secretary.person_id].link == told.link

    elected = _of_kind(s, COUNCIL_SECRETARY_ELECTED)
    assert list(elected) == [secretary.person_id]
    assert "за — 3, против — 0, воздержались — 1" in elected[secretary.person_id].body
    assert "000 §5.1" in elected[secretary.person_id].body
    assert not (set(scheduled) | set(voting) | set(elected)) & {curator.person_id, head.person_id}

    second = sessions.schedule(s, curator, school.id, held_on=date(2026, 4, 9), place="", agenda=["Разное"])
    sessions.add_item(s, curator, second.id, "Ещё вопрос")  # an item added later is on the page, not a new notice
    assert s.scalar(select(func.count()).select_from(Notification)
                    .where(Notification.kind == COUNCIL_SESSION_SCHEDULED)) == 2 * len(members)


@BOTH
def test_the_chair_scheduling_is_not_told_and_a_secretary_holding_her_own_election_is_not_told(db_session):
    s = db_session
    school, curator, _head, mentors = _world(s)
    for mentor in mentors[:3]:
        base.add_member(s, curator, school.id, mentor.person_id)
    base.set_chair(s, curator, school.id, mentors[0].person_id)
    chair = mentors[0]
    found = sessions.schedule(s, chair, school.id, held_on=date(2026, 4, 2), place="", agenda=["Итоги"])
    assert set(_of_kind(s, COUNCIL_SESSION_SCHEDULED)) == {m.person_id for m in mentors[1:3]}
    assert "место" not in _of_kind(s, COUNCIL_SESSION_SCHEDULED)[mentors[1].person_id].body
    sessions.hold(s, chair, found.id, present=[m.person_id for m in mentors[:3]], secretary_id=chair.person_id,
                  votes_for=2)
    assert _of_kind(s, COUNCIL_SECRETARY_ELECTED) == {}  # the chair recorded her own election
    assert set(_of_kind(s, COUNCIL_VOTING_OPEN)) == {m.person_id for m in mentors[1:3]}
