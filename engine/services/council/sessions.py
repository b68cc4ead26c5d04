"""A council session from its scheduling to the vote (000 §4.1–4.2, §5.1): the agenda, who came, the election of
the secretary, each attendee's vote on each item, the secretary's record of the discussion, the result counted.

Nothing is committed here: the caller owns the transaction.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.db.models import (
    SESSION_STATUS_LABELS,
    AgendaItem,
    Attendance,
    CouncilSession,
    Organization,
    SessionStatus,
    Vote,
    VoteChoice,
)
from engine.errors import ConflictError, NotFound, PermissionDenied
from engine.regulations.council_bodies import MENTORS_COUNCIL
from engine.services.council import notices
from engine.services.council.base import (
    TITLE_MAX,
    CouncilDataError,
    audit,
    body_of,
    clean,
    council_for,
    get_session,
    member_ids,
    require_organizer,
)
from engine.services.people.actor import Actor


def require_status(found: CouncilSession, action: str, *allowed: SessionStatus) -> None:
    if found.status not in {s.value for s in allowed}:
        raise ConflictError(f"сессия № {found.number} в состоянии «{SESSION_STATUS_LABELS[SessionStatus(found.status)]}»:"
                            f" действие «{action}» сейчас недоступно", where=f"council_sessions.{found.id}")


def schedule(session: Session, actor: Actor, organization_id: int, *, held_on: date | None, place: str,
             agenda: list[str], body: str = MENTORS_COUNCIL, considers: Sequence[str] = ()) -> CouncilSession:
    """The curator or the chair schedules a session (000 §4.1) with its agenda (at least one item): the questions
    of the body the pack lists that an order later approves (``considers``: order kinds, worded by the pack — the
    pedagogical council's «Рассмотрение плана…», 004 прил. 1 п. 3.1.1) first, then the typed ones. The protocol's
    number is the next within the body and the calendar year of ``held_on``."""
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(f"нет организации № {organization_id}", where="organization")
    spec = body_of(organization, body)
    council = council_for(session, organization_id, body=body)
    if council is None or not council.members:
        raise ConflictError(f"в составе органа «{spec.label}» нет членов: сначала куратор формирует его состав",
                            where="council")
    require_organizer(council, actor, "назначение заседания")
    if held_on is None:
        raise CouncilDataError("укажите дату проведения сессии", where="held_on")
    topics = []
    for order in dict.fromkeys(considers):
        considered = spec.considered(order)
        if considered is None:
            raise CouncilDataError(f"орган «{spec.label}» не рассматривает такой вопрос по положению", where="considers")
        topics.append((considered.title, order))
    typed = [(clean(title, "agenda", "Вопрос повестки", limit=TITLE_MAX), None) for title in agenda
             if str(title).strip()]
    items = topics + typed
    if not items:
        raise CouncilDataError("в повестке сессии должен быть хотя бы один вопрос", where="agenda")
    number = (session.scalar(select(func.max(CouncilSession.number)).where(
        CouncilSession.council_id == council.id, CouncilSession.year == held_on.year)) or 0) + 1
    found = CouncilSession(council=council, number=number, year=held_on.year, held_on=held_on,
                           status=SessionStatus.PLANNED.value,
                           place=clean(place, "place", "Место проведения", limit=300, required=False),
                           created_by_id=actor.person_id)
    found.items = [AgendaItem(position=i, title=title, considers=order) for i, (title, order) in enumerate(items, 1)]
    session.add(found)
    session.flush()
    audit(session, "council.session_scheduled", actor, council, found, number=number, held_on=held_on.isoformat(),
          agenda=[title for title, _order in items], body=council.body)
    notices.scheduled(session, found, actor.person_id)
    return found


def add_item(session: Session, actor: Actor, session_id: int, title: str) -> AgendaItem:
    found = get_session(session, actor, session_id)
    require_organizer(found.council, actor, "дополнение повестки")
    require_status(found, "дополнение повестки", SessionStatus.PLANNED)
    item = AgendaItem(position=len(found.items) + 1, title=clean(title, "title", "Вопрос повестки", limit=TITLE_MAX))
    found.items.append(item)
    session.flush()
    audit(session, "council.item_added", actor, found.council, found, item_id=item.id, title=item.title)
    return item


def hold(session: Session, actor: Actor, session_id: int, *, present: list[int], secretary_id: int | None,
         votes_for: int, votes_against: int = 0, abstained: int = 0) -> CouncilSession:
    """The chair (or the curator) marks who of the members came and records the election of the secretary
    among them (000 §5.1); the number of members is fixed for the protocol (000 §5.2)."""
    found = get_session(session, actor, session_id)
    council = found.council
    require_organizer(council, actor, "проведение сессии")
    require_status(found, "проведение сессии", SessionStatus.PLANNED)
    members = member_ids(council)
    came = list(dict.fromkeys(present))
    if not came:
        raise CouncilDataError("отметьте присутствующих членов совета", where="present")
    strangers = [p for p in came if p not in members]
    if strangers:
        raise CouncilDataError("отмечены люди не из состава совета", where="present")
    if secretary_id is None or secretary_id not in came:
        raise CouncilDataError("секретарь избирается из присутствующих на сессии", where="secretary_id")
    counts = (votes_for, votes_against, abstained)
    if any(v < 0 for v in counts) or sum(counts) > len(came):
        raise CouncilDataError(f"голосов при избрании секретаря не может быть больше присутствующих ({len(came)})",
                               where="votes_for")
    if votes_for <= votes_against:
        raise CouncilDataError("секретарь не избран: голосов «за» должно быть больше, чем «против»",
                               where="votes_for")
    found.attendance = [Attendance(person_id=p) for p in came]
    found.members_total = len(members)
    found.secretary_id = secretary_id
    found.secretary_votes = f"за — {votes_for}, против — {votes_against}, воздержались — {abstained}"
    found.status = SessionStatus.HELD.value
    session.flush()
    audit(session, "council.session_held", actor, council, found, present=len(came), members_total=len(members),
          secretary_id=secretary_id, secretary_votes=found.secretary_votes)
    notices.voting_open(session, found, actor.person_id)
    notices.secretary_elected(session, found, actor.person_id)
    return found


def item_of(found: CouncilSession, item_id: int) -> AgendaItem:
    for item in found.items:
        if item.id == item_id:
            return item
    raise CouncilDataError(f"в повестке сессии № {found.number} нет вопроса № {item_id}", where="item")


def require_present(found: CouncilSession, actor: Actor) -> None:
    """Only the members marked present at the session vote (000 §4.2)."""
    if actor.person_id not in {a.person_id for a in found.attendance}:
        raise PermissionDenied(f"{actor.full_name or actor.login}: голосуют только присутствующие на сессии члены совета")


def vote(session: Session, actor: Actor, session_id: int, item_id: int, choice: str) -> Vote:
    """A member present votes on an item (000 §4.2); a second vote replaces the first while voting is open."""
    found = get_session(session, actor, session_id)
    require_status(found, "голосование", SessionStatus.HELD)
    require_present(found, actor)
    if choice not in {c.value for c in VoteChoice}:
        raise CouncilDataError("выберите: «за», «против» или «воздержался»", where="choice")
    item = item_of(found, item_id)
    cast = next((v for v in item.votes if v.person_id == actor.person_id), None)
    if cast is None:
        cast = Vote(person_id=actor.person_id, choice=choice)
        item.votes.append(cast)
    else:
        cast.choice = choice
    session.flush()
    audit(session, "council.vote_cast", actor, found.council, item, session_id=found.id, choice=choice)
    return cast


def record_item(session: Session, actor: Actor, session_id: int, item_id: int, *, key_points: str, proposals: str,
                decision: str, responsible: str = "") -> AgendaItem:
    """The secretary records the discussion of an item and the decision put to the vote (000 §5.1–5.2)."""
    found = get_session(session, actor, session_id)
    require_secretary(found, actor, "запись обсуждения вопроса")
    require_status(found, "запись обсуждения вопроса", SessionStatus.HELD)
    item = item_of(found, item_id)
    item.key_points = clean(key_points, "key_points", "Ключевые моменты обсуждения", required=False)
    item.proposals = clean(proposals, "proposals", "Предложения и замечания", required=False)
    item.decision = clean(decision, "decision", "Решение")
    item.responsible = clean(responsible, "responsible", "Ответственные", limit=300, required=False)
    session.flush()
    audit(session, "council.item_recorded", actor, found.council, item, session_id=found.id)
    return item


def require_secretary(found: CouncilSession, actor: Actor, action: str) -> None:
    if actor.person_id is None or actor.person_id != found.secretary_id:
        raise PermissionDenied(f"{actor.full_name or actor.login}: действие «{action}» выполняет секретарь сессии")


@dataclass(frozen=True)
class Tally:
    votes_for: int
    against: int
    abstained: int
    present: int
    members: int

    @property
    def quorum(self) -> bool:
        return self.present * 2 > self.members

    @property
    def adopted(self) -> bool:
        return self.quorum and self.votes_for > self.against

    @property
    def words(self) -> str:
        if not self.quorum:
            return f"решение не принято: нет кворума (присутствуют {self.present} из {self.members})"
        return "решение принято" if self.adopted else "решение не принято"


def tally(found: CouncilSession, item: AgendaItem) -> Tally:
    """The result of the vote on ``item`` under ``QUORUM_RULE``."""
    choices = [v.choice for v in item.votes]
    return Tally(choices.count(VoteChoice.FOR.value), choices.count(VoteChoice.AGAINST.value),
                 choices.count(VoteChoice.ABSTAIN.value), len(found.attendance), found.members_total or 0)
