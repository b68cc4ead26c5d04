"""What the recognition rooms tell (issue 18): a mentor nominated for the best-mentor contest hears it with the
basis; the jurors hear the voting is open; the department's curators hear once the last juror has scored the last
nominee; a practice submitted to the bank (002 §3.2, 004 прил. 1 п. 5.1) reaches its organization's curators, and its
author hears it approved or returned with the comment — by e-mail over a real SMTP server, or in the app only when
she chose so. Each story tells exactly these people, once each, and nobody else."""
from __future__ import annotations

from sqlalchemy import select

from engine.db.models import EmailState, Job, Notification, OutgoingEmail, Person
from engine.services.jobs.runner import Outcome, run_job
from engine.services.notifications import kinds
from engine.services.notifications.email_settings import MAIL_KEY
from engine.services.notifications.preferences import set_choices
from engine.services.orders import views as order_views
from engine.services.process.domain import domain_of
from engine.services.recognition import contests, practices
from tests import factories as f
from tests.engine.services.recognition.world import build
from tests.mail_server import BASE_URL, mail_server, parts  # noqa: F401 - the fixture

CONTEST_KINDS = (kinds.CONTEST_NOMINATED, kinds.CONTEST_VOTING_OPEN, kinds.CONTEST_VOTES_IN)
PRACTICE_KINDS = (kinds.PRACTICE_SUBMITTED, kinds.PRACTICE_APPROVED, kinds.PRACTICE_RETURNED)


def told(session, *of_kinds: str) -> list[tuple[str, str]]:
    """(kind, login) of every notice of these kinds, in the order written."""
    rows = session.execute(select(Notification.kind, Person.login).join(Person, Person.id == Notification.person_id)
                           .where(Notification.kind.in_(of_kinds)).order_by(Notification.id))
    return [(kind, login) for kind, login in rows]


def last(session, kind: str) -> Notification:
    return session.scalars(select(Notification).where(Notification.kind == kind)
                           .order_by(Notification.id.desc())).first()


def test_the_contest_tells_the_nominees_the_jurors_and_then_the_curator_once(db_session):
    w = build(db_session)
    s, curator = db_session, w.actor("curator")
    contest = contests.announce(s, curator, w.department.id, "Лучший наставник 2026 года", 1,
                                [w.people["methodologist"].id, w.people["head"].id])
    assert told(s, *CONTEST_KINDS) == []  # announcing tells nobody
    contests.nominate(s, w.actor("school_curator"), contest.id, w.people["volkov"].id, "три пары, все программы")
    contests.nominate(s, curator, contest.id, w.people["morozova"].id, "открытые занятия")
    assert told(s, *CONTEST_KINDS) == [(kinds.CONTEST_NOMINATED, "volkov"), (kinds.CONTEST_NOMINATED, "morozova")]
    nominated = last(s, kinds.CONTEST_NOMINATED)
    assert nominated.title == "Вас выдвинули на конкурс «Лучший наставник 2026 года»"
    assert "Куратова Анна Ивановна выдвинул(а) вас" in nominated.body and "Основание выдвижения: открытые занятия" \
        in nominated.body
    assert nominated.link == "/incentives/my"  # the nominee's own page: the contest's page is for staff and jury

    contests.open_voting(s, curator, contest.id)
    voting = told(s, kinds.CONTEST_VOTING_OPEN)
    assert voting == [(kinds.CONTEST_VOTING_OPEN, "methodologist"), (kinds.CONTEST_VOTING_OPEN, "head")]
    opened = last(s, kinds.CONTEST_VOTING_OPEN)
    assert "Оцените 2 кандидатов" in opened.body and opened.link == f"/incentives/contests/{contest.id}"

    volkov, morozova = contest.nominations
    contests.vote(s, w.actor("methodologist"), contest.id, volkov.id, 9)
    contests.vote(s, w.actor("methodologist"), contest.id, morozova.id, 7)
    contests.vote(s, w.actor("head"), contest.id, volkov.id, 8)
    assert told(s, kinds.CONTEST_VOTES_IN) == []  # one score still missing
    contests.vote(s, w.actor("head"), contest.id, morozova.id, 8)
    contests.vote(s, w.actor("head"), contest.id, morozova.id, 6)  # a changed score: the same event, not told again
    # the department's curator (who announced it too) once; the school's curator works in another organization
    assert told(s, kinds.CONTEST_VOTES_IN) == [(kinds.CONTEST_VOTES_IN, "curator")]
    assert "Жюри (2 члена) оценило каждого кандидата" in last(s, kinds.CONTEST_VOTES_IN).body
    assert len(told(s, *CONTEST_KINDS)) == 5

    order = contests.compute_result(s, curator, contest.id)
    order_views.refuse(s, w.actor("head"), order.id, "уточнить основание")  # back to voting: a new round
    s.flush()
    contests.vote(s, w.actor("methodologist"), contest.id, morozova.id, 8)
    contests.vote(s, w.actor("head"), contest.id, morozova.id, 7)
    assert told(s, kinds.CONTEST_VOTES_IN) == [(kinds.CONTEST_VOTES_IN, "curator")] * 2  # once more, for this round


