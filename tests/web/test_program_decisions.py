"""What the curator sees of the decisions around a program (issue 10, «The lifecycle»): the head's refusal
reason on the step that follows it and in the inbox; the stage's events done on the report review, an
incomplete stage accepted only with a reason; her own petitions (early completion, extension) from the
program page."""
from __future__ import annotations

import html as html_lib
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.db.models import OpenTask
from tests.engine.services.conftest import CopiedDemo
from tests.web.curator_world import curator_app, curator_client, world  # noqa: F401

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def driver(session, world) -> CopiedDemo:
    from datetime import UTC, datetime
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
