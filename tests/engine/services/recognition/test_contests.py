"""The best-mentor contest as a story (003 §9.1): announced with its jury, mentors nominated with a basis, the
jury's scores, the result computed and its order signed by the head — the winners get their incentive; a refused
order returns the contest to voting."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db.models import ContestStatus, Incentive, OrderStatus
from engine.errors import ConflictError, NastavnikError, PermissionDenied
from engine.services.orders import views as order_views
from engine.services.recognition import contests
from engine.services.recognition.basics import people_in_tree
from tests.engine.services.recognition.world import build


def _voting(w):
    s, curator = w.session, w.actor("curator")
    contest = contests.announce(s, curator, w.department.id, "Лучший наставник 2026 года", 1,
                                [w.people["methodologist"].id, w.people["head"].id])
    contests.nominate(s, w.actor("school_curator"), contest.id, w.people["volkov"].id, "три пары, все программы")
    contests.nominate(s, curator, contest.id, w.people["morozova"].id, "открытые занятия для молодых педагогов")
    with pytest.raises(ConflictError, match="уже выдвинут"):
        contests.nominate(s, curator, contest.id, w.people["volkov"].id, "ещё раз")
    contests.open_voting(s, curator, contest.id)
    return contest


def test_from_nominations_to_the_signed_order_and_the_winners_incentive(db_session):
    w = build(db_session)
    s = db_session
    contest = _voting(w)
    volkov, morozova = contest.nominations
    for juror, scores in (("methodologist", (9, 7)), ("head", (8, 8))):
        contests.vote(s, w.actor(juror), contest.id, volkov.id, scores[0])
        contests.vote(s, w.actor(juror), contest.id, morozova.id, scores[1])
    contests.vote(s, w.actor("head"), contest.id, morozova.id, 6)  # changed: one vote per juror per nominee
    table = contests.standings(s, contest)
    assert [(r.nomination.mentor.login, r.total, r.place) for r in table] == [("volkov", 17, 1), ("morozova", 13, 2)]

    order = contests.compute_result(s, w.actor("curator"), contest.id)
    assert contest.status == ContestStatus.AWAITING_ORDER and order.status == OrderStatus.AWAITING_SIGNATURE
    assert order.type == "contest_result" and "Волков Игорь Николаевич" in order.body
    assert "Морозова" not in order.body and "п. 9.1 Положения" in order.body
    assert volkov.winner and not morozova.winner

    order_views.sign(s, w.actor("head"), order.id)
    s.flush()
    assert contest.status == ContestStatus.CLOSED
    given = s.scalars(select(Incentive).where(Incentive.contest_id == contest.id)).all()
    assert [(i.mentor_id, i.kind, i.order_id) for i in given] == [(w.people["volkov"].id, "best_mentor", order.id)]
    assert f"приказ № {order.number}" in given[0].basis and given[0].awarded_on == order.issued_on
    s.commit()


def test_a_refused_order_returns_the_contest_to_voting(db_session):
    w = build(db_session)
    s = db_session
    contest = _voting(w)
    for juror in ("methodologist", "head"):
        for nomination in contest.nominations:
            contests.vote(s, w.actor(juror), contest.id, nomination.id, 5)
    order = contests.compute_result(s, w.actor("curator"), contest.id)
    assert all(n.winner for n in contest.nominations)  # a tie at the winning place: both win
    order_views.refuse(s, w.actor("head"), order.id, "уточнить основание")
    s.flush()
    assert contest.status == ContestStatus.VOTING and not any(n.winner for n in contest.nominations)
    assert s.scalars(select(Incentive)).all() == []


def test_who_may_do_what_and_bad_input(db_session):
    w = build(db_session)
    s = db_session
    with pytest.raises(PermissionDenied):
        contests.announce(s, w.actor("volkov"), w.department.id, "Конкурс", 1, [])
    with pytest.raises(NastavnikError, match="от 1 до 50"):
        contests.announce(s, w.actor("curator"), w.department.id, "Конкурс", 0, [])
    with pytest.raises(NastavnikError, match="не работает в этой организации"):
        contests.announce(s, w.actor("curator"), w.department.id, "Конкурс", 1, [w.people["stranger"].id])
    contest = contests.announce(s, w.actor("curator"), w.department.id, "Конкурс", 1, [w.people["head"].id])
    with pytest.raises(NastavnikError, match="ни один наставник"):
        contests.open_voting(s, w.actor("curator"), contest.id)
    with pytest.raises(PermissionDenied):
        contests.nominate(s, w.actor("stranger"), contest.id, w.people["volkov"].id, "б")
    with pytest.raises(NastavnikError, match="не наставник"):
        contests.nominate(s, w.actor("curator"), contest.id, w.people["mentee"].id, "б")
    nomination = contests.nominate(s, w.actor("curator"), contest.id, w.people["volkov"].id, "б")
    with pytest.raises(ConflictError, match="голосование"):
        contests.vote(s, w.actor("head"), contest.id, nomination.id, 5)
    contests.open_voting(s, w.actor("curator"), contest.id)
    with pytest.raises(PermissionDenied, match="члены жюри"):
        contests.vote(s, w.actor("curator"), contest.id, nomination.id, 5)
    with pytest.raises(NastavnikError, match="от 0 до 10"):
        contests.vote(s, w.actor("head"), contest.id, nomination.id, 11)
    with pytest.raises(ConflictError, match="Петрова Ольга Викторовна — Волков"):
        contests.compute_result(s, w.actor("curator"), contest.id)
    assert [c.id for c in contests.visible(s, w.actor("head"))] == [contest.id]
    assert contests.visible(s, w.actor("volkov")) == []


def test_the_pages_choices_are_the_people_of_the_tree(db_session):
    w = build(db_session)
    mentors = people_in_tree(db_session, w.department.id, "mentor")
    assert [p.login for p in mentors] == ["volkov", "lebedev", "morozova"]  # by name (В, Л, М); not another department's
    everyone = {p.login for p in people_in_tree(db_session, w.department.id)}
    assert "stranger" not in everyone and {"curator", "head", "mentee", "volkov"} <= everyone


def test_a_regulation_without_a_contest_refuses_it(db_session):
    w = build(db_session, regulation="school")
    with pytest.raises(NastavnikError, match="не предусматривает конкурс"):
        contests.announce(db_session, w.actor("curator"), w.department.id, "Конкурс", 1, [])
