"""``nastavnik demo``: the Tomsk department from mentor appointment to completed programs, one program
of each Tomsk model (003 appendices 1–4), everything through the workflows, on a clock the demo moves.

One program has a returned stage report, one is extended (003 §7.2), one completes with the plan
fulfilled (003 §7.1 (1)), one completes early at the participants' initiative (003 §7.1 (2)).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import OpenTask, Order, Program, WorkflowInstance
from engine.demo.world import AWAITING_SIGNATURE_PAIR, DEMO_PAIRS, IN_PROGRESS_PAIR, DemoWorld, create_world
from engine.errors import NotFound
from engine.forms import FormId
from engine.regulations import all_roadmaps, pack_of
from engine.services.mentorship import formation as mentorship
from engine.services.mentorship import lifecycle, mentee_registry, mentor_appointment
from engine.services.orders import in_workflows as process_orders
from engine.services.people.actor import Actor, load_actor
from engine.services.process import instances
from engine.services.process.definitions import deploy_shipped
from engine.services.process.domain import domain_of
from engine.workflow import FixedClock

DEMO_START = datetime(2025, 1, 15, 9, 0, tzinfo=UTC)  # a fixed start for tests that name dates
# From the start to the last step of the story (the work left in progress), on the demo's clock.
DEMO_SPAN = timedelta(days=533)


def demo_start(now: datetime) -> datetime:
    """A start (the 15th, 09:00 UTC) that ends the story shortly before ``now``: the web app then acts on
    the wall clock within the mentors' 24-month terms (003 §3.4) and the report left waiting is not overdue."""
    start = datetime(now.year, now.month, 15, 9, 0, tzinfo=UTC)
    months = 0
    while start + DEMO_SPAN > now - timedelta(days=2):
        months += 1
        year, month = divmod(now.month - 1 - months, 12)
        start = datetime(now.year + year, month + 1, 15, 9, 0, tzinfo=UTC)
    return start



def stage_title(program: Program, stage_id: str | None) -> str:
    """The stage as its roadmap names it («Диагностика затруднений»), not its id."""
    roadmap = all_roadmaps().get(program.roadmap_id or "")
    return roadmap.stage(stage_id).title if roadmap is not None and stage_id else str(stage_id)

