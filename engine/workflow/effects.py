"""The contract between a diagram and the system's services: the process's kind and the domain effects its elements
carry (issue 16 item 3). No SpiffWorkflow here; ``bpmn_conventions`` calls ``check_contract`` on the parsed XML.

A service never names an element id of a diagram: it asks the deployed spec for «the elements carrying effect X»
(``ProcessSpec.elements_with``). An element carries its effects in a property of its own, as any other
project property (workflows/README.md «Контракт процесса»):

    <spiffworkflow:property name="effect" value="stage_reminder"/>          (several: «a, b»)

and the executable process declares its kind, the service that starts it:

    <bpmn:process id="program_lifecycle" …>
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="kind" value="program"/>

A process of a kind must offer every effect its kind requires (``KINDS``) and every message its service sends;
an effect the vocabulary does not know, one on an element of the wrong type, and an unknown kind are refused.
What a task for people changes in the records when completed is its ``hook`` (``engine.services.process.hooks``);
a kind may require hooks too.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from lxml import etree

from engine.workflow.bpmn_xml import BPMN_NS, NS

EFFECT_PROPERTY = "effect"
KIND_PROPERTY = "kind"
HUMAN = ("userTask", "manualTask")
_SEPARATOR = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class Effect:
    name: str
    title: str  # Russian, as the properties panel and the check show it
    elements: tuple[str, ...]  # BPMN element types (local names) that may carry it


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    effects: tuple[str, ...] = ()  # the effects a process of this kind must offer
    hooks: tuple[str, ...] = ()  # the hooks (on completion) it must offer
    messages: tuple[str, ...] = ()  # the messages its service sends: each must be caught, and no other from outside


EFFECTS: dict[str, Effect] = {e.name: e for e in (
    Effect("stage", "Этап программы: просрочка отмечается на нём", ("subProcess",)),
    Effect("stage_reminder", "Напоминание о сроке этапа: наставнику уведомление со сроком", HUMAN),
    Effect("stage_escalation", "Этап просрочен: уведомление наставнику и кураторам", HUMAN),
    Effect("mentor_consent", "Согласие наставника: задача назначается наставнику пары", HUMAN),
    Effect("mentees_consent", "Согласие наставляемого: задача назначается каждому наставляемому", HUMAN),
    Effect("new_mentor_consent", "Согласие нового наставника: задача назначается тому, кого назвало решение", HUMAN),
    Effect("petition_early_completion", "Рассматривается ходатайство о досрочном завершении (второе не принимается)",
           HUMAN),
    Effect("petition_extension", "Рассматривается ходатайство о продлении (второе не принимается)", HUMAN),
    Effect("petition_mentor_replacement", "Рассматривается ходатайство о замене наставника (второе не принимается)",
           HUMAN),
    Effect("petition_mentor_release", "Рассматривается заявление наставника о сложении обязанностей "
                                      "(второе не принимается)", HUMAN),
    Effect("mentor_report", "Отчёт наставника за период: открывается по календарю положения", HUMAN),
    Effect("mentor_report_overdue", "Отчёт наставника просрочен: отмечается в календаре", HUMAN),
)}

PETITION_EFFECT = "petition_{}"  # the effect of the steps considering a petition of that kind

KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("mentor_appointment", "назначение наставника", hooks=("record_mentor_decision", "sign_order")),
    Kind("pair_formation", "формирование пары (группы) с согласия участников",
         effects=("mentor_consent", "mentees_consent"), hooks=("record_pair_decisions", "record_consent", "sign_order")),
    Kind("network_grouping", "формирование группы стажёров по направлению (004)", hooks=("record_network_group",)),
    Kind("program", "реализация программы наставничества",
         effects=("stage", "stage_reminder", "stage_escalation", "new_mentor_consent", "petition_early_completion",
                  "petition_extension", "petition_mentor_replacement", "petition_mentor_release"),
         hooks=("record_stage_work", "review_stage_report", "record_bonus_decision", "sign_order"),
         messages=("early_completion", "extension", "mentor_replacement", "mentor_release")),
    Kind("network_program", "год стажёра сетевого наставничества (004)",
         hooks=("record_development_plan", "record_trainee_review")),
    Kind("calendar", "календарь положения: мониторинг и сверка базы",
         hooks=("record_monitoring_report", "record_base_review")),
    Kind("mentor_report", "периодический отчёт наставника",
         effects=("mentor_report", "mentor_report_overdue"), hooks=("record_mentor_period_report",)),
    Kind("school_roadmap", "дорожная карта модели наставничества организации за учебный год"),
    Kind("organization_order", "приказ о модели наставничества организации (004 прил. 1 п. 3.1.1)",
         hooks=("sign_order",)),
)}


def effects_of(value: str | None) -> tuple[str, ...]:
    """The effect names a property value lists («a, b»), in order, without repeats."""
    names = [name for name in _SEPARATOR.split(value or "") if name]
    return tuple(dict.fromkeys(names))


def _properties(node: etree._Element) -> dict[str, str]:
    return {p.get("name"): p.get("value") or "" for p in node.xpath(
        "./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", namespaces=NS)}


def declared_kind(process: etree._Element) -> str | None:
    """The kind a process declares (its ``kind`` property), or None."""
    return (_properties(process).get(KIND_PROPERTY) or "").strip() or None


Report = Callable[[etree._Element, str], None]  # (element, Russian message)


def check_contract(process: etree._Element, root: etree._Element, problem: Report, *,
                   known_hooks: Collection[str] | None = None) -> None:
    """The effects the process's elements carry, and — when it declares a kind — what the kind requires."""
    offered: set[str] = set()
    hooks: set[str] = set()
    for node in process.iter(f"{{{BPMN_NS}}}*"):
        props = _properties(node)
        if props.get("hook"):
            hooks.add(props["hook"].strip())
        if EFFECT_PROPERTY in props and node is not process:
            offered |= _element_effects(node, props[EFFECT_PROPERTY], problem)
    kind_name = declared_kind(process)
    if kind_name is None:
        return
    kind = KINDS.get(kind_name)
    if kind is None:
        problem(process, f"вид процесса «{kind_name}» (свойство kind) неизвестен; известны: {', '.join(KINDS)}")
        return
    for name in kind.effects:
        if name not in offered:
            problem(process, f"процесс вида «{kind.title}» должен содержать элемент с действием системы «{name}» "
                             f"({EFFECTS[name].title}): добавьте свойство effect=\"{name}\" нужному элементу")
    for hook in kind.hooks:
        if hook not in hooks and (known_hooks is None or hook in known_hooks):
            problem(process, f"процесс вида «{kind.title}» должен содержать задачу для людей с обработчиком "
                             f"«{hook}» (свойство hook)")
    _check_messages(process, root, kind, problem)


