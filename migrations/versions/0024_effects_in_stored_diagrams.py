"""the contract in the stored diagrams: the effects and kind of the versions stored before they existed

Revision ID: 0024_effects_in_stored_diagrams
Revises: 0022_organization_calendar_days

Issue 16, item 3. The services find the elements they rely on by the effect they carry
(``<spiffworkflow:property name="effect" …/>``, engine/workflow/effects.py), no longer by element id. A version of
a shipped process stored before (its BPMN without any ``effect``) would lose its reminders, escalations, pending
petitions, the late stage and the report page: this data migration — and only it — maps the shipped element ids
to their effects, once, writing them into the stored BPMN, the stored spec and the specs the running instances
carry. ``bpmn_sha256`` stays the hash of the bytes as uploaded (the same file stored again is the same version).
Instances keep their ``subject["assignees"]`` by element id: the assignment still reads them.

Create Date: 2026-12-12 10:00:00
"""
from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from lxml import etree

revision: str = '0024_effects_in_stored_diagrams'
down_revision: str | None = '0022_organization_calendar_days'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
# the shipped diagrams' ids as they were when the effects were introduced: process id -> (kind, {element: effect})
SHIPPED: dict[str, tuple[str, dict[str, str]]] = {
    "program_lifecycle": ("program", {
        "SubProcess_stage": "stage", "Task_stage_reminder": "stage_reminder",
        "Task_handle_escalation": "stage_escalation",
        "Task_decide_early_completion": "petition_early_completion",
        "Task_sign_early_order": "petition_early_completion",
        "Task_agree_extension_mentor": "petition_extension", "Task_agree_extension_mentee": "petition_extension",
        "Task_petition_extension": "petition_extension", "Task_sign_extension_order": "petition_extension",
        "Task_decide_replacement": "petition_mentor_replacement",
        "Task_replacement_consent": "new_mentor_consent, petition_mentor_replacement",
        "Task_sign_replacement_order": "petition_mentor_replacement",
        "Task_decide_release": "petition_mentor_release", "Task_sign_release_order": "petition_mentor_release",
        "Task_replace_released_mentor": "petition_mentor_release",
        "Task_release_consent": "new_mentor_consent, petition_mentor_release",
        "Task_sign_release_replacement_order": "petition_mentor_release",
        "Task_sign_release_completion_order": "petition_mentor_release"}),
    "pair_formation": ("pair_formation", {"Task_mentor_consent": "mentor_consent",
                                          "Task_mentees_consent": "mentees_consent"}),
    "mentor_period_report": ("mentor_report", {"Task_mentor_report": "mentor_report",
                                               "Task_report_overdue": "mentor_report_overdue"}),
}


def _set_property(node: etree._Element, name: str, value: str) -> None:
    extensions = node.find(f"{{{BPMN}}}extensionElements")
    if extensions is None:
        extensions = etree.Element(f"{{{BPMN}}}extensionElements")
        documentation = node.findall(f"{{{BPMN}}}documentation")
        node.insert(len(documentation), extensions)  # after the documentation, before everything else
    properties = extensions.find(f"{{{SPIFF}}}properties")
    if properties is None:
        properties = etree.SubElement(extensions, f"{{{SPIFF}}}properties")
    if not any(p.get("name") == name for p in properties):
        etree.SubElement(properties, f"{{{SPIFF}}}property", name=name, value=value)


def add_to_bpmn(text: str, process_id: str) -> str:
    """The stored BPMN with the kind on its process and the effects on the shipped elements still there."""
    kind, effects = SHIPPED[process_id]
    root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    for node in root.iter(f"{{{BPMN}}}*"):
        element_id = node.get("id")
        if etree.QName(node).localname == "process" and element_id == process_id:
            _set_property(node, "kind", kind)
        elif element_id in effects:
            _set_property(node, "effect", effects[element_id])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8")


def add_to_specs(doc: dict, process_id: str) -> bool:
    """The effects written into the serialized task specs of ``doc`` (a stored spec or an instance's embedded one);
    True when something changed."""
    effects = SHIPPED[process_id][1]
    changed = False
    for spec in [doc.get("spec"), *(doc.get("subprocess_specs") or {}).values()]:
        for element_id, task_spec in ((spec or {}).get("task_specs") or {}).items():
            if element_id in effects and isinstance(task_spec, dict):
                properties = task_spec.setdefault("extensions", {}).setdefault("properties", {})
                if "effect" not in properties:
                    properties["effect"] = effects[element_id]
                    changed = True
    return changed


def upgrade() -> None:
    bind = op.get_bind()
    definitions = sa.table("process_definitions", sa.column("id", sa.Integer), sa.column("process_id", sa.String),
                           sa.column("bpmn", sa.Text), sa.column("spec_json", sa.Text))
    instances = sa.table("workflow_instances", sa.column("id", sa.Integer), sa.column("definition_id", sa.Integer),
                         sa.column("state", sa.Text))
    rows = bind.execute(sa.select(definitions.c.id, definitions.c.process_id, definitions.c.bpmn,
                                  definitions.c.spec_json).where(definitions.c.process_id.in_(list(SHIPPED))))
    for definition_id, process_id, bpmn, spec_json in rows.all():
        if 'name="effect"' in bpmn:
            continue
        spec = json.loads(spec_json)
        add_to_specs(spec, process_id)
        bind.execute(definitions.update().where(definitions.c.id == definition_id).values(
            bpmn=add_to_bpmn(bpmn, process_id), spec_json=json.dumps(spec, ensure_ascii=False)))
        for instance_id, state in bind.execute(sa.select(instances.c.id, instances.c.state).where(
                instances.c.definition_id == definition_id)).all():
            if not state or '"spec"' not in state:
                continue  # stored without the spec: it runs on the definition's, patched above
            doc = json.loads(state)
            if isinstance(doc.get("spiff"), dict) and add_to_specs(doc["spiff"], process_id):
                bind.execute(instances.update().where(instances.c.id == instance_id).values(
                    state=json.dumps(doc, ensure_ascii=False)))


def downgrade() -> None:
    pass  # the effects are harmless to the code before them: it never read them
