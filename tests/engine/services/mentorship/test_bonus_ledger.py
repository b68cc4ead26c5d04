"""The head's bonus fund ledger (003 §9.3; issue 15 item 3): per head-mentor per year, 3 / 4 / 5 окладов for one /
two / three and more mentees of her term, its basis and the grounds the rule found; the head keeps or revokes the
increase (revoking needs a reason), recorded and audited; only a head of the record's organization decides; the
ledger is read in the same number of statements for one row as for many."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine.db.models import AuditEntry, Decision, MentorBonus
from engine.errors import ConflictError, NastavnikError, PermissionDenied
from engine.services.mentorship import bonus_ledger
from engine.services.people.actor import load_actor
from tests import factories as f
from tests.statements import counted_statements

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def pairs(demo, mentor: str, mentees: list[str]) -> list:
    demo.appoint(mentor)
    programs = []
    for mentee in mentees:
        demo.register(mentee)
        programs.append(demo.form_pair(mentor, mentee))
    return programs


def by_mentor(ledger) -> dict[str, bonus_ledger.LedgerRow]:
    return {row.mentor.split()[0]: row for row in ledger.rows}


@BOTH
def test_the_head_sees_three_four_five_salaries_by_the_mentees_of_the_term(demo, db_session):
    pairs(demo, "volkov", ["novikova", "orlova", "egorova"])
    pairs(demo, "morozova", ["fedorov", "belova"])
    [single] = pairs(demo, "lebedev", ["pavlov"])
    year = single.started_on.year
    rows = by_mentor(bonus_ledger.ledger(db_session, demo.actor("head"), year))
    assert {name: (row.mentee_count, row.salaries) for name, row in rows.items()} == {
        "Волков": (3, 5), "Морозова": (2, 4), "Лебедев": (1, 3)}
    volkov = rows["Волков"]
    assert [p.mentees for p in volkov.programs] == [("Новикова Мария Андреевна",), ("Орлова Ирина Сергеевна",),
                                                    ("Егорова Светлана Юрьевна",)]
    assert all(p.started_on and p.ends_on and p.started_on.year == year for p in volkov.programs)
    assert volkov.state == "undecided" and volkov.grounds == () and volkov.may_decide and not volkov.may_revoke
    # the term is the two years of the appointment (003 §3.4): the next year's fund grows too; none before it
    assert by_mentor(bonus_ledger.ledger(db_session, demo.actor("head"), year + 1))["Волков"].salaries == 5
    assert bonus_ledger.ledger(db_session, demo.actor("head"), year - 1).rows == ()
    assert year in bonus_ledger.ledger(db_session, demo.actor("head"), year).years
    for login in ("curator", "volkov", "novikova"):
        with pytest.raises(PermissionDenied, match="руководитель"):
            bonus_ledger.ledger(db_session, demo.actor(login), year)


@BOTH
def test_the_grounds_are_shown_and_the_head_revokes_only_with_a_reason(demo, db_session):
    [program] = pairs(demo, "sokolova", ["pavlov"])
    demo.complete_early(program, "pavlov")
    head = demo.actor("head")
    [row] = bonus_ledger.ledger(db_session, head, program.started_on.year).rows
    assert row.verdict == "revocation_possible" and row.may_revoke
    assert "решает руководитель" in row.verdict_label
    grounds = {g.id: g for g in row.grounds}
    assert "roadmap_fulfilled" in grounds and grounds["roadmap_fulfilled"].source == "003 §9.3"
    assert grounds["roadmap_fulfilled"].message.startswith("Основание для отмены: невыполнение программы")
    with pytest.raises(PermissionDenied):
        bonus_ledger.decide(db_session, demo.actor("curator"), row.bonus_id, revoked=True, reason="нет отчётов")
    with pytest.raises(NastavnikError, match="укажите основание решения") as missing:
        bonus_ledger.decide(db_session, head, row.bonus_id, revoked=True, reason="  ")
    assert missing.value.where == "reason"
    with pytest.raises(NastavnikError, match="выберите") as unchosen:
        bonus_ledger.decide(db_session, head, row.bonus_id, revoked=None, reason="")
    assert unchosen.value.where == "revoked"
    bonus_ledger.decide(db_session, head, row.bonus_id, revoked=True,
                        reason="дорожная карта не выполнена, отчётов нет", clock=demo.clock)
    db_session.commit()
    [row] = bonus_ledger.ledger(db_session, head, program.started_on.year).rows
    assert (row.state, row.granted_salaries, row.decided_by) == ("revoked", 0, "Петрова Ольга Викторовна")
    assert row.reason == "дорожная карта не выполнена, отчётов нет" and row.decided_at is not None
    entry = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "mentor_bonus.decided")).one()
    assert (entry.object_type, entry.object_id) == ("mentor_bonuses", str(row.bonus_id))
    assert entry.details["revoked"] is True and entry.actor_id == demo.person_id("head")


@BOTH
def test_keeping_needs_no_reason_and_revoking_needs_grounds(demo, db_session):
    [program] = pairs(demo, "volkov", ["novikova"])
    head = demo.actor("head")
    [row] = bonus_ledger.ledger(db_session, head, program.started_on.year).rows
    with pytest.raises(ConflictError, match="нельзя"):  # no program ended: the rule found no grounds yet
        bonus_ledger.decide(db_session, head, row.bonus_id, revoked=True, reason="не нравится")
    bonus_ledger.decide(db_session, head, row.bonus_id, revoked=False, reason="")
    db_session.commit()
    [row] = bonus_ledger.ledger(db_session, head, program.started_on.year).rows
    assert (row.state, row.granted_salaries, row.reason) == ("granted", 3, None)


def scoped_world(session, mentors: int):
    """A department with its head and a school under it with its own head; ``mentors`` records in each."""
    department = f.make_department(session)
    school = f.make_organization(session, parent=department)
    other = f.make_department(session)
    heads = {}
    for key, organization in (("department", department), ("school", school), ("other", other)):
        heads[key] = f.make_person(session)
        f.make_role(session, heads[key], organization, "head")
    for organization in (department, school):
        for n in range(mentors):
            mentor = f.make_person(session)
            group = f.make_group(session, mentor=mentor, organization=organization, mentees=1 + n % 3)
            program = f.make_program(session, group=group, started_on=date(2025, 2, 1))
            decision = f.make_decision(session, program=program, ruleset_id="mentor_bonus_tomsk",
                                       verdict="revocation_possible", body={
                                           "verdict": "revocation_possible", "verdict_label": "решает руководитель",
                                           "criteria": [{"id": "reports_submitted", "passed": False,
                                                         "message": "Основание для отмены: отсутствие отчётов",
                                                         "source": "003 §9.3"}]})
            session.add(MentorBonus(mentor_id=mentor.id, organization_id=organization.id,
                                    term_starts_on=date(2025, 1, 15), term_ends_on=date(2027, 1, 14),
                                    ruleset_id="mentor_bonus_tomsk", mentee_count=1 + n % 3,
                                    salaries=3 + n % 3, verdict="revocation_possible", decision_id=decision.id))
    session.commit()
    return department.id, school.id, {key: load_actor(session, person.login) for key, person in heads.items()}


@BOTH
def test_a_head_sees_her_organization_and_those_under_it_and_decides_only_in_her_own(db_session):
    department, school, heads = scoped_world(db_session, 2)
    seen = bonus_ledger.ledger(db_session, heads["department"], 2026)
    assert {row.organization_id for row in seen.rows} == {department, school} and len(seen.rows) == 4
    assert [row.may_decide for row in seen.rows if row.organization_id == school] == [False, False]
    assert {row.organization_id for row in bonus_ledger.ledger(db_session, heads["school"], 2026).rows} == {school}
    assert bonus_ledger.ledger(db_session, heads["other"], 2026).rows == ()
    with pytest.raises(PermissionDenied):
        bonus_ledger.ledger(db_session, heads["other"], 2026, organization_id=department)
    record = next(row for row in seen.rows if row.organization_id == school)
    for outsider in ("department", "other"):
        with pytest.raises(PermissionDenied):
            bonus_ledger.decide(db_session, heads[outsider], record.bonus_id, revoked=True, reason="нет отчётов")
    bonus_ledger.decide(db_session, heads["school"], record.bonus_id, revoked=True, reason="нет отчётов")
    assert db_session.get(MentorBonus, record.bonus_id).revoked is True
    assert db_session.scalar(select(Decision.id).limit(1)) is not None


@BOTH
def test_the_ledger_reads_the_same_number_of_statements_for_few_and_many_rows(db_session, db_engine):
    counts = []
    for mentors in (1, 8):
        _department, _school, heads = scoped_world(db_session, mentors)
        db_session.expire_all()
        with counted_statements(db_engine) as statements:
            found = bonus_ledger.ledger(db_session, heads["department"], 2025)
            db_session.flush()
        assert len(found.rows) == 2 * mentors and all(row.programs and row.grounds for row in found.rows)
        counts.append(len(statements.without_access_log()))
    assert counts[0] == counts[1]
