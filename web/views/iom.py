"""The teacher's individual educational route (ИОМ, 002 §1.2, §4.2.2) in the browser: the list (mine as the teacher,
those I tutor, my organization's as its curator, head or methodologist), the curator's opening of a route, one route
with its seven steps — the recorded ones with their sections, the one it waits for as a form for the teacher and the
tutor —, the yearly review the worker opened (the tutor or the curator closes it) and the programs attached to it
(the curator attaches one). Thin: parse → ``engine.services.iom`` → render; a refusal is shown on the page (422),
a route not the person's to see is 404."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.services.iom import pages, routes
from engine.services.iom.steps import AREAS, spec
from web.access import require_actor
from web.db import get_db
from web.errors import status_for
from web.forms_iom import AttachProgramForm, CsrfOnlyForm, OpenRouteForm, ReviewForm

bp = Blueprint("iom", __name__, url_prefix="/iom")
_STALE = "Форма устарела; обновите страницу."


def _open_forms(db, actor, curated: list[int]) -> dict[int, OpenRouteForm]:
    forms = {}
    for organization_id in curated:
        form = OpenRouteForm(prefix=f"o{organization_id}")
        form.setup([(c.id, c.label) for c in pages.staff_choices(db, actor, organization_id)])
        forms[organization_id] = form
    return forms


def _index(status: int = 200, error: str | None = None):
    db, actor = get_db(), require_actor()
    lists = routes.route_lists(db, actor)
    organizations = {o.id: o for o in pages.organizations(db, lists.curated)}
    return render_template("iom/index.html", lists=lists, organizations=organizations, error=error,
                           forms=_open_forms(db, actor, lists.curated), steps=routes.step_titles()), status


@bp.route("")
@login_required
def index():
    return _index()


@bp.route("/open/<int:organization_id>", methods=["POST"])
@login_required
def open_route(organization_id: int):
    db, actor = get_db(), require_actor()
    routes.require_curator(actor, organization_id)
    form = OpenRouteForm(prefix=f"o{organization_id}")
    form.setup([(c.id, c.label) for c in pages.staff_choices(db, actor, organization_id)])
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            raise NastavnikError(_(_STALE), where="csrf_token")
        return _index(422, "; ".join(str(m) for errors in form.errors.values() for m in errors))
    try:
        route = routes.open_route(db, actor, organization_id, form.teacher_id.data, years=form.years.data,
                                  tutor_id=form.tutor_id.data or None)
        db.commit()
    except (NotFound, PermissionDenied):
        raise
    except NastavnikError as error:
        db.rollback()
        return _index(status_for(error), error.message)
    flash(_("Индивидуальный образовательный маршрут открыт."), "success")
    return redirect(url_for("iom.show", route_id=route.id))


def _show(route_id: int, *, status: int = 200, error: str | None = None, typed: dict | None = None,
          review_form: ReviewForm | None = None, attach_form: AttachProgramForm | None = None):
    db, actor = get_db(), require_actor()
    page = pages.route_page(db, actor, route_id)
    db.commit()  # the access log of what the page shows
    attach = attach_form or AttachProgramForm(formdata=None)
    attach.program_id.choices = [SelectChoice(p.id, _("Программа № %(n)s (%(start)s – %(end)s)", n=p.id,
                                          start=p.started_on.strftime("%d.%m.%Y") if p.started_on else "—",
                                          end=p.planned_end_on.strftime("%d.%m.%Y") if p.planned_end_on else "—"))
                                 for p in page.attachable]
    return render_template("iom/show.html", page=page, error=error, typed=typed or {}, areas=AREAS,
                           step_form=CsrfOnlyForm(formdata=None), review_form=review_form or ReviewForm(formdata=None),
                           attach_form=attach), status


@bp.route("/<int:route_id>")
@login_required
def show(route_id: int):
    return _show(route_id)


def _refused(route_id: int, error: NastavnikError, **kwargs):
    get_db().rollback()
    if isinstance(error, (NotFound, PermissionDenied)):
        raise error
    return _show(route_id, status=status_for(error), error=error.message, **kwargs)


@bp.route("/<int:route_id>/steps/<int:number>", methods=["POST"])
@login_required
def record_step(route_id: int, number: int):
    db, actor = get_db(), require_actor()
    if not CsrfOnlyForm().validate_on_submit():
        raise NastavnikError(_(_STALE), where="csrf_token")
    step = spec(number)
    keys = list(AREAS) if step.by_area else [f.id for f in step.fields]
    typed = {key: request.form.get(key, "") for key in keys}
    try:
        routes.record_step(db, actor, route_id, number, typed)
        db.commit()
    except NastavnikError as error:
        return _refused(route_id, error, typed=typed)
    flash(_("Шаг %(n)s записан.", n=number), "success")
    return redirect(url_for("iom.show", route_id=route_id))


@bp.route("/<int:route_id>/reviews/<int:year>", methods=["POST"])
@login_required
def close_review(route_id: int, year: int):
    db, actor = get_db(), require_actor()
    form = ReviewForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            raise NastavnikError(_(_STALE), where="csrf_token")
        return _show(route_id, status=422, review_form=form)
    try:
        routes.close_review(db, actor, route_id, year, conclusion=form.conclusion.data or "",
                            corrections=form.corrections.data)
        db.commit()
    except NastavnikError as error:
        return _refused(route_id, error, review_form=form)
    flash(_("Ежегодный пересмотр маршрута проведён."), "success")
    return redirect(url_for("iom.show", route_id=route_id))


@bp.route("/<int:route_id>/programs", methods=["POST"])
@login_required
def attach_program(route_id: int):
    db, actor = get_db(), require_actor()
    if not CsrfOnlyForm().validate_on_submit():
        raise NastavnikError(_(_STALE), where="csrf_token")
    raw = request.form.get("program_id", "").strip()
    try:
        routes.attach_program(db, actor, route_id, int(raw) if raw.isdigit() else raw,
                              note=request.form.get("note"))
        db.commit()
    except NastavnikError as error:
        return _refused(route_id, error)
    flash(_("Программа прикреплена к маршруту."), "success")
    return redirect(url_for("iom.show", route_id=route_id))
