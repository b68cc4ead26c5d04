"""The audit trail in words: entries about programs, workflow instances and orders, newest first, each
told as a Russian sentence («Руководитель подписал приказ № 5») with who did it and the details that
matter (the reason of a refusal, the curator's comment on a returned report, the clause of a ground)."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, joinedload

from engine.db.models import AuditEntry, CompletionGround, WorkflowInstance
from engine.errors import NastavnikError
from engine.regulations import all_roadmaps
from engine.regulations.roadmaps import events_done_text
from engine.regulations.template_filters import plural
from engine.services.people.actor import ROLE_LABELS
from engine.vocabulary import counted
from engine.workflow.bpmn_xml import element_names

# what arrived, as a whole sentence: the verb agrees with the noun («Поступило ходатайство», «Поступила просьба»);
# the clause is the pack's (003 §5.1, 001 §6.2 for a replacement) and stands on the program page, not here
# petition message -> (the verb agreeing with the noun, the petition named as a noun)
PETITION_NAMES = {
    "early_completion": ("Поступило", "ходатайство о досрочном завершении программы"),
    "extension": ("Поступило", "ходатайство о продлении программы"),
    "mentor_replacement": ("Поступило", "ходатайство о замене наставника"),
    "mentor_release": ("Поступила", "просьба наставника об освобождении от обязанностей наставника"),
}


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: datetime
    action: str
    text: str
    actor: str  # the person's name, or «Система»
    details: str | None  # a second line: a reason, a comment, a number


def _stage_title(roadmap_id: str | None, stage_id: str | None) -> str:
    try:
        roadmap = all_roadmaps().get(roadmap_id or "")
        if roadmap is not None and stage_id:
            return roadmap.stage(stage_id).title
    except NastavnikError:
        pass
    return stage_id or "—"


class _Teller:
    """Turns one audit entry into words; knows the instances' definitions (element names)."""

    def __init__(self, session: Session | None, roadmap_id: str | None) -> None:
        self.session = session
        self.roadmap_id = roadmap_id

    def _instance(self, entry: AuditEntry) -> WorkflowInstance | None:
        object_id = entry.object_id or ""
        if self.session is None or not object_id.isdigit():
            return None
        return self.session.get(WorkflowInstance, int(object_id))

    def element_name(self, entry: AuditEntry) -> str:
        details = entry.details or {}
        element_id = details.get("element_id") or ""
        instance = self._instance(entry)
        if instance is not None:
            name = element_names(instance.definition.bpmn).get(element_id)
            if name:
                return name
        return element_id or "задача"

    def process_name(self, entry: AuditEntry) -> str:
        details = entry.details or {}
        instance = self._instance(entry)
        name = instance.definition.name if instance is not None else details.get("process_id", "процесс")
        version = details.get("definition_version")
        return f"«{name}»" + (f" (версия {version})" if version else "")

    def tell(self, entry: AuditEntry) -> tuple[str, str | None]:
        d = entry.details or {}
        teller = _PHRASES.get(entry.action)
        if teller is None:  # an action no phrase tells yet: still Russian, never its code
            return "Действие в системе", None
        return teller(self, entry, d)


def _order_label(d: dict) -> str:
    return f"приказ № {d['number']}" if d.get("number") else "приказ"


def _stage(teller: _Teller, d: dict) -> str:
    return f"«{_stage_title(teller.roadmap_id, d.get('stage_id'))}»"


def _petition_received(message: object) -> str:
    known = PETITION_NAMES.get(message) if isinstance(message, str) else None
    return f"{known[0]} {known[1]}" if known else "Поступило сообщение участника"


def _petition_name(message: object) -> str:
    known = PETITION_NAMES.get(message) if isinstance(message, str) else None
    return known[1] if known else "ходатайство участника"


def _attachment(d: dict) -> tuple[str, str | None]:
    to = f" к мероприятию {d['event']}" if d.get("event") else (" к отчёту об этапе" if d.get("stage_report_id") else "")
    return f"Приложен файл «{d.get('file_name') or 'без имени'}»{to}", None


def _event_marked(d: dict) -> tuple[str, str | None]:
    told = _event_told(d)
    return " ".join(told[0].split()), told[1]  # no «None» where the entry names no event


def _event_told(d: dict) -> tuple[str, str | None]:
    d = {**d, "event": d.get("event") or ""}
    note = f"заметка: {d['note']}" if d.get("note") else None
    if d.get("change") == "note":
        return f"Изменена заметка к мероприятию {d.get('event')}", note
    if d.get("status") == "done" and d.get("done_on"):
        held = date.fromisoformat(d["done_on"]).strftime("%d.%m.%Y")
        return f"Мероприятие {d.get('event')} отмечено проведённым {held}", note
    if d.get("status") == "done":  # before issue 10 the day was not recorded
        return f"Мероприятие {d.get('event')} отмечено проведённым", note
    return f"Отметка о проведении мероприятия {d.get('event')} снята", note


