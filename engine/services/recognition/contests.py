"""The best-mentor contest (003 §9.1 «проведение конкурсов на лучшего наставника муниципалитета»; 004 прил. 1
п. 6.1 «награждение лучших наставников»), as a process of its own:

1. a curator or head of the organization announces it, with the number of winners, and names the jury (people
   working in the organization's tree);
2. curators and heads of the organization (and of those under it) nominate its mentors, each with a basis;
3. voting opens: each juror gives each nominee a score from 0 to 10 (one per juror per nominee, changeable
   until the result is computed);
4. the result is computed once every juror has scored every nominee: nominees ranked by the sum of their scores;
   the first ``winners_count`` places win (a tie at the last winning place wins too); the order on the results
   (``contest_result``, worded by the pack's template) is drafted and sent for the head's signature;
5. the head signs it on «Приказы на подпись» — the contest closes and each winner gets the incentive the pack
   marks ``contest: true`` (``contest_results``); a refused order returns the contest to voting.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import (
    ContestJuror,
    ContestNomination,
    ContestStatus,
    ContestVote,
    MentorContest,
    Order,
    record_audit,
)
from engine.db.models.recognition import CONTEST_LIFECYCLE, SCORE_MAX, SCORE_MIN
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.orders import drafting
from engine.services.people.actor import Actor, staff_organizations, subtree
from engine.services.recognition import notices
from engine.services.recognition.basics import (
    RECORDERS,
    clean_text,
    member_of_tree,
    mentor_in,
    organization,
    pack,
    require_recorder,
)


def _audit(session: Session, action: str, actor: Actor, contest: MentorContest, **details: object) -> None:
    record_audit(session, action, actor=actor.person_id, obj=contest, organization=contest.organization_id,
                 details=details)


def get(session: Session, contest_id: int) -> MentorContest:
    contest = session.get(MentorContest, contest_id)
    if contest is None:
        raise NotFound(f"нет конкурса №{contest_id}")
    return contest


def _require_status(contest: MentorContest, status: ContestStatus, what: str) -> None:
    if contest.status != status.value:
        raise ConflictError(f"конкурс «{contest.title}» сейчас в состоянии «{CONTEST_LIFECYCLE.label(contest.status)}»:"
                            f" {what} возможно в состоянии «{CONTEST_LIFECYCLE.label(status.value)}»",
                            where=f"mentor_contests.{contest.id}")


def announce(session: Session, actor: Actor, organization_id: int, title: str, winners_count: int,
             juror_ids: list[int]) -> MentorContest:
    org = organization(session, organization_id)
    require_recorder(actor, organization_id, "объявление конкурса «Лучший наставник»")
    if pack(org).contest_incentive() is None:
        raise NastavnikError(f"положение «{pack(org).title}» не предусматривает конкурс на лучшего наставника",
                             where="organization_id")
    title = clean_text(title, "Название конкурса", "title", limit=300)
    if isinstance(winners_count, bool) or not isinstance(winners_count, int) or not 1 <= winners_count <= 50:
        raise NastavnikError("число победителей — от 1 до 50", where="winners_count")
    for person_id in juror_ids:  # every juror checked before anything is written
        member_of_tree(session, person_id, org.id, "juror_ids")
    contest = MentorContest(organization_id=org.id, title=title, winners_count=winners_count,
                            status=ContestStatus.NOMINATING.value, created_by_id=actor.person_id)
    session.add(contest)
    session.flush()
    _audit(session, "contest.announced", actor, contest, title=title, winners_count=winners_count)
    for person_id in juror_ids:
        add_juror(session, actor, contest.id, person_id)
    return contest


def _chosen(value: int | None, what: str, where: str) -> int:
    if value is None:
        raise NastavnikError(f"выберите: {what}", where=where)
    return value


def add_juror(session: Session, actor: Actor, contest_id: int, person_id: int | None) -> ContestJuror:
    contest = get(session, contest_id)
    require_recorder(actor, contest.organization_id, "состав жюри конкурса")
    _require_status(contest, ContestStatus.NOMINATING, "изменение состава жюри")
    person_id = _chosen(person_id, "член жюри", "person_id")
    person = member_of_tree(session, person_id, contest.organization_id, "juror_id")
    if any(j.person_id == person.id for j in contest.jurors):
        raise ConflictError(f"{person.full_name} уже в составе жюри", where="juror_id")
    juror = ContestJuror(contest=contest, person_id=person.id)
    session.add(juror)
    session.flush()
    _audit(session, "contest.juror_added", actor, contest, person_id=person.id)
    return juror


def nominate(session: Session, actor: Actor, contest_id: int, mentor_id: int | None,
             basis: str) -> ContestNomination:
    """A curator or head of the contest's organization (or of one under it) nominates a mentor with a basis."""
    contest = get(session, contest_id)
    tree = subtree(session, {contest.organization_id})
    if not any(org in tree and role in RECORDERS for org, role in actor.roles):
        raise PermissionDenied(f"{actor.full_name or actor.login}: выдвигают наставников на конкурс кураторы и "
                               "руководители организации, объявившей конкурс, и подчинённых ей")
    _require_status(contest, ContestStatus.NOMINATING, "выдвижение")
    mentor = mentor_in(session, _chosen(mentor_id, "наставник", "mentor_id"), contest.organization_id)
    basis = clean_text(basis, "Основание выдвижения", "basis")
    if any(n.mentor_id == mentor.id for n in contest.nominations):
        raise ConflictError(f"{mentor.full_name} уже выдвинут(а) на этот конкурс", where="mentor_id")
    nomination = ContestNomination(contest=contest, mentor_id=mentor.id, basis=basis, nominated_by_id=actor.person_id)
    session.add(nomination)
    session.flush()
    _audit(session, "contest.nominated", actor, contest, mentor_id=mentor.id, basis=basis)
    notices.nominated(session, nomination)
    return nomination