def test_a_practice_reaches_the_curators_and_its_author_hears_the_decision_by_mail(db_session, mail_server):
    s = db_session
    s.info[MAIL_KEY] = mail_server.settings()
    w = build(s)
    w.people["volkov"].email = "volkov@school8.example.ru"
    second_curator = f.make_person(s, full_name="Второва Алла Петровна", login="second_curator",
                                   organization_id=w.school.id)
    f.make_role(s, second_curator, w.school, "curator")
    w.people["second_curator"] = second_curator
    s.flush()
    data = practices.PracticeInput(title="Кейс: адаптация молодого директора", kind="case",
                                   description="Разбор ситуации первого года")
    practice = practices.submit(s, w.actor("volkov"), w.school.id, data)
    assert told(s, *PRACTICE_KINDS) == [(kinds.PRACTICE_SUBMITTED, "school_curator"),
                                        (kinds.PRACTICE_SUBMITTED, "second_curator")]
    submitted = last(s, kinds.PRACTICE_SUBMITTED)
    assert submitted.title == "Кейс ждёт рассмотрения: «Кейс: адаптация молодого директора»"
    assert "Волков Игорь Николаевич представил(а)" in submitted.body and "002 §3.2" in submitted.body
    assert submitted.link == f"/practices/{practice.id}"

    practices.review(s, w.actor("school_curator"), practice.id, approve=False, comment="Добавьте выводы & итоги")
    s.commit()
    returned = last(s, kinds.PRACTICE_RETURNED)
    assert (returned.person_id, returned.title) == (w.people["volkov"].id, "Кейс возвращён на доработку: «Кейс: адаптация "
                                                                 "молодого директора»")
    assert "Замечание: Добавьте выводы & итоги" in returned.body
    assert returned.email_state == EmailState.PENDING.value  # the author's kind is e-mailed at once by default
    outgoing = s.get(OutgoingEmail, returned.outgoing_email_id)
    job_id = s.scalars(select(Job.id).where(Job.key == f"email:{outgoing.id}")).one()
    assert run_job(s, domain_of(s).jobs, job_id) is Outcome.DONE
    [message] = mail_server.messages
    plain, html = parts(message)
    assert str(message["To"]) == "volkov@school8.example.ru" and str(message["Subject"]) == returned.title
    assert "Замечание: Добавьте выводы & итоги" in plain and "Добавьте выводы &amp; итоги" in html
    assert f"{BASE_URL}/practices/{practice.id}" in plain

    set_choices(s, w.actor("volkov"), w.people["volkov"].id, {kinds.PRACTICE_APPROVED: "none"})
    practices.resubmit(s, w.actor("volkov"), practice.id, data)
    practices.review(s, w.actor("second_curator"), practice.id, approve=True)
    s.commit()
    assert told(s, *PRACTICE_KINDS) == [
        (kinds.PRACTICE_SUBMITTED, "school_curator"), (kinds.PRACTICE_SUBMITTED, "second_curator"),
        (kinds.PRACTICE_RETURNED, "volkov"),
        (kinds.PRACTICE_SUBMITTED, "school_curator"), (kinds.PRACTICE_SUBMITTED, "second_curator"),  # submitted again
        (kinds.PRACTICE_APPROVED, "volkov")]
    assert "исправил(а) и снова представил(а)" in last(s, kinds.PRACTICE_SUBMITTED).body
    approved = last(s, kinds.PRACTICE_APPROVED)
    assert approved.title == "Кейс принят в банк практик: «Кейс: адаптация молодого директора»"
    assert approved.email_state == EmailState.NOT_WANTED.value  # the author chose: in the app only
    assert len(mail_server.messages) == 1


def test_a_curator_submitting_is_not_asked_to_review_her_own_practice(db_session):
    w = build(db_session)
    s = db_session
    practice = practices.submit(s, w.actor("school_curator"), w.school.id,
                                practices.PracticeInput(title="Практика наставничества", description="Описание"))
    assert told(s, *PRACTICE_KINDS) == []  # the only curator of the school is its author
    assert practices.awaiting_review(s, w.actor("school_curator")) == [practice]
    assert practices.awaiting_review(s, w.actor("curator")) == []  # the department's curator decides not here
    assert practices.awaiting_review(s, w.actor("volkov")) == []
