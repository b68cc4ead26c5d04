"""«План мероприятий» of a program (003 §7.2): the mentor and the mentees compose a correction of the program's
events and propose it, the other participants agree, the curator approves or returns it. Parse → service →
render; every check is the service's (``engine.services.mentorship.plan_corrections``, ``plan_drafts``,
``plan_decisions``)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.db.models import CORRECTION_LIFECYCLE
from engine.errors import NastavnikError
from engine.services.mentorship import plan_corrections, plan_decisions, plan_drafts
from engine.services.mentorship.plan_changes import OPS, PlanChange
from web.access import require_actor
from web.converters import date_arg
from web.db import get_db
from web.errors import status_for

bp = Blueprint("plan", __name__, url_prefix="/programs")


def _page(program_id: int, *, error: str | None = None, status: int = 200, values: dict | None = None):
    db = get_db()
    page = plan_corrections.editor(db, require_actor(), program_id)
    db.commit()  # the access log (152-ФЗ)
    return render_template("programs/plan.html", page=page, program=page.program, error=error, ops=OPS,
                           values=values or {}, labels=CORRECTION_LIFECYCLE.labels), status


def _done(program_id: int, message: str):
    get_db().commit()
    flash(message, "success")
    return redirect(url_for("plan.editor", program_id=program_id))


def _failed(program_id: int, error: NastavnikError, values: dict | None = None):
    get_db().rollback()
    if status_for(error) in (401, 403, 404):
        raise error
    return _page(program_id, error=error.message, status=status_for(error), values=values)


def _int(name: str) -> int | None:
    raw = (request.form.get(name) or "").strip()
    return int(raw) if raw.isdigit() else None



@bp.route("/<int:program_id>/plan")
@login_required
def editor(program_id: int):
    return _page(program_id)


@bp.route("/<int:program_id>/plan/changes", methods=["POST"])
@login_required
def add_change(program_id: int):
    values = request.form.to_dict()
    try:
        change = PlanChange(op=request.form.get("op") or "", reason=request.form.get("reason") or "",
                            event_id=_int("event_id"), stage_id=request.form.get("stage_id") or None,
                            kind=request.form.get("kind") or None, name=request.form.get("name") or None,
                            due_on=date_arg("due_on", _("Срок"), form=True))
        plan_drafts.add_change(get_db(), require_actor(), program_id, change)
    except NastavnikError as error:
        return _failed(program_id, error, values)
    return _done(program_id, _("Изменение добавлено в корректировку."))


@bp.route("/<int:program_id>/plan/changes/<int:index>/delete", methods=["POST"])
@login_required
def remove_change(program_id: int, index: int):
    try:
        plan_drafts.remove_change(get_db(), require_actor(), program_id, index)
    except NastavnikError as error:
        return _failed(program_id, error)
    return _done(program_id, _("Изменение убрано из корректировки."))


@bp.route("/<int:program_id>/plan/propose", methods=["POST"])
@login_required
def propose(program_id: int):
    try:
        plan_drafts.propose(get_db(), require_actor(), program_id)
    except NastavnikError as error:
        return _failed(program_id, error)
    return _done(program_id, _("Корректировка направлена на согласование."))


@bp.route("/<int:program_id>/plan/<int:correction_id>/agree", methods=["POST"])
@login_required
def agree(program_id: int, correction_id: int):
    agreed = request.form.get("decision") == "agree"
    try:
        plan_decisions.agree(get_db(), require_actor(), program_id, correction_id, agreed=agreed,
                   reason=request.form.get("reason"))
    except NastavnikError as error:
        return _failed(program_id, error)
    return _done(program_id, _("Вы согласились с корректировкой.") if agreed else _("Корректировка возвращена."))


@bp.route("/<int:program_id>/plan/<int:correction_id>/decide", methods=["POST"])
@login_required
def decide(program_id: int, correction_id: int):
    approved = request.form.get("decision") == "approve"
    try:
        plan_decisions.decide(get_db(), require_actor(), program_id, correction_id, approved=approved,
                    reason=request.form.get("reason"))
    except NastavnikError as error:
        return _failed(program_id, error)
    return _done(program_id, _("Корректировка утверждена: план мероприятий изменён.") if approved
                 else _("Корректировка возвращена участникам."))


@bp.route("/<int:program_id>/plan/<int:correction_id>/withdraw", methods=["POST"])
@login_required
def withdraw(program_id: int, correction_id: int):
    try:
        plan_drafts.withdraw(get_db(), require_actor(), program_id, correction_id)
    except NastavnikError as error:
        return _failed(program_id, error)
    return _done(program_id, _("Корректировка отозвана."))
