"""schemathesis against the OpenAPI document, in-process (WSGI): every operation with generated valid
and invalid data, as a person whose role may use it and without a token — never a server error, and
every response (status, content type, headers, body) as the document says."""
from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
EXAMPLES = 10  # per operation and generation mode; the whole run stays well under a minute
# who may use each resource (the first path segment after /api/v1)
ROLE = {"programs": "curator", "tasks": "head", "pairs": "curator", "people": "curator", "orders": "head",
        "rules": "methodologist", "workflows": "methodologist", "organizations": "admin", "calendar": "volkov",
        "notifications": "curator", "incidents": "curator", "registries": "curator", "bonus-fund": "head",
        "reports": "curator", "dashboard": "head", "dashboard.xlsx": "head", "dashboard.pdf": "head",
        "recognition": "curator", "council": "head", "iom": "volkov", "ippr": "volkov"}

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"])  # the same app; once is enough for fuzzing


def _run(operation, mode: GenerationMode, headers: dict[str, str], *, expect_401: bool) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(mode))
    def run(case):
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        if expect_401:
            assert response.status_code == 401, (case.path, case.method, response.text)
            challenge = {name.lower(): value for name, value in response.headers.items()}["www-authenticate"]
            assert challenge[0].startswith('Bearer realm="nastavnik"')

    run()


def _administrator(api_world) -> str:
    """A token of the department's administrator (issue 12): creates, changes and deactivates its people."""
    from datetime import timedelta

    from engine.db.models import Organization
    from engine.services.people import api_tokens
    from engine.services.people.actor import SYSTEM
    from tests import factories as f

    with api_world.session_factory() as session:
        person = f.make_person(session, login="fuzz_admin", organization_id=api_world.org_id)
        f.make_role(session, person, session.get(Organization, api_world.org_id), "admin")
        token = api_tokens.issue(session, SYSTEM, person.id, "проба", timedelta(days=1)).token
        session.commit()
    return token


def _issue18_objects(api_world) -> dict[str, int]:
    """Something for the council, plan and ИОМ operations to find at the small ids hypothesis tries first: a program
    (the pair's order signed), a held council session with the head present (so the head's generated votes get past
    the permission check), a route of orlova tutored by volkov (a row: the Tomsk pack opens none)."""
    from datetime import date

    from engine.db.models import DevelopmentPlan, IomRoute, Person
    from engine.services.council import base, sessions
    from engine.services.people.actor import actor_of

    program_id = api_world.sign_pair_order()
    ids = api_world.ids
    with api_world.session_factory() as s:
        curator = actor_of(s, s.get(Person, ids["curator"]))
        for login in ("head", "volkov"):
            base.add_member(s, curator, api_world.org_id, ids[login])
        found = sessions.schedule(s, curator, api_world.org_id, held_on=date(2026, 3, 12), place="",
                                  agenda=["Итоги полугодия", "План на весну"])
        sessions.hold(s, curator, found.id, present=[ids["head"], ids["volkov"]], secretary_id=ids["volkov"],
                      votes_for=2)
        route = IomRoute(organization_id=api_world.org_id, teacher_id=ids["orlova"], tutor_id=ids["volkov"], years=5,
                         starts_on=date(2025, 9, 1), ends_on=date(2030, 8, 31), step=1)
        s.add(route)
        plan = DevelopmentPlan(organization_id=api_world.org_id, teacher_id=ids["orlova"], mentor_id=ids["volkov"],
                               academic_year=2025, starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31))
        s.add(plan)  # an ИППР of orlova guided by volkov (a row: the Tomsk pack names no ИППР)
        s.commit()
        return {"program_id": program_id, "session_id": found.id, "item_id": found.items[0].id, "route_id": route.id,
                "plan_id": plan.id}


