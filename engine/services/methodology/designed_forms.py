"""Forms a methodologist designs in the browser (form-js): a draft per form key edited in place, deployed as an
immutable version; the modeler offers the deployed ones to user tasks as ``designed:<key>`` (their fields shown)
and deploying a process pins the version (``engine.services.process.designed_steps``). Every save and deployment
is audited. Who may: the methodologist (``require_deployer``); a form belongs to her organization.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from engine.db.models import DesignedForm, record_audit
from engine.db.models.rulefiles import VersionStatus
from engine.db.types import utcnow
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied, WorkflowDefinitionError
from engine.forms.designed import (
    KIND_LABELS,
    MAX_SCHEMA_BYTES,
    PREFIX,
    key_problem,
    parse_schema,
)
from engine.services.people.actor import Actor
from engine.services.process import designed_steps
from engine.services.process.definitions import deployer_organization, require_deployer
from engine.workflow import Problem

EMPTY_SCHEMA: dict[str, Any] = {"type": "default", "components": []}


@dataclass(frozen=True)
class FormSummary:
    key: str
    title: str
    latest: DesignedForm
    deployed: DesignedForm | None  # the newest deployed version

    @property
    def has_draft(self) -> bool:
        return self.latest.status == VersionStatus.DRAFT.value


def _owned(actor: Actor) -> Any:
    owner = deployer_organization(actor)
    return DesignedForm.organization_id.is_(None) if owner is None else DesignedForm.organization_id == owner


def forms(session: Session, actor: Actor) -> list[FormSummary]:
    """The organization's designed forms, by title."""
    require_deployer(actor)
    rows = session.scalars(select(DesignedForm).where(_owned(actor)).order_by(DesignedForm.key,
                                                                               DesignedForm.version.desc())).all()
    summaries: dict[str, FormSummary] = {}
    for row in rows:
        if row.key not in summaries:
            summaries[row.key] = FormSummary(row.key, row.title, row, None)
        if summaries[row.key].deployed is None and row.status == VersionStatus.DEPLOYED.value:
            first = summaries[row.key]
            summaries[row.key] = FormSummary(first.key, first.title, first.latest, row)
    return sorted(summaries.values(), key=lambda s: s.title.lower())


def versions(session: Session, actor: Actor, key: str) -> list[DesignedForm]:
    """Every version of a form, newest first (``NotFound`` when there is none)."""
    require_deployer(actor)
    rows = list(session.scalars(select(DesignedForm).where(_owned(actor), DesignedForm.key == key)
                                .order_by(DesignedForm.version.desc())))
    if not rows:
        if session.scalar(select(DesignedForm.id).where(DesignedForm.key == key).limit(1)) is not None:
            raise PermissionDenied(f"{actor.full_name or actor.login}: форма «{key[:70]}» — другой организации")
        raise NotFound(f"формы «{key[:70]}» нет", where=key[:70])
    return rows


def get(session: Session, actor: Actor, key: str, version: int | None = None) -> DesignedForm:
    rows = versions(session, actor, key)
    found = rows[0] if version is None else next((r for r in rows if r.version == version), None)
    if found is None:
        raise NotFound(f"у формы «{key}» нет версии {version}", where=key)
    return found


def _checked_input(key: str, title: str, schema: Any) -> tuple[str, dict]:
    problem = key_problem(key)
    if problem:
        raise NastavnikError(problem, where="key")
    title = (title or "").strip()
    if not title or len(title) > 255:
        raise NastavnikError("название формы: от 1 до 255 знаков", where="title")
    if not isinstance(schema, dict) or not isinstance(schema.get("components"), list):
        raise NastavnikError("схема формы должна быть объектом form-js со списком components", where="schema")
    if len(json.dumps(schema, ensure_ascii=False).encode("utf-8")) > MAX_SCHEMA_BYTES:
        raise NastavnikError(f"схема формы больше {MAX_SCHEMA_BYTES // 1000} КБ", where="schema")
    return title, schema


