"""The department ``bench/http_load.py`` serves: the demo's Tomsk department and people (``engine.demo``), plus
``mentors`` more appointed mentors and ``programs`` programs, each with a stage report the curator has to review —
every step through the product's services (``Demo``: the head's orders signed, consents given, the mentor's stage
work submitted), on a clock that starts now (nothing is overdue while the bench runs).

    python bench/http_world.py --url postgresql+psycopg://…/db --programs 400   # fills an empty, migrated database
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

from engine.bootstrap import bootstrap  # noqa: E402
from engine.db import make_engine  # noqa: E402
from engine.db.migrate import upgrade  # noqa: E402
from engine.db.models import OpenTask, Person, Program  # noqa: E402
from engine.demo.story import Demo  # noqa: E402
from engine.demo.world import GOOD_MENTOR  # noqa: E402
from engine.forms import FormId  # noqa: E402

MENTEE = dict(is_head=True, months_as_head=4, efficiency_percent=70, school_low_results=False,
              in_management_reserve=False)  # a newly appointed head (003 §3.6.1, first category)
PROGRAMS_PER_MENTOR = 3


@dataclass
class Filled:
    programs: int
    seconds: float


def _person(demo: Demo, login: str, full_name: str, facts: dict) -> Person:
    person = Person(login=login, full_name=full_name, position="Директор", organization=demo.world.department,
                    password_hash=demo.world.people["curator"].password_hash, **facts)
    demo.session.add(person)
    demo.session.flush()
    demo.world.people[login] = person
    return person


def fill(url: str, programs: int, *, say=print) -> Filled:  # noqa: ANN001 - a print-like function
    """Migrate ``url`` and fill it (see the module's notes)."""
    begun = time.perf_counter()
    upgrade(url)
    engine = make_engine(url)
    try:
        with bootstrap().session_factory(engine)() as session:
            demo = Demo(session, say=lambda _line: None, start=datetime.now(UTC))
            mentors = -(-programs // PROGRAMS_PER_MENTOR)
            for n in range(mentors):
                _person(demo, f"mentor{n}", f"Наставник {n} Иван Петрович",
                        dict(GOOD_MENTOR, years_as_head=10, months_as_head=120))
                session.commit()
                demo.appoint(f"mentor{n}")
            for n in range(programs):
                mentor, mentee = f"mentor{n // PROGRAMS_PER_MENTOR}", f"mentee{n}"
                _person(demo, mentee, f"Наставляемая {n} Анна Сергеевна", MENTEE)
                session.commit()
                demo.register(mentee)
                program = demo.form_pair(mentor, mentee)
                stage = program.current_stage_id
                events = [e.number for e in program.events if e.stage_id == stage]
                demo.complete(mentor, FormId.STAGE_WORK, {"events_done": events, "report": "Справка по этапу"},
                              program.workflow_instance_id)
                if (n + 1) % 50 == 0:
                    say(f"  программ: {n + 1} из {programs} ({time.perf_counter() - begun:.0f} с)")
            waiting = session.scalar(select(OpenTask.id).where(OpenTask.form_id == FormId.REVIEW_STAGE_REPORT)
                                     .limit(1))
            assert waiting is not None and session.query(Program).count() >= programs
    finally:
        engine.dispose()
    return Filled(programs, time.perf_counter() - begun)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--programs", type=int, default=20)
    args = parser.parse_args()
    done = fill(args.url, args.programs)
    print(f"{done.programs} программ за {done.seconds:.1f} с")
    return 0


if __name__ == "__main__":
    sys.exit(main())
