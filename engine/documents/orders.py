"""The text of orders (приказ / распоряжение) about mentorship, as it will read.

A document is rendered in two steps, both deterministic (same data → same text, byte for byte):

1. **draft** (``render_order`` without number/date/signature): starts with the line «ПРОЕКТ», carries the
   placeholder line ``DRAFT_DATE_LINE`` instead of the date and number, and ends with the signatory line
   holding the signature blank ``SIGNATURE_BLANK``;
2. **final** (``finalize_order``): the draft with «ПРОЕКТ» removed, the date and number filled in
   («20.02.2024 № 100р», 003 header), the signatory line of the person who signed, and the signature
   stamp line in the form that ends 002: «2023-02-27T10:00:55+0700 Кузнецов Сергей Николаевич Я подтверждаю
   этот документ» (the moment in the organization's time zone).

The final text is what is hashed (``document_sha256``: SHA-256 over UTF-8 with ``\\n`` newlines) and stored.
``render_order`` with number/date/signature is exactly ``finalize_order(render_order(draft))``.

Templates (``TEMPLATES``; 004 roadmap item 3.1.1 lists the orders an organization needs):

===========================  ===========================  ==============================================
template                     order type                   ground (Tomsk 003 / Yakutsk 004)
===========================  ===========================  ==============================================
``appointment_of_mentors``   appointment_of_mentors       003 §3.4 «сроком на два года»; 004 III.2
                                                          «сроком на один учебный год»
``pair_formation``           pair_formation               003 §3.2, §6.2 (written consent); 004 III.4
``curator_appointment``      curator_appointment          003 §3.2, §3.3; 004 order 11.11.2021 item 4.1
``extension``                extension                    003 §7.2 (mutual consent, curator's petition)
``completion``               completion                   003 §7.1, grounds «а», «б», «в»
``mentor_replacement``       mentor_replacement           003 §5.1 (mentee's petition), §4.1 (mentor's)
``mentor_release``           mentor_release               003 §4.1 (mentor's request to be released)
===========================  ===========================  ==============================================

People are given as mappings ``{"full_name", "position", "organization"}`` or as objects with
``full_name``/``position``/``organization`` attributes (``engine.db.models.Person``); dates as ``date`` or
ISO strings. ``normalize_data`` checks the data of a template and returns it as plain JSON-able values
(what the service records in the audit trail); errors (``OrderDataError``) name the field in Russian.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from engine.db.models.mentorship import MENTORSHIP_FORM_LABELS, MentorshipForm, add_months, appointment_term_end
from engine.db.models.orders import OrderType
from engine.db.models.org import Regulation
from engine.db.models.program import CompletionGround
from engine.errors import NastavnikError

DRAFT_MARK = "ПРОЕКТ"
DRAFT_DATE_LINE = "__.__.____ № ____"
SIGNATURE_BLANK = "________________"
STAMP_CONFIRMATION = "Я подтверждаю этот документ"
KINDS = ("ПРИКАЗ", "РАСПОРЯЖЕНИЕ")
_KIND_GENITIVE = {"ПРИКАЗ": "приказа", "РАСПОРЯЖЕНИЕ": "распоряжения"}
DEFAULT_SIGNATORY_POSITION = "Руководитель"


class OrderDataError(NastavnikError):
    """The data for an order is missing or wrong (the message names the field)."""


# --- settings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentSettings:
    """How an organization's orders look.

    ``kind`` «ПРИКАЗ» or «РАСПОРЯЖЕНИЕ»; ``number_suffix`` follows the sequence number («100» + «р» →
    «100р», 003); ``time_zone`` of the signature stamp and of the order's date; ``issuer_lines`` the
    header («АДМИНИСТРАЦИЯ ГОРОДА ТОМСКА», «ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ»); ``place`` («г. Томск») or None.
    """

    issuer_lines: tuple[str, ...]
    kind: str = "ПРИКАЗ"
    number_suffix: str = ""
    time_zone: str = "Asia/Tomsk"
    place: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.issuer_lines, str):
            object.__setattr__(self, "issuer_lines", (self.issuer_lines,))
        object.__setattr__(self, "issuer_lines", tuple(str(x).strip() for x in self.issuer_lines if str(x).strip()))
        if not self.issuer_lines:
            raise OrderDataError("не указано наименование издающей организации", where="document_settings.issuer_lines")
        kind = str(self.kind).strip().upper()
        if kind not in KINDS:
            raise OrderDataError(f"вид документа {self.kind!r} не поддерживается; допустимо: {', '.join(KINDS)}",
                                 where="document_settings.kind")
        object.__setattr__(self, "kind", kind)
        suffix = str(self.number_suffix or "")
        if len(suffix) > 16 or suffix[:1].isdigit() or any(c.isspace() for c in suffix):
            raise OrderDataError(f"суффикс номера {suffix!r} недопустим: до 16 знаков, без пробелов, "
                                 "не начинается с цифры", where="document_settings.number_suffix")
        object.__setattr__(self, "number_suffix", suffix)
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise OrderDataError(f"неизвестный часовой пояс {self.time_zone!r}",
                                 where="document_settings.time_zone") from None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def kind_genitive(self) -> str:
        return _KIND_GENITIVE[self.kind]

    def format_number(self, sequence: int) -> str:
        return f"{sequence}{self.number_suffix}"

    def as_dict(self) -> dict[str, Any]:
        return {"issuer_lines": list(self.issuer_lines), "kind": self.kind, "number_suffix": self.number_suffix,
                "time_zone": self.time_zone, "place": self.place}


_REGULATION_DEFAULTS: dict[str, dict[str, Any]] = {
    Regulation.TOMSK: {"time_zone": "Asia/Tomsk", "place": "г. Томск"},
    Regulation.YAKUTSK: {"time_zone": "Asia/Yakutsk", "place": "г. Якутск"},
}
_SETTING_KEYS = {"issuer_lines", "kind", "number_suffix", "time_zone", "place"}


def settings_for(organization: Any, overrides: Mapping[str, Any] | None = None) -> DocumentSettings:
    """The document settings of ``organization``: defaults of its regulation (time zone Asia/Tomsk or
    Asia/Yakutsk, place), the header from its name (parts separated by «/» or new lines become lines, in
    capitals), «ПРИКАЗ», no number suffix; then ``organization.document_settings`` (a mapping, when the
    organization carries one) and ``overrides`` on top."""
    name = str(getattr(organization, "name", "") or "")
    parts = [p.strip() for chunk in name.split("\n") for p in chunk.split("/")]
    merged: dict[str, Any] = {"issuer_lines": tuple(p.upper() for p in parts if p),
                              **_REGULATION_DEFAULTS.get(getattr(organization, "regulation", None), {})}
    for source in (getattr(organization, "document_settings", None), overrides):
        if not source:
            continue
        unknown = sorted(set(source) - _SETTING_KEYS)
        if unknown:
            raise OrderDataError(f"неизвестные настройки документа: {', '.join(unknown)}",
                                 where="document_settings")
        merged.update(source)
    if isinstance(merged.get("issuer_lines"), list):
        merged["issuer_lines"] = tuple(merged["issuer_lines"])
    return DocumentSettings(**merged)


# --- small helpers -------------------------------------------------------------------------------


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def document_sha256(text: str) -> str:
    """SHA-256 (hex) of the document: UTF-8, newlines normalised to ``\\n``."""
    return hashlib.sha256(normalize_newlines(text).encode("utf-8")).hexdigest()


def initials(full_name: str) -> str:
    """«Савенков Максим Геннадьевич» → «М.Г. Савенков» (the signatory line of 003)."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name.strip()
    return "".join(f"{p[0]}." for p in parts[1:]) + " " + parts[0]


