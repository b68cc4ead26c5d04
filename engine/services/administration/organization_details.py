"""What an administrator enters about an organization, checked field by field: the name and short name, the
kind (one its regulation pack allows), the regulation (a root organization chooses among the packs; a subordinate
one works by its parent's), ИНН and ОГРН (optional, with their control digits), the document settings of its
orders (``engine.documents.basics.DocumentSettings``: «ПРИКАЗ»/«РАСПОРЯЖЕНИЕ», the number's suffix, the issuer's
lines, the time zone, the place) and the dates its mentors report by, where its pack names such dates (003 п. 3:
«до 10 июня, 10 декабря»; ``engine.regulations.report_dates``). Every problem is named by its field
(``OrganizationDataError``)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from engine import regulations
from engine.documents.basics import KINDS, OrderDataError, settings_for
from engine.errors import ProblemsError
from engine.regulations import RegulationPack
from engine.regulations.calendar_days import parse_calendar_days
from engine.regulations.report_dates import pack_days, parse_days
from engine.vocabulary import organization_kind_label

ROOT_KINDS = ("department", "school", "college")  # a first organization: a department, a single school or college (002)
DOCUMENT_KEYS = ("kind", "number_suffix", "issuer_lines", "time_zone", "place")

LABELS = {
    "name": "Полное наименование",
    "short_name": "Краткое наименование",
    "kind": "Вид организации",
    "regulation": "Положение о наставничестве",
    "inn": "ИНН",
    "ogrn": "ОГРН",
    "document_settings": "Настройки документов",
    "document_settings.kind": "Вид распорядительного акта",
    "document_settings.number_suffix": "Суффикс номера",
    "document_settings.issuer_lines": "Строки шапки (издающая организация)",
    "document_settings.time_zone": "Часовой пояс",
    "document_settings.place": "Место издания",
    "report_dates": "Даты отчётов наставников",
    "calendar_days": "Сроки мониторинга и сверки базы",
}
# Russia's time zones as people name them (an order's date and its signature stamp are in the organization's zone)
TIME_ZONE_LABELS = {
    "Europe/Kaliningrad": "Калининград (МСК−1)", "Europe/Moscow": "Москва (МСК)", "Europe/Samara": "Самара (МСК+1)",
    "Asia/Yekaterinburg": "Екатеринбург (МСК+2)", "Asia/Omsk": "Омск (МСК+3)",
    "Asia/Novosibirsk": "Новосибирск (МСК+4)", "Asia/Tomsk": "Томск (МСК+4)", "Asia/Krasnoyarsk": "Красноярск (МСК+4)",
    "Asia/Irkutsk": "Иркутск (МСК+5)", "Asia/Yakutsk": "Якутск (МСК+6)", "Asia/Vladivostok": "Владивосток (МСК+7)",
    "Asia/Magadan": "Магадан (МСК+8)", "Asia/Kamchatka": "Петропавловск-Камчатский (МСК+9)",
}
MAX_LENGTHS = {"name": 500, "short_name": 120, "document_settings.place": 120}
INN_10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
INN_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
INN_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


@dataclass(frozen=True)
class DetailProblem:
    field: str
    message: str

    @property
    def label(self) -> str:
        return LABELS.get(self.field) or LABELS.get(self.field.split(".", 1)[0], self.field)

    def __str__(self) -> str:
        return f"«{self.label}»: {self.message}"


class OrganizationDataError(ProblemsError):
    """The organization's data refused: ``problems`` names every field that is wrong."""

    when_none = "данные организации не приняты"


# -- ИНН / ОГРН --------------------------------------------------------------------------------------

