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
        "recognition": "curator", "council": "head", "iom": "curator"}

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


def test_every_operation(api_world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_world.app)
    schema.validate()  # a valid OpenAPI 3.0 document
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 76  # + 5 of /council, 5 of a program's /plan, 4 of /iom (issue 18: the council, plan
    # corrections and the ИОМ); + a mentor's incentives and the bank of practices (issue 18); + POST /programs/{id}/events (issue 10); the administrator's people, personal data,
    # 7 of /organizations, 3 of the staff import (issue 12); 3 of one's own calendar feed, 5 of /notifications,
    # 3 of /incidents (issue 13); the bonus fund (and its XLSX), the registries' and the statistical form's XLSX (issue 15);
    # a program's stage report and final report as PDF or DOCX (issue 15 item 5);
    # the analytic report as JSON, XLSX and PDF (issue 15); the dashboard's figures, its lists, XLSX and PDF (issue 15);
    # a process's running instances to move, and the move (issue 16)
    administrator = {"Authorization": f"Bearer {_administrator(api_world)}"}
    for operation in operations:
        login = ROLE[operation.path.split("/")[3]]
        headers = (administrator if login == "curator" and operation.path.startswith("/api/v1/people")
                   and operation.method.upper() != "GET" else api_world.headers(login))
        started = time.monotonic()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _run(operation, mode, headers, expect_401=False)
        _run(operation, GenerationMode.POSITIVE, {}, expect_401=True)
        print(f"{operation.label}: {time.monotonic() - started:.1f} s")