def test_every_operation(api_world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_world.app)
    schema.validate()  # a valid OpenAPI 3.0 document
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 100  # + GET /tasks/{instance_id}/{task_id}: a task's form fields; + 12 of /ippr (the ИППР, 000 §2.2); + 11 of the council's work (forming,
    # scheduling, holding, recording, drawing up, signing, agreeing; the pedagogical council's protocols for the
    # orders); + 5 of /council, 5 of a program's /plan, 4 of /iom (issue 18: the council, plan
    # corrections and the ИОМ); + a mentor's incentives and the bank of practices (issue 18); + POST /programs/{id}/events (issue 10); the administrator's people, personal data,
    # 7 of /organizations, 3 of the staff import (issue 12); 3 of one's own calendar feed, 5 of /notifications,
    # 3 of /incidents (issue 13); the bonus fund (and its XLSX), the registries' and the statistical form's XLSX (issue 15);
    # a program's stage report and final report as PDF or DOCX (issue 15 item 5);
    # the analytic report as JSON, XLSX and PDF (issue 15); the dashboard's figures, its lists, XLSX and PDF (issue 15);
    # a process's running instances to move, and the move (issue 16)
    administrator = {"Authorization": f"Bearer {_administrator(api_world)}"}
    _issue18_objects(api_world)
    for operation in operations:
        login = ROLE[operation.path.split("/")[3]]
        headers = (administrator if login == "curator" and operation.path.startswith("/api/v1/people")
                   and operation.method.upper() != "GET" else api_world.headers(login))
        started = time.monotonic()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _run(operation, mode, headers, expect_401=False)
        _run(operation, GenerationMode.POSITIVE, {}, expect_401=True)
        print(f"{operation.label}: {time.monotonic() - started:.1f} s")


def test_the_council_plan_and_iom_operations_answer_as_documented(api_world):
    """The happy paths of the issue-18 operations, which generated ids rarely reach, each validated against the
    document by the same checks."""
    from datetime import UTC, datetime

    from engine.db.models import Person
    from engine.services.council import base, protocol, sessions
    from engine.services.iom.reviews import open_due_reviews
    from engine.services.people.actor import actor_of
    from tests.web.api.test_plan import _movable

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_world.app)
    made = _issue18_objects(api_world)
    event_id, _number, day = _movable(api_world, made["program_id"])
    move = {"op": "move", "event_id": event_id, "due_on": day.isoformat(), "reason": "совпадает с педсоветом"}

    def call(login: str, method: str, path: str, expected: int = 200, body=None, **params):
        operation = schema["/api/v1" + path][method]
        case = operation.Case(path_parameters=params or None,
                              **({"body": body, "media_type": "application/json"} if body is not None else {}))
        response = case.call_and_validate(headers=api_world.headers(login), checks=CHECKS)
        assert response.status_code == expected, (path, response.text)
        return response.json() if "json" in response.headers["content-type"][0] else response.content

    session_path = "/council/sessions/{session_id}"
    assert call("head", "GET", "/council")[0]["sessions"][0]["status"] == "held"
    call("head", "GET", session_path, session_id=made["session_id"])
    voted = call("head", "POST", session_path + "/items/{item_id}/vote", body={"choice": "for"},
                 session_id=made["session_id"], item_id=made["item_id"])
    assert voted["agenda"][0]["mine"] == "for"
    assert call("head", "GET", session_path + "/protocol", session_id=made["session_id"])["drawn_up"] is False
    ids = api_world.ids
    with api_world.session_factory() as s:
        curator, volkov = (actor_of(s, s.get(Person, ids[login])) for login in ("curator", "volkov"))
        base.set_chair(s, curator, api_world.org_id, ids["head"])
        for item in sessions.get_session(s, volkov, made["session_id"]).items:
            sessions.record_item(s, volkov, made["session_id"], item.id, key_points="", proposals="",
                                 decision="Одобрить")
        protocol.draw_up(s, volkov, made["session_id"])
        protocol.sign(s, actor_of(s, s.get(Person, ids["head"])), made["session_id"])
        protocol.sign(s, volkov, made["session_id"])
        open_due_reviews(s, datetime.now(UTC))  # the route's first year is over
        s.commit()
    assert call("head", "GET", session_path + "/protocol", session_id=made["session_id"])["signed"] is True
    assert call("head", "GET", session_path + "/protocol.{kind}", session_id=made["session_id"],
                kind="pdf").startswith(b"%PDF")

    plan_path = "/programs/{program_id}/plan"
    program = {"program_id": made["program_id"]}
    assert call("volkov", "GET", plan_path, **program)["role"] == "mentor"
    first = call("volkov", "POST", plan_path + "/corrections", 201, body={"changes": [move]}, **program)["current"]
    call("volkov", "POST", plan_path + "/corrections/{correction_id}/withdraw", correction_id=first["id"], **program)
    second = call("volkov", "POST", plan_path + "/corrections", 201, body={"changes": [move]}, **program)["current"]
    call("orlova", "POST", plan_path + "/corrections/{correction_id}/agree", body={"agreed": True},
         correction_id=second["id"], **program)
    approved = call("curator", "POST", plan_path + "/corrections/{correction_id}/decide", body={"approved": True},
                    correction_id=second["id"], **program)
    assert [c["status"] for c in approved["past"]] == ["approved", "withdrawn"]

    route = {"route_id": made["route_id"]}
    assert call("volkov", "GET", "/iom")["tutored"][0]["id"] == made["route_id"]
    assert call("volkov", "GET", "/iom/{route_id}", **route)["open_reviews"] == [1]
    stepped = call("orlova", "POST", "/iom/{route_id}/steps/{number}", body={"body": {"image": "Наставник класса"}},
                   number=1, **route)
    assert stepped["step"] == 2
    reviewed = call("volkov", "POST", "/iom/{route_id}/reviews/{year}", body={"conclusion": "По плану"}, year=1,
                    **route)
    assert reviewed["reviews"][0]["conclusion"] == "По плану"


