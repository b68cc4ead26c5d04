"""The head's ledger of the mentors' bonus fund (003 §9.3; issue 15, item 3): per head-mentor per year.

003 §9.3: «увеличение годового премиального фонда руководителя образовательной организации … на сумму, равную
3 окладам», 4 for two mentees, 5 for three and more, «на весь срок реализации персонализированной программы
наставничества»; it «может быть отменено» on poor-quality mentoring. The amount is the mentor's for her term
(``MentorBonus``, one record per mentor and appointment term, kept by ``engine.services.mentorship.bonus``), so
the annual fund of every year the term touches grows by it: a ledger row is a record and a year. Its basis is
the mentor's programs in the term (their dates and mentees, as the rule counted them); its grounds are the
criteria the stored rule decision failed (each message names its clause); the head's decision — keep (grant) or
revoke (refuse, with the reason) — is the record's, for the whole term, recorded with who and when and audited.

Who: a head sees the records of the organizations where she is head and of every organization under them (as
staff see subordinate registries); she decides only where she holds the head's role herself (a head's signature
stays with her organization, ``engine.services.people.actor``). The ledger is read in a fixed number of
statements, whatever the number of rows: the records with their names and decisions, the programs of their
mentors, the mentees of those programs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from engine.db.models import (
    Decision,
    GroupMember,
    MentorBonus,
    MentoringGroup,
    Organization,
    Person,
    Program,
    Role,
    log_shown,
)
from engine.errors import NotFound, PermissionDenied
from engine.services.mentorship import bonus
from engine.services.people.actor import Actor, subtree
from engine.workflow import Clock

REVOCABLE = bonus.REVOCABLE
LEDGER_BOUND = 1000  # rows of one year on one page (a department's head-mentors are tens)


@dataclass(frozen=True)
class Ground:
    """A revocation ground the rule found: the failed criterion, its message (with the clause) and its clause."""

    id: str
    message: str
    source: str


@dataclass(frozen=True)
class BasisProgram:
    id: int
    status: str
    started_on: date | None
    ends_on: date | None  # completed on, else the planned end
    mentees: tuple[str, ...]


@dataclass(frozen=True)
class LedgerRow:
    bonus_id: int
    year: int
    organization_id: int
    organization: str
    mentor_id: int
    mentor: str
    term_starts_on: date
    term_ends_on: date | None
    mentee_count: int
    salaries: int  # the rule's output: the increase of the annual fund (оклады)
    verdict: str | None
    verdict_label: str | None
    grounds: tuple[Ground, ...]
    programs: tuple[BasisProgram, ...]
    revoked: bool | None  # the head's decision: None = not decided
    reason: str | None
    decided_by: str | None
    decided_at: datetime | None
    may_decide: bool  # the viewer is head of the record's organization and there is an increase to decide on

    @property
    def may_revoke(self) -> bool:
        return self.may_decide and self.verdict == REVOCABLE

    @property
    def granted_salaries(self) -> int:
        """What the year's fund grows by after the head's decision (0 when revoked)."""
        return 0 if self.revoked else self.salaries

    @property
    def state(self) -> str:
        """``granted``, ``revoked``, ``undecided`` or ``none`` (no increase is due)."""
        if self.salaries == 0:
            return "none"
        return "undecided" if self.revoked is None else ("revoked" if self.revoked else "granted")

    def as_dict(self) -> dict[str, Any]:
        return {
            "bonus_id": self.bonus_id, "year": self.year, "organization_id": self.organization_id,
            "organization": self.organization, "mentor_id": self.mentor_id, "mentor": self.mentor,
            "term_starts_on": self.term_starts_on, "term_ends_on": self.term_ends_on,
            "mentee_count": self.mentee_count, "salaries": self.salaries, "granted_salaries": self.granted_salaries,
            "verdict": self.verdict, "verdict_label": self.verdict_label, "state": self.state,
            "grounds": [{"id": g.id, "message": g.message, "source": g.source} for g in self.grounds],
            "programs": [{"id": p.id, "status": p.status, "started_on": p.started_on, "ends_on": p.ends_on,
                          "mentees": list(p.mentees)} for p in self.programs],
            "decision": None if self.revoked is None else {
                "revoked": self.revoked, "reason": self.reason, "decided_by": self.decided_by,
                "decided_at": self.decided_at},
        }


@dataclass(frozen=True)
class Ledger:
    year: int
    years: tuple[int, ...]  # the years with records in scope (and the year asked for)
    organizations: tuple[tuple[int, str], ...]  # the organizations in scope (id, name)
    organization_id: int | None  # the one filtered by, else None (all in scope)
    rows: tuple[LedgerRow, ...]

    @property
    def total_salaries(self) -> int:
        return sum(row.granted_salaries for row in self.rows)


def head_scope(session: Session, actor: Actor) -> set[int]:
    """The organizations whose ledger the actor sees: where she is head, and every one under them."""
    scope = subtree(session, actor.organizations(Role.HEAD))
    if not scope:
        raise PermissionDenied(f"{actor.full_name or actor.login}: фонд надбавок наставникам ведёт только "
                               "роль «руководитель»")
    return scope


def _grounds(body: dict | None) -> tuple[Ground, ...]:
    if not body or body.get("verdict") != REVOCABLE:
        return ()
    return tuple(Ground(str(c.get("id")), str(c.get("message") or c.get("label") or ""), str(c.get("source") or ""))
                 for c in body.get("criteria") or [] if c.get("passed") is False)


def _basis(session: Session, records: list[MentorBonus]) -> dict[int, tuple[BasisProgram, ...]]:
    """Each record's programs (those ``bonus.programs_in_term`` counts), in two statements for all records."""
    if not records:
        return {}
    rows = session.execute(
        select(Program.id, Program.status, Program.started_on, Program.completed_on, Program.planned_end_on,
               MentoringGroup.id, MentoringGroup.mentor_id, MentoringGroup.organization_id)
        .join(MentoringGroup, Program.group_id == MentoringGroup.id)
        .where(MentoringGroup.mentor_id.in_({r.mentor_id for r in records}),
               MentoringGroup.organization_id.in_({r.organization_id for r in records}),
               Program.started_on.is_not(None), Program.started_on >= min(r.term_starts_on for r in records))
        .order_by(Program.started_on, Program.id)).all()
    mentees: dict[int, list[str]] = {}
    group_ids = {row[5] for row in rows}
    if group_ids:
        for group_id, name in session.execute(
                select(GroupMember.group_id, Person.full_name).join(Person, GroupMember.person_id == Person.id)
                .where(GroupMember.group_id.in_(group_ids)).order_by(Person.full_name)):
            mentees.setdefault(group_id, []).append(name)
    by_mentor: dict[tuple[int, int], list[BasisProgram]] = {}
    for pid, status, started, completed, planned, gid, mentor_id, org_id in rows:
        by_mentor.setdefault((mentor_id, org_id), []).append(
            BasisProgram(pid, status, started, completed or planned, tuple(mentees.get(gid, ()))))
    return {record.id: tuple(
        p for p in by_mentor.get((record.mentor_id, record.organization_id), ())
        if p.started_on is not None and record.term_starts_on <= p.started_on
        and (record.term_ends_on is None or p.started_on <= record.term_ends_on)) for record in records}


