"""The curator's step forms, one per BPMN form id (workflows/*.bpmn header comments list the data each
writes). ``values()`` gives what engine.services.curation.steps.task_data expects; the engine checks the
domain rules again, and its errors come back onto the field they name (``NastavnikError.where``,
``web.errors.place_error``)."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

TEXT_LIMIT = 8000


class CuratorTaskForm(FlaskForm):
    version = HiddenField()  # the instance version the curator saw: a change since then is a conflict

    def values(self) -> dict[str, Any]:
        return {}

    def expected_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


def _comment(label, *, required_message=None) -> TextAreaField:
    # no Optional(): it would stop the chain before the form's own validate_comment
    validators = [DataRequired(required_message)] if required_message else []
    return TextAreaField(label, validators=[*validators, Length(max=TEXT_LIMIT)])


class ReviewStageReportForm(CuratorTaskForm):
    comment = _comment(_l("Комментарий куратора"))
    approve = SubmitField(_l("Принять отчёт"))
    send_back = SubmitField(_l("Вернуть на доработку"))

    def validate_comment(self, field) -> None:
        if self.send_back.data and not (field.data or "").strip():
            raise ValidationError(_l("Чтобы вернуть отчёт, напишите в комментарии, что исправить."))

    def values(self) -> dict[str, Any]:
        return {"approved": bool(self.approve.data) and not self.send_back.data, "comment": self.comment.data or ""}


class HandleEscalationForm(CuratorTaskForm):
    comment = _comment(_l("Принятые меры"), required_message=_l("Опишите принятые меры."))
    submit = SubmitField(_l("Меры приняты"))

    def values(self) -> dict[str, Any]:
        return {"comment": self.comment.data or ""}


class AcknowledgeReminderForm(CuratorTaskForm):
    comment = _comment(_l("Комментарий (необязательно)"))
    submit = SubmitField(_l("Напоминание получено"))

    def values(self) -> dict[str, Any]:
        return {"comment": self.comment.data or ""}


class DecidePetitionForm(CuratorTaskForm):
    new_mentor_id = SelectField(_l("Новый наставник (назначенный приказом, 003 §3.4)"), coerce=int,
                                validate_choice=False)
    comment = _comment(_l("Комментарий (при отказе — причина)"))
    approve = SubmitField(_l("Удовлетворить"))
    reject = SubmitField(_l("Отказать"))

    def setup(self, mentors: list, needs_mentor: bool) -> None:
        self.needs_mentor = needs_mentor
        self.new_mentor_id.choices = [SelectChoice(0, "—")] + [SelectChoice(p.id, p.full_name) for p in mentors]

    def validate_new_mentor_id(self, field) -> None:
        if getattr(self, "needs_mentor", False) and self.approve.data:
            if not field.data or field.data not in {choice.value for choice in field.choices}:
                raise ValidationError(_l("Выберите нового наставника из назначенных приказом."))

    def validate_comment(self, field) -> None:
        if self.reject.data and not (field.data or "").strip():
            raise ValidationError(_l("При отказе укажите причину."))

    def values(self) -> dict[str, Any]:
        data: dict[str, Any] = {"approved": bool(self.approve.data) and not self.reject.data,
                                "comment": self.comment.data or ""}
        if getattr(self, "needs_mentor", False) and self.new_mentor_id.data:
            data["new_mentor_id"] = self.new_mentor_id.data
        return data


class PetitionExtensionForm(CuratorTaskForm):
    extension_months = IntegerField(
        _l("На сколько месяцев продлить"),
        validators=[InputRequired(_l("Укажите срок продления в месяцах.")),
                    NumberRange(min=1, max=24, message=_l("Срок продления — от 1 до 24 месяцев."))])
    justification = _comment(_l("Обоснование ходатайства (003 §7.2)"),
                             required_message=_l("Обоснуйте ходатайство о продлении."))
    submit = SubmitField(_l("Направить ходатайство руководителю"))

    def values(self) -> dict[str, Any]:
        return {"extension_months": self.extension_months.data, "justification": self.justification.data or ""}


class CompleteProgramForm(CuratorTaskForm):
    final_report = _comment(_l("Итоговый аналитический отчёт (003 §3.3)"),
                            required_message=_l("Напишите итоговый аналитический отчёт."))
    attended_mentor_events = BooleanField(_l("Наставник участвовал в мероприятиях для наставников "
                                             "(конференции, форумы) — 003 §9.3"))
    analytical_materials = BooleanField(_l("Есть аналитические и методические материалы, обобщающие опыт "
                                           "наставничества — 003 §9.3"))
    submit = SubmitField(_l("Подвести итоги и подготовить приказ"))

    def values(self) -> dict[str, Any]:
        return {"final_report": self.final_report.data or "",
                "attended_mentor_events": bool(self.attended_mentor_events.data),
                "analytical_materials": bool(self.analytical_materials.data)}


class ProposeMentorForm(CuratorTaskForm):
    direction = StringField(_l("Направление деятельности (для сетевого наставника, 004 III.2)"),
                            validators=[Optional(), Length(max=200)])
    comment = _comment(_l("Комментарий"))
    submit = SubmitField(_l("Проверить кандидата по данным реестра"))

    def values(self) -> dict[str, Any]:
        return {"direction": self.direction.data or "", "comment": self.comment.data or ""}


class ProposePairForm(CuratorTaskForm):
    comment = _comment(_l("Комментарий"))
    submit = SubmitField(_l("Проверить пару по данным реестра"))

    def values(self) -> dict[str, Any]:
        return {"comment": self.comment.data or ""}


CURATOR_FORMS: dict[str, type[CuratorTaskForm]] = {
    "review_stage_report": ReviewStageReportForm,
    "handle_escalation": HandleEscalationForm,
    "acknowledge_reminder": AcknowledgeReminderForm,
    "decide_petition": DecidePetitionForm,
    "petition_extension": PetitionExtensionForm,
    "complete_program": CompleteProgramForm,
    "propose_mentor": ProposeMentorForm,
    "propose_pair": ProposePairForm,
}
