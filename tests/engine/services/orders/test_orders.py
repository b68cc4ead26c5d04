"""The orders service on both backends: drafting from ids, permissions, numbering per organization and
year (also concurrently), signing by a head with the stamp and SHA-256, refusal, immutability, audit."""
from __future__ import annotations

import hashlib
import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from engine.db.models import AuditEntry, Order, OrderStatus
from engine.documents import OrderDataError
from engine.errors import ConflictError, NotFound, PermissionDenied
from engine.services.orders import drafting, register, signing
from engine.services.people.actor import SYSTEM, load_actor
from tests import factories as f

SIGNED_AT = datetime(2024, 2, 20, 3, 0, 55, tzinfo=UTC)  # 10:00:55 in Tomsk


@pytest.fixture
def orders_world(db_session):
    """A Tomsk department with its head and curator, two schools, their heads as mentors/mentees."""
    s = db_session
    dept = f.make_department(s, name="Администрация Города Томска / Департамент образования")
    other = f.make_department(s, name="Департамент образования другого города")
    school8 = f.make_organization(s, parent=dept, name="МАОУ СОШ № 8")
    school2 = f.make_organization(s, parent=dept, name="МАОУ СОШ № 2")
    head = f.make_person(s, full_name="Савенков Максим Геннадьевич", login="head",
                         position="Начальник департамента", organization=dept)
    curator = f.make_person(s, full_name="Боровикова Наталья Алексеевна", login="curator",
                            position="главный специалист", organization=dept)
    other_head = f.make_person(s, full_name="Иванов Иван Иванович", login="other_head", position="Начальник")
    mentor = f.make_person(s, full_name="Петров Пётр Петрович", login="mentor", position="директор",
                           organization=school8)
    mentee = f.make_person(s, full_name="Новикова Ольга Сергеевна", login="mentee", position="директор",
                           organization=school2)
    f.make_role(s, head, dept, "head")
    f.make_role(s, curator, dept, "curator")
    f.make_role(s, other_head, other, "head")
    f.make_role(s, mentor, dept, "mentor")
    s.flush()
    actors = {login: load_actor(s, login) for login in ("head", "curator", "other_head", "mentor")}
    return {"s": s, "dept": dept, "other": other, "head": head, "curator": curator, "other_head": other_head,
            "mentor": mentor, "mentee": mentee, "actors": actors}


def _audit(session, order, action=None):
    stmt = select(AuditEntry).where(AuditEntry.object_type == "orders", AuditEntry.object_id == str(order.id))
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return list(session.scalars(stmt.order_by(AuditEntry.id)))


def _draft(w, actor="curator", organization=None, **data):
    data = data or {"mentors": [w["mentor"].id], "starts_on": date(2024, 9, 1)}
    return drafting.draft_order(w["s"], w["actors"][actor] if isinstance(actor, str) else actor,
                           (organization or w["dept"]).id, "appointment_of_mentors", data)


def _awaiting(w, **kw):
    order = _draft(w, **kw)
    return drafting.submit(w["s"], w["actors"]["curator"] if kw.get("organization") is None else SYSTEM, order.id)


# --- drafting -----------------------------------------------------------------------------------


def test_draft_renders_the_text_from_ids_and_audits_the_data(orders_world):
    w, s = orders_world, orders_world["s"]
    order = _draft(w)
    assert (order.status, order.type, order.subject) == ("draft", "appointment_of_mentors", "О назначении наставников")
    assert order.created_by_id == w["curator"].id and order.number is None
    body = order.body
    assert body.startswith("ПРОЕКТ\n\nАДМИНИСТРАЦИЯ ГОРОДА ТОМСКА\nДЕПАРТАМЕНТ ОБРАЗОВАНИЯ\n\nПРИКАЗ\n\n__.__.____ № ____\n")
    assert "В соответствии с п. 3.4 Положения о наставничестве руководителей" in body
    assert "1. Назначить наставниками сроком на два года (с 01.09.2024 по 31.08.2026):" in body
    assert "1.1. Петров Пётр Петрович (директор, МАОУ СОШ № 8)." in body
    assert body.endswith("\nНачальник департамента ________________ М.Г. Савенков\n")  # the one head
    [entry] = _audit(s, order)
    assert (entry.action, entry.actor_id, entry.organization_id) == ("order.drafted", w["curator"].id, w["dept"].id)
    assert entry.details["template"] == "appointment_of_mentors"
    assert entry.details["data"]["mentors"][0] == {
        "person": {"full_name": "Петров Пётр Петрович", "position": "директор", "organization": "МАОУ СОШ № 8"},
        "starts_on": "2024-09-01", "ends_on": "2026-08-31"}
    assert entry.details["settings"]["time_zone"] == "Asia/Tomsk"


