"""Steps whose user task names a designed form (``designed:<key>``, ``engine.forms.designed``): the version a
process version pins when it is deployed, checking a step's answers against it, and keeping the answers.

    referenced_keys(bpmn) -> {key: (element id, element name)}
    pin(session, definition)                  # at deploy; WorkflowDefinitionError naming the task without one
    checked(session, instance, form_id, data) # FormDataError naming the field by its label
    record(session, instance, task_id, step_name, form_id, values, actor)
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.db.models import DesignedForm, DesignedFormAnswer, DesignedFormPin, ProcessDefinition, WorkflowInstance
from engine.db.models.rulefiles import VersionStatus
from engine.errors import NotFound, WorkflowDefinitionError
from engine.forms.designed import designed_key, parse_schema, validate_answers
from engine.services.people.actor import Actor
from engine.workflow import Problem
from engine.workflow.bpmn_xml import NS as _NS
from engine.workflow.bpmn_xml import parse_bpmn


def referenced_keys(bpmn: str | bytes) -> dict[str, tuple[str, str | None]]:
    """The designed forms a diagram's user tasks name: {key: (the first task's id, its name)}."""
    root, _problems = parse_bpmn(bpmn if isinstance(bpmn, bytes) else bpmn.encode("utf-8"), "process.bpmn")
    if root is None:
        return {}
    found: dict[str, tuple[str, str | None]] = {}
    for prop in root.iterfind(".//bpmn:userTask/bpmn:extensionElements/spiffworkflow:properties/"
                              "spiffworkflow:property[@name='form']", _NS):
        key = designed_key(prop.get("value"))
        task = prop.getparent().getparent().getparent()
        if key and key not in found:
            found[key] = (task.get("id") or "", task.get("name"))
    return found


def latest_deployed(session: Session, organization_id: int | None, key: str) -> DesignedForm | None:
    """The newest deployed version of ``key`` an organization's processes may use (its own, else a shared one)."""
    owned = DesignedForm.organization_id.is_(None) if organization_id is None else or_(
        DesignedForm.organization_id == organization_id, DesignedForm.organization_id.is_(None))
    return session.scalars(select(DesignedForm).where(
        DesignedForm.key == key, owned, DesignedForm.status == VersionStatus.DEPLOYED.value)
        .order_by(DesignedForm.organization_id.is_(None), DesignedForm.version.desc()).limit(1)).first()


def missing(session: Session, organization_id: int | None, bpmn: str | bytes, filename: str) -> list[Problem]:
    """A problem per user task naming a designed form that has no deployed version."""
    return [Problem(filename, element_id, name, f"форма «designed:{key}» не развёрнута: откройте «Формы» и "
                                                  "разверните её (или выберите другую форму)")
            for key, (element_id, name) in referenced_keys(bpmn).items()
            if latest_deployed(session, organization_id, key) is None]


def pin(session: Session, definition: ProcessDefinition) -> None:
    """Fix the deployed version of every designed form the process version's tasks name (once)."""
    problems = missing(session, definition.organization_id, definition.bpmn, definition.source_path or
                       f"{definition.process_id}.bpmn")
    if problems:
        raise WorkflowDefinitionError(problems, where=f"{definition.process_id} версия {definition.version}")
    pinned = set(session.scalars(select(DesignedFormPin.key).where(DesignedFormPin.definition_id == definition.id)))
    for key in referenced_keys(definition.bpmn):
        form = latest_deployed(session, definition.organization_id, key)
        if key not in pinned and form is not None:
            session.add(DesignedFormPin(definition_id=definition.id, key=key, form_id=form.id))
    session.flush()


def pinned_form(session: Session, instance: WorkflowInstance, form_id: str) -> DesignedForm:
    key = designed_key(form_id) or ""
    form = session.scalar(select(DesignedForm).join(DesignedFormPin, DesignedFormPin.form_id == DesignedForm.id)
                          .where(DesignedFormPin.definition_id == instance.definition_id, DesignedFormPin.key == key))
    if form is None:
        raise NotFound(f"для формы «{form_id}» не закреплена версия: разверните процесс заново", where=form_id)
    return form


def checked(session: Session, instance: WorkflowInstance, form_id: str, data: Any) -> dict[str, Any]:
    """``data`` by the pinned version's schema: only its fields, each by its limits."""
    fields, _problems = parse_schema(pinned_form(session, instance, form_id).schema)
    return validate_answers(fields, data)


def record(session: Session, instance: WorkflowInstance, task_id: str, step_name: str, form_id: str,
           values: dict[str, Any], actor: Actor) -> None:
    session.add(DesignedFormAnswer(instance_id=instance.id, form_id=pinned_form(session, instance, form_id).id,
                                   task_id=task_id, step_name=step_name[:500], answers=values,
                                   answered_by_id=actor.person_id))
