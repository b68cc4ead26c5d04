"""Incentives and the best-mentor contest (issue 18 item 4; 002 §3.4, 003 §9.1, 004 прил. 2 п. 9.1): a mentor's
incentives (the mentor's own page, the staff's with the form to record one), the document of one; the contests —
the list and the announcement, one contest with its nominations, the jury's scores, the result and its order."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.errors import NotFound, PermissionDenied
from engine.services.people.actor import Role
from engine.services.recognition import contests, incentives
from engine.services.recognition.basics import RECORDERS, people_in_tree
from web.access import require_actor, require_role
from web.converters import date_arg
from web.db import get_db
from web.recognition_forms import download, number, upload

bp = Blueprint("incentives", __name__, url_prefix="/incentives")


def _require_recorder_somewhere(actor) -> None:
    if not any(role in RECORDERS for _org, role in actor.roles):
        raise PermissionDenied(_("%(who)s: это действие доступно куратору или руководителю",
                                 who=actor.full_name or actor.login))


def _mentor_page(person_id: int):
    db, actor = get_db(), require_actor()
    found = incentives.of_mentor(db, actor, person_id)
    kinds = {org: incentives.kinds_for(db, org) for org in found.may_record_in}
    db.commit()  # the access log
    return render_template("recognition/mentor.html", found=found, kinds=kinds, today=date.today())


@bp.route("/my")
@require_role(Role.MENTOR)
def my():
    return _mentor_page(require_actor().person_id or 0)


@bp.route("/mentors/<int:person_id>", methods=["GET", "POST"])
@login_required
def mentor(person_id: int):
    db, actor = get_db(), require_actor()
    if request.method == "POST":
        _require_recorder_somewhere(actor)
        incentives.of_mentor(db, actor, person_id)  # the mentor is one the actor may see
        organization_id = number("organization_id", _("Организация"))
        assert organization_id is not None
        incentives.record(db, actor, organization_id, person_id, incentives.IncentiveInput(
            kind=(request.form.get("kind") or "").strip(), basis=request.form.get("basis") or "",
            awarded_on=date_arg("awarded_on", _("Дата"), form=True), program_id=number("program_id", _("Программа"), required=False),
            percent=number("percent", _("Надбавка в процентах"), required=False), document=upload("document")))
        db.commit()
        flash(_("Поощрение записано."), "success")
        return redirect(url_for("incentives.mentor", person_id=person_id))
    return _mentor_page(person_id)


@bp.route("/<int:incentive_id>/document")
@login_required
def document(incentive_id: int):
    db = get_db()
    row = incentives.document_of(db, require_actor(), incentive_id)
    content, name, kind, sha = row.document_content or b"", row.document_name or "", row.document_type or "", \
        row.document_sha256 or ""
    db.commit()
    return download(content, name, kind, sha)


@bp.route("/contests", methods=["GET", "POST"])
@login_required
def contest_list():
    db, actor = get_db(), require_actor()
    if request.method == "POST":
        _require_recorder_somewhere(actor)
        organization_id = number("organization_id", _("Организация"))
        assert organization_id is not None
        jurors = [int(v) for v in request.form.getlist("juror_ids") if v.isdigit() and len(v) < 10]
        contest = contests.announce(db, actor, organization_id, request.form.get("title") or "",
                                    number("winners_count", _("Число победителей")) or 0, jurors)
        db.commit()
        flash(_("Конкурс объявлен."), "success")
        return redirect(url_for("incentives.contest", contest_id=contest.id))
    organizations = sorted({org for org, role in actor.roles if role in RECORDERS})
    choices = {org: people_in_tree(db, org) for org in organizations}
    return render_template("recognition/contests.html", contests=contests.visible(db, actor), choices=choices,
                           labels=contests.CONTEST_LIFECYCLE.labels)


@bp.route("/contests/<int:contest_id>")
@login_required
def contest(contest_id: int):
    db, actor = get_db(), require_actor()
    found = contests.readable(db, actor, contest_id)
    mentors = people_in_tree(db, found.organization_id, Role.MENTOR.value)
    staff = [p for p in people_in_tree(db, found.organization_id)
             if p.id not in {j.person_id for j in found.jurors}] if found.status == "nominating" else []
    my_votes = contests.votes_of(db, found, actor.person_id)
    return render_template("recognition/contest.html", contest=found, mentors=mentors, people=staff, my_votes=my_votes,
                           standings=contests.standings(db, found), missing=contests.missing_votes(db, found),
                           label=contests.CONTEST_LIFECYCLE.label(found.status),
                           may_run=any(actor.has_role(found.organization_id, r) for r in RECORDERS),
                           is_juror=actor.person_id in {j.person_id for j in found.jurors})


@bp.route("/contests/<int:contest_id>/<action>", methods=["POST"])
@login_required
def contest_action(contest_id: int, action: str):
    db, actor = get_db(), require_actor()
    if action == "nominate":
        contests.nominate(db, actor, contest_id, number("mentor_id", _("Наставник"), required=False),
                          request.form.get("basis") or "")
        message = _("Наставник выдвинут на конкурс.")
    elif action == "juror":
        contests.add_juror(db, actor, contest_id, number("person_id", _("Член жюри"), required=False))
        message = _("Член жюри добавлен.")
    elif action == "open":
        contests.open_voting(db, actor, contest_id)
        message = _("Голосование жюри открыто.")
    elif action == "vote":
        contests.vote(db, actor, contest_id, number("nomination_id", _("Кандидат"), required=False),
                      number("score", _("Оценка"), required=False))
        message = _("Оценка сохранена.")
    elif action == "result":
        contests.compute_result(db, actor, contest_id)
        message = _("Итоги подведены; приказ об итогах направлен руководителю на подпись.")
    else:
        raise NotFound(_("нет такого действия"))
    db.commit()
    flash(message, "success")
    return redirect(url_for("incentives.contest", contest_id=contest_id))