def _fmt(day: date) -> str:
    return day.strftime("%d.%m.%Y")


@dataclass(frozen=True)
class Signatory:
    """Who signs (or is to sign): ФИО and position."""

    full_name: str
    position: str | None = None

    @classmethod
    def of(cls, person: Any) -> Signatory:
        if isinstance(person, Signatory):
            return person
        if isinstance(person, Mapping):
            return cls(str(person.get("full_name") or "").strip(), person.get("position"))
        return cls(str(getattr(person, "full_name", "") or "").strip(), getattr(person, "position", None))

    @property
    def position_label(self) -> str:
        return (self.position or "").strip() or DEFAULT_SIGNATORY_POSITION


def signature_stamp(full_name: str, signed_at: datetime, time_zone: str | ZoneInfo) -> str:
    """«2023-02-27T10:00:55+0700 Кузнецов Сергей Николаевич Я подтверждаю этот документ» (002)."""
    if signed_at.tzinfo is None or signed_at.utcoffset() is None:
        raise OrderDataError("время подписи без часового пояса не принимается", where="signed_at")
    zone = time_zone if isinstance(time_zone, ZoneInfo) else ZoneInfo(time_zone)
    local = signed_at.astimezone(zone)
    return f"{local.strftime('%Y-%m-%dT%H:%M:%S%z')} {full_name} {STAMP_CONFIRMATION}"


# --- data normalisation ----------------------------------------------------------------------------


def _date(value: Any, where: str, *, required: bool = True) -> str | None:
    if value is None or value == "":
        if required:
            raise OrderDataError("не указана дата", where=where)
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise OrderDataError(f"ожидается дата (ГГГГ-ММ-ДД), получено {value!r}", where=where)


def _day(iso: str) -> date:
    return date.fromisoformat(iso)


def _text(value: Any, where: str, *, required: bool = True) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    if not text:
        if required:
            raise OrderDataError("значение обязательно и не может быть пустым", where=where)
        return None
    return text


def _person(value: Any, where: str) -> dict[str, str]:
    if isinstance(value, Mapping):
        name, position, org = value.get("full_name"), value.get("position"), value.get("organization")
    elif hasattr(value, "full_name"):
        name, position = value.full_name, getattr(value, "position", None)
        org = getattr(value, "organization", None)
    else:
        raise OrderDataError(f"ожидается участник (ФИО, должность, организация), получено {value!r}", where=where)
    if org is not None and not isinstance(org, str):
        org = getattr(org, "name", None)
    out = {"full_name": _text(name, f"{where}.full_name")}
    for key, raw in (("position", position), ("organization", org)):
        cleaned = _text(raw, f"{where}.{key}", required=False)
        if cleaned:
            out[key] = cleaned
    return out