def _element_effects(node: etree._Element, value: str, problem: Report) -> set[str]:
    """The known effects an element's ``effect`` property lists, each unknown or misplaced one reported."""
    names = effects_of(value)
    if not names:
        problem(node, "свойство effect пусто: выберите действие системы или удалите свойство")
    element_type = etree.QName(node).localname
    found = set()
    for name in names:
        effect = EFFECTS.get(name)
        if effect is None:
            problem(node, f"действие системы «{name}» (свойство effect) неизвестно; известны: {', '.join(EFFECTS)}")
        elif element_type not in effect.elements:
            problem(node, f"действие «{name}» ({effect.title}) может нести только "
                          f"{', '.join(effect.elements)}, а не {element_type}")
        else:
            found.add(name)
    return found


def _check_messages(process: etree._Element, root: etree._Element, kind: Kind, problem: Report) -> None:
    """The messages the kind's service sends are each caught; a message caught from outside is one it sends."""
    names = {m.get("id"): (m.get("name") or "").strip() for m in root.iter(f"{{{BPMN_NS}}}message")}
    thrown = {d.get("messageRef") for d in process.xpath(
        ".//bpmn:intermediateThrowEvent/bpmn:messageEventDefinition | .//bpmn:endEvent/bpmn:messageEventDefinition"
        " | .//bpmn:sendTask", namespaces=NS)}
    caught: set[str] = set()
    for definition in process.xpath(".//bpmn:messageEventDefinition | .//bpmn:receiveTask", namespaces=NS):
        ref = definition.get("messageRef")
        owner = definition if definition.tag == f"{{{BPMN_NS}}}receiveTask" else definition.getparent()
        if ref in thrown or etree.QName(owner).localname in ("intermediateThrowEvent", "endEvent"):
            continue
        name = names.get(ref, "")
        caught.add(name)
        if name and name not in kind.messages:
            problem(owner, f"сообщение «{name}» система процессу вида «{kind.title}» не посылает"
                           + (f"; она посылает: {', '.join(kind.messages)}" if kind.messages else ""))
    for name in kind.messages:
        if name not in caught:
            problem(process, f"процесс вида «{kind.title}» должен принимать сообщение «{name}» "
                             "(событие-сообщение, ссылающееся на bpmn:message с этим именем)")
