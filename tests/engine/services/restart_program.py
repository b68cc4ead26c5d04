"""A program that outlives its Python process (used by test_lifecycle_paths.py).

    python restart_program.py URL start            # build the demo world, one pair, stages 1-2 approved; stop
    python restart_program.py URL finish CLOCK     # a NEW process: stages 3-4, completion, the head's order

Each phase prints one JSON line: the program's id, status and current stage, and the demo clock (ISO),
which the next phase is given (the clock is the only thing not kept in the database).
"""
from __future__ import annotations

import json
import sys

from sqlalchemy import select

from engine.bootstrap import bootstrap
from engine.db import Base, make_engine
from engine.db.models import Organization, Person, Program
from engine.demo.story import Demo
from engine.demo.world import DemoWorld
from engine.workflow import FixedClock

MENTOR, MENTEE = "volkov", "novikova"


class ResumedDemo(Demo):
    """The demo driver over a world that is already in the database (no new people, no deploy)."""

    def __init__(self, session, clock: str) -> None:  # noqa: D107 - deliberately not calling Demo.__init__
        self.session = session
        self.say = lambda line: None
        self.clock = FixedClock(clock)
        department = session.scalar(select(Organization).where(Organization.kind == "department"))
        schools = {o.name: o for o in session.scalars(select(Organization).where(Organization.kind == "school"))}
        self.world = DemoWorld(department, schools, {p.login: p for p in session.scalars(select(Person))})


def _report(program: Program, demo: Demo) -> None:
    print(json.dumps({"program_id": program.id, "status": program.status, "stage": program.current_stage_id,
                      "clock": demo.clock.now().isoformat()}))


def start(url: str) -> None:
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    session = bootstrap().session_factory(engine)()
    demo = Demo(session, say=lambda line: None)
    demo.appoint(MENTOR)
    demo.register(MENTEE)
    program = demo.form_pair(MENTOR, MENTEE)
    demo.stage(program, MENTOR)
    demo.stage(program, MENTOR)
    session.refresh(program)
    _report(program, demo)
    session.close()
    engine.dispose()


def finish(url: str, clock: str) -> None:
    engine = make_engine(url)
    session = bootstrap().session_factory(engine)()
    demo = ResumedDemo(session, clock)
    program = session.scalar(select(Program).order_by(Program.id.desc()))
    instance_id = program.workflow_instance_id
    while program.status in ("active", "extended") and demo.has_task(MENTOR, "stage_work", instance_id):
        demo.stage(program, MENTOR)
        session.refresh(program)
        if demo.has_task("curator", "complete_program", instance_id):
            break
    demo.finish(program)
    session.refresh(program)
    _report(program, demo)
    session.close()
    engine.dispose()


if __name__ == "__main__":
    if sys.argv[2] == "start":
        start(sys.argv[1])
    else:
        finish(sys.argv[1], sys.argv[3])
