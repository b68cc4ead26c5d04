"""The order set of 004 roadmap item 3.1.1, produced by the process «organization_order»: a Yakutsk school's curator
prepares each order of its mentorship model — introducing the target model, approving the implementation plan,
approving the regulation on mentorship (with the pedagogical council's protocol), appointing the curator, holding the
final event —, the director signs each on «Приказы на подпись», and each is numbered in the one register, reads as
its template words it in DOCX and PDF, and the curator's appointment makes its person the curator."""
from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import select

from engine.db.models import Order, RoleAssignment, WorkflowInstance
from engine.errors import NastavnikError, PermissionDenied
from engine.forms import FormDataError, FormId
from engine.rules import known_ruleset_ids
from engine.services.mentorship import model_orders
from engine.services.orders import views as order_views
from engine.services.process.definitions import WORKFLOWS_DIRECTORY
from engine.workflow import check_bpmn
from tests.engine.services.pack_world import PackWorld

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
START = datetime(2025, 9, 1, 1, 0, tzinfo=UTC)  # 10:00 in Yakutsk


def yakutsk_school(session) -> PackWorld:
    return PackWorld(session, "yakutsk", START, kind="school", name="МОБУ СОШ № 5 г. Якутска",
                     short_name="СОШ № 5")


def prepare(world: PackWorld, person, kind: str, values: dict) -> WorkflowInstance:
    instance = model_orders.start_order(world.session, world.actor(person), world.organization.id, kind, values,
                                        clock=world.clock)
    world.session.commit()
    return instance


def order_of(world: PackWorld, instance: WorkflowInstance) -> Order:
    return world.session.scalars(select(Order).where(Order.workflow_instance_id == instance.id)).one()


def docx_text(data: bytes) -> str:
    return " ".join(" ".join(p.text for p in Document(BytesIO(data)).paragraphs).split())


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages).split())


@BOTH
def test_every_order_of_the_model_is_drafted_signed_numbered_and_reads_as_its_template(db_session):
    world = yakutsk_school(db_session)
    ivanova = world.person("Иванова Мария Петровна", position="заместитель директора по УВР")
    admin = world.person("Администратор Школы Пятой", "admin")
    db_session.commit()
    head = world.actor(world.head)
    offered = [c.kind for c in model_orders.order_choices(db_session, world.actor(world.curator), world.organization.id)]
    assert offered == ["curator_appointment", "target_model", "implementation_plan", "regulation", "final_event"]

    steps = [
        (world.curator, "target_model", {"starts_on": "2025-09-01"},
         ["О внедрении целевой модели наставничества", "Внедрить с 01.09.2025"]),
        (world.curator, "implementation_plan",
         {"plan_title": "Дорожная карта внедрения целевой модели наставничества на 2025/2026 учебный год",
          "starts_on": "2025-09-15", "council_held_on": "2025-08-29", "council_protocol_number": "1"},
         ["Об утверждении плана реализации", "протокол от 29.08.2025 № 1",
          "«Дорожная карта внедрения целевой модели наставничества на 2025/2026 учебный год»", "с 15.09.2025"]),
        (world.curator, "regulation", {"effective_on": "2025-09-15", "council_held_on": "2025-08-29",
                                       "council_protocol_number": "1"},
         ["Об утверждении Положения о наставничестве", "протокол от 29.08.2025 № 1", "с 15.09.2025"]),
        (admin, "curator_appointment", {"curator_id": ivanova.id, "basis": "решение педагогического совета"},
         ["О назначении куратора", "Иванова Мария Петровна (заместитель директора по УВР",
          "Основание: решение педагогического совета"]),
        (world.curator, "final_event", {"event_title": "Фестиваль наставнических практик", "held_on": "2026-05-20",
                                        "place": "актовый зал", "responsible_id": world.curator.id},
         ["О проведении итогового мероприятия", "20.05.2026 (актовый зал)", "«Фестиваль наставнических практик»",
          "Смирнова Ольга Викторовна"]),
    ]
    numbers = []
    for person, kind, values, phrases in steps:
        instance = prepare(world, person, kind, values)
        order = order_of(world, instance)
        assert (order.type, order.status) == (kind, "awaiting_signature")
        assert order in order_views.awaiting(db_session, head)  # «Приказы на подпись»
        world.complete(world.head, FormId.SIGN_ORDER, {"signed": True}, instance.id)
        db_session.refresh(order)
        db_session.refresh(instance)
        assert order.status == "signed" and order.number and order.document_sha256
        assert instance.status == "completed"
        numbers.append(order.number)
        for text in (order.body, docx_text(order_views.word_document(order)), pdf_text(order_views.pdf_document(order))):
            flat = " ".join(text.split())
            for phrase in phrases:
                assert phrase in flat, (kind, phrase)
    decided = order_views.decided(db_session, head, size=50)[0]
    assert sorted(o.number for o in decided if o.type in model_orders.ORDER_KINDS) == sorted(numbers)
    assert len(set(numbers)) == len(numbers)  # one register, one sequence

    appointed = db_session.scalars(select(RoleAssignment).where(
        RoleAssignment.person_id == ivanova.id, RoleAssignment.role == "curator")).one()
    curator_order = db_session.scalars(select(Order).where(Order.type == "curator_appointment")).one()
    assert appointed.active and appointed.organization_id == world.organization.id
    assert appointed.order_id == curator_order.id
    assert f"с {world.today:%d.%m.%Y}" in curator_order.body  # no date given: from the day it is signed


