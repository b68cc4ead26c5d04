"""Layering and rooms (tests/architecture_rules.py says the rules): each rule holds on this project and
catches a planted offence in a small tree of its own."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests import architecture_rules as rules

ROOT = Path(__file__).resolve().parents[1]


def test_engine_never_imports_flask_web_or_cli():
    assert rules.check_engine_free_of_web(ROOT) == []


def test_service_rooms_import_only_the_rooms_below_them():
    assert rules.check_service_rooms(ROOT) == []


def test_no_import_cycles_between_services():
    assert rules.check_no_service_cycles(ROOT) == []


def test_foundations_import_no_service_and_documents_no_database():
    assert rules.check_foundations(ROOT) == []


def test_the_product_does_not_stand_on_the_demo():
    assert rules.check_product_free_of_demo(ROOT) == []


def test_web_asks_services_instead_of_querying():
    assert rules.check_views_do_not_query(ROOT) == []


def test_no_private_name_crosses_a_module_boundary():
    assert rules.check_no_private_imports(ROOT) == []


def test_only_one_module_owns_durable_rules():
    assert rules.check_owner(ROOT, "durable", "engine/rules/durable_backend.py") == []


def test_only_the_spiff_package_imports_spiffworkflow():
    assert rules.check_owner(ROOT, "SpiffWorkflow", "engine/workflow/spiff/") == []


def test_only_the_worker_package_imports_celery():
    assert rules.check_owner(ROOT, "celery", "worker/") == []
    assert rules.check_owner(ROOT, "kombu", "worker/") == []


def test_channels_complete_steps_only_through_the_domain():
    assert rules.check_channels_complete_steps_through_the_domain(ROOT) == []


def test_statuses_change_only_through_the_declared_lifecycles():
    from engine.db import Base
    from engine.db.models import LIFECYCLES

    declared = {lifecycle.table for lifecycle in LIFECYCLES}
    with_status = {table.name for table in Base.metadata.sorted_tables if "status" in table.columns}
    # the process runtime's own rows (instances, definitions, rule file, regulation pack and designed form versions)
    # keep their own rules
    assert with_status - declared == {"workflow_instances", "process_definitions", "rule_file_versions",
                                      "regulation_pack_versions", "designed_forms"}
    assert rules.check_no_bulk_status_writes(ROOT) == []


def test_every_service_room_says_what_it_owns_and_may_import():
    for room in rules.SERVICE_ROOMS:
        init = ROOT / "engine" / "services" / room / "__init__.py"
        text = init.read_text(encoding="utf-8")
        assert text.startswith('"""') and "Imports" in text, room


# -- planted offences: every rule fails when broken -----------------------------------------------

def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in {p.parent for p in tmp_path.rglob("*.py")}:
        while folder != tmp_path:
            (folder / "__init__.py").touch()
            folder = folder.parent
    return tmp_path


PLANTED = {
    "flask in the engine": (rules.check_engine_free_of_web,
                            {"engine/services/people/x.py": "from flask import g\n"}),
    "web hidden in import_module": (rules.check_engine_free_of_web,
                                    {"engine/cli_bridge.py": "import importlib\nimportlib.import_module('web.cli')\n"}),
    "web in an f-string import_module": (rules.check_engine_free_of_web,
                                         {"engine/x.py": "from importlib import import_module\n"
                                                         "name = 'cli'\nimport_module(f'web.{name}')\n"}),
    "cli imported by the engine": (rules.check_engine_free_of_web,
                                   {"engine/x.py": "def f():\n    from cli import main\n"}),
    "a lower room imports a higher one": (rules.check_service_rooms,
                                          {"engine/services/people/actor.py":
                                           "from engine.services.curation import inbox\n"}),
    "a relative import up the ladder": (rules.check_service_rooms,
                                        {"engine/services/orders/register.py":
                                         "from ..mentorship import lifecycle\n"}),
    "a module outside the rooms": (rules.check_service_rooms, {"engine/services/helpers.py": "X = 1\n"}),
    "a service imports the demo": (rules.check_service_rooms,
                                   {"engine/services/people/x.py": "from engine.demo import world\n"}),
    "a cycle inside a room": (rules.check_no_service_cycles,
                              {"engine/services/mentorship/a.py": "from engine.services.mentorship import b\n",
                               "engine/services/mentorship/b.py":
                               "def f():\n    from engine.services.mentorship.a import g\n"}),
    "documents import the database": (rules.check_foundations,
                                      {"engine/documents/x.py": "from engine.db.models import Order\n"}),
    "the database imports a service": (rules.check_foundations,
                                       {"engine/db/x.py": "from engine.services.process import instances\n"}),
    "the web imports the demo": (rules.check_product_free_of_demo,
                                 {"web/views/x.py": "from engine.demo.world import PEOPLE\n"}),
    "a view imports SQLAlchemy": (rules.check_views_do_not_query,
                                  {"web/views/x.py": "from sqlalchemy import select\n"}),
    "a view queries": (rules.check_views_do_not_query,
                       {"web/views/x.py": "def f(db, stmt):\n    return db.scalars(stmt)\n"}),
    "a bulk status write": (rules.check_no_bulk_status_writes,
                            {"engine/services/mentorship/x.py":
                             "def f(s, stmt):\n    s.execute(stmt.values(status='completed'))\n"}),
    "the API completes a step with raw data": (rules.check_channels_complete_steps_through_the_domain,
                                               {"web/api/x.py": "from engine.services.process import instances\n"
                                                                "def f(s, a, d):\n"
                                                                "    instances.complete_task(s, a, 1, 't', d)\n"}),
    "the command line imports the raw completion": (rules.check_channels_complete_steps_through_the_domain,
                                                    {"cli/x.py": "def f():\n    from engine.services.process"
                                                                 ".instances import complete_task\n"}),
    "a private name imported": (rules.check_no_private_imports,
                                {"web/x.py": "from engine.documents.basics import _fmt\n"}),
    "durable_rules outside its owner": (lambda root: rules.check_owner(root, "durable",
                                                                       "engine/rules/durable_backend.py"),
                                        {"engine/rules/other.py": "from durable.lang import ruleset\n"}),
}


@pytest.mark.parametrize("offence", sorted(PLANTED))
def test_each_rule_catches_a_planted_offence(tmp_path, offence):
    check, files = PLANTED[offence]
    assert check(_tree(tmp_path, files)) != []


def test_the_checks_pass_a_tree_that_keeps_the_rules(tmp_path):
    root = _tree(tmp_path, {
        "engine/services/curation/inbox.py": "from engine.services.people.actor import Actor\n"
                                             "from engine.services.pages import Slice\n",
        "engine/services/people/actor.py": "from engine.db.models import Person\n",
        "engine/services/pages.py": "X = 1\n",
        "engine/documents/x.py": "from engine.vocabulary import OrderType\n",
        "web/views/x.py": "from engine.services.curation import inbox\n",
        "web/db.py": "from sqlalchemy.orm import Session\n",
    })
    checks = [rules.check_engine_free_of_web, rules.check_service_rooms, rules.check_no_service_cycles,
              rules.check_foundations, rules.check_product_free_of_demo, rules.check_views_do_not_query,
              rules.check_no_private_imports, rules.check_channels_complete_steps_through_the_domain]
    assert [offence for check in checks for offence in check(root)] == []