def _weighted(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn_problem(inn: str) -> str | None:
    """Why ``inn`` is no ИНН (10 digits of an organization, 12 of an individual; control digits), else None."""
    if not inn.isdigit() or len(inn) not in (10, 12):
        return "ИНН — 10 цифр (организация) или 12 цифр (индивидуальный предприниматель)"
    if len(inn) == 10:
        valid = _weighted(inn, INN_10) == int(inn[9])
    else:
        valid = _weighted(inn, INN_11) == int(inn[10]) and _weighted(inn, INN_12) == int(inn[11])
    return None if valid else "неверное контрольное число ИНН — проверьте цифры"


def ogrn_problem(ogrn: str) -> str | None:
    """Why ``ogrn`` is no ОГРН (13 digits) or ОГРНИП (15 digits) with its control digit, else None."""
    if not ogrn.isdigit() or len(ogrn) not in (13, 15):
        return "ОГРН — 13 цифр (ОГРНИП — 15 цифр)"
    body, modulus = (ogrn[:12], 11) if len(ogrn) == 13 else (ogrn[:14], 13)
    valid = int(body) % modulus % 10 == int(ogrn[-1])
    return None if valid else "неверное контрольное число ОГРН — проверьте цифры"


# -- the details as a whole ------------------------------------------------------------------------

def _text(raw: Mapping[str, Any], key: str, problems: list[DetailProblem]) -> str | None:
    value = raw.get(key.rsplit(".", 1)[-1])
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(DetailProblem(key, "ожидается строка"))
        return None
    text = " ".join(value.split())
    limit = MAX_LENGTHS.get(key)
    if limit is not None and len(text) > limit:
        problems.append(DetailProblem(key, f"длиннее {limit} знаков"))
    return text or None


def _lines(value: Any, problems: list[DetailProblem]) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.replace("\r", "").split("\n")
    if not isinstance(value, list) or not all(isinstance(line, str) for line in value):
        problems.append(DetailProblem("document_settings.issuer_lines", "ожидается список строк"))
        return None
    lines = [" ".join(line.split()) for line in value if line.strip()]
    if len(lines) > 6 or any(len(line) > 200 for line in lines):
        problems.append(DetailProblem("document_settings.issuer_lines", "не больше 6 строк по 200 знаков"))
    return lines or None


def document_settings(raw: Any, problems: list[DetailProblem]) -> dict[str, Any] | None:
    """The settings the administrator set (empty ones are left to the pack's defaults and the name)."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        problems.append(DetailProblem("document_settings", "ожидается объект с настройками"))
        return None
    unknown = sorted(set(raw) - set(DOCUMENT_KEYS))
    if unknown:
        problems.append(DetailProblem("document_settings", f"неизвестные настройки: {', '.join(unknown)}; "
                                                           f"допустимы: {', '.join(DOCUMENT_KEYS)}"))
    settings: dict[str, Any] = {}
    for key in ("kind", "number_suffix", "time_zone", "place"):
        value = _text(raw, f"document_settings.{key}", problems)
        if value is not None:
            settings[key] = value.upper() if key == "kind" else value
    lines = _lines(raw.get("issuer_lines"), problems)
    if lines:
        settings["issuer_lines"] = lines
    if settings.get("kind") not in (None, *KINDS):
        problems.append(DetailProblem("document_settings.kind", f"«{raw.get('kind')}» — допустимо: "
                                                                f"{', '.join(f'«{k}»' for k in KINDS)}"))
        settings.pop("kind")
    return settings or None


def check_document_settings(regulation: str, name: str, settings: dict[str, Any] | None,
                            problems: list[DetailProblem]) -> None:
    """The settings as the orders will read them (``settings_for``): a refused one named by its field."""
    try:
        settings_for(SimpleNamespace(regulation=regulation, name=name, document_settings=settings))
    except OrderDataError as refused:
        problems.append(DetailProblem(refused.where or "document_settings", refused.message))


def allowed_kinds(regulation: RegulationPack, *, root: bool) -> tuple[str, ...]:
    """Kinds an organization bound to ``regulation`` may be (a root: a department or a school)."""
    kinds = regulation.organization_kinds or ROOT_KINDS
    return tuple(kind for kind in kinds if not root or kind in ROOT_KINDS)


def kind_choices(regulation: RegulationPack, *, root: bool) -> list[tuple[str, str]]:
    return [(kind, organization_kind_label(kind)) for kind in allowed_kinds(regulation, root=root)]


def _regulation(raw: Mapping[str, Any], regulation_id: str | None, root: bool, current: str | None,
                problems: list[DetailProblem]) -> str | None:
    """The pack the organization works by: a new root's choice, else the one it has (its parent's)."""
    packs = regulations.shipped_packs()
    if regulation_id is not None:
        if "regulation" in raw and raw["regulation"] not in (None, "", regulation_id):
            problems.append(DetailProblem("regulation", (
                "положение организации привязывает методист (раздел «Положения»), не администратор" if root else
                f"подчинённая организация работает по положению вышестоящей («{regulation_id}»)")))
        return regulation_id
    chosen = _text(raw, "regulation", problems) or current
    if chosen is None:
        problems.append(DetailProblem("regulation", "выберите положение: " + ", ".join(sorted(packs))))
    elif chosen not in packs:
        problems.append(DetailProblem("regulation", f"нет положения «{chosen}»; есть: {', '.join(sorted(packs))}"))
        return None
    return chosen


def _kind(kind: str | None, regulation_id: str | None, root: bool, problems: list[DetailProblem]) -> None:
    if regulation_id is None:
        return
    kinds = allowed_kinds(regulations.shipped_packs()[regulation_id], root=root)
    if kind not in kinds:
        shown = ", ".join(f"«{organization_kind_label(k)}»" for k in kinds)
        said = f"«{organization_kind_label(kind)}» не подходит; " if kind else "выберите вид организации: "
        problems.append(DetailProblem("kind", f"{said}допустимо: {shown}"))


def _registration_codes(raw: Mapping[str, Any], values: dict[str, Any], problems: list[DetailProblem]) -> None:
    """ИНН and ОГРН sent, with their control digits checked."""
    for key, check in (("inn", inn_problem), ("ogrn", ogrn_problem)):
        if key in raw:
            values[key] = _text(raw, key, problems)
            problem = check(values[key]) if values[key] else None
            if problem:
                problems.append(DetailProblem(key, problem))


def checked_details(raw: Mapping[str, Any], *, regulation_id: str | None, root: bool,
                    current: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The organization's details from ``raw`` (missing keys keep ``current``, for an edit), every problem
    named by field. ``regulation_id``: the parent's pack (a subordinate organization works by it) or, for a new
    root, None (chosen in ``raw``)."""
    problems: list[DetailProblem] = []
    values: dict[str, Any] = dict(current or {})
    unknown = sorted(set(raw) - {"name", "short_name", "kind", "regulation", "inn", "ogrn", "document_settings",
                                 "report_dates", "calendar_days"})
    problems += [DetailProblem(key, "такого поля нет") for key in unknown]
    for key in ("name", "short_name", "kind"):
        if key in raw or key not in values:
            values[key] = _text(raw, key, problems)
    if not values.get("name"):
        problems.append(DetailProblem("name", "обязательное поле не заполнено"))
    values["regulation"] = chosen = _regulation(raw, regulation_id, root, values.get("regulation"), problems)
    _kind(values.get("kind"), chosen, root, problems)
    _registration_codes(raw, values, problems)
    if "document_settings" in raw:
        values["document_settings"] = document_settings(raw["document_settings"], problems)
    if chosen is not None and values.get("name"):
        check_document_settings(chosen, values["name"], values.get("document_settings"), problems)
    if "report_dates" in raw:
        values["report_dates"] = checked_report_dates(raw["report_dates"], chosen, problems)
    if "calendar_days" in raw and chosen is not None:
        values["calendar_days"], refused = parse_calendar_days(raw["calendar_days"], regulations.shipped_packs()[chosen])
        problems += [DetailProblem(f"calendar_days.{entry}" if entry else "calendar_days", message)
                     for entry, message in refused]
    if problems:
        raise OrganizationDataError(problems, where="organization")
    if chosen is not None and values.get("document_settings"):
        values["document_settings"] = beyond_defaults(chosen, values["name"], values["document_settings"])
    return values


def checked_report_dates(raw: Any, regulation_id: str | None, problems: list[DetailProblem]) -> list[str] | None:
    """The dates the organization's mentors report by (["06-10", "12-10"]); None — the pack's (also when they are
    the pack's: only a real change is stored and audited)."""
    days, problem = parse_days(raw)
    if problem is not None:
        problems.append(DetailProblem("report_dates", problem))
        return None
    if regulation_id is None:
        return None
    pack = pack_days(regulations.shipped_packs()[regulation_id])
    if days and not pack:
        problems.append(DetailProblem("report_dates", "положение организации не называет дат отчётов наставников"))
        return None
    return None if days == pack else days


def beyond_defaults(regulation: str, name: str, settings: dict[str, Any]) -> dict[str, Any] | None:
    """Only the settings that differ from what the pack and the name give anyway (a form that shows «ПРИКАЗ»
    does not store it; the audit then records real changes only)."""
    defaults = settings_for(SimpleNamespace(regulation=regulation, name=name, document_settings=None)).as_dict()
    kept = {key: value for key, value in settings.items() if defaults.get(key) != value}
    return kept or None
