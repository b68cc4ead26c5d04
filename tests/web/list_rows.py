"""Rows for the lists' statement-count tests (tests/web/test_list_statements.py, tests/web/api/…): programs of
the seeded department, each as a running program process with the curator's open step, a pair (a mentor and
two mentees working at a school of their own), a refused order now and then, a mentor appointment and a mentee entry —
everything a row of the inbox, the registries and the program lists shows."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from engine.db.models import Notification, Organization, Person
from tests.factories import (
    make_appointment,
    make_definition,
    make_group,
    make_instance,
    make_mentee,
    make_open_task,
    make_order,
    make_organization,
    make_person,
    make_program,
)

HEAVY_STATE = '{"serialized": "' + "x" * 2000 + '"}'  # a stand-in for a workflow's state no list may read


def add_programs(session: Session, department: Organization, count: int, *, mentor: Person | None = None,
                 mentee: Person | None = None, curator: Person | None = None, head: Person | None = None,
                 methodologist: Person | None = None) -> None:
    """``count`` programs in ``department``, each with what its list rows show (module docstring); ``mentor`` and
    ``mentee`` (the seeded people) take part in every one, so their own lists grow too (the staff keywords are
    accepted and change nothing: the staff see the department's rows)."""
    school = make_organization(session, parent=department)
    definition = make_definition(session, process_id="program", bpmn=f"<definitions id='{school.id}'>" + "x" * 2000 + "</definitions>",
                                 spec_json='{"spec": "' + "y" * 2000 + '"}')
    now = datetime.now(UTC)
    for n in range(count):
        school = make_organization(session, parent=department)  # a school each: a lazy load per row shows
        lead = mentor or make_person(session, organization=school)
        people = [make_person(session, organization=school) for _ in range(2)]
        if mentee is not None:
            people[0] = mentee
        make_appointment(session, person=lead, organization=department, starts_on=date(2025, 9, 1))
        for person in people:
            make_mentee(session, person=person, organization=department)
        group = make_group(session, mentor=lead, mentees=people, organization=department, consents=True,
                           status="approved")
        program = make_program(session, group=group)
        instance = make_instance(session, definition=definition, organization=department, kind="program",
                                 subject={"program_id": program.id}, state=HEAVY_STATE)
        program.workflow_instance_id = instance.id
        make_open_task(session, instance=instance, role="curator", name="Рассмотреть отчёт по этапу",
                       element_id="approve_stage_report", form_id="review_stage_report",
                       due_at=now + timedelta(days=n - 1))
        make_open_task(session, instance=instance, role="mentor", name="Отметить мероприятия этапа",
                       element_id="stage_work", form_id="stage_work", assignee_id=lead.id)
        if n % 3 == 0:
            make_order(session, organization=department, workflow_instance_id=instance.id, status="refused",
                       refusal_reason="Не приложены согласия", body="ПРИКАЗЫВАЮ: " + "z" * 2000)
        forming = make_instance(session, definition=definition, organization=department,
                                subject={"group_id": group.id}, state=HEAVY_STATE)
        make_open_task(session, instance=forming, role="curator", name="Согласовать наставническую пару",
                       element_id="curator_review", form_id="curator_review",
                       due_at=now + timedelta(days=n - 1, hours=1))
        candidate = make_instance(session, definition=definition, organization=department, kind="mentor_appointment",
                                  subject={"candidate_id": lead.id}, state=HEAVY_STATE)
        make_open_task(session, instance=candidate, role="curator", name="Рассмотреть кандидата в наставники",
                       element_id="review_candidate", form_id="review_candidate",
                       due_at=now + timedelta(days=n - 1, hours=2))
    session.commit()  # every page of the inbox holds steps of each kind (programs, pairs, candidates)


def add_awaiting_orders(session: Session, department: Organization, count: int, **_people: Person) -> None:
    """``count`` orders of ``department`` sent for the head's signature, each with its text."""
    for n in range(count):
        order = make_order(session, organization=department, subject=f"О наставничестве № {n}",
                           body="ПРИКАЗЫВАЮ: " + "z" * 2000)
        order.submit_for_signature()
    session.commit()


def add_notifications(session: Session, department: Organization, count: int, *, person: Person,
                      **_people: Person) -> None:
    """``count`` notifications for ``person`` about steps in ``department``, every other one read."""
    now = datetime.now(UTC)
    for n in range(count):
        session.add(Notification(person_id=person.id, organization_id=department.id, kind="task_assigned",
                                 title=f"Новая задача № {n}", body="Рассмотрите отчёт по этапу.", link="/inbox",
                                 read_at=now if n % 2 else None))
    session.commit()


def add_incidents(session: Session, department: Organization, count: int, **_people: Person) -> None:
    """``count`` incidents of ``department``: jobs of program processes that failed their last try."""
    from tests.web.incidents_support import make_incident  # the worker's way of making one

    definition = make_definition(session, process_id="program")
    for _ in range(count):
        instance = make_instance(session, definition=definition, organization=department, kind="program",
                                 state=HEAVY_STATE)
        session.commit()
        make_incident(session, department.id, f"incident-{instance.id}", instance_id=instance.id,
                      element_id="approve_stage_report")