@BOTH
def test_a_refused_order_grants_nothing_and_the_reason_stays_on_record(db_session):
    world = yakutsk_school(db_session)
    petrov = world.person("Петров Пётр Петрович", position="учитель")
    db_session.commit()
    instance = prepare(world, world.curator, "curator_appointment", {"curator_id": petrov.id})
    world.complete(world.head, FormId.SIGN_ORDER, {"signed": False, "refusal_reason": "Нужна другая кандидатура"},
                   instance.id)
    order = order_of(world, instance)
    db_session.refresh(instance)
    assert (order.status, order.refusal_reason, order.number) == ("refused", "Нужна другая кандидатура", None)
    assert instance.status == "completed"
    assert db_session.scalar(select(RoleAssignment.id).where(RoleAssignment.person_id == petrov.id)) is None


@BOTH
def test_tomsk_approves_its_regulation_by_order_and_refuses_what_its_pack_does_not_list(db_session):
    world = PackWorld(db_session, "tomsk", START, kind="department", name="Департамент образования г. Томска")
    instance = prepare(world, world.curator, "regulation", {"effective_on": "2025-09-01"})
    world.complete(world.head, FormId.SIGN_ORDER, {"signed": True}, instance.id)
    order = order_of(world, instance)
    assert order.status == "signed"
    assert "Утвердить Положение о наставничестве руководителей муниципальных образовательных учреждений г. Томска" \
        in " ".join(order.body.split())
    with pytest.raises(NastavnikError) as refused:
        prepare(world, world.curator, "target_model", {"starts_on": "2025-09-01"})
    assert refused.value.where == "kind" and "не предусматривает" in str(refused.value)


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_bad_input_is_refused_in_russian_naming_the_field(db_session):
    world = yakutsk_school(db_session)
    mentor = world.person("Орлов Игорь Андреевич", "mentor")
    other = PackWorld(db_session, "yakutsk", START, kind="school", name="МОБУ СОШ № 7")
    stranger = other.person("Чужой Человек Иванович")
    db_session.commit()
    cases = [
        ("target_model", {}, "starts_on", "обязательное поле"),
        ("target_model", {"starts_on": "01.09.2025"}, "starts_on", "Дата внедрения"),
        ("implementation_plan", {"plan_title": "План", "starts_on": "2025-09-01", "council_held_on": "2025-08-29"},
         "council_protocol_number", "датой и номером вместе"),
        ("regulation", {"effective_on": "2025-09-01", "extra": 1}, "extra", "неизвестное поле"),
        ("curator_appointment", {"curator_id": stranger.id}, "curator_id", "не найден в вашей организации"),
        ("curator_appointment", {"curator_id": world.curator.id}, "curator_id", "уже куратор"),
        ("final_event", {"event_title": "Итоги", "held_on": "2026-05-20"}, "responsible_id", "обязательное поле"),
        ("bonus", {}, "kind", "не предусматривает"),
    ]
    for kind, values, where, said in cases:
        with pytest.raises((NastavnikError, FormDataError)) as refused:
            prepare(world, world.curator, kind, values)
        db_session.rollback()
        assert refused.value.where == where, (kind, refused.value.where, str(refused.value))
        assert said in str(refused.value), (kind, str(refused.value))
    for person in (mentor, other.curator):
        with pytest.raises(PermissionDenied):
            prepare(world, person, "target_model", {"starts_on": "2025-09-01"})
        db_session.rollback()
    assert db_session.scalar(select(Order.id)) is None


def test_the_shipped_diagram_passes_the_check():
    path = WORKFLOWS_DIRECTORY / "organization_order.bpmn"
    assert check_bpmn(path.read_bytes(), path.name, known_rulesets=known_ruleset_ids()) == []
