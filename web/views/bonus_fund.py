"""«Фонд надбавок наставникам» (003 §9.3): the head's ledger of the mentors' bonus fund by year — each
head-mentor's increase of the annual premium fund (3 / 4 / 5 окладов), its basis (programs, mentees, dates), the
grounds for revocation the rules found, and the head's decision: keep the increase, or revoke it with a reason
(``engine.services.mentorship.bonus_ledger``)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from engine.errors import NastavnikError
from engine.services.mentorship import bonus, bonus_ledger, bonus_ledger_export
from engine.services.people.actor import Role
from engine.services.process.domain import domain_of
from web.access import require_actor, require_role
from web.converters import id_arg
from web.db import get_db
from web.downloads import download
from web.errors import place_error, status_for
from web.views.programs import PROGRAM_STATUS

bp = Blueprint("bonus_fund", __name__, url_prefix="/bonus-fund")

STATES = {"granted": _l("увеличение сохранено"), "revoked": _l("увеличение отменено"),
          "undecided": _l("решение не принято"), "none": _l("увеличение не положено")}
YEARS = (2000, 2100)


class BonusDecisionForm(FlaskForm):
    """The head's decision on one head-mentor's increase, for her whole term (003 §9.3)."""

    revoked = RadioField(_l("Решение"), choices=[SelectChoice("no", _l("Сохранить увеличение")),
                                                   SelectChoice("yes", _l("Отменить увеличение"))],
                         validators=[InputRequired(_l("Выберите: сохранить или отменить увеличение."))])
    reason = TextAreaField(_l("Основание решения"), validators=[
        Length(max=bonus.REASON_MAX, message=_l("Основание решения — не длиннее %(max)s знаков."))],
        render_kw={"rows": 2})


def year_arg() -> int:
    """The year asked for (``?year=``), else this year by the domain's clock."""
    raw = request.args.get("year", "")
    if raw.isdigit() and YEARS[0] <= int(raw) <= YEARS[1]:
        return int(raw)
    return domain_of(get_db()).clock.now().year


def _render(year: int, organization_id: int | None, *, form: BonusDecisionForm | None = None,
            form_for: int | None = None, error: str | None = None, status: int = 200):
    page = bonus_ledger.ledger(get_db(), require_actor(), year, organization_id)
    get_db().commit()  # the access log entries (152-ФЗ)
    return render_template("bonus_fund/index.html", page=page, form=form, form_for=form_for, error=error,
                           blank=BonusDecisionForm(formdata=None), states=STATES,
                           program_status=PROGRAM_STATUS), status


@bp.route("")
@require_role(Role.HEAD)
def index():
    return _render(year_arg(), id_arg("org"))


@bp.route("/<int:bonus_id>/decision", methods=["POST"])
@require_role(Role.HEAD)
def decide(bonus_id: int):
    db, form = get_db(), BonusDecisionForm()
    year, organization_id = year_arg(), id_arg("org")
    bonus_ledger.decidable(db, require_actor(), bonus_id)  # 404 / 403 before the form is checked
    if not form.validate():
        return _render(year, organization_id, form=form, form_for=bonus_id, status=422)
    try:
        bonus_ledger.decide(db, require_actor(), bonus_id, revoked=form.revoked.data == "yes",
                            reason=form.reason.data or "")
    except NastavnikError as error:
        db.rollback()
        if status_for(error) in (401, 403, 404):
            raise
        return _render(year, organization_id, form=form, form_for=bonus_id, error=place_error(form, error),
                       status=status_for(error))
    db.commit()
    flash(_("Решение о премировании наставника записано."), "success")
    return redirect(url_for("bonus_fund.index", year=year, org=organization_id, _anchor=f"bonus-{bonus_id}"))


@bp.route("/export.xlsx")
@require_role(Role.HEAD)
def export():
    """The ledger of the year (and organization) asked for, as XLSX; the mentors in it go to the access log."""
    db = get_db()
    made = bonus_ledger_export.ledger_file(db, require_actor(), year_arg(), id_arg("org"))
    db.commit()  # the access log
    return download(made.data, made.file_name, made.mimetype)
