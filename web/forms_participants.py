"""Forms of the mentor's and mentee's pages (Flask-WTF: each carries the CSRF token). The forms of
workflow steps take their fields from the engine's form contracts (``web.contract_fields``); the
answers (yes/no) and the 152-ФЗ consent are the page's own."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from engine.errors import NastavnikError
from engine.forms import FormId, describe
from engine.forms.fields import TEXT_MAX
from engine.regulations.pack_parts import ReportIndicator
from engine.services.curation import report_indicators
from engine.services.mentorship.petitions import REASON_MAX
from engine.services.mentorship.roadmap_events import NOTE_MAX
from web.contract_fields import contract_field, contract_label


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
    """The extension (003 §7.2): the months — 0 where the pack lets the petition correct the content only (the
    service refuses it elsewhere) — and the new form of mentorship (choices: the view's, from the pack)."""
    months = StringField(_l("На сколько месяцев продлить"), validators=[
        InputRequired(_l("Укажите срок продления в месяцах"))],
        render_kw={"type": "number", "min": 0, "max": 12, "inputmode": "numeric"})
    new_form = SelectField(_l("Новая форма наставничества"), choices=[], validate_choice=False)

    def validate_months(self, field) -> None:
        raw = (field.data or "").strip()
        if not raw.isdigit() or not 0 <= int(raw) <= 12:
            raise ValidationError(_l("Срок продления — целое число месяцев от 0 до 12"))
        field.data = raw

    @property
    def month_count(self) -> int:
        return int(self.months.data)


class ProgramReportEntry(Form):
    """One program of the mentor's period report (003 п. 3); the events held are the roadmap's, shown beside it."""
    program_id = HiddenField()
    results = TextAreaField(_l("Результаты за период"), validators=[Length(max=TEXT_MAX)], render_kw={"rows": 3})
    difficulties = TextAreaField(_l("Трудности"), validators=[Length(max=TEXT_MAX)], render_kw={"rows": 2})
    mentee_progress = TextAreaField(_l("Продвижение наставляемого"), validators=[Length(max=TEXT_MAX)],
                                    render_kw={"rows": 2})

    def validate_results(self, field) -> None:
        if not (field.data or "").strip():
            raise ValidationError(_l("Программа № %(n)s: напишите результаты за период.", n=self.program_id.data))


class MentorPeriodReportForm(FlaskForm):
    """The mentor's periodic report (003 п. 3: до 10 июня, до 10 декабря): per program results (required),
    difficulties, the mentee's progress; a general comment."""
    contract = FormId.MENTOR_PERIOD_REPORT
    programs = FieldList(FormField(ProgramReportEntry), contract_label(contract, "programs"),
                         max_entries=describe(contract)["programs"].max_length)  # the contract's most programs
    comment = contract_field(contract, "comment", render_kw={"rows": 4})
    version = HiddenField()

    def prefill(self, programs: list[dict]) -> None:
        """One entry per program of the period, in the engine's order (a fresh page)."""
        for program in programs:
            self.programs.append_entry({"program_id": str(program["program_id"])})

    indicators: tuple[ReportIndicator, ...] = ()

    def values(self) -> list[dict]:
        return [{"program_id": str(entry.program_id.data or ""), "results": entry.results.data or "",
                 "difficulties": entry.difficulties.data or "", "mentee_progress": entry.mentee_progress.data or "",
                 **({"indicators": {i.id: entry[INDICATOR_PREFIX + i.id].data or "" for i in self.indicators}}
                    if self.indicators else {})}
                for entry in self.programs]

    def expected_version(self) -> int | None:
        return int(self.version.data) if (self.version.data or "").isdigit() else None


INDICATOR_PREFIX = "indicator_"
_INPUTS = {"percent": {"type": "number", "min": 0, "max": 100, "step": "0.1", "inputmode": "decimal"},
           "count": {"type": "number", "min": 0, "step": 1, "inputmode": "numeric"}}


def _indicator_check(indicator: ReportIndicator):  # noqa: ANN202 - a WTForms inline validator
    def check(form: Form, field: StringField) -> None:
        try:
            report_indicators.checked((indicator,), {indicator.id: field.data}, form.program_id.data)
        except NastavnikError as error:
            raise ValidationError(error.message[:1].upper() + error.message[1:] + ".") from None
    return check


def period_report_form(indicators: tuple[ReportIndicator, ...]) -> MentorPeriodReportForm:
    """The report's form with a field per indicator the organization's regulation names (002 §5: percents 0–100,
    counts, texts) in every program's entry; the plain form where it names none. The engine checks them again."""
    if not indicators:
        return MentorPeriodReportForm()
    fields = {}
    for indicator in indicators:
        kind = TextAreaField if indicator.kind == "text" else StringField
        fields[INDICATOR_PREFIX + indicator.id] = kind(
            indicator.label, validators=[_indicator_check(indicator)],
            render_kw=_INPUTS.get(indicator.kind, {"rows": 2, "maxlength": report_indicators.TEXT_MAX}))
    entry = type("ProgramIndicatorsEntry", (ProgramReportEntry,), fields)
    form = type("MentorPeriodReportIndicatorsForm", (MentorPeriodReportForm,), {
        "programs": FieldList(FormField(entry), MentorPeriodReportForm.programs.args[0],
                              max_entries=describe(FormId.MENTOR_PERIOD_REPORT)["programs"].max_length),
        "indicators": indicators})
    return form()