def test_draft_from_a_group_a_program_and_an_appointment(orders_world):
    w, s = orders_world, orders_world["s"]
    group = f.make_group(s, mentor=w["mentor"], mentees=[w["mentee"]], organization=w["dept"], consents=True)
    program = f.make_program(s, group=group)
    pairs = drafting.draft_order(s, w["actors"]["curator"], w["dept"].id, "pair_formation", {"groups": [group.id]})
    assert ("1.1. Наставник – Петров Пётр Петрович (директор, МАОУ СОШ № 8); наставляемый – Новикова Ольга "
            "Сергеевна (директор, МАОУ СОШ № 2); форма наставничества – «руководитель – руководитель».") in pairs.body
    done = drafting.draft_order(s, SYSTEM, w["dept"].id, "completion",
                           {"program": program.id, "ground": "a", "completed_on": date(2026, 8, 31)})
    assert done.type == "completion" and done.created_by_id is None
    assert "основание – п. 7.1 Положения: «завершения плана мероприятий" in " ".join(done.body.split())
    extension = drafting.draft_order(s, w["actors"]["head"], w["dept"].id, "extension",
                                {"program": program.id, "new_end_on": "2026-12-31"})
    assert "до 31.12.2026 (ранее – до 31.08.2026)." in extension.body
    appointment = f.make_appointment(s, person=w["mentor"], organization=w["dept"], starts_on=date(2025, 1, 1),
                                     status="pending")
    by_appointment = drafting.draft_order(s, w["actors"]["curator"], w["dept"].id, "appointment_of_mentors",
                                     {"appointments": [appointment.id]})
    assert "сроком на два года (с 01.01.2025 по 31.12.2026):" in by_appointment.body
    replacement = drafting.draft_order(s, w["actors"]["curator"], w["dept"].id, "mentor_replacement",
                                  {"program": program.id, "new_mentor": w["head"].id, "on": "2025-01-10"})
    assert replacement.type == "mentor_replacement" and replacement.subject == "О замене наставника"


def test_draft_permissions_and_bad_data(orders_world):
    w, s = orders_world, orders_world["s"]
    before = s.scalar(select(func.count()).select_from(Order))
    for actor in ("mentor", "other_head"):
        with pytest.raises(PermissionDenied):
            _draft(w, actor=actor)
    with pytest.raises(NotFound):
        drafting.draft_order(s, SYSTEM, 10_000, "appointment_of_mentors", {})
    with pytest.raises(NotFound):
        _draft(w, mentors=[10_000], starts_on="2024-09-01")
    with pytest.raises(OrderDataError) as caught:
        _draft(w, mentors=[w["mentor"].id])
    assert caught.value.where == "appointment_of_mentors.mentors[0].starts_on"
    with pytest.raises(OrderDataError):
        drafting.draft_order(s, SYSTEM, w["dept"].id, "bonus_for_everyone", {})
    assert s.scalar(select(func.count()).select_from(Order)) == before
    assert _draft(w, actor=SYSTEM).created_by_id is None


# --- submitting, signing ------------------------------------------------------------------------


