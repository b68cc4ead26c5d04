"""Plain factory functions for tests: each takes a session, adds the object, flushes (so it has an
id) and returns it. Keyword arguments override any column."""
from __future__ import annotations

import hashlib
import itertools
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from engine import regulations
from engine.db.models import (
    Consent,
    Decision,
    GroupMember,
    Mentee,
    MentorAppointment,
    MentoringGroup,
    OpenTask,
    Order,
    Organization,
    Person,
    ProcessDefinition,
    Program,
    RoleAssignment,
    WorkflowInstance,
)

_seq = itertools.count(1)


def _add(session: Session, obj):
    session.add(obj)
    session.flush()
    return obj


def make_department(session: Session, **kw: Any) -> Organization:
    n = next(_seq)
    kw.setdefault("kind", "department")
    kw.setdefault("regulation", "tomsk")
    kw.setdefault("name", f"Департамент образования №{n}")
    kw.setdefault("short_name", f"ДО-{n}")
    return _add(session, Organization(**kw))


def make_organization(session: Session, *, parent: Organization | None = None, **kw: Any) -> Organization:
    """A school (under ``parent`` if given; its regulation is inherited)."""
    n = next(_seq)
    kw.setdefault("kind", "school")
    kw.setdefault("regulation", parent.regulation if parent is not None else "tomsk")
    kw.setdefault("name", f"МАОУ СОШ №{n}")
    kw.setdefault("short_name", f"СОШ-{n}")
    return _add(session, Organization(parent=parent, **kw))


def make_person(session: Session, **kw: Any) -> Person:
    n = next(_seq)
    kw.setdefault("full_name", f"Иванова Мария Петровна {n}")
    kw.setdefault("login", f"user{n}")
    return _add(session, Person(**kw))


def make_role(session: Session, person: Person, organization: Organization, role: str, **kw: Any) -> RoleAssignment:
    return _add(session, RoleAssignment(person=person, organization=organization, role=role, **kw))


def make_appointment(
    session: Session, *, person: Person | None = None, organization: Organization | None = None,
    starts_on: date = date(2024, 9, 1), **kw: Any,
) -> MentorAppointment:
    organization = organization or make_department(session)
    person = person or make_person(session)
    kw.setdefault("ends_on", regulations.pack(organization.regulation).mentor_term.ends_on(starts_on))
    kw.setdefault("status", "active")
    return _add(session, MentorAppointment(person=person, organization=organization, starts_on=starts_on, **kw))


def make_mentee(session: Session, *, person: Person | None = None, organization: Organization | None = None,
                **kw: Any) -> Mentee:
    kw.setdefault("category", "new_head")
    return _add(session, Mentee(person=person or make_person(session),
                                organization=organization or make_department(session), **kw))


def make_group(
    session: Session, *, mentor: Person | None = None, mentees: int | list[Person] = 1,
    organization: Organization | None = None, consents: bool = False, **kw: Any,
) -> MentoringGroup:
    """A group of ``mentees`` (a count or a list of persons); ``consents=True`` adds everyone's consent."""
    organization = organization or make_department(session)
    mentor = mentor or make_person(session)
    people = [make_person(session) for _ in range(mentees)] if isinstance(mentees, int) else list(mentees)
    kw.setdefault("form", "head_head")
    kw.setdefault("roadmap_id", "tomsk_new_head")
    group = MentoringGroup(mentor=mentor, organization=organization, **kw)
    group.members = [GroupMember(person=p, joined_on=date(2024, 9, 1)) for p in people]
    _add(session, group)
    if consents:
        for p in [mentor, *people]:
            session.add(Consent(person=p, group=group, text="Согласен(на) участвовать в программе наставничества"))
        session.flush()
    return group


def make_program(session: Session, *, group: MentoringGroup | None = None, **kw: Any) -> Program:
    group = group or make_group(session)
    kw.setdefault("roadmap_id", group.roadmap_id)
    kw.setdefault("status", "active")
    kw.setdefault("started_on", date(2024, 9, 1))
    kw.setdefault("planned_end_on", date(2026, 8, 31))
    kw.setdefault("current_stage_id", "diagnosis")
    return _add(session, Program(group=group, **kw))


def make_decision(session: Session, **kw: Any) -> Decision:
    if not any(k in kw for k in ("person", "person_id", "program", "program_id", "group", "group_id")):
        kw["person"] = make_person(session)
    kw.setdefault("ruleset_id", "tomsk.mentor_eligibility")
    kw.setdefault("ruleset_version", "1")
    kw.setdefault("verdict", "eligible")
    kw.setdefault("body", {"verdict": kw["verdict"], "reasons": []})
    return _add(session, Decision(**kw))


def make_order(session: Session, *, organization: Organization | None = None, **kw: Any) -> Order:
    kw.setdefault("type", "pair_formation")
    kw.setdefault("subject", "О формировании наставнических пар (групп)")
    kw.setdefault("body", "ПРИКАЗЫВАЮ: ...")
    return _add(session, Order(organization=organization or make_department(session), **kw))


def make_signed_order(session: Session, *, signer: Person | None = None, number: str | None = None,
                      issued_on: date = date(2024, 2, 20), **kw: Any) -> Order:
    order = make_order(session, **kw)
    order.submit_for_signature()
    order.sign(signer or make_person(session), hashlib.sha256(order.body.encode()).hexdigest(),
               number=number or f"{next(_seq)}р", issued_on=issued_on)
    session.flush()
    return order


def make_definition(session: Session, **kw: Any) -> ProcessDefinition:
    n = next(_seq)
    bpmn = kw.pop("bpmn", f"<definitions id='d{n}'/>")
    kw.setdefault("process_id", "pair_formation")
    kw.setdefault("name", "Формирование пар")
    kw.setdefault("version", n)
    kw.setdefault("bpmn_sha256", hashlib.sha256(bpmn.encode()).hexdigest())
    kw.setdefault("spec_json", "{}")
    return _add(session, ProcessDefinition(bpmn=bpmn, **kw))


def make_instance(session: Session, *, definition: ProcessDefinition | None = None,
                  organization: Organization | None = None, **kw: Any) -> WorkflowInstance:
    kw.setdefault("kind", "pair_formation")
    kw.setdefault("state", "{}")
    return _add(session, WorkflowInstance(definition=definition or make_definition(session),
                                          organization=organization or make_department(session), **kw))


def make_open_task(session: Session, *, instance: WorkflowInstance | None = None, **kw: Any) -> OpenTask:
    instance = instance or make_instance(session)
    kw.setdefault("task_id", f"00000000-0000-4000-8000-{next(_seq):012d}")
    kw.setdefault("element_id", "approve_pairs")
    kw.setdefault("name", "Утвердить пары")
    kw.setdefault("role", "head")
    kw.setdefault("organization_id", instance.organization_id)
    return _add(session, OpenTask(instance=instance, **kw))
