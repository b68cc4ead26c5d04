"""The network mentor's and the trainee's pages (004 III.5–IV.4): the mentor's groups, a group with the work plan
(004 III.5), the trainees' plans and the work in the regulation's forms (004 III.6); one trainee's year — the
development plan (004 IV.3) agreed or returned by the mentor, the review at the end of the year (004 IV.1);
the trainee's own page with the self-diagnosis (004 III.3). Staff of the department see the groups too."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.network import access, group_pages, groups, own_pages, trainees, year
from engine.services.people.actor import Role
from web.access import require_actor
from web.db import get_db
from web.errors import place_error, status_for
from web.forms_network import (
    DevelopmentPlanForm,
    PlanDecisionForm,
    SelfDiagnosisForm,
    TraineeReviewForm,
    WorkPlanForm,
    WorkRecordForm,
)

bp = Blueprint("network_work", __name__, url_prefix="/network")

RAISED = (ConflictError, NotFound, PermissionDenied)


def _record_form(page: group_pages.GroupPage, form: WorkRecordForm | None = None) -> WorkRecordForm:
    form = form or WorkRecordForm(formdata=None)
    form.form.choices = [SelectChoice(value, label) for value, label in group_pages.work_form_choices(page.regulation)]
    form.trainees.choices = [SelectChoice(r.member.person_id, r.member.person.full_name) for r in page.rows]
    if form.held_on.data is None:
        form.held_on.data = page.today
    return form


def render_group(group_id: int, *, status: int = 200, error: str | None = None, error_at: str | None = None,
                 plan_form: WorkPlanForm | None = None, record_form: WorkRecordForm | None = None):
    db = get_db()
    page = group_pages.group_page(db, require_actor(), group_id)
    db.commit()  # the access log (152-ФЗ)
    return render_template("network/group.html", page=page, plan_form=plan_form or WorkPlanForm(formdata=None),
                           record_form=_record_form(page, record_form), error=error, error_at=error_at), status


@bp.route("/groups/<int:group_id>")
@login_required
def group(group_id: int):
    return render_group(group_id)


@bp.route("/groups/<int:group_id>/plan", methods=["POST"])
@login_required
def work_plan(group_id: int):
    actor, db = require_actor(), get_db()
    access.require_group_mentor(db, actor, group_id)
    form = WorkPlanForm()
    if not form.validate_on_submit():
        return render_group(group_id, status=422, error_at="plan", plan_form=form)
    try:
        groups.write_work_plan(db, actor, group_id, form.work_plan.data)
        db.commit()
    except RAISED:
        raise
    except NastavnikError as error:
        db.rollback()
        return render_group(group_id, status=status_for(error), error=place_error(form, error), error_at="plan",
                            plan_form=form)
    flash(_("План работы со стажёрами утверждён (004 III.5)."), "success")
    return redirect(url_for("network_work.group", group_id=group_id))


@bp.route("/groups/<int:group_id>/records", methods=["POST"])
@login_required
def record(group_id: int):
    actor, db = require_actor(), get_db()
    access.require_group_mentor(db, actor, group_id)
    form = WorkRecordForm()
    if not form.validate_on_submit():
        return render_group(group_id, status=422, error_at="records", record_form=form)
    try:
        groups.record_work(db, actor, group_id, form=form.form.data, held_on=form.held_on.data,
                           topic=form.topic.data, trainee_ids=list(form.trainees.data or []), note=form.note.data)
        db.commit()
    except RAISED:
        raise
    except NastavnikError as error:
        db.rollback()
        return render_group(group_id, status=status_for(error), error=place_error(form, error), error_at="records",
                            record_form=form)
    flash(_("Работа записана."), "success")
    return redirect(url_for("network_work.group", group_id=group_id) + "#records")


def render_member(member_id: int, *, status: int = 200, error: str | None = None,
                  plan_form: DevelopmentPlanForm | None = None, decision_form: PlanDecisionForm | None = None,
                  review_form: TraineeReviewForm | None = None):
    db = get_db()
    page = group_pages.member_page(db, require_actor(), member_id)
    db.commit()  # the access log (152-ФЗ)
    if plan_form is None:
        plan_form = DevelopmentPlanForm(formdata=None)
        plan_form.goals.data, plan_form.actions.data = page.member.plan_goals, page.member.plan_actions
    return render_template("network/member.html", page=page, plan_form=plan_form,
                           decision_form=decision_form or PlanDecisionForm(formdata=None),
                           review_form=review_form or TraineeReviewForm(formdata=None), error=error), status


@bp.route("/members/<int:member_id>")
@login_required
def member(member_id: int):
    return render_member(member_id)


def _step(member_id: int, role: str, form, act, done: str, **render):
    """Only the member's trainee or mentor (``role``); validate ``form``, run ``act(db, actor)``; the domain's
    refusal back onto the form, else ``done``."""
    actor, db = require_actor(), get_db()
    access.require_member_role(db, actor, member_id, role)
    if not form.validate_on_submit():
        return render_member(member_id, status=422, **render)
    try:
        act(db, actor)
        db.commit()
    except RAISED:
        raise
    except NastavnikError as error:
        db.rollback()
        return render_member(member_id, status=status_for(error), error=place_error(form, error), **render)
    flash(done, "success")
    return redirect(url_for("network_work.member", member_id=member_id))


@bp.route("/members/<int:member_id>/plan", methods=["POST"])
@login_required
def submit_plan(member_id: int):
    form = DevelopmentPlanForm()
    return _step(member_id, Role.MENTEE, form, lambda db, actor: year.submit_plan(
        db, actor, member_id, goals=form.goals.data, actions=form.actions.data),
        _("План отправлен наставнику на согласование."), plan_form=form)


@bp.route("/members/<int:member_id>/decision", methods=["POST"])
@login_required
def decide_plan(member_id: int):
    form = PlanDecisionForm()
    approved = bool(form.approve.data) and not form.send_back.data
    return _step(member_id, Role.MENTOR, form, lambda db, actor: year.decide_plan(
        db, actor, member_id, approved=approved, comment=form.comment.data or ""),
        _("План согласован.") if approved else _("План возвращён стажёру с комментарием."), decision_form=form)


@bp.route("/members/<int:member_id>/review", methods=["POST"])
@login_required
def review(member_id: int):
    form = TraineeReviewForm()
    return _step(member_id, Role.MENTOR, form,
                 lambda db, actor: year.write_review(db, actor, member_id, form.values()),
                 _("Отзыв о стажёре представлен (004 IV.1)."), review_form=form)


@bp.route("/mentor")
@login_required
def mentor():
    db, actor = get_db(), require_actor()
    access.require_network_role(db, actor, Role.MENTOR)
    return render_template("network/mentor.html", groups=own_pages.my_groups(db, actor))


def render_me(*, status: int = 200, error: str | None = None, diagnosis_form: SelfDiagnosisForm | None = None,
              diagnosis_for: int | None = None):
    db, actor = get_db(), require_actor()
    access.require_network_role(db, actor, Role.MENTEE)
    entries = own_pages.my_entries(db, actor)
    forms = {e.mentee.id: diagnosis_form if diagnosis_for == e.mentee.id and diagnosis_form is not None
             else SelfDiagnosisForm(formdata=None, prefix=f"m{e.mentee.id}") for e in entries}
    return render_template("network/me.html", entries=entries, error=error, diagnosis_for=diagnosis_for,
                           diagnosis_forms=forms), status


@bp.route("/me")
@login_required
def me():
    return render_me()


@bp.route("/me/<int:mentee_id>/diagnosis", methods=["POST"])
@login_required
def diagnosis(mentee_id: int):
    actor, db = require_actor(), get_db()
    access.require_own_entry(db, actor, mentee_id)
    form = SelfDiagnosisForm(prefix=f"m{mentee_id}")
    if not form.validate_on_submit():
        return render_me(status=422, diagnosis_form=form, diagnosis_for=mentee_id)
    try:
        trainees.record_self_diagnosis(db, actor, mentee_id, difficulties=form.difficulties.data,
                                       help_needed=form.help_needed.data, self_rating=form.self_rating.data)
        db.commit()
    except RAISED:
        raise
    except NastavnikError as error:
        db.rollback()
        return render_me(status=status_for(error), error=place_error(form, error), diagnosis_form=form,
                         diagnosis_for=mentee_id)
    flash(_("Самодиагностика сохранена (004 III.3)."), "success")
    return redirect(url_for("network_work.me"))
