"""Who may see and edit which rule file and which regulation pack: a methodologist works with the packs his
organizations are bound to, and with the rule files those packs ship (a ruleset of no pack: every methodologist)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Organization, Role
from engine.errors import PermissionDenied
from engine.regulations import shipped_packs
from engine.services.people.actor import Actor


def bound_packs(session: Session, actor: Actor) -> set[str]:
    """The packs the organizations where the actor is a methodologist are bound to."""
    organizations = actor.organizations(Role.METHODOLOGIST)
    if not organizations:
        return set()
    return set(session.scalars(select(Organization.regulation).where(Organization.id.in_(organizations))))


def require_pack_access(session: Session, actor: Actor, pack_id: str) -> None:
    if actor.is_system:
        return
    who = actor.full_name or actor.login
    if not actor.organizations(Role.METHODOLOGIST):
        raise PermissionDenied(f"{who}: положения (пакеты) правят только методисты")
    if pack_id not in bound_packs(session, actor):
        raise PermissionDenied(f"{who}: по положению «{pack_id}» работают другие организации; его правят их "
                               "методисты")


def pack_of_ruleset(ruleset_id: str) -> str | None:
    """The regulation pack whose rulesets/ folder ships the ruleset (None: a ruleset of no pack)."""
    return next((p.id for p in shipped_packs().values() if ruleset_id in {Path(f).stem for f in p.rule_files}),
                None)


def may_use_ruleset(ruleset_id: str, packs: set[str], actor: Actor) -> bool:
    """Whether a methodologist bound to ``packs`` may see and edit the ruleset."""
    if not actor.organizations(Role.METHODOLOGIST):
        return False
    regulation = pack_of_ruleset(ruleset_id)
    return regulation is None or regulation in packs


def rule_file_denied(actor: Actor, file_name: str) -> PermissionDenied:
    return PermissionDenied(f"{actor.full_name or actor.login}: файл правил {file_name} относится к регламенту "
                            "другой организации; он доступен методистам этой организации")
