"""Declared lifecycles (engine.db.models.lifecycle): for every stateful entity, every move of its table
passes and reaches the database, every other move raises InvalidStatusTransition naming the entity, its id
and both statuses in Russian, and leaves the row as it was — on SQLite and PostgreSQL."""
from __future__ import annotations

import enum
import re
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest

from engine.db import Base, InvalidStatusTransition, InvalidValue
from engine.db.ddl import IMMUTABLE_ROWS
from engine.db.models import (
    LIFECYCLES,
    PROGRAM_LIFECYCLE,
    Council,
    CouncilSession,
    Job,
    Lifecycle,
    MentorContest,
    Order,
    OutgoingEmail,
    PlanCorrection,
    Practice,
    RoadmapEventRecord,
    RoadmapYear,
    RoadmapYearItem,
    StageReport,
)
from engine.errors import ConflictError, NastavnikError
from tests import factories as f

# The moves each table declares, written out here so that changing a table changes this test too.
EXPECTED_MOVES: dict[str, set[str]] = {
    "orders": {"draft→awaiting_signature", "awaiting_signature→draft", "awaiting_signature→signed",
               "awaiting_signature→refused", "refused→draft"},
    "programs": {"forming→active", "active→extended", "active→completed", "active→completed_early",
                 "active→terminated", "extended→completed", "extended→completed_early", "extended→terminated"},
    "stage_reports": {"draft→submitted", "submitted→approved", "submitted→returned", "submitted→draft",
                      "approved→returned"},
    "roadmap_events": {"planned→done", "planned→skipped", "done→planned", "skipped→planned"},
    "mentor_appointments": {"pending→active", "pending→cancelled", "active→released"},
    "mentoring_groups": {"forming→approved", "forming→dissolved", "approved→closed", "approved→dissolved"},
    "mentees": {"waiting→in_program", "waiting→withdrawn", "in_program→completed", "in_program→waiting"},
    "roadmap_years": {"running→completed"},
    "roadmap_year_items": {"planned→done", "planned→not_done"},
    "jobs": {"waiting→done", "waiting→incident", "incident→waiting", "incident→skipped"},
    "outgoing_emails": {"waiting→sent", "waiting→failed", "failed→waiting"},
    "plan_corrections": {"draft→proposed", "draft→withdrawn", "proposed→agreed", "proposed→returned",
                         "proposed→withdrawn", "agreed→approved", "agreed→returned", "returned→proposed",
                         "returned→withdrawn"},
    "council_sessions": {"planned→held", "held→signing", "signing→signed"},
    "mentor_contests": {"nominating→voting", "voting→awaiting_order", "awaiting_order→voting",
                        "awaiting_order→closed"},
    "practices": {"submitted→approved", "submitted→returned", "returned→submitted"},
}
# Tables with a status that item 7 of issue 8 leaves out: the process runtime and versioned sources.
WITHOUT_LIFECYCLE = {"workflow_instances", "process_definitions", "rule_file_versions", "regulation_pack_versions",
                     "designed_forms"}  # versions: draft → deployed, kept by the methodology service
GROUND = {"completed": "plan_completed", "completed_early": "participants_initiative",
          "terminated": "improper_execution"}
AT = datetime(2024, 10, 1, 9, tzinfo=UTC)


# -- rows in a given status, with what the database requires of that status ------------------------


def _order_needs(session, status: str) -> dict:
    if status == "signed":
        return {"number": "1р", "issued_on": date(2024, 2, 20), "signer": f.make_person(session), "signed_at": AT,
                "document_sha256": "a" * 64}
    return {"refusal_reason": "Неверный список пар"} if status == "refused" else {}


def _program_needs(_session, status: str) -> dict:
    return {"completion_ground": GROUND[status], "completed_on": date(2025, 6, 1)} if status in GROUND else {}


def _report_needs(session, status: str) -> dict:
    needs: dict[str, Any] = {} if status == "draft" else {"submitted_at": AT}
    if status in ("returned", "approved"):
        needs.update(reviewer=f.make_person(session), reviewed_at=AT)
    return needs


def _event_needs(_session, status: str) -> dict:
    return {"done_on": date(2024, 9, 20)} if status == "done" else {}


def _appointment_needs(_session, status: str) -> dict:
    return {"released_on": date(2025, 1, 10), "release_reason": "по собственной просьбе"} if status == "released" else {}


def _no_needs(_session, _status: str) -> dict:
    return {}


def _order(session, **kw: Any) -> Order:
    return f.make_order(session, type="other", subject="О проверке", **kw)


def _report(session, **kw: Any) -> StageReport:
    program = f.make_program(session)
    return StageReport(program=program, stage_id="diagnosis", form_name="Информационная справка", body="Текст",
                       submitted_by=program.group.mentor, **kw)


def _event(session, **kw: Any) -> RoadmapEventRecord:
    return RoadmapEventRecord(program=f.make_program(session), stage_id="diagnosis", seq=1, number="1.1",
                              name="Диагностика затруднений", due_on=date(2024, 9, 30), **kw)


