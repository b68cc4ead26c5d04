"""A methodologist renames the elements the services rely on — the stage, its reminder and escalation, the
decision on an early completion and the message that starts it — consistently, in her copy of
program_lifecycle.bpmn, and deploys it: a program started on it still reminds, escalates, marks the late stage
and takes the petition, because the services find those elements by the effect they carry (issue 16 item 3)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from engine.db.models import Notification, OpenTask
from engine.forms import FormId
from engine.services.mentorship import petitions, program_views
from engine.services.notifications import kinds
from engine.services.people.actor import SYSTEM
from engine.services.process import definitions
from tests.workflows.test_contract import renamed_lifecycle

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def told(session, kind: str) -> list[Notification]:
    session.expire_all()
    return list(session.scalars(select(Notification).where(Notification.kind == kind).order_by(Notification.id)))


@BOTH
def test_a_program_on_the_renamed_copy_is_reminded_escalated_and_takes_a_petition(demo, db_session):
    s = db_session
    renamed = definitions.deploy(s, SYSTEM, renamed_lifecycle(), "program_lifecycle.bpmn")
    s.commit()
    demo.appoint("volkov")
    demo.register("novikova")
    program = demo.form_pair("volkov", "novikova")
    assert program.workflow_instance.definition_id == renamed.id
    assert program.workflow_instance.definition.name == "Реализация программы (переименовано)"

    demo.advance(17)  # 14 days before the stage's due date
    [soon] = told(s, kinds.STAGE_DUE_SOON)
    assert soon.person_id == demo.person_id("volkov")
    open_elements = {t.element_id for t in s.scalars(select(OpenTask).where(
        OpenTask.instance_id == program.workflow_instance_id))}
    assert "Task_napominanie" in open_elements
    demo.complete("volkov", FormId.ACKNOWLEDGE_REMINDER, {"comment": "готовлю"}, program.workflow_instance_id)
    demo.advance(14)  # the due date
    assert told(s, kinds.STAGE_OVERDUE)
    late = datetime.combine(program_views.stage_due(program, "diagnosis") + timedelta(days=2),
                            datetime.min.time(), UTC)
    diagram = program_views.program_diagram(s, demo.actor("novikova"), program.id, now=late)
    assert "SubProcess_etap" in diagram["overdue"]

    petitions.file_petition(s, demo.actor("novikova"), program.id, "early_completion",
                            reason="по семейным обстоятельствам", clock=demo.clock)
    s.commit()
    states = {o.name: o.state for o in petitions.petition_options(s, demo.actor("volkov"), program)}
    assert states["early_completion"] == "pending"
    s.expire_all()
    [decision] = [t for t in program.workflow_instance.open_tasks if t.form_id == FormId.DECIDE_PETITION]
    assert decision.element_id == "Task_reshenie_dosrochno"
