"""One contract, every channel: the same bad field of the same step (the curator's review of a stage
report) is refused by the page, the JSON API and the command line, each naming the field — and with the
page's own checks switched off the engine still refuses it, so no channel can bypass the contract."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from cli import main
from engine.db.models import OpenTask
from engine.forms import TEXT_MAX
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests.web.conftest import csrf_token
from tests.web.curator_world import curator_app, curator_client, world  # noqa: F401
from web.task_forms import ReviewStageReportForm

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"])
TOO_LONG = "x" * (TEXT_MAX + 1)
LIMIT = f"не длиннее {TEXT_MAX} знаков"


def _still_open(db_session_factory, world) -> bool:
    with db_session_factory() as session:
        return session.scalar(select(OpenTask.id).where(OpenTask.task_id == world.review_task_id)) is not None


def _page_post(client, world, **data):
    path = f"/tasks/{world.instance_id}/{world.review_task_id}"
    html = client.get(path).text
    return client.post(path, data={"csrf_token": csrf_token(html), "approve": "1", **data})


def test_the_page_refuses_the_field(curator_client, world, db_session_factory):
    refused = _page_post(curator_client, world, comment=TOO_LONG)
    assert refused.status_code == 422
    assert f'maxlength="{TEXT_MAX}"' in refused.text and 'name="comment"' in refused.text
    assert _still_open(db_session_factory, world)


def test_without_the_pages_checks_the_engine_refuses_it(curator_client, world, db_session_factory, monkeypatch):
    monkeypatch.setattr(ReviewStageReportForm, "validate", lambda self, extra_validators=None: True)
    refused = _page_post(curator_client, world, comment=TOO_LONG)
    assert refused.status_code == 422 and LIMIT in refused.text  # the engine's message, on the comment field
    assert 'id="comment"' in refused.text and "field--error" in refused.text
    assert _still_open(db_session_factory, world)


def test_the_api_refuses_it(curator_app, world, db_session_factory):
    with db_session_factory() as session:
        token = api_tokens.issue(session, SYSTEM, world.ids["curator"], "тест", timedelta(days=1)).token
        session.commit()
    client, path = curator_app.test_client(), f"/api/v1/tasks/{world.instance_id}/{world.review_task_id}/complete"
    for data, field in [({"approved": True, "comment": TOO_LONG}, "comment"), ({"approved": True, "mark": 5}, "mark"),
                        ({"approved": "yes"}, "approved")]:
        response = client.post(path, json={"data": data}, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 422, response.get_json()
        assert list(response.get_json()["errors"]["json"]["data"]) == [field]
    assert _still_open(db_session_factory, world)


def test_the_command_line_refuses_it(world, db_url, db_session_factory, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    args = ["task", "complete", str(world.instance_id), world.review_task_id, "--as", "curator", "--data"]
    for data, field in [({"approved": True, "comment": TOO_LONG}, "comment"), ({"approved": True, "mark": 5}, "mark"),
                        ({"approved": "yes"}, "approved")]:
        assert main([*args, json.dumps(data)]) == 2
        err = capsys.readouterr().err
        assert f"{field}: " in err and len(err.splitlines()) == 1, err
    assert _still_open(db_session_factory, world)
    assert main([*args, json.dumps({"approved": True, "comment": "Принято"})]) == 0
    assert not _still_open(db_session_factory, world)