def test_sign_by_the_head_records_signer_time_number_and_sha256(orders_world):
    w, s = orders_world, orders_world["s"]
    order = _draft(w)
    drafting.submit(s, w["actors"]["curator"], order.id)
    assert order.status == "awaiting_signature"
    signed = signing.sign(s, w["actors"]["head"], order.id, at=SIGNED_AT.replace(microsecond=5))
    assert signed is order
    assert (order.status, order.number, order.issued_on, order.year) == ("signed", "1", date(2024, 2, 20), 2024)
    assert (order.signer_id, order.signed_at) == (w["head"].id, SIGNED_AT)
    assert order.document_sha256 == hashlib.sha256(order.body.encode("utf-8")).hexdigest()
    assert register.verify(order)
    assert "ПРОЕКТ" not in order.body
    assert "\nПРИКАЗ\n\n20.02.2024 № 1\nг. Томск\n" in order.body
    assert order.body.endswith("\nНачальник департамента М.Г. Савенков\n\n"
                               "2024-02-20T10:00:55+0700 Савенков Максим Геннадьевич Я подтверждаю этот документ\n")
    assert [e.action for e in _audit(s, order)] == ["order.drafted", "order.submitted", "order.numbered",
                                                    "order.signed"]
    [entry] = _audit(s, order, "order.signed")
    assert entry.actor_id == w["head"].id and entry.details["document_sha256"] == order.document_sha256
    s.commit()
    s.expunge_all()
    again = s.get(Order, order.id)
    assert register.verify(again) and again.signed_at == SIGNED_AT


def test_a_signed_order_can_no_longer_change(orders_world):
    w, s = orders_world, orders_world["s"]
    order = _awaiting(w)
    signing.sign(s, w["actors"]["head"], order.id, at=SIGNED_AT)
    s.commit()
    body = order.body
    with pytest.raises(ConflictError, match="уже подписан"):
        signing.sign(s, w["actors"]["head"], order.id)
    with pytest.raises(ConflictError, match="уже подписан"):
        drafting.submit(s, w["actors"]["curator"], order.id)
    with pytest.raises(ConflictError, match="уже подписан"):
        signing.refuse(s, w["actors"]["head"], order.id, "передумал")
    with pytest.raises(ConflictError, match="уже подписан"):
        signing.assign_number(s, order)
    order.body = body + "1. Дописано после подписи.\n"
    assert not register.verify(order)  # the text no longer matches its SHA-256
    with pytest.raises(ConflictError):  # ImmutableRecordError from the model (and the trigger behind it)
        s.flush()
    s.rollback()
    assert s.get(Order, order.id).body == body and register.verify(s.get(Order, order.id))


@pytest.mark.parametrize("who", ["curator", "other_head", "mentor", "system"])
def test_only_a_head_of_that_organization_signs(orders_world, who):
    w, s = orders_world, orders_world["s"]
    order = _awaiting(w)
    s.commit()
    order_id, audit_before, body = order.id, len(_audit(s, order)), order.body
    actor = SYSTEM if who == "system" else w["actors"][who]
    with pytest.raises(PermissionDenied):
        signing.sign(s, actor, order_id, at=SIGNED_AT)
    s.rollback()
    s.expunge_all()
    order = s.get(Order, order_id)
    assert (order.status, order.number, order.issued_on, order.signer_id, order.signed_at, order.document_sha256) == (
        "awaiting_signature", None, None, None, None, None)
    assert order.body == body and len(_audit(s, order)) == audit_before
    with pytest.raises(PermissionDenied):
        signing.refuse(s, actor, order.id, "не согласен")
    assert order.status == "awaiting_signature"


def test_sign_needs_an_order_sent_for_signature(orders_world):
    w, s = orders_world, orders_world["s"]
    order = _draft(w)
    with pytest.raises(ConflictError, match="направленный на подпись"):
        signing.sign(s, w["actors"]["head"], order.id)
    assert (order.status, order.number) == ("draft", None)
    with pytest.raises(NotFound):
        signing.sign(s, w["actors"]["head"], 10_000)
    drafting.submit(s, w["actors"]["head"], order.id)
    with pytest.raises(ConflictError, match="только проект"):
        drafting.submit(s, w["actors"]["head"], order.id)
    with pytest.raises(PermissionDenied):
        drafting.submit(s, w["actors"]["mentor"], order.id)