def save_draft(session: Session, actor: Actor, key: str, title: str, schema: Any) -> DesignedForm:
    """Store the form's draft: the latest version while it is a draft, else the next version."""
    require_deployer(actor)
    title, schema = _checked_input(key, title, schema)
    owner = deployer_organization(actor)
    latest = session.scalars(select(DesignedForm).where(_owned(actor), DesignedForm.key == key)
                             .order_by(DesignedForm.version.desc()).limit(1).with_for_update()).first()
    if latest is not None and latest.status == VersionStatus.DRAFT.value:
        latest.title, latest.schema, latest.created_by_id, latest.created_at = title, schema, actor.person_id, utcnow()
        draft = latest
    else:
        draft = DesignedForm(key=key, version=(latest.version if latest else 0) + 1, title=title, schema=schema,
                             organization_id=owner, status=VersionStatus.DRAFT.value, created_by_id=actor.person_id)
        session.add(draft)
    session.flush()
    record_audit(session, "designed_form.draft_saved", actor=actor.person_id, obj=draft,
                 details={"key": key, "version": draft.version})
    return draft


def deploy(session: Session, actor: Actor, key: str) -> DesignedForm:
    """Make the draft an immutable version processes may use; ``WorkflowDefinitionError`` lists what is wrong."""
    draft = get(session, actor, key)
    if draft.status != VersionStatus.DRAFT.value:
        raise ConflictError(f"версия {draft.version} уже развёрнута: измените форму и сохраните её", where=key)
    fields, problems = parse_schema(draft.schema)
    if problems:
        raise WorkflowDefinitionError([Problem(f"форма {key}", None, None, p) for p in problems], where=key)
    draft.status, draft.deployed_at = VersionStatus.DEPLOYED.value, utcnow()
    record_audit(session, "designed_form.deployed", actor=actor.person_id, obj=draft,
                 details={"key": key, "version": draft.version, "fields": [f.key for f in fields]})
    session.flush()
    return draft


def catalog_forms(session: Session, actor: Actor) -> list[dict]:
    """The deployed designed forms as the modeler's catalog lists forms: id ``designed:<key>``, with fields."""
    owner = deployer_organization(actor)
    owned = DesignedForm.organization_id.is_(None) if owner is None else or_(
        DesignedForm.organization_id == owner, DesignedForm.organization_id.is_(None))
    newest = (select(DesignedForm.key, func.max(DesignedForm.version).label("version"))
              .where(owned, DesignedForm.status == VersionStatus.DEPLOYED.value).group_by(DesignedForm.key).subquery())
    rows = session.scalars(select(DesignedForm).join(newest, (newest.c.key == DesignedForm.key)
                                                     & (newest.c.version == DesignedForm.version)).where(owned))
    listed = []
    for row in sorted(rows, key=lambda r: r.title.lower()):
        fields, _problems = parse_schema(row.schema)
        listed.append({"id": PREFIX + row.key, "title": f"{row.title} (конструктор, версия {row.version})",
                       "fields": [{"name": f.key, "label": f.label, "required": f.required, "input": KIND_LABELS[f.kind],
                                   "type": f.kind if f.kind in ("bool", "number") else
                                   "list" if f.kind == "choices" else "text"}
                                  for f in fields]})
    return listed


def process_problems(session: Session, actor: Actor, data: bytes, filename: str) -> list[Problem]:
    """The user tasks of a diagram naming a designed form the methodologist's organization has not deployed."""
    return designed_steps.missing(session, deployer_organization(actor), bytes(data), filename)


def as_json(row: DesignedForm) -> dict:
    fields, problems = parse_schema(row.schema)
    return {"key": row.key, "version": row.version, "title": row.title, "status": row.status,
            "created_at": row.created_at.isoformat(), "schema": row.schema,
            "fields": [{"key": f.key, "label": f.label, "kind": f.kind, "required": f.required} for f in fields],
            "problems": problems}
