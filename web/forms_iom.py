"""The forms of the ИОМ pages (002 §4.2.2): opening a route, a step's sections (read by the step's own fields, which
the engine names: ``engine.services.iom.steps``), the yearly review, attaching a program. Only the CSRF token and
the choices are WTForms fields; what the engine checks (years, order of steps, required sections) it refuses in its
own words, put back on the page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional


class CsrfOnlyForm(FlaskForm):
    """A step's form: its sections are the step's fields, read from the request by their ids."""


class OpenRouteForm(FlaskForm):
    teacher_id = SelectField(_l("Педагог"), coerce=int)
    tutor_id = SelectField(_l("Тьютор"), coerce=int)
    years = SelectField(_l("Срок маршрута"), choices=[SelectChoice("5", _l("5 лет")), SelectChoice("4", _l("4 года"))])

    def setup(self, people: list[tuple[int, str]]) -> None:
        self.teacher_id.choices = [SelectChoice(value, label) for value, label in people]
        self.tutor_id.choices = [SelectChoice(0, _l("— без тьютора —")),
                                 *(SelectChoice(value, label) for value, label in people)]


class ReviewForm(FlaskForm):
    conclusion = TextAreaField(_l("Вывод о ходе маршрута за год"), validators=[Length(max=8000)])
    corrections = TextAreaField(_l("Корректировка дорожной карты (002 §4.2.2 (6))"),
                                validators=[Optional(), Length(max=8000)])


class AttachProgramForm(FlaskForm):
    program_id = SelectField(_l("Программа"), coerce=int)
    note = StringField(_l("Примечание"), validators=[Optional(), Length(max=500)])
