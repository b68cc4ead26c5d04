"""A Yakutsk school's pedagogical council considers the plan of implementing the target model (004 прил. 1 п. 3.1.1:
«Протокол педагогического совета: рассмотрение плана реализации целевой модели наставничества»): the curator forms
the body the pack lists and schedules the meeting with the pack's wording of the question, the chair marks who came
and the elected secretary, the members vote, the secretary records the discussion and draws up the protocol — the
yakutsk pack's ``protocols/pedagogical_council.j2`` inside the product's frame, numbered per body and calendar year,
with date, attended N of M, agenda, key points and proposals, decisions with vote counts (000 §5.2) —, the chair and
the secretary sign it (CMS, SHA-256); then the order approving the plan offers that protocol, cites its date and
number, and the head signs the order. A Tomsk school has no pedagogical council in its pack: refused in Russian."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from engine.db.models import Notification, Order
from engine.errors import NastavnikError
from engine.forms import FormId
from engine.integrity.cms import signature_problem
from engine.integrity.keys import organization_certificate
from engine.regulations import pack
from engine.services.council import base, pages, protocol, sessions
from engine.services.mentorship import model_orders
from engine.services.notifications.kinds import COUNCIL_DECISIONS_AWAITING
from engine.services.people.actor import actor_of
from tests.engine.services.pack_world import PackWorld
from tests.factories import make_organization, make_person, make_role

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
START = datetime(2025, 9, 1, 1, 0, tzinfo=UTC)
BODY = "pedagogical_council"
PLAN = "Рассмотрение плана реализации целевой модели наставничества"


def _council(world: PackWorld):
    teachers = [world.person(f"Учитель {name}", "mentor") for name in ("Алексеева", "Борисов", "Васильева", "Григорьев")]
    world.session.commit()
    curator = world.actor(world.curator)
    for person in (world.head, *teachers):
        base.add_member(world.session, curator, world.organization.id, person.id, body=BODY)
    base.set_chair(world.session, curator, world.organization.id, world.head.id, body=BODY)
    return curator, world.actor(world.head), [world.actor(t) for t in teachers]


def _signed_meeting(world: PackWorld, curator, chair, teachers, held_on: date, *, considers=("implementation_plan",),
                    agenda=(), votes=("for", "for", "for", "against")):
    s = world.session
    found = sessions.schedule(s, curator, world.organization.id, held_on=held_on, place="актовый зал",
                              agenda=list(agenda), body=BODY, considers=list(considers))
    secretary = teachers[0]
    sessions.hold(s, chair, found.id, present=[chair.person_id, *(t.person_id for t in teachers)],
                  secretary_id=secretary.person_id, votes_for=5)
    for voter, choice in zip([chair, *teachers], (*votes, "abstain"), strict=True):
        for item in found.items:
            sessions.vote(s, voter, found.id, item.id, choice)
    for item in found.items:
        sessions.record_item(s, secretary, found.id, item.id, key_points="План на 2025/2026 учебный год обсуждён",
                             proposals="Добавить семинар для молодых педагогов",
                             decision="Рекомендовать план к утверждению приказом директора")
    protocol.draw_up(s, secretary, found.id)
    protocol.sign(s, chair, found.id, at=datetime(2025, 8, 29, 3, 0, tzinfo=UTC))
    protocol.sign(s, secretary, found.id, at=datetime(2025, 8, 29, 4, 0, tzinfo=UTC))
    s.commit()
    return found


@BOTH
def test_the_pedagogical_council_protocol_is_numbered_signed_and_cited_by_the_plan_order(db_session):
    world = PackWorld(db_session, "yakutsk", START, kind="school", name="МОБУ СОШ № 5 г. Якутска",
                      short_name="СОШ № 5")
    curator, chair, teachers = _council(world)
    page = pages.council_page(db_session, curator, world.organization.id)
    assert (page.body, page.bodies) == (BODY, [(BODY, "Педагогический совет")])  # yakutsk lists only this body
    assert page.topics[0] == ("implementation_plan", PLAN) and page.retention_months == 60

    found = _signed_meeting(world, curator, chair, teachers, date(2025, 8, 29))
    text = found.protocol_text
    lines = text.splitlines()
    assert lines[:3] == ["МОБУ СОШ № 5 г. Якутска", "ПРОТОКОЛ № 1", "заседания педагогического совета"]
    for phrase in ("Дата проведения: 29.08.2025", f"Председатель педагогического совета: {world.head.full_name}",
                   "Присутствовали: 5 из 5 членов педагогического совета; отсутствовали: 0.", "ПОВЕСТКА ДНЯ:",
                   f"1. СЛУШАЛИ: {PLAN}", "Предложения и замечания: Добавить семинар для молодых педагогов",
                   "РЕШИЛИ: Рекомендовать план к утверждению приказом директора",
                   "Голосовали: за — 3, против — 1, воздержались — 1. Итог: решение принято.",
                   "004 прил. 1 п. 3.1.1 не задаёт порядок принятия решений",
                   "Протокол ведётся по перечню документов модели наставничества (004 прил. 1 п. 3.1.1)."):
        assert phrase in text, phrase
    assert lines[-2:] == [f"Председатель: {world.head.full_name}", "Секретарь: Учитель Алексеева"]
    assert found.status == "signed" and protocol.verified(found) and found.council.body == BODY
    assert signature_problem(text, found.secretary_signature, organization_certificate()) is None
    # no «ждут согласования» to the head: 000 §4.3's agreement with the administration is the mentors' council's
    assert db_session.scalar(select(func.count()).select_from(Notification).where(
        Notification.kind == COUNCIL_DECISIONS_AWAITING)) == 0
    with pytest.raises(NastavnikError, match="000 §4.3"):  # the administration's agreement is the mentors' council's
        protocol.agree(db_session, chair, found.id, found.items[0].id, agreed=True)
    made = protocol.protocol_file(db_session, chair, found.id, "docx")
    assert made.file_name == "protocol-pedagogical_council-1-2025-08-29.docx"

    # numbered per body and calendar year: a second meeting this year is № 2, the first of next year № 1 again
    second = _signed_meeting(world, curator, chair, teachers, date(2025, 12, 20), considers=(),
                             agenda=["Итоги первого полугодия"])
    rejected = _signed_meeting(world, curator, chair, teachers, date(2026, 1, 15),
                               votes=("against", "against", "for", "against"))
    assert (second.number, rejected.number, rejected.year) == (2, 1, 2026)
    assert rejected.items[0].result == "rejected"

    # the plan order offers only the signed protocol that adopted a decision on the plan
    offered = model_orders.council_protocols(db_session, curator, world.organization.id, "implementation_plan")
    assert [(p.id, p.label) for p in offered] == [(found.id, f"Протокол № 1 от 29.08.2025: {PLAN}")]
    assert model_orders.council_protocols(db_session, curator, world.organization.id, "regulation") == []
    plan = {"plan_title": "Дорожная карта внедрения целевой модели наставничества на 2025/2026 учебный год",
            "starts_on": "2025-09-15"}
    with pytest.raises(NastavnikError, match="не то и другое") as both:
        model_orders.start_order(db_session, curator, world.organization.id, "implementation_plan",
                                 {**plan, "council_protocol_id": found.id, "council_held_on": "2025-08-29",
                                  "council_protocol_number": "1"}, clock=world.clock)
    assert both.value.where == "council_protocol_id"
    for stranger in (second.id, rejected.id, 999999):
        with pytest.raises(NastavnikError, match="нельзя указать"):
            model_orders.start_order(db_session, curator, world.organization.id, "implementation_plan",
                                     {**plan, "council_protocol_id": stranger}, clock=world.clock)
    db_session.rollback()
    instance = model_orders.start_order(db_session, curator, world.organization.id, "implementation_plan",
                                        {**plan, "council_protocol_id": found.id}, clock=world.clock)
    db_session.commit()
    world.complete(world.head, FormId.SIGN_ORDER, {"signed": True}, instance.id)
    order = db_session.scalars(select(Order).where(Order.workflow_instance_id == instance.id)).one()
    assert order.status == "signed"
    assert "с учётом решения педагогического совета (протокол от 29.08.2025 № 1)" in " ".join(order.body.split())


@BOTH
def test_a_pack_without_the_body_refuses_it_in_russian(db_session):
    s = db_session
    school = make_organization(s, regulation="tomsk", name="МАОУ СОШ № 2 г. Томска")
    curator, teacher = make_person(s, full_name="Куратова Анна Ивановна"), make_person(s, full_name="Учитель Зимин")
    make_role(s, curator, school, "curator")
    make_role(s, teacher, school, "mentor")
    s.flush()
    with pytest.raises(NastavnikError, match="не предусматривает орган «Педагогический совет».*«Совет наставников»"):
        base.add_member(s, actor_of(s, curator), school.id, teacher.id, body=BODY)
    with pytest.raises(NastavnikError, match="не предусматривает орган"):
        pages.council_page(s, actor_of(s, curator), school.id, BODY)
    assert [b.id for b in pack("tomsk").council_bodies] == ["mentors_council"]  # the product's default, as before
    base.add_member(s, actor_of(s, curator), school.id, teacher.id)  # the mentors' council stays