def test_refuse_requires_a_reason_and_returns_the_order(orders_world):
    w, s = orders_world, orders_world["s"]
    order = _awaiting(w)
    for reason in ("", "   ", None):
        with pytest.raises(OrderDataError, match="причину отказа"):
            signing.refuse(s, w["actors"]["head"], order.id, reason)
    assert order.status == "awaiting_signature" and not _audit(s, order, "order.refused")
    signing.refuse(s, w["actors"]["head"], order.id, "  Не указан  срок назначения ")
    assert (order.status, order.refusal_reason, order.number) == ("refused", "Не указан срок назначения", None)
    [entry] = _audit(s, order, "order.refused")
    assert entry.actor_id == w["head"].id and entry.details["reason"] == "Не указан срок назначения"
    with pytest.raises(ConflictError):
        signing.sign(s, w["actors"]["head"], order.id)
    with pytest.raises(ConflictError):
        signing.refuse(s, w["actors"]["head"], order.id, "ещё раз")


def test_a_refused_order_is_redrafted_submitted_again_and_signed(orders_world):
    w, s = orders_world, orders_world["s"]
    order = _awaiting(w)
    data = {"mentors": [w["mentor"].id, w["mentee"].id], "starts_on": "2024-09-01"}
    with pytest.raises(ConflictError, match="на подписи"):
        drafting.redraft(s, w["actors"]["curator"], order.id, "appointment_of_mentors", data)
    signing.refuse(s, w["actors"]["head"], order.id, "Добавьте второго наставника")
    with pytest.raises(PermissionDenied):
        drafting.redraft(s, w["actors"]["mentor"], order.id, "appointment_of_mentors", data)
    drafting.redraft(s, w["actors"]["curator"], order.id, "appointment_of_mentors", data)
    assert order.status == "draft" and "1.2. Новикова Ольга Сергеевна (директор, МАОУ СОШ № 2)." in order.body
    assert order.refusal_reason == "Добавьте второго наставника"  # kept until signed; the audit keeps it too
    drafting.submit(s, w["actors"]["curator"], order.id)
    signing.sign(s, w["actors"]["head"], order.id, at=SIGNED_AT)
    assert register.verify(order) and "Новикова Ольга Сергеевна" in order.body
    assert [e.action for e in _audit(s, order)] == [
        "order.drafted", "order.submitted", "order.refused", "order.redrafted", "order.submitted",
        "order.numbered", "order.signed"]
    with pytest.raises(ConflictError, match="уже подписан"):
        drafting.redraft(s, w["actors"]["curator"], order.id, "appointment_of_mentors", data)


def test_assign_number_on_its_own_is_audited(orders_world):
    w, s = orders_world, orders_world["s"]
    order = _awaiting(w)
    assert signing.assign_number(s, order, on=date(2024, 3, 1)) == "1"
    [entry] = _audit(s, order, "order.numbered")
    assert entry.actor_id is None and entry.details["number"] == "1" and entry.details["issued_on"] == "2024-03-01"
    signing.sign(s, w["actors"]["head"], order.id, at=SIGNED_AT)  # signed later: keeps its number and date
    assert (order.number, order.issued_on) == ("1", date(2024, 3, 1)) and "01.03.2024 № 1" in order.body
    assert len(_audit(s, order, "order.numbered")) == 1


def test_orders_awaiting_signature(orders_world):
    w, s = orders_world, orders_world["s"]
    mine = _awaiting(w)
    _draft(w)  # still a draft
    theirs = drafting.draft_order(s, SYSTEM, w["other"].id, "curator_appointment", {"curator": w["other_head"].id})
    drafting.submit(s, SYSTEM, theirs.id)
    assert register.orders_awaiting_signature(s, w["actors"]["head"]) == [mine]
    assert register.orders_awaiting_signature(s, w["actors"]["other_head"]) == [theirs]
    assert register.orders_awaiting_signature(s, w["actors"]["curator"]) == []
    assert register.orders_awaiting_signature(s, SYSTEM) == [mine, theirs]


