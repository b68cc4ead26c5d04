"""A methodologist edits a shipped process in the modeler (issue 16's browser tests found these): a lane's role must
be a role that fills the forms of the tasks on it, and a task's form must be one somebody can open — else the process
deploys and its task waits forever. ``workflow check`` refuses both, in Russian, naming the element."""
from __future__ import annotations

from engine.bootstrap import bootstrap
from engine.services.process import definitions
from tests.clause_coverage import REPO_ROOT

APPOINTMENT = (REPO_ROOT / "workflows" / "mentor_appointment.bpmn").read_bytes()
REMINDER_FORM = b'<spiffworkflow:property name="form" value="acknowledge_reminder" />'


def _check(data: bytes) -> list[tuple[str | None, str]]:
    return [(p.element_id, p.message) for p in definitions.check(data, "mentor_appointment.bpmn", domain=bootstrap())]


def test_the_curators_lane_renamed_to_methodologist_is_refused():
    assert _check(APPOINTMENT) == []
    renamed = APPOINTMENT.replace('<bpmn:lane id="Lane_curator" name="Куратор">'.encode(),
                                  '<bpmn:lane id="Lane_curator" name="Методист">'.encode())
    assert renamed != APPOINTMENT
    problems = dict(_check(renamed))
    assert set(problems) == {"Task_propose_mentor", "Task_term_reminder"}
    assert problems["Task_propose_mentor"].startswith(
        "форму «Предложить кандидата в наставники» (propose_mentor) заполняет куратор, а задача на дорожке роли "
        "«методист»")
    assert "заполняет куратор или наставник" in problems["Task_term_reminder"]


def test_a_form_the_system_does_not_know_is_refused():
    """«Своя форма» typed in the panel: no page would open it (no link in the inbox); a designed form or a system
    form is what the methodologist needs."""
    own = APPOINTMENT.replace(REMINDER_FORM, b'<spiffworkflow:property name="form" value="term_note" />'
                                             b'<spiffworkflow:property name="fields" value="note: text" />')
    assert own != APPOINTMENT
    [(element, message)] = _check(own)
    assert element == "Task_term_reminder"
    assert message.startswith("форма «term_note» системе не известна: у задачи с такой формой нет страницы")
    assert "designed:<ключ>" in message
    through_api = own.replace(b'value="note: text" />', b'value="note: text" /><spiffworkflow:property '
                                                       b'name="channel" value="api" />')
    assert _check(through_api) == []  # a task completed only through the API keeps its own form
