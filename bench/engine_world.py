"""The engine benchmark's world: the demo's Tomsk department on a fresh database, and programs driven through
the product's own services to the sizes the benchmark measures at.

    world = ProgramWorld(url)                 # department, people, shipped processes, four appointed mentors
    run = world.new_program()                 # a new mentee registered, pair proposed, consents, the head's order
    run.grow_to(n)                            # the mentor submits, the curator returns, … until n tasks are done
    run.open_extension()                      # the mentee petitions, the mentor agrees, the curator petitions
    step = run.next_step("head", FormId.SIGN_ORDER, {"signed": True})   # a step to measure: run it with do()

Every step goes through the services a page calls (``engine.services.process.instances.complete_task``,
``engine.services.mentorship.lifecycle.petition``, ``roadmap_events.mark_event``), in a fresh session,
committed, with the domain ``engine.bootstrap`` builds (every hook runs: stage reports, orders, notices,
audit). The clock is fixed at the world's creation, so no reminder is due while a program grows.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from engine.bootstrap import bootstrap
from engine.db import Base, make_engine
from engine.db.models import OpenTask, Person, Program, WorkflowInstance
from engine.db.models.program import EventStatus
from engine.demo.story import Demo
from engine.forms import FormId, validated
from engine.services.mentorship import lifecycle, roadmap_events
from engine.services.people.actor import Actor, load_actor
from engine.services.process import instances as lifecycle_instances
from engine.workflow import FixedClock

MENTORS = ("volkov", "morozova", "lebedev", "sokolova")
# a newly appointed head (003 §3.6.1, appendix 1), as the demo's «novikova»
MENTEE_FACTS = dict(is_head=True, months_as_head=4, efficiency_percent=70, school_low_results=False,
                    in_management_reserve=False)
REPORT = "Информационная справка по этапу: мероприятия проведены, результаты приложены."
RETURNED = {"approved": False, "comment": "Дополните справку: не приложены материалы мероприятий"}
APPROVED = {"approved": True, "comment": ""}


class Statements:
    """Counts the statements an engine executes (``count`` since the last ``reset``)."""

    def __init__(self, engine: Any) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: Any) -> None:
        self.count += 1

    def reset(self) -> None:
        self.count = 0


@dataclass
class Step:
    """One user task of a program's process about to be completed: who, which task, what the form says, and the
    stored state it starts from (for the bare cycle on the same state)."""

    login: str
    form: str
    data: dict
    instance_id: int
    task_id: str
    state: str
    do: Callable[[], None]

    def values(self) -> dict:
        """The form's data as the service passes it to the workflow (checked against the form's contract)."""
        return validated(self.form, self.data)


class ProgramWorld:
    """A fresh database with the demo's department, its people and processes, and four appointed mentors."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        Base.metadata.create_all(self.engine)
        self.statements = Statements(self.engine)
        self.sessions: sessionmaker[Session] = bootstrap().session_factory(self.engine)
        self.clock = FixedClock(datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0))
        self._numbers = itertools.count(1)
        self._actors: dict[str, Actor] = {}
        with self.sessions() as session:
            self.demo = Demo(session, say=lambda _line: None, start=self.clock.now())
            self.demo.clock = self.clock
            for mentor in MENTORS:
                self.demo.appoint(mentor)
            self.department_id = self.demo.department_id
            self.people = {login: person.id for login, person in self.demo.world.people.items()}

    def actor(self, login: str) -> Actor:
        if login not in self._actors:
            with self.sessions() as session:
                self._actors[login] = load_actor(session, login)
        return self._actors[login]

    def new_program(self) -> ProgramRun:
        """A new mentee (a newly appointed head), registered, paired with the next mentor by the curator; both
        consent and the head signs the order: the program's process starts."""
        number = next(self._numbers)
        login, mentor = f"bench_mentee_{number}", MENTORS[number % len(MENTORS)]
        with self.sessions() as session:
            demo = self.demo
            demo.session = session
            school = demo.world.schools["school15"]
            person = Person(login=login, full_name=f"Наставляемая Бенчмарка {number}", position="Директор",
                            organization_id=school.id, **MENTEE_FACTS)
            session.add(person)
            session.flush()
            demo.world.people[login] = person
            self.people[login] = person.id
            demo.register(login)
            program = demo.form_pair(mentor, login)
            return ProgramRun(self, program.id, program.workflow_instance_id, mentor, login)

    def close(self) -> None:
        self.engine.dispose()