def _years(session: Session, scope: set[int], year: int) -> tuple[int, ...]:
    first, last = session.execute(
        select(func.min(MentorBonus.term_starts_on),
               func.max(func.coalesce(MentorBonus.term_ends_on, MentorBonus.term_starts_on)))
        .where(MentorBonus.organization_id.in_(scope))).one()
    if first is None:
        return (year,)
    return tuple(sorted(set(range(first.year, last.year + 1)) | {year}, reverse=True))


def ledger(session: Session, actor: Actor, year: int, organization_id: int | None = None) -> Ledger:
    """The bonus fund of ``year`` in the actor's scope (or in one organization of it)."""
    scope = head_scope(session, actor)
    if organization_id is not None:
        if organization_id not in scope:
            if session.get(Organization, organization_id) is None:
                raise NotFound(f"нет организации №{organization_id}")
            raise PermissionDenied(f"{actor.full_name or actor.login}: фонд надбавок этой организации вам не доступен")
        shown = {organization_id}
    else:
        shown = scope
    decider = aliased(Person)
    result = session.execute(
        select(MentorBonus, Person.full_name, Organization.name, Decision.body, decider.full_name)
        .join(Person, MentorBonus.mentor_id == Person.id)
        .join(Organization, MentorBonus.organization_id == Organization.id)
        .outerjoin(Decision, MentorBonus.decision_id == Decision.id)
        .outerjoin(decider, MentorBonus.decided_by_id == decider.id)
        .where(MentorBonus.organization_id.in_(shown), MentorBonus.term_starts_on <= date(year, 12, 31),
               or_(MentorBonus.term_ends_on.is_(None), MentorBonus.term_ends_on >= date(year, 1, 1)))
        .order_by(Organization.name, Person.full_name, MentorBonus.term_starts_on, MentorBonus.id)
        .limit(LEDGER_BOUND)).all()
    basis = _basis(session, [row[0] for row in result])
    heads = actor.organizations(Role.HEAD)
    rows = []
    for record, mentor, organization, body, decided_by in result:
        rows.append(LedgerRow(
            record.id, year, record.organization_id, organization, record.mentor_id, mentor, record.term_starts_on,
            record.term_ends_on, record.mentee_count, record.salaries, record.verdict,
            (body or {}).get("verdict_label") if record.verdict else None, _grounds(body if record.verdict else None),
            basis.get(record.id, ()), record.revoked, record.reason, decided_by, record.decided_at,
            record.organization_id in heads and record.salaries > 0))
    _log_shown(session, actor, rows)
    names = tuple((org_id, name) for org_id, name in session.execute(
        select(Organization.id, Organization.name).where(Organization.id.in_(scope))
        .order_by(Organization.parent_id.is_not(None), Organization.name)))
    return Ledger(year, _years(session, scope, year), names, organization_id, tuple(rows))


def _log_shown(session: Session, actor: Actor, rows: list[LedgerRow]) -> None:
    """152-ФЗ: the mentors the ledger shows with their bonus (the mentees are shown by name only, as the
    program's basis)."""
    log_shown(session, (row.mentor_id for row in rows), "фонд надбавок наставникам (003 §9.3)",
              viewer=actor.person_id, fields=["full_name", "mentor_bonuses"])


def decidable(session: Session, actor: Actor, bonus_id: int) -> MentorBonus:
    """The record, if the actor is a head of its organization (404 / 403 before any form is read)."""
    record = session.get(MentorBonus, bonus_id)
    if record is None:
        raise NotFound(f"нет записи фонда надбавок №{bonus_id}")
    actor.require(record.organization_id, Role.HEAD, action="решение об увеличении премиального фонда наставника")
    return record


def decide(session: Session, actor: Actor, bonus_id: int, *, revoked: bool | None, reason: str,
           clock: Clock | None = None) -> MentorBonus:
    """The head's decision on the record from the ledger: keep the increase (a reason optional) or revoke it —
    only on the grounds the rule found (003 §9.3), with the reason required."""
    record = decidable(session, actor, bonus_id)
    return bonus.record_head_decision(session, actor, record, revoked=revoked, reason=reason, clock=clock,
                                      obj=record, reason_always=False)
