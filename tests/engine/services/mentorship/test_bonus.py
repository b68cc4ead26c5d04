"""The mentor's bonus (003 §9.3) decided per mentor for her term — issue 10 «Bonus»: two separate pairs of
one mentor are two mentees (4 оклада, not 3 + 3), an early-completed program gets its decision, and the
head decides on revocation where the rule found grounds, with who, when and why recorded."""
from __future__ import annotations

import pytest

from engine.db.models import Decision, MentorBonus, Program
from engine.demo.story import Demo
from engine.errors import ConflictError, NastavnikError, PermissionDenied
from engine.services.mentorship import bonus

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def two_pairs(demo: Demo) -> tuple[Program, Program]:
    demo.appoint("volkov")
    for mentee in ("novikova", "orlova"):
        demo.register(mentee)
    return demo.form_pair("volkov", "novikova"), demo.form_pair("volkov", "orlova")


def records(session) -> list[MentorBonus]:
    session.expire_all()
    return list(session.query(MentorBonus).order_by(MentorBonus.id))


@BOTH
def test_two_separate_pairs_of_one_mentor_are_two_mentees_in_her_term(demo, db_session):
    first, second = two_pairs(demo)
    [record] = records(db_session)  # one record: the mentor and her appointment term
    assert (record.mentor_id, record.mentee_count, record.salaries) == (demo.person_id("volkov"), 2, 4)
    assert record.appointment_id is not None and record.verdict is None  # no program has ended yet
    assert bonus.bonus_for(db_session, first) is record and bonus.bonus_for(db_session, second) is record


@BOTH
def test_a_completed_program_decides_for_the_term_not_for_itself(demo, db_session):
    first, second = two_pairs(demo)
    for _ in range(4):
        demo.stage(first, "volkov")
    demo.finish(first)
    [record] = records(db_session)
    decision = db_session.get(Decision, record.decision_id)
    assert decision.body["facts"]["mentee_count"] == 2 and decision.body["outputs"]["bonus_salaries"] == 4
    assert (record.salaries, record.verdict) == (4, "bonus_due")
    assert decision.program_id == first.id and decision.person_id == demo.person_id("volkov")


@BOTH
def test_an_early_completed_program_gets_a_decision_and_the_head_decides_on_revocation(demo, db_session):
    first, _second = two_pairs(demo)
    demo.complete_early(first, "novikova")
    [record] = records(db_session)
    assert record.verdict == "revocation_possible" and record.salaries == 4
    criteria = {c["id"]: c["passed"] for c in db_session.get(Decision, record.decision_id).body["criteria"]}
    assert criteria["roadmap_fulfilled"] is False  # a ground the head weighs
    with pytest.raises(PermissionDenied):
        bonus.decide_revocation(db_session, demo.actor("curator"), first.id, revoked=True, reason="x")
    with pytest.raises(NastavnikError, match="основание"):
        bonus.decide_revocation(db_session, demo.actor("head"), first.id, revoked=True, reason="  ")
    bonus.decide_revocation(db_session, demo.actor("head"), first.id, revoked=False,
                            reason="программа завершена досрочно по уважительной причине наставляемой",
                            clock=demo.clock)
    db_session.commit()
    [record] = records(db_session)
    assert (record.revoked, record.decided_by_id) == (False, demo.person_id("head"))
    assert record.reason.startswith("программа завершена досрочно") and record.decided_at is not None


@BOTH
def test_the_head_has_nothing_to_decide_without_grounds(demo, db_session):
    first, _second = two_pairs(demo)
    with pytest.raises(ConflictError, match="нечего"):
        bonus.decide_revocation(db_session, demo.actor("head"), first.id, revoked=True, reason="так решено")
