"""Forms (Flask-WTF: each carries the CSRF token)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from engine.forms import EXTENSION_MONTHS


class LoginForm(FlaskForm):
    login = StringField(_l("Логин"), validators=[DataRequired(_l("Введите логин")), Length(max=64)],
                        render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Пароль"), validators=[DataRequired(_l("Введите пароль")), Length(max=1024)],
                             render_kw={"autocomplete": "current-password"})


class LogoutForm(FlaskForm):
    """Logging out is a POST with the CSRF token, so another site cannot log a user out."""


class CuratorPetitionForm(FlaskForm):
    """The curator's own petition from the program page: ending the program on her initiative (003 §7.1)."""

    reason = TextAreaField(_l("Обоснование (войдёт в приказ)"), validators=[
        DataRequired(_l("Укажите обоснование: оно войдёт в приказ.")), Length(max=4000)], render_kw={"rows": 5})


class CuratorExtensionForm(CuratorPetitionForm):
    """The curator's petition to the head for an extension (003 §7.2): the term and the grounds."""

    months = IntegerField(_l("На сколько месяцев продлить"), validators=[
        InputRequired(_l("Укажите срок продления в месяцах.")),
        NumberRange(min=0, max=EXTENSION_MONTHS[1],
                    message=_l("Срок продления — от %(min)s до %(max)s месяцев."))])
    # 003 §7.2 «или корректировка ее содержания»: 0 months with a new form or approved plan changes, where the
    # pack allows it (the service checks); the choices are the view's, from the pack
    new_form = SelectField(_l("Новая форма наставничества"), choices=[], validate_choice=False)
