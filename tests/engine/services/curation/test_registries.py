"""The curator's registries and the pair proposal check through the services on the demo world."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from engine.db import paging
from engine.db.models import AccessLogEntry, MentorAppointment, WorkflowInstance
from engine.errors import NastavnikError, PermissionDenied
from engine.services.curation import registries
from engine.services.mentorship import formation as mentorship
from engine.services.mentorship import pair_proposals
from engine.services.people.actor import load_actor
from tests import factories as f
from tests.engine.services.curation.registry_world import staffed

SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_mentors_with_their_term_and_a_cyrillic_search(demo, db_session):
    staffed(demo)
    curator = demo.actor("curator")
    ends = db_session.scalar(select(MentorAppointment.ends_on).limit(1))
    assert ends == date(2027, 1, 14)  # appointed 15.01.2025 for 24 months (003 §3.4)
    page = registries.mentors(db_session, curator, today=date(2025, 6, 1))
    assert page.total == 3 and {r.term_state for r in page.rows} == {"active"}
    assert {r.appointment.person.login: r.groups for r in page.rows}["volkov"] == 1
    ending = registries.mentors(db_session, curator, today=ends - timedelta(days=10))
    assert {(r.term_state, r.days_left) for r in ending.rows} == {("ending", 10)}
    expired = registries.mentors(db_session, curator, today=ends + timedelta(days=1))
    assert {r.term_state for r in expired.rows} == {"expired"}
    found = registries.mentors(db_session, curator, query="морозова")  # lower case, Cyrillic
    assert [r.appointment.person.login for r in found.rows] == ["morozova"]
    assert registries.mentors(db_session, curator, query="100%_").total == 0  # LIKE wildcards are literal
    db_session.commit()
    assert db_session.scalar(select(func.count()).select_from(AccessLogEntry).where(
        AccessLogEntry.viewer_id == curator.person_id, AccessLogEntry.purpose == "реестр наставников")) >= 3


@SQLITE
def test_mentees_groups_programs_and_pages(demo, db_session):
    staffed(demo)
    curator = demo.actor("curator")
    mentees = registries.mentees(db_session, curator)
    by_login = {m.person.login: m for m in mentees.rows}
    assert by_login["orlova"].category == "new_head" and by_login["orlova"].status == "in_program"
    assert by_login["fedorov"].category == "reservist" and by_login["fedorov"].status == "waiting"
    assert any(c["passed"] and c["source"] == "003 §3.6.1" for c in by_login["orlova"].decision["criteria"])
    first, second = (registries.mentees(db_session, curator, page=n, size=1) for n in (1, 2))
    assert (first.total, first.pages) == (2, 2) and first.rows[0].id != second.rows[0].id

    [group] = registries.groups(db_session, curator).rows
    assert group.mentor.login == "volkov" and group.status == "approved" and group.order.number
    assert group.missing_consents() == [] and len(registries.participation_consents(group)) == 2
    assert registries.groups(db_session, curator, query="орлова").total == 1
    assert registries.groups(db_session, curator, query="Фёдоров").total == 0

    [program] = registries.programs(db_session, curator).rows
    assert (program.status, program.current_stage_id, program.roadmap_id) == ("active", "diagnosis", "tomsk_new_head")
    counts = registries.counts(db_session, curator, today=date(2025, 6, 1))
    assert {name: int(count) for name, count in counts.items()} == {
        "mentors": 3, "ending": 0, "mentees": 2, "waiting": 1, "groups": 1, "programs": 1}
    assert not any(count.more for count in counts.values())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(paging, "LIST_BOUND", 2)  # a region's department: each figure read up to the bound
        bounded = registries.counts(db_session, curator, today=date(2025, 6, 1))
    assert [(name, c.value, c.more) for name, c in bounded.items() if c.more] == [("mentors", 2, True)]


@SQLITE
def test_registries_are_the_curators_of_their_organization_only(demo, db_session, world):
    staffed(demo)
    assert registries.mentors(db_session, world.other_curator).total == 0
    assert registries.programs(db_session, world.other_curator).total == 0
    with pytest.raises(PermissionDenied):
        registries.mentees(db_session, demo.actor("volkov"))
    with pytest.raises(PermissionDenied):
        registries.person_card(db_session, world.other_curator, demo.person_id("orlova"))
    card = registries.person_card(db_session, demo.actor("curator"), demo.person_id("orlova"))
    assert card["mentee_entries"][0].category == "new_head" and card["facts"]["months_as_head"] == 2


@SQLITE
def test_the_check_runs_the_rules_without_starting_anything(demo, db_session, world):
    staffed(demo)
    curator = demo.actor("curator")
    started = db_session.scalar(select(func.count()).select_from(WorkflowInstance))
    check = pair_proposals.check_pair(db_session, curator, demo.department_id, demo.person_id("kozlov"),
                                      [demo.person_id("fedorov")], demo.clock.now().date())
    assert not check.eligible and not check.mentor_appointed
    failed = [c for c in check.mentor_decision["criteria"] if c["passed"] is False]
    assert failed and all(c["source"] == "003 §3.5" and c["label"] for c in failed)
    [(person, entry, category)] = check.mentees
    assert entry is not None and category["outputs"]["roadmap_id"] == "tomsk_reservist"
    assert db_session.scalar(select(func.count()).select_from(WorkflowInstance)) == started
    good = pair_proposals.check_pair(db_session, curator, demo.department_id, demo.person_id("morozova"), [],
                                     demo.clock.now().date())
    assert good.eligible and good.mentor_appointed
    with pytest.raises(PermissionDenied):
        pair_proposals.check_pair(db_session, world.other_curator, demo.department_id, demo.person_id("morozova"), [],
                                  demo.clock.now().date())
    options = pair_proposals.proposal_options(db_session, curator, demo.department_id, demo.clock.now().date())
    assert {p.login for p in options.mentors} == {"volkov", "morozova", "lebedev"}
    assert [m.person.login for m in options.mentees] == ["fedorov"]


@SQLITE
def test_an_ineligible_appointed_mentor_ends_the_process_with_the_explanation(demo, db_session):
    staffed(demo)
    demo.world.people["lebedev"].has_mentorship_certificate = False  # the registry changed since the appointment
    db_session.commit()
    instance = mentorship.propose_pair(db_session, demo.actor("curator"), demo.department_id,
                                       demo.person_id("lebedev"), [demo.person_id("fedorov")], clock=demo.clock)
    db_session.commit()
    outcome = pair_proposals.proposal_outcome(db_session, demo.actor("curator"), instance.id)
    assert outcome.refused and outcome.instance.status == "completed" and outcome.waiting_for == []
    assert any("удостоверение" in line.lower() or "сертификат" in line.lower() for line in outcome.explanation)
    with pytest.raises(NastavnikError):  # not appointed: the engine refuses before starting anything
        mentorship.propose_pair(db_session, demo.actor("curator"), demo.department_id, demo.person_id("kozlov"),
                                [demo.person_id("fedorov")], clock=demo.clock)


def test_the_card_lists_the_facts_the_workplaces_rules_read(db_session):
    """A Tomsk head's card (003) lists what 003's rules read, not the network mentoring facts of 004 as «нет
    данных»; a fact another pack reads stays when it has a value."""
    department = f.make_department(db_session, regulation="tomsk")
    school = f.make_organization(db_session, parent=department)
    curator = f.make_person(db_session, login="card_curator")
    f.make_role(db_session, curator, department, "curator")
    head = f.make_person(db_session, organization_id=school.id, is_head=True, months_as_head=4)
    moved = f.make_person(db_session, organization_id=school.id, communication_skills=True)
    db_session.flush()
    actor = load_actor(db_session, "card_curator")
    shown = {row.name for row in registries.person_card(db_session, actor, head.id)["fact_rows"]}
    assert {"years_as_head", "efficiency_percent", "is_head", "months_as_head", "in_management_reserve"} <= shown
    assert not shown & {"experience_years", "communication_skills", "ready_to_share", "high_result_directions"}
    kept = {row.name for row in registries.person_card(db_session, actor, moved.id)["fact_rows"]}
    assert "communication_skills" in kept and "ready_to_share" not in kept


@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_page_in_the_back_half_is_read_from_the_end_and_matches_the_one_read_forwards(demo, db_session):
    """The last page of a long registry costs what the first does (read backwards, turned round), and every page
    holds exactly the rows of the whole list cut at that page — ties on the registration day broken by the id."""
    department = demo.world.department
    for n in range(8):
        f.make_mentee(db_session, organization=department, registered_on=date(2025, 2, 1 + n % 3),
                      status="waiting" if n % 2 else "in_program")
    db_session.commit()
    curator = demo.actor("curator")
    everything = [m.id for m in registries.mentees(db_session, curator, size=100).rows]
    assert len(everything) == 8
    pages = [registries.mentees(db_session, curator, page=n, size=3) for n in (1, 2, 3)]
    assert [p.pages for p in pages] == [3, 3, 3]
    assert [m.id for p in pages for m in p.rows] == everything  # page 3 (6 > 8 // 2) came backwards
