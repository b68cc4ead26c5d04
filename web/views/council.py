"""«Совет наставников» (000 §4–5): the council of an organization and its sessions — the curator forms the council,
the curator or the chair schedules a session with its agenda and holds it (who came, the secretary elected), the
members present vote, the secretary records the discussion and draws the protocol up, the chair and the secretary
sign it, the head agrees the adopted decisions (``engine.services.council``). Thin: parse → service → render."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.errors import NastavnikError
from engine.regulations.council_bodies import MENTORS_COUNCIL
from engine.services.council import base, pages, protocol, sessions
from web.access import require_actor
from web.converters import id_arg
from web.db import get_db
from web.downloads import download
from web.errors import status_for

bp = Blueprint("council", __name__, url_prefix="/council")


def _int(name: str) -> int | None:
    raw = request.form.get(name, "").strip()
    return int(raw) if raw.isdigit() else None


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.form.get(name, "").strip())
    except ValueError:
        return None


def _done(action, message: str, back: str):  # noqa: ANN001, ANN202 - a callable of the service; a response
    db = get_db()
    try:
        action()
    except NastavnikError as error:
        db.rollback()
        if status_for(error) in (401, 403, 404):
            raise
        flash(error.message, "error")
        return redirect(back, code=303)
    db.commit()
    flash(message, "success")
    return redirect(back)


def _body() -> str:
    """The collegial body the page or form is about (the pack's ``council_bodies``; the service checks it)."""
    return request.values.get("body", "").strip()[:32] or MENTORS_COUNCIL


def _page(org_id: int) -> str:
    return url_for("council.index", org=org_id, body=_body())


@bp.route("")
@login_required
def index():
    chosen = request.args.get("body", "").strip()[:32] or None
    try:
        page = pages.council_page(get_db(), require_actor(), id_arg("org"), chosen)
    except base.CouncilDataError as error:  # a body the organization's pack does not have
        flash(error.message, "error")
        return redirect(url_for("council.index", org=id_arg("org")), code=303)
    return render_template("council/index.html", page=page)


@bp.route("/<int:org_id>/members", methods=["POST"])
@login_required
def add_member(org_id: int):
    person = _int("person_id")
    return _done(lambda: base.add_member(get_db(), require_actor(), org_id, person or 0, body=_body()),
                 _("Член совета добавлен."), _page(org_id))


@bp.route("/<int:org_id>/members/<int:person_id>/remove", methods=["POST"])
@login_required
def remove_member(org_id: int, person_id: int):
    return _done(lambda: base.remove_member(get_db(), require_actor(), org_id, person_id, body=_body()),
                 _("Член совета исключён из состава."), _page(org_id))


@bp.route("/<int:org_id>/chair", methods=["POST"])
@login_required
def set_chair(org_id: int):
    person = _int("person_id")
    return _done(lambda: base.set_chair(get_db(), require_actor(), org_id, person or 0, body=_body()),
                 _("Председатель совета назначен."), _page(org_id))


@bp.route("/<int:org_id>/sessions", methods=["POST"])
@login_required
def schedule(org_id: int):
    agenda = request.form.get("agenda", "").splitlines()
    return _done(lambda: sessions.schedule(get_db(), require_actor(), org_id, held_on=_day("held_on"),
                                           place=request.form.get("place", ""), agenda=agenda, body=_body(),
                                           considers=request.form.getlist("considers")),
                 _("Сессия совета назначена."), _page(org_id))


@bp.route("/sessions/<int:session_id>")
@login_required
def show(session_id: int):
    return render_template("council/session.html", page=pages.session_page(get_db(), require_actor(), session_id))


def _back(session_id: int) -> str:
    return url_for("council.show", session_id=session_id)


@bp.route("/sessions/<int:session_id>/items", methods=["POST"])
@login_required
def add_item(session_id: int):
    return _done(lambda: sessions.add_item(get_db(), require_actor(), session_id, request.form.get("title", "")),
                 _("Вопрос добавлен в повестку."), _back(session_id))


@bp.route("/sessions/<int:session_id>/hold", methods=["POST"])
@login_required
def hold(session_id: int):
    present = [int(p) for p in request.form.getlist("present") if p.isdigit()]
    return _done(lambda: sessions.hold(get_db(), require_actor(), session_id, present=present,
                                       secretary_id=_int("secretary_id"), votes_for=_int("votes_for") or 0,
                                       votes_against=_int("votes_against") or 0, abstained=_int("abstained") or 0),
                 _("Присутствие отмечено, секретарь избран."), _back(session_id))


@bp.route("/sessions/<int:session_id>/items/<int:item_id>/vote", methods=["POST"])
@login_required
def vote(session_id: int, item_id: int):
    return _done(lambda: sessions.vote(get_db(), require_actor(), session_id, item_id, request.form.get("choice", "")),
                 _("Голос учтён."), _back(session_id))


@bp.route("/sessions/<int:session_id>/items/<int:item_id>/record", methods=["POST"])
@login_required
def record(session_id: int, item_id: int):
    form = request.form
    return _done(lambda: sessions.record_item(get_db(), require_actor(), session_id, item_id,
                                              key_points=form.get("key_points", ""), proposals=form.get("proposals", ""),
                                              decision=form.get("decision", ""),
                                              responsible=form.get("responsible", "")),
                 _("Обсуждение вопроса записано."), _back(session_id))


@bp.route("/sessions/<int:session_id>/protocol", methods=["POST"])
@login_required
def draw_up(session_id: int):
    return _done(lambda: protocol.draw_up(get_db(), require_actor(), session_id),
                 _("Протокол оформлен и направлен на подпись."), _back(session_id))


@bp.route("/sessions/<int:session_id>/sign", methods=["POST"])
@login_required
def sign(session_id: int):
    return _done(lambda: protocol.sign(get_db(), require_actor(), session_id), _("Протокол подписан."),
                 _back(session_id))


@bp.route("/sessions/<int:session_id>/items/<int:item_id>/agreement", methods=["POST"])
@login_required
def agree(session_id: int, item_id: int):
    agreed = request.form.get("agreed") == "yes"
    return _done(lambda: protocol.agree(get_db(), require_actor(), session_id, item_id, agreed=agreed,
                                        note=request.form.get("note", "")),
                 _("Решение согласовано.") if agreed else _("В согласовании решения отказано."), _back(session_id))


@bp.route("/sessions/<int:session_id>/protocol.<any(pdf, docx):kind>")
@login_required
def protocol_file(session_id: int, kind: str):
    made = protocol.protocol_file(get_db(), require_actor(), session_id, kind)
    return download(made.data, made.file_name, made.mimetype)