@dataclass
class ProgramRun:
    """One program driven through its lifecycle; ``done`` counts the user tasks its process has completed."""

    world: ProgramWorld
    program_id: int
    instance_id: int
    mentor: str
    mentee: str
    done: int = 0
    stage_events: list[str] = field(default_factory=list)

    # -- reading -------------------------------------------------------------------------------
    def _open_task(self, session: Session, form: str) -> OpenTask:
        task = session.scalar(select(OpenTask).where(OpenTask.instance_id == self.instance_id,
                                                     OpenTask.form_id == form))
        if task is None:
            raise LookupError(f"process {self.instance_id} has no open task with form {form}")
        return task

    def _events(self, session: Session) -> list:
        program = session.get(Program, self.program_id)
        assert program is not None
        return [e for e in program.events if e.stage_id == program.current_stage_id]

    def stored_bytes(self) -> int:
        with self.world.sessions() as session:
            instance = session.get(WorkflowInstance, self.instance_id)
            assert instance is not None
            return len(instance.state.encode())

    # -- steps ---------------------------------------------------------------------------------
    def next_step(self, login: str, form: str, data: dict) -> Step:
        """The open task ``form`` of this program, ready to be completed by ``login`` (``step.do()``)."""
        world = self.world
        actor = world.actor(login)
        with world.sessions() as session:
            task = self._open_task(session, form)
            instance = session.get(WorkflowInstance, self.instance_id)
            assert instance is not None
            task_id, state = task.task_id, instance.state

        def do() -> None:
            session = world.sessions()
            try:
                lifecycle_instances.complete_task(session, actor, self.instance_id, task_id, data, clock=world.clock)
                session.commit()
            finally:
                session.close()
            self.done += 1
        return Step(login, form, data, self.instance_id, task_id, state, do)

    def complete(self, login: str, form: str, data: dict) -> None:
        self.next_step(login, form, data).do()

    def events_data(self, *, all_events: bool) -> dict:
        with self.world.sessions() as session:
            numbers = [e.number for e in self._events(session)]
        return {"events_done": numbers if all_events else numbers[:-1], "report": REPORT}

    def grow_to(self, tasks: int) -> None:
        """Stage report submitted and returned, again and again, until ``tasks`` user tasks are done (the
        history grows as a slow stage's does; ``tasks - done`` must be even)."""
        if (tasks - self.done) % 2 or tasks < self.done:
            raise ValueError(f"cannot grow from {self.done} to {tasks} completed tasks by submit/return pairs")
        while self.done < tasks:
            self.complete(self.mentor, FormId.STAGE_WORK, self.events_data(all_events=False))
            self.complete("curator", FormId.REVIEW_STAGE_REPORT, RETURNED)

    def open_extension(self) -> None:
        """The mentee petitions to extend the program by a month (003 §7.2), the mentor agrees, the curator
        petitions: the extension order waits for the head (two tasks done)."""
        world = self.world
        session = world.sessions()
        try:
            lifecycle.petition(session, world.actor(self.mentee), self.program_id, "extension",
                               {"reason": "длительная болезнь наставляемого", "extension_months": 1},
                               clock=world.clock)
            session.commit()
        finally:
            session.close()
        self.complete(self.mentor, FormId.AGREE_EXTENSION, {"agreed": True})
        self.complete("curator", FormId.PETITION_EXTENSION,
                      {"petitioned": True, "extension_months": 1, "justification": "ходатайство наставляемого"})

    def mark_step(self) -> Callable[[], None]:
        """The mentor marks the stage's last event held today (the roadmap page's form), in a fresh session."""
        world = self.world
        actor = world.actor(self.mentor)
        with world.sessions() as session:
            pending = [e for e in self._events(session) if e.status != EventStatus.DONE]
            event_id = (pending or self._events(session))[-1].id

        def do() -> None:
            session = world.sessions()
            try:
                roadmap_events.mark_event(session, actor, self.program_id, event_id, done=True,
                                          held_on=world.clock.now().date(), clock=world.clock)
                session.commit()
            finally:
                session.close()
        return do

