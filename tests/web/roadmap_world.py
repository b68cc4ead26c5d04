"""A Yakutsk school in the middle of its roadmap year 2025/2026 (004 п. 4.3, прил. 2), for the web tests: the
director started it on 1 September, the curator («ответственный по школе») and the director marked the autumn's
events, «Определение форматов наставничества» (п. 1.3) went overdue and was escalated to the director, the
January interim analysis (п. 7.2) is open; the pages run on ``PAGE_NOW`` (the app's ``CLOCK``)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from engine.db.models import Organization, Person
from engine.services.mentorship import school_roadmap
from engine.services.mentorship import school_roadmap_views as views
from engine.services.people.actor import load_actor
from engine.services.process import definitions, instances
from engine.workflow import FixedClock
from tests.factories import make_department, make_organization, make_person, make_role
from tests.web.conftest import password_hash

PAGE_NOW = datetime.fromisoformat("2026-01-15T10:00:00+09:00")  # 15 January in Yakutsk
AUTUMN = ("1.1", "1.2", "1.4", "1.5", "1.6", "2.1", "3.1", "5.1", "6.1")  # everything due by December but п. 1.3
DIRECTORS = {"1.2", "6.1"}  # «Директор школы»


@dataclass(frozen=True)
class RoadmapWorld:
    year_id: int
    school_id: int
    director_login: str = "director7"
    curator_login: str = "school_curator"


def _local(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00+09:00")


def build_roadmap_world(session) -> RoadmapWorld:
    definitions.deploy_shipped(session)
    department = make_department(session, regulation="yakutsk",
                                 name="Управление образования Окружной администрации города Якутска")
    school: Organization = make_organization(session, parent=department, short_name="СОШ № 7",
                                             name="МОБУ «Средняя общеобразовательная школа № 7» г. Якутска")
    people: dict[str, Person] = {}
    for login, name, role in (("director7", "Николаева Сардана Ивановна", "head"),
                              ("school_curator", "Егорова Туяра Петровна", "curator")):
        people[login] = make_person(session, login=login, full_name=name, organization=school,
                                    password_hash=password_hash())
        make_role(session, people[login], school, role)
    session.commit()
    director, curator = load_actor(session, "director7"), load_actor(session, "school_curator")
    clock = FixedClock(_local("2025-09-01"))
    year = school_roadmap.start_year(session, director, school.id, clock=clock)
    session.commit()
    clock.set(_local("2025-09-25"))
    for key in ("1.1", "2.1", "6.1"):
        views.act(session, director if key in DIRECTORS else curator, year.id, key, "roadmap_event_done",
                  {"evidence": f"Приказ по школе № {40 + len(key)} от 25.09.2025"}, clock=clock)
        session.commit()
    clock.set(_local("2025-10-01", 0) + timedelta(minutes=1))
    instances.fire_timers(session, clock=clock)  # п. 1.3 overdue: escalated to the director
    clock.set(_local("2025-10-20"))
    for key in AUTUMN:
        if key not in ("1.1", "2.1", "6.1"):
            views.act(session, director if key in DIRECTORS else curator, year.id, key, "roadmap_event_done",
                      {"evidence": "Протокол совещания при директоре № 3 от 20.10.2025"}, clock=clock)
            session.commit()
    clock.set(_local("2026-01-01", 0) + timedelta(minutes=1))
    instances.fire_timers(session, clock=clock)  # the interim analysis opens
    return RoadmapWorld(year.id, school.id)