class Demo:
    """Drives the demo world through the services; every step is committed, as a person's click would be.

    The session must carry the domain (``engine.bootstrap.bootstrap().session_factory``): the story's
    orders, decisions and reports are made by its hooks. The demo moves its own clock."""

    def __init__(self, session: Session, *, say: Callable[[str], None] = print, start: datetime = DEMO_START) -> None:
        domain_of(session)  # refused before anything is written
        self.session = session
        self.say = say
        self.clock = FixedClock(start)
        deploy_shipped(session)
        self.world: DemoWorld = create_world(session)
        session.commit()

    # -- plumbing -----------------------------------------------------------------------------
    def actor(self, login: str) -> Actor:
        return load_actor(self.session, login)

    def person_id(self, login: str) -> int:
        return self.world.people[login].id

    @property
    def department_id(self) -> int:
        return self.world.department.id

    def task(self, login: str, form: str, instance_id: int | None = None) -> OpenTask:
        for task in instances.list_tasks(self.session, self.actor(login)):
            if task.form_id == form and (instance_id is None or task.instance_id == instance_id):
                return task
        raise NotFound(f"у {login} нет задачи с формой {form}" + (f" в процессе №{instance_id}" if instance_id else ""))

    def complete(self, login: str, form: str, data: dict, instance_id: int | None = None) -> WorkflowInstance:
        task = self.task(login, form, instance_id)
        instance = instances.complete_task(self.session, self.actor(login), task.instance_id, task.task_id, data,
                                           clock=self.clock)
        self.session.commit()
        self.say(f"  {self.world.people[login].full_name}: «{task.name}» → {self._short(data)}")
        return instance

    @staticmethod
    def _short(data: dict) -> str:
        shown = {k: v for k, v in data.items() if k not in ("report", "final_report")}
        return ", ".join(f"{k}={v}" for k, v in shown.items()) or "выполнено"

    def advance(self, days: int) -> int:
        self.clock.advance(timedelta(days=days))
        fired = instances.fire_timers(self.session, clock=self.clock)
        self.session.commit()
        if fired:
            self.say(f"  [{self.clock.now():%d.%m.%Y}] сработало таймеров: {fired}")
        return fired

    # -- scenes -------------------------------------------------------------------------------
    def appoint(self, mentor: str) -> None:
        instance = mentor_appointment.propose_mentor(self.session, self.actor("curator"), self.department_id,
                                                     self.person_id(mentor), clock=self.clock)
        self.session.commit()
        self.say(f"Назначение наставника: {self.world.people[mentor].full_name} (процесс №{instance.id})")
        self.complete("head", FormId.SIGN_ORDER, {"signed": True}, instance.id)

    def register(self, mentee: str) -> None:
        entry = mentee_registry.register_mentee(self.session, self.actor("curator"), self.department_id,
                                                self.person_id(mentee))
        self.session.commit()
        category = pack_of(entry.organization).category(entry.category).label if entry.category else "не определена"
        self.say(f"В базу наставляемых: {self.world.people[mentee].full_name} — категория «{category}»")

    def consented_pair(self, mentor: str, mentee: str) -> WorkflowInstance:
        """The curator proposes the pair and both consent (003 §3.2): the order waits for the head."""
        instance = mentorship.propose_pair(self.session, self.actor("curator"), self.department_id,
                                           self.person_id(mentor), [self.person_id(mentee)], clock=self.clock)
        self.session.commit()
        self.say(f"Формирование пары {self.world.people[mentor].full_name} — "
                 f"{self.world.people[mentee].full_name} (процесс №{instance.id})")
        self.complete(mentor, FormId.GIVE_CONSENT, {"consent": True}, instance.id)
        self.complete(mentee, FormId.GIVE_CONSENT, {"consent": True}, instance.id)
        return instance

    def form_pair(self, mentor: str, mentee: str) -> Program:
        instance = self.consented_pair(mentor, mentee)
        self.complete("head", FormId.SIGN_ORDER, {"signed": True}, instance.id)
        program = self.session.scalar(select(Program).where(Program.group.has(mentor_id=self.person_id(mentor)))
                                      .order_by(Program.id.desc()))
        if program is None:
            raise NotFound(f"у наставника {mentor} нет программы после приказа о паре")
        self.say(f"  программа №{program.id}, дорожная карта {program.roadmap_id}, до {program.planned_end_on}")
        return program

    def has_task(self, login: str, form: str, instance_id: int | None = None) -> bool:
        try:
            self.task(login, form, instance_id)
        except NotFound:
            return False
        return True

    @staticmethod
    def stage_due(program: Program) -> date:
        return max(e.due_on for e in program.events if e.stage_id == program.current_stage_id and e.due_on is not None)

    def live_through_stage(self, program: Program, mentor: str, *, late: bool) -> None:
        """The clock runs to the stage's due date: the mentor is reminded (and acknowledges); a late
        stage is escalated to the curator, who records the measures taken."""
        instance_id = program.workflow_instance_id
        due = self.stage_due(program)
        until_reminder = (due - self.clock.now().date()).days - lifecycle.REMINDER_DAYS_BEFORE_STAGE_DUE + 1
        self.advance(max(until_reminder, 0))
        if self.has_task(mentor, FormId.ACKNOWLEDGE_REMINDER, instance_id):
            self.complete(mentor, FormId.ACKNOWLEDGE_REMINDER, {"comment": "Отчёт готовится"}, instance_id)
        if late:
            self.advance(lifecycle.REMINDER_DAYS_BEFORE_STAGE_DUE + 2)
            self.complete("curator", FormId.HANDLE_ESCALATION,
                          {"comment": "Срок этапа истёк; наставнику направлено напоминание, отчёт — в течение недели"},
                          instance_id)

    def stage(self, program: Program, mentor: str, *, returned: bool = False, late: bool = False) -> None:
        stage_id = program.current_stage_id
        events = [e.number for e in program.events if e.stage_id == stage_id]
        instance_id = program.workflow_instance_id
        self.say(f"Этап «{stage_title(program, stage_id)}» программы №{program.id}")
        self.live_through_stage(program, mentor, late=late)
        report = f"Информационная справка по этапу «{stage_title(program, stage_id)}»: все мероприятия проведены."
        if returned:
            self.complete(mentor, FormId.STAGE_WORK, {"events_done": events[:-1], "report": report}, instance_id)
            self.complete("curator", FormId.REVIEW_STAGE_REPORT,
                          {"approved": False, "comment": f"Не отмечено мероприятие {events[-1]}"}, instance_id)
        self.complete(mentor, FormId.STAGE_WORK, {"events_done": events, "report": report}, instance_id)
        self.complete("curator", FormId.REVIEW_STAGE_REPORT, {"approved": True, "comment": ""}, instance_id)

    def finish(self, program: Program) -> None:
        facts = lifecycle.bonus_facts(self.session, program, attended_mentor_events=True, analytical_materials=True)
        self.complete("curator", FormId.COMPLETE_PROGRAM,
                      {"final_report": "Аналитический отчёт по итогам программы.", "bonus_facts": facts,
                       "completion_ground": "plan_completed", "reopen_stage": False},
                      program.workflow_instance_id)
        self.complete("head", FormId.SIGN_ORDER, {"signed": True}, program.workflow_instance_id)

    def extend(self, program: Program, mentor: str, mentee: str, months: int) -> None:
        lifecycle.petition(self.session, self.actor(mentee), program.id, "extension",
                           {"reason": "длительная болезнь наставляемого", "extension_months": months},
                           clock=self.clock)
        self.session.commit()
        self.say(f"Ходатайство о продлении программы №{program.id} (003 §7.2)")
        instance_id = program.workflow_instance_id
        self.complete(mentor, FormId.AGREE_EXTENSION, {"agreed": True}, instance_id)  # the mentee petitioned
        self.complete("curator", FormId.PETITION_EXTENSION,
                      {"petitioned": True, "extension_months": months, "justification": "ходатайство куратора"},
                      instance_id)
        self.complete("head", FormId.SIGN_ORDER, {"signed": True}, instance_id)

    def complete_early(self, program: Program, mentee: str) -> None:
        lifecycle.petition(self.session, self.actor(mentee), program.id, "early_completion",
                           {"ground": "participants_initiative", "reason": "переход на другую работу"}, clock=self.clock)
        self.session.commit()
        self.say(f"Досрочное завершение программы №{program.id} по инициативе наставляемого (003 §7.1 (2))")
        self.complete("curator", FormId.DECIDE_PETITION, {"approved": True, "comment": "основание уважительное"},
                      program.workflow_instance_id)
        self.complete("head", FormId.SIGN_ORDER, {"signed": True}, program.workflow_instance_id)

    def run(self) -> list[Program]:  # noqa: C901 - the story's chapters, told in order
        """The whole demo story; returns the four programs. The pairs are formed the same day and work
        in parallel; the late pair reports last, after its due date."""
        for mentor, _, _ in DEMO_PAIRS:
            self.appoint(mentor)
        self.appoint_refused("kozlov")
        for _, mentee, _ in DEMO_PAIRS:
            self.register(mentee)
        stories = [(self.form_pair(mentor, mentee), mentor, mentee, story) for mentor, mentee, story in DEMO_PAIRS]
        done = {item[0].id: 0 for item in stories}
        while True:  # the stage due first is reported first; the late pair reports after its due date
            for program, mentor, mentee, story in stories:
                self.session.refresh(program)
                if story == "extended" and done[program.id] == 2 and program.status == "active":
                    self.extend(program, mentor, mentee, 3)
            running = [item for item in stories if item[0].status in ("active", "extended") and done[item[0].id] < 4]
            if not running:
                break
            program, mentor, mentee, story = min(
                running, key=lambda item: (self.stage_due(item[0]), item[3] == "returned_report"))
            first_of_returned = story == "returned_report" and done[program.id] == 0
            self.stage(program, mentor, returned=first_of_returned, late=first_of_returned)
            done[program.id] += 1
            if story == "completed_early":
                self.complete_early(program, mentee)
        for program, *_ in stories:
            self.session.refresh(program)
            if program.status in ("active", "extended"):
                self.finish(program)
        programs = sorted((item[0] for item in stories), key=lambda p: p.id)
        for program in programs:
            self.session.refresh(program)
            self.say(f"Программа №{program.id} ({program.roadmap_id}): {program.status}"
                     + (f", основание {program.completion_ground}" if program.completion_ground else ""))
        return programs

    def leave_work_in_progress(self) -> Program:
        """A fifth pair, formed after the others: its first stage report waits for the curator; and a sixth
        pair whose formation order waits for the head's signature — so the web interface has something to
        show every role."""
        mentor, mentee = IN_PROGRESS_PAIR
        self.register(mentee)
        program = self.form_pair(mentor, mentee)
        events = [e.number for e in program.events if e.stage_id == program.current_stage_id]
        self.complete(mentor, FormId.STAGE_WORK, {"events_done": events, "report": "Информационная справка: "
                                             "диагностика затруднений проведена, запросы выявлены."},
                      program.workflow_instance_id)
        self.say(f"Программа №{program.id} в работе: отчёт по этапу «{stage_title(program, program.current_stage_id)}» "
                 "ждёт куратора")
        self.leave_order_for_signature()
        return program

    def leave_order_for_signature(self) -> Order:
        """A free mentor and a new mentee agree to a pair; the pair-formation order waits for the head."""
        mentor, mentee = AWAITING_SIGNATURE_PAIR
        self.register(mentee)
        instance = self.consented_pair(mentor, mentee)
        order = process_orders.pending_order(self.session, instance)
        if order is None:
            raise NotFound(f"приказ о паре {mentor} — {mentee} не ждёт подписи")
        self.say(f"Приказ «{order.subject}» (id {order.id}) ждёт подписи руководителя")
        return order

    def appoint_refused(self, candidate: str) -> None:
        instance = mentor_appointment.propose_mentor(self.session, self.actor("curator"), self.department_id,
                                                     self.person_id(candidate), clock=self.clock)
        self.session.commit()
        data = instances.snapshot(self.session, instance.id).data
        self.say(f"Назначение наставника: {self.world.people[candidate].full_name} — "
                 f"{data.get('decision', {}).get('verdict_label', instance.status)}")
        for line in data.get("explanation") or []:
            self.say(f"  {line}")
