"""What the person's card shows the curator after corrections of rule facts: the person's decision history by the
person rule files of her organizations' packs (``decision_history``, newest first; earlier decisions are never
changed) and the discrepancies between the latest decisions and the mentee entries or appointments in force
(``discrepancies``). Nothing is changed here; the corrections are in ``fact_corrections``."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Decision, Mentee, appointed_on_stmt
from engine.documents.basics import zone_of
from engine.domain_time import local_day
from engine.regulations import pack_of
from engine.services.curation.fact_reevaluation import category_label, failed_sources, latest_decision
from engine.services.curation.registry_edits import curator_organizations
from engine.services.mentorship import mentee_registry
from engine.services.people.actor import Actor
from engine.services.process.domain import organization_today

PERSON_RULESETS = ("mentor_eligibility", "mentee_category", "mentee_eligibility")


def decision_history(session: Session, actor: Actor, person_id: int, *, limit: int = 30) -> list[Decision]:
    """The person's decisions by the person rule files of the curator's organizations' packs, newest first
    (the history the corrections add to; the earlier decisions are never changed)."""
    rulesets = {ruleset for organization in curator_organizations(session, actor)
                for ruleset in (pack_of(organization).ruleset(p) for p in PERSON_RULESETS) if ruleset}
    if not rulesets:
        return []
    return list(session.scalars(select(Decision).where(Decision.person_id == person_id,
                                                       Decision.ruleset_id.in_(rulesets))
                                .order_by(Decision.id.desc()).limit(limit)))


def discrepancies(session: Session, actor: Actor, person_id: int, *, today: date | None = None) -> dict[str, str]:
    """What the person's card flags for the curator after corrections, by ``mentee-<entry id>`` and
    ``appointment-<id>``: an open mentee entry whose latest decision (recorded after the entry's own) places the
    person elsewhere or nowhere; an appointment in force whose mentor's latest eligibility decision says they no
    longer meet the requirements. Nothing is changed here."""
    flags: dict[str, str] = {}
    for organization in curator_organizations(session, actor):
        day = today or organization_today(session, organization)
        pack = pack_of(organization)
        category_ruleset = pack.ruleset("mentee_category") or pack.ruleset("mentee_eligibility")
        entries = session.scalars(select(Mentee).where(Mentee.person_id == person_id,
                                                       Mentee.organization_id == organization.id,
                                                       Mentee.status.in_(mentee_registry.OPEN_STATUSES)))
        for entry in entries:
            latest = latest_decision(session, person_id, category_ruleset) if category_ruleset else None
            if latest is None or latest.id <= (entry.decision_id or 0):
                continue
            decided = pack.category_for_roadmap(str((latest.body.get("outputs") or {}).get("roadmap_id") or ""))
            confirms = latest.verdict == "eligible" or (latest.verdict == "categorized" and decided is not None
                                                        and decided.id == entry.category)
            if not confirms:
                now = f"«{decided.label}»" if latest.verdict == "categorized" and decided else latest.body.get(
                    "verdict_label", latest.verdict)
                flags[f"mentee-{entry.id}"] = (f"по сведениям, исправленным {latest.made_at:%d.%m.%Y}: {now}; запись "
                                               f"в базе — «{category_label(pack, entry.category)}»")
        mentor_ruleset = pack.ruleset("mentor_eligibility")
        if mentor_ruleset is None:
            continue
        for appointment in session.scalars(appointed_on_stmt(day, organization_id=organization.id,
                                                             person_id=person_id)):
            latest = latest_decision(session, person_id, mentor_ruleset)
            if latest is not None and latest.verdict != "eligible" and local_day(latest.made_at, zone_of(organization)) >= appointment.starts_on:
                flags[f"appointment-{appointment.id}"] = (f"больше не соответствует требованиям к наставнику "
                                                          f"({failed_sources(latest.body) or pack.seed}) — по решению от "
                                                          f"{latest.made_at:%d.%m.%Y}")
    return flags
