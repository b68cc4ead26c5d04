"""The statistical form of 003 §3.3: the curator files how many took part in the programs on a date — mentors,
mentees by category, pairs and groups by form, programs running and completed by ground (003 §7.1), the banks —
each figure counted by the database and equal to a count made here over the records themselves."""
from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from engine.db.models import GroupMember, Mentee, MentorAppointment, MentoringGroup, Program
from engine.errors import NastavnikError, PermissionDenied
from engine.services.curation import statistical_form
from engine.services.people.actor import load_actor
from tests import factories as f

ON = date(2025, 6, 1)


def build(session):
    """A department on 1 June 2025: two pairs and a group at work (one member left the group), a program ended at
    the mentee's initiative in March, one terminated last year, one starting in July; mentors in force, released,
    pending and expired; a mentee withdrawn and one registered after the date; another department's pair."""
    department, other = f.make_department(session), f.make_department(session)
    curator = f.make_person(session, login="stat_curator")
    f.make_role(session, curator, department, "curator")
    f.make_role(session, f.make_person(session, login="stat_other"), other, "curator")

    def mentor(**kw):
        person = f.make_person(session)
        f.make_appointment(session, person=person, organization=department, **kw)
        return person

    def mentee(category="new_head", registered=date(2024, 8, 1), **kw):
        entry = f.make_mentee(session, organization=department, category=category, registered_on=registered, **kw)
        return entry

    def program(mentor_person, entries, form="head_head", **kw):
        group = f.make_group(session, mentor=mentor_person, mentees=[e.person for e in entries], organization=department,
                             form=form, status="approved")
        for member, entry in zip(group.members, entries, strict=True):
            member.mentee_id = entry.id
        return f.make_program(session, group=group, **kw)

    first, second, third = mentor(), mentor(), mentor()
    mentor(status="released", released_on=date(2025, 3, 1))
    mentor(status="pending")
    mentor(starts_on=date(2022, 9, 1), ends_on=date(2024, 8, 31))
    program(first, [mentee()])
    group = program(second, [mentee("reservist"), mentee("reservist"), mentee("low_results_school_head")], form="reservist_head",
                    status="extended")
    group.group.members[2].left_on = date(2025, 5, 1)
    program(third, [mentee()], status="completed_early", completed_on=date(2025, 3, 10),
            completion_ground="participants_initiative")
    program(third, [mentee("low_efficiency_head")], status="terminated", completed_on=date(2024, 12, 1),
            completion_ground="improper_execution")
    program(first, [mentee(registered=date(2025, 6, 20))], started_on=date(2025, 7, 1))
    mentee(status="withdrawn")
    f.make_program(session, group=f.make_group(session, organization=other))
    session.commit()
    return department, load_actor(session, "stat_curator"), load_actor(session, "stat_other")


def running_on(program: Program, day: date) -> bool:
    return (program.status != "forming" and program.started_on is not None and program.started_on <= day
            and (program.completed_on is None or program.completed_on > day))


def present(member: GroupMember, day: date) -> bool:
    return (member.joined_on is None or member.joined_on <= day) and (member.left_on is None or member.left_on > day)


@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_forms_figures_equal_the_records_counted_one_by_one(db_session):
    department, curator, _other = build(db_session)
    form = statistical_form.statistical_form(db_session, curator, on=ON)
    programs = [p for p in db_session.scalars(select(Program)) if p.group.organization_id == department.id]
    groups = {p.group for p in programs if running_on(p, ON)}
    mentors = {g.mentor_id for g in groups}
    members = [m for g in groups for m in g.members if present(m, ON)]
    entries = {e.id: e for e in db_session.scalars(select(Mentee))}
    assert form.count("1") == len(mentors | {m.person_id for m in members}) == 5
    assert (form.count("1.1"), form.count("1.2")) == (len(mentors), len({m.person_id for m in members})) == (2, 3)
    by_category = {line.label: line.count for line in form.lines if line.code.startswith("1.2.")}
    assert by_category["категория: Педагог в резерве управленческих кадров"] == sum(
        1 for m in members if entries[m.mentee_id].category == "reservist") == 2
    assert sum(by_category.values()) == form.count("1.2")  # every category of the pack listed, zeros too
    assert len(by_category) == 4
    assert (form.count("2"), form.count("2.1"), form.count("2.2")) == (len(groups), 1, 1)  # the group kept 2
    by_form = {line.label: line.count for line in form.lines if line.code.startswith("2.") and line.code > "2.2"}
    assert by_form["по форме наставничества: «резервист – руководитель»"] == 1 and sum(by_form.values()) == 2
    assert (form.count("3"), form.count("3.1"), form.count("3.2")) == (2, 1, 1)
    assert form.count("4") == 1 and form.count("4.2") == 1 and form.count("4.3") == 0  # December's is last year
    in_force = {a.person_id for a in db_session.scalars(select(MentorAppointment).where(
        MentorAppointment.organization_id == department.id))
        if a.status == "active" and a.starts_on <= ON <= a.ends_on}
    assert form.count("5") == len(in_force) == 3
    banked = [e for e in entries.values() if e.organization_id == department.id and e.registered_on <= ON
              and e.status != "withdrawn"]
    assert form.count("6") == len(banked) == 6
    assert {line.clause for line in form.lines if line.code.startswith("4.")} == {
        "003 §7.1 (1)", "003 §7.1 (2)", "003 §7.1 (3)"}
    later = statistical_form.statistical_form(db_session, curator, on=date(2025, 7, 2), since=date(2024, 1, 1))
    assert later.count("4") == 2 and later.count("4.3") == 1 and later.count("3") == 3


def test_the_form_as_xlsx_and_who_may_make_it(db_session):
    department, curator, other = build(db_session)
    made = statistical_form.statistical_form_file(db_session, curator, on=ON)
    assert made.file_name == "статистическая-форма-2025-06-01.xlsx"
    book = load_workbook(BytesIO(made.data))
    assert book.sheetnames == ["Форма 003 п. 3.3", "Сведения"]
    sheet = book["Форма 003 п. 3.3"]
    assert sheet.freeze_panes == "A2" and [c.value for c in sheet[1]] == [
        "Строка", "Показатель", "Количество", "Пункт положения"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["1"][2] == 5 and isinstance(rows["1"][2], int) and rows["4.2"][3] == "003 §7.1 (2)"
    about = {row[0]: row[1] for row in book["Сведения"].iter_rows(min_row=2, values_only=True)}
    assert about["На дату"] == datetime(2025, 6, 1) and about["Организация"] == department.short_name
    with pytest.raises(PermissionDenied):  # another department's curator: not hers
        statistical_form.statistical_form(db_session, other, organization_id=department.id, on=ON)
    assert statistical_form.statistical_form(db_session, other, on=ON).count("1") == 2  # her own pair
    with pytest.raises(PermissionDenied):
        statistical_form.statistical_form(db_session, load_actor(db_session, db_session.scalar(
            select(MentoringGroup).limit(1)).mentor.login), on=ON)
    with pytest.raises(NastavnikError, match="начало периода позже"):
        statistical_form.statistical_form(db_session, curator, on=ON, since=date(2025, 7, 1))
