"""Forms (Flask-WTF: each carries the CSRF token)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    login = StringField(_l("Логин"), validators=[DataRequired(_l("Введите логин")), Length(max=64)],
                        render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Пароль"), validators=[DataRequired(_l("Введите пароль")), Length(max=1024)],
                             render_kw={"autocomplete": "current-password"})


class LogoutForm(FlaskForm):
    """Logging out is a POST with the CSRF token, so another site cannot log a user out."""