def _roadmap_year(session, **kw: Any) -> RoadmapYear:
    school = f.make_organization(session, regulation="yakutsk")
    return RoadmapYear(organization=school, roadmap_id="yakutsk_school", academic_year=2025,
                       started_on=date(2025, 9, 1), **kw)


def _year_needs(_session, status: str) -> dict:
    return {"completed_on": date(2026, 5, 25)} if status == "completed" else {}


def _year_item(session, **kw: Any) -> RoadmapYearItem:
    year = _roadmap_year(session, status="running")
    return RoadmapYearItem(year=year, key="1.1", number="1.1", stage_title="Подготовка условий", role="curator",
                           name="Выявление первоначального уровня", opens_on=date(2025, 9, 1), **kw)


def _item_needs(session, status: str) -> dict:
    return {"done_on": date(2025, 9, 20), "done_by_id": f.make_person(session).id} if status == "done" else {}


def _job(_session, **kw: Any) -> Job:
    return Job(kind="fire_timers", key=f"timers:{uuid.uuid4()}", payload={}, **kw)


def _email(_session, **kw: Any) -> OutgoingEmail:
    return OutgoingEmail(to_address="mentor@example.ru", subject="Напоминание", text_body="Текст", html_body="<p>Текст</p>",
                         message_id=f"<{uuid.uuid4()}@nastavnik>", purpose="notification", **kw)


def _correction(session, **kw: Any) -> PlanCorrection:
    program = f.make_program(session)
    return PlanCorrection(program=program, proposed_by=program.group.mentor, proposer_role="mentor",
                          changes=[], agreed_by=[], **kw)


def _correction_needs(_session, status: str) -> dict:
    return {"decided_at": AT, **({"return_reason": "Уточните срок"} if status == "returned" else {})} \
        if status in ("approved", "returned") else {}


def _council_session(session, **kw: Any) -> CouncilSession:
    council = Council(organization=f.make_organization(session), chair_id=f.make_person(session).id)
    session.add(council)
    session.flush()
    return CouncilSession(council_id=council.id, number=1, held_on=date(2026, 3, 12), **kw)


def _contest(session, **kw: Any) -> MentorContest:
    return MentorContest(organization=f.make_department(session), title="Лучший наставник", **kw)


def _practice(session, **kw: Any) -> Practice:
    return Practice(organization=f.make_department(session), title="Кейс", description="текст", **kw)


def _practice_needs(_session, status: str) -> dict:
    return {"review_comment": "добавьте выводы"} if status == "returned" else {}


ROWS = {  # table -> (a new row with the given fields, what the database requires of a status)
    "orders": (_order, _order_needs),
    "programs": (f.make_program, _program_needs),
    "stage_reports": (_report, _report_needs),
    "roadmap_events": (_event, _event_needs),
    "mentor_appointments": (f.make_appointment, _appointment_needs),
    "mentoring_groups": (f.make_group, _no_needs),
    "mentees": (f.make_mentee, _no_needs),
    "roadmap_years": (_roadmap_year, _year_needs),
    "roadmap_year_items": (_year_item, _item_needs),
    "jobs": (_job, _no_needs),
    "outgoing_emails": (_email, _no_needs),
    "plan_corrections": (_correction, _correction_needs),
    "council_sessions": (_council_session, _no_needs),
    "mentor_contests": (_contest, _no_needs),
    "practices": (_practice, _practice_needs),
}


def _row_in(session, lifecycle: Lifecycle, status: str):
    """A row created in ``status`` (a new row may start in any status of its vocabulary)."""
    make, needs = ROWS[lifecycle.table]
    row = make(session, status=status, **needs(session, status))
    session.add(row)
    session.flush()
    return row


def _move(session, lifecycle: Lifecycle, row, status: str) -> None:
    _, needs = ROWS[lifecycle.table]
    for key, value in needs(session, status).items():
        setattr(row, key, value)
    row.status = status


# -- the tables ------------------------------------------------------------------------------------

def test_every_stateful_model_declares_its_lifecycle():
    declared = {lifecycle.table for lifecycle in LIFECYCLES}
    with_status = {table.name for table in Base.metadata.sorted_tables if "status" in table.c}
    assert declared == set(EXPECTED_MOVES) == with_status - WITHOUT_LIFECYCLE
    for mapper in Base.registry.mappers:
        if mapper.local_table.name in declared:  # the status column is guarded by the table's validator
            assert "status" in mapper.validators, mapper.class_.__name__


@pytest.mark.parametrize("lifecycle", LIFECYCLES, ids=lambda lifecycle: lifecycle.table)
def test_each_table_declares_the_documented_moves(lifecycle: Lifecycle):
    assert {f"{old}→{new}" for old, new in lifecycle.moves()} == EXPECTED_MOVES[lifecycle.table]
    assert set(lifecycle.labels) == {status.value for status in lifecycle.statuses}
    assert re.search(r"\b00\d ", lifecycle.doc)  # the clause of the regulation the table follows (003, 004 …)
    assert lifecycle.doc.count("``") >= 2  # and the code that makes the moves


