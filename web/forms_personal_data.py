"""The anonymization form (152-ФЗ): the reason and, since it cannot be undone, the person's full name typed again."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class AnonymizeForm(FlaskForm):
    reason = TextAreaField(_l("Основание (например, заявление субъекта персональных данных от …)"), validators=[
        DataRequired(_l("Укажите основание обезличивания.")), Length(max=1000)], render_kw={"rows": 3})
    confirmation = StringField(_l("Для подтверждения введите ФИО человека, как в записи"), validators=[
        DataRequired(_l("Введите ФИО человека: обезличивание нельзя отменить.")), Length(max=300)],
        render_kw={"autocomplete": "off"})
