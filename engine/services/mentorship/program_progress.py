"""A program's progress in plain words (issue 16, item 7), for its curator and its participants: the stages of its
roadmap — passed (with the day the curator accepted the stage's report), under way, ahead — each with its due date;
the steps open now in the process, who takes each (the role and, where the program names one, the person) and by
when. Built from the program page's own data (``program_views.ProgramPage``): no statement of its own.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from engine.db.models import ReportStatus, Role
from engine.services.mentorship.program_views import RUNNING_STATUSES, ProgramPage


@dataclass(frozen=True)
class StageStep:
    stage_id: str
    title: str
    state: str  # passed | current | ahead | not_passed (a finished program never reached it)
    due_on: date | None
    passed_on: date | None  # the day the stage's report was accepted
    overdue: bool = False


@dataclass(frozen=True)
class StepNow:
    name: str
    role: str | None
    person: str | None  # who exactly: the assignee, else the program's mentor or mentees for their roles
    due: date | datetime | None
    overdue: bool


@dataclass(frozen=True)
class Progress:
    running: bool
    stages: list[StageStep]
    now: list[StepNow]
    passed: int  # stages passed

    @property
    def current(self) -> StageStep | None:
        return next((s for s in self.stages if s.state == "current"), None)


def _accepted(page: ProgramPage) -> dict[str, date]:
    days: dict[str, date] = {}
    for report in page.reports:
        if report.status == ReportStatus.APPROVED.value and report.reviewed_at is not None:
            days[report.stage_id] = report.reviewed_at.date()
    return days


def _person(page: ProgramPage, role: str | None, assignee: str | None) -> str | None:
    if assignee:
        return assignee
    if role == Role.MENTOR.value and page.mentor is not None:
        return page.mentor.full_name
    if role == Role.MENTEE.value and page.mentees:
        return ", ".join(m.full_name for m in page.mentees)
    return None


def progress(page: ProgramPage) -> Progress:
    running = page.program.status in RUNNING_STATUSES
    accepted = _accepted(page)
    current = next((i for i, s in enumerate(page.stages) if s.is_current), None)
    stages = []
    for index, stage in enumerate(page.stages):
        if stage.id in accepted or (current is not None and index < current):
            state = "passed"
        elif running and index == current:
            state = "current"
        elif running:
            state = "ahead"
        else:
            state = "not_passed"
        overdue = state == "current" and stage.due_on is not None and stage.due_on < page.today
        stages.append(StageStep(stage.id, stage.title, state, stage.due_on, accepted.get(stage.id), overdue))
    now = []
    if page.process is not None and page.process.status == "running":
        now = [StepNow(task.name, task.role, _person(page, task.role, task.assignee), task.due, task.overdue)
               for task in page.process.ready]
    return Progress(running, stages, now, sum(1 for s in stages if s.state == "passed"))
