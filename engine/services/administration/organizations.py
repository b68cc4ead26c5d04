"""The administered organization tree (issue 12): the organizations an administrator manages — where they hold the
administrator's role and every one under it (``people.actor.administered_organizations``) — and creating and
editing them. Every change is audited with the old and new value. Organizations are never deleted: their orders,
programs and people keep pointing at them."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import regulations
from engine.db.models import AuditEntry, Organization, Person, record_audit
from engine.documents.basics import DocumentSettings, settings_for
from engine.errors import NotFound
from engine.regulations import calendar_days, report_dates
from engine.regulations.pack_parts import ReportDate
from engine.services.administration.organization_details import (
    LABELS,
    TIME_ZONE_LABELS,
    checked_details,
    kind_choices,
)
from engine.services.curation import calendar
from engine.services.people.actor import Actor, administered_organizations, require_admin
from engine.vocabulary import organization_kind_label

FIELDS = ("name", "short_name", "kind", "regulation", "inn", "ogrn", "document_settings", "report_dates",
          "calendar_days")


@dataclass(frozen=True)
class TreeRow:
    """One organization of the tree, in order (parents before their children), with its depth under the root."""

    organization: Organization
    depth: int
    kind_label: str
    regulation_title: str

    @property
    def id(self) -> int:
        return self.organization.id


@dataclass(frozen=True)
class OrganizationView:
    organization: Organization
    kind_label: str
    regulation_title: str
    settings: DocumentSettings  # the effective settings (the pack's defaults under what was set)
    parent: Organization | None
    children: list[Organization]
    kind_choices: list[tuple[str, str]]
    is_root: bool
    pack_time_zone: str  # what the organization's documents use unless it sets its own
    parent_administered: bool = False  # the actor manages the parent too (its page may be linked)
    pack_report_dates: str = ""  # the dates the pack's mentors report by («10.06, 10.12»); "" — it names none
    # the curator's calendar tasks (001 §2.4): (the pack's entry, its day "MM-DD", the pack's day); [] — none
    calendar_days: list[tuple[ReportDate, str, str]] = field(default_factory=list)

    def heading_preview(self, number: int = 1) -> str:
        """An order's heading as its documents will read it: «РАСПОРЯЖЕНИЕ № 1р»."""
        return f"{self.settings.kind} № {self.settings.format_number(number)}"


def regulation_title(regulation_id: str) -> str:
    try:
        return regulations.pack(regulation_id).title
    except NotFound:
        return regulation_id


def regulation_choices() -> list[tuple[str, str]]:
    """The packs a root organization may choose (id, title)."""
    return [(pack_id, found.title) for pack_id, found in sorted(regulations.shipped_packs().items())]


