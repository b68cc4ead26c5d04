"""«Инциденты»: background jobs that failed their last try, for the administrators and curators of their
organizations, each with «Повторить» and «Пропустить» (a reason asked); everyone else gets 403
(``engine.services.jobs.incidents``)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.jobs import incidents
from web.access import require_actor
from web.db import get_db
from web.errors import place_error, status_for
from web.filters import datetime_short

bp = Blueprint("incidents", __name__, url_prefix="/incidents")
SHOWN = 200


class ActionForm(FlaskForm):
    """«Повторить»: only the CSRF token."""


class SkipForm(FlaskForm):
    reason = TextAreaField(_l("Почему это задание не нужно выполнять"), validators=[
        DataRequired(_l("Укажите причину: она будет записана в журнал.")), Length(max=incidents.REASON_LIMIT)],
        render_kw={"rows": 4})


@bp.app_template_filter("incident_time")
def incident_time(value: datetime | None, zone: str | None) -> str:
    """A moment of an incident in its organization's time zone (the installation's without one)."""
    if value is None:
        return "—"
    if zone is None:
        return datetime_short(value)
    return value.astimezone(ZoneInfo(zone)).strftime("%d.%m.%Y %H:%M")


@bp.app_template_filter("tries")
def tries(count: int) -> str:
    return ngettext("%(num)s попытка", "%(num)s попытки", count)


def _program_filter() -> int | None:
    raw = request.args.get("program", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**31 else None


@bp.route("")
@login_required
def index():
    db = get_db()
    program_id = _program_filter()
    found = incidents.listing(db, require_actor(), program_id=program_id, limit=SHOWN)
    return render_template("incidents/index.html", found=found, program_id=program_id, form=ActionForm(),
                           shown=SHOWN)


@bp.route("/<int:job_id>/retry", methods=["POST"])
@login_required
def retry(job_id: int):
    db = get_db()
    form = ActionForm()
    incidents.get_incident(db, require_actor(), job_id)  # 403/404 before the form is looked at
    if not form.validate_on_submit():
        flash(_("Форма устарела: обновите страницу и повторите."), "error")
        return redirect(url_for("incidents.index"))
    try:
        incidents.retry(db, require_actor(), job_id)
        db.commit()
    except ConflictError as error:
        db.rollback()
        flash(error.message, "error")
        return redirect(url_for("incidents.index")), 303
    flash(_("Задание №%(id)s поставлено в очередь снова: оно будет выполнено в ближайшие секунды.", id=job_id),
          "success")
    return redirect(url_for("incidents.index"))


@bp.route("/<int:job_id>/skip", methods=["GET", "POST"])
@login_required
def skip(job_id: int):
    db = get_db()
    actor = require_actor()
    incident = incidents.get_incident(db, actor, job_id)
    form = SkipForm()
    error, status = None, 200
    if form.is_submitted():
        if form.validate():
            try:
                incidents.skip(db, actor, job_id, form.reason.data or "")
                db.commit()
            except (NotFound, PermissionDenied):
                raise
            except NastavnikError as failure:
                db.rollback()
                error, status = place_error(form, failure), status_for(failure)
            else:
                flash(_("Задание №%(id)s пропущено; причина записана в журнал.", id=job_id), "success")
                return redirect(url_for("incidents.index"))
        else:
            status = 422
    return render_template("incidents/skip.html", incident=incident, form=form, error=error), status
