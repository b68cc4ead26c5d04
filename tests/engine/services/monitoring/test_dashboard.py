"""The department's dashboard (issue 15 item 2): the head of a department sees the figures of both her schools, a
school's curator only her school's; coverage against the 70 % target states its denominator; each figure equals
the list behind it; the figures are counted in a fixed number of statements."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from engine.db.models import AccessLogEntry, Organization
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.services.monitoring import dashboard as board
from engine.services.monitoring import lists
from engine.services.monitoring.dashboard import BREAKDOWNS, SINGLE
from tests import factories as f
from tests.engine.services.monitoring.dashboard_world import build
from tests.statements import counted_statements

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def counts(found: board.Dashboard, figure: str) -> dict[str, int]:
    return {item.value: item.count for item in found.breakdowns[figure]}


@BOTH
def test_the_department_head_sees_both_schools_figure_by_figure(db_session):
    world = build(db_session)
    found = board.dashboard(db_session, world.head, clock=world.clock)
    assert (found.scope.period_from, found.scope.period_to, found.scope.today) == (
        date(2025, 1, 1), date(2025, 6, 30), date(2025, 5, 15))
    # coverage: the active staff of both schools (6 at A with the old mentee, the deactivated one not; 4 at B)
    assert (found.coverage.staff, found.coverage.involved) == (10, 6)
    assert found.coverage.percent == Decimal("60.0") and not found.coverage.met
    rows = {row.organization_id: row for row in found.coverage_by_organization}
    assert (rows[world.school_a].staff, rows[world.school_a].involved, rows[world.school_a].percent) == (
        6, 4, Decimal("66.7"))
    assert (rows[world.school_b].staff, rows[world.school_b].involved, rows[world.school_b].percent) == (
        4, 2, Decimal("50.0"))
    kinds = {kind: (staff, involved) for kind, _label, staff, involved in rows[world.school_a].by_kind}
    assert kinds == {"pedagogue": (5, 3), "student": (1, 1)}
    assert counts(found, "status") == {"active": 1, "extended": 1, "completed": 1, "completed_early": 1, "forming": 1}
    assert counts(found, "stage") == {"diagnosis": 1, "consultation": 1}
    assert counts(found, "form") == {"head_head": 1, "group": 1}
    assert counts(found, "model") == {"tomsk_new_head": 2}
    assert counts(found, "organization") == {str(world.school_a): 2}
    assert counts(found, "ground") == {"participants_initiative": 1}  # last year's completion is outside the period
    assert counts(found, "load") == {"3": 1, "0": 1}  # A's mentor leads three mentees, B's none now
    assert counts(found, "mentor_reports") == {"open": 1, "overdue": 1}
    assert counts(found, "stage_reports") == {"submitted": 1}
    assert found.single == {"overdue": 1, "extended": 1, "terms_ending": 1, "overdue_reports": 1}
    labels = {item.value: item.label for item in found.breakdowns["status"]}
    assert labels["extended"] == "продлена" and labels["completed_early"] == "завершена досрочно"
    assert {item.label for item in found.breakdowns["ground"]} == {
        "досрочно по инициативе наставника или наставляемого (003 §7.1 (2))"}


@BOTH
def test_a_school_curator_sees_her_school_only(db_session):
    world = build(db_session)
    found = board.dashboard(db_session, world.curator_a, clock=world.clock)
    assert found.scope.shown == {world.school_a}
    assert (found.coverage.staff, found.coverage.involved, found.coverage.percent) == (6, 4, Decimal("66.7"))
    assert counts(found, "status") == {"active": 1, "extended": 1, "completed": 1}
    assert found.single["overdue_reports"] == 0 and counts(found, "ground") == {}
    with pytest.raises(PermissionDenied, match="мониторинг этой организации вам не доступен"):
        board.dashboard(db_session, world.curator_a, organization_id=world.school_b, clock=world.clock)
    with pytest.raises(PermissionDenied, match="руководителю и куратору"):
        board.dashboard(db_session, world.mentor, clock=world.clock)
    with pytest.raises(NotFound, match="нет организации"):
        board.dashboard(db_session, world.head, organization_id=999_999, clock=world.clock)


@BOTH
def test_the_head_narrows_to_one_school_and_a_period(db_session):
    world = build(db_session)
    found = board.dashboard(db_session, world.head, organization_id=world.school_b, clock=world.clock)
    assert found.scope.shown == {world.school_b}
    assert counts(found, "status") == {"completed_early": 1, "forming": 1}
    last_year = board.dashboard(db_session, world.head, period_from=date(2024, 7, 1), period_to=date(2024, 12, 31),
                                clock=world.clock)
    assert counts(last_year, "ground") == {"plan_completed": 1}
    assert last_year.single["extended"] == 0 and counts(last_year, "mentor_reports") == {"filed": 1}
    assert (last_year.coverage.involved) == 7  # the old mentee took part then; B's pair too, A's pairs started in 2024
    with pytest.raises(NastavnikError, match="позже конца") as wrong:
        board.dashboard(db_session, world.head, period_from=date(2025, 6, 1), period_to=date(2025, 1, 1),
                        clock=world.clock)
    assert wrong.value.where == "period_from"


@BOTH
def test_every_figure_equals_the_list_behind_it(db_session):
    world = build(db_session)
    found = board.dashboard(db_session, world.head, clock=world.clock)
    for figure in (*BREAKDOWNS, *SINGLE, "involved", "staff"):
        listing = lists.dashboard_list(db_session, world.head, figure, clock=world.clock, size=100)
        assert listing.total == found.total(figure) == len(listing.rows), figure
        for item in found.breakdowns.get(figure, ()):
            narrowed = lists.dashboard_list(db_session, world.head, f"{figure}-{item.value}", clock=world.clock)
            assert narrowed.total == item.count, (figure, item.value)
    for row in found.coverage_by_organization:
        listing = lists.dashboard_list(db_session, world.head, f"involved-{row.organization_id}", clock=world.clock)
        assert listing.total == row.involved


@BOTH
def test_the_overdue_list_names_the_program_its_people_and_due_date(db_session):
    world = build(db_session)
    listing = lists.dashboard_list(db_session, world.head, "overdue", clock=world.clock)
    [row] = listing.rows
    assert row.link == ("program", world.programs["overdue"])
    assert row.values["organization"] == "МАОУ СОШ № 1" and row.values["status"] == "выполняется"
    assert row.values["due_on"] == date(2025, 3, 1) and row.values["stage"]
    assert listing.title == "Программы с просроченным этапом"
    db_session.commit()
    logged = db_session.scalar(select(func.count()).select_from(AccessLogEntry).where(
        AccessLogEntry.purpose.like("панель мониторинга%")))
    assert logged == 2  # the mentor and the mentee shown


@BOTH
def test_an_unknown_figure_or_value_is_a_russian_not_found(db_session):
    world = build(db_session)
    with pytest.raises(NotFound, match="нет показателя «nonsense»"):
        lists.dashboard_list(db_session, world.head, "nonsense", clock=world.clock)
    with pytest.raises(NotFound, match="только общее число"):
        lists.dashboard_list(db_session, world.head, "overdue-3", clock=world.clock)
    with pytest.raises(NotFound, match="нет значения"):
        lists.dashboard_list(db_session, world.head, "load-many", clock=world.clock)
    assert lists.dashboard_list(db_session, world.head, "status-unheard_of", clock=world.clock).total == 0


@BOTH
def test_the_figures_cost_the_same_statements_for_more_programs(db_session, db_engine):
    world = build(db_session)
    db_session.expunge_all()
    with counted_statements(db_engine) as few:
        board.dashboard(db_session, world.head, clock=world.clock)
    school = db_session.get(Organization, world.school_a)
    for _ in range(5):
        f.make_program(db_session, group=f.make_group(db_session, organization=school, status="approved"))
    db_session.commit()
    db_session.expunge_all()
    with counted_statements(db_engine) as many:
        board.dashboard(db_session, world.head, clock=world.clock)
    assert len(many) == len(few) <= 20


@BOTH
def test_the_workbook_has_a_sheet_per_section_with_typed_cells_equal_to_the_figures(db_session):
    from io import BytesIO

    from openpyxl import load_workbook

    from engine.services.monitoring import exports
    world = build(db_session)
    made = exports.dashboard_workbook(db_session, world.head, clock=world.clock)
    assert made.file_name == "мониторинг_2025-01-01_2025-06-30.xlsx"
    book = load_workbook(BytesIO(made.data))
    assert book.sheetnames[:3] == ["Параметры", "Охват (цель 70 %)", "Программы по статусам"]
    coverage = list(book["Охват (цель 70 %)"].iter_rows(values_only=True))
    assert coverage[1][:5] == ("все организации", 10, 6, 60, "нет")
    assert book["Параметры"]["B3"].value.date() == date(2025, 1, 1)
    statuses = {row[0]: row[1] for row in book["Программы по статусам"].iter_rows(min_row=2, values_only=True)}
    assert statuses["продлена"] == 1 and statuses["Всего"] == 5
    assert book["Программы по статусам"].freeze_panes == "A2"


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_the_pdf_holds_the_same_tables(db_session):
    from io import BytesIO

    from pypdf import PdfReader

    from engine.services.monitoring import exports
    world = build(db_session)
    made = exports.dashboard_pdf(db_session, world.head, clock=world.clock)
    assert made.data.startswith(b"%PDF") and made.file_name.endswith(".pdf")
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(made.data)).pages)
    assert "Мониторинг программ наставничества" in text and "Охват (цель 70 %)" in text
    assert "60,0" in text and "Программы с просроченным этапом" in text
