"""Every path through the program lifecycle leaves someone able to act (issue 11): each petition the 003 pack
lists (extension 003 §7.2, early completion §7.1, the mentor's replacement §5.1 and release §4.1), filed by each
who may file it, at each state of the stage (nothing done, events marked as a draft, the report waiting for the
curator, the report returned, the next stage, the last stage's report waiting, the last stage accepted), and
decided each way (a participant disagrees, the curator declines, the new mentor refuses, the head refuses, the
head signs). After every step the program is either finished or has an open step that its person can really
take: a report waiting for review has the curator's review open, the mentor asked for the stage's work may
submit it; and when the petition is settled the stage goes on — the mentor submits, the curator accepts.

People act through the services their pages call (petitions, participant_work, the curator's steps); the
head's signature is the workflow step the orders page completes. Each stage state is built once per backend
(``demo_worlds``) and copied into each case's database."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.db.models import InstanceStatus, OpenTask, Program, StageReport, WorkflowInstance
from engine.db.models.program import ReportStatus
from engine.demo import world as demo_data
from engine.demo.story import Demo
from engine.errors import ConflictError
from engine.services.curation import step_completion, step_page
from engine.services.mentorship import participant_work, petitions
from engine.services.mentorship import roadmap_events as events
from tests.engine.services.conftest import CopiedDemo

FINISHED = ("completed", "completed_early", "terminated")
STAGE_STATES = ("nothing_done", "draft", "submitted", "returned", "next_stage", "last_submitted", "last_accepted")
MONTHS = 2

# petition kind, who files it, and each outcome: the answer that is "no" the first time its step comes
# (every other answer is "yes"); {} = every step says yes (the order signed)
OUTCOMES: dict[tuple[str, str], list[dict[str, str]]] = {
    ("extension", "volkov"): [{"agree_extension": "no"}, {"petition_extension": "no"}, {"sign_order": "no"}, {}],
    ("extension", "novikova"): [{"agree_extension": "no"}, {"petition_extension": "no"}, {"sign_order": "no"}, {}],
    ("extension", "curator"): [{"agree_extension": "no"}, {"sign_order": "no"}, {}],
    ("early_completion", "volkov"): [{"decide_petition": "no"}, {"sign_order": "no"}, {}],
    ("early_completion", "novikova"): [{"decide_petition": "no"}, {"sign_order": "no"}, {}],
    ("early_completion", "curator"): [{"sign_order": "no"}, {}],
    ("mentor_replacement", "novikova"): [{"decide_petition": "no"}, {"give_consent": "no"}, {"sign_order": "no"},
                                         {}],
    ("mentor_release", "volkov"): [{"decide_petition": "no"}, {"sign_order": "no"}, {"give_consent": "no"},
                                   {"replace_mentor": "complete"}, {}],
}


def _cases():
    for (kind, who), outcomes in OUTCOMES.items():
        for state in STAGE_STATES:
            if state == "last_accepted":  # the stage is over: the curator sums up, petitions stop nothing
                yield pytest.param(kind, who, state, {}, id=f"{kind}-{who}-{state}")
                continue
            for outcome in outcomes:
                name = "-".join(f"{form}_{answer}" for form, answer in outcome.items()) or "all_yes"
                yield pytest.param(kind, who, state, outcome, id=f"{kind}-{who}-{state}-{name}")


# -- the worlds: a pair's program in each state of its stage, built once ----------------------------------

def _reviewed(d: Demo, program: Program, approved: bool) -> None:
    task = d.task("curator", "review_stage_report", program.workflow_instance_id)
    page = step_page.task_page(d.session, d.actor("curator"), task.instance_id, task.task_id)
    d.complete("curator", "review_stage_report", step_completion.task_data(
        d.session, page, {"approved": approved, "comment": "принят, остальное — на следующем этапе" if approved else "дополните выводы"}),
        program.workflow_instance_id)


def _submitted(d: Demo, program: Program, text: str = "Информационная справка по этапу") -> None:
    d.session.refresh(program)
    for event in [e for e in program.events if e.stage_id == program.current_stage_id and e.status != "done"]:
        events.mark_event(d.session, d.actor("volkov"), program.id, event.id, done=True,
                          held_on=d.clock.now().date(), clock=d.clock)
    participant_work.submit_stage_report(d.session, d.actor("volkov"), program.id, text, clock=d.clock)
    d.session.commit()


def build_state(state: str):
    def build(session) -> dict:
        d = Demo(session, say=lambda line: None)
        for mentor in ("volkov", "morozova"):
            d.appoint(mentor)
        d.register("novikova")
        program = d.form_pair("volkov", "novikova")
        d.clock.advance(timedelta(days=3))
        stages = {"next_stage": 1, "last_submitted": 3, "last_accepted": 4}.get(state, 0)
        for _ in range(stages):
            _submitted(d, program)
            _reviewed(d, program, approved=True)
        if state == "draft":
            first = next(e for e in program.events if e.stage_id == program.current_stage_id)
            events.mark_event(session, d.actor("volkov"), program.id, first.id, done=True,
                              held_on=d.clock.now().date(), note="проведено", clock=d.clock)
            session.commit()
        if state in ("submitted", "returned", "last_submitted"):
            _submitted(d, program)
        if state == "returned":
            _reviewed(d, program, approved=False)
        return {"program_id": program.id, "now": d.clock.now().isoformat()}
    return build


@pytest.fixture
def staged(request, db_url, db_engine, db_session, monkeypatch, _demo_hash, demo_worlds):
    """(the demo's driver, the program) in the stage state the test's ``state`` names."""
    state = request.node.callspec.params["state"]
    monkeypatch.setattr(demo_data, "set_password", lambda person, plain: setattr(person, "password_hash", _demo_hash))
    built = demo_worlds.copy(f"petition-space-{state}", build_state(state), db_url, db_engine)
    d = CopiedDemo(db_session, say=lambda line: None, start=built["now"])
    return d, db_session.get(Program, built["program_id"])


# -- who can act ------------------------------------------------------------------------------------------

def open_tasks(d: Demo, program: Program) -> list[OpenTask]:
    d.session.expire_all()
    return list(d.session.scalars(select(OpenTask).where(OpenTask.instance_id == program.workflow_instance_id)
                                  .order_by(OpenTask.id)))


def latest_report(program: Program) -> StageReport | None:
    reports = [r for r in program.reports if r.stage_id == program.current_stage_id]
    return reports[-1] if reports else None


def assert_someone_can_act(d: Demo, program: Program, where: str) -> None:
    """The program is finished (its process too, nothing open), or someone has a step they can take."""
    tasks = open_tasks(d, program)
    d.session.refresh(program)
    instance = d.session.get(WorkflowInstance, program.workflow_instance_id)
    if program.status in FINISHED:
        assert instance.status == InstanceStatus.COMPLETED.value and tasks == [], where
        return
    assert instance.status == InstanceStatus.RUNNING.value, f"{where}: the program runs, its process does not"
    assert tasks, f"{where}: program {program.status}, nobody has a step"
    forms = {t.form_id for t in tasks}
    report = latest_report(program)
    waiting = report is not None and report.status == ReportStatus.SUBMITTED
    assert waiting == ("review_stage_report" in forms), (
        f"{where}: report {report.status if report else None}, open steps {sorted(forms)}")
    if "stage_work" in forms:  # the mentor is asked for the stage's work: he may give it
        assert report is None or report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED), where


@dataclass
class Answers:
    """The outcome: the first answer of each form named is "no", every other answer "yes"."""

    no_once: dict[str, str]
    used: set[str] = field(default_factory=set)

    def no(self, form: str) -> str | None:
        if form in self.no_once and form not in self.used:
            self.used.add(form)
            return self.no_once[form]
        return None


def login_of(d: Demo, person_id: int | None) -> str:
    return next(login for login, person in d.world.people.items() if person.id == person_id)


def curator_step(d: Demo, task: OpenTask, values: dict) -> None:
    page = step_page.task_page(d.session, d.actor("curator"), task.instance_id, task.task_id)
    d.complete("curator", task.form_id, step_completion.task_data(d.session, page, values), task.instance_id)


def answer(d: Demo, task: OpenTask, answers: Answers) -> None:  # noqa: C901 - one branch per petition step
    no = answers.no(task.form_id)
    s, iid, morozova = d.session, task.instance_id, d.person_id("morozova")
    if task.form_id == "agree_extension":
        participant_work.agree_extension(s, d.actor(login_of(d, task.assignee_id)), iid, task.task_id,
                                         agreed=not no, comment="не согласен" if no else "", clock=d.clock)
        s.commit()
    elif task.form_id == "petition_extension":
        curator_step(d, task, {"petitioned": False, "petition_refusal_reason": "этап можно завершить в срок"} if no
                     else {"petitioned": True, "extension_months": MONTHS, "justification": "болезнь"})
    elif task.form_id == "decide_petition":
        replacement = task.element_id == "Task_decide_replacement"
        curator_step(d, task, {"approved": False, "comment": "оснований нет"} if no else
                     {"approved": True, "comment": "", **({"new_mentor_id": morozova} if replacement else {})})
    elif task.form_id == "replace_mentor":
        curator_step(d, task, {"complete_early": True, "comment": "замены нет"} if no else
                     {"complete_early": False, "new_mentor_id": morozova, "comment": ""})
    elif task.form_id == "give_consent":
        participant_work.give_consent(s, d.actor("morozova"), iid, task.task_id, consent=not no, personal_data=not no,
                                      comment="большая нагрузка" if no else "", clock=d.clock)
        s.commit()
    elif task.form_id == "sign_order":
        d.complete("head", "sign_order", {"signed": False, "refusal_reason": "не обосновано"} if no
                   else {"signed": True}, iid)
    elif task.form_id == "acknowledge_reminder":  # the curator is told the replacement did not take place
        d.complete("curator", "acknowledge_reminder", {"comment": "принято к сведению"}, iid)
    else:
        raise AssertionError(f"no answer for {task.form_id}")


STAGE_FORMS = {"stage_work", "review_stage_report", "complete_program", "handle_escalation"}


def file(d: Demo, program: Program, kind: str, who: str) -> None:
    if who == "curator":
        petitions.file_curator_petition(d.session, d.actor("curator"), program.id, kind, reason="нарушения плана",
                                        months=MONTHS, clock=d.clock)
    else:
        petitions.file_petition(d.session, d.actor(who), program.id, kind, reason="семейные обстоятельства",
                                months=MONTHS if kind == "extension" else None, clock=d.clock)
    d.session.commit()


def the_stage_goes_on(d: Demo, program: Program) -> None:
    """The petition settled, the program still runs: its mentor submits the stage report, the curator accepts."""
    d.session.refresh(program)
    forms = {t.form_id: t for t in open_tasks(d, program)}
    if "complete_program" in forms:
        return
    if "stage_work" in forms:
        mentor = login_of(d, program.group.mentor_id)
        participant_work.submit_stage_report(d.session, d.actor(mentor), program.id, "Справка после ходатайства",
                                             clock=d.clock)
        d.session.commit()
        assert_someone_can_act(d, program, "after the report")
    _reviewed(d, program, approved=True)
    assert_someone_can_act(d, program, "after the review")


def run_case(d: Demo, program: Program, kind: str, who: str, state: str, outcome: dict[str, str]) -> None:
    assert_someone_can_act(d, program, f"{state}: before")
    if state == "last_accepted" and kind != "mentor_replacement":  # the stage is over: nothing to stop
        with pytest.raises(ConflictError, match="не принимает"):
            file(d, program, kind, who)
        d.session.rollback()
        assert [t.form_id for t in open_tasks(d, program)] == ["complete_program"]
        return
    file(d, program, kind, who)  # the replacement is taken at any time (an event subprocess), the stage goes on
    assert_someone_can_act(d, program, f"{state}: {kind} by {who} filed")
    answers = Answers(outcome)
    for step in range(12):
        pending = [t for t in open_tasks(d, program) if t.form_id not in STAGE_FORMS]
        if not pending:
            break
        answer(d, pending[0], answers)
        assert_someone_can_act(d, program, f"{state}: {kind} by {who}, step {step} ({pending[0].form_id})")
    else:
        raise AssertionError("the petition never settles")
    assert answers.used == set(outcome), f"the outcome {outcome} was never reached ({answers.used})"
    d.session.refresh(program)
    if program.status not in FINISHED:
        the_stage_goes_on(d, program)


SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


@SQLITE
@pytest.mark.parametrize(("kind", "who", "state", "outcome"), list(_cases()))
def test_every_petition_at_every_stage_state_leaves_someone_a_step(kind, who, state, outcome, staged):
    d, program = staged
    run_case(d, program, kind, who, state, outcome)


@pytest.mark.parametrize("db_backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
@pytest.mark.parametrize(("kind", "who", "state", "outcome"), [
    ("extension", "novikova", "submitted", {"petition_extension": "no"}),
    ("early_completion", "novikova", "submitted", {"sign_order": "no"}),
    ("mentor_release", "volkov", "submitted", {}),
    ("mentor_replacement", "novikova", "last_submitted", {}),
], ids=["extension-declined", "early-refused", "release-signed", "replacement-last-stage"])
def test_a_sample_on_postgresql(kind, who, state, outcome, staged):
    d, program = staged
    run_case(d, program, kind, who, state, outcome)

