"""A world built by factories and driven through the services (never the demo): an organization bound to a
regulation pack, its curator and head, and whoever the test adds; the shipped workflows deployed; a clock the
test moves (timers fire on it). Every step is committed, as a person's click would be."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.bootstrap import bootstrap
from engine.db.models import OpenTask, Organization, Person, Program, WorkflowInstance
from engine.errors import NotFound
from engine.forms import FormId
from engine.services.mentorship import formation, mentee_registry, mentor_appointment
from engine.services.people.actor import Actor, load_actor
from engine.services.process import instances
from engine.services.process.definitions import deploy_shipped
from engine.workflow import FixedClock
from tests import factories as f


class PackWorld:
    def __init__(self, session: Session, regulation: str, start: datetime, **organization: object) -> None:
        self.session = session
        self.clock = FixedClock(start)
        bootstrap(clock=self.clock).attach(session)  # the domain's clock is the world's: services read it
        deploy_shipped(session)
        self.organization: Organization = f.make_organization(session, regulation=regulation, **organization)
        self.curator = self.person("Смирнова Ольга Викторовна", "curator", position="заместитель директора")
        self.head = self.person("Кузнецов Сергей Николаевич", "head", position="директор")
        session.commit()

    # -- people and tasks -----------------------------------------------------------------------
    def person(self, full_name: str, *roles: str, **facts: object) -> Person:
        person = f.make_person(self.session, full_name=full_name, organization=self.organization, **facts)
        for role in roles:
            f.make_role(self.session, person, self.organization, role)
        self.session.flush()
        return person

    def actor(self, person: Person) -> Actor:
        return load_actor(self.session, person.login)

    @staticmethod
    def actor_of(session: Session, person: Person) -> Actor:
        return load_actor(session, person.login)

    @property
    def today(self) -> date:
        return self.clock.now().date()

    def tasks(self, person: Person, instance_id: int | None = None) -> list[OpenTask]:
        return [t for t in instances.list_tasks(self.session, self.actor(person))
                if instance_id is None or t.instance_id == instance_id]

    def task(self, person: Person, form: str, instance_id: int | None = None) -> OpenTask:
        for task in self.tasks(person, instance_id):
            if task.form_id == form:
                return task
        raise NotFound(f"у {person.full_name} нет задачи с формой {form}")

    def complete(self, person: Person, form: str, data: dict, instance_id: int | None = None) -> WorkflowInstance:
        task = self.task(person, form, instance_id)
        instance = instances.complete_task(self.session, self.actor(person), task.instance_id, task.task_id, data,
                                           clock=self.clock)
        self.session.commit()
        return instance

    def advance_to(self, day: date) -> int:
        """The clock runs to 09:00 of ``day``; the timers due by then fire."""
        moment = datetime(day.year, day.month, day.day, 9, 0, tzinfo=self.clock.now().tzinfo)
        assert moment >= self.clock.now(), f"{day} is in the past of the clock"
        self.clock.set(moment)
        fired = instances.fire_timers(self.session, clock=self.clock)
        self.session.commit()
        return fired

    def advance(self, days: int) -> int:
        return self.advance_to(self.today + timedelta(days=days))

    # -- scenes ---------------------------------------------------------------------------------
    def appoint(self, mentor: Person) -> WorkflowInstance:
        instance = mentor_appointment.propose_mentor(self.session, self.actor(self.curator), self.organization.id, mentor.id,
                                                     clock=self.clock)
        self.session.commit()
        self.complete(self.head, FormId.SIGN_ORDER, {"signed": True}, instance.id)
        return instance

    def register(self, mentee: Person, category: str | None = None):
        entry = mentee_registry.register_mentee(self.session, self.actor(self.curator), self.organization.id, mentee.id,
                                                category=category, clock=self.clock)
        self.session.commit()
        return entry

    def pair(self, mentor: Person, mentees: list[Person], form: str) -> list[Program]:
        """The curator proposes, everyone consents, the head signs the order: the programs start."""
        instance = formation.propose_pair(self.session, self.actor(self.curator), self.organization.id, mentor.id,
                                          [m.id for m in mentees], form=form, clock=self.clock)
        self.session.commit()
        self.complete(mentor, FormId.GIVE_CONSENT, {"consent": True}, instance.id)
        for mentee in mentees:
            self.complete(mentee, FormId.GIVE_CONSENT, {"consent": True}, instance.id)
        self.complete(self.head, FormId.SIGN_ORDER, {"signed": True}, instance.id)
        found = self.session.scalars(select(Program).where(Program.group.has(mentor_id=mentor.id))
                                     .order_by(Program.id.desc()).limit(len(mentees)))
        return sorted(found, key=lambda p: p.id)