def _bonus_recomputed(d: dict) -> tuple[str, str | None]:
    count = int(d.get("salaries") or 0)
    amount = f"{count} {plural(count, 'оклад', 'оклада', 'окладов')}"  # «3 оклада», «5 окладов»
    line = f"Премирование наставника пересчитано: {amount} (наставляемых за срок: {d.get('mentee_count')})"
    return line, ("решение по правилам: есть основания для отмены, решает руководитель"
                  if d.get("verdict") == "revocation_possible" else None)


Phrase = Callable[[_Teller, AuditEntry, dict], tuple[str, "str | None"]]

_PHRASES: dict[str, Phrase] = {
    "workflow.started": lambda t, e, d: (f"Запущен процесс {t.process_name(e)}", None),
    "workflow.task_completed": lambda t, e, d: (
        f"Выполнена задача «{t.element_name(e)}»",
        f"роль: {ROLE_LABELS.get(d['role'], d['role'])}" if d.get("role") else None),
    "workflow.message": lambda t, e, d: (_petition_received(d.get("message")), None),
    "workflow.timers_fired": lambda t, e, d: ("Наступил срок (сработал таймер процесса)", None),
    "workflow.cancelled": lambda t, e, d: ("Процесс остановлен и заменён", d.get("reason") or None),
    "workflow.deployed": lambda t, e, d: ("Загружена версия процесса", None),
    "workflow.draft_saved": lambda t, e, d: ("Сохранён черновик версии процесса", None),
    "workflow.migrated": lambda t, e, d: (
        f"Процесс переведён с версии {d.get('from_version')} на версию {d.get('to_version')}",
        "методист перевёл выполняющуюся программу на новую версию схемы процесса"),
    "attachment.uploaded": lambda t, e, d: _attachment(d),
    "program.created": lambda t, e, d: ("Создана программа наставничества",
                                        f"начало: {d['started_on']}" if d.get("started_on") else None),
    "program.form_changed": lambda t, e, d: (  # a content correction by order (003 §7.2)
        "Форма наставничества изменена приказом (003 §7.2)",
        f"было — {d.get('was_label') or d.get('was') or 'не указана'}; стало — {d.get('becomes_label') or d.get('becomes')}"),
    "program.extended": lambda t, e, d: (
        "Срок программы продлён" + (f" на {counted(d['months'], 'месяц', 'месяца', 'месяцев')}"
                                     if isinstance(d.get("months"), int) else ""), None),
    "program.finished": lambda t, e, d: (
        "Программа завершена", _ground_text(d.get("ground"))),
    "stage_report.submitted": lambda t, e, d: (
        f"Представлен отчёт по этапу {_stage(t, d)}" + (f" (попытка {d['attempt']})" if d.get("attempt") else ""),
        ("отмечены мероприятия: " + ", ".join(d["events_done"])) if d.get("events_done") else None),
    "stage_report.approved": lambda t, e, d: (
        f"Отчёт по этапу {_stage(t, d)} принят" + (" при неполном выполнении этапа" if d.get("incomplete") else ""),
        _approval_details(d)),
    "stage_report.reopened": lambda t, e, d: (f"Этап {_stage(t, d)} возвращён куратором на доработку",
                                              f"причина: {d['comment']}" if d.get("comment") else None),
    "petition.refused": lambda t, e, d: (f"Куратор отказал: {_petition_name(d.get('petition'))}",
                                         f"причина: {d['reason']}" if d.get("reason") else None),
    "stage_report.withdrawn": lambda t, e, d: (
        f"Проверка отчёта по этапу {_stage(t, d)} прервана: отчёт снова у наставника как черновик",
        d.get("why") or None),
    "stage_report.returned": lambda t, e, d: (f"Отчёт по этапу {_stage(t, d)} возвращён на доработку",
                                              f"комментарий: {d['comment']}" if d.get("comment") else None),
    "roadmap_event.marked": lambda t, e, d: _event_marked(d),
    "roadmap_event.commented": lambda t, e, d: (f"Комментарий к мероприятию {d.get('event')}",
                                                d.get("comment") or None),
    "plan_correction.proposed": lambda t, e, d: (
        f"Предложена корректировка плана мероприятий №{d.get('correction')}"
        + (f" (попытка {d['attempt']})" if (d.get("attempt") or 1) > 1 else ""),
        f"изменений: {d['changes']}" if d.get("changes") else None),
    "plan_correction.agreed": lambda t, e, d: (
        f"Участник согласился с корректировкой плана №{d.get('correction')} (003 §7.2)", None),
    "plan_correction.not_agreed": lambda t, e, d: (
        f"Участник не согласился с корректировкой плана №{d.get('correction')}",
        f"причина: {d['reason']}" if d.get("reason") else None),
    "plan_correction.returned": lambda t, e, d: (
        f"Куратор вернул корректировку плана №{d.get('correction')}",
        f"причина: {d['reason']}" if d.get("reason") else None),
    "plan_correction.approved": lambda t, e, d: (
        f"Куратор утвердил корректировку плана №{d.get('correction')}: план мероприятий изменён",
        "; ".join(f"{r.get('event')}: было — {r.get('was')}; стало — {r.get('becomes')}"
                  for r in d.get("rows") or []) or None),
    "plan_correction.withdrawn": lambda t, e, d: (f"Корректировка плана №{d.get('correction')} отозвана", None),
    "mentor_bonus.recomputed": lambda t, e, d: _bonus_recomputed(d),
    "mentor_bonus.decided": lambda t, e, d: (
        "Руководитель " + ("отменил" if d.get("revoked") else "сохранил")
        + " увеличение премиального фонда наставника (003 §9.3)", f"основание: {d['reason']}" if d.get("reason") else None),
    "order.drafted": lambda t, e, d: ("Подготовлен проект приказа", None),
    "order.redrafted": lambda t, e, d: ("Проект приказа исправлен", None),
    "order.restated": lambda t, e, d: ("Даты проекта приказа приведены ко дню подписания", None),
    "order.submitted": lambda t, e, d: ("Приказ направлен на подпись руководителю", None),
    "order.numbered": lambda t, e, d: (f"Приказу присвоен номер {d.get('number')}", None),
    "order.signed": lambda t, e, d: (f"Руководитель подписал {_order_label(d)}",
                                     f"SHA-256: {d['document_sha256']}" if d.get("document_sha256") else None),
    "order.refused": lambda t, e, d: ("Руководитель отказал в подписании приказа",
                                      f"причина: {d['reason']}" if d.get("reason") else None),
}


