"""One mentee, one program: a person is the mentee of at most one pair (group) that is pending — being formed,
its pair-formation process still running (consents, the head's order) — or approved with a program running.
A mentor may have several mentees (003 §2.4 «Наставничество в группе»); a mentee may not be in two programs at
once (003 §3.6, §6.2: the pair is formed for the mentee's personalized program). The one owner of that rule:
the curator's proposal, each consent and the head's signature ask ``require_free``, and the registry offers
for a new pair only the mentees ``engaged_elsewhere`` finds nothing for."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import GroupMember, InstanceStatus, MentoringGroup, Person, Program, WorkflowInstance
from engine.db.models.mentorship import GroupStatus
from engine.errors import ConflictError

RUNNING_PROGRAM = ("active", "extended")


@dataclass(frozen=True)
class Engagement:
    """The other pair (group) a mentee is in, and how far it has come."""

    group: MentoringGroup
    program: Program | None  # the running program (None: the pair awaits consents or the head's order)

    def describe(self) -> str:
        group = self.group
        mentees = ", ".join(m.person.full_name for m in group.members if m.left_on is None)
        pair = f"пара (группа) №{group.id}: наставник {group.mentor.full_name}, наставляемые — {mentees}"
        if self.program is not None:
            return f"{pair}; выполняется программа №{self.program.id}"
        return f"{pair}; формируется — ждёт согласий участников или приказа руководителя"


def _forming_groups(session: Session, organization_ids: set[int]) -> set[int]:
    """Ids of the groups whose pair-formation process is still running."""
    instances = session.scalars(select(WorkflowInstance).where(
        WorkflowInstance.kind == "pair_formation", WorkflowInstance.status == InstanceStatus.RUNNING.value,
        WorkflowInstance.organization_id.in_(organization_ids)))
    found = set()
    for instance in instances:
        group_id = (instance.subject or {}).get("group_id")
        if isinstance(group_id, int):
            found.add(group_id)
    return found


def engaged_elsewhere(session: Session, person_id: int, *, excluding_group_id: int | None = None,
                      pending: bool = True) -> Engagement | None:
    """The pending (``pending``: counted) or running pair (group) ``person_id`` is a mentee of, other than
    ``excluding_group_id``."""
    groups = list(session.scalars(
        select(MentoringGroup).join(GroupMember, GroupMember.group_id == MentoringGroup.id)
        .where(GroupMember.person_id == person_id, GroupMember.left_on.is_(None),
               MentoringGroup.status.in_([GroupStatus.FORMING.value, GroupStatus.APPROVED.value]))
        .order_by(MentoringGroup.id)))
    groups = [g for g in groups if g.id != excluding_group_id]
    if not groups:
        return None
    forming = _forming_groups(session, {g.organization_id for g in groups if g.status == GroupStatus.FORMING})
    for group in groups:
        if pending and group.status == GroupStatus.FORMING and group.id in forming:
            return Engagement(group, None)
        running = next((p for p in group.programs if p.status in RUNNING_PROGRAM), None)
        if group.status == GroupStatus.APPROVED and running is not None:
            return Engagement(group, running)
    return None


def require_free(session: Session, person_id: int, *, excluding_group_id: int | None = None,
                 where: str = "mentee_ids", pending: bool = True, organization_id: int | None = None) -> None:
    """Refuses (naming the other pair) a mentee who is already in a pending or running pair (group); at the head's
    signature (``pending=False``) only a running one counts: of two pairs pending at once (proposed before this
    rule, or at the same moment) the first signed wins and the other is refused. ``organization_id``: the asking organization — a pair of another one is
    not described (its people are not hers to learn)."""
    found = engaged_elsewhere(session, person_id, excluding_group_id=excluding_group_id, pending=pending)
    if found is not None:
        person = session.get(Person, person_id)
        name = person.full_name if person is not None else f"наставляемый №{person_id}"
        other = (found.describe() if organization_id in (None, found.group.organization_id)
                 else "пара (группа) другой организации")
        raise ConflictError(f"{name} уже наставляемый в другой паре (группе) — {other}. Наставляемый "
                            "участвует только в одной программе наставничества", where=where)
