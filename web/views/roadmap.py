"""The roadmap year of a school (004 п. 4.3, прил. 2): the list of the user's organizations with their years and
the start button, the year's page (events by stage with due dates, who marks them, status and evidence; the
January interim analysis and the May completion) and its forms. Parse → service → render; the steps are the
tasks of the year's process (``engine.services.mentorship.school_roadmap_views``)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine.errors import NastavnikError, NotFound
from engine.services.mentorship import school_roadmap
from engine.services.mentorship import school_roadmap_views as service
from engine.services.people.actor import Role
from web.access import check_role, require_actor, require_role
from web.db import get_db
from web.errors import status_for
from web.forms_roadmap import ROADMAP_FORMS, RoadmapForm, StartYearForm

bp = Blueprint("roadmap", __name__, url_prefix="/roadmap")

STAFF = (Role.CURATOR, Role.HEAD, Role.METHODOLOGIST)
ITEM_STATE = {"planned": _l("запланировано"), "overdue": _l("просрочено"), "done": _l("выполнено"),
              "not_done": _l("не выполнено")}
YEAR_STATUS = {"running": _l("выполняется"), "completed": _l("завершён")}
WHO = {"curator": _l("ответственный (куратор)"), "head": _l("руководитель")}


@bp.route("/")
@require_role(*STAFF)
def index():
    organizations = service.organization_years(get_db(), require_actor())
    forms = {}
    for entry in organizations:
        if entry.can_start and entry.next_year is not None:
            form = StartYearForm(organization_id=entry.organization.id, prefix=f"start{entry.organization.id}")
            form.academic_year.choices = [(entry.next_year, f"{entry.next_year}/{entry.next_year + 1}")]
            forms[entry.organization.id] = form
    return render_template("roadmap/index.html", organizations=organizations, forms=forms, year_status=YEAR_STATUS)


@bp.route("/start/<int:organization_id>", methods=["POST"])
@require_role(Role.CURATOR, Role.HEAD)
def start(organization_id: int):
    check_role(organization_id, Role.CURATOR, Role.HEAD)  # the school's own (004 п. 4.3)
    db = get_db()
    form = StartYearForm(prefix=f"start{organization_id}")
    form.academic_year.choices = [(form.academic_year.data, "")]
    if not form.validate_on_submit():
        flash(_("Выберите учебный год."), "error")
        return redirect(url_for("roadmap.index"))
    year = school_roadmap.start_year(db, require_actor(), organization_id, academic_year=form.academic_year.data)
    db.commit()
    flash(_("Реализация дорожной карты на %(year)s учебный год запущена.", year=year.label), "success")
    return redirect(url_for("roadmap.show", year_id=year.id))


def _forms(page: service.YearPage) -> dict[tuple[str, str], RoadmapForm]:
    """One form per item and step the user may fill now (prefix: the row, so the page holds many)."""
    found = {}
    for stage in page.stages:
        for row in stage.rows:
            for form_id in row.forms:
                found[(row.item.key, form_id)] = ROADMAP_FORMS[form_id](prefix=_prefix(row.item.key, form_id),
                                                                       formdata=None)
    return found


STEP_FORMS = ("roadmap_interim_analysis", "roadmap_completion")  # shown as cards above the table


def anchor(key: str, step: bool = False) -> str:
    """The id of the item's row on the page («5.1#2» → «item-5_1-2»), or of its step card («step-7_2»)."""
    return ("step-" if step else "item-") + key.replace(".", "_").replace("#", "-")


def _prefix(key: str, form_id: str) -> str:
    return f"{form_id}-{anchor(key)}"


def _render(year_id: int, *, status: int = 200, error: str | None = None,
            posted: tuple[str, RoadmapForm] | None = None):
    db = get_db()
    page = service.year_page(db, require_actor(), year_id)
    forms = _forms(page)
    if posted is not None and (posted[0], posted[1].contract) in forms:  # what was typed stays in the form
        forms[(posted[0], posted[1].contract)] = posted[1]
    return render_template("roadmap/year.html", page=page, forms=forms, item_state=ITEM_STATE, who=WHO,
                           year_status=YEAR_STATUS, error=error, anchor=anchor), status


@bp.route("/<int:year_id>")
@require_role(*STAFF)
def show(year_id: int):
    return _render(year_id)


@bp.route("/<int:year_id>/<form_id>", methods=["POST"])
@require_role(Role.CURATOR, Role.HEAD)
def act(year_id: int, form_id: str):
    if form_id not in ROADMAP_FORMS:
        raise NotFound(_("Нет такой формы дорожной карты."))
    key = request.args.get("key", "")
    form = ROADMAP_FORMS[form_id](prefix=_prefix(key, form_id))
    if not form.validate_on_submit():
        problems = "; ".join(f"{form[name].label.text}: {' '.join(map(str, errors))}"
                             for name, errors in form.errors.items() if name in form)
        return _render(year_id, status=422, error=problems or _("Форма устарела: обновите страницу."),
                       posted=(key, form))
    db = get_db()
    try:
        service.act(db, require_actor(), year_id, key, form_id, form.values())
        db.commit()
    except NastavnikError as error:  # refused: back to the page with the reason, nothing stored
        db.rollback()
        return _render(year_id, status=status_for(error), error=error.message, posted=(key, form))
    flash(_("Сохранено: %(what)s.", what=_step_title(form_id)), "success")
    return redirect(url_for("roadmap.show", year_id=year_id, _anchor=anchor(key, form_id in STEP_FORMS)))


def _step_title(form_id: str) -> str:
    return {"roadmap_event_done": _("мероприятие отмечено выполненным"), "roadmap_overdue": _("меры по просрочке"),
            "roadmap_interim_analysis": _("промежуточный анализ"),
            "roadmap_completion": _("мониторинг и завершение года")}[form_id]
