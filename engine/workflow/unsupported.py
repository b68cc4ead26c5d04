"""Constructs SpiffWorkflow 3.2 parses without a word but runs wrongly or not at all: the check refuses them,
naming the element, with a Russian reason and what to write instead (``UNSUPPORTED``; workflows/README.md lists
them). Found by trying each one on the engine (tests/engine/workflow/test_unsupported.py shows each wrong run).

What SpiffWorkflow 3.2.0 does with them (its parser, ``bpmn/parser/event_parsers.py``, reads only some event
definitions per kind of event and silently makes the rest a plain event):

* an event subprocess's start event is never interrupting (``isInterrupting`` is not read): both flows go on;
* a link event is read as a plain event: the path after the link catch never runs, yet the process completes;
* a conditional event is evaluated only when it is reached: a condition that becomes true later never fires;
* ``adHocSubProcess`` fails when it is reached;
* a thrown message (``sendTask``, message throw and end events) that no event of the same process catches goes
  to a queue the system never reads; a signal likewise, and a signal end event throws nothing at all; the system
  cannot send signals from outside, so a signal nothing in the process throws is awaited forever;
* compensation is never performed; an error/escalation start event of an event subprocess (or one without a
  definition) is read as a plain start: the subprocess runs at once, when the process starts;
* a timer cycle on an intermediate event or the process's start event runs the path after it again on every
  round, inside the same instance;
* data objects and data stores are kept apart from the process data: forms and later steps do not see them;
* an element whose id is ``Start`` replaces the engine's own start task: the process cannot start;
* Camunda's ``formKey``/``formRef``, Zeebe's ``formDefinition`` and Camunda's/Zeebe's assignments are not read.

Not refused, because they run as BPMN says (see workflows/README.md): non-interrupting event subprocesses,
interrupting and non-interrupting boundary events (also on subprocesses), error/escalation/cancel boundary events,
transactions with a cancel end event, terminate end events, event-based gateways, several event definitions on
one catch event, receive tasks, inclusive gateways (split and join), standard loops, multi-instance tasks, timer
cycles on boundary events and on event subprocess starts, messages and signals thrown and caught in one process.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lxml import etree

from engine.workflow.bpmn_xml import BPMN_NS, ROLE_BY_LANE, Problem, element_ref, root_process_ids

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0"


@dataclass(frozen=True)
class Unsupported:
    """One refused construct: what it is, why it is refused, what to write instead (all Russian)."""

    key: str
    what: str
    reason: str
    instead: str

    def message(self, detail: str = "", hint: str = "") -> str:
        return f"{self.what}{detail} не поддерживается: {self.reason}. Вместо этого: {self.instead}{hint}"


UNSUPPORTED: dict[str, Unsupported] = {u.key: u for u in (
    Unsupported("interrupting_event_subprocess", "прерывающее начальное событие подпроцесса по событию",
                "движок не прерывает основной поток, он продолжается рядом с подпроцессом",
                "отметьте событие isInterrupting=\"false\" (непрерывающее), а чтобы прервать работу — "
                "обведите её подпроцессом и поставьте на его границу прерывающее граничное событие"),
    Unsupported("link_event", "событие-ссылка (link)",
                "путь после принимающей ссылки никогда не выполняется, а процесс считается завершённым",
                "соедините элементы потоком управления (sequenceFlow)"),
    Unsupported("conditional_event", "условное событие (conditional)",
                "условие проверяется только в момент, когда процесс доходит до события; если оно станет истинным "
                "позже, событие не сработает никогда",
                "развилка (exclusiveGateway) с условием после шага, который меняет данные, "
                "или событие-сообщение или таймер"),
    Unsupported("ad_hoc_subprocess", "нерегламентированный подпроцесс (adHocSubProcess)",
                "движок завершается ошибкой, когда процесс доходит до него",
                "обычный подпроцесс с параллельным шлюзом (parallelGateway) или задачи на дорожках"),
    Unsupported("lost_message", "отправка сообщения",
                "сообщение, которое не принимает ни одно событие этого же процесса, теряется: система не передаёт "
                "его ни людям, ни другим процессам",
                "задача для человека (userTask) или задача-скрипт; сообщение внутри процесса — с событием или "
                "задачей получения (receiveTask) того же сообщения"),
    Unsupported("signal_end_event", "конечное событие-сигнал",
                "движок не отправляет сигнал конечного события, и его никто не получит",
                "промежуточное событие-сигнал (intermediateThrowEvent) перед простым конечным событием"),
    Unsupported("lost_signal", "отправка сигнала",
                "сигнал, который не принимает ни одно событие этого же процесса, теряется: система не передаёт "
                "сигналы другим процессам",
                "событие получения того же сигнала в этом процессе или удалите отправку"),
    Unsupported("unthrown_signal", "ожидание сигнала",
                "сигнал, который не отправляет ни одно событие этого же процесса, не придёт никогда: система "
                "не принимает сигналы извне",
                "событие-сообщение (система отправляет сообщения по имени, раздел 6 README) или отправка "
                "этого сигнала в этом же процессе"),
    Unsupported("compensation", "компенсация (compensate)",
                "движок не выполняет компенсацию: бросок проходит молча, обработчик не запускается",
                "явный путь отмены: развилка и задачи, которые отменяют сделанное"),
    Unsupported("start_runs_at_once", "начальное событие подпроцесса по событию",
                "движок не читает у него ошибку и эскалацию (и событие без определения) и запускает подпроцесс "
                "сразу при старте процесса",
                "граничное событие ошибки или эскалации (boundaryEvent) на подпроцессе, который её бросает; "
                "подпроцесс по событию начинайте сообщением, сигналом или таймером"),
    Unsupported("ignored_event_definition", "определение события",
                "движок не читает его у события этого вида и выполняет событие как простое",
                "событие того вида, которое поддерживает это определение (раздел «Не поддерживается» README)"),
    Unsupported("repeating_timer", "повторяющийся таймер (timeCycle)",
                "на промежуточном и начальном событии процесса каждый повтор заново запускает путь после "
                "события в том же экземпляре процесса",
                "таймер-длительность (timeDuration) или дата (timeDate); повторы — неперерывающий граничный "
                "таймер на задаче или начальное событие неперерывающего подпроцесса по событию"),
    Unsupported("data_object", "объект или хранилище данных",
                "движок держит их отдельно от данных процесса: формы и следующие шаги их не видят",
                "переменные процесса (их пишут формы и скрипты, читают условия и следующие шаги)"),
    Unsupported("camunda_form", "форма Camunda",
                "движок её не читает: у задачи не будет формы",
                "свойство form в extensionElements задачи"),
    Unsupported("reserved_id", "идентификатор элемента «Start»",
                "так движок называет собственное начало процесса: элемент с этим идентификатором занимает его место, "
                "и процесс не запускается",
                "другой идентификатор, например StartEvent_1"),
    Unsupported("camunda_assignment", "назначение исполнителя Camunda",
                "движок его не читает: исполнителя задачи определяет дорожка (роль)",
                "положите задачу на дорожку роли"),
)}

_DEFINITIONS = ("message", "signal", "timer", "conditional", "error", "escalation", "compensate", "cancel",
                "link", "terminate")
# Which event definitions SpiffWorkflow 3.2's parser reads, per kind of event (event_parsers.py); the rest it
# turns into a plain event silently.
_READ = {
    "startEvent": {"message", "signal", "timer", "conditional"},
    "endEvent": {"message", "cancel", "error", "escalation", "terminate"},
    "intermediateCatchEvent": {"message", "signal", "timer", "conditional"},
    "intermediateThrowEvent": {"escalation", "message", "signal", "timer"},
    "boundaryEvent": {"cancel", "error", "escalation", "message", "signal", "timer", "conditional"},
}
RESERVED_IDS = {"Start"}  # SpiffWorkflow's own start task spec in every (sub)process; its "End" is replaced harmlessly
_FLOW_NODES = {"task", "userTask", "manualTask", "scriptTask", "businessRuleTask", "serviceTask", "sendTask",
               "receiveTask", "subProcess", "transaction", "adHocSubProcess", "callActivity", "exclusiveGateway",
               "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway", *_READ}
_LANE_BY_ROLE = {role: lane for lane, role in ROLE_BY_LANE.items()}
_ASSIGNMENT_ATTRIBUTES = ("candidateGroups", "candidateUsers", "assignee")
_FORM_ATTRIBUTES = ("formKey", "formRef")

Report = Callable[..., None]  # (node, key, detail="", hint="")


def _bpmn(local: str) -> str:
    return f"{{{BPMN_NS}}}{local}"


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def _definitions(event: etree._Element) -> list[tuple[str, etree._Element]]:
    found = []
    for child in event:
        name = _local(child)
        if child.tag.startswith(f"{{{BPMN_NS}}}") and name.endswith("EventDefinition"):
            found.append((name.removesuffix("EventDefinition"), child))
    return found


def _key(definition: etree._Element, event: etree._Element, names: dict[str, str | None], attribute: str) -> str:
    """The name SpiffWorkflow matches messages and signals by: the referenced element's name, else the event's."""
    ref = definition.get(attribute)
    if ref:
        return names.get(ref) or ref
    return event.get("name") or ""


def check_unsupported(root: etree._Element, filename: str) -> list[Problem]:
    """A problem for every construct of ``UNSUPPORTED`` in the file's executable processes."""
    problems: list[Problem] = []

    def report(node: etree._Element, key: str, detail: str = "", hint: str = "") -> None:
        element_id, name = element_ref(node)
        problems.append(Problem(filename, element_id, name, UNSUPPORTED[key].message(detail, hint)))

    roots, executable = root_process_ids(root)
    for process in executable:
        for node in process.iter():
            if isinstance(node.tag, str) and node.tag.startswith(f"{{{BPMN_NS}}}"):
                _check_node(node, _local(node), process.get("id") in roots, report)
    for store in root.iter(_bpmn("dataStore")):
        report(store, "data_object", " «dataStore»")
    _check_messages_and_signals(root, executable, report)
    return problems


