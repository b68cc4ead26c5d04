"""Ids in an order's data turned into what the document prints: people, pairs (groups), programs and
appointments, so the templates stay free of the database."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from engine.db.models import MentorAppointment, MentoringGroup, Person, Program
from engine.errors import NotFound
from engine.regulations import form_label

_PERSON_KEYS = {"curator", "mentor", "new_mentor", "responsible"}
_PEOPLE_KEYS = {"mentors", "mentees"}


def _person(session: Session, value: Any, where: str) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        person = session.get(Person, value)
        if person is None:
            raise NotFound(f"нет участника с номером {value}", where=where)
        return person
    return value


def _group(session: Session, value: Any, where: str) -> Any:
    if not (isinstance(value, int) and not isinstance(value, bool)):
        return value
    group = session.get(MentoringGroup, value)
    if group is None:
        raise NotFound(f"нет наставнической пары (группы) с номером {value}", where=where)
    # the form as the organization's regulation words it (002 §4.1.5 «педагог – педагог»), not the system's id
    return {"mentor": group.mentor, "form": form_label(group.organization, group.form),
            "mentees": [m.person for m in group.members if m.left_on is None]}


def _program(session: Session, value: Any, where: str) -> Any:
    if not (isinstance(value, int) and not isinstance(value, bool)):
        return resolve_ids(session, value, where) if isinstance(value, dict) else value
    program = session.get(Program, value)
    if program is None:
        raise NotFound(f"нет персонализированной программы наставничества с номером {value}", where=where)
    return {**_group(session, program.group_id, where), "started_on": program.started_on,
            "planned_end_on": program.planned_end_on}


def _appointment(session: Session, value: Any, where: str) -> Any:
    if not (isinstance(value, int) and not isinstance(value, bool)):
        return resolve_ids(session, value, where) if isinstance(value, dict) else _person(session, value, where)
    appointment = session.get(MentorAppointment, value)
    if appointment is None:
        raise NotFound(f"нет назначения наставника с номером {value}", where=where)
    return {"person": appointment.person, "starts_on": appointment.starts_on, "ends_on": appointment.ends_on,
            "direction": appointment.direction}


def resolve_ids(session: Session, data: dict[str, Any], where: str) -> dict[str, Any]:
    """Replace ids by the records they name: people (``curator``, ``mentor``, ``new_mentor``, ``responsible``, ``mentors``,
    ``mentees``, ``person``), ``groups`` (MentoringGroup ids), ``program`` (Program id), ``appointments``
    (MentorAppointment ids, into ``mentors``)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        at = f"{where}.{key}"
        if key in _PERSON_KEYS or key == "person":
            out[key] = _person(session, value, at)
        elif key in _PEOPLE_KEYS and isinstance(value, list):
            if key == "mentors":
                out[key] = [_appointment(session, v, f"{at}[{i}]") if isinstance(v, dict) else
                            _person(session, v, f"{at}[{i}]") for i, v in enumerate(value)]
            else:
                out[key] = [_person(session, v, f"{at}[{i}]") for i, v in enumerate(value)]
        elif key == "appointments" and isinstance(value, list):
            out.setdefault("mentors", [])
            out["mentors"] = [*out["mentors"], *(_appointment(session, v, f"{at}[{i}]") for i, v in enumerate(value))]
        elif key == "groups" and isinstance(value, list):
            out[key] = [_group(session, v, f"{at}[{i}]") if isinstance(v, int) else
                        (resolve_ids(session, v, f"{at}[{i}]") if isinstance(v, dict) else v)
                        for i, v in enumerate(value)]
        elif key == "program":
            out[key] = _program(session, value, at)
        else:
            out[key] = value
    return out
