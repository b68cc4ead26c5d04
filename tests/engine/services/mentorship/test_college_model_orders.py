"""The college's local acts of 002 §4.1.1 («издает локальные акты о внедрении и реализации системы наставничества,
принимает Положение о системе наставничества педагогических работников в образовательной организации, дорожную
карту по его реализации») through «Приказы о модели наставничества»: the curator of КГБПОУ «Бийский техникум лесного
хозяйства» is offered the three orders in the college's words, drafts each, the director signs each on «Приказы на
подпись», and each reads in 002's terms (система наставничества педагогических работников, педагоги, МО наставников)
in the text, DOCX and PDF — never the school's «целевая модель». 002 names no pedagogical council considering the
Положение or the дорожная карта (its МО наставников only takes part in drafting local acts, 002 §4.1.4), so the
college's forms have no protocol fields and a protocol sent anyway is refused."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from engine.db.models import Order
from engine.errors import NastavnikError
from engine.forms import FormId
from engine.forms.contracts_orders import COUNCIL_FIELDS
from engine.services.mentorship import model_orders
from engine.services.orders import views as order_views
from tests.engine.services.mentorship.test_model_orders import docx_text, order_of, pdf_text, prepare, yakutsk_school
from tests.engine.services.pack_world import PackWorld

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
START = datetime(2025, 8, 25, 3, 0, tzinfo=UTC)  # 10:00 in Barnaul
ACT = "Положения о системе наставничества педагогических работников в КГБПОУ «Бийский техникум лесного хозяйства»"
TITLES = {
    "curator_appointment": "О назначении куратора реализации программ наставничества",
    "target_model": "О внедрении системы наставничества педагогических работников",
    "regulation": "Об утверждении Положения о системе наставничества педагогических работников",
    "implementation_plan": "Об утверждении дорожной карты по реализации Положения о системе наставничества "
                           "педагогических работников",
}


def college(session) -> PackWorld:
    world = PackWorld(session, "college", START, kind="college", name="КГБПОУ «Бийский техникум лесного хозяйства»",
                      short_name="БТЛХ")
    session.commit()
    return world


@BOTH
def test_the_college_drafts_and_signs_its_three_local_acts_in_its_own_words(db_session):
    world = college(db_session)
    head = world.actor(world.head)
    choices = model_orders.order_choices(db_session, world.actor(world.curator), world.organization.id)
    assert [(c.kind, c.title) for c in choices] == list(TITLES.items())  # the pack's order, the college's words
    assert [c.clause for c in choices] == ["002 §4.1.2", "002 §4.1.1", "002 §4.1.1", "002 §4.1.1"]

    steps = [
        ("target_model", {"starts_on": "2025-09-01"},
         [f"В соответствии с п. 4.1.1 {ACT} (далее – Положение)", "1. Внедрить с 01.09.2025 систему наставничества "
          "педагогических работников в образовательной организации.", "от 3 месяцев до 1 года",
          "Методическому объединению (совету) наставников"]),
        ("regulation", {"effective_on": "2025-09-01"},
         ["1. Утвердить Положение о системе наставничества педагогических работников в КГБПОУ «Бийский техникум "
          "лесного хозяйства» (приложение) и ввести его в действие с 01.09.2025.", "рубрике «Наставничество»"]),
        ("implementation_plan", {"plan_title": "Дорожная карта по реализации Положения на 2025/2026 учебный год.",
                                 "starts_on": "2025-09-15"},
         [f"В соответствии с п. 4.1.1 {ACT}", "1. Утвердить дорожную карту по реализации Положения: «Дорожная карта "
          "по реализации Положения на 2025/2026 учебный год» (приложение).",
          "2. Приступить к реализации дорожной карты с 15.09.2025.", "итоговый аналитический отчёт"]),
    ]
    numbers = []
    for kind, values, phrases in steps:
        instance = prepare(world, world.curator, kind, values)
        order = order_of(world, instance)
        assert (order.type, order.status, order.subject) == (kind, "awaiting_signature", TITLES[kind])
        assert order in order_views.awaiting(db_session, head)  # «Приказы на подпись»
        world.complete(world.head, FormId.SIGN_ORDER, {"signed": True}, instance.id)
        db_session.refresh(order)
        assert order.status == "signed" and order.number and order.document_sha256
        numbers.append(order.number)
        for text in (order.body, docx_text(order_views.word_document(order)), pdf_text(order_views.pdf_document(order))):
            flat = " ".join(text.split())
            assert TITLES[kind] in flat and "г. Бийск" in flat and "ПРИКАЗЫВАЮ:" in flat, kind
            for phrase in phrases:
                assert phrase in flat, (kind, phrase)
            assert "целев" not in flat.lower() and "протокол" not in flat, kind  # not the school's words
        assert f"№ {order.number}" in order.body and "Кузнецов Сергей Николаевич Я подтверждаю" in order.body
    assert len(set(numbers)) == 3  # one register
    assert db_session.scalar(select(Order.id).where(Order.type == "final_event")) is None


@BOTH
def test_the_college_cites_no_council_protocol_while_a_yakutsk_school_does(db_session):
    world = college(db_session)
    curator = world.actor(world.curator)
    for kind in ("regulation", "implementation_plan"):
        names = [f.name for f in model_orders.order_fields(db_session, curator, world.organization.id, kind)]
        assert not set(names) & set(COUNCIL_FIELDS), kind
    with pytest.raises(NastavnikError) as refused:
        prepare(world, world.curator, "regulation", {"effective_on": "2025-09-01", "council_held_on": "2025-08-29",
                                                     "council_protocol_number": "1"})
    db_session.rollback()
    assert refused.value.where == "council_held_on"
    assert "не предусматривает рассмотрения этого документа педагогическим советом" in str(refused.value)
    with pytest.raises(NastavnikError) as refused:  # nor a protocol chosen by id
        prepare(world, world.curator, "implementation_plan", {"plan_title": "Дорожная карта", "starts_on": "2025-09-15",
                                                              "council_protocol_id": 1})
    db_session.rollback()
    assert refused.value.where == "council_protocol_id"
    with pytest.raises(NastavnikError) as refused:  # the school's final event is not the college's
        prepare(world, world.curator, "final_event", {"event_title": "Итоги", "held_on": "2026-05-20",
                                                      "responsible_id": world.curator.id})
    db_session.rollback()
    assert refused.value.where == "kind" and "«О внедрении системы наставничества педагогических работников»" \
        in str(refused.value)
    assert db_session.scalar(select(Order.id)) is None

    school = yakutsk_school(db_session)
    names = [f.name for f in model_orders.order_fields(db_session, school.actor(school.curator),
                                                       school.organization.id, "regulation")]
    assert set(COUNCIL_FIELDS) <= set(names)
    offered = model_orders.order_choices(db_session, school.actor(school.curator), school.organization.id)
    assert [c.title for c in offered if c.kind == "target_model"] == ["О внедрении целевой модели наставничества"]
