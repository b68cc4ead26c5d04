"""The methodologist's workflow pages: list, editor, check/save JSON, upload, deploy, diff; who may."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.db.models import AuditEntry, ProcessDefinition
from engine.services.process import definitions
from tests.web.conftest import csrf_token, login

ROOT = Path(__file__).resolve().parents[2]
PLAN = (ROOT / "tests" / "engine" / "services" / "fixtures" / "plan_review.bpmn").read_bytes()
V2 = PLAN.replace("Утвердить план".encode(), "Утвердить план (v2)".encode())
IMPORT_OS = PLAN.replace(b"rounds = 0", b"import os\nrounds = 0")
XXE = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;</bpmn:definitions>')


@pytest.fixture
def plan_v1(db_session_factory, seed):
    """plan_review deployed as version 1 (by the system, as ``nastavnik workflow deploy`` does)."""
    definitions.clear_cache()
    with db_session_factory() as session:
        from engine.services.people.actor import SYSTEM
        definition = definitions.deploy(session, SYSTEM, PLAN, "plan_review.bpmn")
        session.commit()
        return definition.id


def _csrf(client, url="/methodology") -> str:
    return csrf_token(client.get(url).text)


def _post_json(client, endpoint: str, payload, token: str | None):
    headers = {"X-CSRFToken": token} if token else {}
    return client.post(f"/methodology/{endpoint}", json=payload, headers=headers)


def _definitions(db_session_factory, process_id="plan_review"):
    with db_session_factory() as session:
        return [(d.version, d.status, d.comment) for d in session.scalars(
            select(ProcessDefinition).where(ProcessDefinition.process_id == process_id)
            .order_by(ProcessDefinition.version))]


@pytest.mark.parametrize("who", ["curator", "head", "mentor", "mentee", "other_curator", "nobody"])
def test_only_methodologists_enter(client, plan_v1, who):
    login(client, who)
    for url in ("/methodology", "/methodology/workflows/plan_review/1", "/methodology/workflows/plan_review/1.bpmn",
                "/methodology/workflows/plan_review/diff", "/methodology/upload", "/methodology/modeler/catalog.json"):
        assert client.get(url).status_code == 403, url
    assert client.post("/methodology/check", json={"xml": "<x/>"}).status_code in (400, 403)
    assert client.post("/methodology/workflows/plan_review/1/deploy").status_code in (400, 403)


def test_anonymous_is_sent_to_login(client):
    response = client.get("/methodology")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_list_shows_versions_current_and_usage(client, plan_v1):
    login(client, "methodologist")
    html = client.get("/methodology").text
    assert 'data-process-id="plan_review"' in html and "Согласование плана (тест сервисов)" in html
    assert re.search(r'<tr data-version="1" data-status="deployed" class="is-current">', html)
    assert "текущая" in html and "Загрузить BPMN-файл" in html
    # the seeded instances run on stand-in definitions of pair_formation: counted per version
    assert 'data-process-id="pair_formation"' in html and 'data-status="running"' in html


def test_editor_and_source(client, plan_v1):
    login(client, "methodologist")
    html = client.get("/methodology/workflows/plan_review/1").text
    assert 'data-xml-url="/methodology/workflows/plan_review/1.bpmn"' in html
    assert "vendor/modeler/modeler.bundle.js" in html and "js/modeler.js" in html
    assert 'data-catalog-url="/methodology/modeler/catalog.json"' in html and 'id="properties"' in html
    assert 'name="csrf-token"' in html and "Проверить" in html and "Сохранить как новую версию" in html
    assert "style=" not in html and "<script>" not in html
    source = client.get("/methodology/workflows/plan_review/1.bpmn")
    assert source.status_code == 200 and source.data == PLAN and source.mimetype == "application/xml"
    download = client.get("/methodology/workflows/plan_review/1.bpmn?download=1")
    assert "attachment" in download.headers["Content-Disposition"]
    assert client.get("/methodology/workflows/plan_review/9").status_code == 404
    assert client.get("/methodology/workflows/nothing/1").status_code == 404


def test_check_endpoint_names_elements_and_needs_the_csrf_header(client, plan_v1):
    login(client, "methodologist")
    token = _csrf(client)
    assert _post_json(client, "check", {"xml": IMPORT_OS.decode()}, None).status_code == 400
    result = _post_json(client, "check", {"xml": IMPORT_OS.decode(), "filename": "x.bpmn"}, token).get_json()
    assert result["ok"] is False
    assert {"element_id": "prepare", "element_name": "Подготовить данные"}.items() <= result["problems"][0].items()
    assert "импорт" in result["problems"][0]["message"]
    assert _post_json(client, "check", {"xml": PLAN.decode()}, token).get_json() == {"ok": True, "problems": []}
    for bad, where in [({"xml": "<a><b>"}, "XML"), ({"xml": XXE.decode()}, "DTD"),
                       ({"xml": "x" * (5 * 1024 * 1024 + 1)}, "слишком большой")]:
        result = _post_json(client, "check", bad, token)
        assert result.status_code == 200 and where in result.get_json()["problems"][0]["message"]
    for bad, field in [([1, 2], "JSON"), ({"xml": ""}, "xml"), ({"xml": 5}, "xml"),
                       ({"xml": "<x/>", "comment": 3}, "comment")]:
        result = _post_json(client, "check", bad, token)
        assert result.status_code == 422 and field in result.get_json()["message"]


def test_the_live_check_refuses_what_the_engine_runs_wrongly(client, plan_v1):
    """The modeler's live check and its save go through the server's check: an interrupting event subprocess (which
    SpiffWorkflow 3.2 would not interrupt) is marked on its element, with the reason, and is not saved."""
    diagram = (ROOT / "tests/engine/workflow/unsupported/interrupting_event_subprocess.bpmn").read_text(encoding="utf-8")
    login(client, "methodologist")
    token = _csrf(client)
    result = _post_json(client, "check", {"xml": diagram, "filename": "petition.bpmn"}, token).get_json()
    assert result["ok"] is False
    (problem,) = result["problems"]
    assert {"element_id": "Start_petition", "element_name": "Пришло ходатайство"}.items() <= problem.items()
    assert problem["message"].startswith("прерывающее начальное событие подпроцесса по событию не поддерживается")
    saved = _post_json(client, "save", {"xml": diagram, "filename": "petition.bpmn"}, token)
    assert saved.status_code == 422 and saved.get_json()["problems"][0]["element_id"] == "Start_petition"


def test_save_a_draft_then_deploy_it(client, plan_v1, db_session_factory):
    login(client, "methodologist")
    token = _csrf(client)
    refused = _post_json(client, "save", {"xml": IMPORT_OS.decode(), "filename": "plan_review.bpmn"}, token)
    assert refused.status_code == 422 and refused.get_json()["problems"][0]["element_id"] == "prepare"
    same = _post_json(client, "save", {"xml": PLAN.decode(), "filename": "plan_review.bpmn"}, token).get_json()
    assert same["ok"] and not same["created"] and same["version"] == 1 and "версия 1" in same["message"]

    saved = _post_json(client, "save", {"xml": V2.decode(), "filename": "plan_review.bpmn", "comment": "новое имя"},
                       token).get_json()
    assert saved == {"ok": True, "created": True, "process_id": "plan_review", "version": 2, "status": "draft",
                     "url": "/methodology/workflows/plan_review/2", "message": "Сохранена версия 2."}
    assert _definitions(db_session_factory) == [(1, "deployed", None), (2, "draft", "новое имя")]
    page = client.get(saved["url"]).text
    assert "Сохранена версия 2" in page and 'id="deploy-panel"' in page and "уже запущенные" in page

    deployed = client.post("/methodology/workflows/plan_review/2/deploy", data={"csrf_token": csrf_token(page)})
    assert deployed.status_code == 302 and deployed.headers["Location"].endswith("/methodology")
    assert _definitions(db_session_factory) == [(1, "deployed", None), (2, "deployed", "новое имя")]
    html = client.get("/methodology").text
    assert re.search(r'<tr data-version="2" data-status="deployed" class="is-current">', html)
    assert "развёрнута" in html
    again = client.post("/methodology/workflows/plan_review/2/deploy", data={"csrf_token": csrf_token(html)})
    assert again.status_code == 409
    with db_session_factory() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("workflow.%"))).all()
    assert actions.count("workflow.draft_saved") == 1 and actions.count("workflow.deployed") == 2


def test_upload_opens_the_modeler_with_the_problems(client, plan_v1):
    login(client, "methodologist")
    token = _csrf(client, "/methodology/upload")
    response = client.post("/methodology/upload", data={"csrf_token": token,
                                                         "file": (io.BytesIO(IMPORT_OS), "broken.bpmn")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    html = response.text
    assert 'data-xml-base64="' in html and 'data-filename="broken.bpmn"' in html
    assert 'data-element-id="prepare"' in html and "Подготовить данные" in html and "импорт" in html


@pytest.mark.parametrize(("data", "message"), [
    (b"<bpmn:definitions", "не является корректным XML"),
    (XXE, "DTD"),
    (b"\xff\xfe" + "<a/>".encode("utf-16-le"), "UTF-8"),
    (b"x" * (5 * 1024 * 1024 + 10), "больше 5 МБ"),
])
def test_unreadable_uploads_are_listed_not_500(client, plan_v1, data, message):
    login(client, "methodologist")
    token = _csrf(client, "/methodology/upload")
    response = client.post("/methodology/upload", data={"csrf_token": token, "file": (io.BytesIO(data), "bad.bpmn")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and message in response.text
    assert "data-xml-base64" not in response.text


def test_upload_without_a_file_names_the_field(client, plan_v1):
    login(client, "methodologist")
    token = _csrf(client, "/methodology/upload")
    response = client.post("/methodology/upload", data={"csrf_token": token}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Выберите файл .bpmn" in response.text


def test_diff_between_versions(client, plan_v1, db_session_factory):
    login(client, "methodologist")
    token = _csrf(client)
    _post_json(client, "save", {"xml": V2.decode(), "filename": "plan_review.bpmn"}, token)
    html = client.get("/methodology/workflows/plan_review/diff?a=1&b=2").text
    assert 'data-element-id="approve_plan" data-change="changed"' in html
    assert "Утвердить план (v2)" in html and 'data-facet="name"' in html
    assert 'id="text-diff"' in html and "+++ plan_review v2" in html
    default = client.get("/methodology/workflows/plan_review/diff").text  # the current one against the previous
    assert "Версии 1 и 1 не различаются" in default
    assert client.get("/methodology/workflows/plan_review/diff?a=1&b=7").status_code == 404
    bad = client.get("/methodology/workflows/plan_review/diff?a=первая")
    assert bad.status_code == 422 and "Версия «a»" in bad.text
    # the seed's stand-in definitions are not BPMN: a clear refusal, not a 500
    with db_session_factory() as session:
        versions = session.scalars(select(ProcessDefinition.version)
                                   .where(ProcessDefinition.process_id == "pair_formation")).all()
    stand_in = client.get(f"/methodology/workflows/pair_formation/diff?a={versions[0]}&b={versions[-1]}")
    assert stand_in.status_code == 422 and "BPMN" in stand_in.text


def test_english_pages(client, plan_v1):
    login(client, "methodologist")
    client.get("/methodology?lang=en")
    assert "Upload a BPMN file" in client.get("/methodology").text
    assert "Save as a new version" in client.get("/methodology/workflows/plan_review/1").text


def test_the_modeler_catalog_offers_what_the_check_accepts(client, plan_v1):
    """The properties panel's choices: the lanes' roles, the system's forms with their fields, the running rule
    sets with their version (and the regulation pack's purposes), the hooks."""
    login(client, "methodologist")
    catalog = client.get("/methodology/modeler/catalog.json").get_json()
    assert {"lane": "Куратор", "role": "curator", "system": False} in catalog["roles"]
    assert {"lane": "Система", "role": "system", "system": True} in catalog["roles"]
    forms = {form["id"]: form for form in catalog["forms"]}
    assert "acknowledge_reminder" in forms and "sign_order" in forms
    consent = forms["give_consent"]
    assert consent["title"] and all(f["name"] and f["label"] for f in consent["fields"])
    rulesets = {ruleset["id"]: ruleset for ruleset in catalog["rulesets"]}
    assert rulesets["pack:mentor_eligibility"]["version"] is None
    assert any(r["version"] for key, r in rulesets.items() if not key.startswith("pack:"))
    assert "sign_order" in catalog["hooks"] and catalog["hooks"] == sorted(catalog["hooks"])
    for form_id in forms:  # every form offered passes the check's form rule
        from engine.forms.registry import form_problem
        assert form_problem(form_id, None) is None
    # the contract's vocabulary (issue 16 item 3): the effects with the element types that may carry them, the kinds
    effects = {effect["name"]: effect for effect in catalog["effects"]}
    assert effects["stage_reminder"]["elements"] == ["userTask", "manualTask"] and effects["stage_reminder"]["title"]
    assert effects["stage"]["elements"] == ["subProcess"]
    kinds = {kind["name"]: kind for kind in catalog["kinds"]}
    assert "stage_reminder" in kinds["program"]["effects"] and "extension" in kinds["program"]["messages"]