def test_yakutsk_order_stamp_in_yakutsk_time(db_session):
    s = db_session
    dept = f.make_department(s, regulation="yakutsk", name="Управление образования Окружной администрации города Якутска")
    head = f.make_person(s, full_name="Семёнов Алексей Константинович", login="yhead", position="Начальник")
    teacher = f.make_person(s, full_name="Егорова Айталина Петровна", login="yteacher", position="учитель")
    f.make_role(s, head, dept, "head")
    actor = load_actor(s, "yhead")
    order = drafting.draft_order(s, actor, dept.id, "appointment_of_mentors",
                            {"mentors": [{"person": teacher.id, "direction": "Функциональная грамотность"}],
                             "starts_on": "2024-09-01"})
    drafting.submit(s, actor, order.id)
    signing.sign(s, actor, order.id, at=datetime(2024, 8, 30, 16, 30, tzinfo=UTC))  # 31.08 01:30 in Yakutsk
    assert "сроком на один учебный год (2024/2025 учебный год, с 01.09.2024 по 31.08.2025)" in order.body
    assert (order.issued_on, order.number) == (date(2024, 8, 31), "1")
    assert order.body.endswith("\n2024-08-31T01:30:00+0900 Семёнов Алексей Константинович Я подтверждаю этот документ\n")
    assert register.verify(order)


# --- numbering ----------------------------------------------------------------------------------


def _sign_on(w, day_utc: datetime, organization=None):
    s = w["s"]
    if organization is None:
        order = _awaiting(w)
        actor = w["actors"]["head"]
    else:
        order = drafting.draft_order(s, SYSTEM, organization.id, "curator_appointment", {"curator": w["other_head"].id})
        drafting.submit(s, SYSTEM, order.id)
        actor = w["actors"]["other_head"]
    return signing.sign(s, actor, order.id, at=day_utc)


def test_numbers_per_organization_and_year(orders_world):
    w = orders_world
    jan, dec = datetime(2024, 1, 10, 5, tzinfo=UTC), datetime(2024, 12, 31, 16, 59, tzinfo=UTC)
    assert [_sign_on(w, jan).number for _ in range(3)] == ["1", "2", "3"]
    assert _sign_on(w, dec).number == "4"  # 23:59 in Tomsk: still 2024
    first_2025 = _sign_on(w, datetime(2024, 12, 31, 17, 0, tzinfo=UTC))  # 00:00 on 1 January 2025 in Tomsk
    assert (first_2025.number, first_2025.issued_on, first_2025.year) == ("1", date(2025, 1, 1), 2025)
    assert _sign_on(w, jan, organization=w["other"]).number == "1"  # another organization counts on its own
    assert _sign_on(w, jan).number == "5"


def test_number_suffix_and_existing_numbers(orders_world):
    w, s = orders_world, orders_world["s"]
    w["dept"].document_settings = {"kind": "РАСПОРЯЖЕНИЕ", "number_suffix": "р"}
    f.make_signed_order(s, organization=w["dept"], number="99р", issued_on=date(2024, 2, 1))
    f.make_order(s, organization=w["dept"], number="б/н", issued_on=date(2024, 2, 2))  # not a sequence number
    order = _sign_on(w, SIGNED_AT)
    assert order.number == "100р"
    assert "\nРАСПОРЯЖЕНИЕ\n\n20.02.2024 № 100р\n" in order.body
    assert "Контроль исполнения распоряжения оставляю за собой." in order.body


def test_assign_number_retries_after_a_collision(orders_world, monkeypatch):
    w, s = orders_world, orders_world["s"]
    taken = _sign_on(w, SIGNED_AT)
    assert taken.number == "1"
    order = _awaiting(w)
    real, calls = signing._highest_number, []

    def stale(session, organization_id, year):  # as if another transaction had not committed «1» yet
        calls.append(year)
        return 0 if len(calls) == 1 else real(session, organization_id, year)

    monkeypatch.setattr(signing, "_highest_number", stale)
    assert signing.assign_number(s, order, on=date(2024, 2, 21)) == "2"
    assert len(calls) == 2 and (order.number, order.issued_on) == ("2", date(2024, 2, 21))
    assert signing.assign_number(s, order) == "2"  # an order keeps its number
    signing.sign(s, w["actors"]["head"], order.id, at=datetime(2024, 2, 21, 3, tzinfo=UTC))
    assert order.number == "2" and register.verify(order)


