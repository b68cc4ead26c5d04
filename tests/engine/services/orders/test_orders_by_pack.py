"""Orders are worded by the organization's regulation pack, and each order records which pack version and
template worded it: a methodologist's edited template, once its pack is installed, words the next draft."""
from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from engine.db.models import AuditEntry, Order
from engine.documents import OrderDataError
from engine.regulations import PACKS_DIRECTORY, install_pack, load_pack, pack
from engine.services.orders import drafting, register, signing
from engine.services.people.actor import load_actor
from tests import factories as f


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def tomsk_release(db_session):
    """A Tomsk department with its head and curator, and a mentor who asked to be released (003 §4.1)."""
    s = db_session
    dept = f.make_department(s, name="Администрация Города Томска / Департамент образования")
    head = f.make_person(s, full_name="Савенков Максим Геннадьевич", login="head", position="Начальник департамента")
    curator = f.make_person(s, full_name="Боровикова Наталья Алексеевна", login="curator")
    mentor = f.make_person(s, full_name="Петров Пётр Петрович", login="mentor", position="директор")
    f.make_role(s, head, dept, "head")
    f.make_role(s, curator, dept, "curator")
    s.flush()
    return {"s": s, "dept": dept, "mentor": mentor, "head": load_actor(s, "head"), "curator": load_actor(s, "curator")}


@pytest.fixture
def shipped_tomsk():
    original = pack("tomsk")
    yield original
    install_pack(original)


def test_an_order_records_its_template_and_an_edited_pack_words_the_redraft(tomsk_release, shipped_tomsk, tmp_path):
    w, s = tomsk_release, tomsk_release["s"]
    data = {"mentor": w["mentor"].id, "released_on": "2025-01-10"}
    order = drafting.draft_order(s, w["curator"], w["dept"].id, "mentor_release", data)
    shipped = PACKS_DIRECTORY / "tomsk" / "orders" / "mentor_release.j2"
    assert (order.regulation, order.regulation_version, order.template_sha256) == ("tomsk", "1", _sha(shipped))
    assert order.subject == "Об освобождении от обязанностей наставника"
    assert "на основании заявления наставника о сложении с него обязанностей наставника" in order.body
    drafting.submit(s, w["curator"], order.id)
    signing.refuse(s, w["head"], order.id, "Сформулируйте по заявлению наставника")

    # the methodologist edits the template; the edited pack is checked and installed
    folder = tmp_path / "tomsk"
    shutil.copytree(PACKS_DIRECTORY / "tomsk", folder)
    edited = folder / "orders" / "mentor_release.j2"
    edited.write_text(edited.read_text(encoding="utf-8").replace(
        "на основании заявления наставника", "по личному заявлению наставника"), encoding="utf-8")
    install_pack(load_pack(folder))

    drafting.redraft(s, w["curator"], order.id, "mentor_release", data)
    assert ("(далее – Положение), по личному заявлению наставника о сложении с него обязанностей наставника, "
            "ПРИКАЗЫВАЮ:") in order.body
    assert order.template_sha256 == _sha(edited) != _sha(shipped)
    drafting.submit(s, w["curator"], order.id)
    signing.sign(s, w["head"], order.id, at=datetime(2025, 1, 9, 3, tzinfo=UTC))
    assert register.verify(order) and order.template_sha256 == _sha(edited) and order.regulation_version == "1"
    drafted, redrafted = (s.scalars(select(AuditEntry).where(AuditEntry.object_id == str(order.id),
                                                             AuditEntry.action == action)).one()
                          for action in ("order.drafted", "order.redrafted"))
    assert drafted.details["template_sha256"] == _sha(shipped) and redrafted.details["template_sha256"] == _sha(edited)
    assert redrafted.details["regulation"] == "tomsk" and redrafted.details["regulation_version"] == "1"


def test_an_order_its_pack_does_not_provide_is_refused_naming_the_pack(db_session):
    s = db_session
    dept = f.make_department(s, regulation="yakutsk", name="Управление образования Окружной администрации г. Якутска")
    head = f.make_person(s, full_name="Семёнов Алексей Константинович", login="yhead")
    mentor = f.make_person(s, full_name="Егорова Айталина Петровна", login="ymentor")
    f.make_role(s, head, dept, "head")
    s.flush()
    before = s.scalar(select(func.count()).select_from(Order))
    with pytest.raises(OrderDataError, match="положение «Сетевое наставничество в образовательном пространстве "
                                             "г. Якутска» не предусматривает приказ «Об освобождении"):
        drafting.draft_order(s, load_actor(s, "yhead"), dept.id, "mentor_release",
                        {"mentor": mentor.id, "released_on": date(2025, 1, 10)})
    assert s.scalar(select(func.count()).select_from(Order)) == before
    curator_order = drafting.draft_order(s, load_actor(s, "yhead"), dept.id, "curator_appointment", {"curator": mentor.id})
    assert "В соответствии с п. 4.1 приказа Управления образования Окружной администрации города Якутска" \
        in curator_order.body  # 004 п. 4.1
    assert curator_order.regulation == "yakutsk"
