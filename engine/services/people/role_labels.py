"""What a role is called where it is held: the organization's regulation pack names its roles (004: «Стажёр»,
«Сетевой наставник», «Специалист управления образования»); where a pack says nothing, the general label."""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.db.models import Organization
from engine.errors import NotFound
from engine.regulations import pack
from engine.services.people.actor import ROLE_LABELS


def pack_labels(session: Session, organization_id: int | None) -> dict[str, str]:
    """{role: label} the organization's pack gives (none for an unknown organization or pack)."""
    found = session.get(Organization, organization_id) if organization_id is not None else None
    if found is None:
        return {}
    try:
        regulation = pack(found.regulation)
    except NotFound:
        return {}
    return {role: cited.label for role, cited in regulation.roles.items()}


def labels_of(session: Session, organization_id: int | None) -> dict[str, str]:
    """{role: label} in the organization (the pack's labels over the general ones)."""
    return {**ROLE_LABELS, **pack_labels(session, organization_id)}


def role_label(session: Session, organization_id: int | None, role: str) -> str:
    return labels_of(session, organization_id).get(role, role)
