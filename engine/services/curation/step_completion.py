"""A curator's step completed: the data each curator form hands to the workflow (its contract:
engine/forms/contracts.py), checked again by the domain's rules, and the step completed against the version the
page was shown at.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from engine.db.models import WorkflowInstance, is_appointed
from engine.errors import ConflictError, NastavnikError, NotFound
from engine.forms import EXTENSION_MONTHS, FormDataError, FormId
from engine.forms.contracts import COMPLETION_GROUNDS
from engine.regulations import pack_of
from engine.services.curation.step_page import TaskPage, task_page
from engine.services.mentorship import basics as mentorship
from engine.services.mentorship import content_correction, lifecycle
from engine.services.orders.in_workflows import step_day as process_orders_step_day
from engine.services.people.actor import Actor
from engine.services.process import instances


def _text(values: dict, key: str) -> str:
    return str(values.get(key) or "").strip()


def _require_program(page: TaskPage):
    if page.subject.program is None:
        raise NotFound(f"процесс №{page.instance.id} не связан с программой")
    return page.subject.program


def task_data(session: Session, page: TaskPage, values: dict[str, Any]) -> dict:  # noqa: C901 - one branch per curator form: what the domain demands of each
    """The workflow data of the step from the form's ``values`` (checked again here: the domain's rules)."""
    form = page.task.form_id
    if form == FormId.REVIEW_STAGE_REPORT:
        approved = values.get("approved") is True
        if not approved and not _text(values, "comment"):
            raise NastavnikError("при возврате отчёта нужен комментарий: что исправить", where="comment")
        return {"approved": approved, "comment": _text(values, "comment")}
    if form in (FormId.HANDLE_ESCALATION, FormId.ACKNOWLEDGE_REMINDER, FormId.MENTOR_REPORT_OVERDUE):
        if form != FormId.ACKNOWLEDGE_REMINDER and not _text(values, "comment"):
            raise NastavnikError("опишите принятые меры", where="comment")
        return {"comment": _text(values, "comment")}
    if form == FormId.DECIDE_PETITION:
        return _petition_decision(session, page, values)
    if form == FormId.PETITION_EXTENSION:
        return _extension_petition(page, values)
    if form == FormId.COMPLETE_PROGRAM:
        return _completion(session, page, values)
    if form == FormId.REPLACE_MENTOR:
        return _replacement_choice(session, page, values)
    if form == FormId.PROPOSE_MENTOR:
        return _candidate_data(session, page, values)
    if form == FormId.PROPOSE_PAIR:
        return _pair_data(page, values)
    raise NotFound(f"для шага «{page.task.name}» нет формы", where=form)


def _extension_petition(page: TaskPage, values: dict) -> dict:
    """The curator petitions the head (months prefilled from the request; 0 — a content-only correction where
    the pack allows it, 003 §7.2, checked again by the step's hook) or refuses with a reason."""
    program = page.subject.program
    months = values.get("extension_months")
    fewest, most = (content_correction.months_range(program) if program is not None else EXTENSION_MONTHS)
    if values.get("petitioned") is False:
        if not _text(values, "petition_refusal_reason"):
            raise NastavnikError("укажите причину отказа: её увидит заявитель", where="petition_refusal_reason")
        asked = (page.petition or {}).get("extension_months")
        kept = months if isinstance(months, int) and not isinstance(months, bool) and fewest <= months <= most else asked
        return {"extension_months": kept if isinstance(kept, int) and fewest <= kept <= most else fewest,
                "justification": "", "petitioned": False,
                "petition_refusal_reason": _text(values, "petition_refusal_reason")}
    if isinstance(months, bool) or not isinstance(months, int) or not fewest <= months <= most:
        raise NastavnikError(f"срок продления — целое число месяцев от {fewest} до {most}"
                             + (" (0 — без продления срока, только корректировка содержания, 003 §7.2)" if fewest == 0
                                else ""), where="extension_months")
    if not _text(values, "justification"):
        raise NastavnikError("обоснуйте ходатайство о продлении (003 §7.2)", where="justification")
    return {"extension_months": months, "justification": _text(values, "justification"), "petitioned": True,
            "petition_refusal_reason": ""}


def _completion(session: Session, page: TaskPage, values: dict) -> dict:
    """The final report and the completion ground (003 §7.1), or the last stage reopened instead."""
    program = _require_program(page)
    facts = lifecycle.bonus_facts(session, program,
                                  attended_mentor_events=values.get("attended_mentor_events") is True,
                                  analytical_materials=values.get("analytical_materials") is True)
    if values.get("reopen_stage") is True:
        if not _text(values, "reopen_reason"):
            raise NastavnikError("напишите, что доработать на последнем этапе", where="reopen_reason")
        return {"final_report": _text(values, "final_report"), "bonus_facts": facts, "reopen_stage": True,
                "reopen_reason": _text(values, "reopen_reason"), "completion_ground": page.default_ground}
    if not _text(values, "final_report"):
        raise NastavnikError("итоговый аналитический отчёт не может быть пустым (003 §3.3)", where="final_report")
    ground = _text(values, "completion_ground") or page.default_ground
    if ground not in COMPLETION_GROUNDS:
        raise NastavnikError("выберите основание завершения (003 §7.1)", where="completion_ground")
    return {"final_report": _text(values, "final_report"), "bonus_facts": facts, "completion_ground": ground,
            "reopen_stage": False}


def _petition_decision(session: Session, page: TaskPage, values: dict, *, replacement: bool = False) -> dict:
    approved = values.get("approved") is True
    data: dict[str, Any] = {"approved": approved, "comment": _text(values, "comment")}
    if not approved and not data["comment"]:
        raise NastavnikError("при отказе укажите причину", where="comment")
    if (replacement or page.petition_kind == "replacement") and approved:
        new_mentor = values.get("new_mentor_id")
        if not isinstance(new_mentor, int) or isinstance(new_mentor, bool):
            raise NastavnikError("выберите нового наставника", where="new_mentor_id")
        if page.subject.group is not None and new_mentor == page.subject.group.mentor_id:
            raise NastavnikError("новый наставник должен отличаться от нынешнего", where="new_mentor_id")
        if not is_appointed(session, new_mentor, process_orders_step_day(page.instance),
                            organization_id=page.instance.organization_id):
            raise NastavnikError("новым наставником может быть только назначенный приказом наставник (003 §3.4)",
                                 where="new_mentor_id")
        data["new_mentor_id"] = new_mentor
    return data


def _replacement_choice(session: Session, page: TaskPage, values: dict) -> dict:
    """After the release order: a new mentor appointed and in term (who then consents), or the program ended
    early with its ground (003 §4.1, §7.1)."""
    if values.get("complete_early") is True:
        if not _text(values, "comment"):
            raise NastavnikError("укажите основание досрочного завершения программы", where="comment")
        return {"complete_early": True, "comment": _text(values, "comment")}
    group = page.subject.group
    if group is not None and values.get("new_mentor_id") == group.mentor_id:
        raise NastavnikError("наставника, освобождённого от обязанностей приказом (003 §4.1), нельзя предложить "
                             "вновь: выберите другого", where="new_mentor_id")
    data = _petition_decision(session, page, {**values, "approved": True}, replacement=True)
    return {"complete_early": False, "new_mentor_id": data["new_mentor_id"], "comment": data["comment"]}


def _candidate_data(session: Session, page: TaskPage, values: dict) -> dict:
    person = page.subject.candidate
    if person is None:
        raise NotFound(f"в процессе №{page.instance.id} нет кандидата")
    asked = values.get("candidate_id")
    if asked is not None and asked != person.id:
        _refuse_id("candidate_id", f"в процессе №{page.instance.id} кандидат в наставники — человек №{person.id}; "
                                   f"человека №{asked} этот шаг не предлагает")
    ruleset = mentorship.mentor_ruleset(page.instance.organization)
    return {"candidate_id": person.id, "candidate_name": person.full_name,
            "facts": mentorship.facts_for(ruleset, person), "direction": _text(values, "direction"),
            "comment": _text(values, "comment")}


def _pair_data(page: TaskPage, values: dict) -> dict:
    group = page.subject.group
    if group is None:
        raise NotFound(f"в процессе №{page.instance.id} нет пары (группы)")
    ruleset = mentorship.mentor_ruleset(page.instance.organization)
    category_ruleset = pack_of(page.instance.organization).ruleset("mentee_category")
    mentees = [m.person for m in group.members if m.left_on is None]
    _require_same_pair(page, group.mentor_id, [p.id for p in mentees], values)
    return {"mentor_id": group.mentor_id, "facts": mentorship.facts_for(ruleset, group.mentor),
            "mentee_ids": [p.id for p in mentees],
            "mentee_facts": [mentorship.facts_for(category_ruleset, p) if category_ruleset else {} for p in mentees],
            "form_of_mentorship": group.form, "comment": _text(values, "comment")}


def _refuse_id(field: str, message: str) -> None:
    """An id the step does not allow: refused as the form's field (422 naming it on every channel)."""
    raise FormDataError(message, where=field, messages={field: [message]})


def _require_same_pair(page: TaskPage, mentor_id: int, mentee_ids: list[int], values: dict) -> None:
    """The ids a client sends for the pair must be the pair's own (the registry's group): the step proposes
    that pair again, never other people (their facts would decide nothing of theirs)."""
    asked_mentor = values.get("mentor_id")
    if asked_mentor is not None and asked_mentor != mentor_id:
        _refuse_id("mentor_id", f"наставник пары (группы) процесса №{page.instance.id} — человек №{mentor_id}; "
                                f"человек №{asked_mentor} в ней не наставник")
    asked = values.get("mentee_ids")
    if asked is None:
        return
    foreign = [i for i in asked if i not in mentee_ids] if isinstance(asked, list) else [asked]
    missing = [i for i in mentee_ids if isinstance(asked, list) and i not in asked]
    if foreign or missing:
        said = (f"не наставляемые этой пары (группы): {', '.join(f'№{i}' for i in foreign)}" if foreign else
                f"не названы наставляемые пары (группы): {', '.join(f'№{i}' for i in missing)}")
        _refuse_id("mentee_ids", f"{said}; состав пары (группы) процесса №{page.instance.id} меняется только "
                                 "новой парой")


def complete(session: Session, actor: Actor, instance_id: int, task_id: str, values: dict[str, Any], *,
             expected_version: int | None, page: TaskPage | None = None) -> WorkflowInstance:
    """Complete the step with the form's values; the caller commits. A step someone else completed, or
    an instance that moved on since the page was shown, is a ``ConflictError``. ``page``: the step's page the
    caller built with ``for_update`` in this same transaction, not built again (the instance's optimistic lock still
    decides at the step)."""
    if page is None or not page.for_update or page.task.task_id != task_id or page.instance.id != instance_id:
        page = task_page(session, actor, instance_id, task_id, for_update=True)
    if expected_version is not None and page.instance.version != expected_version:
        raise ConflictError(f"процесс №{instance_id} уже изменён другим пользователем; обновите страницу")
    data = task_data(session, page, values)
    return instances.complete_task(session, actor, instance_id, task_id, data, expected_version=expected_version)
