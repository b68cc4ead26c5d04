"""The head's orders through ``order_views``: listing, the document as it reads, signing and refusing
through the workflow's «sign the order» task, and what may not happen (other roles, signed orders,
stale pages)."""
from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import select

from engine.db.models import OpenTask, Order, Program
from engine.demo.story import Demo
from engine.documents import reading, render_order, settings_for
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.orders import views as order_views
from engine.services.process import instances
from tests import factories as f


@pytest.fixture
def waiting(demo: Demo) -> Order:
    """lebedev appointed, belova registered, both consented: the pair-formation order waits for the head."""
    demo.appoint("lebedev")
    return demo.leave_order_for_signature()


def test_read_document_splits_a_draft_and_a_signed_text():
    from datetime import date, datetime

    class Org:
        name = "Департамент образования администрации Города Томска"
        regulation = "tomsk"

    data = {"groups": [{"mentor": {"full_name": "Волков Игорь Николаевич", "position": "Директор"},
                        "mentees": [{"full_name": "Орлова Ирина Сергеевна"}], "form": "head_head"}],
            "starts_on": "2026-07-02", "ends_on": "2027-10-02", "basis": "протокол комиссии"}
    settings = settings_for(Org())
    draft = reading.read_document(render_order("pair_formation", data, regulation="tomsk", settings=settings))
    assert draft.is_draft and draft.kind == "ПРИКАЗ" and draft.place == "г. Томск"
    assert draft.issuer_lines == ["ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ГОРОДА ТОМСКА"]
    assert draft.subject == "О формировании наставнических пар (групп)"
    assert draft.preamble[0].startswith("В соответствии с п. 3.2, 6.2") and draft.preamble[0].endswith("ПРИКАЗЫВАЮ:")
    assert [c.number for c in draft.clauses] == ["1", "1.1", "2", "3", "4"]
    assert draft.clauses[1].level == 2 and "Волков Игорь Николаевич" in draft.clauses[1].text
    assert draft.closing == ["Основание: протокол комиссии."]
    assert draft.stamp is None and draft.signatory.startswith("Руководитель")

    signed = reading.read_document(render_order(
        "pair_formation", data, regulation="tomsk", settings=settings,
        signatory={"full_name": "Петрова Ольга Викторовна", "position": "Начальник департамента"},
        number="7", issued_on=date(2026, 7, 2), signed_at=datetime(2026, 7, 2, 3, 0, tzinfo=UTC)))
    assert not signed.is_draft and signed.date_number == "02.07.2026 № 7"
    assert signed.signatory == "Начальник департамента О.В. Петрова"
    assert signed.stamp == "2026-07-02T10:00:00+0700 Петрова Ольга Викторовна Я подтверждаю этот документ"
    assert reading.read_document("").clauses == []


def test_the_head_sees_the_order_and_signs_it_through_the_workflow(demo: Demo, db_session, waiting):
    s, head = db_session, demo.actor("head")
    assert [o.id for o in order_views.awaiting(s, head)] == [waiting.id]
    page = order_views.order_page(s, head, waiting.id)
    assert page.can_decide and page.sign_task is not None and page.sign_task.name.startswith("Подписать приказ")
    assert page.document.is_draft and page.verified is None and page.program_ids == []
    assert "Белова Татьяна Николаевна" in page.document.clauses[1].text

    order = order_views.sign(s, head, waiting.id, expected_version=page.version)
    s.commit()
    assert order.status == "signed" and order.number and order_views.order_page(s, head, order.id).verified
    program = s.scalar(select(Program).where(Program.group.has(mentor_id=demo.person_id("lebedev")))
                       .order_by(Program.id.desc()))
    assert program.status == "active" and program.roadmap_id == "tomsk_reservist"
    after = order_views.order_page(s, head, order.id)
    assert after.program_ids == [program.id] and not after.can_decide and after.sign_task is None
    assert after.signed_at_local.utcoffset().total_seconds() == 7 * 3600  # Asia/Tomsk
    assert [h.text for h in after.history][:2] == ["Выполнена задача «Подписать приказ о формировании пар (групп)»",
                                                    f"Руководитель подписал приказ № {order.number}"]
    assert order_views.awaiting(s, head) == []
    decided, total = order_views.decided(s, head, page=1, size=2)
    assert (total.value, total.more) == (2, False) and decided[0].id == order.id  # the appointment order and this

    with pytest.raises(ConflictError, match="уже подписан"):  # a signed order cannot change
        order_views.sign(s, head, order.id)
    with pytest.raises(ConflictError, match="уже подписан"):
        order_views.refuse(s, head, order.id, "поздно")


def test_refusal_goes_back_to_the_curator_with_the_reason(demo: Demo, db_session, waiting):
    s, head = db_session, demo.actor("head")
    with pytest.raises(NastavnikError, match="причину"):
        order_views.refuse(s, head, waiting.id, "   ")
    version = order_views.order_page(s, head, waiting.id).version
    order = order_views.refuse(s, head, waiting.id, "  Уточните   форму наставничества ", expected_version=version)
    s.commit()
    assert order.status == "refused" and order.refusal_reason == "Уточните форму наставничества"
    snap = instances.snapshot(s, order.workflow_instance_id)
    assert snap.data["refusal_reason"] == "Уточните форму наставничества" and snap.data["signed"] is False
    page = order_views.order_page(s, head, order.id)
    assert [(t.form_id, t.role) for t in page.next_tasks] == [("propose_pair", "curator")]
    assert "причина: Уточните форму наставничества" in [h.details for h in page.history]
    with pytest.raises(ConflictError, match="не ожидает подписи"):
        order_views.sign(s, head, order.id)


def test_who_may_see_and_decide(demo: Demo, db_session, waiting):
    s = db_session
    curator = demo.actor("curator")
    assert order_views.order_page(s, curator, waiting.id).can_decide is False  # staff sees, only the head decides
    with pytest.raises(PermissionDenied):
        order_views.sign(s, curator, waiting.id)
    with pytest.raises(PermissionDenied):
        order_views.awaiting(s, curator)
    for outsider in ("lebedev", "belova"):  # participants are not staff
        with pytest.raises(PermissionDenied):
            order_views.order_page(s, demo.actor(outsider), waiting.id)
    other = f.make_department(s)
    other_head = f.make_person(s)
    f.make_role(s, other_head, other, "head")
    s.commit()
    from engine.services.people.actor import load_actor

    stranger = load_actor(s, other_head.login)
    with pytest.raises(PermissionDenied):
        order_views.order_page(s, stranger, waiting.id)
    with pytest.raises(PermissionDenied):
        order_views.refuse(s, stranger, waiting.id, "не моя организация")
    assert order_views.awaiting(s, stranger) == []
    with pytest.raises(NotFound):
        order_views.order_page(s, demo.actor("head"), 999_999)


def test_a_stale_page_cannot_sign(demo: Demo, db_session, waiting):
    s, head = db_session, demo.actor("head")
    version = order_views.order_page(s, head, waiting.id).version
    with pytest.raises(ConflictError, match="обновите страницу"):
        order_views.sign(s, head, waiting.id, expected_version=version - 1)
    assert s.get(Order, waiting.id).status == "awaiting_signature"
    assert s.scalar(select(OpenTask).where(OpenTask.instance_id == waiting.workflow_instance_id)).form_id == "sign_order"
