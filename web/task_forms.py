"""The curator's step forms, one per BPMN form id, built from the engine's form contracts
(``engine.forms``: labels, limits; ``web.contract_fields``) — the page adds the buttons and the
messages of what the domain demands. ``values()`` gives what engine.services.curation.step_completion.task_data
expects; the engine checks the contract and the domain rules again, and its errors come back onto the
field they name (``NastavnikError.where``, ``web.errors.place_error``)."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from engine.forms import FormId
from web.contract_fields import contract_field, contract_label


class CuratorTaskForm(FlaskForm):
    contract: str = ""  # the form id whose contract the page shows
    version = HiddenField()  # the instance version the curator saw: a change since then is a conflict

    def values(self) -> dict[str, Any]:
        return {}

    def expected_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


# no Optional() on the comments: it would stop the chain before a form's own validate_comment

class ReviewStageReportForm(CuratorTaskForm):
    contract = FormId.REVIEW_STAGE_REPORT
    comment = contract_field(contract, "comment")
    approve = SubmitField(_l("Принять отчёт"))
    send_back = SubmitField(_l("Вернуть на доработку"))

    def validate_comment(self, field) -> None:
        if self.send_back.data and not (field.data or "").strip():
            raise ValidationError(_l("Чтобы вернуть отчёт, напишите в комментарии, что исправить."))

    def values(self) -> dict[str, Any]:
        return {"approved": bool(self.approve.data) and not self.send_back.data, "comment": self.comment.data or ""}


class HandleEscalationForm(CuratorTaskForm):
    contract = FormId.HANDLE_ESCALATION
    comment = contract_field(contract, "comment", required=_l("Опишите принятые меры."))
    submit = SubmitField(_l("Меры приняты"))

    def values(self) -> dict[str, Any]:
        return {"comment": self.comment.data or ""}


class MentorReportOverdueForm(CuratorTaskForm):
    """A mentor's period report not filed by its date (003 п. 3): the measures the curator took."""
    contract = FormId.MENTOR_REPORT_OVERDUE
    comment = contract_field(contract, "comment", required=_l("Опишите принятые меры."))
    submit = SubmitField(_l("Меры приняты"))

    def values(self) -> dict[str, Any]:
        return {"comment": self.comment.data or ""}


class AcknowledgeReminderForm(CuratorTaskForm):
    contract = FormId.ACKNOWLEDGE_REMINDER
    comment = contract_field(contract, "comment")
    submit = SubmitField(_l("Напоминание получено"))

    def values(self) -> dict[str, Any]:
        return {"comment": self.comment.data or ""}


class DecidePetitionForm(CuratorTaskForm):
    contract = FormId.DECIDE_PETITION
    new_mentor_id = SelectField(contract_label(contract, "new_mentor_id"), coerce=int, validate_choice=False)
    comment = contract_field(contract, "comment")
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
    contract = FormId.PETITION_EXTENSION
    extension_months = contract_field(
        contract, "extension_months", IntegerField, required=_l("Укажите срок продления в месяцах."),
        out_of_range=_l("Срок продления — от %(min)s до %(max)s месяцев."))  # WTForms fills in the limits
    justification = contract_field(contract, "justification")
    petition_refusal_reason = contract_field(contract, "petition_refusal_reason")
    submit = SubmitField(_l("Направить ходатайство руководителю"))
    refuse = SubmitField(_l("Отказать в ходатайстве"))

    def prefill(self, request: dict | None) -> None:
        """The months and the reason the participant asked for (003 §7.2)."""
        request = request or {}
        if self.extension_months.data is None and isinstance(request.get("extension_months"), int):
            self.extension_months.data = request["extension_months"]
        if not self.justification.data and request.get("reason"):
            self.justification.data = str(request["reason"])

    def validate_justification(self, field) -> None:
        if not self.refuse.data and not (field.data or "").strip():
            raise ValidationError(_l("Обоснуйте ходатайство о продлении."))

    def validate_petition_refusal_reason(self, field) -> None:
        if self.refuse.data and not (field.data or "").strip():
            raise ValidationError(_l("Укажите причину отказа: её увидит заявитель."))

    def values(self) -> dict[str, Any]:
        return {"extension_months": self.extension_months.data, "justification": self.justification.data or "",
                "petitioned": not self.refuse.data,
                "petition_refusal_reason": self.petition_refusal_reason.data or ""}