def test_the_council_work_operations_answer_as_documented(api_world):
    """The council's work through the API (the school pack's two bodies), each answer validated against the document:
    forming (members, removal, chair), a session scheduled with the pack's question, an item added, held, voted,
    recorded, drawn up, signed by the chair and the secretary, the head's agreement of the mentors' council's decision,
    and the pedagogical council's protocol offered to the plan's order."""
    from engine.db.models import Organization

    with api_world.session_factory() as s:
        s.get(Organization, api_world.org_id).regulation = "school"
        s.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_world.app)
    ids, org = api_world.ids, {"organization_id": api_world.org_id}

    def call(login: str, method: str, path: str, expected: int = 200, body=None, **params):
        operation = schema["/api/v1/council" + path][method]
        case = operation.Case(path_parameters=params or None,
                              **({"body": body, "media_type": "application/json"} if body is not None else {}))
        response = case.call_and_validate(headers=api_world.headers(login), checks=CHECKS)
        assert response.status_code == expected, (path, response.text)
        return response.json()

    for chosen in ("mentors_council", "pedagogical_council"):
        for login in ("head", "volkov", "novikova", "methodologist"):
            call("curator", "POST", "/{organization_id}/members", 201, {"person_id": ids[login], "body": chosen},
                 **org)
        call("curator", "POST", "/{organization_id}/members/{person_id}/remove", body={"body": chosen},
             person_id=ids["methodologist"], **org)
        call("curator", "POST", "/{organization_id}/chair", body={"person_id": ids["head"], "body": chosen}, **org)
        made = call("head", "POST", "/{organization_id}/sessions", 201,
                    {"body": chosen, "held_on": "2026-03-12", "agenda": ["Итоги полугодия"],
                     "considers": ["implementation_plan"] if chosen == "pedagogical_council" else []}, **org)
        session = {"session_id": made["id"]}
        made = call("head", "POST", "/sessions/{session_id}/items", 201, {"title": "План на весну"}, **session)
        call("head", "POST", "/sessions/{session_id}/hold", body={
            "present": [ids["head"], ids["volkov"], ids["novikova"]], "secretary_id": ids["volkov"], "votes_for": 3},
            **session)
        for item in made["agenda"]:
            for login in ("head", "volkov", "novikova"):
                call(login, "POST", "/sessions/{session_id}/items/{item_id}/vote", body={"choice": "for"},
                     item_id=item["id"], **session)
            call("volkov", "POST", "/sessions/{session_id}/items/{item_id}/record", body={"decision": "Одобрить"},
                 item_id=item["id"], **session)
        call("volkov", "POST", "/sessions/{session_id}/protocol", **session)
        call("head", "POST", "/sessions/{session_id}/sign", **session)
        signed = call("volkov", "POST", "/sessions/{session_id}/sign", **session)
        assert signed["status"] == "signed"
        if chosen == "mentors_council":
            agreed = call("head", "POST", "/sessions/{session_id}/items/{item_id}/agreement", body={"agreed": True},
                          item_id=made["agenda"][0]["id"], **session)
            assert agreed["agenda"][0]["agreement"] == "agreed"
    offered = call("curator", "GET", "/{organization_id}/order-protocols/{kind}", kind="implementation_plan", **org)
    assert [p["number"] for p in offered] == [1]


