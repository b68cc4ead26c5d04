"""Issue 10 «Bonus» (003 §9.3) on the program page of a copy of the demo: the amount is the mentor's for her
term (volkov's two separate pairs are two mentees: «4 оклада» on both pages, not 3 + 3), the early-completed
program has its decision, and the head records hers on revocation, with who, when and why."""
from __future__ import annotations

import re

from flask_babel import ngettext
from sqlalchemy import select

from engine.db.models import MentorBonus, Order, Person, Program, WorkflowInstance
from tests.web.conftest import csrf_token
from tests.web.test_programs import _session, client_as, program_of
from tests.web.test_visible_russian import demo_app  # noqa: F401 - fixture: the demo story on both backends


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_two_pairs_of_one_mentor_show_four_salaries_on_both_pages(demo_app):
    curator = client_as(demo_app, "curator")
    for mentee in ("novikova", "orlova"):  # one finished, one in progress
        page = text(curator.get(f"/programs/{program_of(demo_app, 'volkov', mentee)}").text)
        assert "Премирование наставника (003 §9.3)" in page and "4 оклада" in page
        assert "Наставляемых за срок назначения" in page and ": 2." in page
    single = text(curator.get(f"/programs/{program_of(demo_app, 'morozova', 'fedorov')}").text)
    assert "3 оклада" in single and "Записать решение" not in single


def test_the_head_decides_on_revocation_after_an_early_completion(demo_app):
    program_id = program_of(demo_app, "sokolova", "pavlov")  # completed early (003 §7.1)
    curator = client_as(demo_app, "curator")
    raw = curator.get(f"/programs/{program_id}").text
    seen = text(raw)
    assert "решает руководитель" in seen and "Записать решение" not in seen  # the curator does not decide
    head = client_as(demo_app, "head")
    html = head.get(f"/programs/{program_id}").text
    assert "Записать решение" in html and "Основание для отмены: невыполнение программы" in text(html)
    token = csrf_token(html)
    missing = head.post(f"/programs/{program_id}/bonus", data={"csrf_token": token, "revoked": "yes", "reason": ""})
    assert missing.status_code == 422 and "укажите основание решения" in missing.text
    assert curator.post(f"/programs/{program_id}/bonus",
                        data={"csrf_token": csrf_token(raw), "revoked": "yes", "reason": "x"}).status_code == 403
    done = head.post(f"/programs/{program_id}/bonus", data={"csrf_token": token, "revoked": "no",
                                                            "reason": "досрочное завершение по уважительной причине"})
    assert done.status_code == 302 and done.headers["Location"].endswith("#bonus")
    page = text(head.get(f"/programs/{program_id}").text)
    assert "увеличение сохранено — Петрова Ольга Викторовна" in page
    assert "досрочное завершение по уважительной причине" in page
    assert "Руководитель сохранил увеличение премиального фонда наставника (003 §9.3)" in page  # the history
    assert "Премирование наставника пересчитано: 3 оклада" in page and "mentor_bonus." not in page
    with _session(demo_app) as s:
        sokolova = s.scalar(select(Person.id).where(Person.login == "sokolova"))
        record = s.scalar(select(MentorBonus).where(MentorBonus.mentor_id == sokolova))
        assert (record.revoked, record.decided_at is not None) == (False, True)


def test_salaries_agree_with_their_number_in_russian(demo_app):
    with demo_app.test_request_context("/"):
        said = [ngettext("%(num)s оклад", "%(num)s оклада", n) for n in (1, 3, 4, 5, 11, 21, 22)]
    assert said == ["1 оклад", "3 оклада", "4 оклада", "5 окладов", "11 окладов", "21 оклад", "22 оклада"]


def test_the_head_sees_the_bonus_beside_the_completion_order(demo_app):
    program_id = program_of(demo_app, "lebedev", "egorova")  # completed with the plan done
    with _session(demo_app) as s:
        order_id = s.scalar(select(Order.id).join(WorkflowInstance, Order.workflow_instance_id == WorkflowInstance.id)
                            .join(Program, Program.workflow_instance_id == WorkflowInstance.id)
                            .where(Program.id == program_id, Order.type == "completion"))
    page = text(client_as(demo_app, "head").get(f"/orders/{order_id}").text)
    assert "Премирование наставника (003 §9.3) 3 оклада · Лебедев Сергей Петрович" in page
