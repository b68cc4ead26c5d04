"""Staff import (issue 12 part 4): a CSV or XLSX file of people → a preview of who would be created, changed
(field: old → new) and left alone, with every problem by row and column — nothing written; then, confirmed, exactly
that, in one transaction, audited.

Columns are the organization's person fields (``person_fields``: by Russian label or name, so a new fact in a rule
file is a column without code) and an optional «Организация» (short name or name of an organization in the chosen
one's tree). People are found by e-mail (any case) or «Табельный номер»; an empty cell leaves the stored value as
it is (the import never clears a field). The plan (``plan_rows``) is in staff_import_plan.py."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Organization, Person, log_access, record_audit
from engine.errors import ConflictError, NastavnikError, NotFound
from engine.services.administration.import_uploads import UploadStore
from engine.services.administration.staff_files import DEFAULT_LIMITS, FileLimits, read_staff_file
from engine.services.administration.staff_import_plan import (
    ImportPlan,
    PlannedRow,
    RowProblem,
    plan_rows,
)
from engine.services.administration.staff_template import FORMATS, TemplateFile
from engine.services.administration.staff_template import template as organization_template
from engine.services.people.actor import Actor, administered_organizations, require_admin
from engine.services.people.person_fields import apply_values
from engine.services.people.person_records import NewPerson, create_people
from engine.vocabulary import plural

ACTION = "импорт сотрудников"

__all__ = ["FORMATS", "ImportResult", "Preview", "PlannedRow", "RowProblem", "confirm", "organizations_for", "preview",
           "require_import", "template"]


@dataclass(frozen=True)
class Preview:
    """What confirming would do (nothing is written to make it)."""

    upload_id: str
    file_name: str
    organization_id: int
    organization_name: str
    file_kind: str  # csv | xlsx
    columns: tuple[str, ...]
    created: tuple[PlannedRow, ...]
    changed: tuple[PlannedRow, ...]
    unchanged: tuple[PlannedRow, ...]
    problems: tuple[RowProblem, ...]
    problem_rows: tuple[int, ...]
    digest: str  # of the plan: confirming checks nothing moved since

    @property
    def rows(self) -> int:
        return len(self.created) + len(self.changed) + len(self.unchanged) + len(self.problem_rows)


@dataclass(frozen=True)
class ImportResult:
    created: int
    changed: int
    unchanged: int
    skipped: int
    person_ids: tuple[int, ...] = field(default=())


def _organization(session: Session, actor: Actor, organization_id: int) -> Organization:
    require_admin(session, actor, organization_id, action=ACTION)
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(f"организации №{organization_id} нет")
    return organization


def organizations_for(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the organizations the actor may import staff into: every one they administer (the tree
    order: a department, then its schools); ``PermissionDenied`` when none."""
    require_admin(session, actor, None, action=ACTION)
    found = session.scalars(select(Organization).where(
        Organization.id.in_(administered_organizations(session, actor))).order_by(Organization.id)).all()
    return [(org.id, org.short_name or org.name) for org in found]


def require_import(session: Session, actor: Actor, organization_id: int | None) -> None:
    """``PermissionDenied`` unless the actor administers ``organization_id`` (with ``None``: some organization):
    checked before anything sent is read."""
    require_admin(session, actor, organization_id, action=ACTION)


def template(session: Session, actor: Actor, organization_id: int, file_format: str) -> TemplateFile:
    """The staff file template of the organization (CSV or XLSX), for its administrators."""
    organization = _organization(session, actor, organization_id)
    if file_format not in FORMATS:
        raise NotFound(f"шаблона в формате «{file_format}» нет: есть CSV и XLSX")
    return organization_template(organization, file_format)


def _digest(plan: ImportPlan) -> str:
    shape = {"create": [(row.row, row.organization_id, sorted((k, str(v)) for k, v in row.values.items()))
                        for row in plan.created],
             "change": [(row.row, row.person_id, row.organization_id, [(c.field, str(c.new)) for c in row.changes])
                        for row in plan.changed],
             "same": [(row.row, row.person_id) for row in plan.unchanged],
             "problems": [str(problem) for problem in plan.problems]}
    return hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode()).hexdigest()


