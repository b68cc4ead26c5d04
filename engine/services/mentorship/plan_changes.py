"""The changes a plan correction makes to a program's events (003 §7.2 «корректировка ее содержания (плана
мероприятий …)»), within the roadmap's frame: each checked against the program (never trusting what the client
sent: the event must be the program's, its stage not closed, its date inside the program term and the stage's
place in the order of stages) and applied on the curator's approval, giving the rows the extension order lists
(event, was, becomes, reason).

- **add** an event to a stage: of a kind the roadmap's stage lists (``kinds``; none listed — any name), no more
  than the stage's ``max_added`` events added in all, due inside the stage's window;
- **move** a planned event's due date inside its stage's window;
- **replace** a planned event by another (its name, and the due date if given);
- **remove** a planned event the roadmap marks ``optional`` (it is kept as «не проводилось»), or one a
  correction added (it is deleted).

A stage's window: from the previous stage's end (the latest due date of its events; the program's start for the
first stage) to the stage's own end (the latest due date of its events), never outside the program's term and
never before today.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from engine.db.models import Program, RoadmapEventRecord
from engine.db.models.program import EventStatus, ReportStatus
from engine.errors import NastavnikError
from engine.regulations.roadmaps import Roadmap, RoadmapStage
from engine.services.mentorship import programs

OPS = {"add": "добавить", "move": "перенести", "replace": "заменить", "remove": "исключить"}
NAME_MAX, REASON_MAX = 500, 2000


@dataclass(frozen=True)
class PlanChange:
    """One change as a participant asks for it (the web form or the API give these; nothing in it is trusted)."""

    op: str
    reason: str
    event_id: int | None = None  # move, replace, remove
    stage_id: str | None = None  # add
    kind: str | None = None  # add, replace: one of the stage's kinds when the roadmap lists them
    name: str | None = None  # add, replace
    due_on: date | None = None  # add, move (replace: optional)

    def as_json(self) -> dict[str, Any]:
        data = {"op": self.op, "reason": self.reason, "event_id": self.event_id, "stage_id": self.stage_id,
                "kind": self.kind, "name": self.name, "due_on": self.due_on.isoformat() if self.due_on else None}
        return {key: value for key, value in data.items() if value is not None}

    @classmethod
    def of(cls, data: dict[str, Any]) -> PlanChange:
        due = data.get("due_on")
        return cls(op=str(data.get("op") or ""), reason=str(data.get("reason") or ""),
                   event_id=data.get("event_id"), stage_id=data.get("stage_id"), kind=data.get("kind"),
                   name=data.get("name"), due_on=date.fromisoformat(due) if isinstance(due, str) else due)


def _ru(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def event_label(event: RoadmapEventRecord) -> str:
    return f"{event.number} «{event.name}»"


def _stages(roadmap: Roadmap) -> list[str]:
    return [stage.id for stage in roadmap.stages]


def closed_stage(program: Program, stage_id: str) -> bool:
    """A stage before the current one, or one whose report the curator accepted: its plan no longer changes."""
    ids = _stages(programs.roadmap(program.roadmap_id))
    current = ids.index(program.current_stage_id) if program.current_stage_id in ids else 0
    if stage_id in ids and ids.index(stage_id) < current:
        return True
    reports = [r for r in program.reports if r.stage_id == stage_id]
    return bool(reports and reports[-1].status == ReportStatus.APPROVED)


def stage_window(program: Program, stage_id: str) -> tuple[date | None, date | None]:
    """The first and last day an event of ``stage_id`` may be due (see the module's docstring)."""
    ids = _stages(programs.roadmap(program.roadmap_id))
    index = ids.index(stage_id)
    first = program.started_on
    if index > 0:
        first = max((e.due_on for e in program.events if e.stage_id == ids[index - 1] and e.due_on), default=first)
    last = max((e.due_on for e in program.events if e.stage_id == stage_id and e.due_on), default=None)
    if program.planned_end_on is not None and (last is None or last > program.planned_end_on):
        last = program.planned_end_on
    return first, last


def is_added(roadmap: Roadmap, event: RoadmapEventRecord) -> bool:
    """An event a correction added (the roadmap has no event of its number)."""
    return event.number not in {e.number for e in roadmap.events}


class _Checker:
    """Checks the changes of one correction against the program; collects every problem in Russian."""

    def __init__(self, session: Session, program: Program, today: date) -> None:
        self.session, self.program, self.today = session, program, today
        self.roadmap = programs.roadmap(program.roadmap_id)
        self.problems: list[str] = []
        self.seen: set[int] = set()
        self.added: dict[str, int] = {}

    def fail(self, text: str) -> None:
        self.problems.append(text)

    def event(self, where: str, change: PlanChange) -> RoadmapEventRecord | None:
        event_id = change.event_id
        if isinstance(event_id, bool) or not isinstance(event_id, int):
            self.fail(f"{where}: выберите мероприятие")
            return None
        event = self.session.get(RoadmapEventRecord, event_id)
        if event is None or event.program_id != self.program.id:
            self.fail(f"{where}: в программе №{self.program.id} нет мероприятия №{event_id}")
            return None
        label = f"{where} (мероприятие {event.number})"
        if event.id in self.seen:
            self.fail(f"{label}: мероприятие изменяется в корректировке дважды")
        self.seen.add(event.id)
        if event.status != EventStatus.PLANNED:
            self.fail(f"{label}: мероприятие уже {'выполнено' if event.status == EventStatus.DONE else 'не проводилось'}"
                      " — изменяются только запланированные")
        if closed_stage(self.program, event.stage_id):
            self.fail(f"{label}: этап мероприятия завершён — его план не корректируется")
        return event

    def date_in_window(self, label: str, stage_id: str, due: date | None) -> None:
        if due is None:
            self.fail(f"{label}: укажите срок (поле «Срок»)")
            return
        first, last = stage_window(self.program, stage_id)
        stage = self.roadmap.stage(stage_id)
        if due < self.today:
            self.fail(f"{label}: срок {_ru(due)} уже прошёл (сегодня {_ru(self.today)})")
        if self.program.started_on and due < self.program.started_on or \
                self.program.planned_end_on and due > self.program.planned_end_on:
            term = (f"{_ru(self.program.started_on)} – {_ru(self.program.planned_end_on)}"
                    if self.program.started_on and self.program.planned_end_on else "не задан")
            self.fail(f"{label}: срок {_ru(due)} вне срока реализации программы ({term})")
        elif first and due < first or last and due > last:
            self.fail(f"{label}: срок {_ru(due)} вне этапа «{stage.title}» "
                      f"({_ru(first) if first else '…'} – {_ru(last) if last else '…'}): порядок этапов не меняется")

    def name_and_kind(self, label: str, stage: RoadmapStage, change: PlanChange) -> None:
        name = (change.name or "").strip()
        if not name:
            self.fail(f"{label}: укажите наименование мероприятия (поле «Мероприятие»)")
        elif len(name) > NAME_MAX:
            self.fail(f"{label}: наименование длиннее {NAME_MAX} символов")
        if stage.kinds and change.kind not in stage.kinds:
            self.fail(f"{label}: вид мероприятия «{change.kind or ''}» не предусмотрен дорожной картой для этапа "
                      f"«{stage.title}»; допустимы: {', '.join(stage.kinds)}")

    def reason(self, where: str, change: PlanChange) -> None:
        reason = (change.reason or "").strip()
        if not reason:
            self.fail(f"{where}: укажите причину (поле «Причина»)")
        elif len(reason) > REASON_MAX:
            self.fail(f"{where}: причина длиннее {REASON_MAX} символов")

    def check(self, index: int, change: PlanChange) -> None:
        where = f"изменение {index}"
        if change.op not in OPS:
            self.fail(f"{where}: неизвестное действие «{change.op}»; допустимы: {', '.join(OPS.values())}")
            return
        self.reason(where, change)
        if change.op == "add":
            self.check_add(where, change)
            return
        event = self.event(where, change)
        if event is None:
            return
        label = f"{where} (мероприятие {event.number})"
        stage = self.roadmap.stage(event.stage_id)
        if change.op == "move":
            if change.due_on == event.due_on:
                self.fail(f"{label}: новый срок совпадает с прежним")
            self.date_in_window(label, event.stage_id, change.due_on)
        elif change.op == "replace":
            self.name_and_kind(label, stage, change)
            if change.due_on is not None and change.due_on != event.due_on:
                self.date_in_window(label, event.stage_id, change.due_on)
        elif not is_added(self.roadmap, event) and not self.roadmap.event(event.number).optional:
            self.fail(f"{label}: дорожная карта не отмечает мероприятие как необязательное — исключить его нельзя; "
                      "его можно перенести или заменить")

    def check_add(self, where: str, change: PlanChange) -> None:
        if change.stage_id not in _stages(self.roadmap):
            self.fail(f"{where}: выберите этап дорожной карты (поле «Этап»)")
            return
        stage = self.roadmap.stage(change.stage_id)
        label = f"{where} (этап «{stage.title}»)"
        if closed_stage(self.program, stage.id):
            self.fail(f"{label}: этап завершён — его план не корректируется")
        self.name_and_kind(label, stage, change)
        self.date_in_window(label, stage.id, change.due_on)
        self.added[stage.id] = self.added.get(stage.id, 0) + 1
        if stage.max_added is not None:
            already = sum(1 for e in self.program.events if e.stage_id == stage.id and is_added(self.roadmap, e))
            if already + self.added[stage.id] > stage.max_added:
                self.fail(f"{label}: дорожная карта допускает не более {stage.max_added} добавленных мероприятий "
                          f"этапа (уже добавлено: {already})")


def check_changes(session: Session, program: Program, changes: Sequence[PlanChange], today: date) -> None:
    """Raise ``NastavnikError`` naming every change that is wrong (by its number, event and field)."""
    checker = _Checker(session, program, today)
    if not changes:
        checker.fail("в корректировке нет ни одного изменения")
    for index, change in enumerate(changes, start=1):
        checker.check(index, change)
    if checker.problems:
        text = "; ".join(checker.problems)
        raise NastavnikError(text[0].upper() + text[1:], where="changes")


def _named(change: PlanChange, stage: RoadmapStage) -> str:
    name = (change.name or "").strip()
    return f"{change.kind}: {name}" if stage.kinds and change.kind else name


def _next_number(program: Program, stage: RoadmapStage) -> str:
    taken = [int(e.number.rsplit(".", 1)[1]) for e in program.events
             if e.stage_id == stage.id and e.number.startswith(stage.number + ".") and e.number.rsplit(".", 1)[1].isdigit()]
    return f"{stage.number}.{max(taken, default=0) + 1}"


def apply_changes(session: Session, program: Program, changes: Sequence[PlanChange]) -> list[dict[str, str]]:
    """Change the program's events (already checked); the rows: event, was, becomes, reason."""
    roadmap = programs.roadmap(program.roadmap_id)
    rows = []
    for change in changes:
        reason = change.reason.strip()
        if change.op == "add":
            stage = roadmap.stage(str(change.stage_id))
            in_stage = [e for e in program.events if e.stage_id == stage.id]
            after = max((e.seq for e in in_stage), default=0)
            for later in program.events:
                if later.seq > after:
                    later.seq += 1
            event = RoadmapEventRecord(stage_id=stage.id, seq=after + 1, number=_next_number(program, stage),
                                       name=_named(change, stage), due_on=change.due_on,
                                       report_form=stage.report_form)
            program.events.append(event)
            rows.append({"event": event_label(event), "was": "—",
                         "becomes": f"добавлено, срок — {_ru(change.due_on)}" if change.due_on else "добавлено",
                         "reason": reason})
            continue
        found = session.get(RoadmapEventRecord, change.event_id)
        assert found is not None
        event = found
        label, due = event_label(event), f"срок — {_ru(event.due_on)}" if event.due_on else "срок не задан"
        if change.op == "move":
            assert change.due_on is not None
            event.due_on = change.due_on
            rows.append({"event": label, "was": due, "becomes": f"срок — {_ru(change.due_on)}", "reason": reason})
        elif change.op == "replace":
            old_name = event.name
            event.name = _named(change, roadmap.stage(event.stage_id))
            event.due_on = change.due_on or event.due_on
            becomes = f"«{event.name}», срок — {_ru(event.due_on)}" if event.due_on else f"«{event.name}»"
            rows.append({"event": label, "was": f"«{old_name}», {due}", "becomes": becomes,
                         "reason": reason})
        elif is_added(roadmap, event):
            program.events.remove(event)
            session.delete(event)
            rows.append({"event": label, "was": due, "becomes": "исключено из плана", "reason": reason})
        else:
            event.status = EventStatus.SKIPPED.value
            event.note = f"исключено из плана: {reason}"
            rows.append({"event": label, "was": due, "becomes": "исключено из плана", "reason": reason})
    session.flush()
    return rows


def describe(session: Session, program: Program, data: dict[str, Any]) -> str:
    """One proposed change in words, for the pages: «перенести 2.2 «…» на 20.03.2025»."""
    change = PlanChange.of(data)
    verb = OPS.get(change.op, change.op)
    if change.op == "add":
        stage = next((s for s in programs.roadmap(program.roadmap_id).stages if s.id == change.stage_id), None)
        kind = f"{change.kind}: " if change.kind else ""
        due = f", срок — {_ru(change.due_on)}" if change.due_on else ""
        return f"{verb} в этап «{stage.title if stage else change.stage_id}»: «{kind}{change.name or ''}»{due}"
    event = session.get(RoadmapEventRecord, change.event_id) if isinstance(change.event_id, int) else None
    label = event_label(event) if event is not None and event.program_id == program.id else f"№{change.event_id}"
    if change.op == "move":
        return f"{verb} {label} на {_ru(change.due_on) if change.due_on else '…'}"
    if change.op == "replace":
        due = f", срок — {_ru(change.due_on)}" if change.due_on else ""
        return f"{verb} {label} на «{change.name or ''}»{due}"
    return f"{verb} {label} из плана"
