"""One entry point to complete a workflow step, whatever the channel (the JSON API, ``nastavnik task complete``):
the client's values are checked by the form's contract (``engine.forms``), the fields only the registers fill
(facts a rule decides on, names) are refused, and the step's data is built by the domain's service for that form —
the same one the pages use — so every fact comes from the registers, every id is checked against what the step
allows, and the same records follow (the personal data consent of 152-ФЗ, decisions, orders).

A form without a domain builder (a network or roadmap step, a diagram's own form) is completed with the contract-
checked values; its hooks check what they record. ``instances.complete_task`` itself is no channel's to call
(``tests/architecture_rules.py``)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from engine.db.models import OpenTask, Organization, Role, WorkflowInstance
from engine.errors import ConflictError, NastavnikError, PermissionDenied
from engine.forms import SHIPPED, FormDataError, FormId, system_fields, validated
from engine.services.curation import calendar, decisions, step_completion, step_page
from engine.services.mentorship import participant_work
from engine.services.mentorship.basics import person_in_organization
from engine.services.orders import views as order_views
from engine.services.people.actor import ROLE_LABELS, Actor
from engine.services.process import instances
from engine.services.process.instance_views import tasks_of
from engine.services.process.task_lookup import open_task
from engine.workflow import Clock

# fields the registers fill that a client may still name — each is checked against the step, never trusted:
# the candidate and the pair of the process (curation.step_completion), the stage's events (the stage report's
# hook), the network mentor and trainees (the group's hook re-checks them against the registry)
CHECKED_IDS: dict[str, frozenset[str]] = {
    FormId.PROPOSE_MENTOR: frozenset({"candidate_id"}),
    FormId.PROPOSE_PAIR: frozenset({"mentor_id", "mentee_ids"}),
    FormId.STAGE_WORK: frozenset({"events_done"}),
    FormId.FORM_NETWORK_GROUP: frozenset({"mentor_id", "trainee_ids"}),
}
# the fields of the shipped forms that hold people's ids: each must be a person of the step's organization before
# the domain's builder checks what the step allows of them (the pair's own mentees, an appointed mentor, …)
PERSON_ID_FIELDS = ("candidate_id", "mentor_id", "mentee_ids", "new_mentor_id", "trainee_ids")
BASE_ENTRY_KINDS = ("mentor", "mentee")  # base_review's entries: «mentor:<id>» or «mentee:<id>»
SYSTEM_FIELD = ("заполняет система по реестру (сведения для правил и решений берутся только из реестра): "
                "не передавайте это поле")


class Request:
    """One completion asked for: the open step, who asks, the checked values."""

    def __init__(self, session: Session, actor: Actor, task: OpenTask, values: dict[str, Any],
                 expected_version: int | None, clock: Clock | None) -> None:
        self.session, self.actor, self.task, self.values = session, actor, task, values
        self.expected_version, self.clock = expected_version, clock

    def text(self, name: str) -> str:
        return str(self.values.get(name) or "").strip()


Builder = Callable[[Request], WorkflowInstance]


def sendable(form_id: str) -> tuple[str, ...]:
    """The fields of a shipped form a client sends: all but those the registers fill (the ids the step checks
    itself are sent)."""
    own, checked = system_fields(form_id), CHECKED_IDS.get(form_id, frozenset())
    return tuple(name for name in SHIPPED[form_id]().fields if name not in own or name in checked)


def _checked_values(task: OpenTask, values: Any) -> dict[str, Any]:
    """The client's values by the form's contract; the register-filled fields refused (ids the step checks
    itself excepted)."""
    if task.form_id not in SHIPPED:  # a diagram's own form: its declared contract is checked by complete_task
        if not isinstance(values, dict):
            raise FormDataError("данные формы должны быть объектом (поле: значение)", where=task.form_id)
        return dict(values)
    own = system_fields(task.form_id)
    checked = validated(task.form_id, values, partial=own)
    forged = [name for name in own if name in checked and name not in CHECKED_IDS.get(task.form_id, ())]
    if forged:
        raise FormDataError(SYSTEM_FIELD, where=forged[0],
                            messages={name: [SYSTEM_FIELD] for name in forged})
    return checked


def _ids_sent(values: dict[str, Any]) -> list[tuple[str, int]]:
    """(field, id) of every person id the values name: the id fields and the base review's entries."""
    sent: list[tuple[str, int]] = []
    for name in PERSON_ID_FIELDS:
        value = values.get(name)
        sent += [(name, i) for i in (value if isinstance(value, list) else [value]) if isinstance(i, int)]
    for entry in values.get("entries") or []:
        kind, _, number = str(entry.get("entry") if isinstance(entry, dict) else "").partition(":")
        if kind in BASE_ENTRY_KINDS and number.isdigit():
            sent.append(("entries", int(number)))
    return sent


def _require_people_of_the_organization(session: Session, task: OpenTask, values: dict[str, Any]) -> None:
    """Every id the client sends is a person of the step's organization; of anyone else not a word is said."""
    organization = session.get(Organization, task.organization_id)
    assert organization is not None  # an open task's organization exists (a foreign key)
    for name, person_id in _ids_sent(values):
        try:
            person_in_organization(session, organization, person_id, where=name)
        except NastavnikError as error:
            raise FormDataError(error.message, where=name, messages={name: [error.message]}) from None