def test_rows_the_database_freezes_are_final_in_their_lifecycle():
    """The triggers of engine.db.ddl refuse any change to a signed order: the table may not lead out of it."""
    by_table = {lifecycle.table: lifecycle for lifecycle in LIFECYCLES}
    frozen = {(table, status) for table, when in IMMUTABLE_ROWS.items()
              for status in re.findall(r"OLD\.status = '(\w+)'", when or "")}
    assert frozen == {("orders", "signed")}
    for table, status in frozen:
        assert status in by_table[table].final()


@pytest.mark.parametrize("lifecycle", LIFECYCLES, ids=lambda lifecycle: lifecycle.table)
def test_every_declared_move_passes_and_every_other_raises(db_session, lifecycle: Lifecycle):
    moves = {tuple(move.split("→")) for move in EXPECTED_MOVES[lifecycle.table]}
    for old in lifecycle.statuses:
        for new in lifecycle.statuses:
            if new == old:
                continue
            row = _row_in(db_session, lifecycle, old)
            if (old, new) in moves:
                _move(db_session, lifecycle, row, new)
                db_session.flush()
                db_session.expire(row)
                assert row.status == new, (old, new)
                continue
            with pytest.raises(InvalidStatusTransition) as caught:
                row.status = new
            error = caught.value
            assert isinstance(error, ConflictError) and isinstance(error, NastavnikError)
            assert error.where == f"{lifecycle.table}.{row.id}"
            assert str(row.id) in error.message
            assert f"из состояния «{lifecycle.label(old)}» в состояние «{lifecycle.label(new)}»" in error.message
            assert row.status == old  # nothing changed
            db_session.flush()
            db_session.expire(row)
            assert row.status == old, (old, new)


@pytest.mark.parametrize("lifecycle", LIFECYCLES, ids=lambda lifecycle: lifecycle.table)
def test_keeping_a_status_passes_and_an_unknown_one_is_refused(db_session, lifecycle: Lifecycle):
    for status in lifecycle.statuses:
        row = _row_in(db_session, lifecycle, status)
        row.status = status.value
        with pytest.raises(InvalidValue):
            row.status = "unknown"
        db_session.flush()
        assert row.status == status


def test_the_message_names_the_entity_its_id_and_what_may_follow(db_session):
    program = _row_in(db_session, PROGRAM_LIFECYCLE, "active")
    with pytest.raises(InvalidStatusTransition) as caught:
        program.status = "forming"
    assert caught.value.message == (
        f"Программа №{program.id}: переход из состояния «выполняется» в состояние «формируется» не предусмотрен; "
        "из него возможен переход только в «продлена», «завершена», «завершена досрочно», «прекращена»")
    _move(db_session, PROGRAM_LIFECYCLE, program, "terminated")
    with pytest.raises(InvalidStatusTransition) as caught:
        program.status = "extended"
    assert caught.value.message == (f"Программа №{program.id}: переход из состояния «прекращена» в состояние "
                                    "«продлена» не предусмотрен; это конечное состояние")
    assert str(caught.value) == f"programs.{program.id}: {caught.value.message}"


def test_an_order_method_refuses_with_the_same_message(db_session):
    order = f.make_order(db_session)
    with pytest.raises(InvalidStatusTransition, match=f"Приказ \\(запись № {order.id}\\): переход из состояния «проект» "
                                                      "в состояние «отказано в подписании» не предусмотрен"):
        order.refuse("причина")
    assert order.status == "draft"


class Light(enum.StrEnum):
    RED = "red"
    GREEN = "green"


@pytest.mark.parametrize(("transitions", "labels", "problem"), [
    ({Light.RED: frozenset({Light.GREEN})}, {Light.RED: "красный", Light.GREEN: "зелёный"}, "table rows"),
    ({Light.RED: frozenset({"blue"}), Light.GREEN: frozenset()}, {Light.RED: "к", Light.GREEN: "з"}, "unknown"),
    ({Light.RED: frozenset({Light.RED}), Light.GREEN: frozenset()}, {Light.RED: "к", Light.GREEN: "з"}, "not a move"),
    ({Light.RED: frozenset(), Light.GREEN: frozenset()}, {Light.RED: "красный"}, "labels"),
])
def test_a_table_that_misses_or_invents_a_status_is_refused(transitions, labels, problem):
    with pytest.raises(ValueError, match=problem):
        Lifecycle(statuses=Light, table="lights", entity="светофор №{id}", labels=labels, transitions=transitions)
    Lifecycle(statuses=Light, table="lights", entity="светофор №{id}", labels={Light.RED: "к", Light.GREEN: "з"},
              transitions={Light.RED: frozenset({Light.GREEN}), Light.GREEN: frozenset()})
