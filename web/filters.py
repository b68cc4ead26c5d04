"""Jinja filters for dates and vocabulary labels (in the user's locale and time zone)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, g
from flask_babel import format_decimal, gettext, to_user_timezone
from flask_babel import lazy_gettext as _l

from engine.db.paging import Counted
from engine.regulations import form_label
from engine.services.people.actor import Role
from engine.services.people.role_labels import pack_labels
from engine.vocabulary import gendered as vocabulary_gendered
from web.db import get_db
from web.i18n import N_, translate

WORKFLOW_KIND_LABELS = {  # translated when shown (``translate``: a list shows one per row)
    "mentor_appointment": N_("Назначение наставника"),
    "pair_formation": N_("Формирование пар"),
    "program": N_("Программа наставничества"),
    "calendar": N_("Календарь положения"),
    "mentor_report": N_("Отчёт наставника за период"),
}

ROLE_LABELS = {
    Role.CURATOR: _l("куратор"),
    Role.METHODOLOGIST: _l("методист"),
    Role.HEAD: _l("руководитель"),
    Role.MENTOR: _l("наставник"),
    Role.MENTEE: _l("наставляемый"),
    Role.ADMIN: _l("администратор"),
}


def role_label(value: str, organization_id: int | None = None) -> str:
    """The role's label — in ``organization_id``, as its regulation pack names it (004: «стажёр», «сетевой
    наставник»), written mid-sentence with a small letter; else the general label."""
    if organization_id is not None:
        cache = g.setdefault("_role_labels", {})
        if organization_id not in cache:
            cache[organization_id] = pack_labels(get_db(), organization_id)
        label = cache[organization_id].get(value)
        if label:
            return label[:1].lower() + label[1:]
    return str(ROLE_LABELS.get(value, value))


def datetime_short(value: datetime | None) -> str:
    """«dd.MM.yyyy HH:mm» in the user's time zone (a naive value is UTC), digits in every locale; formatted here,
    not by Babel's pattern machinery, since a list shows a hundred of them."""
    if not value:
        return ""
    at = to_user_timezone(value)
    return f"{at.day:02d}.{at.month:02d}.{at.year:04d} {at.hour:02d}:{at.minute:02d}"


def date_short(value: date | None) -> str:
    """«dd.MM.yyyy»; a moment (``datetime``) is dated in the user's time zone."""
    if not value:
        return ""
    day = to_user_timezone(value) if isinstance(value, datetime) else value
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def workflow_kind(value: str | None) -> str:
    label = WORKFLOW_KIND_LABELS.get(value or "")
    return translate(label) if label is not None else value or ""


def gendered(person: object, masculine: str, feminine: str, either: str) -> str:
    """``{{ person | gendered(_("освобождён"), _("освобождена"), _("освобождён(а)")) }}``: the form that agrees
    with the person (engine.vocabulary.gender_of reads the patronymic), both forms when the name does not say."""
    name = person if isinstance(person, str) or person is None else getattr(person, "full_name", None)
    return vocabulary_gendered(name, str(masculine), str(feminine), str(either))


def counted(value: Counted | int, more: bool = False) -> str:
    """A count as people read it: «1 234», or «более 1 000» when the list was counted only up to its bound
    (``engine.db.paging``)."""
    number, beyond = (value.value, value.more) if isinstance(value, Counted) else (int(value), more)
    shown = format_decimal(number)
    return gettext("более %(n)s", n=shown) if beyond else shown


def group_form(group: Any) -> str:
    """A pair's (group's) form of mentorship as its organization's regulation words it (002 §4.1.5)."""
    return form_label(getattr(group, "organization", None), getattr(group, "form", None)) or ""


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(datetime_short=datetime_short, date_short=date_short, workflow_kind=workflow_kind,
                            role_label=role_label, gendered=gendered, counted=counted, group_form=group_form)