def _require_mine(session: Session, actor: Actor, task: OpenTask) -> None:
    """The step is among the actor's tasks (their role in its organization, or assigned to them): before its
    data is even read. One row asked for, not the actor's every task (a curator's are her department's)."""
    mine = tasks_of(actor).where(OpenTask.id == task.id).with_only_columns(OpenTask.id).order_by(None)
    if not actor.is_system and session.scalar(mine.limit(1)) is not None:
        return
    who = actor.full_name or actor.login
    if task.assignee_id is not None and task.assignee_id != actor.person_id:
        raise PermissionDenied(f"{who}: задача «{task.name}» назначена другому участнику")
    raise PermissionDenied(f"{who}: задачу «{task.name}» выполняет роль «{ROLE_LABELS.get(task.role, task.role)}» "
                           "организации, к которой относится процесс")


def complete_step(session: Session, actor: Actor, instance_id: int, task_id: str, values: Any, *,
                  expected_version: int | None = None, clock: Clock | None = None) -> WorkflowInstance:
    """Complete the open step ``task_id`` of ``instance_id`` with the client's ``values``; the caller commits.
    404/409 for a step not open, 403 for one not the actor's, ``FormDataError`` (422, naming the field) for
    values the contract refuses or a field only the registers fill, the domain's errors for the rest."""
    task = open_task(session, instance_id, str(task_id))
    _require_mine(session, actor, task)
    if expected_version is not None and task.instance.version != expected_version:  # for every builder alike
        raise ConflictError(f"процесс №{instance_id} уже изменён другим пользователем; обновите страницу")
    checked = _checked_values(task, values)
    _require_people_of_the_organization(session, task, checked)
    request = Request(session, actor, task, checked, expected_version, clock)
    return _builder(task)(request)


def _builder(task: OpenTask) -> Builder:
    if task.role == Role.CURATOR and task.form_id in step_page.CURATOR_FORMS:
        return _curator_step
    return BUILDERS.get(task.form_id or "", _contract_only)


# -- the builders -------------------------------------------------------------------------------------

def _curator_step(r: Request) -> WorkflowInstance:
    """The curator's desk: facts rebuilt from the registers, ids checked (curation.step_completion)."""
    return step_completion.complete(r.session, r.actor, r.task.instance_id, r.task.task_id, r.values,
                          expected_version=r.expected_version)


def _head_decides_petition(r: Request) -> WorkflowInstance:
    new_mentor = r.values.get("new_mentor_id")
    return decisions.decide(r.session, r.actor, r.task.instance_id, r.task.task_id, approved=r.values["approved"],
                            comment=r.text("comment"), new_mentor_id=new_mentor,
                            expected_version=r.expected_version)


def _sign_order(r: Request) -> WorkflowInstance:
    """The head's signature or refusal, as the orders page does it (the number and date are the register's)."""
    order = order_views.awaiting_in(r.session, r.actor, r.task.instance_id)
    if r.values["signed"]:
        order_views.sign(r.session, r.actor, order.id, expected_version=r.expected_version)
    else:
        order_views.refuse(r.session, r.actor, order.id, r.text("refusal_reason"),
                           expected_version=r.expected_version)
    return r.task.instance


def _give_consent(r: Request) -> WorkflowInstance:
    """Consent to a pair with the personal data consent (152-ФЗ) recorded, as the participant's page does."""
    return participant_work.give_consent(r.session, r.actor, r.task.instance_id, r.task.task_id,
                                         consent=r.values["consent"], personal_data=r.values.get("personal_data") is True,
                                         comment=r.text("comment"), clock=r.clock)


def _agree_extension(r: Request) -> WorkflowInstance:
    return participant_work.agree_extension(r.session, r.actor, r.task.instance_id, r.task.task_id,
                                            agreed=r.values["agreed"], comment=r.text("comment"), clock=r.clock)


def _acknowledge_reminder(r: Request) -> WorkflowInstance:
    return participant_work.acknowledge_reminder(r.session, r.actor, r.task.instance_id, r.task.task_id,
                                                 r.text("comment"), clock=r.clock)


def _monitoring_report(r: Request) -> WorkflowInstance:
    """The school's summary is the registry's on the step's day (001 §2.4)."""
    return calendar.file_monitoring_report(r.session, r.actor, r.task.instance_id, r.task.task_id,
                                           r.text("conclusions"), expected_version=r.expected_version)


def _base_review(r: Request) -> WorkflowInstance:
    return calendar.file_base_review(r.session, r.actor, r.task.instance_id, r.task.task_id,
                                     list(r.values.get("entries") or []), r.text("comment"),
                                     expected_version=r.expected_version)


def _contract_only(r: Request) -> WorkflowInstance:
    """A step whose data holds no rule facts: the contract-checked values; its hooks check what they record."""
    return instances.complete_task(r.session, r.actor, r.task.instance_id, r.task.task_id, r.values,
                                   expected_version=r.expected_version, clock=r.clock)


BUILDERS: dict[str, Builder] = {
    FormId.DECIDE_PETITION: _head_decides_petition,  # the curator's decisions go to her desk (above)
    FormId.SIGN_ORDER: _sign_order,
    FormId.GIVE_CONSENT: _give_consent,
    FormId.AGREE_EXTENSION: _agree_extension,
    FormId.ACKNOWLEDGE_REMINDER: _acknowledge_reminder,
    FormId.MONITORING_REPORT: _monitoring_report,
    FormId.BASE_REVIEW: _base_review,
}
