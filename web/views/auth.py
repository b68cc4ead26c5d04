"""Log in and log out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from engine.services.people import accounts
from web.auth import authenticate, user_for
from web.db import get_db
from web.forms import LoginForm, LogoutForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site (``/inbox?x=1``), never ``//evil``, ``https://evil`` or a control character
    (CR/LF would split the Location header; browsers drop tabs and newlines, turning a slash, a newline and ``/evil`` into ``//evil``)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        db = get_db()
        person = authenticate(db, form.login.data or "", form.password.data or "")
        if person is not None:
            lang = session.get("lang")
            session.clear()  # no session fixation: a fresh session after login
            if lang:
                session["lang"] = lang
            session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME (8 h), checked server-side too
            login_user(user_for(person, db))
            accounts.record_login(db, person)
            db.commit()
            return redirect(_safe_next(request.args.get("next")) or url_for("home.index"))
        # the same words whether the login exists or not: no user enumeration
        form.password.errors = [_("Неверный логин или пароль.")]
        status = 422
    elif form.is_submitted():
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    form = LogoutForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        person_id = current_user.actor.person_id
        logout_user()
        if person_id is not None:
            db = get_db()
            accounts.log_out(db, person_id)  # the cookie, if kept, is no longer a session anywhere
            db.commit()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("Вы вышли из системы."), "info")
    return redirect(url_for("auth.login"))
