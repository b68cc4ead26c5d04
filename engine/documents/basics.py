"""Building blocks of the order documents: settings per organization, signatures and stamps, checks of
the data (people, dates, texts) and the kind of order. Package-internal helpers
keep their leading underscore; the public API is ``engine.documents``."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from engine import regulations
from engine.domain_time import local_day
from engine.errors import NastavnikError
from engine.regulations import RegulationPack
from engine.vocabulary import MENTORSHIP_FORM_LABELS, MentorshipForm

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

    def template_view(self) -> dict[str, Any]:
        """What an order template sees as ``settings`` (``engine.regulations.order_contract.SETTINGS_KEYS``)."""
        return {"kind": self.kind, "kind_genitive": self.kind_genitive, "number_suffix": self.number_suffix,
                "place": self.place, "issuer_lines": list(self.issuer_lines)}


_SETTING_KEYS = {"issuer_lines", "kind", "number_suffix", "time_zone", "place"}


def _pack_defaults(organization: Any) -> dict[str, Any]:
    pack_id = str(getattr(organization, "regulation", "") or "")
    packs = regulations.shipped_packs()
    return dict(packs[pack_id].document_defaults) if pack_id in packs else {}


def settings_for(organization: Any, overrides: Mapping[str, Any] | None = None) -> DocumentSettings:
    """The document settings of ``organization``: defaults of its regulation (time zone Asia/Tomsk or
    Asia/Yakutsk, place), the header from its name (parts separated by «/» or new lines become lines, in
    capitals), «ПРИКАЗ», no number suffix; then ``organization.document_settings`` (a mapping, when the
    organization carries one) and ``overrides`` on top."""
    name = str(getattr(organization, "name", "") or "")
    parts = [p.strip() for chunk in name.split("\n") for p in chunk.split("/")]
    merged: dict[str, Any] = {"issuer_lines": tuple(p.upper() for p in parts if p),
                              **_pack_defaults(organization)}
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


class _Clock(Protocol):
    def now(self) -> datetime: ...


def zone_of(organization: Any) -> ZoneInfo:
    """The time zone of ``organization`` (its own ``document_settings.time_zone`` over its pack's)."""
    return settings_for(organization).zone


def today_in(organization: Any, clock: _Clock) -> date:
    """«Today» of ``organization`` by ``clock`` (the domain's clock): the day where the organization is — the day
    its orders are dated, its terms start and its registries count on (``engine.domain_time.local_day``)."""
    return local_day(clock.now(), zone_of(organization))


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


def fmt_date(day: date) -> str:
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


def checked_date(value: Any, where: str, *, required: bool = True) -> str | None:
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


def parse_day(iso: str) -> date:
    return date.fromisoformat(iso)


def checked_text(value: Any, where: str, *, required: bool = True) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    if not text:
        if required:
            raise OrderDataError("значение обязательно и не может быть пустым", where=where)
        return None
    return text


def checked_person(value: Any, where: str) -> dict[str, str]:
    if isinstance(value, Mapping):
        name, position, org = value.get("full_name"), value.get("position"), value.get("organization")
    elif hasattr(value, "full_name"):
        name, position = value.full_name, getattr(value, "position", None)
        org = getattr(value, "organization", None)
    else:
        raise OrderDataError(f"ожидается участник (ФИО, должность, организация), получено {value!r}", where=where)
    if org is not None and not isinstance(org, str):
        org = getattr(org, "name", None)
    out: dict[str, str] = {"full_name": checked_text(name, f"{where}.full_name") or ""}
    for key, raw in (("position", position), ("organization", org)):
        cleaned = checked_text(raw, f"{where}.{key}", required=False)
        if cleaned:
            out[key] = cleaned
    return out


def checked_people(value: Any, where: str, *, required: bool = True) -> list[dict[str, str]]:
    if value is None:
        value = []
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise OrderDataError("ожидается список участников", where=where)
    people = [checked_person(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if required and not people:
        raise OrderDataError("список не может быть пустым", where=where)
    return people


def form_text(value: Any, where: str) -> str | None:
    """A form of mentorship as the order prints it: the label the data gives (the organization's pack's,
    ``engine.regulations.form_label``), or a vocabulary id turned into the system's label."""
    if value is None or value == "":
        return None
    raw = getattr(value, "value", value)
    try:
        return MENTORSHIP_FORM_LABELS[MentorshipForm(raw)]
    except ValueError:
        return checked_text(raw, where)


def check_keys(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    if not isinstance(data, Mapping):
        raise OrderDataError("данные приказа должны быть словарём", where=where)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise OrderDataError(f"неизвестные поля: {', '.join(unknown)}; допустимо: {', '.join(sorted(allowed))}",
                             where=where)


def field_of(value: Any, key: str, default: Any = None) -> Any:
    if isinstance(value, Mapping):
        return value.get(key, default)
    return getattr(value, key, default)


def participants(value: Any, where: str, *, mentor_key: str = "mentor") -> dict[str, Any]:
    """A pair/group or a program: ``{"mentor", "mentees", "form"?, "started_on"?, "planned_end_on"?}``."""
    if value is None:
        raise OrderDataError("не указаны участники программы (наставник и наставляемые)", where=where)
    out: dict[str, Any] = {
        "mentor": checked_person(field_of(value, mentor_key), f"{where}.{mentor_key}"),
        "mentees": checked_people(field_of(value, "mentees"), f"{where}.mentees"),
    }
    form = form_text(field_of(value, "form"), f"{where}.form")
    if form:
        out["form"] = form
    for key in ("started_on", "planned_end_on"):
        day = checked_date(field_of(value, key), f"{where}.{key}", required=False)
        if day:
            out[key] = day
    return out


# --- the kinds of orders ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderTemplate:
    """A kind of order as the code knows it: its id (a template ``rules/<pack>/orders/<id>.j2``), the order type
    stored on the order, its generic name (lists, messages; the document's own title is the template's) and
    how its data is checked (``normalize(data, pack)``: plain JSON-able values, errors naming the field)."""

    id: str
    order_type: str
    subject: str
    normalize: Callable[[Mapping[str, Any], RegulationPack], dict[str, Any]]


COMMON_KEYS = {"basis"}  # «Основание: …» line (e.g. «ходатайство куратора от 01.06.2026»)


def common_fields(data: Mapping[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    basis = checked_text(data.get("basis"), f"{where}.basis", required=False)
    if basis:
        out["basis"] = basis
    return out