def test_the_ippr_operations_answer_as_documented(api_world):
    """The happy paths of /ippr (000 §2.2) in a school of the vsosh pack, which generated ids never reach: opened,
    items added, changed and removed, agreed, returned, approved, marked, closed, the PDF — each validated against
    the document by the same checks."""
    from tests.web.api.test_ippr import _school

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_world.app)
    school, ids, tokens = _school(api_world)

    def call(who: str, method: str, path: str, expected: int = 200, body=None, **params):
        operation = schema["/api/v1/ippr" + path][method]
        case = operation.Case(path_parameters=params or None,
                              **({"body": body, "media_type": "application/json"} if body is not None else {}))
        response = case.call_and_validate(headers={"Authorization": f"Bearer {tokens[who]}"}, checks=CHECKS)
        assert response.status_code == expected, (path, response.text)
        return response.json() if "json" in response.headers["content-type"][0] else response.content

    plan = call("curator", "POST", "", 201, body={"organization_id": school, "teacher_id": ids["teacher"],
                                                  "mentor_id": ids["mentor"]})
    one, year = {"plan_id": plan["id"]}, int(plan["starts_on"][:4])
    assert call("teacher", "GET", "")["mine"][0]["id"] == plan["id"]
    assert call("head", "GET", "/{plan_id}", **one)["may_approve"] is False

    def item(section: str, what: str) -> dict:
        return {"section": section, "what": what, "due_on": f"{year + 1}-03-01", "expected_result": "Итог"}

    added = call("teacher", "POST", "/{plan_id}/items", 201, body=item("self_education", "Курс"), **one)
    course = added["sections"][0]["items"][0]["id"]
    spare = call("mentor", "POST", "/{plan_id}/items", 201, body=item("contests", "Конкурс"), **one)
    contest = spare["sections"][7]["items"][0]["id"]
    call("teacher", "PUT", "/{plan_id}/items/{item_id}", body=item("self_education", "Курс чтения"), item_id=course,
         **one)
    call("mentor", "DELETE", "/{plan_id}/items/{item_id}", item_id=contest, **one)
    call("mentor", "POST", "/{plan_id}/agree", **one)
    assert call("head", "POST", "/{plan_id}/return", body={"note": "Уточните срок"}, **one)["state"] == "draft"
    call("mentor", "POST", "/{plan_id}/agree", **one)
    assert call("head", "POST", "/{plan_id}/approve", **one)["state"] == "approved"
    call("teacher", "POST", "/{plan_id}/items/{item_id}/mark", body={"outcome": "done", "result": "Урок"},
         item_id=course, **one)
    closed = call("mentor", "POST", "/{plan_id}/close", body={"conclusion": "Выполнен"}, **one)
    assert closed["state"] == "closed"
    assert call("head", "GET", "/{plan_id}/document.{kind}", kind="pdf", **one).startswith(b"%PDF")
