"""A Yakutsk education department with its Coordination Centre of network mentors and its schools, built by
the factories; network mentors appointed through the appointment process (004 III.2); trainees entered by the
department's specialist (004 I.3). The clock is the Yakutsk one: the tests move it and fire the timers."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from engine.db.models import Mentee, MentorAppointment, Organization, Person, appointed_on_stmt
from engine.documents.basics import today_in
from engine.forms import FormId
from engine.services.mentorship import mentor_appointment
from engine.services.network import trainees
from engine.services.people.actor import Actor, load_actor
from engine.services.process import definitions, instances
from engine.workflow import FixedClock
from tests import factories as f

START = datetime(2025, 9, 15, 1, 0, tzinfo=UTC)  # 15.09.2025, 10:00 in Yakutsk
LITERACY = "Функциональная грамотность"
UPBRINGING = "Воспитательная работа"
DIGITAL = "Цифровая образовательная среда"
ELIGIBLE = {"experience_years": 9, "communication_skills": True, "ready_to_share": True}  # 004 II.2


@dataclass
class Centre:
    session: Session
    clock: FixedClock
    department: Organization
    centre: Organization
    schools: list[Organization]
    people: dict[str, Person] = field(default_factory=dict)

    def actor(self, login: str) -> Actor:
        return load_actor(self.session, login)

    @property
    def curator(self) -> Actor:
        return self.actor("specialist")

    def person(self, login: str) -> Person:
        return self.people[login]

    def add_person(self, login: str, full_name: str, school: int, **facts) -> Person:
        person = f.make_person(self.session, login=login, full_name=full_name, organization=self.schools[school],
                               position="учитель", **facts)
        self.people[login] = person
        return person

    def at(self, moment: str | datetime) -> int:
        """Move the clock to ``moment`` and fire what is due (the scheduler's job)."""
        self.clock.set(moment)
        return instances.fire_timers(self.session, clock=self.clock)

    def appoint(self, login: str, direction: str) -> MentorAppointment:
        """The specialist proposes the network mentor with their direction; the head signs the order (004 III.2)."""
        person = self.person(login)
        instance = mentor_appointment.propose_mentor(self.session, self.curator, self.department.id, person.id,
                                                     direction=direction, clock=self.clock)
        [task] = [t for t in instance.open_tasks if t.form_id == FormId.SIGN_ORDER]
        instances.complete_task(self.session, self.actor("head"), instance.id, task.task_id, {"signed": True},
                                clock=self.clock)
        self.session.commit()
        return self.session.scalars(appointed_on_stmt(today_in(self.department, self.clock), person_id=person.id)).one()

    def register(self, login: str, category: str, direction: str, *, diagnosis: str | None = "self") -> Mentee:
        mentee = trainees.register_trainee(self.session, self.curator, self.department.id, self.person(login).id,
                                           category=category, direction=direction, clock=self.clock)
        self.session.commit()
        if diagnosis == "self":
            trainees.record_self_diagnosis(self.session, self.actor(login), mentee.id,
                                           difficulties="Формирование читательской грамотности на уроках",
                                           help_needed="Консультации и посещение уроков наставника", self_rating=2)
        elif diagnosis == "monitoring":
            trainees.record_monitoring(self.session, self.curator, mentee.id,
                                       conducted_by="Заместитель директора по УВР МОБУ СОШ № 5",
                                       difficulties="Планирование воспитательной работы класса",
                                       help_needed="Методическая помощь в планировании")
        self.session.commit()
        return mentee


def build_centre(session: Session) -> Centre:
    definitions.deploy_shipped(session)
    department = f.make_department(session, regulation="yakutsk", short_name="УО г. Якутска",
                                   name="Управление образования Окружной администрации города Якутска")
    centre = f.make_organization(session, parent=department, kind="centre", short_name="КЦ сетевых наставников",
                                 name="Координационный центр сетевых наставников (педагогов-лидеров) г. Якутска")
    schools = [f.make_organization(session, parent=department, name=f"МОБУ СОШ № {n} г. Якутска",
                                   short_name=f"СОШ № {n}") for n in (2, 5, 17)]
    world = Centre(session, FixedClock(START), department, centre, schools)
    for login, name, role in (("specialist", "Егорова Сардана Ивановна", "curator"),
                              ("head", "Петров Николай Семёнович", "head")):
        world.people[login] = f.make_person(session, login=login, full_name=name)
        f.make_role(session, world.people[login], department, role)
    world.add_person("sidorova", "Сидорова Елена Петровна", 0, high_result_directions=[LITERACY], **ELIGIBLE)
    world.add_person("nikolaev", "Николаев Айсен Васильевич", 1, high_result_directions=[UPBRINGING], **ELIGIBLE)
    for login, name, school in (("ivanova", "Иванова Туйаара Николаевна", 1), ("popov", "Попов Артём Сергеевич", 2),
                                ("kim", "Ким Виктория Олеговна", 0), ("semenova", "Семёнова Ария Дмитриевна", 2),
                                ("fedorov", "Фёдоров Мичил Егорович", 0), ("osipova", "Осипова Нюргуяна Петровна", 1)):
        world.add_person(login, name, school)
    session.commit()
    return world


def on(day: date) -> str:
    """00:01 of ``day`` in Yakutsk, ISO."""
    return datetime(day.year, day.month, day.day, 0, 1).isoformat() + "+09:00"