def _check_node(node: etree._Element, kind: str, in_root: bool, report: Report) -> None:
    if node.get("id") in RESERVED_IDS and kind in _FLOW_NODES:
        report(node, "reserved_id")
    if kind in _READ:
        _check_event(node, kind, in_root, report)
    elif kind == "adHocSubProcess":
        report(node, "ad_hoc_subprocess")
    elif kind in ("dataObject", "dataObjectReference", "dataStoreReference"):
        report(node, "data_object", f" «{kind}»")
    if kind in ("userTask", "manualTask", "startEvent"):
        _check_camunda(node, report)


def _message_and_signal_events(root: etree._Element, executable: list[etree._Element]) -> Iterator[
        tuple[str, str, str, etree._Element]]:
    """(throw or catch, message or signal, the name SpiffWorkflow matches by, the element) of every event, send and
    receive task that throws or catches one — as SpiffWorkflow reads them (a signal end event throws nothing)."""
    names = {"message": {m.get("id"): m.get("name") for m in root.iter(_bpmn("message"))},
             "signal": {s.get("id"): s.get("name") for s in root.iter(_bpmn("signal"))}}
    for process in executable:
        for node in process.iter():
            kind = _local(node)
            if kind in _READ and node.tag == _bpmn(kind):
                side = "throw" if kind in ("endEvent", "intermediateThrowEvent") else "catch"
                for what, definition in _definitions(node):
                    if what in ("message", "signal") and what in _READ[kind]:
                        yield side, what, _key(definition, node, names[what], f"{what}Ref"), node
            elif kind in ("sendTask", "receiveTask") and node.tag == _bpmn(kind):
                definition = node.find(_bpmn("messageEventDefinition"))
                holder = node if node.get("messageRef") or definition is None else definition
                yield ("throw" if kind == "sendTask" else "catch"), "message", _key(
                    holder, node, names["message"], "messageRef"), node


