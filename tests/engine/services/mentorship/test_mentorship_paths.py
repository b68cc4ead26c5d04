"""Who mentors whom, through the workflows: mentor appointment (003 §3.4-3.5), the mentee registry
(003 §3.6.1) and pair formation (003 §6) — the paths off the demo's happy road."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.db.models import (
    Consent,
    Decision,
    Mentee,
    MentorAppointment,
    MentoringGroup,
    OpenTask,
    Order,
    WorkflowInstance,
    add_months,
)
from engine.demo.story import Demo
from engine.errors import NastavnikError, PermissionDenied
from engine.services.mentorship import basics, mentee_registry, mentor_appointment
from engine.services.mentorship import formation as mentorship
from engine.services.process import instances
from tests import factories as f

SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


def forms(session, instance_id: int) -> list[tuple[str, int | None]]:
    session.expire_all()
    rows = session.scalars(select(OpenTask).where(OpenTask.instance_id == instance_id))
    return sorted((row.form_id, row.assignee_id) for row in rows)


def propose(demo: Demo, login: str) -> WorkflowInstance:
    instance = mentor_appointment.propose_mentor(demo.session, demo.actor("curator"), demo.department_id,
                                                 demo.person_id(login), clock=demo.clock)
    demo.session.commit()
    return instance


def propose_pair(demo: Demo, mentor: str, mentee: str) -> WorkflowInstance:
    instance = mentorship.propose_pair(demo.session, demo.actor("curator"), demo.department_id,
                                       demo.person_id(mentor), [demo.person_id(mentee)], clock=demo.clock)
    demo.session.commit()
    return instance


def all_orders(session) -> list[tuple[str, str]]:
    return [(o.type, o.status) for o in session.scalars(select(Order).order_by(Order.id))]


# -- mentor appointment -------------------------------------------------------------------------

@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_candidate_who_is_not_eligible_gets_an_explanation_and_no_order(demo, db_session):
    s = db_session
    instance = propose(demo, "kozlov")
    snap = instances.snapshot(s, instance.id)
    assert snap.status == "completed" and snap.data["appointment_status"] == "not_eligible"
    assert any("5 лет" in line for line in snap.data["explanation"])
    assert forms(s, instance.id) == []
    assert all_orders(s) == []
    assert s.scalar(select(MentorAppointment.id)) is None
    [decision] = s.scalars(select(Decision).where(Decision.person_id == demo.person_id("kozlov")))
    assert (decision.ruleset_id, decision.verdict) == ("mentor_eligibility_tomsk", "not_eligible")


@SQLITE
def test_insufficient_data_goes_back_to_the_curator(demo, db_session):
    s = db_session
    demo.world.people["lebedev"].efficiency_percent = None  # the registry lacks a fact the ruleset needs
    s.commit()
    instance = propose(demo, "lebedev")
    snap = instances.snapshot(s, instance.id)
    assert snap.status == "running" and snap.data["decision"]["verdict"] == "insufficient_data"
    assert forms(s, instance.id) == [("propose_mentor", None)]
    assert all_orders(s) == []
    assert [d.verdict for d in s.scalars(select(Decision))] == ["insufficient_data"]
    # the curator fills the gap and proposes again in the same process
    demo.world.people["lebedev"].efficiency_percent = 85
    s.commit()
    person = demo.world.people["lebedev"]
    demo.complete("curator", "propose_mentor", {
        "candidate_id": person.id, "candidate_name": person.full_name, "direction": "",
        "facts": basics.facts_for("mentor_eligibility_tomsk", person)}, instance.id)
    assert forms(s, instance.id) == [("sign_order", None)]
    demo.complete("head", "sign_order", {"signed": True}, instance.id)
    [appointment] = s.scalars(select(MentorAppointment))
    assert appointment.person_id == person.id and appointment.status == "active"
    assert [d.verdict for d in s.scalars(select(Decision).order_by(Decision.id))] == ["insufficient_data", "eligible"]


@SQLITE
def test_refused_appointment_order_goes_back_to_the_curator(demo, db_session):
    s = db_session
    instance = propose(demo, "volkov")
    assert forms(s, instance.id) == [("sign_order", None)]
    with pytest.raises(NastavnikError, match="причину"):
        demo.complete("head", "sign_order", {"signed": False}, instance.id)
    with pytest.raises(PermissionDenied):  # the curator does not sign
        instances.complete_task(s, demo.actor("curator"), instance.id, demo.task("head", "sign_order").task_id,
                                {"signed": True}, clock=demo.clock)
    demo.complete("head", "sign_order", {"signed": False, "refusal_reason": "нет представления"}, instance.id)
    assert forms(s, instance.id) == [("propose_mentor", None)]
    [order] = s.scalars(select(Order))
    assert (order.type, order.status, order.refusal_reason) == (
        "appointment_of_mentors", "refused", "нет представления")
    assert s.scalar(select(MentorAppointment.id)) is None


@SQLITE
def test_appointment_term_reminder_and_end(demo, db_session):
    s = db_session
    demo.appoint("volkov")
    [appointment] = s.scalars(select(MentorAppointment))
    instance_id = s.scalar(select(Order.workflow_instance_id).where(Order.id == appointment.order_id))
    assert appointment.ends_on == add_months(appointment.starts_on, 24) - timedelta(days=1)  # 003 §3.4
    remind_on = add_months(appointment.starts_on, 24) - timedelta(days=30)
    demo.advance((remind_on - demo.clock.now().date()).days - 1)
    assert forms(s, instance_id) == []
    demo.advance(1)
    assert demo.clock.now().date() == remind_on
    assert forms(s, instance_id) == [("acknowledge_reminder", None)]
    assert demo.has_task("curator", "acknowledge_reminder", instance_id)
    demo.complete("curator", "acknowledge_reminder", {"comment": "готовим новое назначение"}, instance_id)
    demo.register("novikova")
    demo.advance(31)  # the term is over: no new pair with him
    assert instances.snapshot(s, instance_id).data.get("appointment_status") == "expired"
    with pytest.raises(NastavnikError, match="не назначен"):
        propose_pair(demo, "volkov", "novikova")


# -- pair formation -----------------------------------------------------------------------------

@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_only_a_currently_appointed_mentor_can_be_paired(demo, db_session):
    s = db_session
    demo.register("novikova")
    propose(demo, "kozlov")  # not eligible, not appointed
    with pytest.raises(NastavnikError, match="не назначен"):
        propose_pair(demo, "kozlov", "novikova")
    with pytest.raises(NastavnikError, match="не назначен"):
        propose_pair(demo, "volkov", "novikova")  # never proposed
    demo.appoint("volkov")
    demo.advance(25 * 31)  # past the 24-month term
    with pytest.raises(NastavnikError, match="не назначен"):
        propose_pair(demo, "volkov", "novikova")
    assert s.scalar(select(MentoringGroup.id)) is None
    assert [m.status for m in s.scalars(select(Mentee))] == ["waiting"]


@SQLITE
def test_mentee_refusing_consent_ends_the_formation(demo, db_session):
    s = db_session
    demo.appoint("volkov")
    demo.register("novikova")
    instance = propose_pair(demo, "volkov", "novikova")
    assert forms(s, instance.id) == [("give_consent", demo.person_id("volkov"))]
    demo.complete("volkov", "give_consent", {"consent": True}, instance.id)
    assert forms(s, instance.id) == [("give_consent", demo.person_id("novikova"))]
    with pytest.raises(PermissionDenied):  # only she consents for herself
        instances.complete_task(s, demo.actor("volkov"), instance.id, demo.task("novikova", "give_consent").task_id,
                                {"consent": True}, clock=demo.clock)
    demo.complete("novikova", "give_consent", {"consent": False, "comment": "не готова"}, instance.id)
    assert s.get(WorkflowInstance, instance.id).status == "completed" and forms(s, instance.id) == []
    [group] = s.scalars(select(MentoringGroup))
    assert group.status == "dissolved" and group.order_id is None
    assert all_orders(s) == [("appointment_of_mentors", "signed")]
    assert [c.person_id for c in s.scalars(select(Consent))] == [demo.person_id("volkov")]
    assert [m.status for m in s.scalars(select(Mentee))] == ["waiting"]  # may be paired again
    program = demo.form_pair("volkov", "novikova")
    assert program.status == "active"


@SQLITE
def test_refused_pair_order_goes_back_to_the_curator(demo, db_session):
    s = db_session
    demo.appoint("volkov")
    demo.register("novikova")
    instance = propose_pair(demo, "volkov", "novikova")
    demo.complete("volkov", "give_consent", {"consent": True}, instance.id)
    demo.complete("novikova", "give_consent", {"consent": True}, instance.id)
    demo.complete("head", "sign_order", {"signed": False, "refusal_reason": "уточнить форму"}, instance.id)
    assert forms(s, instance.id) == [("propose_pair", None)]
    assert all_orders(s) == [("appointment_of_mentors", "signed"), ("pair_formation", "refused")]
    [group] = s.scalars(select(MentoringGroup))
    assert group.status == "forming" and group.order_id is None and group.programs == []


@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_registering_a_person_who_fits_no_category_is_refused(demo, db_session):
    s = db_session
    person = f.make_person(s, organization=demo.world.department, is_head=True, months_as_head=100,
                           efficiency_percent=90, school_low_results=False, in_management_reserve=False)
    s.commit()
    with pytest.raises(NastavnikError) as refused:
        mentee_registry.register_mentee(s, demo.actor("curator"), demo.department_id, person.id)
    assert "003 §3.6.1" in str(refused.value) and "категори" in str(refused.value)
    with pytest.raises(NastavnikError, match="Недостаточно данных"):  # the registry lacks facts
        mentee_registry.register_mentee(s, demo.actor("curator"), demo.department_id, demo.person_id("volkov"))
    with pytest.raises(PermissionDenied):  # the curator keeps the registry
        mentee_registry.register_mentee(s, demo.actor("head"), demo.department_id, demo.person_id("novikova"))
    s.rollback()
    assert s.scalar(select(Mentee.id)) is None and s.scalar(select(Decision.id)) is None
