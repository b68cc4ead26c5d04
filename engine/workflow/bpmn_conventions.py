"""The project's static checks of a parsed BPMN file (``bpmn_xml.parse_bpmn`` reads it); no SpiffWorkflow here.
Problems are returned, never raised; messages are Russian and name the element (id and name).

Conventions checked (see workflows/README.md): lanes are roles (``ROLE_BY_LANE``); every
userTask/manualTask sits in a role lane other than «Система» and has a ``form`` property (which the
caller's ``form_check`` may refuse: a form without a contract); untyped
tasks and serviceTasks are refused; every businessRuleTask names a known ``ruleset`` (or ``pack:<purpose>``, the one the organization's regulation pack names); every
script and expression passes the sandbox check; exactly one executable (root) process; and nothing SpiffWorkflow
3.2 runs wrongly (``unsupported.check_unsupported``: the table of refused constructs); the process's contract —
its kind, the effects its elements carry, the messages its service sends (``effects.check_contract``).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection

from lxml import etree

from engine.regulations.pack import RULESET_PURPOSES
from engine.workflow import sandbox
from engine.workflow.bpmn_xml import (
    BPMN_NS,
    ISO_TIMER_LITERAL,
    NS,
    ROLE_BY_LANE,
    SPIFF_NS,
    TIMER_TAGS,
    Problem,
    element_ref,
    role_for_lane,
    root_process_ids,
)
from engine.workflow.effects import check_contract
from engine.workflow.unsupported import check_unsupported

# (form id, declared ``fields``, the lane's role, the ``channel`` property) -> problem or None
FormCheck = Callable[[str, str | None, str | None, str | None], str | None]
HUMAN_TASKS = {"userTask", "manualTask"}
# BPMN elements whose text is evaluated as a Python expression / executed as a script.
EXPRESSION_TAGS = {
    f"{{{BPMN_NS}}}conditionExpression", f"{{{BPMN_NS}}}condition", f"{{{BPMN_NS}}}timeDate",
    f"{{{BPMN_NS}}}timeDuration", f"{{{BPMN_NS}}}timeCycle", f"{{{BPMN_NS}}}loopCardinality",
    f"{{{BPMN_NS}}}completionCondition", f"{{{BPMN_NS}}}loopCondition", f"{{{BPMN_NS}}}messagePath",
    f"{{{SPIFF_NS}}}messagePayload", f"{{{SPIFF_NS}}}expression",
}
SCRIPT_TAGS = {f"{{{BPMN_NS}}}script", f"{{{SPIFF_NS}}}preScript", f"{{{SPIFF_NS}}}postScript"}
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def _lane_of(node: etree._Element, lanes: dict[str, str]) -> str | None:
    parent = node.getparent()
    while parent is not None and parent.tag not in _CONTAINERS:
        parent = parent.getparent()
    if parent is not None and parent.tag != f"{{{BPMN_NS}}}process":
        outer = _lane_of(parent, lanes)
        if outer is not None:
            return outer
    return lanes.get(node.get("id"))


_CONTAINERS = {f"{{{BPMN_NS}}}{t}" for t in ("process", "subProcess", "transaction", "adHocSubProcess")}


def _properties(node: etree._Element) -> dict[str, str]:
    return {p.get("name"): p.get("value") for p in node.xpath(
        "./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", namespaces=NS)}


def check_conventions(root: etree._Element, filename: str, *, known_rulesets: set[str],  # noqa: C901 - one branch per kind of BPMN element the conventions cover
                      known_hooks: Collection[str] | None = None,
                      form_check: FormCheck | None = None) -> list[Problem]:
    problems: list[Problem] = []

    def problem(node, message):
        element_id, name = element_ref(node)
        problems.append(Problem(filename, element_id, name, message))

    roots, executable = root_process_ids(root)
    processes = root.findall(f"{{{BPMN_NS}}}process")
    if not roots:
        target = processes[0] if processes else root
        problem(target, "в файле нет исполняемого процесса: отметьте процесс isExecutable=\"true\"")
    elif len(roots) > 1:
        problem(next(p for p in executable if p.get("id") == roots[1]),
                f"в файле несколько исполняемых процессов ({', '.join(roots)}); исполняемым должен быть один")
    lanes = {}
    for ref in root.iter(f"{{{BPMN_NS}}}flowNodeRef"):
        if ref.text:
            lanes[ref.text.strip()] = ref.getparent().get("name")
    for process in executable:
        for node in process.iter():
            if not isinstance(node.tag, str):
                continue
            if node.tag in SCRIPT_TAGS or node.tag in EXPRESSION_TAGS:
                _check_code(node, problem)
                continue
            if not node.tag.startswith(f"{{{BPMN_NS}}}"):
                continue
            kind = etree.QName(node).localname
            if kind in HUMAN_TASKS:
                lane = _lane_of(node, lanes)
                role = role_for_lane(lane)
                if lane is None:
                    problem(node, "задача для человека должна лежать на дорожке роли "
                                  f"({', '.join(ROLE_BY_LANE)})")
                elif role is None:
                    problem(node, f"дорожка «{lane}» не соответствует ни одной роли ({', '.join(ROLE_BY_LANE)})")
                elif role == "system":
                    problem(node, "на дорожке «Система» не может быть задач для людей")
                _check_form(node, _properties(node), role, form_check, problem)
            elif kind == "task":
                problem(node, "тип задачи не указан: используйте userTask (задача для человека), "
                              "scriptTask или businessRuleTask")
            elif kind == "serviceTask":
                problem(node, "сервисные задачи (serviceTask) не поддерживаются")
            elif kind == "businessRuleTask":
                _check_rule_task(node, _properties(node), known_rulesets, problem)
            elif kind == "scriptTask" and not (node.findtext(f"{{{BPMN_NS}}}script") or "").strip():
                problem(node, "у задачи-скрипта нет текста скрипта")
            elif kind in ("exclusiveGateway", "inclusiveGateway"):
                _check_gateway(node, process, problem)
        _check_hooks(process, known_hooks, problem)
        _check_petitions(process, problem)
        check_contract(process, root, problem, known_hooks=known_hooks)
    return problems + check_unsupported(root, filename)


def _check_form(node, props, role, form_check, problem) -> None:
    form = (props.get("form") or "").strip()
    if not form:
        problem(node, "у задачи нет формы: добавьте свойство form (spiffworkflow:property name=\"form\")")
        return
    message = form_check(form, props.get("fields"), role, props.get("channel")) if form_check is not None else None
    if message:
        problem(node, message)


def unknown_hook_message(hook: str | None, known: Collection[str]) -> str:
    return (f"обработчик «{hook}» (свойство hook) в системе не зарегистрирован; "
            f"известны: {', '.join(sorted(known)) or 'ни одного'}")


def _check_hooks(process, known_hooks: Collection[str] | None, problem) -> None:
    """A ``hook`` names what the domain does when a task for people is completed: elsewhere it would
    never run, and a name the domain does not have would be skipped, so both are refused."""
    for prop in process.xpath(".//bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property"
                              "[@name='hook']", namespaces=NS):
        node = prop.getparent().getparent().getparent()
        hook = prop.get("value") or ""
        if etree.QName(node).localname not in HUMAN_TASKS:
            problem(node, "свойство hook (обработчик шага) действует только у задач для людей (userTask)")
        elif not hook.strip():
            problem(node, "свойство hook пусто: укажите имя обработчика или удалите свойство")
        elif known_hooks is not None and hook not in known_hooks:
            problem(node, unknown_hook_message(hook, known_hooks))


def _check_petitions(process, problem) -> None:
    """``petition`` names the petition a task for people decides: the organization's regulation pack says who
    decides it (``petitions[].decided_by``; the lane is the role where the pack names none)."""
    for prop in process.xpath(".//bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property"
                              "[@name='petition']", namespaces=NS):
        node = prop.getparent().getparent().getparent()
        if etree.QName(node).localname not in HUMAN_TASKS:
            problem(node, "свойство petition (чьё решение по ходатайству) действует только у задач для людей")
        elif not _IDENTIFIER.match(prop.get("value") or ""):
            problem(node, "свойство petition — вид ходатайства латиницей, например mentor_replacement")


def _check_code(node, problem) -> None:
    text = (node.text or "").strip()
    if node.tag in TIMER_TAGS:
        if not text:
            problem(node, "у таймера не задано выражение времени")
            return
        literal = text[1:-1] if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"" else text
        if ISO_TIMER_LITERAL.match(literal):
            return
        if literal is not text or re.match(r"(R\d*/)?P\d|\d{4}-", literal, re.IGNORECASE):
            problem(node, f"«{literal}» — не время и не длительность ISO 8601 (пример: P14D, P1M, 2025-06-10)")
            return
    elif not text:
        return
    is_script = node.tag in SCRIPT_TAGS
    for message in sandbox.check_code(text, expression=not is_script):
        what = "скрипт" if is_script else "выражение"
        problem(node, f"{what} «{etree.QName(node).localname}» {'отклонён' if is_script else 'отклонено'}: {message}")


def _check_rule_task(node, props, known_rulesets, problem) -> None:
    ruleset = (props.get("ruleset") or "").strip()
    if not ruleset:
        problem(node, "у задачи бизнес-правила нет свойства ruleset (идентификатор набора правил)")
    elif ruleset.startswith("pack:"):
        purpose = ruleset.removeprefix("pack:")
        if purpose not in RULESET_PURPOSES:
            problem(node, f"назначение набора правил «{purpose}» неизвестно; допустимы: "
                          f"{', '.join('pack:' + p for p in RULESET_PURPOSES)}")
    elif ruleset not in known_rulesets:
        problem(node, f"набор правил «{ruleset}» неизвестен")
    for key in ("facts", "result"):
        value = props.get(key)
        if value is not None and not _IDENTIFIER.match(value):
            problem(node, f"свойство {key} должно быть именем переменной (латиница, цифры, «_»), а не «{value}»")


def _check_gateway(node, process, problem) -> None:
    outgoing = process.xpath(".//bpmn:sequenceFlow[@sourceRef=$source]", namespaces=NS,
                             source=node.get("id") or "")
    if len(outgoing) < 2:
        return
    default = node.get("default")
    for flow in outgoing:
        condition = (flow.findtext(f"{{{BPMN_NS}}}conditionExpression") or "").strip()
        if flow.get("id") != default and not condition:
            problem(flow, "у ветки после развилки нет условия (и она не отмечена как ветка по умолчанию)")
