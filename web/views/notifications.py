"""«Уведомления»: my notifications newest first (unread marked), marking them read, opening one (marked read, then
its page — a local path only), and «Настройки уведомлений»: per kind, e-mail at once, a daily digest or none.
Only one's own (another's id is a 403). The bell's count on every page: ``web.nav``."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm

from engine.db.models import EMAIL_CHOICE_LABELS, EmailChoice
from engine.errors import NastavnikError
from engine.services.notifications import inbox, preferences
from engine.services.notifications.kinds import KINDS
from web.access import require_actor
from web.converters import page_arg
from web.db import get_db
from web.errors import status_for

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


class ActionForm(FlaskForm):
    """A button's form: only the CSRF token."""


def _back() -> str:
    page = request.form.get("page", "")
    unread = request.form.get("unread") == "1"
    args: dict = {"page": int(page)} if page.isdigit() and int(page) > 1 else {}
    if unread:
        args["unread"] = 1
    return url_for("notifications.index", **args)


@bp.route("")
@login_required
def index():
    actor = require_actor()
    page, unread_only = page_arg(), request.args.get("unread") == "1"
    found = inbox.listing(get_db(), actor, unread_only=unread_only, offset=(page - 1) * inbox.PER_PAGE)
    pages = max((found.total + inbox.PER_PAGE - 1) // inbox.PER_PAGE, 1)  # known (more: counted up to page + bound)
    return render_template("notifications/index.html", found=found, page=page, pages=pages, unread_only=unread_only,
                           form=ActionForm(), kinds=KINDS)


@bp.route("/<int(max=2147483647):notification_id>/read", methods=["POST"])
@login_required
def read(notification_id: int):
    form = ActionForm()
    db = get_db()
    inbox.mark_read(db, require_actor(), notification_id)  # another's: 403 before anything else
    if not form.validate():
        raise NastavnikError(_("Форма пришла без отметки безопасности; обновите страницу."), where="csrf_token")
    db.commit()
    return redirect(_back())


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all():
    form = ActionForm()
    if not form.validate():
        raise NastavnikError(_("Форма пришла без отметки безопасности; обновите страницу."), where="csrf_token")
    db = get_db()
    count = inbox.mark_all_read(db, require_actor())
    db.commit()
    if count:
        flash(_("Все уведомления отмечены прочитанными."), "success")
    return redirect(_back())


@bp.route("/<int(max=2147483647):notification_id>/open", methods=["POST"])
@login_required
def open_one(notification_id: int):
    """«Перейти»: marked read, then its page (a path of this site only)."""
    form = ActionForm()
    db = get_db()
    target = inbox.open_notification(db, require_actor(), notification_id)  # another's: 403 first
    if not form.validate():
        raise NastavnikError(_("Форма пришла без отметки безопасности; обновите страницу."), where="csrf_token")
    db.commit()
    return redirect(target)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    actor = require_actor()
    db = get_db()
    form = ActionForm()
    status, error = 200, None
    if request.method == "POST":
        wanted = {code: request.form.get(code, "") for code in KINDS if code in request.form}
        if not form.validate():
            status, error = 422, _("Форма пришла без отметки безопасности; обновите страницу.")
        else:
            try:
                preferences.set_choices(db, actor, actor.person_id or 0, wanted)
                db.commit()
            except NastavnikError as refused:
                db.rollback()
                status, error = status_for(refused), refused.message
                if status != 422:
                    raise
            else:
                flash(_("Настройки уведомлений сохранены."), "success")
                return redirect(url_for("notifications.settings"))
    chosen = preferences.choices(db, actor.person_id or 0)
    return render_template("notifications/settings.html", form=form, kinds=KINDS, chosen=chosen, error=error,
                           labels=EMAIL_CHOICE_LABELS, options=list(EmailChoice)), status