def test_assign_number_gives_up_after_repeated_collisions(orders_world, monkeypatch):
    w, s = orders_world, orders_world["s"]
    _sign_on(w, SIGNED_AT)
    order = _awaiting(w)
    monkeypatch.setattr(signing, "_highest_number", lambda *a: 0)
    with pytest.raises(ConflictError, match="не удалось присвоить номер"):
        signing.assign_number(s, order, on=date(2024, 2, 21))
    s.refresh(order)
    assert order.number is None and order.status == "awaiting_signature"


@pytest.mark.parametrize("workers", [2, 4])
def test_concurrent_signing_gives_distinct_numbers(db_session_factory, workers):
    setup = db_session_factory()
    dept = f.make_department(setup, name="Департамент образования")
    head = f.make_person(setup, full_name="Савенков Максим Геннадьевич", login="head", position="Начальник")
    f.make_role(setup, head, dept, "head")
    setup.flush()
    actor = load_actor(setup, "head")
    ids = []
    for _ in range(workers):
        order = drafting.draft_order(setup, actor, dept.id, "curator_appointment", {"curator": head.id})
        drafting.submit(setup, actor, order.id)
        ids.append(order.id)
    setup.commit()
    setup.close()

    barrier, results, errors = threading.Barrier(workers), {}, []

    def work(order_id):
        session = db_session_factory()
        try:
            barrier.wait(timeout=30)
            results[order_id] = signing.sign(session, actor, order_id, at=SIGNED_AT).number
            session.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            session.rollback()
        finally:
            session.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(results.values(), key=int) == [str(n) for n in range(1, workers + 1)]
    check = db_session_factory()
    try:
        rows = check.scalars(select(Order).where(Order.id.in_(ids))).all()
        assert sorted(o.number for o in rows) == sorted(results.values())
        assert all(o.status == OrderStatus.SIGNED and register.verify(o) for o in rows)
    finally:
        check.close()


@pytest.mark.parametrize("second", ["sign", "refuse"])
def test_concurrent_decisions_on_the_same_order_only_one_wins(db_session_factory, second):
    setup = db_session_factory()
    dept = f.make_department(setup)
    heads = [f.make_person(setup, login=f"head{i}", position="Начальник") for i in range(2)]
    for h in heads:
        f.make_role(setup, h, dept, "head")
    setup.flush()
    actors = [load_actor(setup, f"head{i}") for i in range(2)]
    order = drafting.draft_order(setup, SYSTEM, dept.id, "curator_appointment", {"curator": heads[0].id})
    drafting.submit(setup, SYSTEM, order.id)
    setup.commit()
    setup.close()

    barrier, outcomes = threading.Barrier(2), []

    def work(actor, action):
        session = db_session_factory()
        try:
            barrier.wait(timeout=30)
            if action == "sign":
                signing.sign(session, actor, order.id, at=SIGNED_AT)
            else:
                signing.refuse(session, actor, order.id, "Не согласен с текстом")
            session.commit()
            outcomes.append("done")
        except ConflictError:
            session.rollback()
            outcomes.append("conflict")
        except Exception as exc:  # noqa: BLE001
            session.rollback()
            outcomes.append(repr(exc))
        finally:
            session.close()

    threads = [threading.Thread(target=work, args=(actors[0], "sign")),
               threading.Thread(target=work, args=(actors[1], second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["conflict", "done"]
    check = db_session_factory()
    try:
        final = check.get(Order, order.id)
        decided = check.scalars(select(AuditEntry.action).where(
            AuditEntry.action.in_(["order.signed", "order.refused"]))).all()
        assert len(decided) == 1
        if decided == ["order.signed"]:
            assert final.status == "signed" and final.number == "1" and register.verify(final)
        else:
            assert final.status == "refused" and final.number is None
    finally:
        check.close()