def _approval_details(d: dict) -> str | None:
    """The curator's comment; for a stage accepted with events undone, the counts and her reason."""
    if d.get("incomplete"):
        counts = events_done_text(int(d.get("events_done") or 0), int(d.get("events_total") or 0))
        return f"{counts}; причина: {d.get('comment') or '—'}"
    return d.get("comment") or None


def _ground_text(ground: str | None) -> str | None:
    if not ground:
        return None
    try:
        value = CompletionGround(ground)
    except ValueError:
        return f"основание: {ground}"
    return f"основание: {GROUND_NAMES[value]} ({value.clause})"


GROUND_NAMES = {
    CompletionGround.PLAN_COMPLETED: "программа выполнена в полном объёме",
    CompletionGround.PARTICIPANTS_INITIATIVE: "по инициативе наставника или наставляемого",
    CompletionGround.IMPROPER_EXECUTION: "по инициативе куратора: ненадлежащее исполнение программы",
}


def describe_action(action: str) -> str:
    """The Russian phrase for an action code when no details are at hand (e.g. 'order.signed')."""
    return _Teller(None, None).tell(AuditEntry(action=action, details={}))[0]


def history(session: Session, *, program_ids: Iterable[int] = (), instance_ids: Iterable[int] = (),
            order_ids: Iterable[int] = (), roadmap_id: str | None = None,
            limit: int | None = None) -> list[HistoryEntry]:
    """Audit entries about the given programs, workflow instances and orders, newest first, in words.
    Permission is the caller's."""
    refs: list[tuple[str, list[str]]] = [("programs", [str(i) for i in program_ids]),
                                        ("workflow_instance", [str(i) for i in instance_ids]),
                                        ("orders", [str(i) for i in order_ids])]
    conditions = [and_(AuditEntry.object_type == kind, AuditEntry.object_id.in_(ids)) for kind, ids in refs if ids]
    if not conditions:
        return []
    stmt = (select(AuditEntry).where(or_(*conditions)).options(joinedload(AuditEntry.actor))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    if limit is not None:
        stmt = stmt.limit(limit)
    teller = _Teller(session, roadmap_id)
    out = []
    for entry in session.scalars(stmt):
        text, details = teller.tell(entry)
        out.append(HistoryEntry(entry.id, entry.at, entry.action, text,
                                entry.actor.full_name if entry.actor is not None else "Система", details))
    return out


def entry_teller(session: Session, roadmap_id: str | None = None) -> Callable[[AuditEntry], tuple[str, str | None]]:
    """Tells audit entries read elsewhere (e.g. a person's personal data export) in words, one by one, as
    ``history`` does: (the phrase, its details or None); ``roadmap_id`` names the stages. Permission is the caller's."""
    return _Teller(session, roadmap_id).tell
