"""Forms of the mentor's and mentee's pages (Flask-WTF: each carries the CSRF token). The forms of
workflow steps take their fields from the engine's form contracts (``web.contract_fields``); the
answers (yes/no) and the 152-ФЗ consent are the page's own."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    RadioField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from engine.forms import FormId
from engine.services.mentorship.petitions import REASON_MAX
from engine.services.mentorship.roadmap_events import NOTE_MAX
from web.contract_fields import contract_field


class EventForm(FlaskForm):
    """An event's note and files; whether and when it was held is the stage table's form (``web.event_marks``)."""
    note = TextAreaField(_l("Заметка"), validators=[Length(max=NOTE_MAX)], render_kw={"rows": 2})
    files = MultipleFileField(_l("Файлы"))


class StageReportForm(FlaskForm):
    contract = FormId.STAGE_WORK  # events_done: the mentor's marks on the roadmap (EventForm)
    report = contract_field(contract, "report", required=_l("Напишите текст отчёта об этапе"), render_kw={"rows": 8})
    files = MultipleFileField(_l("Приложения к отчёту"))
    version = HiddenField()


class ReminderForm(FlaskForm):
    contract = FormId.ACKNOWLEDGE_REMINDER
    comment = contract_field(contract, "comment", render_kw={"rows": 2})


YES_NO = [SelectChoice("yes", _l("Согласен(на)")), SelectChoice("no", _l("Не согласен(на)"))]


class AgreeExtensionForm(FlaskForm):
    contract = FormId.AGREE_EXTENSION
    agreed = RadioField(_l("Ваш ответ"), choices=YES_NO, validators=[InputRequired(_l("Выберите ответ"))])
    comment = contract_field(contract, "comment", render_kw={"rows": 2})


class ConsentForm(FlaskForm):
    contract = FormId.GIVE_CONSENT
    consent = RadioField(_l("Ваш ответ"), choices=YES_NO, validators=[InputRequired(_l("Выберите ответ"))])
    personal_data = BooleanField(_l("Даю согласие на обработку персональных данных"))  # 152-ФЗ, the page's own
    comment = contract_field(contract, "comment", render_kw={"rows": 2})


class PetitionForm(FlaskForm):
    reason = TextAreaField(_l("Обоснование"), validators=[
        DataRequired(_l("Укажите обоснование ходатайства")), Length(max=REASON_MAX)], render_kw={"rows": 5})


class ExtensionPetitionForm(PetitionForm):
    months = StringField(_l("На сколько месяцев продлить"), validators=[
        InputRequired(_l("Укажите срок продления в месяцах"))],
        render_kw={"type": "number", "min": 1, "max": 12, "inputmode": "numeric"})

    def validate_months(self, field) -> None:
        raw = (field.data or "").strip()
        if not raw.isdigit() or not 1 <= int(raw) <= 12:
            raise ValidationError(_l("Срок продления — целое число месяцев от 1 до 12"))
        field.data = raw

    @property
    def month_count(self) -> int:
        return int(self.months.data)
