"""Incidents (issue 13, item 5): a job that fails its last try waits for a person — the administrator of its
organization (or one above) or its curator — who is told, sees what failed where, and retries it or skips it
with a reason; nobody else may (engine.services.jobs.incidents)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.db.models import AuditEntry, Job, JobStatus, Notification, Organization, Person, record_audit
from engine.db.types import utcnow
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.jobs import incidents
from engine.services.jobs.queue import enqueue
from engine.services.jobs.runner import Outcome, run_job
from engine.services.jobs.scheduler import tick
from engine.services.jobs.table import JobTable, table_of
from engine.services.people.actor import Actor, load_actor
from tests import factories as f
from tests.engine.services.conftest import plan_bytes


@dataclass
class Org:
    department_id: int
    school_id: int
    people: dict[str, Actor]
    program_id: int
    instance_id: int


def _org(session) -> Org:
    department = f.make_department(session)
    school = f.make_organization(session, parent=department)
    other = f.make_department(session)
    logins: dict[str, str] = {}
    for name, place, role in [("department_admin", department, "admin"), ("department_curator", department, "curator"),
                              ("school_admin", school, "admin"), ("school_curator", school, "curator"),
                              ("other_admin", other, "admin"), ("other_curator", other, "curator"),
                              ("school_mentor", school, "mentor"), ("school_head", school, "head")]:
        person = f.make_person(session, email=f"{name}@example.org")
        f.make_role(session, person, place, role)
        logins[name] = person.login
    definition = f.make_definition(session, bpmn=plan_bytes().decode(), process_id="plan_review",
                                   name="Согласование плана")
    instance = f.make_instance(session, definition=definition, organization=school, kind="program")
    program = f.make_program(session, workflow_instance_id=instance.id)
    session.commit()
    return Org(department.id, school.id, {k: load_actor(session, v) for k, v in logins.items()}, program.id,
               instance.id)


FAILING: dict[str, int] = {}


def _note(session, job, now):
    if FAILING.get(job.key, 0) > 0:
        FAILING[job.key] -= 1
        record_audit(session, "job.half_done", details={"job": job.id})
        raise NastavnikError("почтовый сервер не отвечает", where="smtp")
    record_audit(session, "job.effect", details={"job": job.id})


UNDONE: list[int] = []


def _table(session) -> JobTable:
    table = table_of(session)  # the session's domain: the incident notices of engine.bootstrap included
    if "note" not in table.kinds():
        table.handle("note", _note, on_retry=lambda s, job: UNDONE.append(job.id))
    return table


def _incident(session, org: Org, key: str, *, fails: int = 3, **where) -> int:
    """A job of the school that fails ``fails`` times (its last try with 3 attempts): an incident."""
    FAILING[key] = fails
    table = _table(session)
    job_id = enqueue(session, "note", key, organization_id=org.school_id, max_attempts=3, **where)
    session.commit()
    now = utcnow()
    outcomes = [run_job(session, table, job_id, now=now + timedelta(hours=i)) for i in range(3)]
    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.INCIDENT]
    return job_id


@pytest.fixture
def org(db_session) -> Org:
    FAILING.clear()
    UNDONE.clear()
    return _org(db_session)


def test_an_incident_is_listed_with_where_and_what_for_its_administrators_and_curators(db_session, org):
    job_id = _incident(db_session, org, "note:story", instance_id=org.instance_id, element_id="draft_plan")
    for who in ("department_admin", "department_curator", "school_admin", "school_curator"):
        found = incidents.listing(db_session, org.people[who])
        assert [i.id for i in found.items] == [job_id], who
    item = incidents.listing(db_session, org.people["school_curator"]).items[0]
    assert (item.instance_id, item.program_id, item.process_name) == (org.instance_id, org.program_id,
                                                                       "Согласование плана")
    assert (item.element_id, item.element_name) == ("draft_plan", "Составить план")
    assert item.error == "smtp: почтовый сервер не отвечает" and item.attempts == 3
    assert item.first_tried_at is not None and item.last_tried_at - item.first_tried_at == timedelta(hours=2)
    assert incidents.place(item) == f"программа №{org.program_id}, процесс №{org.instance_id} «Согласование плана», " \
                                    "шаг «Составить план»"
    # another organization's administrator and curator see nothing of it and may not touch it
    for who in ("other_admin", "other_curator"):
        assert incidents.listing(db_session, org.people[who]).items == []
        with pytest.raises(PermissionDenied, match="«администратор» и «куратор»"):
            incidents.retry(db_session, org.people[who], job_id)
        db_session.rollback()
    # the school's mentor and head are no one's to ask
    for who in ("school_mentor", "school_head"):
        with pytest.raises(PermissionDenied, match="инциденты фоновой работы доступны только"):
            incidents.listing(db_session, org.people[who])
        with pytest.raises(PermissionDenied):
            incidents.skip(db_session, org.people[who], job_id, "не нужно")
        db_session.rollback()
    with pytest.raises(NotFound):
        incidents.retry(db_session, org.people["school_admin"], job_id + 1000)


def test_the_people_who_may_act_are_told_once_in_the_transaction_of_the_incident(db_session, org):
    job_id = _incident(db_session, org, "note:told", instance_id=org.instance_id, element_id="draft_plan")
    told = db_session.execute(select(Notification.person_id, Notification.title, Notification.body, Notification.link)
                              .where(Notification.kind == "job_incident")).all()
    people = {p.person_id for p in told}
    assert people == {org.people[w].person_id for w in ("department_admin", "department_curator", "school_admin",
                                                        "school_curator")}
    _person, title, body, link = told[0]
    assert title == f"Сбой фоновой работы «Фоновая работа»: программа №{org.program_id}, процесс №{org.instance_id} " \
                    "«Согласование плана», шаг «Составить план»"
    assert "не выполнено после 3 попыток" in body and "почтовый сервер не отвечает" in body
    assert link == "/incidents"
    # a second incident of the same kind the same day: in the list, not another notice to each of them
    _incident(db_session, org, "note:told-again")
    assert len(db_session.scalars(select(Notification).where(Notification.kind == "job_incident")).all()) == 4
    assert incidents.listing(db_session, org.people["school_admin"]).total == 2
    assert db_session.get(Job, job_id).status == JobStatus.INCIDENT.value


def test_a_failing_notice_does_not_stop_the_incident_being_recorded(db_session, org):
    def broken(session, job):
        session.add(Person(login="x" * 10, full_name="Сломанный"))
        session.flush()
        raise RuntimeError("the notice failed")

    _table(db_session).on_every_incident(broken)
    job_id = _incident(db_session, org, "note:broken-notice")
    assert db_session.get(Job, job_id).status == JobStatus.INCIDENT.value
    assert db_session.scalar(select(Person).where(Person.login == "x" * 10)) is None


def test_retry_runs_it_again_and_it_is_done(db_session, org):
    job_id = _incident(db_session, org, "note:retry", fails=3)
    admin = org.people["department_admin"]
    job = incidents.retry(db_session, admin, job_id)
    db_session.commit()
    assert (job.status, job.attempts, job.resolved_by_id) == (JobStatus.WAITING.value, 0, admin.person_id)
    assert UNDONE == [job_id]  # the kind's on_retry took back what its incident marked
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "job.retried"))
    assert (entry.actor_id, entry.object_type, entry.object_id) == (admin.person_id, "jobs", str(job_id))
    assert incidents.listing(db_session, admin).items == []
    with pytest.raises(ConflictError, match="его уже повторили"):
        incidents.retry(db_session, org.people["school_curator"], job_id)
    db_session.rollback()
    later = utcnow() + timedelta(seconds=1)
    assert job_id in tick(db_session, _table(db_session), later)
    assert run_job(db_session, _table(db_session), job_id, now=later) is Outcome.DONE
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "job.effect")) is not None
    assert db_session.get(Job, job_id, populate_existing=True).status == JobStatus.DONE.value


def test_skip_needs_a_reason_and_its_key_is_never_enqueued_again(db_session, org):
    job_id = _incident(db_session, org, "note:skip", instance_id=org.instance_id)
    curator = org.people["school_curator"]
    with pytest.raises(NastavnikError, match="укажите причину") as refused:
        incidents.skip(db_session, curator, job_id, "   ")
    assert refused.value.where == "reason"
    db_session.rollback()
    incidents.skip(db_session, curator, job_id, "Программа завершена досрочно, напоминание не нужно")
    db_session.commit()
    job = db_session.get(Job, job_id, populate_existing=True)
    assert (job.status, job.resolved_by_id) == (JobStatus.SKIPPED.value, curator.person_id)
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "job.skipped"))
    assert entry.details["reason"] == "Программа завершена досрочно, напоминание не нужно"
    assert enqueue(db_session, "note", "note:skip", organization_id=org.school_id) == job_id  # the sweep again
    db_session.commit()
    assert db_session.get(Job, job_id, populate_existing=True).status == JobStatus.SKIPPED.value
    assert job_id not in tick(db_session, _table(db_session), utcnow() + timedelta(days=1))  # (the periodic jobs are)
    with pytest.raises(ConflictError, match="его уже пропустили"):
        incidents.retry(db_session, curator, job_id)


def test_the_program_and_instance_count_their_open_incidents(db_session, org):
    assert incidents.open_count(db_session, program_id=org.program_id) == 0
    first = _incident(db_session, org, "note:count-1", instance_id=org.instance_id)
    school = db_session.get(Organization, org.school_id)
    petition = f.make_instance(db_session, organization=school, kind="program", subject={"program_id": org.program_id})
    db_session.commit()
    _incident(db_session, org, "note:count-2", instance_id=petition.id)
    _incident(db_session, org, "note:count-3")  # of no instance: not the program's
    assert incidents.open_count(db_session, program_id=org.program_id) == 2
    assert incidents.open_count(db_session, instance_ids={petition.id}) == 1
    listed = incidents.listing(db_session, org.people["school_admin"], program_id=org.program_id)
    assert listed.total == 2 and {i.program_id for i in listed.items} == {org.program_id}
    assert incidents.visible_count(db_session, org.people["department_curator"]) == 3
    assert incidents.visible_count(db_session, org.people["other_curator"]) == 0
    incidents.skip(db_session, org.people["school_admin"], first, "не нужно")
    assert incidents.open_count(db_session, program_id=org.program_id) == 1


def test_a_job_of_no_organization_is_for_the_top_administrators(db_session, org):
    FAILING["note:global"] = 3
    table = _table(db_session)
    job_id = enqueue(db_session, "note", "note:global", max_attempts=1)
    db_session.commit()
    assert run_job(db_session, table, job_id) is Outcome.INCIDENT
    assert [i.id for i in incidents.listing(db_session, org.people["department_admin"]).items] == [job_id]
    assert incidents.listing(db_session, org.people["school_admin"]).items == []  # not a top organization's
    assert incidents.listing(db_session, org.people["department_curator"]).items == []
    told = set(db_session.scalars(select(Notification.person_id).where(Notification.kind == "job_incident")))
    assert told == {org.people["department_admin"].person_id, org.people["other_admin"].person_id}
