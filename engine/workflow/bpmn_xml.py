"""BPMN uploads as XML: hardened parsing, XSD validation, the element tree read (roots, element names, which element
a node belongs to). The project's static checks of a parsed file are ``bpmn_conventions``.

No SpiffWorkflow here (``spiff.definitions`` passes in the schema paths). Every function returns
``Problem`` lists instead of raising; messages are Russian and name the element (id and name),
because SpiffWorkflow's own errors carry no usable line numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from engine.workflow.messages import russian_schema

MAX_BPMN_BYTES = 5 * 1024 * 1024
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}

ROLE_BY_LANE = {
    "Куратор": "curator",
    "Методист": "methodologist",
    "Руководитель": "head",
    "Наставник": "mentor",
    "Наставляемый": "mentee",
    "Система": "system",
}
_ROLE_BY_FOLDED = {" ".join(k.split()).casefold(): v for k, v in ROLE_BY_LANE.items()}

TIMER_TAGS = {f"{{{BPMN_NS}}}timeDate", f"{{{BPMN_NS}}}timeDuration", f"{{{BPMN_NS}}}timeCycle"}
ISO_TIMER_LITERAL = re.compile(
    r"(R\d*/)?(P(?=[\dT.,WYMDHS]*\d)(\d+W|(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+([.,]\d+)?S)?)?)"
    r"|\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?)(/.*)?\Z",
    re.IGNORECASE,
)




def one_line(text: str | None) -> str | None:
    """A name or message on one line: bpmn-js writes line breaks into names (``&#10;``); runs of whitespace become
    one space."""
    return " ".join(text.split()) if text is not None else None


@dataclass(frozen=True)
class Problem:
    """One problem of a file, named on one line (element names and messages have their whitespace collapsed)."""

    file: str
    element_id: str | None
    element_name: str | None
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "element_name", one_line(self.element_name) or None)
        object.__setattr__(self, "message", one_line(self.message) or "")

    def __str__(self) -> str:
        where = ""
        if self.element_id:
            where = f"элемент {self.element_id}" + (f" «{self.element_name}»" if self.element_name else "") + ": "
        return f"{self.file}: {where}{self.message}"


def role_for_lane(lane_name: str | None) -> str | None:
    if not lane_name:
        return None
    return _ROLE_BY_FOLDED.get(" ".join(lane_name.split()).casefold())


_DTD_MARK = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_NO_DTD = "объявления DTD (<!DOCTYPE>) и сущности в BPMN-файлах запрещены"


def _hardened_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_pis=True,
    )


def parse_bpmn(data: bytes, filename: str) -> tuple[etree._Element | None, list[Problem]]:  # noqa: C901 - one refusal per kind of unsafe or malformed upload
    """Parse upload bytes safely; a root element only when there are no problems."""
    def refuse(message: str):
        return None, [Problem(filename, None, None, message)]

    if not isinstance(data, (bytes, bytearray)):
        return refuse("файл должен передаваться как байты")
    if not data.strip():
        return refuse("файл пуст")
    if len(data) > MAX_BPMN_BYTES:
        return refuse(f"файл слишком большой: {len(data) / 1048576:.1f} МБ, допускается не более "
                      f"{MAX_BPMN_BYTES // 1048576} МБ")
    if _DTD_MARK.search(data):
        return refuse(_NO_DTD)
    try:
        root = etree.fromstring(bytes(data), _hardened_parser())
    except etree.XMLSyntaxError as exc:
        return refuse(f"файл не является корректным XML: {exc}")
    except (etree.LxmlError, ValueError, MemoryError) as exc:
        return refuse(f"файл не удалось разобрать как XML: {exc}")
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        return refuse(_NO_DTD)
    if any(isinstance(node, etree._Entity) for node in root.iter()):
        return refuse("ссылки на сущности XML запрещены")
    if root.tag != f"{{{BPMN_NS}}}definitions":
        return refuse(f"это не BPMN 2.0: корневой элемент {root.tag}, ожидается bpmn:definitions")
    return root, []


@lru_cache(maxsize=4)
def load_schema(bpmn_xsd: str, imports: tuple[tuple[str, str], ...] = ()) -> etree.XMLSchema:
    """The BPMN 2.0 XSD (plus imported extension schemas), parsed once; local files only."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    schema = etree.parse(bpmn_xsd, parser)
    for namespace, location in imports:
        schema.getroot().insert(0, etree.Element(
            "{http://www.w3.org/2001/XMLSchema}import", namespace=namespace, schemaLocation=location))
    return etree.XMLSchema(schema)


def element_ref(node: etree._Element) -> tuple[str | None, str | None]:
    """Id and name of the BPMN element a node belongs to (skipping event definitions etc.)."""
    current = node
    while current is not None:
        tag = current.tag if isinstance(current.tag, str) else ""
        if (tag.startswith(f"{{{BPMN_NS}}}") and current.get("id") and not tag.endswith("EventDefinition")
                and not tag.endswith("}extensionElements")):
            return current.get("id"), one_line(current.get("name"))
        current = current.getparent()
    return None, None


def validate_schema(root: etree._Element, schema: etree.XMLSchema, filename: str,
                    limit: int = 5) -> list[Problem]:
    # bpmn-js writes correlation retrieval expressions in a form the XSD refuses (as SpiffWorkflow does).
    for expr in root.xpath(".//bpmn:correlationPropertyRetrievalExpression/bpmn:formalExpression",
                           namespaces=NS):
        expr.tag = f"{{{BPMN_NS}}}messagePath"
    if schema.validate(root.getroottree()):
        return []
    by_line: dict[int, etree._Element] = {}
    for node in root.iter():
        by_line.setdefault(node.sourceline, node)
    errors = list(schema.error_log)
    problems = []
    for error in errors[:limit]:
        node = by_line.get(error.line)
        element_id, name = element_ref(node) if node is not None else (None, None)
        message = russian_schema(error.message.replace(f"{{{BPMN_NS}}}", "bpmn:"))
        message = message if len(message) <= 300 else message[:297] + "..."
        problems.append(Problem(filename, element_id, name,
                                f"не соответствует схеме BPMN 2.0 (строка {error.line}): {message}"))
    if len(errors) > limit:
        problems.append(Problem(filename, None, None, f"и ещё ошибок схемы: {len(errors) - limit}"))
    return problems


def root_process_ids(root: etree._Element) -> tuple[list[str], list[etree._Element]]:
    """Ids of executable processes not called by a callActivity, and all executable processes."""
    executable = [p for p in root.findall(f"{{{BPMN_NS}}}process") if p.get("isExecutable", "true") == "true"]
    called = set(root.xpath(".//bpmn:callActivity/@calledElement", namespaces=NS))
    return [p.get("id") for p in executable if p.get("id") not in called], executable


@lru_cache(maxsize=32)
def element_names(bpmn: str) -> dict[str, str]:
    """Every element's name by its id in a stored definition's BPMN (names on one line); {} for a file that does
    not parse."""
    root, _problems = parse_bpmn(bpmn.encode("utf-8"), "definition.bpmn")
    if root is None:
        return {}
    return {node.get("id"): one_line(node.get("name")) or ""
            for node in root.iter() if node.get("id") and node.get("name")}