def _plan(session: Session, organization: Organization, data: bytes, file_name: str,
          limits: FileLimits) -> tuple[ImportPlan, str]:
    table = read_staff_file(data, file_name, limits)
    plan = plan_rows(session, organization, table)
    return plan, _digest(plan)


def preview(session: Session, actor: Actor, organization_id: int, file_bytes: bytes, file_name: str, *,
            store: UploadStore, limits: FileLimits = DEFAULT_LIMITS) -> Preview:
    """What importing ``file_bytes`` into ``organization_id`` would do; the file is kept in ``store`` for the
    confirmation. Nothing of the people or the audit is written; only the access to the shown people's stored
    data goes to the access log (152-ФЗ)."""
    organization = _organization(session, actor, organization_id)
    plan, digest = _plan(session, organization, file_bytes, file_name, limits)
    upload_id = store.save(file_bytes)
    for row in plan.changed:
        assert row.person_id is not None
        log_access(session, row.person_id, "предпросмотр импорта сотрудников", viewer=actor.person_id,
                   fields=[change.field for change in row.changes])
    return Preview(upload_id, file_name, organization.id, organization.short_name or organization.name,
                   plan.kind, plan.columns, plan.created, plan.changed, plan.unchanged, plan.problems,
                   plan.problem_rows, digest)


def _create_people(session: Session, actor: Actor, plan: ImportPlan,
                   organizations: dict[int, Organization]) -> list[Person]:
    """The new people of the plan, created together (``person_records.create_people``)."""
    return create_people(session, [NewPerson(row.organization_id, plan.fields_of(organizations[row.organization_id]),
                                             row.values) for row in plan.created], actor=actor)


def _count(number: int, one: str, few: str, many: str) -> str:
    return f"{number} {plural(number, one, few, many)}"


def confirm(session: Session, actor: Actor, organization_id: int, upload_id: str, digest: str, *,
            store: UploadStore, file_name: str = "", skip_problem_rows: bool = False,
            limits: FileLimits = DEFAULT_LIMITS) -> ImportResult:
    """Apply what the preview of this upload showed (the caller commits). Refused (``ConflictError``, nothing
    written) when the file or the people changed since the preview (``digest`` differs), and when rows have
    problems unless ``skip_problem_rows`` (then those rows are left out)."""
    organization = _organization(session, actor, organization_id)
    data = store.load(upload_id)
    plan, now = _plan(session, organization, data, file_name, limits)
    if now != digest:
        raise ConflictError("с момента предпросмотра файл или данные людей изменились: ничего не записано, "
                            "загрузите файл снова и проверьте предпросмотр")
    if plan.problem_rows and not skip_problem_rows:
        raise NastavnikError(f"в файле {_count(len(plan.problem_rows), 'строка', 'строки', 'строк')} с ошибками: "
                             "ничего не записано — исправьте их или выберите «импортировать без строк с ошибками»",
                             where="skip_problem_rows")
    organizations = {org.id: org for org in plan.organizations}
    ids: list[int] = []
    created = _create_people(session, actor, plan, organizations)
    ids.extend(person.id for person in created)
    people = plan.people
    for row in plan.changed:
        person = people[row.person_id or 0]
        target = organizations[row.organization_id]
        if row.moves:
            old = organizations.get(person.organization_id or 0)
            person.organization_id = target.id
            record_audit(session, "person.changed", actor=actor.person_id, object_type="person",
                         object_id=person.id, organization=target.id, details={"changes": [
                             {"field": "organization_id", "label": "Организация",
                              "old": (old.short_name or old.name) if old else "—",
                              "new": target.short_name or target.name}]})
        apply_values(session, person, plan.fields_of(target), row.values, actor=actor, flush=False)
        ids.append(person.id)
    result = ImportResult(len(plan.created), len(plan.changed), len(plan.unchanged),
                          len(plan.problem_rows), tuple(ids))
    record_audit(session, "people.imported", actor=actor.person_id, object_type="organization",
                 object_id=organization.id, organization=organization.id,
                 details={"file": file_name[:200], "upload_id": upload_id, "format": plan.kind,
                          "created": result.created, "changed": result.changed, "unchanged": result.unchanged,
                          "skipped_rows": list(plan.problem_rows) if skip_problem_rows else []})
    session.flush()
    return result
