"""The difference between two versions of a BPMN process: element by element (by id) and as a
unified diff of the pretty-printed XML.

    diff_bpmn(old: bytes, new: bytes, *, old_label, new_label) -> BpmnDiff

Each element with an id (tasks, events, gateways, flows, lanes, messages, the process itself) is
described by *facets*, keys with text values, and two versions are compared facet by facet:

    type, name, lane, attr:<name> (sourceRef, targetRef, default, attachedToRef, ...),
    condition, script, preScript, postScript, timer, event, property:<name> (spiffworkflow
    properties: form, ruleset, ...), documentation, layout (position on the diagram), content
    (anything else inside the element, canonical XML)

Both inputs go through the hardened parser of ``bpmn_xml``; an unparsable input raises
``WorkflowDefinitionError`` naming the version.
"""
from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass, field

from lxml import etree

from engine.errors import WorkflowDefinitionError
from engine.workflow.bpmn_xml import BPMN_NS, SPIFF_NS, TIMER_TAGS, one_line, parse_bpmn

DI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
MAX_TEXT_DIFF_LINES = 4000

_B = f"{{{BPMN_NS}}}"
_S = f"{{{SPIFF_NS}}}"
# children folded into facets of their element (not elements of their own, even with an id)
_FOLDED_TAGS = {f"{_B}{name}" for name in ("conditionExpression", "script", "documentation", "incoming",
                                           "outgoing", "extensionElements", "flowNodeRef", "laneSet")}
_PLAIN_CHILD_TAGS = {f"{_B}{name}" for name in ("conditionExpression", "script", "documentation", "incoming",
                                                "outgoing", "flowNodeRef")}


@dataclass(frozen=True)
class FacetChange:
    key: str
    old: str | None
    new: str | None

    @property
    def multiline(self) -> bool:
        return "\n" in (self.old or "") or "\n" in (self.new or "")

    def line_diff(self) -> list[str]:
        """For multi-line values (scripts): the changed lines, prefixed ``-``/``+``/`` ``."""
        return [line for line in difflib.ndiff((self.old or "").splitlines(), (self.new or "").splitlines())
                if not line.startswith("?")]


@dataclass(frozen=True)
class ElementChange:
    element_id: str
    change: str  # 'added' | 'removed' | 'changed'
    type: str
    name: str | None
    old_name: str | None = None
    facets: tuple[FacetChange, ...] = ()


@dataclass
class BpmnDiff:
    old_label: str
    new_label: str
    elements: list[ElementChange] = field(default_factory=list)
    text: list[str] = field(default_factory=list)  # unified diff lines (without newlines)
    text_truncated: bool = False

    @property
    def identical(self) -> bool:
        return not self.elements and not self.text

    def count(self, change: str) -> int:
        return sum(1 for e in self.elements if e.change == change)


def _parse(data: bytes | str, label: str) -> etree._Element:
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    root, problems = parse_bpmn(raw, label)
    if root is None:
        raise WorkflowDefinitionError(problems)
    return root


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname


def _is_element(node: etree._Element) -> bool:
    tag = node.tag if isinstance(node.tag, str) else ""
    return (tag.startswith(_B) and bool(node.get("id")) and tag not in _FOLDED_TAGS
            and not tag.endswith("EventDefinition") and tag != f"{_B}definitions")


def _text(node: etree._Element | None) -> str:
    return "" if node is None else "".join(node.itertext()).strip()


def _canonical(node: etree._Element) -> str:
    clone = copy.deepcopy(node)
    for item in clone.iter():
        if isinstance(item.tag, str):
            item.text = (item.text or "").strip() or None
            item.tail = None
    return etree.tostring(clone, encoding="unicode")


def _layout(root: etree._Element) -> dict[str, str]:
    found = {}
    for shape in root.iter(f"{{{DI_NS}}}BPMNShape"):
        bounds = shape.find(f"{{{DC_NS}}}Bounds")
        if shape.get("bpmnElement") and bounds is not None:
            found[shape.get("bpmnElement")] = ("x={x} y={y} {width}×{height}".format(
                **{k: _number(bounds.get(k)) for k in ("x", "y", "width", "height")}))
    for edge in root.iter(f"{{{DI_NS}}}BPMNEdge"):
        points = [f"({_number(p.get('x'))},{_number(p.get('y'))})" for p in edge.iter("{*}waypoint")]
        if edge.get("bpmnElement"):
            found[edge.get("bpmnElement")] = " → ".join(points)
    return found


def _number(value: str | None) -> str:
    try:
        number = float(value or 0)
    except ValueError:
        return value or ""
    return str(int(number)) if number.is_integer() else f"{number:g}"


def _lanes(root: etree._Element) -> dict[str, str]:
    found = {}
    for ref in root.iter(f"{_B}flowNodeRef"):
        lane = ref.getparent()
        if ref.text:
            found[ref.text.strip()] = lane.get("name") or lane.get("id") or ""
    return found


