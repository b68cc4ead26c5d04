"""Forms of the network mentoring pages (004 III.3–IV.1). The steps of the network processes take their fields
from the engine's form contracts (``web.contract_fields``); entering a trainee, the diagnosis and the work records
are the service's own forms (``engine.services.network``), with the same limits."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from engine.forms import FormId
from engine.vocabulary import READINESS_LABELS
from web.contract_fields import contract_field, contract_label

TEXT_MAX = 5000  # engine.services.network.trainees.TEXT_LIMIT


class RegisterTraineeForm(FlaskForm):
    person_id = SelectField(_l("Педагог (работник образовательной организации)"), coerce=int, validate_choice=False)
    category = SelectField(_l("Категория стажёра (004 I.3)"), validate_choice=False)
    direction = StringField(_l("Направление профессиональной деятельности, по которому нужна помощь (004 III.3)"),
                            validators=[DataRequired(_l("Укажите направление")), Length(max=200)])
    submit = SubmitField(_l("Внести в базу стажёров"))


class SelfDiagnosisForm(FlaskForm):
    difficulties = TextAreaField(_l("Какие профессиональные компетенции по направлению вызывают затруднения"),
                                 validators=[DataRequired(_l("Опишите затруднения")), Length(max=TEXT_MAX)],
                                 render_kw={"rows": 3})
    help_needed = TextAreaField(_l("Какая методическая помощь нужна"),
                                validators=[DataRequired(_l("Опишите, какая помощь нужна")), Length(max=TEXT_MAX)],
                                render_kw={"rows": 3})
    self_rating = RadioField(_l("Насколько уверенно вы владеете компетенциями направления"), coerce=int,
                             choices=[SelectChoice(1, _l("1 — серьёзные затруднения")), SelectChoice(2, "2"),
                                      SelectChoice(3, "3"), SelectChoice(4, "4"),
                                      SelectChoice(5, _l("5 — владею уверенно"))],
                             validators=[InputRequired(_l("Выберите оценку от 1 до 5"))])
    submit = SubmitField(_l("Сохранить самодиагностику"))


class MonitoringForm(FlaskForm):
    conducted_by = StringField(_l("Кто провёл мониторинг (администрация образовательной организации)"),
                               validators=[DataRequired(_l("Укажите, кто провёл мониторинг")), Length(max=300)])
    difficulties = TextAreaField(_l("Выявленные затруднения в профессиональной деятельности"),
                                 validators=[DataRequired(_l("Опишите затруднения")), Length(max=TEXT_MAX)],
                                 render_kw={"rows": 3})
    help_needed = TextAreaField(_l("Какая методическая помощь нужна"),
                                validators=[DataRequired(_l("Опишите, какая помощь нужна")), Length(max=TEXT_MAX)],
                                render_kw={"rows": 3})
    submit = SubmitField(_l("Записать результаты мониторинга"))


class FormGroupForm(FlaskForm):
    contract = FormId.FORM_NETWORK_GROUP  # mentor_id and trainee_ids: the engine takes them from these choices
    mentor = SelectField(contract_label(contract, "mentor_id"), coerce=int, validate_choice=False,
                         validators=[InputRequired(_l("Выберите сетевого наставника"))])
    trainees = SelectMultipleField(contract_label(contract, "trainee_ids"), coerce=int, validate_choice=False,
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                                   validators=[DataRequired(_l("Отметьте стажёров группы"))])
    comment = contract_field(contract, "comment", render_kw={"rows": 2})
    submit = SubmitField(_l("Сформировать группу и передать список наставнику"))


class WorkPlanForm(FlaskForm):
    contract = FormId.MENTOR_WORK_PLAN
    work_plan = contract_field(contract, "work_plan", required=_l("Напишите план работы со стажёрами"),
                               render_kw={"rows": 8})
    submit = SubmitField(_l("Утвердить план работы"))


class DevelopmentPlanForm(FlaskForm):
    contract = FormId.DEVELOPMENT_PLAN
    goals = contract_field(contract, "goals", required=_l("Напишите цели"), render_kw={"rows": 4})
    actions = contract_field(contract, "actions", required=_l("Напишите мероприятия и сроки"), render_kw={"rows": 6})
    submit = SubmitField(_l("Отправить план наставнику"))


class PlanDecisionForm(FlaskForm):
    contract = FormId.ACCEPT_DEVELOPMENT_PLAN
    comment = contract_field(contract, "comment", render_kw={"rows": 3})
    approve = SubmitField(_l("Согласовать план"))
    send_back = SubmitField(_l("Вернуть на доработку"))


YES_NO = [SelectChoice("yes", _l("Да, выполнен")), SelectChoice("no", _l("Нет, выполнен не полностью"))]


class TraineeReviewForm(FlaskForm):
    contract = FormId.TRAINEE_REVIEW
    plan_fulfilled = RadioField(contract_label(contract, "plan_fulfilled"), choices=YES_NO,
                                validators=[InputRequired(_l("Отметьте, выполнен ли план"))])
    fulfilment = contract_field(contract, "fulfilment", required=_l("Напишите о выполнении плана"),
                                render_kw={"rows": 4})
    business_qualities = contract_field(contract, "business_qualities", required=_l("Опишите деловые качества"),
                                        render_kw={"rows": 3})
    readiness = RadioField(contract_label(contract, "readiness"),
                           choices=[SelectChoice(level.value, label) for level, label in READINESS_LABELS.items()],
                           validators=[InputRequired(_l("Выберите степень готовности"))])
    activity_results = contract_field(contract, "activity_results", render_kw={"rows": 3})
    submit = SubmitField(_l("Представить отзыв"))

    def values(self) -> dict:
        return {"plan_fulfilled": self.plan_fulfilled.data == "yes", "fulfilment": self.fulfilment.data or "",
                "business_qualities": self.business_qualities.data or "", "readiness": self.readiness.data,
                "activity_results": self.activity_results.data or ""}


class WorkRecordForm(FlaskForm):
    form = SelectField(_l("Форма работы (004 III.6)"), validate_choice=False)
    held_on = DateField(_l("Дата"), validators=[InputRequired(_l("Укажите дату"))])
    topic = StringField(_l("Тема"), validators=[DataRequired(_l("Укажите тему")), Length(max=300)])
    trainees = SelectMultipleField(_l("Стажёры"), coerce=int, validate_choice=False,
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                                   validators=[DataRequired(_l("Отметьте стажёров, с которыми проведена работа"))])
    note = TextAreaField(_l("Заметка"), validators=[Length(max=TEXT_MAX)], render_kw={"rows": 2})
    submit = SubmitField(_l("Записать"))
