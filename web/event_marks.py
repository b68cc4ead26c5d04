"""The stage's events table as one form: per event a checkbox ``done-<id>``, the day it took place
``held_on-<id>`` (an ``<input type="date">``, or ДД.ММ.ГГГГ typed by hand) and a comment ``comment-<id>``;
``event`` lists the ids the page showed. Only the shape is read here: which events may be marked, and on
which days, the service decides."""
from __future__ import annotations

from datetime import date, datetime

from werkzeug.datastructures import MultiDict

from engine.errors import NastavnikError
from engine.services.mentorship.roadmap_events import EventMark

Submitted = dict[int, dict[str, str]]


def submitted(form: MultiDict) -> Submitted:
    """What the page sent, by event id (kept to show the form again after an error)."""
    rows: Submitted = {}
    for raw in form.getlist("event"):
        if not raw.isdigit():
            raise NastavnikError(f"неверный номер мероприятия «{raw[:20]}»", where="events")
        event_id = int(raw)
        rows[event_id] = {"done": "y" if form.get(f"done-{event_id}") else "",
                          "held_on": (form.get(f"held_on-{event_id}") or "").strip(),
                          "comment": form.get(f"comment-{event_id}") or ""}
    return rows


def _day(text: str, number: str) -> date | None:
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise NastavnikError(f"Мероприятие {number}: дата «{text[:20]}» не распознана, укажите её как ДД.ММ.ГГГГ",
                         where="events")


def parse(rows: Submitted, numbers: dict[int, str]) -> list[EventMark]:
    """The marks to save; ``numbers`` names the program's events for the errors (an unknown id is the
    service's 404)."""
    return [EventMark(event_id, bool(row["done"]), _day(row["held_on"], numbers.get(event_id, str(event_id))),
                      comment=row["comment"]) for event_id, row in rows.items()]