def _facets(node: etree._Element, lanes: dict[str, str], layout: dict[str, str]) -> dict[str, str]:  # noqa: C901 - one facet per kind of attribute an element carries
    element_id = node.get("id")
    facets = {"type": _local(node), "name": one_line(node.get("name")) or ""}
    if element_id in lanes:
        facets["lane"] = lanes[element_id]
    for key, value in sorted(node.attrib.items()):
        if key not in ("id", "name"):
            facets[f"attr:{etree.QName(key).localname}"] = value
    content = []
    for child in node:
        if not isinstance(child.tag, str) or _is_element(child):
            continue
        tag = child.tag
        if tag == f"{_B}conditionExpression":
            facets["condition"] = _text(child)
        elif tag == f"{_B}script":
            facets["script"] = _text(child)
        elif tag == f"{_B}documentation":
            facets["documentation"] = _text(child)
        elif tag.endswith("EventDefinition"):
            _event_facets(child, facets)
        elif tag == f"{_B}extensionElements":
            content.extend(_extension_facets(child, facets))
        elif tag not in _PLAIN_CHILD_TAGS and tag != f"{_B}laneSet":
            content.append(_canonical(child))
    if content:
        facets["content"] = "\n".join(content)
    if element_id in layout:
        facets["layout"] = layout[element_id]
    return {k: v for k, v in facets.items() if v != "" or k in ("name",)}


def _event_facets(definition: etree._Element, facets: dict[str, str]) -> None:
    refs = ", ".join(f"{etree.QName(k).localname}={v}" for k, v in sorted(definition.attrib.items()) if k != "id")
    kind = _local(definition) + (f" ({refs})" if refs else "")
    facets["event"] = f"{facets['event']}; {kind}" if "event" in facets else kind
    for timer in definition:
        if isinstance(timer.tag, str) and timer.tag in TIMER_TAGS:
            facets["timer"] = f"{_local(timer)}: {_text(timer)}"


def _extension_facets(extensions: etree._Element, facets: dict[str, str]) -> list[str]:
    rest = []
    for item in extensions:
        if not isinstance(item.tag, str):
            continue
        if item.tag == f"{_S}properties":
            for prop in item:
                if isinstance(prop.tag, str) and prop.get("name"):
                    facets[f"property:{prop.get('name')}"] = prop.get("value") or _text(prop)
        elif item.tag in (f"{_S}preScript", f"{_S}postScript"):
            facets[_local(item)] = _text(item)
        else:
            rest.append(_canonical(item))
    return rest


def _elements(root: etree._Element) -> dict[str, tuple[etree._Element, dict[str, str]]]:
    lanes, layout = _lanes(root), _layout(root)
    return {node.get("id"): (node, _facets(node, lanes, layout)) for node in root.iter() if _is_element(node)}


def _attribute_order(item: tuple[str, str]) -> tuple[int, str]:
    return ({"id": 0, "name": 1}.get(item[0], 2), item[0])


def pretty_xml(root: etree._Element) -> str:
    """Indented, attributes in one order (id, name, then by name): editors reorder attributes freely."""
    clone = copy.deepcopy(root)
    for item in clone.iter():
        if isinstance(item.tag, str):
            if item.text is not None and not item.text.strip() and len(item):
                item.text = None
            attributes = sorted(item.attrib.items(), key=_attribute_order)
            item.attrib.clear()
            item.attrib.update(attributes)
        item.tail = None
    etree.indent(clone, space="  ")
    return etree.tostring(clone, encoding="unicode")


def diff_elements(old_root: etree._Element, new_root: etree._Element) -> list[ElementChange]:
    old, new = _elements(old_root), _elements(new_root)
    changes = []
    for element_id, (_node, facets) in new.items():
        if element_id not in old:
            changes.append(ElementChange(element_id, "added", facets["type"], facets.get("name") or None,
                                         facets=tuple(FacetChange(k, None, v) for k, v in facets.items()
                                                      if k not in ("type", "name", "layout"))))
            continue
        before = old[element_id][1]
        changed = tuple(FacetChange(k, before.get(k), facets.get(k))
                        for k in _ordered_keys(before, facets) if before.get(k) != facets.get(k))
        if changed:
            changes.append(ElementChange(element_id, "changed", facets["type"], facets.get("name") or None,
                                         old_name=before.get("name") or None, facets=changed))
    for element_id, (_node, facets) in old.items():
        if element_id not in new:
            changes.append(ElementChange(element_id, "removed", facets["type"], facets.get("name") or None))
    return changes


def _ordered_keys(before: dict[str, str], after: dict[str, str]) -> list[str]:
    keys = list(after)
    keys.extend(k for k in before if k not in after)
    return keys


def diff_bpmn(old: bytes | str, new: bytes | str, *, old_label: str = "old", new_label: str = "new",
              context: int = 3) -> BpmnDiff:
    old_root, new_root = _parse(old, old_label), _parse(new, new_label)
    result = BpmnDiff(old_label, new_label, diff_elements(old_root, new_root))
    lines = list(difflib.unified_diff(pretty_xml(old_root).splitlines(), pretty_xml(new_root).splitlines(),
                                      fromfile=old_label, tofile=new_label, n=context, lineterm=""))
    if len(lines) > MAX_TEXT_DIFF_LINES:
        lines, result.text_truncated = lines[:MAX_TEXT_DIFF_LINES], True
    result.text = lines
    return result
