"""A mentee is in one program at a time: while her pair awaits consents or the head's signature she is not
offered for another pair, and a second pair is refused at the proposal, at her consent and at the head's
signature, each time naming the pair she is already in. A mentor with several mentees stays allowed."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db.models import MentoringGroup, Order, Program
from engine.demo.story import Demo
from engine.errors import ConflictError
from engine.services.mentorship import formation as mentorship
from engine.services.mentorship import pair_proposals, pair_steps

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def propose(demo: Demo, mentor: str, *mentees: str):
    instance = mentorship.propose_pair(demo.session, demo.actor("curator"), demo.department_id,
                                       demo.person_id(mentor), [demo.person_id(m) for m in mentees], clock=demo.clock)
    demo.session.commit()
    return instance


def world(demo: Demo) -> None:
    for mentor in ("volkov", "morozova"):
        demo.appoint(mentor)
    for mentee in ("novikova", "egorova"):
        demo.register(mentee)


def free_to_propose(monkeypatch) -> None:
    """A second pair proposed as before the rule (or by two curators at the same moment): the proposal's
    check is skipped so the later checks — consent and signature — are what the test sees."""
    monkeypatch.setattr(mentorship, "require_free", lambda *_a, **_k: None, raising=False)


def free_to_consent(monkeypatch) -> None:
    """Her consent to a second pair given as before the rule: the consent's check is skipped too, so the head's
    signature is what the test sees."""
    monkeypatch.setattr(pair_steps, "require_free", lambda *_a, **_k: None, raising=False)


@BOTH
def test_a_mentee_awaiting_the_heads_signature_is_not_offered_and_not_proposed_again(demo, db_session):
    s = db_session
    world(demo)
    first = demo.consented_pair("volkov", "novikova")  # the order waits for the head
    offered = pair_proposals.proposal_options(s, demo.actor("curator"), demo.department_id, demo.clock.now().date())
    assert [m.person.full_name for m in offered.mentees] == [demo.world.people["egorova"].full_name]
    with pytest.raises(ConflictError) as refused:
        propose(demo, "morozova", "novikova")
    group = s.get(MentoringGroup, first.subject["group_id"])
    assert f"№{group.id}" in refused.value.message and demo.world.people["volkov"].full_name in refused.value.message
    assert "ждёт согласий участников или приказа руководителя" in refused.value.message
    check = pair_proposals.check_pair(s, demo.actor("curator"), demo.department_id, demo.person_id("morozova"),
                                      [demo.person_id("novikova")], demo.clock.now().date())
    assert f"№{group.id}" in check.engaged[demo.person_id("novikova")]
    s.rollback()
    assert s.scalars(select(MentoringGroup)).all() == [group]


@BOTH
def test_a_mentee_in_a_running_program_is_refused_naming_the_program(demo, db_session):
    world(demo)
    program = demo.form_pair("volkov", "novikova")
    with pytest.raises(ConflictError, match=f"выполняется программа №{program.id}"):
        propose(demo, "morozova", "novikova")


@BOTH
def test_her_consent_to_a_second_pending_pair_is_refused(demo, db_session, monkeypatch):
    world(demo)
    first = propose(demo, "volkov", "novikova")
    free_to_propose(monkeypatch)
    second = propose(demo, "morozova", "novikova")
    monkeypatch.undo()
    demo.complete("morozova", "give_consent", {"consent": True}, second.id)  # the mentor may consent
    with pytest.raises(ConflictError, match=f"пара \\(группа\\) №{first.subject['group_id']}"):
        demo.complete("novikova", "give_consent", {"consent": True}, second.id)


@BOTH
def test_the_head_cannot_sign_a_second_pair_for_the_same_mentee(demo, db_session, monkeypatch):
    s = db_session
    world(demo)
    first = demo.consented_pair("volkov", "novikova")
    free_to_propose(monkeypatch)
    free_to_consent(monkeypatch)
    second = demo.consented_pair("morozova", "novikova")
    monkeypatch.undo()
    demo.complete("head", "sign_order", {"signed": True}, first.id)
    with pytest.raises(ConflictError, match="выполняется программа №"):
        demo.complete("head", "sign_order", {"signed": True}, second.id)
    s.rollback()
    assert len(s.scalars(select(Program)).all()) == 1
    assert [o.status for o in s.scalars(select(Order).where(Order.type == "pair_formation").order_by(Order.id))] == [
        "signed", "awaiting_signature"]


@BOTH
def test_one_mentor_with_two_mentees_is_still_a_group(demo, db_session):
    world(demo)
    instance = propose(demo, "volkov", "novikova", "egorova")
    assert instance.status == "running"