def open_voting(session: Session, actor: Actor, contest_id: int) -> MentorContest:
    contest = get(session, contest_id)
    require_recorder(actor, contest.organization_id, "открытие голосования жюри")
    _require_status(contest, ContestStatus.NOMINATING, "открытие голосования")
    if not contest.nominations:
        raise NastavnikError("на конкурс не выдвинут ни один наставник", where="nominations")
    if not contest.jurors:
        raise NastavnikError("в жюри конкурса никого нет", where="jurors")
    contest.status = ContestStatus.VOTING.value
    _audit(session, "contest.voting_opened", actor, contest, nominees=len(contest.nominations),
           jurors=len(contest.jurors))
    session.flush()
    notices.voting_opened(session, contest, actor.person_id)
    return contest


def vote(session: Session, actor: Actor, contest_id: int, nomination_id: int | None,
         score: int | None) -> ContestVote:
    """A juror's score of one nominee (0–10); a second vote of the same juror replaces the first."""
    contest = get(session, contest_id)
    if actor.person_id not in {j.person_id for j in contest.jurors}:
        raise PermissionDenied(f"{actor.full_name or actor.login}: оценивают кандидатов только члены жюри конкурса")
    _require_status(contest, ContestStatus.VOTING, "голосование")
    nomination_id = _chosen(nomination_id, "кандидат", "nomination_id")
    nomination = next((n for n in contest.nominations if n.id == nomination_id), None)
    if nomination is None:
        raise NotFound(f"нет кандидатуры №{nomination_id} в этом конкурсе", where="nomination_id")
    if isinstance(score, bool) or not isinstance(score, int) or not SCORE_MIN <= score <= SCORE_MAX:
        raise NastavnikError(f"оценка — целое число от {SCORE_MIN} до {SCORE_MAX}", where="score")
    row = session.scalar(select(ContestVote).where(ContestVote.nomination_id == nomination.id,
                                                   ContestVote.juror_id == actor.person_id))
    if row is None:
        row = ContestVote(nomination=nomination, juror_id=actor.person_id, score=score)
        session.add(row)
    else:
        row.score = score
    session.flush()
    _audit(session, "contest.voted", actor, contest, nomination_id=nomination.id, score=score)
    if not missing_votes(session, contest):
        notices.votes_in(session, contest)
    return row


@dataclass(frozen=True)
class Standing:
    nomination: ContestNomination
    total: int
    votes: int
    place: int