def _people(value: Any, where: str, *, required: bool = True) -> list[dict[str, str]]:
    if value is None:
        value = []
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise OrderDataError("ожидается список участников", where=where)
    people = [_person(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if required and not people:
        raise OrderDataError("список не может быть пустым", where=where)
    return people


def _form(value: Any, where: str) -> str | None:
    if value is None or value == "":
        return None
    raw = getattr(value, "value", value)
    try:
        return MENTORSHIP_FORM_LABELS[MentorshipForm(raw)]
    except ValueError:
        return _text(raw, where)


def _check_keys(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    if not isinstance(data, Mapping):
        raise OrderDataError("данные приказа должны быть словарём", where=where)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise OrderDataError(f"неизвестные поля: {', '.join(unknown)}; допустимо: {', '.join(sorted(allowed))}",
                             where=where)


def _get(value: Any, key: str, default: Any = None) -> Any:
    if isinstance(value, Mapping):
        return value.get(key, default)
    return getattr(value, key, default)


def _participants(value: Any, where: str, *, mentor_key: str = "mentor") -> dict[str, Any]:
    """A pair/group or a program: ``{"mentor", "mentees", "form"?, "started_on"?, "planned_end_on"?}``."""
    if value is None:
        raise OrderDataError("не указаны участники программы (наставник и наставляемые)", where=where)
    out: dict[str, Any] = {
        "mentor": _person(_get(value, mentor_key), f"{where}.{mentor_key}"),
        "mentees": _people(_get(value, "mentees"), f"{where}.mentees"),
    }
    form = _form(_get(value, "form"), f"{where}.form")
    if form:
        out["form"] = form
    for key in ("started_on", "planned_end_on"):
        day = _date(_get(value, key), f"{where}.{key}", required=False)
        if day:
            out[key] = day
    return out


# --- rendering context and items ------------------------------------------------------------------


@dataclass(frozen=True)
class _Ctx:
    regulation: str
    settings: DocumentSettings

    @property
    def tomsk(self) -> bool:
        return self.regulation == Regulation.TOMSK

    def ref(self, tomsk: str | None = None, yakutsk: str | None = None) -> str:
        """« (п. 3.3 Положения)» for the regulation in force, or nothing."""
        clause = tomsk if self.tomsk else yakutsk
        return f" ({clause} Положения)" if clause else ""


# The regulation each organization's orders cite (genitive after «п. …», instrumental otherwise).
_REGULATION_CITATION: dict[str, tuple[str, str]] = {
    Regulation.TOMSK: (
        "Положения о наставничестве руководителей муниципальных образовательных учреждений, в отношении "
        "которых функции и полномочия учредителя осуществляет департамент образования администрации Города "
        "Томска, утверждённого распоряжением департамента образования администрации Города Томска "
        "от 20.02.2024 № 100р (далее – Положение)",
        "Положением о наставничестве руководителей муниципальных образовательных учреждений, в отношении "
        "которых функции и полномочия учредителя осуществляет департамент образования администрации Города "
        "Томска, утверждённым распоряжением департамента образования администрации Города Томска "
        "от 20.02.2024 № 100р (далее – Положение)",
    ),
    Regulation.YAKUTSK: (
        "Положения о Координационном центре сетевых наставников (педагогов-лидеров) в образовательном "
        "пространстве города Якутска (далее – Положение)",
        "Положением о Координационном центре сетевых наставников (педагогов-лидеров) в образовательном "
        "пространстве города Якутска (далее – Положение)",
    ),
}
_YAKUTSK_ORDER = ("приказа Управления образования Окружной администрации города Якутска от 11.11.2021 "
                  "№ 9/101 925 «Об организации внедрения «Целевой модели наставничества в образовательном "
                  "пространстве города Якутска»»")


def _basis(ctx: _Ctx, clause: str | None) -> str:
    genitive, instrumental = _REGULATION_CITATION[ctx.regulation]
    return f"{clause} {genitive}" if clause else instrumental


def _who(person: Mapping[str, str]) -> str:
    """«Петров Пётр Петрович (директор, МАОУ СОШ № 8)»."""
    details = [person[k] for k in ("position", "organization") if person.get(k)]
    return f"{person['full_name']} ({', '.join(details)})" if details else person["full_name"]


def _mentees_phrase(mentees: list[Mapping[str, str]]) -> str:
    label = "наставляемый" if len(mentees) == 1 else "наставляемые"
    return f"{label} – {', '.join(_who(m) for m in mentees)}"


def _pair_phrase(pair: Mapping[str, Any]) -> str:
    text = f"наставник – {_who(pair['mentor'])}; {_mentees_phrase(pair['mentees'])}"
    if pair.get("form"):
        text += f"; форма наставничества – {pair['form']}"
    return text


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def _names(people: list[Mapping[str, str]]) -> str:
    return ", ".join(p["full_name"] for p in people)


Item = tuple[str, list[str]]


@dataclass(frozen=True)
class OrderTemplate:
    id: str
    order_type: str
    subject: str
    normalize: Callable[[Mapping[str, Any], str], dict[str, Any]]
    purpose: Callable[[dict[str, Any], _Ctx], tuple[str | None, str]]  # (clause, purpose phrase)
    items: Callable[[dict[str, Any], _Ctx], list[Item]]


_COMMON = {"basis"}  # «Основание: …» line (e.g. «ходатайство куратора от 01.06.2026»)


def _common(data: Mapping[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    basis = _text(data.get("basis"), f"{where}.basis", required=False)
    if basis:
        out["basis"] = basis
    return out


# appointment_of_mentors ---------------------------------------------------------------------------


def _norm_appointment(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "appointment_of_mentors"
    _check_keys(data, {"mentors", "starts_on", "ends_on"} | _COMMON, where)
    starts = _date(data.get("starts_on"), f"{where}.starts_on", required=False)
    ends = _date(data.get("ends_on"), f"{where}.ends_on", required=False)
    raw = data.get("mentors")
    if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, Sequence) or not raw:
        raise OrderDataError("укажите хотя бы одного наставника", where=f"{where}.mentors")
    mentors = []
    for i, entry in enumerate(raw):
        at = f"{where}.mentors[{i}]"
        wrapped = ("person" in entry) if isinstance(entry, Mapping) else hasattr(entry, "person")
        person_value, extra = (_get(entry, "person"), entry) if wrapped else (entry, {})
        mentor: dict[str, Any] = {"person": _person(person_value, at)}
        m_starts = _date(_get(extra, "starts_on"), f"{at}.starts_on", required=False) or starts
        if m_starts is None:
            raise OrderDataError("не указана дата начала срока наставника", where=f"{at}.starts_on")
        m_ends = (_date(_get(extra, "ends_on"), f"{at}.ends_on", required=False)
                  or (ends if m_starts == starts else None)
                  or appointment_term_end(regulation, _day(m_starts)).isoformat())
        if _day(m_ends) < _day(m_starts):
            raise OrderDataError(f"срок окончания {m_ends} раньше начала {m_starts}", where=f"{at}.ends_on")
        mentor["starts_on"], mentor["ends_on"] = m_starts, m_ends
        direction = _text(_get(extra, "direction"), f"{at}.direction", required=False)
        if direction:
            mentor["direction"] = direction
        mentors.append(mentor)
    return {"mentors": mentors, **_common(data, where)}


def _term_phrase(ctx: _Ctx, starts_iso: str, ends_iso: str) -> str:
    starts, ends = _day(starts_iso), _day(ends_iso)
    standard = appointment_term_end(ctx.regulation, starts) == ends
    if standard and ctx.tomsk:
        return f"сроком на два года (с {_fmt(starts)} по {_fmt(ends)})"
    if standard:
        first = starts.year if starts.month >= 9 else starts.year - 1
        return (f"сроком на один учебный год ({first}/{first + 1} учебный год, "
                f"с {_fmt(starts)} по {_fmt(ends)})")
    return f"на срок с {_fmt(starts)} по {_fmt(ends)}"


def _items_appointment(data: dict[str, Any], ctx: _Ctx) -> list[Item]:
    mentors = data["mentors"]
    terms = {(m["starts_on"], m["ends_on"]) for m in mentors}
    common = len(terms) == 1
    role = "наставниками" if ctx.tomsk else "сетевыми наставниками"
    head = f"Назначить {role}"
    if common:
        head += " " + _term_phrase(ctx, *next(iter(terms)))
    if not ctx.tomsk:
        head += " с закреплением направлений профессиональной деятельности"
    subs = []
    for m in mentors:
        line = _who(m["person"])
        if m.get("direction"):
            line += f", направление – «{m['direction']}»"
        if not common:
            line += ", " + _term_phrase(ctx, m["starts_on"], m["ends_on"])
        subs.append(line + ".")
    items: list[Item] = [(head + ":", subs)]
    if ctx.tomsk:
        items.append(("Куратору реализации программ наставничества внести сведения о наставниках в банк "
                      "наставников и наставляемых (п. 3.3 Положения).", []))
        items.append(("Наставникам совместно с наставляемыми составить персонализированные программы "
                      "наставничества (п. 4.2 Положения).", []))
    else:
        items.append(("Сетевым наставникам сопровождать разработку стажерами индивидуальных планов "
                      "профессионального развития по курируемому направлению деятельности "
                      "(п. 1 раздела IV Положения).", []))
    return items


def _purpose_appointment(data: dict[str, Any], ctx: _Ctx) -> tuple[str | None, str]:
    if ctx.tomsk:
        return "п. 3.4", "в целях организации наставничества руководителей образовательных организаций"
    return "п. 2 раздела III", "в целях организации сетевого наставничества"


# pair_formation ------------------------------------------------------------------------------------


def _norm_pairs(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "pair_formation"
    _check_keys(data, {"groups", "starts_on", "ends_on"} | _COMMON, where)
    raw = data.get("groups")
    if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, Sequence) or not raw:
        raise OrderDataError("укажите хотя бы одну наставническую пару (группу)", where=f"{where}.groups")
    out: dict[str, Any] = {"groups": [_participants(g, f"{where}.groups[{i}]") for i, g in enumerate(raw)]}
    starts = _date(data.get("starts_on"), f"{where}.starts_on", required=False)
    ends = _date(data.get("ends_on"), f"{where}.ends_on", required=False)
    if (starts is None) != (ends is None):
        raise OrderDataError("срок программ указывается двумя датами: начало и окончание",
                             where=f"{where}.{'ends_on' if starts else 'starts_on'}")
    if starts and ends:
        if _day(ends) < _day(starts):
            raise OrderDataError(f"окончание {ends} раньше начала {starts}", where=f"{where}.ends_on")
        out["starts_on"], out["ends_on"] = starts, ends
    return {**out, **_common(data, where)}


def _items_pairs(data: dict[str, Any], ctx: _Ctx) -> list[Item]:
    if ctx.tomsk:
        head = ("Утвердить наставнические пары (группы), сформированные на добровольной основе с "
                "непосредственным участием куратора, наставников и наставляемых (п. 6.2 Положения):")
    else:
        head = ("Утвердить группы стажеров сетевых наставников по направлениям деятельности "
                "(п. 4 раздела III Положения):")
    subs = [_capitalize(_pair_phrase(g)) + "." for g in data["groups"]]
    items: list[Item] = [(head, subs)]
    if data.get("starts_on"):
        starts, ends = _day(data["starts_on"]), _day(data["ends_on"])
        line = (f"Установить срок реализации персонализированных программ наставничества с {_fmt(starts)} "
                f"по {_fmt(ends)}")
        if ctx.tomsk and add_months(starts, 24) - timedelta(days=1) == ends:
            line += " (24 месяца, п. 1.2.6 Положения)"
        items.append((line + ".", []))
    if ctx.tomsk:
        items.append(("Наставникам совместно с наставляемыми составить персонализированные программы "
                      "наставничества в соответствии с моделью наставничества (п. 3.7, 4.2 Положения).", []))
    else:
        items.append(("Стажерам разработать индивидуальные планы профессионального развития и выполнять их "
                      "(п. 3 раздела IV Положения).", []))
    return items


def _purpose_pairs(data: dict[str, Any], ctx: _Ctx) -> tuple[str | None, str]:
    if ctx.tomsk:
        return "п. 3.2, 6.2", ("с письменного согласия участников наставнических пар (групп) на возложение на "
                               "них дополнительных обязанностей, связанных с наставнической деятельностью")
    return "п. 4 раздела III", "с согласия участников сетевого наставничества"


# curator_appointment -------------------------------------------------------------------------------


def _norm_curator(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "curator_appointment"
    _check_keys(data, {"curator", "starts_on"} | _COMMON, where)
    out: dict[str, Any] = {"curator": _person(data.get("curator"), f"{where}.curator")}
    starts = _date(data.get("starts_on"), f"{where}.starts_on", required=False)
    if starts:
        out["starts_on"] = starts
    return {**out, **_common(data, where)}


def _items_curator(data: dict[str, Any], ctx: _Ctx) -> list[Item]:
    since = f" с {_fmt(_day(data['starts_on']))}" if data.get("starts_on") else ""
    if ctx.tomsk:
        return [
            (f"Назначить куратором реализации программ наставничества руководителей образовательных "
             f"организаций{since}: {_who(data['curator'])}.", []),
            ("Куратору осуществлять функции, установленные п. 3.3 Положения, в том числе не реже одного раза "
             "в год актуализировать сведения о наставляемых, вести банк наставников и наставляемых и банк "
             "персонализированных программ наставничества.", []),
        ]
    return [
        (f"Назначить куратором внедрения «Целевой модели наставничества в образовательном пространстве города "
         f"Якутска»{since}: {_who(data['curator'])}.", []),
        ("Куратору обеспечить реализацию дорожной карты внедрения Целевой модели наставничества, "
         "формирование базы наставников и базы наставляемых.", []),
    ]


def _purpose_curator(data: dict[str, Any], ctx: _Ctx) -> tuple[str | None, str]:
    if ctx.tomsk:
        return "п. 3.2, 3.3", "в целях координации реализации персонализированных программ наставничества"
    return None, "в целях координации внедрения целевой модели наставничества"


# extension -----------------------------------------------------------------------------------------


def _norm_extension(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "extension"
    _check_keys(data, {"program", "new_end_on", "changes"} | _COMMON, where)
    out: dict[str, Any] = {"program": _participants(data.get("program"), f"{where}.program")}
    new_end = _date(data.get("new_end_on"), f"{where}.new_end_on", required=False)
    changes = _text(data.get("changes"), f"{where}.changes", required=False)
    if not new_end and not changes:
        raise OrderDataError("укажите новый срок окончания программы (new_end_on) или содержание изменений "
                             "(changes)", where=where)
    old_end = out["program"].get("planned_end_on")
    if new_end and old_end and _day(new_end) <= _day(old_end):
        raise OrderDataError(f"новый срок {_fmt(_day(new_end))} не позже прежнего {_fmt(_day(old_end))}",
                             where=f"{where}.new_end_on")
    if new_end:
        out["new_end_on"] = new_end
    if changes:
        out["changes"] = changes
    return {**out, **_common(data, where)}


def _items_extension(data: dict[str, Any], ctx: _Ctx) -> list[Item]:
    program = data["program"]
    pair = _pair_phrase(program)
    items: list[Item] = []
    if data.get("new_end_on"):
        line = (f"Продлить срок реализации персонализированной программы наставничества ({pair}) "
                f"до {_fmt(_day(data['new_end_on']))}")
        if program.get("planned_end_on"):
            line += f" (ранее – до {_fmt(_day(program['planned_end_on']))})"
        items.append((line + ".", []))
    if data.get("changes"):
        target = ("указанную персонализированную программу наставничества" if data.get("new_end_on")
                  else f"персонализированную программу наставничества ({pair})")
        items.append((f"Внести изменения в {target}: {data['changes'].rstrip('.')}.", []))
    items.append(("Куратору внести соответствующие изменения в банк персонализированных программ "
                  f"наставничества{ctx.ref('п. 3.3')}.", []))
    return items


def _purpose_extension(data: dict[str, Any], ctx: _Ctx) -> tuple[str | None, str]:
    return ("п. 7.2" if ctx.tomsk else None,
            "по обоюдному согласию наставника и наставляемого, на основании ходатайства куратора")


# completion ----------------------------------------------------------------------------------------

_GROUNDS: dict[str, tuple[str, str]] = {
    # ground → (letter, phrase after «в связи с» / «по …»)
    CompletionGround.PLAN_COMPLETED: (
        "а", "в связи с завершением плана мероприятий персонализированной программы наставничества в полном объёме"),
    CompletionGround.PARTICIPANTS_INITIATIVE: (
        "б", "по инициативе наставника и (или) наставляемого по уважительным обстоятельствам"),
    CompletionGround.IMPROPER_EXECUTION: (
        "в", "по инициативе куратора в связи с недолжным исполнением персонализированной программы наставничества"),
}
_GROUND_ALIASES = {"a": "plan_completed", "а": "plan_completed", "b": "participants_initiative",
                   "б": "participants_initiative", "c": "improper_execution", "в": "improper_execution"}


def _norm_completion(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "completion"
    _check_keys(data, {"program", "ground", "completed_on", "note"} | _COMMON, where)
    raw = str(getattr(data.get("ground"), "value", data.get("ground")) or "").strip().lower()
    ground = _GROUND_ALIASES.get(raw, raw)
    if ground not in _GROUNDS:
        raise OrderDataError(f"основание завершения {data.get('ground')!r} не предусмотрено п. 7.1; допустимо: "
                             + ", ".join(f"{g.value} («{_GROUNDS[g][0]}»)" for g in CompletionGround),
                             where=f"{where}.ground")
    out: dict[str, Any] = {
        "program": _participants(data.get("program"), f"{where}.program"),
        "ground": ground,
        "completed_on": _date(data.get("completed_on"), f"{where}.completed_on"),
    }
    note = _text(data.get("note"), f"{where}.note", required=False)
    if note:
        out["note"] = note
    return {**out, **_common(data, where)}


def _items_completion(data: dict[str, Any], ctx: _Ctx) -> list[Item]:
    letter, phrase = _GROUNDS[data["ground"]]
    ground = f"подпункт «{letter}» п. 7.1 Положения" if ctx.tomsk else phrase
    line = (f"Завершить {_fmt(_day(data['completed_on']))} реализацию персонализированной программы "
            f"наставничества ({_pair_phrase(data['program'])}); основание – {ground}")
    line += f" ({data['note'].rstrip('.')})." if data.get("note") else "."
    return [
        (line, []),
        ("Куратору подготовить итоговый аналитический отчёт о реализации персонализированной программы "
         f"наставничества и внести сведения в банк персонализированных программ наставничества{ctx.ref('п. 3.3')}.",
         []),
    ]


def _purpose_completion(data: dict[str, Any], ctx: _Ctx) -> tuple[str | None, str]:
    return ("п. 7.1" if ctx.tomsk else None), _GROUNDS[data["ground"]][1]


# mentor_replacement --------------------------------------------------------------------------------

_PETITIONS = {
    "mentee": ("п. 5.1", "на основании ходатайства наставляемого о замене наставника"),
    "mentor": ("п. 4.1", "на основании заявления наставника о сложении с него обязанностей наставника"),
    "curator": ("п. 3.2, 3.3", "по представлению куратора реализации программ наставничества"),
}


def _norm_replacement(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "mentor_replacement"
    _check_keys(data, {"program", "new_mentor", "on", "petition_by", "reason"} | _COMMON, where)
    program = _participants(data.get("program"), f"{where}.program")
    new_mentor = _person(data.get("new_mentor"), f"{where}.new_mentor")
    if new_mentor["full_name"] == program["mentor"]["full_name"]:
        raise OrderDataError("новый наставник совпадает с прежним", where=f"{where}.new_mentor")
    petition = str(data.get("petition_by") or "mentee")
    if petition not in _PETITIONS:
        raise OrderDataError(f"инициатор замены {petition!r} не предусмотрен; допустимо: "
                             f"{', '.join(_PETITIONS)}", where=f"{where}.petition_by")
    out: dict[str, Any] = {"program": program, "new_mentor": new_mentor,
                           "on": _date(data.get("on"), f"{where}.on"), "petition_by": petition}
    reason = _text(data.get("reason"), f"{where}.reason", required=False)
    if reason:
        out["reason"] = reason
    return {**out, **_common(data, where)}


def _items_replacement(data: dict[str, Any], ctx: _Ctx) -> list[Item]:
    program, on = data["program"], _fmt(_day(data["on"]))
    mentees = program["mentees"]
    whom = _mentees_phrase(mentees)
    release = f"Освободить от обязанностей наставника с {on}: {_who(program['mentor'])}; {whom}"
    release += f"; причина – {data['reason'].rstrip('.')}." if data.get("reason") else "."
    return [
        (release, []),
        (f"Закрепить наставником с {on}: {_who(data['new_mentor'])}; {whom}.", []),
        (f"Новому наставнику совместно с {'наставляемым' if len(mentees) == 1 else 'наставляемыми'} "
         f"скорректировать персонализированную программу наставничества{ctx.ref('п. 7.2')}.", []),
    ]


def _purpose_replacement(data: dict[str, Any], ctx: _Ctx) -> tuple[str | None, str]:
    clause, phrase = _PETITIONS[data["petition_by"]]
    return (clause if ctx.tomsk else None), phrase


# mentor_release ------------------------------------------------------------------------------------


def _norm_release(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "mentor_release"
    _check_keys(data, {"mentor", "released_on", "reason", "mentees"} | _COMMON, where)
    out: dict[str, Any] = {"mentor": _person(data.get("mentor"), f"{where}.mentor"),
                           "released_on": _date(data.get("released_on"), f"{where}.released_on")}
    mentees = _people(data.get("mentees"), f"{where}.mentees", required=False)
    if mentees:
        out["mentees"] = mentees
    reason = _text(data.get("reason"), f"{where}.reason", required=False)
    if reason:
        out["reason"] = reason
    return {**out, **_common(data, where)}


def _items_release(data: dict[str, Any], ctx: _Ctx) -> list[Item]:
    line = f"Освободить от обязанностей наставника с {_fmt(_day(data['released_on']))}: {_who(data['mentor'])}"
    line += f"; причина – {data['reason'].rstrip('.')}." if data.get("reason") else "."
    items: list[Item] = [(line, [])]
    if data.get("mentees"):
        items.append(("Куратору реализации программ наставничества предложить кандидатуру наставника для "
                      f"наставляемых: {_names(data['mentees'])}{ctx.ref('п. 3.3')}.", []))
    items.append((f"Куратору внести изменения в банк наставников и наставляемых{ctx.ref('п. 3.3')}.", []))
    return items


def _purpose_release(data: dict[str, Any], ctx: _Ctx) -> tuple[str | None, str]:
    return ("п. 4.1" if ctx.tomsk else None), _PETITIONS["mentor"][1]


TEMPLATES: dict[str, OrderTemplate] = {
    t.id: t
    for t in (
        OrderTemplate("appointment_of_mentors", OrderType.APPOINTMENT_OF_MENTORS, "О назначении наставников",
                      _norm_appointment, _purpose_appointment, _items_appointment),
        OrderTemplate("pair_formation", OrderType.PAIR_FORMATION, "О формировании наставнических пар (групп)",
                      _norm_pairs, _purpose_pairs, _items_pairs),
        OrderTemplate("curator_appointment", OrderType.CURATOR_APPOINTMENT, "О назначении куратора",
                      _norm_curator, _purpose_curator, _items_curator),
        OrderTemplate("extension", OrderType.EXTENSION,
                      "О продлении (изменении) персонализированной программы наставничества",
                      _norm_extension, _purpose_extension, _items_extension),
        OrderTemplate("completion", OrderType.COMPLETION, "О завершении персонализированной программы наставничества",
                      _norm_completion, _purpose_completion, _items_completion),
        OrderTemplate("mentor_replacement", OrderType.MENTOR_REPLACEMENT, "О замене наставника",
                      _norm_replacement, _purpose_replacement, _items_replacement),
        OrderTemplate("mentor_release", OrderType.MENTOR_RELEASE, "Об освобождении от обязанностей наставника",
                      _norm_release, _purpose_release, _items_release),
    )
}


def _template(template_id: str) -> OrderTemplate:
    template = TEMPLATES.get(str(getattr(template_id, "value", template_id)))
    if template is None:
        raise OrderDataError(f"нет шаблона приказа {template_id!r}; есть: {', '.join(TEMPLATES)}",
                             where="order_type")
    return template


def _regulation(regulation: Any) -> str:
    value = str(getattr(regulation, "value", regulation))
    if value not in _REGULATION_CITATION:
        raise OrderDataError(f"неизвестное положение {regulation!r}", where="regulation")
    return value


def normalize_data(template_id: str, data: Mapping[str, Any], *, regulation: str) -> dict[str, Any]:
    """Check the data of ``template_id`` and return it as plain JSON-able values (dates as ISO strings,
    people as ``{"full_name", "position"?, "organization"?}``, computed terms filled in)."""
    template = _template(template_id)
    if not isinstance(data, Mapping):
        raise OrderDataError("данные приказа должны быть словарём", where=template.id)
    return template.normalize(data, _regulation(regulation))


# --- the document --------------------------------------------------------------------------------


def _date_number_line(issued_on: date, number: str) -> str:
    return f"{_fmt(issued_on)} № {number}"


def _signatory_line(signatory: Signatory | None, *, final: bool) -> str:
    if final:
        assert signatory is not None
        return f"{signatory.position_label} {initials(signatory.full_name)}"
    if signatory is None or not signatory.full_name:
        return f"{DEFAULT_SIGNATORY_POSITION} {SIGNATURE_BLANK}"
    return f"{signatory.position_label} {SIGNATURE_BLANK} {initials(signatory.full_name)}"


def _render_draft(template: OrderTemplate, data: dict[str, Any], ctx: _Ctx, signatory: Signatory | None) -> str:
    settings = ctx.settings
    clause, purpose = template.purpose(data, ctx)
    if template.id == "curator_appointment" and not ctx.tomsk:
        basis = f"п. 4.1 {_YAKUTSK_ORDER}"
    else:
        basis = _basis(ctx, clause)
    preamble = f"В соответствии с {basis}, {purpose}"
    preamble += ", ПРИКАЗЫВАЮ:" if settings.kind == "ПРИКАЗ" else ":"
    items = [*template.items(data, ctx), (f"Контроль исполнения {settings.kind_genitive} оставляю за собой.", [])]

    lines = [DRAFT_MARK, "", *settings.issuer_lines, "", settings.kind, "", DRAFT_DATE_LINE]
    if settings.place:
        lines.append(settings.place)
    lines += ["", template.subject, "", preamble, ""]
    for n, (text, subs) in enumerate(items, start=1):
        lines.append(f"{n}. {text}")
        lines += [f"{n}.{k}. {sub}" for k, sub in enumerate(subs, start=1)]
    if data.get("basis"):
        lines += ["", f"Основание: {data['basis'].rstrip('.')}."]
    lines += ["", _signatory_line(signatory, final=False)]
    return "\n".join(lines) + "\n"


def _draft_lines(draft: str) -> tuple[list[str], int]:
    text = normalize_newlines(draft or "")
    head = DRAFT_MARK + "\n\n"
    if not text.startswith(head):
        raise OrderDataError(f"текст проекта должен начинаться строкой «{DRAFT_MARK}»", where="body")
    lines = text[len(head):].rstrip("\n").split("\n")
    dated = [i for i, line in enumerate(lines) if line == DRAFT_DATE_LINE]
    if len(dated) != 1:
        raise OrderDataError(f"в тексте проекта должна быть ровно одна строка «{DRAFT_DATE_LINE}» "
                             f"(найдено: {len(dated)})", where="body")
    if SIGNATURE_BLANK not in lines[-1]:
        raise OrderDataError("текст проекта должен заканчиваться строкой подписи с пропуском "
                             f"«{SIGNATURE_BLANK}»", where="body")
    return lines, dated[0]


def check_draft(draft: str) -> None:
    """Raise ``OrderDataError`` unless ``draft`` can be finalized (the «ПРОЕКТ» line, exactly one
    ``DRAFT_DATE_LINE``, the signatory line with ``SIGNATURE_BLANK`` at the end)."""
    _draft_lines(draft)


def finalize_order(draft: str, *, number: str, issued_on: date, signatory: Any, signed_at: datetime,
                   settings: DocumentSettings) -> str:
    """The signed document made of ``draft``: «ПРОЕКТ» removed, date and number filled in, the signer's
    line, the signature stamp. Edits made to the draft's text are kept. Raises ``OrderDataError`` when
    ``draft`` lacks a placeholder (``check_draft``)."""
    signer = Signatory.of(signatory)
    if not signer.full_name:
        raise OrderDataError("не указаны ФИО подписавшего", where="signatory")
    if not number or not str(number).strip():
        raise OrderDataError("не указан номер приказа", where="number")
    if not isinstance(issued_on, date):
        raise OrderDataError("не указана дата приказа", where="issued_on")
    lines, dated = _draft_lines(draft)
    lines[dated] = _date_number_line(issued_on, str(number).strip())
    lines[-1] = _signatory_line(signer, final=True)
    stamp = signature_stamp(signer.full_name, signed_at, settings.zone)
    return "\n".join(lines) + "\n\n" + stamp + "\n"


def render_order(template_id: str, data: Mapping[str, Any], *, regulation: str, settings: DocumentSettings,
                 signatory: Any = None, number: str | None = None, issued_on: date | None = None,
                 signed_at: datetime | None = None) -> str:
    """The text of an order of ``template_id`` (``TEMPLATES``).

    Without ``number``/``issued_on``/``signed_at``: the draft, ``signatory`` being the intended signer
    (may be None). With all three: the signed document, ``signatory`` being the person who signed."""
    template = _template(template_id)
    ctx = _Ctx(_regulation(regulation), settings)
    if not isinstance(data, Mapping):
        raise OrderDataError("данные приказа должны быть словарём", where=template.id)
    normalized = template.normalize(data, ctx.regulation)  # idempotent: normalised data passes unchanged
    final = (number, issued_on, signed_at)
    if any(v is not None for v in final) and any(v is None for v in final):
        raise OrderDataError("для подписанного документа нужны номер, дата и время подписи вместе",
                             where=template.id)
    planned = Signatory.of(signatory) if signatory is not None else None
    draft = _render_draft(template, normalized, ctx, planned)
    if number is None:
        return draft
    if planned is None:
        raise OrderDataError("для подписанного документа нужен подписавший", where="signatory")
    return finalize_order(draft, number=number, issued_on=issued_on, signatory=planned, signed_at=signed_at,
                          settings=settings)
