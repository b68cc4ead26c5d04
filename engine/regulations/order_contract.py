"""What an order template (``rules/<pack>/orders/<kind>.j2``) receives: the data of its kind, as
``engine.documents`` normalises it, and the same names for every kind (``act``, ``pack``, ``settings`` and three
helpers). docs/order-templates.md tells the contract to the methodologist.

The data of a kind is described here as a shape (``ORDER_DATA``): a template sees every field of it — an optional
field that was not given is ``None`` (a list: empty), dates are ``datetime.date``. The shapes are also how the
pack's check makes its sample data (``samples``): each template is rendered with every sample before the pack is
accepted, so a misspelt name fails at load, not on the next order.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Union

from engine.vocabulary import CompletionGround

TEXT, DATE = "text", "date"


@dataclass(frozen=True)
class Leaf:
    type: str  # TEXT or DATE
    required: bool = True
    values: tuple[str, ...] = ()  # the values an enumeration may take


@dataclass(frozen=True)
class Record:
    fields: dict[str, Shape]


@dataclass(frozen=True)
class ListOf:
    item: Shape
    required: bool = True  # a required list has at least one item


Shape = Union[Leaf, Record, ListOf]  # noqa: UP007 - a runtime alias of the three dataclasses

OPTIONAL_TEXT, OPTIONAL_DATE = Leaf(TEXT, required=False), Leaf(DATE, required=False)
PERSON = Record({"full_name": Leaf(TEXT), "position": OPTIONAL_TEXT, "organization": OPTIONAL_TEXT})
PROGRAM = Record({"mentor": PERSON, "mentees": ListOf(PERSON), "form": OPTIONAL_TEXT,
                  "started_on": OPTIONAL_DATE, "planned_end_on": OPTIONAL_DATE})
# one changed event of a plan correction (003 §7.2), as the extension order lists it
PLAN_CHANGE = Record({"event": Leaf(TEXT), "was": Leaf(TEXT), "becomes": Leaf(TEXT), "reason": Leaf(TEXT)})
COMPLETION_GROUNDS = tuple(ground.value for ground in CompletionGround)
PETITIONERS = ("mentee", "mentor", "curator")  # who asked for a mentor's replacement
COMMON_FIELDS: dict[str, Shape] = {"basis": OPTIONAL_TEXT}  # «Основание: …» (the frame prints it)
# the pedagogical council's protocol an order approves by (004 roadmap 3.1.1): its date and number, both or neither
COUNCIL_FIELDS: dict[str, Shape] = {"council_held_on": OPTIONAL_DATE, "council_protocol_number": OPTIONAL_TEXT}

ORDER_DATA: dict[str, Record] = {
    "appointment_of_mentors": Record({"mentors": ListOf(Record({
        "person": PERSON, "starts_on": Leaf(DATE), "ends_on": Leaf(DATE), "direction": OPTIONAL_TEXT}))}),
    "pair_formation": Record({"groups": ListOf(PROGRAM), "starts_on": OPTIONAL_DATE, "ends_on": OPTIONAL_DATE}),
    "curator_appointment": Record({"curator": PERSON, "starts_on": OPTIONAL_DATE}),
    # 003 §7.2: the term extended (new_end_on) or the content corrected — the approved plan corrections
    # (plan_changes), the new form of mentorship (new_form, the pack's label; program.form is the one it replaces)
    "extension": Record({"program": PROGRAM, "new_end_on": OPTIONAL_DATE, "changes": OPTIONAL_TEXT,
                         "plan_changes": ListOf(PLAN_CHANGE, required=False), "new_form": OPTIONAL_TEXT}),
    "completion": Record({"program": PROGRAM, "ground": Leaf(TEXT, values=COMPLETION_GROUNDS),
                          "completed_on": Leaf(DATE), "note": OPTIONAL_TEXT}),
    "mentor_replacement": Record({"program": PROGRAM, "new_mentor": PERSON, "on": Leaf(DATE),
                                  "petition_by": Leaf(TEXT, values=PETITIONERS), "reason": OPTIONAL_TEXT,
                                  "released_on": OPTIONAL_DATE}),  # the former mentor released by order before
    "mentor_release": Record({"mentor": PERSON, "released_on": Leaf(DATE), "reason": OPTIONAL_TEXT,
                              "mentees": ListOf(PERSON, required=False)}),
    # the order set of 004 roadmap item 3.1.1 (engine.documents.normalize_model)
    "target_model": Record({"starts_on": Leaf(DATE)}),
    "implementation_plan": Record({"plan_title": Leaf(TEXT), "starts_on": Leaf(DATE), **COUNCIL_FIELDS}),
    "regulation": Record({"regulation_title": OPTIONAL_TEXT, "effective_on": Leaf(DATE), **COUNCIL_FIELDS}),
    "final_event": Record({"event_title": Leaf(TEXT), "held_on": Leaf(DATE), "place": OPTIONAL_TEXT,
                           "responsible": PERSON}),
    "contest_result": Record({"contest": Leaf(TEXT), "incentive": Leaf(TEXT),
                              "winners": ListOf(Record({"person": PERSON, "place": Leaf(TEXT)}))}),
}
ORDER_KINDS = tuple(ORDER_DATA)

# Names every template may use besides its data (docs/order-templates.md).
CONTEXT_NAMES = ("act", "pack", "settings", "is_standard_term", "is_program_term", "academic_year")
SETTINGS_KEYS = ("kind", "kind_genitive", "number_suffix", "place", "issuer_lines")
SAMPLE_SETTINGS: tuple[dict[str, Any], ...] = (
    {"kind": "ПРИКАЗ", "kind_genitive": "приказа", "number_suffix": "", "place": "г. Образцовск",
     "issuer_lines": ["ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ"]},
    {"kind": "РАСПОРЯЖЕНИЕ", "kind_genitive": "распоряжения", "number_suffix": "р", "place": None,
     "issuer_lines": ["АДМИНИСТРАЦИЯ ГОРОДА", "ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ"]},
)


def shape_of(kind: str) -> Record:
    """The data of ``kind`` with the fields every kind has (``basis``)."""
    return Record({**ORDER_DATA[kind].fields, **COMMON_FIELDS})


def data_names(kind: str) -> tuple[str, ...]:
    return tuple(shape_of(kind).fields)


def view(value: Any, shape: Shape) -> Any:
    """The normalised data (JSON: dates as ISO strings, optional fields left out) as a template sees it: every
    field of the shape present (``None`` / ``[]`` when not given), dates as ``date``."""
    if isinstance(shape, Record):
        given = value if isinstance(value, Mapping) else {}
        shown = {key: view(given.get(key), inner) for key, inner in shape.fields.items()}
        shown.update({key: item for key, item in given.items() if key not in shape.fields})
        return shown
    if isinstance(shape, ListOf):
        return [view(item, shape.item) for item in value or ()]
    if value is None or value == "":
        return None
    if shape.type == DATE and isinstance(value, str):
        return date.fromisoformat(value)
    return value


# --- samples for the check of a pack's templates ------------------------------------------------------------

_NAMES = ("Петров Пётр Петрович", "Сидорова Анна Ивановна", "Орлов Игорь Андреевич", "Новикова Ольга Сергеевна")
_TEXTS = {"position": "директор", "organization": "МАОУ СОШ № 8", "form": "«руководитель – руководитель»",
          "new_form": "Виртуальное (дистанционное) наставничество",
          "direction": "Функциональная грамотность", "basis": "ходатайство куратора от 01.06.2026",
          "changes": "скорректирован план мероприятий", "note": "по семейным обстоятельствам",
          "reason": "длительная командировка", "event": "2.3 «Консультация по теме: …»",
          "was": "срок — 15.05.2025", "becomes": "срок — 01.04.2025",
          "plan_title": "Дорожная карта внедрения целевой модели наставничества на 2024/2025 учебный год",
          "regulation_title": "Положение о наставничестве", "council_protocol_number": "1",
          "event_title": "Педагогическая мастерская наставников", "place": "актовый зал",
          "contest": "Лучший наставник 2026 года", "incentive": "Благодарственное письмо"}
# Dates by field name (full sample, minimal sample): the standard terms of 003 §3.4 (two years) and 004 III.2
# (one academic year) both occur, so either branch of a term's wording is rendered.
_DATES = {"starts_on": ("2024-09-01", "2024-09-01"), "ends_on": ("2026-08-31", "2025-08-31"),
          "started_on": ("2024-09-01", "2024-09-01"), "planned_end_on": ("2026-08-31", "2025-08-31"),
          "new_end_on": ("2026-12-31", "2026-12-31"), "completed_on": ("2026-08-31", "2025-05-31")}


class _Sampler:
    def __init__(self, full: bool, variant: int) -> None:
        self.full, self.variant, self.people = full, variant, 0

    def make(self, shape: Shape, name: str) -> Any:
        if isinstance(shape, Record):
            fields = {key: self.make(inner, key) for key, inner in shape.fields.items()}
            return {key: value for key, value in fields.items() if value is not None}
        if isinstance(shape, ListOf):
            if not self.full and not shape.required:
                return None
            return [self.make(shape.item, name) for _ in range(2 if self.full else 1)]
        if not self.full and not shape.required:
            return None
        if shape.values:
            return shape.values[self.variant % len(shape.values)]
        if shape.type == DATE:
            return _DATES.get(name, ("2025-01-10", "2025-01-10"))[0 if self.full else 1]
        if name == "full_name":
            self.people += 1
            return _NAMES[(self.people - 1) % len(_NAMES)]
        return _TEXTS.get(name, "образец")


def samples(kind: str) -> Iterator[dict[str, Any]]:
    """Normalised sample data of ``kind``: every optional field given (lists of two) and none given (lists of
    one), each enumeration taking each of its values."""
    shape = shape_of(kind)
    variants = max([len(leaf.values) for leaf in shape.fields.values() if isinstance(leaf, Leaf)] + [1])
    for variant in range(variants):
        for full in (True, False):
            yield _Sampler(full, variant).make(shape, kind)
