"""Every route and API endpoint × every role × own/other organization (tests/web/matrix_world.py).

Each case names who may use the endpoint on the demo organization's records; everyone else gets 403
(a page or JSON), an anonymous visitor the login page (401 on the API). Allowed users must get past the
permission check: a page answers 200, an action with an empty form is refused for its content (400/409/
422 or a redirect), never 401/403/5xx. A route without a case fails ``test_every_route_has_a_case``.
Forbidden users are tried first, then the allowed ones, on a fresh copy of the world per endpoint.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from cli.context import session_scope
from engine.db.models import Person
from engine.demo.world import DEMO_PASSWORD
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests.web.conftest import make_test_app
from tests.web.matrix_world import ADMINS, BYSTANDER_MENTOR, NEW_MENTEE, OTHER, OWN, USERS, build_world
from web.db import database

SECRET = "matrix-secret"

STAFF = {OWN["curator"], OWN["methodologist"], OWN["head"]}
PARTICIPANTS = {OWN["mentor"], OWN["mentee"]}
PROGRAM_PEOPLE = STAFF | PARTICIPANTS
CURATORS = {OWN["curator"], OTHER["curator"]}
HEADS = {OWN["head"], OTHER["head"]}
METHODOLOGISTS = {OWN["methodologist"], OTHER["methodologist"]}
MENTORS_AND_MENTEES = {OWN["mentor"], OWN["mentee"], OTHER["mentor"], OTHER["mentee"], BYSTANDER_MENTOR, NEW_MENTEE}
LOGGED_IN = set(USERS) - {"anonymous"}
NETWORK_STAFF = {OTHER["curator"], OTHER["methodologist"], OTHER["head"]}  # the Yakutsk department's (004)
NETWORK_PEOPLE = NETWORK_STAFF | {OTHER["mentor"], OTHER["mentee"]}
ALL_ADMINS = set(ADMINS.values())
DEPARTMENT_ADMINS = {ADMINS["own"], ADMINS["subordinate"]}  # the department's and its school's, for the school


# personal data (issue 12 part 7): whose data, and which administrators may export or anonymize it
PERSONAL_DATA_ADMINS = {
    "school_person_id": {ADMINS["own"], ADMINS["subordinate"]},  # works in the school under the department
    "department_person_id": {ADMINS["own"]},  # works in the department: its school's administrator is below
    "other_person_id": {ADMINS["other"]},  # works in the other department
}
PERSONAL_DATA_SELF = {"school_person_id": {OWN["mentor"]}, "other_person_id": {OTHER["mentor"]}}  # their own data
SCHOOL_ADMINS = {ADMINS["own"], ADMINS["subordinate"]}  # of the department above the school, of the school
COUNCIL_MEMBERS = {OWN["mentor"], BYSTANDER_MENTOR, "sokolova"}  # the department's council (matrix_world._council)
PRACTICE_READERS = PROGRAM_PEOPLE | {BYSTANDER_MENTOR, NEW_MENTEE, ADMINS["own"], ADMINS["subordinate"]}  # the demo tree
UPLOAD = "0" * 64  # an upload id no file has: allowed users get past the permission check to a 404


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    path: str  # formatted with the world's ids
    allowed: frozenset[str]
    data: dict | None = None

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    def __str__(self) -> str:
        return f"{self.method} {self.endpoint}"


def case(endpoint: str, method: str, path: str, allowed, data: dict | None = None) -> Case:
    return Case(endpoint, method, path, frozenset(allowed), data)


CASES = [
    case("home.index", "GET", "/", LOGGED_IN),
    # curator
    case("inbox.index", "GET", "/inbox", CURATORS),
    case("tasks.show", "GET", "/tasks/{instance_id}/{review_task_id}", {OWN["curator"]}),
    case("tasks.show", "POST", "/tasks/{instance_id}/{review_task_id}", {OWN["curator"]}),
    case("registries.index", "GET", "/registries", CURATORS),
    case("registries.mentors", "GET", "/registries/mentors", CURATORS),
    case("registries.mentees", "GET", "/registries/mentees", CURATORS),
    case("registries.groups", "GET", "/registries/pairs", CURATORS),
    case("registries.programs", "GET", "/registries/programs", CURATORS),
    case("registries.person", "GET", "/registries/people/{person_id}", {OWN["curator"]}),
    # XLSX exports (issue 15 item 4): every curator downloads her own organizations' registries (another's curator
    # gets an empty file of hers); the statistical form of another's organization is 403
    case("registries.export", "GET", "/registries/mentors.xlsx?q=а", CURATORS),
    case("registries.statistical_form_file", "GET", "/registries/statistical-form.xlsx", CURATORS),
    case("registries.statistical_form_file", "GET", "/registries/statistical-form.xlsx?organization_id={organization_id}",
         {OWN["curator"]}),
    case("api_exports.registry", "GET", "/api/v1/registries/programs.xlsx", CURATORS),
    case("api_exports.statistical", "GET", "/api/v1/registries/statistical-form.xlsx?organization_id={organization_id}",
         {OWN["curator"]}),
    case("pairs.new", "GET", "/pairs/new", CURATORS),
    case("pairs.new", "POST", "/pairs/new", CURATORS),
    case("pairs.show", "GET", "/pairs/{pair_instance_id}", {OWN["curator"]}),
    # program page
    case("programs.show", "GET", "/programs/{program_id}", PROGRAM_PEOPLE),
    case("programs.diagram", "GET", "/programs/{program_id}/diagram", PROGRAM_PEOPLE),
    case("programs.curator_petition", "GET", "/programs/{program_id}/curator/extension", {OWN["curator"]}),
    case("programs.curator_petition", "POST", "/programs/{program_id}/curator/early_completion", {OWN["curator"]}),
    case("programs.decide_bonus", "POST", "/programs/{program_id}/bonus", {OWN["head"]}),  # 003 §9.3
    case("attachments.download", "GET", "/attachments/{attachment_id}", PROGRAM_PEOPLE),
    # head
    case("orders.index", "GET", "/orders", HEADS),
    case("orders.integrity", "GET", "/orders/integrity", HEADS),  # the journals' and orders' integrity (issue 11)
    case("orders.show", "GET", "/orders/{order_id}", STAFF),
    case("orders.text", "GET", "/orders/{order_id}/document.txt", STAFF),
    case("orders.docx", "GET", "/orders/{order_id}/document.docx", STAFF),
    case("orders.pdf", "GET", "/orders/{order_id}/document.pdf", STAFF),
    case("orders.sign", "POST", "/orders/{order_id}/sign", {OWN["head"]}),
    case("orders.refuse", "POST", "/orders/{order_id}/refuse", {OWN["head"]}),
    # monitoring of the regulation's calendar (001 §2.4, §4.2) and the head's petitions (001 §6.2)
    case("monitoring.index", "GET", "/monitoring", CURATORS | HEADS),
    case("monitoring.regulation", "GET", "/monitoring/regulation", CURATORS | HEADS),
    case("monitoring.start", "POST", "/monitoring/{organization_id}/calendar", {OWN["curator"]}),
    case("monitoring.report", "GET", "/monitoring/reports/{calendar_report_id}", {OWN["curator"], OWN["head"]}),
    case("monitoring.task", "GET", "/monitoring/tasks/{calendar_instance_id}/{calendar_task_id}", {OWN["curator"]}),
    case("monitoring.task", "POST", "/monitoring/tasks/{calendar_instance_id}/{calendar_task_id}", {OWN["curator"]}),
    case("decisions.index", "GET", "/decisions", HEADS),
    case("decisions.show", "GET", "/decisions/{instance_id}/{head_task_id}", {OWN["head"]}),
    case("decisions.show", "POST", "/decisions/{instance_id}/{head_task_id}", {OWN["head"]}),
    case("decisions.show", "GET", "/decisions/{instance_id}/{review_task_id}", set()),  # a curator's step
    # the mentors' bonus fund (003 §9.3): every head sees her own scope; only the record's organization's head decides
    case("bonus_fund.index", "GET", "/bonus-fund", HEADS),
    case("bonus_fund.decide", "POST", "/bonus-fund/{bonus_id}/decision", {OWN["head"]}),
    case("bonus_fund.export", "GET", "/bonus-fund/export.xlsx", HEADS),
    # mentor and mentee
    case("my.index", "GET", "/my", MENTORS_AND_MENTEES),
    case("my.program", "GET", "/my/programs/{program_id}", PARTICIPANTS),
    case("my.mark_event", "POST", "/my/programs/{program_id}/events/{event_id}", PARTICIPANTS),  # 001 §6, 003 §5.1
    case("my.mark_events", "POST", "/my/programs/{program_id}/events", PARTICIPANTS),
    case("my.submit_report", "POST", "/my/programs/{program_id}/report", {OWN["mentor"]}),
    case("my.petition", "GET", "/my/programs/{program_id}/petitions/early_completion", PARTICIPANTS),
    case("my.petition", "POST", "/my/programs/{program_id}/petitions/early_completion", PARTICIPANTS),
    case("my.consent", "GET", "/my/consents/{pair_instance_id}/{consent_task_id}", {BYSTANDER_MENTOR}),
    case("my.consent", "POST", "/my/consents/{pair_instance_id}/{consent_task_id}", {BYSTANDER_MENTOR}),
    case("my.agree_extension", "POST",
         "/my/programs/{program_id}/steps/{instance_id}/{review_task_id}/extension", PARTICIPANTS),
    case("my.acknowledge_reminder", "POST",
         "/my/programs/{program_id}/steps/{instance_id}/{review_task_id}/reminder", {OWN["mentor"]}),
    # the mentor's period report (003 п. 3): his task only — another mentor, the curator, the head get 403
    case("my_reports.report", "GET", "/my/reports/{mentor_report_instance_id}/{mentor_report_task_id}",
         {OWN["mentor"]}),
    case("my_reports.report", "POST", "/my/reports/{mentor_report_instance_id}/{mentor_report_task_id}",
         {OWN["mentor"]}),
    # network mentoring (004): the other organization is Yakutsk's — its staff, its network mentor, its trainee
    case("network.index", "GET", "/network", NETWORK_PEOPLE),
    case("network.centre", "GET", "/network/centre/{network_org_id}", NETWORK_STAFF),
    case("network.form_group", "POST", "/network/centre/{network_org_id}/groups", {OTHER["curator"]}),
    case("network.register", "GET", "/network/centre/{network_org_id}/trainees/new", {OTHER["curator"]}),
    case("network.register", "POST", "/network/centre/{network_org_id}/trainees/new", {OTHER["curator"]}),
    case("network.monitoring", "GET", "/network/trainees/{network_mentee_id}/monitoring", {OTHER["curator"]}),
    case("network.monitoring", "POST", "/network/trainees/{network_mentee_id}/monitoring", {OTHER["curator"]}),
    case("network.year_report", "GET", "/network/centre/{network_org_id}/report", NETWORK_STAFF),
    case("network.year_report_csv", "GET", "/network/centre/{network_org_id}/report.csv", NETWORK_STAFF),
    case("network_work.group", "GET", "/network/groups/{network_group_id}", NETWORK_STAFF | {OTHER["mentor"]}),
    case("network_work.work_plan", "POST", "/network/groups/{network_group_id}/plan", {OTHER["mentor"]}),
    case("network_work.record", "POST", "/network/groups/{network_group_id}/records", {OTHER["mentor"]}),
    case("network_work.member", "GET", "/network/members/{network_member_id}",
         NETWORK_STAFF | {OTHER["mentor"], OTHER["mentee"]}),
    case("network_work.submit_plan", "POST", "/network/members/{network_member_id}/plan", {OTHER["mentee"]}),
    case("network_work.decide_plan", "POST", "/network/members/{network_member_id}/decision", {OTHER["mentor"]}),
    case("network_work.review", "POST", "/network/members/{network_member_id}/review", {OTHER["mentor"]}),
    case("network_work.mentor", "GET", "/network/mentor", {OTHER["mentor"]}),
    case("network_work.me", "GET", "/network/me", {OTHER["mentee"]}),
    case("network_work.diagnosis", "POST", "/network/me/{network_mentee_id}/diagnosis", {OTHER["mentee"]}),
    # methodologist: process definitions are shared by every organization; a rule file belongs to the
    # organizations of its regulation (the Tomsk files to Tomsk, 003; the Yakutsk file to Yakutsk, 004)
    case("methodology.index", "GET", "/methodology", METHODOLOGISTS),
    case("methodology.check", "POST", "/methodology/check", METHODOLOGISTS),
    case("methodology.save", "POST", "/methodology/save", METHODOLOGISTS),
    case("methodology.upload", "GET", "/methodology/upload", METHODOLOGISTS),
    case("methodology.upload", "POST", "/methodology/upload", METHODOLOGISTS),
    case("methodology.edit", "GET", "/methodology/workflows/{process_id}/{definition_version}", METHODOLOGISTS),
    case("methodology.source", "GET", "/methodology/workflows/{process_id}/{definition_version}.bpmn",
         METHODOLOGISTS),
    case("methodology.deploy", "POST", "/methodology/workflows/{process_id}/{definition_version}/deploy",
         METHODOLOGISTS),
    case("methodology.diff", "GET", "/methodology/workflows/{process_id}/diff", METHODOLOGISTS),
    case("rulefiles.index", "GET", "/methodology/rules", METHODOLOGISTS),
    case("rulefiles.show", "GET", "/methodology/rules/{rule_file}", {OWN["methodologist"]}),
    case("rulefiles.show", "POST", "/methodology/rules/{rule_file}", {OWN["methodologist"]}),
    case("rulefiles.compare", "GET", "/methodology/rules/{rule_file}/diff", {OWN["methodologist"]}),
    case("rulefiles.trial", "GET", "/methodology/rules/{rule_file}/try", {OWN["methodologist"]}),
    case("rulefiles.trial", "POST", "/methodology/rules/{rule_file}/try", {OWN["methodologist"]}),
    case("rulefiles.validate", "POST", "/methodology/rules/{rule_file}/validate", {OWN["methodologist"]}),
    case("rulefiles.deploy", "POST", "/methodology/rules/{rule_file}/versions/1/deploy", {OWN["methodologist"]}),
    # a regulation pack belongs to the organizations bound to it, as its rule files do
    case("packs.index", "GET", "/methodology/packs", METHODOLOGISTS),
    case("packs.show", "GET", "/methodology/packs/tomsk", {OWN["methodologist"]}),
    case("packs.edit", "GET", "/methodology/packs/tomsk/files/pack.yaml", {OWN["methodologist"]}),
    case("packs.edit", "POST", "/methodology/packs/tomsk/files/pack.yaml", {OWN["methodologist"]}),
    case("packs.validate", "POST", "/methodology/packs/tomsk/files/pack.yaml/validate", {OWN["methodologist"]}),
    case("packs.new_file", "POST", "/methodology/packs/tomsk/new-file", {OWN["methodologist"]}),
    case("packs.upload", "POST", "/methodology/packs/tomsk/upload", {OWN["methodologist"]}),
    case("packs.deploy", "POST", "/methodology/packs/tomsk/versions/1/deploy", {OWN["methodologist"]}),
    case("packs.compare", "GET", "/methodology/packs/tomsk/diff", {OWN["methodologist"]}),
    # JSON API (bearer tokens)
    # the roadmap year of a school under the other department (004 п. 4.3): that department's staff see it
    case("roadmap.index", "GET", "/roadmap/", STAFF | {OTHER["curator"], OTHER["head"], OTHER["methodologist"]}),
    case("roadmap.show", "GET", "/roadmap/{roadmap_year_id}", {OTHER["curator"], OTHER["head"],
                                                              OTHER["methodologist"]}),
    case("roadmap.act", "POST", "/roadmap/{roadmap_year_id}/roadmap_event_done?key=1.1",
         {OTHER["curator"], OTHER["head"]}),
    case("roadmap.start", "POST", "/roadmap/start/{roadmap_school_id}", set()),  # its own head or curator only
    case("api-docs.openapi_json", "GET", "/api/v1/openapi.json", LOGGED_IN | {"anonymous"}),
    case("api_programs.index", "GET", "/api/v1/programs", LOGGED_IN),
    case("api_programs.show", "GET", "/api/v1/programs/{program_id}", PROGRAM_PEOPLE),
    case("api_tasks.index", "GET", "/api/v1/tasks", LOGGED_IN),
    case("api_programs.mark_events", "POST", "/api/v1/programs/{program_id}/events", PARTICIPANTS,
         {"marks": [{"event_id": 1, "done": False}]}),
    case("api_tasks.complete", "POST", "/api/v1/tasks/{instance_id}/{review_task_id}/complete", {OWN["curator"]}),
    case("api_pairs.index", "GET", "/api/v1/pairs", LOGGED_IN),
    case("api_pairs.propose", "POST", "/api/v1/pairs", CURATORS),
    case("api_people.index", "GET", "/api/v1/people", STAFF | {OTHER["curator"], OTHER["head"],
                                                                OTHER["methodologist"], *ADMINS.values()}),
    case("api_people.show", "GET", "/api/v1/people/{person_id}", STAFF),
    case("api_orders.index", "GET", "/api/v1/orders", LOGGED_IN),
    case("api_bonus_fund.index", "GET", "/api/v1/bonus-fund", HEADS),
    case("api_bonus_fund.export", "GET", "/api/v1/bonus-fund/export.xlsx", HEADS),
    case("api_orders.show", "GET", "/api/v1/orders/{order_id}", STAFF),
    case("api_orders.sign", "POST", "/api/v1/orders/{order_id}/sign", {OWN["head"]}),
    case("api_orders.refuse", "POST", "/api/v1/orders/{order_id}/refuse", {OWN["head"]}),
    case("api_rules.index", "GET", "/api/v1/rules", LOGGED_IN),
    case("api_rules.evaluate", "POST", "/api/v1/rules/mentor_eligibility_tomsk/evaluate", LOGGED_IN),
    case("api_workflows.check", "POST", "/api/v1/workflows/check", LOGGED_IN),
    case("api_workflows.deploy", "POST", "/api/v1/workflows/deploy", METHODOLOGISTS),
    # administration, people (issue 12): an administrator reaches the people whose workplace is in her organization
    # or under it — the department's administrator the school's and the department's people, the school's
    # administrator the school's only, the other department's administrator none of them
    case("admin_people.index", "GET", "/admin/people", ADMINS.values()),
    case("admin_people.new", "GET", "/admin/people/new", ADMINS.values()),
    case("admin_people.new", "POST", "/admin/people/new", ADMINS.values()),
    case("admin_people.show", "GET", "/admin/people/{school_person_id}", {ADMINS["own"], ADMINS["subordinate"]}),
    case("admin_people.show", "GET", "/admin/people/{department_person_id}", {ADMINS["own"]}),
    case("admin_people.show", "GET", "/admin/people/{other_person_id}", {ADMINS["other"]}),
    case("admin_people.show", "POST", "/admin/people/{school_person_id}", {ADMINS["own"], ADMINS["subordinate"]}),
    case("admin_people.show", "POST", "/admin/people/{department_person_id}", {ADMINS["own"]}),
    case("admin_people.deactivate", "POST", "/admin/people/{school_person_id}/deactivate",
         {ADMINS["own"], ADMINS["subordinate"]}),
    case("admin_people.deactivate", "POST", "/admin/people/{department_person_id}/deactivate", {ADMINS["own"]}),
    case("admin_people.reactivate", "POST", "/admin/people/{school_person_id}/reactivate",
         {ADMINS["own"], ADMINS["subordinate"]}),
    case("admin_people.link", "POST", "/admin/people/{school_person_id}/link", {ADMINS["own"], ADMINS["subordinate"]}),
    case("admin_people.link", "POST", "/admin/people/{other_person_id}/link", {ADMINS["other"]}),
    case("api_people.create", "POST", "/api/v1/people", ADMINS.values()),
    case("api_people.show", "PATCH", "/api/v1/people/{school_person_id}", {ADMINS["own"], ADMINS["subordinate"]}),
    case("api_people.show", "PATCH", "/api/v1/people/{department_person_id}", {ADMINS["own"]}),
    case("api_people.deactivate", "POST", "/api/v1/people/{school_person_id}/deactivate",
         {ADMINS["own"], ADMINS["subordinate"]}),
    case("api_people.deactivate", "POST", "/api/v1/people/{other_person_id}/deactivate", {ADMINS["other"]}),
    case("api_people.reactivate", "POST", "/api/v1/people/{school_person_id}/reactivate",
         {ADMINS["own"], ADMINS["subordinate"]}),
    case("api_people.link", "POST", "/api/v1/people/{school_person_id}/link", {ADMINS["own"], ADMINS["subordinate"]}),
    case("api_people.link", "POST", "/api/v1/people/{department_person_id}/link", {ADMINS["own"]}),
    # personal data (issue 12 part 7, 152-ФЗ): the export for the administrators of the person's organization or of
    # one above it (the department's reaches its school), the person's own at /my; anonymization (an active person
    # is refused with 409, still past the permission check) for the same administrators
    *(case("personal_data.admin_page", "GET", f"/admin/people/{{{key}}}/personal-data", allowed)
      for key, allowed in PERSONAL_DATA_ADMINS.items()),
    *(case("personal_data.admin_json", "GET", f"/admin/people/{{{key}}}/personal-data.json", allowed)
      for key, allowed in PERSONAL_DATA_ADMINS.items()),
    *(case("personal_data.anonymize", "POST", f"/admin/people/{{{key}}}/anonymize", allowed)
      for key, allowed in PERSONAL_DATA_ADMINS.items()),
    case("personal_data.mine", "GET", "/my/personal-data", LOGGED_IN),
    case("personal_data.mine_json", "GET", "/my/personal-data.json", LOGGED_IN),
    *(case("api_personal_data.export", "GET", f"/api/v1/people/{{{key}}}/personal-data",
           allowed | PERSONAL_DATA_SELF.get(key, set())) for key, allowed in PERSONAL_DATA_ADMINS.items()),
    *(case("api_personal_data.anonymize", "POST", f"/api/v1/people/{{{key}}}/anonymize", allowed,
           {"reason": "заявление", "full_name": "не совпадает"}) for key, allowed in PERSONAL_DATA_ADMINS.items()),
    # administration of organizations and roles (issue 12, adm_orgs): an administrator reaches the organization where
    # the role is held and every one under it — the department's reaches its school, the school's not the department,
    # neither the other department; nobody else (staff included) reaches these pages
    case("admin.index", "GET", "/admin", ALL_ADMINS),
    case("admin.new_organization", "GET", "/admin/organizations/new", ALL_ADMINS),
    case("admin.new_organization", "POST", "/admin/organizations/new", ALL_ADMINS),
    case("admin.organization", "GET", "/admin/organizations/{organization_id}", {ADMINS["own"]}),
    case("admin.organization", "GET", "/admin/organizations/{school_org_id}", DEPARTMENT_ADMINS),
    case("admin.organization", "POST", "/admin/organizations/{school_org_id}", DEPARTMENT_ADMINS),
    case("admin.organization", "GET", "/admin/organizations/{other_org_id}", {ADMINS["other"]}),
    case("admin.roles_page", "GET", "/admin/organizations/{organization_id}/roles", {ADMINS["own"]}),
    case("admin.roles_page", "GET", "/admin/organizations/{school_org_id}/roles", DEPARTMENT_ADMINS),
    case("admin.roles_page", "POST", "/admin/organizations/{other_org_id}/roles", {ADMINS["other"]}),
    case("admin.revoke_role", "POST", "/admin/organizations/{school_org_id}/roles/1/revoke", DEPARTMENT_ADMINS),
    case("api_organizations.index", "GET", "/api/v1/organizations", ALL_ADMINS),
    case("api_organizations.create", "POST", "/api/v1/organizations", ALL_ADMINS),
    case("api_organizations.organization", "GET", "/api/v1/organizations/{school_org_id}", DEPARTMENT_ADMINS),
    case("api_organizations.organization", "GET", "/api/v1/organizations/{organization_id}", {ADMINS["own"]}),
    case("api_organizations.organization", "PATCH", "/api/v1/organizations/{organization_id}", {ADMINS["own"]}),
    case("api_organizations.organization", "PATCH", "/api/v1/organizations/{other_org_id}", {ADMINS["other"]}),
    case("api_organizations.roles", "GET", "/api/v1/organizations/{school_org_id}/roles", DEPARTMENT_ADMINS),
    case("api_organizations.roles", "POST", "/api/v1/organizations/{other_org_id}/roles", {ADMINS["other"]}),
    case("api_organizations.revoke", "POST", "/api/v1/organizations/{school_org_id}/roles/1/revoke",
         DEPARTMENT_ADMINS),
    # staff import (issue 12 part 4): any administrator opens the page; a school's import is for the administrators
    # of the school and of the department above it, never another department's
    case("admin_import.index", "GET", "/admin/import", set(ADMINS.values())),
    case("admin_import.index", "POST", "/admin/import?organization_id={school_org_id}", SCHOOL_ADMINS),
    case("admin_import.index", "POST", "/admin/import?organization_id={organization_id}", {ADMINS["own"]}),
    case("admin_import.template", "GET", "/admin/import/template.csv?organization_id={school_org_id}", SCHOOL_ADMINS),
    case("admin_import.template", "GET", "/admin/import/template.xlsx?organization_id={other_org_id}",
         {ADMINS["other"]}),
    case("admin_import.confirm", "POST", f"/admin/import/{UPLOAD}/confirm?organization_id={{school_org_id}}",
         SCHOOL_ADMINS),
    case("api_staff_import.preview", "POST", "/api/v1/people/import?organization_id={school_org_id}", SCHOOL_ADMINS),
    case("api_staff_import.confirm", "POST", f"/api/v1/people/import/{UPLOAD}/confirm?organization_id={{other_org_id}}",
         {ADMINS["other"]}),
    case("api_staff_import.template", "GET",
         "/api/v1/people/import/template?format=csv&organization_id={organization_id}", {ADMINS["own"]}),
    # registry edits (issue 12 part 5): a curator edits her own organization's bases of mentees and mentors and
    # corrects its people's rule facts; another organization's curator gets 403 for them
    case("registry_edits.new_mentee", "GET", "/registries/mentees/new", CURATORS),
    case("registry_edits.new_mentee", "GET", "/registries/mentees/new?organization_id={organization_id}",
         {OWN["curator"]}),
    case("registry_edits.new_mentee", "POST", "/registries/mentees/new", CURATORS),
    case("registry_edits.new_mentee", "POST", "/registries/mentees/new", {OWN["curator"]},
         {"organization_id": "{organization_id}", "person_id": "{department_person_id}"}),
    case("registry_edits.new_mentor", "GET", "/registries/mentors/new", CURATORS),
    case("registry_edits.new_mentor", "GET", "/registries/mentors/new?organization_id={organization_id}",
         {OWN["curator"]}),
    case("registry_edits.new_mentor", "POST", "/registries/mentors/new", CURATORS),
    case("registry_edits.mentor_proposal", "GET", "/registries/mentors/proposals/{mentor_instance_id}",
         {OWN["curator"]}),
    case("registry_edits.facts", "GET", "/registries/people/{person_id}/facts", {OWN["curator"]}),
    case("registry_edits.facts", "POST", "/registries/people/{person_id}/facts", {OWN["curator"]}),
    case("registry_edits.facts", "GET", "/registries/people/{school_person_id}/facts", {OWN["curator"]}),
    # one's own calendar of deadlines (issue 13 part 4): everyone who logs in, for themself only
    case("calendar.index", "GET", "/calendar", LOGGED_IN),
    case("calendar.issue", "POST", "/calendar/issue", LOGGED_IN),
    case("calendar.revoke", "POST", "/calendar/revoke", LOGGED_IN),
    case("api_calendar.state", "GET", "/api/v1/calendar", LOGGED_IN),
    case("api_calendar.issue", "POST", "/api/v1/calendar", LOGGED_IN),
    case("api_calendar.revoke", "POST", "/api/v1/calendar/revoke", LOGGED_IN),
    # notifications (issue 13): everyone logged in has their own; one notification is only its person's
    case("notifications.index", "GET", "/notifications", LOGGED_IN),
    case("notifications.index", "GET", "/notifications?unread=1&page=2", LOGGED_IN),
    case("notifications.settings", "GET", "/notifications/settings", LOGGED_IN),
    case("notifications.settings", "POST", "/notifications/settings", LOGGED_IN, {"report_accepted": "none"}),
    case("notifications.read_all", "POST", "/notifications/read-all", LOGGED_IN),
    case("notifications.read", "POST", "/notifications/{notification_id}/read", {OWN["mentor"]}),
    case("notifications.open_one", "POST", "/notifications/{notification_id}/open", {OWN["mentor"]}),
    case("api_notifications.index", "GET", "/api/v1/notifications?unread=true", LOGGED_IN),
    case("api_notifications.read", "POST", "/api/v1/notifications/{notification_id}/read", {OWN["mentor"]}),
    case("api_notifications.read_all", "POST", "/api/v1/notifications/read-all", LOGGED_IN),
    case("api_notifications.get_preferences", "GET", "/api/v1/notifications/preferences", LOGGED_IN),
    case("api_notifications.put_preferences", "PUT", "/api/v1/notifications/preferences", LOGGED_IN,
         {"choices": {"report_accepted": "digest"}}),
    # incidents (issue 13): every administrator and curator has a list (of their organizations); a job of the demo
    # department is retried or skipped by its administrator and its curator only
    case("incidents.index", "GET", "/incidents", ALL_ADMINS | CURATORS),
    case("incidents.index", "GET", "/incidents?program={program_id}", ALL_ADMINS | CURATORS),
    case("incidents.skip", "GET", "/incidents/{incident_job_id}/skip", {ADMINS["own"], OWN["curator"]}),
    case("incidents.skip", "POST", "/incidents/{incident_job_id}/skip", {ADMINS["own"], OWN["curator"]}),
    case("incidents.retry", "POST", "/incidents/{incident_job_id}/retry", {ADMINS["own"], OWN["curator"]}),
    case("api_incidents.index", "GET", "/api/v1/incidents", ALL_ADMINS | CURATORS),
    case("api_incidents.skip", "POST", "/api/v1/incidents/{incident_job_id}/skip", {ADMINS["own"], OWN["curator"]}),
    case("api_incidents.retry", "POST", "/api/v1/incidents/{incident_job_id}/retry", {ADMINS["own"], OWN["curator"]}),
    # the program's documents (issue 15 item 5): whoever sees the program downloads its stage reports; the final
    # report of volkov's finished program: the staff and volkov (orlova takes no part in it)
    case("programs.stage_report_file", "GET", "/programs/{program_id}/reports/{stage_report_id}.pdf", PROGRAM_PEOPLE),
    case("programs.final_report_file", "GET", "/programs/{finished_program_id}/final-report.docx",
         STAFF | {OWN["mentor"]}),
    case("api_programs.stage_report_file", "GET", "/api/v1/programs/{program_id}/reports/{stage_report_id}.docx",
         PROGRAM_PEOPLE),
    case("api_programs.final_report_file", "GET", "/api/v1/programs/{finished_program_id}/final-report.pdf",
         STAFF | {OWN["mentor"]}),
    # the analytic reports (issue 15, 003 §3.3): the curator and the head of the organization or of one above it read
    # them (the department's reach its school); the conclusions are written by the organization's own curator
    case("analytic_reports.index", "GET", "/reports/analytic", CURATORS | HEADS),
    case("analytic_reports.index", "GET", "/reports/analytic?org={organization_id}", {OWN["curator"], OWN["head"]}),
    case("analytic_reports.index", "GET", "/reports/analytic?org={school_org_id}&kind=final",
         {OWN["curator"], OWN["head"]}),
    case("analytic_reports.index", "GET", "/reports/analytic?org={other_org_id}", {OTHER["curator"], OTHER["head"]}),
    case("analytic_reports.conclusions", "POST", "/reports/analytic/conclusions?org={organization_id}",
         {OWN["curator"]}),
    case("analytic_reports.conclusions", "POST", "/reports/analytic/conclusions?org={school_org_id}", set()),
    case("analytic_reports.xlsx", "GET", "/reports/analytic/report.xlsx?org={school_org_id}",
         {OWN["curator"], OWN["head"]}),
    case("analytic_reports.pdf", "GET", "/reports/analytic/report.pdf?org={organization_id}&kind=final",
         {OWN["curator"], OWN["head"]}),
    case("api_analytic_reports.report", "GET", "/api/v1/reports/analytic", CURATORS | HEADS),
    case("api_analytic_reports.report", "GET", "/api/v1/reports/analytic?organization={school_org_id}",
         {OWN["curator"], OWN["head"]}),
    case("api_analytic_reports.xlsx", "GET", "/api/v1/reports/analytic.xlsx?organization={other_org_id}",
         {OTHER["curator"], OTHER["head"]}),
    case("api_analytic_reports.pdf", "GET", "/api/v1/reports/analytic.pdf?organization={organization_id}&kind=final",
         {OWN["curator"], OWN["head"]}),
    # the reminder of the mentor's period report (003 п. 3): his only; the report's own task id is no reminder (404)
    case("my_reports.dismiss_reminder", "POST",
         "/my/reports/{mentor_report_instance_id}/{mentor_report_task_id}/reminder", {OWN["mentor"]}),
    case("monitoring.index", "GET", "/monitoring?period=2025-06-10", CURATORS | HEADS),
    # the dashboard (issue 15 item 2): every head and curator sees her own scope (and what is under it); another
    # organization's figures, lists and files are 403
    case("dashboard.index", "GET", "/dashboard", CURATORS | HEADS),
    case("dashboard.index", "GET", "/dashboard?org={organization_id}", {OWN["curator"], OWN["head"]}),
    case("dashboard.index", "GET", "/dashboard?org={other_org_id}", {OTHER["curator"], OTHER["head"]}),
    case("dashboard.figure_list", "GET", "/dashboard/overdue", CURATORS | HEADS),
    case("dashboard.figure_list", "GET", "/dashboard/status-active?org={organization_id}", {OWN["curator"], OWN["head"]}),
    case("dashboard.workbook", "GET", "/dashboard.xlsx?org={organization_id}", {OWN["curator"], OWN["head"]}),
    case("dashboard.pdf", "GET", "/dashboard.pdf?org={organization_id}", {OWN["curator"], OWN["head"]}),
    case("api_dashboard.index", "GET", "/api/v1/dashboard", CURATORS | HEADS),
    case("api_dashboard.index", "GET", "/api/v1/dashboard?organization_id={organization_id}",
         {OWN["curator"], OWN["head"]}),
    case("api_dashboard.figure_list", "GET", "/api/v1/dashboard/involved?organization_id={organization_id}",
         {OWN["curator"], OWN["head"]}),
    case("api_dashboard.workbook", "GET", "/api/v1/dashboard.xlsx", CURATORS | HEADS),
    case("api_dashboard.pdf", "GET", "/api/v1/dashboard.pdf?organization_id={other_org_id}",
         {OTHER["curator"], OTHER["head"]}),
    case("methodology.migrate", "GET", "/methodology/workflows/{process_id}/migrate", METHODOLOGISTS),
    case("methodology.migrate", "POST", "/methodology/workflows/{process_id}/migrate", METHODOLOGISTS),
    case("api_workflows.migration", "GET", "/api/v1/workflows/{process_id}/migration", METHODOLOGISTS),
    case("api_workflows.migrate", "POST", "/api/v1/workflows/{process_id}/migration", METHODOLOGISTS,
         data={"instances": [1]}),
    case("methodology.catalog", "GET", "/methodology/modeler/catalog.json", METHODOLOGISTS),
    # forms methodologists design (issue 16 item 5): each organization's own; the step page is its assignee's
    case("designed_forms.index", "GET", "/methodology/forms", METHODOLOGISTS),
    case("designed_forms.index", "POST", "/methodology/forms", METHODOLOGISTS),
    case("designed_forms.list_json", "GET", "/methodology/forms.json", METHODOLOGISTS),
    case("designed_forms.edit", "GET", "/methodology/forms/matrix_form", {OWN["methodologist"]}),
    case("designed_forms.get_json", "GET", "/methodology/forms/matrix_form.json", {OWN["methodologist"]}),
    case("designed_forms.save", "POST", "/methodology/forms/matrix_form/save", METHODOLOGISTS),
    case("designed_forms.deploy", "POST", "/methodology/forms/matrix_form/deploy", {OWN["methodologist"]}),
    case("designed_forms.step", "GET", "/steps/{instance_id}/{designed_task_id}", {OWN["curator"]}),
    case("designed_forms.step", "POST", "/steps/{instance_id}/{designed_task_id}", {OWN["curator"]}),
    # the orders of the organization's mentorship model (issue 18 item 6): its curator or administrator prepares them
    case("model_orders.index", "GET", "/model-orders", CURATORS | ALL_ADMINS),
    case("model_orders.index", "GET", "/model-orders?org={organization_id}", {OWN["curator"], ADMINS["own"]}),
    case("model_orders.new", "GET", "/model-orders/regulation?org={organization_id}", {OWN["curator"], ADMINS["own"]}),
    case("model_orders.create", "POST", "/model-orders/regulation?org={organization_id}",
         {OWN["curator"], ADMINS["own"]}),
    # the plan of events (issue 18 item 3, 003 §7.2): participants propose and agree, the program's curator decides
    case("plan.editor", "GET", "/programs/{program_id}/plan", PROGRAM_PEOPLE),
    case("plan.add_change", "POST", "/programs/{program_id}/plan/changes", PARTICIPANTS,
         data={"op": "move", "reason": "педсовет"}),
    case("plan.remove_change", "POST", "/programs/{program_id}/plan/changes/1/delete", PARTICIPANTS),
    case("plan.propose", "POST", "/programs/{program_id}/plan/propose", PARTICIPANTS),
    case("plan.agree", "POST", "/programs/{program_id}/plan/999999/agree", PARTICIPANTS, data={"decision": "agree"}),
    case("plan.decide", "POST", "/programs/{program_id}/plan/999999/decide", {OWN["curator"]},
         data={"decision": "approve"}),
    case("plan.withdraw", "POST", "/programs/{program_id}/plan/999999/withdraw", PARTICIPANTS),
    # the council of mentors (issue 18 item 1, 000 §4–5; tests/web/matrix_world.py ``_council``): the curator and the
    # head of the organization and the council's members see it; the curator forms it; the curator or the chair
    # schedules and holds a session; the members present vote; the secretary records and draws the protocol up; the
    # chair and the secretary sign; the head agrees the decisions
    case("council.index", "GET", "/council", CURATORS | HEADS | COUNCIL_MEMBERS),
    case("council.index", "GET", "/council?org={organization_id}", {OWN["curator"], OWN["head"]} | COUNCIL_MEMBERS),
    case("council.index", "GET", "/council?org={other_org_id}", {OTHER["curator"], OTHER["head"]}),
    case("council.add_member", "POST", "/council/{organization_id}/members", {OWN["curator"]}),
    case("council.remove_member", "POST", "/council/{organization_id}/members/{council_member_id}/remove",
         {OWN["curator"]}),
    case("council.set_chair", "POST", "/council/{organization_id}/chair", {OWN["curator"]}),
    case("council.schedule", "POST", "/council/{organization_id}/sessions", {OWN["curator"], OWN["mentor"]}),
    case("council.show", "GET", "/council/sessions/{council_planned_id}",
         {OWN["curator"], OWN["head"]} | COUNCIL_MEMBERS),
    case("council.show", "GET", "/council/sessions/{council_signing_id}",
         {OWN["curator"], OWN["head"]} | COUNCIL_MEMBERS),
    case("council.add_item", "POST", "/council/sessions/{council_planned_id}/items", {OWN["curator"], OWN["mentor"]}),
    case("council.hold", "POST", "/council/sessions/{council_planned_id}/hold", {OWN["curator"], OWN["mentor"]}),
    case("council.vote", "POST", "/council/sessions/{council_held_id}/items/{council_held_item_id}/vote",
         {OWN["mentor"], BYSTANDER_MENTOR}),  # the members present; sokolova stayed away
    case("council.record", "POST", "/council/sessions/{council_held_id}/items/{council_held_item_id}/record",
         {BYSTANDER_MENTOR}),
    case("council.draw_up", "POST", "/council/sessions/{council_held_id}/protocol", {BYSTANDER_MENTOR}),
    case("council.sign", "POST", "/council/sessions/{council_signing_id}/sign", {OWN["mentor"], BYSTANDER_MENTOR}),
    case("council.agree", "POST", "/council/sessions/{council_signing_id}/items/{council_signing_item_id}/agreement",
         {OWN["head"]}),
    case("council.protocol_file", "GET", "/council/sessions/{council_signing_id}/protocol.pdf",
         {OWN["curator"], OWN["head"]} | COUNCIL_MEMBERS),
    case("council.protocol_file", "GET", "/council/sessions/{council_signing_id}/protocol.docx",
         {OWN["curator"], OWN["head"]} | COUNCIL_MEMBERS),
    # the teachers' individual educational routes (issue 18 item 2, 002 §4.2.2): the route's teacher (the program's
    # mentee) and tutor (its mentor) write its steps; its organization's curator, head and methodologist see it; the
    # curator opens routes (the demo's Tomsk pack names no tutor: refused for content), attaches programs and, with
    # the tutor, closes the yearly review (none open: 404)
    case("iom.index", "GET", "/iom", LOGGED_IN),
    case("iom.open_route", "POST", "/iom/open/{organization_id}", {OWN["curator"]}),
    case("iom.show", "GET", "/iom/{iom_route_id}", PROGRAM_PEOPLE),
    case("iom.record_step", "POST", "/iom/{iom_route_id}/steps/1", PARTICIPANTS),
    case("iom.close_review", "POST", "/iom/{iom_route_id}/reviews/1", {OWN["curator"], OWN["mentor"]}),
    case("iom.attach_program", "POST", "/iom/{iom_route_id}/programs", {OWN["curator"]}),
    # a mentor's recognition (issue 18 items 4, 5): incentives, the best-mentor contest (the head is a juror), the
    # bank of practices (an approved practice of the demo department: everyone working in its tree reads it)
    case("incentives.my", "GET", "/incentives/my", {OWN["mentor"], OTHER["mentor"], BYSTANDER_MENTOR}),
    case("incentives.mentor", "GET", "/incentives/mentors/{mentor_person_id}", STAFF | {OWN["mentor"]}),
    case("incentives.mentor", "POST", "/incentives/mentors/{mentor_person_id}", {OWN["curator"], OWN["head"]}),
    case("incentives.document", "GET", "/incentives/{incentive_id}/document", STAFF | {OWN["mentor"]}),
    case("incentives.contest_list", "GET", "/incentives/contests", LOGGED_IN),
    case("incentives.contest_list", "POST", "/incentives/contests", CURATORS | HEADS),
    case("incentives.contest", "GET", "/incentives/contests/{contest_id}", STAFF),
    case("incentives.contest_action", "POST", "/incentives/contests/{contest_id}/nominate",
         {OWN["curator"], OWN["head"]}),
    case("practices.index", "GET", "/practices", LOGGED_IN),
    case("practices.new", "GET", "/practices/new", CURATORS | {OWN["mentor"], OTHER["mentor"], BYSTANDER_MENTOR}),
    case("practices.new", "POST", "/practices/new", CURATORS | {OWN["mentor"], OTHER["mentor"], BYSTANDER_MENTOR}),
    case("practices.show", "GET", "/practices/{practice_id}", PRACTICE_READERS),
    case("practices.file", "GET", "/practices/files/{practice_file_id}", PRACTICE_READERS),
    # the teachers' individual plans of professional development (ИППР, 000 §2.2): the plan's teacher (the program's
    # mentee) and mentor (its mentor) write its items; its organization's curator, head and methodologist see it; the
    # curator or the head opens plans (the demo's Tomsk pack names no ИППР: refused for content); the mentor agrees,
    # the head approves (the draft: refused for its state), the mentor or the head returns, the mentor or the curator
    # closes the year
    case("ippr.index", "GET", "/ippr", LOGGED_IN),
    case("ippr.open_plan", "POST", "/ippr/open/{organization_id}", {OWN["curator"], OWN["head"]}),
    case("ippr.show", "GET", "/ippr/{ippr_plan_id}", PROGRAM_PEOPLE),
    case("ippr.document", "GET", "/ippr/{ippr_plan_id}/document.docx", PROGRAM_PEOPLE),
    case("ippr.add_item", "POST", "/ippr/{ippr_plan_id}/items", PARTICIPANTS),
    case("ippr.change_item", "POST", "/ippr/{ippr_plan_id}/items/{ippr_item_id}", PARTICIPANTS),
    case("ippr.remove_item", "POST", "/ippr/{ippr_plan_id}/items/{ippr_item_id}/remove", PARTICIPANTS),
    case("ippr.mark_item", "POST", "/ippr/{ippr_plan_id}/items/{ippr_item_id}/mark", PARTICIPANTS),
    case("ippr.agree", "POST", "/ippr/{ippr_plan_id}/agree", {OWN["mentor"]}),
    case("ippr.return_plan", "POST", "/ippr/{ippr_plan_id}/return", {OWN["mentor"], OWN["head"]}),
    case("ippr.approve", "POST", "/ippr/{ippr_plan_id}/approve", {OWN["head"]}),
    case("ippr.close", "POST", "/ippr/{ippr_plan_id}/close", {OWN["mentor"], OWN["curator"]}),
    case("practices.review", "POST", "/practices/{practice_id}/review", {OWN["curator"]}),
    case("practices.resubmit", "POST", "/practices/{practice_id}/resubmit", {OWN["curator"]}),
    case("api_recognition.practice_list", "GET", "/api/v1/recognition/practices?q=кейс", LOGGED_IN),
    case("api_recognition.incentive_list", "GET", "/api/v1/recognition/mentors/{mentor_person_id}/incentives",
         STAFF | {OWN["mentor"]}),
    # issue 18 in the API: the council (as its pages; the list is empty for whom no council concerns), a program's
    # plan corrections, the ИОМ
    case("api_council.council_list", "GET", "/api/v1/council", LOGGED_IN),
    case("api_council.council_list", "GET", "/api/v1/council?organization_id={organization_id}",
         {OWN["curator"], OWN["head"]} | COUNCIL_MEMBERS),
    case("api_council.session_show", "GET", "/api/v1/council/sessions/{council_held_id}",
         {OWN["curator"], OWN["head"]} | COUNCIL_MEMBERS),
    case("api_council.vote", "POST", "/api/v1/council/sessions/{council_held_id}/items/{council_held_item_id}/vote",
         {OWN["mentor"], BYSTANDER_MENTOR}),
    case("api_council.protocol_show", "GET", "/api/v1/council/sessions/{council_signing_id}/protocol",
         {OWN["curator"], OWN["head"]} | COUNCIL_MEMBERS),
    case("api_council.protocol_file", "GET", "/api/v1/council/sessions/{council_signing_id}/protocol.pdf",
         {OWN["curator"], OWN["head"]} | COUNCIL_MEMBERS),
    case("api_plan.plan_show", "GET", "/api/v1/programs/{program_id}/plan", PROGRAM_PEOPLE),
    case("api_plan.propose", "POST", "/api/v1/programs/{program_id}/plan/corrections", PARTICIPANTS),
    case("api_plan.agree", "POST", "/api/v1/programs/{program_id}/plan/corrections/999999/agree", PARTICIPANTS),
    case("api_plan.decide", "POST", "/api/v1/programs/{program_id}/plan/corrections/999999/decide", {OWN["curator"]}),
    case("api_plan.withdraw", "POST", "/api/v1/programs/{program_id}/plan/corrections/999999/withdraw", PARTICIPANTS),
    case("api_iom.route_list", "GET", "/api/v1/iom", LOGGED_IN),
    case("api_iom.route_show", "GET", "/api/v1/iom/{iom_route_id}", PROGRAM_PEOPLE),
    case("api_iom.record_step", "POST", "/api/v1/iom/{iom_route_id}/steps/1", PARTICIPANTS),
    case("api_iom.close_review", "POST", "/api/v1/iom/{iom_route_id}/reviews/1", {OWN["curator"], OWN["mentor"]}),
    # the council's work in the API (as its pages): the curator forms it; the curator or the chair schedules and holds
    # a session; the secretary records and draws the protocol up; the chair and the secretary sign; the head agrees;
    # the pedagogical council's protocols for the model's orders: whoever drafts them (the curator, the administrator)
    case("api_council.member_add", "POST", "/api/v1/council/{organization_id}/members", {OWN["curator"]}),
    case("api_council.member_remove", "POST", "/api/v1/council/{organization_id}/members/{council_member_id}/remove",
         {OWN["curator"]}),
    case("api_council.chair_set", "POST", "/api/v1/council/{organization_id}/chair", {OWN["curator"]}),
    case("api_council.session_schedule", "POST", "/api/v1/council/{organization_id}/sessions",
         {OWN["curator"], OWN["mentor"]}),
    case("api_council.item_add", "POST", "/api/v1/council/sessions/{council_planned_id}/items",
         {OWN["curator"], OWN["mentor"]}),
    case("api_council.session_hold", "POST", "/api/v1/council/sessions/{council_planned_id}/hold",
         {OWN["curator"], OWN["mentor"]}),
    case("api_council.item_record", "POST",
         "/api/v1/council/sessions/{council_held_id}/items/{council_held_item_id}/record", {BYSTANDER_MENTOR}),
    case("api_council.protocol_draw_up", "POST", "/api/v1/council/sessions/{council_held_id}/protocol",
         {BYSTANDER_MENTOR}),
    case("api_council.protocol_sign", "POST", "/api/v1/council/sessions/{council_signing_id}/sign",
         {OWN["mentor"], BYSTANDER_MENTOR}),
    case("api_council.item_agreement", "POST",
         "/api/v1/council/sessions/{council_signing_id}/items/{council_signing_item_id}/agreement", {OWN["head"]}),
    case("api_council.order_protocols", "GET",
         "/api/v1/council/{organization_id}/order-protocols/implementation_plan", {OWN["curator"], ADMINS["own"]}),
    # the ИППР in the API (000 §2.2): as its pages; opening — any curator or head past the role check (the service
    # then names the organization)
    case("api_ippr.plan_list", "GET", "/api/v1/ippr", LOGGED_IN),
    case("api_ippr.open_plan", "POST", "/api/v1/ippr", CURATORS | HEADS),
    case("api_ippr.plan_show", "GET", "/api/v1/ippr/{ippr_plan_id}", PROGRAM_PEOPLE),
    case("api_ippr.document", "GET", "/api/v1/ippr/{ippr_plan_id}/document.pdf", PROGRAM_PEOPLE),
    case("api_ippr.add_item", "POST", "/api/v1/ippr/{ippr_plan_id}/items", PARTICIPANTS),
    case("api_ippr.change_item", "PUT", "/api/v1/ippr/{ippr_plan_id}/items/{ippr_item_id}", PARTICIPANTS),
    case("api_ippr.remove_item", "DELETE", "/api/v1/ippr/{ippr_plan_id}/items/{ippr_item_id}", PARTICIPANTS),
    case("api_ippr.mark_item", "POST", "/api/v1/ippr/{ippr_plan_id}/items/{ippr_item_id}/mark", PARTICIPANTS),
    case("api_ippr.agree", "POST", "/api/v1/ippr/{ippr_plan_id}/agree", {OWN["mentor"]}),
    case("api_ippr.return_plan", "POST", "/api/v1/ippr/{ippr_plan_id}/return", {OWN["mentor"], OWN["head"]}),
    case("api_ippr.approve", "POST", "/api/v1/ippr/{ippr_plan_id}/approve", {OWN["head"]}),
    case("api_ippr.close", "POST", "/api/v1/ippr/{ippr_plan_id}/close", {OWN["mentor"], OWN["curator"]}),
    case("api_tasks.show", "GET", "/api/v1/tasks/{instance_id}/{review_task_id}", {OWN["curator"]}),
]

PUBLIC = {"static", "auth.login", "auth.logout", "health.healthz",  # /healthz: for load balancers, no login
          "account.link"}  # a one-time link's set-password page: its token is the credential (tests/web/test_admin_people.py)
PUBLIC.add("calendar.feed")  # a calendar feed: its token is the credential (tests/web/test_calendar.py)
PUBLIC.add("metrics")  # /metrics: its allowed addresses or token decide (tests/web/test_request_log.py)


def test_every_route_has_a_case(matrix_app):
    routes = {(rule.endpoint, method) for rule in matrix_app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"} if rule.endpoint not in PUBLIC}
    covered = {(c.endpoint, c.method) for c in CASES}
    assert sorted(routes - covered) == [], "add these routes to CASES"
    assert sorted(covered - routes) == [], "these cases name routes that no longer exist"


# --- machinery ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def matrix_template(tmp_path_factory, demo_database):
    world = build_world(demo_database, tmp_path_factory.mktemp("matrix") / "world.sqlite3")
    with session_scope(world.url) as session:
        tokens = {}
        for login in LOGGED_IN:
            person = session.scalar(select(Person).where(Person.login == login))
            tokens[login] = api_tokens.issue(session, SYSTEM, person.id, "матрица прав", timedelta(days=1)).token
        session.commit()
    return world, tokens


@pytest.fixture(scope="module")
def matrix_app(matrix_template):
    world, _tokens = matrix_template
    app = make_test_app(world.url, SECRET_KEY=SECRET, WTF_CSRF_ENABLED=False)
    yield app
    database(app).dispose()


@pytest.fixture(scope="module")
def session_cookies(matrix_app) -> dict[str, str]:
    """One real login per user; the signed session cookie then works on every copy of the world."""
    cookies = {}
    for login in LOGGED_IN:
        client = matrix_app.test_client()
        response = client.post("/login", data={"login": login, "password": DEMO_PASSWORD})
        assert response.status_code == 302, f"{login} could not log in"
        cookies[login] = client.get_cookie(matrix_app.config["SESSION_COOKIE_NAME"]).value
    return cookies


def _client(app, cookies: dict[str, str], user: str) -> FlaskClient:
    client = app.test_client()
    if user != "anonymous":
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookies[user])
    return client


def _request(client: FlaskClient, item: Case, path: str, token: str | None, ids: dict | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token and item.is_api else {}
    if item.method == "GET":
        return client.get(path, headers=headers)
    if item.method == "PATCH":
        return client.patch(path, json=item.data or {}, headers=headers)
    if item.is_api:
        return client.open(path, method=item.method, json=item.data or {}, headers=headers)
    data = {key: value.format(**ids) if isinstance(value, str) and ids else value  # a form's "{world id}"
            for key, value in (item.data or {}).items()}
    return client.post(path, data=data, headers=headers)


@pytest.mark.parametrize("item", CASES, ids=str)
def test_permission_matrix(item: Case, matrix_template, session_cookies, tmp_path):
    import shutil

    world, tokens = matrix_template
    copy = tmp_path / "world.sqlite3"
    shutil.copyfile(world.url[len("sqlite:///"):], copy)
    app = make_test_app(f"sqlite:///{copy.as_posix()}", SECRET_KEY=SECRET, WTF_CSRF_ENABLED=False)
    try:
        path = item.path.format(**world.ids)
        problems = []
        order = sorted(USERS, key=lambda user: user in item.allowed)  # forbidden first
        for user in order:
            response = _request(_client(app, session_cookies, user), item, path, tokens.get(user), world.ids)
            status = response.status_code
            if user in item.allowed:
                ok = status < 500 and status not in (401, 403) and not (
                    status == 302 and "/login" in response.headers.get("Location", ""))
                if item.method == "GET" and not item.is_api and item.endpoint != "home.index":
                    ok = ok and status == 200
            elif user == "anonymous":
                ok = status == 401 if item.is_api else (
                    status == 302 and "/login" in response.headers.get("Location", ""))
            else:
                ok = status == 403
            if not ok:
                problems.append(f"{user}: {status} ({'allowed' if user in item.allowed else 'forbidden'})")
        assert problems == [], f"{item} {path}"
    finally:
        database(app).dispose()
