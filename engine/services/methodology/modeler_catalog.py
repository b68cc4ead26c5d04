"""What the modeler's properties panel offers a methodologist to choose from: the roles lanes stand for,
the system's forms with their fields, the rule sets running now (with their version, and the ``pack:<purpose>``
choices the organization's regulation pack fills), the hooks a user task may name, and the contract's vocabulary
(``engine.workflow.effects``): the effects an element may carry and the kinds a process may declare. The same lists
``workflow check`` accepts (``engine.workflow.bpmn_conventions``), so a choice made in the panel passes it.
"""
from __future__ import annotations

import marshmallow as ma
from sqlalchemy.orm import Session

from engine.forms.contracts import SHIPPED
from engine.forms.ids import FORM_ROLES
from engine.forms.registry import describe
from engine.regulations.pack import RULESET_PURPOSES
from engine.services.methodology import designed_forms
from engine.services.people.actor import Actor
from engine.services.process.definitions import require_deployer
from engine.services.process.domain import domain_of
from engine.workflow.bpmn_xml import ROLE_BY_LANE
from engine.workflow.effects import EFFECTS, KINDS


def catalog(session: Session, actor: Actor) -> dict:
    """The choices as JSON-ready lists (``PermissionDenied`` for anyone who may not store processes)."""
    require_deployer(actor)
    domain = domain_of(session)
    roles = [{"lane": lane, "role": role, "system": role == "system"} for lane, role in ROLE_BY_LANE.items()]
    forms = [{"id": form_id, "title": contract.title or form_id, "roles": sorted(FORM_ROLES.get(form_id, ())),
              "fields": [{"name": spec.name, "label": spec.label, "required": spec.required, "input": spec.input,
                          "type": _value_type(contract().fields[spec.name])}
                         for spec in describe(form_id).values()]}
             for form_id, contract in sorted(SHIPPED.items(), key=lambda item: item[1].title or item[0])]
    forms += designed_forms.catalog_forms(session, actor)  # designed in the browser: «designed:<key>»
    rulesets: list[dict[str, str | None]] = []
    for ruleset_id in domain.rules.ids():
        ruleset = domain.rules.get(ruleset_id)
        rulesets.append({"id": ruleset.id, "title": ruleset.title or ruleset.id, "version": ruleset.version})
    rulesets += [{"id": f"pack:{purpose}", "title": f"по положению организации: {label}", "version": None}
                 for purpose, label in RULESET_PURPOSES.items()]
    effects = [{"name": e.name, "title": e.title, "elements": list(e.elements)} for e in EFFECTS.values()]
    kinds = [{"name": k.name, "title": k.title, "effects": list(k.effects), "hooks": list(k.hooks),
              "messages": list(k.messages)} for k in KINDS.values()]
    return {"roles": roles, "forms": forms, "rulesets": rulesets, "hooks": sorted(domain.hooks.names()),
            "effects": effects, "kinds": kinds}


def _value_type(field: ma.fields.Field) -> str:
    """What a field writes, for the panel's examples of conditions: bool, number, list or text."""
    if isinstance(field, ma.fields.Boolean):
        return "bool"
    if isinstance(field, ma.fields.Number):
        return "number"
    if isinstance(field, ma.fields.List):
        return "list"
    return "text"
