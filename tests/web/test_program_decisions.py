"""What the curator sees of the decisions around a program (issue 10, «The lifecycle»): the head's refusal
reason on the step that follows it and in the inbox; the stage's events done on the report review, an
incomplete stage accepted only with a reason; her own petitions (early completion, extension) from the
program page."""
from __future__ import annotations

import html as html_lib
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from engine.db.models import OpenTask
from tests.engine.services.conftest import CopiedDemo
from tests.web.conftest import csrf_token
from tests.web.curator_world import curator_app, curator_client, log_in, world  # noqa: F401

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def driver(session, world) -> CopiedDemo:
    start = datetime.combine(world.started_on, datetime.min.time(), tzinfo=UTC) + timedelta(days=2)
    return CopiedDemo(session, say=lambda line: None, start=start)


def text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


@BOTH
def test_the_heads_refusal_reason_is_on_the_curators_next_step_and_in_the_inbox(curator_client, world,
                                                                                 db_session_factory):
    with db_session_factory() as session:
        demo = driver(session, world)
        demo.register("novikova")
        instance = demo.consented_pair("volkov", "novikova")
        demo.complete("head", "sign_order", {"signed": False, "refusal_reason": "Наставляемая переведена в другую школу"},
                      instance.id)
        task = session.scalar(select(OpenTask).where(OpenTask.instance_id == instance.id))
        assert task.role == "curator"
        url = f"/tasks/{instance.id}/{task.task_id}"
    inbox = text(curator_client.get("/inbox"))
    assert "Руководитель не подписал приказ «О формировании наставнических пар (групп)»: " \
           "Наставляемая переведена в другую школу" in inbox
    page = text(curator_client.get(url))
    assert "Руководитель не подписал приказ" in page and "Наставляемая переведена в другую школу" in page


def form_fields(html: str) -> dict:
    found = re.search(r'name="version" type="hidden" value="(\d+)"', html)
    return {"csrf_token": csrf_token(html), **({"version": found[1]} if found else {})}


@BOTH
def test_the_review_page_shows_what_was_done_and_an_incomplete_stage_needs_a_reason(curator_client, world,
                                                                                   db_session_factory):
    with db_session_factory() as session:
        demo = driver(session, world)
        demo.register("novikova")
        program = demo.form_pair("volkov", "novikova")
        iid = program.workflow_instance_id
        demo.complete("volkov", "stage_work", {"events_done": [], "report": "x"}, iid)
        task = demo.task("curator", "review_stage_report", iid)
        url, program_id = f"/tasks/{iid}/{task.task_id}", program.id
    page = text(curator_client.get(url))
    assert "Проведено мероприятий этапа: 0 из 4" in page and "Этап выполнен не полностью" in page
    refused = curator_client.post(url, data={**form_fields(page), "comment": "", "approve": "1"})
    assert refused.status_code == 422 and "выполнено 0 из 4 мероприятий" in text(refused)
    accepted = curator_client.post(url, data={**form_fields(page), "approve": "1",
                                              "comment": "Диагностика проведена на совещании"})
    assert accepted.status_code == 302
    history = text(curator_client.get(f"/programs/{program_id}"))
    assert "принят при неполном выполнении этапа" in history and "Диагностика проведена на совещании" in history


@BOTH
def test_the_curator_ends_or_extends_the_program_from_its_page(curator_client, world, db_session_factory):
    page = text(curator_client.get(f"/programs/{world.program_id}"))
    assert "Действия куратора" in page
    assert f"/programs/{world.program_id}/curator/early_completion" in page
    assert f"/programs/{world.program_id}/curator/extension" in page
    url = f"/programs/{world.program_id}/curator/extension"
    form = text(curator_client.get(url))
    assert "003 §7.2" in form and "На сколько месяцев продлить" in form
    bad = curator_client.post(url, data={"csrf_token": csrf_token(form), "months": "25", "reason": "загрузка"})
    assert bad.status_code == 422 and "Срок продления — от 0 до 24 месяцев." in text(bad)
    # 003 §7.2: no months is a content correction, and this one corrects nothing
    empty = curator_client.post(url, data={"csrf_token": csrf_token(form), "months": "0", "reason": "загрузка"})
    assert empty.status_code == 422 and "ходатайство ничего не меняет" in text(empty)
    done = curator_client.post(url, data={"csrf_token": csrf_token(form), "months": "2", "reason": "загрузка"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/programs/{world.program_id}")
    with db_session_factory() as session:
        open_forms = sorted(session.scalars(select(OpenTask.form_id).where(OpenTask.instance_id == world.instance_id)))
    assert open_forms == ["agree_extension"]  # the mentor's, then the mentee's agreement (003 §7.2)
    page = text(curator_client.get(f"/programs/{world.program_id}"))
    assert "такое ходатайство уже рассматривается" in page

    mentor = curator_client.application.test_client()
    log_in(mentor, "volkov")
    assert mentor.get(url).status_code == 403  # the curator's action only


@BOTH
def test_the_curator_ends_the_program_on_her_initiative_from_its_page(curator_client, world, db_session_factory):
    url = f"/programs/{world.program_id}/curator/early_completion"
    form = text(curator_client.get(url))
    assert "по инициативе куратора" in form and "форс-мажора" in form  # 003 §7.1, quoted
    empty = curator_client.post(url, data={"csrf_token": csrf_token(form), "reason": " "})
    assert empty.status_code == 422
    done = curator_client.post(url, data={"csrf_token": csrf_token(form), "reason": "Наставляемая не выходит на связь"})
    assert done.status_code == 302
    with db_session_factory() as session:
        open_forms = sorted(session.scalars(select(OpenTask.form_id).where(OpenTask.instance_id == world.instance_id)))
    assert open_forms == ["sign_order"]  # straight to the head's order: not asked to decide her own initiative
    head = curator_client.application.test_client()
    log_in(head, "head")
    orders = text(head.get("/orders"))
    assert "О завершении персонализированной программы наставничества" in orders


@BOTH
def test_a_refused_early_completion_order_comes_back_to_the_curators_inbox(curator_client, world, db_session_factory):
    """A refused early completion returns the program to its stage: no step of the curator carries the reason,
    so her inbox lists the refusal on its own, with the program."""
    url = f"/programs/{world.program_id}/curator/early_completion"
    form = text(curator_client.get(url))
    curator_client.post(url, data={"csrf_token": csrf_token(form), "reason": "Наставляемая не выходит на связь"})
    assert "Руководитель не подписал" not in text(curator_client.get("/inbox"))
    with db_session_factory() as session:
        demo = driver(session, world)
        demo.complete("head", "sign_order", {"signed": False, "refusal_reason": "Сначала проведите беседу с наставляемой"},
                      world.instance_id)
        open_forms = sorted(session.scalars(select(OpenTask.form_id).where(OpenTask.instance_id == world.instance_id)))
    assert "sign_order" not in open_forms and not any(f in open_forms for f in ("complete_program", "decide_petition"))
    inbox = text(curator_client.get("/inbox"))
    section = inbox[inbox.index("Руководитель не подписал"):]
    assert "Сначала проведите беседу с наставляемой" in section
    assert f"/programs/{world.program_id}" in section[:section.index("</section>")]
