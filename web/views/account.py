"""The public page of a one-time account link (issue 12): the person the administrator invited (or whose password
was reset) sets their password here. An unknown link is a Russian 404 page, a used, revoked or expired one a 410
page — never a 500; failed attempts are rate-limited per client address like the login (``web.ratelimit``)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from engine.errors import NastavnikError, NotFound
from engine.services.administration import account_links
from web.db import get_db
from web.errors import place_error, status_for

bp = Blueprint("account", __name__, url_prefix="/account")


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("Новый пароль (не короче 8 знаков)"), validators=[
        DataRequired(_l("Введите пароль")), Length(max=account_links.MAX_PASSWORD)],
        render_kw={"autocomplete": "new-password", "autofocus": True})
    confirm = PasswordField(_l("Пароль ещё раз"), validators=[
        DataRequired(_l("Повторите пароль")), EqualTo("password", _l("Пароли не совпадают"))],
        render_kw={"autocomplete": "new-password"})


@bp.route("/<string(maxlength=200):token>", methods=["GET", "POST"])
def link(token: str):
    db = get_db()
    record = account_links.link_for(db, token)  # 404 unknown, 410 used / revoked / expired
    person = record.person
    form = SetPasswordForm()
    status, error = 200, None
    if form.validate_on_submit():
        try:
            account_links.use_link(db, token, form.password.data or "")
            db.commit()
        except NotFound:
            raise
        except NastavnikError as refused:
            db.rollback()
            error, status = place_error(form, refused), status_for(refused)
            if status != 422:
                raise
        else:
            flash(_("Пароль задан. Войдите с логином «%(login)s» и новым паролем.", login=person.login), "success")
            return redirect(url_for("auth.login"))
    elif form.is_submitted():
        status = 422
    return render_template("account/set_password.html", form=form, person=person, record=record, error=error,
                           invitation=record.purpose == "invitation"), status, {"Cache-Control": "no-store",
                                                                               "Referrer-Policy": "no-referrer"}
