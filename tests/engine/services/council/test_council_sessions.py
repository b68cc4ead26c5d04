"""A school's council of mentors holds a session (000 §4–5): the curator forms the council and schedules the session
with its agenda, the chair marks who came and the elected secretary, the members present vote, the secretary
records the discussion and draws the protocol up, the chair and the secretary sign it, the head agrees the
adopted decision; a year after signing the worker purges the protocol and audits it, touching nothing else."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine.bootstrap import build_job_table
from engine.db.models import AgendaItem, AuditEntry, Council, CouncilMember, CouncilSession, Job, Vote
from engine.errors import ConflictError, NastavnikError, PermissionDenied
from engine.integrity.cms import signature_problem
from engine.integrity.keys import organization_certificate
from engine.services.council import base, protocol, retention, sessions
from engine.services.jobs.scheduler import tick
from engine.services.people.actor import actor_of
from tests.factories import make_organization, make_person, make_role

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def _world(s):
    school = make_organization(s, regulation="school", name="МАОУ Кунарская СОШ")
    curator, head = make_person(s, full_name="Куратова Анна Ивановна"), make_person(s, full_name="Главов Пётр Ильич")
    make_role(s, curator, school, "curator")
    make_role(s, head, school, "head")
    mentors = [make_person(s, full_name=f"Наставник {name}") for name in ("Волков", "Морозова", "Лебедев", "Зайцева",
                                                                           "Соколов")]
    for mentor in mentors:
        make_role(s, mentor, school, "mentor")
    s.flush()
    return school, actor_of(s, curator), actor_of(s, head), [actor_of(s, m) for m in mentors]


def _audited(s, action: str) -> list[AuditEntry]:
    return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _held_session(s):
    school, curator, head, mentors = _world(s)
    for mentor in mentors:
        base.add_member(s, curator, school.id, mentor.person_id)
    base.set_chair(s, curator, school.id, mentors[0].person_id)
    found = sessions.schedule(s, curator, school.id, held_on=date(2026, 3, 12), place="учительская",
                              agenda=["Итоги мониторинга за полугодие", "Конкурс «Лучший наставник»"])
    chair, secretary = mentors[0], mentors[1]
    sessions.hold(s, chair, found.id, present=[m.person_id for m in mentors[:4]], secretary_id=secretary.person_id,
                  votes_for=3, abstained=1)
    return school, curator, head, mentors, found


@BOTH
def test_a_session_from_agenda_to_the_agreed_decision(db_session):
    s = db_session
    school, curator, head, mentors, found = _held_session(s)
    chair, secretary = mentors[0], mentors[1]
    first, second = found.items
    assert found.status == "held" and found.members_total == 5 and len(found.attendance) == 4
    for voter, choice in zip(mentors[:4], ("for", "for", "against", "abstain"), strict=True):
        sessions.vote(s, voter, found.id, first.id, choice)
    for voter, choice in zip(mentors[:4], ("for", "against", "against", "abstain"), strict=True):
        sessions.vote(s, voter, found.id, second.id, choice)
    sessions.vote(s, mentors[3], found.id, first.id, "for")  # a second vote replaces the first
    with pytest.raises(PermissionDenied, match="присутствующие"):
        sessions.vote(s, mentors[4], found.id, first.id, "for")  # absent
    with pytest.raises(NastavnikError, match="«Решение»"):
        sessions.record_item(s, secretary, found.id, first.id, key_points="", proposals="", decision=" ")
    with pytest.raises(PermissionDenied, match="секретарь"):
        sessions.record_item(s, chair, found.id, first.id, key_points="", proposals="", decision="Утвердить")
    sessions.record_item(s, secretary, found.id, first.id, key_points="Доля выполненных мероприятий — 80 %",
                         proposals="Провести семинар в апреле", decision="Утвердить итоги мониторинга",
                         responsible="Куратова А. И.")
    with pytest.raises(NastavnikError, match="№ 2"):
        protocol.draw_up(s, secretary, found.id)
    sessions.record_item(s, secretary, found.id, second.id, key_points="", proposals="",
                         decision="Провести конкурс в мае")
    protocol.draw_up(s, secretary, found.id)
    assert (first.result, second.result) == ("adopted", "rejected")
    text = found.protocol_text
    assert "ПРОТОКОЛ № 1" in text and "Дата проведения: 12.03.2026" in text
    assert "Присутствовали: 4 из 5 наставников — членов совета; отсутствовали: 1." in text
    assert "Голосовали: за — 3, против — 1, воздержались — 0. Итог: решение принято." in text
    assert "за — 1, против — 2, воздержались — 1. Итог: решение не принято." in text
    assert "Провести семинар в апреле" in text and "избран(а) на сессии (за — 3, против — 0, воздержались — 1)" in text
    with pytest.raises(ConflictError):
        sessions.vote(s, chair, found.id, first.id, "against")  # the vote is over
    with pytest.raises(PermissionDenied):
        protocol.sign(s, mentors[2], found.id)
    protocol.sign(s, chair, found.id, at=datetime(2026, 3, 13, 3, 0, tzinfo=UTC))
    assert found.status == "signing"
    protocol.sign(s, secretary, found.id, at=datetime(2026, 3, 13, 4, 0, tzinfo=UTC))
    assert found.status == "signed" and found.signed_on == date(2026, 3, 13) and protocol.verified(found)
    assert signature_problem(text, found.chair_signature, organization_certificate()) is None
    stamps = protocol.stamps(s, found)
    assert stamps[0].startswith("Председатель: 2026-03-13T08:00:00+0500 Наставник Волков Я подтверждаю")
    with pytest.raises(PermissionDenied):
        protocol.agree(s, curator, found.id, first.id, agreed=True)
    with pytest.raises(ConflictError, match="не принято"):
        protocol.agree(s, head, found.id, second.id, agreed=True)
    protocol.agree(s, head, found.id, first.id, agreed=True)
    assert first.agreement == "agreed" and first.agreed_by_id == head.person_id
    for kind, magic in (("pdf", b"%PDF"), ("docx", b"PK")):
        made = protocol.protocol_file(s, chair, found.id, kind)
        assert made.data.startswith(magic) and made.file_name.endswith(kind)
    s.commit()
    assert [e.details["roles"] for e in _audited(s, "council.protocol_signed")] == [["chair"], ["secretary"]]
    assert _audited(s, "council.decision_agreed")[0].organization_id == school.id


@BOTH
def test_the_rules_of_who_may_do_what(db_session):
    s = db_session
    school, curator, head, mentors = _world(s)
    with pytest.raises(PermissionDenied):
        base.add_member(s, head, school.id, mentors[0].person_id)
    with pytest.raises(ConflictError, match="нет членов"):
        sessions.schedule(s, curator, school.id, held_on=date(2026, 3, 1), place="", agenda=["Вопрос"])
    base.add_member(s, curator, school.id, mentors[0].person_id)
    base.add_member(s, curator, school.id, mentors[1].person_id)
    with pytest.raises(NastavnikError, match="уже в составе"):
        base.add_member(s, curator, school.id, mentors[0].person_id)
    # a teacher of another school is refused by number, her name not told to this school's curator
    other = make_person(s, full_name="Чужая Ольга Петровна")
    make_role(s, other, make_organization(s, regulation="school", name="МАОУ СОШ № 2"), "mentor")
    with pytest.raises(NastavnikError, match=f"№{other.id} не найден") as refused:
        base.add_member(s, curator, school.id, other.id)
    assert "Чужая" not in str(refused.value) and refused.value.where == "person_id"
    with pytest.raises(PermissionDenied, match="председател"):
        sessions.schedule(s, mentors[1], school.id, held_on=date(2026, 3, 1), place="", agenda=["Вопрос"])
    base.set_chair(s, curator, school.id, mentors[1].person_id)
    with pytest.raises(NastavnikError, match="хотя бы один"):
        sessions.schedule(s, mentors[1], school.id, held_on=date(2026, 3, 1), place="", agenda=["  "])
    found = sessions.schedule(s, mentors[1], school.id, held_on=date(2026, 3, 1), place="", agenda=["Вопрос"])
    sessions.add_item(s, curator, found.id, "Разное")
    with pytest.raises(NastavnikError, match="из присутствующих"):
        sessions.hold(s, curator, found.id, present=[mentors[0].person_id], secretary_id=mentors[1].person_id,
                      votes_for=1)
    with pytest.raises(NastavnikError, match="не из состава"):
        sessions.hold(s, curator, found.id, present=[mentors[3].person_id], secretary_id=mentors[3].person_id,
                      votes_for=1)
    with pytest.raises(PermissionDenied):
        base.get_session(s, mentors[4], found.id)  # not a member
    assert base.get_session(s, head, found.id) is found


@BOTH
def test_no_quorum_no_decision(db_session):
    s = db_session
    school, curator, _head, mentors = _world(s)
    for mentor in mentors:
        base.add_member(s, curator, school.id, mentor.person_id)
    base.set_chair(s, curator, school.id, mentors[0].person_id)
    found = sessions.schedule(s, curator, school.id, held_on=date(2026, 3, 1), place="", agenda=["Вопрос"])
    sessions.hold(s, curator, found.id, present=[m.person_id for m in mentors[:2]], secretary_id=mentors[0].person_id,
                  votes_for=2)
    sessions.vote(s, mentors[0], found.id, found.items[0].id, "for")
    sessions.vote(s, mentors[1], found.id, found.items[0].id, "for")
    counted = sessions.tally(found, found.items[0])
    assert not counted.quorum and not counted.adopted and "нет кворума (присутствуют 2 из 5)" in counted.words


@BOTH
def test_the_worker_purges_signed_protocols_a_year_after_signing_and_audits_it(db_session):
    s = db_session
    school, curator, _head, mentors, found = _held_session(s)
    chair, secretary = mentors[0], mentors[1]
    for item in found.items:
        sessions.vote(s, chair, found.id, item.id, "for")
        sessions.record_item(s, secretary, found.id, item.id, key_points="", proposals="", decision="Принять к сведению")
    protocol.draw_up(s, secretary, found.id)
    protocol.sign(s, chair, found.id, at=datetime(2026, 3, 13, 3, 0, tzinfo=UTC))
    protocol.sign(s, secretary, found.id, at=datetime(2026, 3, 13, 3, 5, tzinfo=UTC))
    unsigned = sessions.schedule(s, curator, school.id, held_on=date(2026, 4, 1), place="", agenda=["Следующее"])
    s.commit()
    signed_id, sha = found.id, found.protocol_sha256
    assert retention.kept_until(date(2026, 3, 13), school) == date(2027, 3, 13)  # the pack: 12 months
    assert retention.purge_expired_protocols(s, datetime(2027, 3, 13, 12, 0, tzinfo=UTC)) == 0  # the last day
    table = build_job_table()
    moved = datetime(2027, 3, 14, 1, 0, tzinfo=UTC)
    tick(s, table, moved)
    assert s.scalar(select(Job.key).where(Job.kind == retention.COUNCIL_RETENTION)) == "council_retention:2027-03-14"
    assert retention.purge_expired_protocols(s, moved) == 1
    s.commit()
    s.expire_all()
    assert s.get(CouncilSession, signed_id) is None
    assert s.scalar(select(func.count()).select_from(AgendaItem).where(AgendaItem.session_id == signed_id)) == 0
    assert s.scalar(select(func.count()).select_from(Vote)) == 0
    # nothing else is touched: the council, its members, the session not yet signed
    assert s.get(CouncilSession, unsigned.id) is not None
    assert s.scalar(select(func.count()).select_from(CouncilMember)) == 5
    assert s.scalar(select(Council.chair_id)) == chair.person_id
    purged = _audited(s, "council.protocol_purged")
    assert len(purged) == 1 and purged[0].actor_id is None and purged[0].object_id == str(signed_id)
    assert purged[0].details["document_sha256"] == sha and purged[0].details["retention_months"] == 12
    assert purged[0].details["kept_until"] == "2027-03-13"
    assert retention.purge_expired_protocols(s, moved + timedelta(days=400)) == 0
