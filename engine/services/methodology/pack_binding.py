"""Which regulation an organization works by: ``Organization.regulation`` names a pack (until the administrator's
pages, issue 12, this is the only way to change it besides the database).

Who may bind: a methodologist of the organization or of an organization above it (the department whose
regulation its schools follow), and only to a pack he already works with (one of his organizations is bound to
it) — else a methodologist could take over another region's pack by binding his own organization to it and then
editing it. The system (``nastavnik packs bind``) may bind any organization to any pack the process runs.
Every change is audited with the pack before and after.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.db.models import Organization, Role, record_audit
from engine.errors import NotFound, PermissionDenied
from engine.regulations import pack
from engine.services.methodology.access import bound_packs
from engine.services.people.actor import Actor


def _above(organization: Organization) -> list[int]:
    chain, seen = [], set()
    current: Organization | None = organization
    while current is not None and current.id not in seen:
        seen.add(current.id)
        chain.append(current.id)
        current = current.parent
    return chain


def bind_organization(session: Session, actor: Actor, organization_id: int, pack_id: str) -> Organization:
    """Bind the organization to the pack (see the module's notes); NotFound for an unknown organization or pack
    (the message lists the packs there are), PermissionDenied for anyone else."""
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(f"нет организации №{organization_id}", where="organization")
    regulation = pack(pack_id)  # NotFound: «нет положения (пакета) …; есть: …»
    if not actor.is_system:
        who = actor.full_name or actor.login
        if not actor.organizations(Role.METHODOLOGIST) & set(_above(organization)):
            raise PermissionDenied(f"{who}: положение организации «{organization.short_name or organization.name}» "
                                   "меняет методист этой организации или вышестоящей")
        if pack_id not in bound_packs(session, actor):
            raise PermissionDenied(f"{who}: по положению «{regulation.title}» не работает ни одна из ваших "
                                   "организаций; привязать к нему можно только из командной строки")
    previous = organization.regulation
    if previous == pack_id:
        return organization
    organization.regulation = pack_id
    session.flush()
    record_audit(session, "organization.regulation_bound", actor=actor.person_id, obj=organization,
                 organization=organization.id, details={"from": previous, "to": pack_id})
    return organization
