"""The bank of practices and cases (issue 18 item 5; 001 §2.2, 002 §3.2, §4.1.4, 003 §3.3, 004 прил. 1 п. 5.1):
the search of approved ones and what waits for review, the form to submit one, one practice with its files, the
curator's approval or return, the author's correction."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.services.people.actor import Role
from engine.services.recognition import practices
from web.access import require_actor, require_role
from web.db import get_db
from web.recognition_forms import download, number, uploads

bp = Blueprint("practices", __name__, url_prefix="/practices")


def _input() -> practices.PracticeInput:
    return practices.PracticeInput(title=request.form.get("title") or "", kind=request.form.get("kind") or "practice",
                                   description=request.form.get("description") or "",
                                   program_id=number("program_id", _("Программа"), required=False), files=uploads("files"))


@bp.route("")
@login_required
def index():
    db, actor = get_db(), require_actor()
    query = (request.args.get("q") or "")[:200]
    page = request.args.get("page", "1")
    found = practices.search(db, actor, query, page=int(page) if page.isdigit() and len(page) < 6 else 1)
    return render_template("recognition/practices.html", found=found, query=query,
                           waiting=practices.waiting(db, actor), kind_label=practices.kind_label,
                           labels=practices.STATUS_LABELS,
                           may_submit=bool(actor.organizations(Role.MENTOR.value) | actor.organizations(Role.CURATOR.value)))


@bp.route("/new", methods=["GET", "POST"])
@require_role(Role.MENTOR, Role.CURATOR)
def new():
    db, actor = get_db(), require_actor()
    organizations = sorted(actor.organizations(Role.MENTOR.value) | actor.organizations(Role.CURATOR.value))
    if request.method == "POST":
        organization_id = number("organization_id", _("Организация")) or 0
        practice = practices.submit(db, actor, organization_id, _input())
        db.commit()
        flash(_("Практика представлена куратору на рассмотрение."), "success")
        return redirect(url_for("practices.show", practice_id=practice.id))
    return render_template("recognition/practice_new.html", organizations=practices.organization_names(
        db, organizations))


@bp.route("/<int:practice_id>")
@login_required
def show(practice_id: int):
    db, actor = get_db(), require_actor()
    practice = practices.readable(db, actor, practice_id)
    return render_template("recognition/practice.html", practice=practice, kind_label=practices.kind_label,
                           label=practices.status_label(practice.status),
                           may_review=actor.has_role(practice.organization_id, Role.CURATOR.value)
                           and practice.status == "submitted",
                           may_correct=actor.person_id == practice.author_id and practice.status == "returned")


@bp.route("/<int:practice_id>/review", methods=["POST"])
@login_required
def review(practice_id: int):
    db = get_db()
    approve = request.form.get("decision") == "approve"
    practices.review(db, require_actor(), practice_id, approve=approve, comment=request.form.get("comment") or "")
    db.commit()
    flash(_("Практика принята в банк практик.") if approve else _("Практика возвращена автору на доработку."),
          "success")
    return redirect(url_for("practices.show", practice_id=practice_id))


@bp.route("/<int:practice_id>/resubmit", methods=["POST"])
@login_required
def resubmit(practice_id: int):
    db = get_db()
    practices.resubmit(db, require_actor(), practice_id, _input())
    db.commit()
    flash(_("Практика исправлена и снова представлена куратору."), "success")
    return redirect(url_for("practices.show", practice_id=practice_id))


@bp.route("/files/<int:file_id>")
@login_required
def file(file_id: int):
    db = get_db()
    row = practices.file_of(db, require_actor(), file_id)
    content, name, kind, sha = row.content, row.file_name, row.content_type, row.sha256
    db.commit()
    return download(content, name, kind, sha)