def _check_messages_and_signals(root: etree._Element, executable: list[etree._Element], report: Report) -> None:
    """Only this process catches what it throws (the system reads no thrown event), and signals come only from it."""
    events = list(_message_and_signal_events(root, executable))
    seen = {(side, what, key) for side, what, key, _node in events}
    for side, what, key, node in events:
        named = f" «{key}»" if key else ""
        if side == "throw" and ("catch", what, key) not in seen:
            report(node, "lost_message" if what == "message" else "lost_signal", named)
        elif side == "catch" and what == "signal" and ("throw", what, key) not in seen:
            report(node, "unthrown_signal", named)


def _check_event(event: etree._Element, kind: str, in_root: bool, report: Report) -> None:
    parent = event.getparent()
    in_event_subprocess = (kind == "startEvent" and parent is not None and _local(parent) == "subProcess"
                           and parent.get("triggeredByEvent") == "true")
    cycle_repeats = kind == "intermediateCatchEvent" or (
        kind == "startEvent" and in_root and parent is not None and _local(parent) == "process")
    definitions = _definitions(event)
    for what, definition in definitions:
        refusal = _definition_refusal(what, kind, in_event_subprocess)
        if refusal is not None:
            report(event, *refusal)
        elif what == "timer" and cycle_repeats and definition.find(_bpmn("timeCycle")) is not None:
            report(event, "repeating_timer")
    if in_event_subprocess and not definitions:
        report(event, "start_runs_at_once", " без определения события")
    elif in_event_subprocess and event.get("isInterrupting", "true") != "false" and not any(
            d in ("error", "escalation", "compensate") for d, _ in definitions):
        report(event, "interrupting_event_subprocess")


