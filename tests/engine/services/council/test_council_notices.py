"""The head hears when a signed protocol's adopted decisions await the administration's agreement (000 §4.3): once,
with a link to the session; a protocol whose decisions were all rejected tells nobody."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from engine.db.models import Notification
from engine.services.council import protocol, sessions
from engine.services.notifications.kinds import COUNCIL_DECISIONS_AWAITING
from tests.engine.services.council.test_council_sessions import _held_session

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
