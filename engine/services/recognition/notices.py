"""What the recognition rooms tell, in the transaction of the step (issue 18):

    nominated(session, nomination)          # the mentor: nominated for the best-mentor contest, with the basis
    voting_opened(session, contest)         # the jurors: score every nominee
    votes_in(session, contest)              # the curators of the contest's organization (and who announced it):
                                            # every juror scored every nominee — the result may be computed
    practice_submitted(session, practice)   # the curators of its organization: a practice or case to review
                                            # (002 §3.2 «изучение, обобщение и распространение положительного опыта»,
                                            # 004 прил. 1 п. 5.1 «итоги … в кейсы»)
    practice_reviewed(session, practice)    # the author: approved into the bank, or returned with the comment

Nobody is told of their own act (the curator who submits a practice is not asked by a notice to review it, nor the
curator who opens the voting to vote); the announcer who is also a curator is told once. Each notice has a ``key``: a step retried tells nobody twice; a
practice submitted again after its return is a new event (the key holds the moment it was submitted).
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from engine.db.models import ContestNomination, MentorContest, Person, Practice, PracticeKind, PracticeStatus, Role
from engine.services.notifications import kinds
from engine.services.notifications.outbox import notify, notify_many
from engine.services.process.task_notifications import role_holders
from engine.vocabulary import counted

MY_INCENTIVES = "/incentives/my"  # the nominee's own page (the contest's page is for its staff and jury)


def contest_link(contest: MentorContest) -> str:
    return f"/incentives/contests/{contest.id}"


def practice_link(practice: Practice) -> str:
    return f"/practices/{practice.id}"


def _name(session: Session, person_id: int | None, default: str) -> str:
    person = session.get(Person, person_id) if person_id is not None else None
    return person.full_name if person is not None else default


def _others(people: Iterable[int | None], actor_id: int | None) -> list[int]:
    return [p for p in dict.fromkeys(people) if p is not None and p != actor_id]


def nominated(session: Session, nomination: ContestNomination) -> None:
    contest = nomination.contest
    nominator = _name(session, nomination.nominated_by_id, "Куратор")
    notify(session, nomination.mentor_id, kinds.CONTEST_NOMINATED,
           f"Вас выдвинули на конкурс «{contest.title}»",
           body=f"{nominator} выдвинул(а) вас на конкурс «{contest.title}» ({contest.organization.name}).\n"
                f"Основание выдвижения: {nomination.basis}\nИтоги подведёт жюри; о результатах вы узнаете из "
                "приказа об итогах конкурса.",
           link=MY_INCENTIVES, organization_id=contest.organization_id,
           key=f"contest:{contest.id}:nominated:{nomination.mentor_id}")


def voting_opened(session: Session, contest: MentorContest, actor_id: int | None) -> None:
    nominees = counted(len(contest.nominations), "кандидата", "кандидатов", "кандидатов")
    notify_many(session, _others((j.person_id for j in contest.jurors), actor_id), kinds.CONTEST_VOTING_OPEN,
                f"Голосование жюри открыто: конкурс «{contest.title}»",
                body=f"Вы в составе жюри конкурса «{contest.title}». Оцените {nominees} — каждого от 0 до 10 "
                     "баллов; оценку можно изменить, пока итоги не подведены.",
                link=contest_link(contest), organization_id=contest.organization_id,
                key=f"contest:{contest.id}:voting")


def votes_in(session: Session, contest: MentorContest) -> None:
    """Once per round of voting (a result order refused by the head returns the contest to voting: the round is
    the refused order's id in the key). A curator who is a juror and cast the last score is told too: that it
    was the last one is news to her."""
    people = [*role_holders(session, contest.organization_id, Role.CURATOR), contest.created_by_id]
    jurors = counted(len(contest.jurors), "член", "члена", "членов")
    notify_many(session, _others(people, None), kinds.CONTEST_VOTES_IN,
                f"Жюри проголосовало: конкурс «{contest.title}»",
                body=f"Жюри ({jurors}) оценило каждого кандидата. Подведите итоги конкурса «{contest.title}»: приказ об итогах "
                     "будет направлен руководителю на подпись.",
                link=contest_link(contest), organization_id=contest.organization_id,
                key=f"contest:{contest.id}:votes_in:{contest.order_id or 0}")


def _what(practice: Practice) -> tuple[str, str]:
    """«Практика»/«Кейс» and the ending of its past participle («принята»/«принят»)."""
    return ("Кейс", "") if practice.kind == PracticeKind.CASE.value else ("Практика", "а")


def practice_submitted(session: Session, practice: Practice) -> None:
    again = practice.reviewed_at is not None
    what, _ending = _what(practice)
    author = _name(session, practice.author_id, "Автор")
    notify_many(session, _others(role_holders(session, practice.organization_id, Role.CURATOR), practice.author_id),
                kinds.PRACTICE_SUBMITTED, f"{what} ждёт рассмотрения: «{practice.title}»",
                body=f"{author} {'исправил(а) и снова представил(а)' if again else 'представил(а)'} в банк практик: "
                     f"«{practice.title}». Примите в банк или верните автору с замечанием (002 §3.2: изучение, "
                     "обобщение и распространение положительного опыта работы наставников).",
                link=practice_link(practice), organization_id=practice.organization_id,
                key=f"practice:{practice.id}:submitted:{practice.submitted_at.isoformat()}")


def practice_reviewed(session: Session, practice: Practice) -> None:
    if practice.author_id is None or practice.author_id == practice.reviewed_by_id:
        return
    what, ending = _what(practice)
    reviewer = _name(session, practice.reviewed_by_id, "Куратор")
    if practice.status == PracticeStatus.APPROVED.value:
        kind, title = kinds.PRACTICE_APPROVED, f"{what} принят{ending} в банк практик: «{practice.title}»"
        body = f"{reviewer} принял(а) в банк практик «{practice.title}»: коллеги найдут это в поиске банка."
        if practice.review_comment:
            body += f"\nКомментарий: {practice.review_comment}"
    else:
        kind, title = kinds.PRACTICE_RETURNED, f"{what} возвращ{'ён' if not ending else 'ена'} на доработку: «{practice.title}»"
        body = (f"{reviewer} вернул(а) на доработку «{practice.title}».\nЗамечание: {practice.review_comment}\n"
                "Исправьте и представьте снова.")
    notify(session, practice.author_id, kind, title, body=body, link=practice_link(practice),
           organization_id=practice.organization_id,
           key=f"practice:{practice.id}:{practice.status}:{practice.submitted_at.isoformat()}")