_ALWAYS_REFUSED = {"link": "link_event", "conditional": "conditional_event", "compensate": "compensation"}


def _definition_refusal(what: str, kind: str, in_event_subprocess: bool) -> tuple[str, str] | None:
    """(key, detail) when SpiffWorkflow runs this event definition wrongly on this kind of event."""
    if what in _ALWAYS_REFUSED:
        return _ALWAYS_REFUSED[what], ""
    if what == "signal" and kind == "endEvent":
        return "signal_end_event", ""
    if what in ("error", "escalation") and in_event_subprocess:
        return "start_runs_at_once", f" «{what}»"
    if what not in _READ[kind] and what in _DEFINITIONS:
        return "ignored_event_definition", f" «{what}» у события {kind}"
    return None


def _check_camunda(task: etree._Element, report: Report) -> None:
    forms = [(f"camunda:{a}", task.get(f"{{{CAMUNDA_NS}}}{a}")) for a in _FORM_ATTRIBUTES]
    for form in task.iterfind(f"{_bpmn('extensionElements')}/{{{ZEEBE_NS}}}formDefinition"):
        forms += [(f"zeebe:formDefinition {a}", form.get(a)) for a in ("formKey", "formId") if form.get(a) is not None]
    for attribute, value in forms:
        if value is not None:
            form_id = value.removeprefix("camunda-forms:bpmn:").strip() or "…"
            report(task, "camunda_form", f" ({attribute}=\"{value}\")",
                   f': <spiffworkflow:property name="form" value="{form_id}"/> (раздел 2 README)')
    assigned = [(f"camunda:{a}", task.get(f"{{{CAMUNDA_NS}}}{a}")) for a in _ASSIGNMENT_ATTRIBUTES]
    for zeebe in task.iterfind(f"{_bpmn('extensionElements')}/{{{ZEEBE_NS}}}assignmentDefinition"):
        assigned += [(f"zeebe:{a}", zeebe.get(a)) for a in _ASSIGNMENT_ATTRIBUTES]
    for attribute, value in assigned:
        if value is None:
            continue
        named = [v.strip() for v in value.split(",")]
        lanes = [_LANE_BY_ROLE[v] for v in named if v in _LANE_BY_ROLE] + [v for v in named if v in ROLE_BY_LANE]
        hint = (f" «{lanes[0]}»" if lanes else
                " (" + ", ".join(f"«{lane}»" for lane in ROLE_BY_LANE if lane != "Система") + ")")
        hint += " и удалите атрибут"
        report(task, "camunda_assignment", f" ({attribute}=\"{value}\")", hint)


__all__ = ["CAMUNDA_NS", "RESERVED_IDS", "UNSUPPORTED", "ZEEBE_NS", "Unsupported", "check_unsupported"]