class CompleteProgramForm(CuratorTaskForm):
    contract = FormId.COMPLETE_PROGRAM
    final_report = contract_field(contract, "final_report")
    completion_ground = RadioField(contract_label(contract, "completion_ground"), choices=[
        SelectChoice("plan_completed", _l("завершение плана мероприятий в полном объёме (003 §7.1)")),
        SelectChoice("improper_execution", _l("по инициативе куратора: недолжное исполнение программы (003 §7.1)"))],
        validate_choice=False)
    reopen_reason = contract_field(contract, "reopen_reason")
    # what the curator knows of 003 §9.3; the engine puts them into bonus_facts
    attended_mentor_events = BooleanField(_l("Наставник участвовал в мероприятиях для наставников "
                                             "(конференции, форумы) — 003 §9.3"))
    analytical_materials = BooleanField(_l("Есть аналитические и методические материалы, обобщающие опыт "
                                           "наставничества — 003 §9.3"))
    submit = SubmitField(_l("Подвести итоги и подготовить приказ"))
    reopen = SubmitField(_l("Вернуть последний этап на доработку"))

    def validate_final_report(self, field) -> None:
        if not self.reopen.data and not (field.data or "").strip():
            raise ValidationError(_l("Напишите итоговый аналитический отчёт."))

    def validate_reopen_reason(self, field) -> None:
        if self.reopen.data and not (field.data or "").strip():
            raise ValidationError(_l("Напишите, что доработать на последнем этапе."))

    def values(self) -> dict[str, Any]:
        return {"final_report": self.final_report.data or "",
                "attended_mentor_events": bool(self.attended_mentor_events.data),
                "analytical_materials": bool(self.analytical_materials.data),
                "completion_ground": self.completion_ground.data or "", "reopen_stage": bool(self.reopen.data),
                "reopen_reason": self.reopen_reason.data or ""}


class ProposeMentorForm(CuratorTaskForm):
    contract = FormId.PROPOSE_MENTOR
    direction = contract_field(contract, "direction", StringField)
    comment = contract_field(contract, "comment")
    submit = SubmitField(_l("Проверить кандидата по данным реестра"))

    def values(self) -> dict[str, Any]:
        return {"direction": self.direction.data or "", "comment": self.comment.data or ""}


class ProposePairForm(CuratorTaskForm):
    contract = FormId.PROPOSE_PAIR
    comment = contract_field(contract, "comment")
    submit = SubmitField(_l("Проверить пару по данным реестра"))

    def values(self) -> dict[str, Any]:
        return {"comment": self.comment.data or ""}


class ReplaceMentorForm(CuratorTaskForm):
    """After the release order (003 §4.1): a new mentor, who then consents, or the program ended early."""
    contract = FormId.REPLACE_MENTOR
    new_mentor_id = SelectField(contract_label(contract, "new_mentor_id"), coerce=int, validate_choice=False)
    comment = contract_field(contract, "comment")
    replace = SubmitField(_l("Предложить наставника"))
    complete_early = SubmitField(_l("Завершить досрочно"))

    def setup(self, mentors: list) -> None:
        self.new_mentor_id.choices = [SelectChoice(0, "—")] + [SelectChoice(p.id, p.full_name) for p in mentors]

    def validate_new_mentor_id(self, field) -> None:
        if not self.complete_early.data and (not field.data or field.data not in {c.value for c in field.choices}):
            raise ValidationError(_l("Выберите нового наставника из назначенных приказом."))

    def validate_comment(self, field) -> None:
        if self.complete_early.data and not (field.data or "").strip():
            raise ValidationError(_l("Укажите основание досрочного завершения."))

    def values(self) -> dict[str, Any]:
        ending = bool(self.complete_early.data)
        data: dict[str, Any] = {"complete_early": ending, "comment": self.comment.data or ""}
        if not ending:
            data["new_mentor_id"] = self.new_mentor_id.data
        return data


CURATOR_FORMS: dict[str, type[CuratorTaskForm]] = {form.contract: form for form in (
    ReviewStageReportForm, HandleEscalationForm, AcknowledgeReminderForm, DecidePetitionForm, PetitionExtensionForm,
    CompleteProgramForm, ProposeMentorForm, ProposePairForm, ReplaceMentorForm, MentorReportOverdueForm)}