def standings(session: Session, contest: MentorContest) -> list[Standing]:
    """Nominees by the sum of their scores (equal sums share a place)."""
    votes = session.scalars(select(ContestVote).join(ContestNomination)
                            .where(ContestNomination.contest_id == contest.id)).all()
    totals = {n.id: [0, 0] for n in contest.nominations}
    for v in votes:
        totals[v.nomination_id][0] += v.score
        totals[v.nomination_id][1] += 1
    ranked = sorted(contest.nominations, key=lambda n: (-totals[n.id][0], n.mentor.full_name))
    out: list[Standing] = []
    for index, n in enumerate(ranked):
        place = out[-1].place if out and out[-1].total == totals[n.id][0] else index + 1
        out.append(Standing(n, totals[n.id][0], totals[n.id][1], place))
    return out


def votes_of(session: Session, contest: MentorContest, juror_id: int | None) -> dict[int, int]:
    """A juror's scores in the contest by nomination id."""
    if juror_id is None:
        return {}
    return {v.nomination_id: v.score for v in session.scalars(
        select(ContestVote).join(ContestNomination)
        .where(ContestNomination.contest_id == contest.id, ContestVote.juror_id == juror_id))}


def missing_votes(session: Session, contest: MentorContest) -> list[str]:
    voted = {(v.nomination_id, v.juror_id) for v in session.scalars(
        select(ContestVote).join(ContestNomination).where(ContestNomination.contest_id == contest.id))}
    return [f"{j.person.full_name} — {n.mentor.full_name}" for j in contest.jurors for n in contest.nominations
            if (n.id, j.person_id) not in voted]


def compute_result(session: Session, actor: Actor, contest_id: int) -> Order:
    """Every juror has scored every nominee: the places and winners recorded, the order on the results drafted
    and sent for the head's signature."""
    contest = get(session, contest_id)
    require_recorder(actor, contest.organization_id, "подведение итогов конкурса")
    _require_status(contest, ContestStatus.VOTING, "подведение итогов")
    missing = missing_votes(session, contest)
    if missing:
        shown = "; ".join(missing[:10]) + (f" и ещё {len(missing) - 10}" if len(missing) > 10 else "")
        raise ConflictError(f"не все члены жюри оценили всех кандидатов: {shown}", where="votes")
    table = standings(session, contest)
    for row in table:
        row.nomination.place, row.nomination.total_score = row.place, row.total
        row.nomination.winner = row.place <= contest.winners_count
    kind = pack(contest.organization).contest_incentive()
    if kind is None:
        raise NastavnikError("положение организации больше не предусматривает конкурс", where="organization_id")
    winners = [{"person": r.nomination.mentor, "place": str(r.place)} for r in table if r.nomination.winner]
    order = drafting.draft_order(session, actor, contest.organization_id, "contest_result",
                                 {"contest": contest.title, "incentive": kind.label, "winners": winners,
                                  "basis": f"протокол голосования жюри конкурса «{contest.title}»"})
    drafting.submit(session, actor, order.id)
    contest.order_id = order.id
    contest.status = ContestStatus.AWAITING_ORDER.value
    _audit(session, "contest.result_computed", actor, contest, order_id=order.id,
           standings=[{"mentor_id": r.nomination.mentor_id, "total": r.total, "place": r.place} for r in table])
    session.flush()
    return order


def visible(session: Session, actor: Actor) -> list[MentorContest]:
    """Contests of the organizations the actor is staff of (and under), and those the actor judges."""
    staff = staff_organizations(session, actor)
    judged = select(ContestJuror.contest_id).where(ContestJuror.person_id == actor.person_id)
    query = select(MentorContest).where(MentorContest.organization_id.in_(staff) | MentorContest.id.in_(judged))
    return list(session.scalars(query.order_by(MentorContest.id.desc())))


def readable(session: Session, actor: Actor, contest_id: int) -> MentorContest:
    contest = get(session, contest_id)
    if contest.organization_id in staff_organizations(session, actor) or \
            actor.person_id in {j.person_id for j in contest.jurors}:
        return contest
    raise PermissionDenied(f"{actor.full_name or actor.login}: конкурс №{contest_id} вам не доступен")
