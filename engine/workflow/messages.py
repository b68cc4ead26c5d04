"""SpiffWorkflow's and the XML schema's validation messages (English) as a methodologist
reads them: the first pattern found in the
message gives the Russian; the element (id, name) is named by the problem itself. An unknown message is never
shown in English: it reads as a general refusal of the element."""
from __future__ import annotations

import re

_MESSAGES: tuple[tuple[str, str], ...] = (
    ("multiinstance task must specify exactly one of cardinality or loop input",
     "у многоэкземплярной задачи должно быть задано что-то одно: число экземпляров или входная коллекция"),
    ("multiinstance task must specify",
     "у многоэкземплярной задачи не задано ни число экземпляров, ни входная коллекция"),
    ("No start event found", "в процессе нет начального события"),
    ("Exactly one start event is required", "в подпроцессе должно быть ровно одно начальное событие"),
    ("SubWorkflow Must contain an End event", "в подпроцессе нет конечного события"),
    ("Non-default exclusive outgoing sequence flow without condition",
     "у исходящего потока развилки нет условия, и он не назначен потоком по умолчанию"),
    ("Invalid Script Task", "в задаче-скрипте нет скрипта"),
    ("Service Task must have an operator", "у сервисной задачи не указан исполнитель (operator)"),
    ("is not executable", "процесс не помечен как исполняемый (isExecutable)"),
    ("Duplicate process ID", "идентификатор процесса повторяется"),
    ("Could not find messageRef", "событие ссылается на несуществующее сообщение"),
    ("Message identifier is missing", "у сообщения нет идентификатора"),
    ("Signal identifier is missing", "у сигнала нет идентификатора"),
    ("Error identifier is missing", "у ошибки нет идентификатора"),
    ("Escalation identifier is missing", "у эскалации нет идентификатора"),
    ("Correlation", "не задана корреляция сообщения"),
    ("Conditional event definition with missing condition", "у условного события нет условия"),
    ("Time Specification Error", "срок таймера записан неверно (нужен ISO 8601: P1M, 2026-06-01T09:00:00Z)"),
    ("Unknown Time Specification", "срок таймера записан неверно (нужен ISO 8601: P1M, 2026-06-01T09:00:00Z)"),
    ("Cannot resolve dataInputAssociation", "входной объект данных не найден"),
    ("Cannot resolve dataOutputAssociation", "выходной объект данных не найден"),
    ("Data Store", "хранилище данных описано не полностью"),
    ("Ad hoc subprocesses may not contain start or end events",
     "в нерегламентированном подпроцессе не бывает начальных и конечных событий"),
    ("Sequential ordering for ad hoc subprocesses not supported",
     "последовательный порядок нерегламентированного подпроцесса не поддерживается"),
    ("There is no support implemented for this task type", "такой тип задачи движок не поддерживает"),
    ("Multiple outgoing flows are not supported",
     "у задачи несколько исходящих потоков: разветвите путь шлюзом после неё (exclusiveGateway — один путь по условию, "
     "parallelGateway — все пути)"),
    ("Unsupported Catch Event", "такое граничное событие движок не поддерживает"),
    ("Malformed Output Expression", "выходное выражение записано неверно"),
    ("DMN", "таблица решений (DMN) не поддерживается"),
    ("decision", "таблица решений (DMN) не поддерживается"),
)
UNKNOWN = "движок не поддерживает этот элемент или его настройку"


def russian(message: str) -> str:
    """The Russian for one SpiffWorkflow message."""
    lowered = message.lower()
    return next((said for english, said in _MESSAGES if english.lower() in lowered), UNKNOWN)


# the XML schema's complaints (libxml2, English) about a BPMN file
_SCHEMA: tuple[tuple[str, str], ...] = (
    (r"Element '(?P<el>[^']+)': This element is not expected\.(?: Expected is(?: one of)? \( (?P<exp>[^)]*) \))?",
     "элемент {el} здесь не ожидается{exp}"),
    (r"Element '(?P<el>[^']+)': Missing child element\(s\)\.(?: Expected is(?: one of)? \( (?P<exp>[^)]*) \))?",
     "у элемента {el} не хватает вложенных элементов{exp}"),
    (r"Element '(?P<el>[^']+)', attribute '(?P<at>[^']+)': The attribute '[^']+' is not allowed",
     "у элемента {el} не может быть атрибута {at}"),
    (r"Element '(?P<el>[^']+)': The attribute '(?P<at>[^']+)' is required but missing",
     "у элемента {el} не указан обязательный атрибут {at}"),
    (r"Element '(?P<el>[^']+)', attribute '(?P<at>[^']+)': '(?P<val>[^']*)' is not a valid value",
     "у элемента {el} значение «{val}» атрибута {at} недопустимо"),
    (r"Element '(?P<el>[^']+)': '(?P<val>[^']*)' is not a valid value", "у элемента {el} недопустимое значение «{val}»"),
    (r"Element '(?P<el>[^']+)'", "элемент {el} не соответствует схеме"),
)


def russian_schema(message: str) -> str:
    """One XML schema error of a BPMN file in Russian, naming the element (``bpmn:userTask``) and what it expects."""
    for pattern, said in _SCHEMA:
        found = re.search(pattern, message)
        if found:
            parts = {key: value or "" for key, value in found.groupdict().items()}
            if "exp" in parts:
                parts["exp"] = f"; ожидается: {parts['exp']}" if parts["exp"] else ""
            return said.format(**parts)
    return "описание не соответствует схеме BPMN 2.0"