def administered_tree(session: Session, actor: Actor) -> list[TreeRow]:
    """The organizations the actor administers, each root (the highest where they hold the role) followed by its
    subtree, depth first, by name."""
    administered = administered_organizations(session, actor)
    if not administered:
        require_admin(session, actor, None, action="управление организациями")
    found = list(session.scalars(select(Organization).where(Organization.id.in_(administered))))
    children: dict[int | None, list[Organization]] = {}
    for organization in found:
        parent = organization.parent_id if organization.parent_id in administered else None
        children.setdefault(parent, []).append(organization)
    rows: list[TreeRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for organization in sorted(children.get(parent, []), key=lambda o: (o.kind != "department", o.name)):
            rows.append(TreeRow(organization, depth, organization_kind_label(organization.kind),
                                regulation_title(organization.regulation)))
            walk(organization.id, depth + 1)

    walk(None, 0)
    return rows


def administered(session: Session, actor: Actor, organization_id: int, *, action: str) -> Organization:
    """The organization, if the actor administers it (else ``PermissionDenied``; ``NotFound`` if there is none)."""
    require_admin(session, actor, organization_id, action=action)
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(f"нет организации № {organization_id}")
    return organization


def view_organization(session: Session, actor: Actor, organization_id: int) -> OrganizationView:
    organization = administered(session, actor, organization_id, action="просмотр организации")
    children = sorted(organization.children, key=lambda o: o.name)
    is_root = organization.parent_id is None
    regulation = regulations.pack_of(organization)
    return OrganizationView(organization, organization_kind_label(organization.kind), regulation.title,
                            settings_for(organization), organization.parent, children,
                            kind_choices(regulation, root=is_root), is_root,
                            regulation.document_defaults.get("time_zone") or DocumentSettings.time_zone,
                            organization.parent_id in administered_organizations(session, actor),
                            report_dates.shown(report_dates.pack_days(regulation)),
                            calendar_days.entry_days(regulation, organization))


def details_of(organization: Organization) -> dict[str, Any]:
    return {name: getattr(organization, name) for name in FIELDS}


def new_organization(session: Session, data: Mapping[str, Any], *, parent: Organization | None,
                     actor: Actor) -> Organization:
    """An organization under ``parent`` (a root without one) from the checked ``data`` (audited; the caller
    commits). Callers check who may do it."""
    values = checked_details(data, regulation_id=parent.regulation if parent is not None else None,
                             root=parent is None)
    organization = Organization(parent=parent, **{name: values.get(name) for name in FIELDS})
    session.add(organization)
    session.flush()
    record_audit(session, "organization.created", actor=actor.person_id, object_type="organization",
                 object_id=organization.id, organization=organization.id,
                 details={"parent_id": parent.id if parent is not None else None,
                          **{name: shown_value(name, values.get(name), organization.regulation) for name in FIELDS}})
    return organization


def create_organization(session: Session, actor: Actor, parent_id: int, data: Mapping[str, Any]) -> Organization:
    """A new organization under one the actor administers (the caller commits)."""
    parent = administered(session, actor, parent_id, action="создание подчинённой организации")
    return new_organization(session, data, parent=parent, actor=actor)


def shown_value(name: str, value: Any, regulation: str | None = None) -> str:
    """A detail as the audit and the pages show it (``regulation``: the pack naming the calendar's entries)."""
    if value in (None, "", [], {}):
        return "—"
    if name == "calendar_days":
        return calendar_days.shown(value, regulations.shipped_packs().get(regulation or ""))
    if name == "kind":
        return organization_kind_label(str(value))
    if name == "report_dates" and isinstance(value, list):
        return report_dates.shown(value)
    if name == "document_settings" and isinstance(value, Mapping):
        parts = []
        for key, setting in value.items():
            shown = " / ".join(setting) if isinstance(setting, list) else TIME_ZONE_LABELS.get(str(setting), str(setting))
            label = LABELS.get(f"document_settings.{key}") or str(key)
            parts.append(f"{label.lower()}: {shown}")
        return "; ".join(parts)
    return str(value)


def update_organization(session: Session, actor: Actor, organization_id: int,
                        changes: Mapping[str, Any]) -> list[dict[str, str]]:
    """Change the organization's details (only those in ``changes``); every change audited old → new (the
    caller commits). The regulation is not changed here: a pack is bound by the methodologist (``packs bind``)."""
    organization = administered(session, actor, organization_id, action="изменение организации")
    current = details_of(organization)
    values = checked_details(changes, regulation_id=organization.regulation, root=organization.parent_id is None,
                             current=current)
    done: list[dict[str, str]] = []
    for name in FIELDS:
        if name == "regulation" or values.get(name) == current.get(name):
            continue
        done.append({"field": name, "label": LABELS[name],
                     "old": shown_value(name, current.get(name), organization.regulation),
                     "new": shown_value(name, values.get(name), organization.regulation)})
        setattr(organization, name, values.get(name))
    if done:
        session.flush()
        record_audit(session, "organization.changed", actor=actor.person_id, object_type="organization",
                     object_id=organization.id, organization=organization.id, details={"changes": done})
    if any(change["field"] == "calendar_days" for change in done):
        calendar.follow_calendar_days(session, actor, organization)  # the waiting processes move to the new days
    return done


def organization_record(organization: Organization, depth: int | None = None) -> dict[str, Any]:
    """The organization as the API shows it: its details, the settings it set and the ones its documents use."""
    settings = settings_for(organization)
    return {"id": organization.id, "parent_id": organization.parent_id, "name": organization.name,
            "short_name": organization.short_name, "kind": organization.kind,
            "kind_label": organization_kind_label(organization.kind), "regulation": organization.regulation,
            "regulation_title": regulation_title(organization.regulation), "inn": organization.inn,
            "ogrn": organization.ogrn, "document_settings": organization.document_settings or {},
            "effective_document_settings": settings.as_dict(),
            "heading_example": f"{settings.kind} № {settings.format_number(1)}", "depth": depth,
            "report_dates": organization.report_dates,
            "effective_report_dates": [f"{d.month:02d}-{d.day:02d}" for d in report_dates.report_dates(organization)],
            "calendar_days": organization.calendar_days,
            "effective_calendar_days": calendar_days.records(organization)}


@dataclass(frozen=True)
class ChangeEntry:
    """One line of the organization's history (as ``_macros.history`` shows it)."""

    at: datetime
    action: str
    text: str
    actor: str
    details: str | None


def organization_history(session: Session, actor: Actor, organization_id: int) -> list[ChangeEntry]:
    """When the organization was created and every change of its details (who, when, old → new), newest first."""
    administered(session, actor, organization_id, action="история организации")
    rows = session.execute(
        select(AuditEntry, Person.full_name).outerjoin(Person, Person.id == AuditEntry.actor_id)
        .where(AuditEntry.object_type == "organization", AuditEntry.object_id == str(organization_id),
               AuditEntry.action.in_(("organization.created", "organization.changed")))
        .order_by(AuditEntry.id.desc())).all()
    entries = []
    for entry, who in rows:
        changes = (entry.details or {}).get("changes") or []
        details = "; ".join(f"{c['label']}: «{c['old']}» → «{c['new']}»" for c in changes) or None
        text = "Организация создана" if entry.action == "organization.created" else "Изменены сведения"
        entries.append(ChangeEntry(entry.at, entry.action, text, who or "Система", details))
    return entries
