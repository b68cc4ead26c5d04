"""The seven positions of 002 §4.2.2 («Алгоритм разработки индивидуального образовательного маршрута») and the
sections each records; a step's body is checked here, each problem naming the step and the field in Russian."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.errors import NastavnikError

# 002 §4.2.2 (2), (3): the areas the teacher diagnoses achievements and deficits in
AREAS: dict[str, str] = {
    "theory": "научно-теоретические",
    "legal": "нормативные правовые",
    "subject": "предметно-профессиональные",
    "psychology": "психолого-педагогические (ориентированные на обучающихся и их родителей)",
    "methods": "методические (содержание образования, методики и технологии обучения)",
    "ict": "ИКТ-компетенции, цифровизация образования",
    "upbringing": "внеурочная и воспитательная деятельность",
    "health": "здоровьесбережение обучающихся",
}


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    required: bool = False


@dataclass(frozen=True)
class StepSpec:
    number: int
    id: str
    title: str
    clause: str
    fields: tuple[Field, ...]
    by_area: bool = False  # the body gives a text per area of AREAS (at least one)

    @property
    def heading(self) -> str:
        return f"Шаг {self.number}. {self.title}"


STEPS: tuple[StepSpec, ...] = (
    StepSpec(1, "self_determination", "Самоопределение (саморефлексия) педагога", "002 §4.2.2 (1)", (
        Field("image", "Описание идеального, желаемого образа самого себя как состоявшегося профессионала", True),)),
    StepSpec(2, "achievements", "Диагностика (самодиагностика) достижений, достоинств и личностных ресурсов",
             "002 §4.2.2 (2)", (), by_area=True),
    StepSpec(3, "deficits", "Диагностика (самодиагностика) профессиональных затруднений и дефицитов",
             "002 §4.2.2 (3)", (), by_area=True),
    StepSpec(4, "roadmap", "Составление дорожной карты индивидуального образовательного маршрута", "002 §4.2.2 (4)", (
        Field("dpo_schedule", "а) График обучения по программам дополнительного профессионального образования", True),
        Field("trials", "б) Инновационные для педагога пробно-поисковые действия в совместной с обучающимися "
                        "деятельности"),
        Field("projects", "в) Участие в разработке и реализации инновационных программ и педагогических проектов; "
                          "исследовательская деятельность"),
        Field("measures", "г) Комплекс и последовательность конкретных мер и мероприятий", True))),
    StepSpec(5, "implementation", "Реализация дорожной карты", "002 §4.2.2 (5)", (
        Field("products", "Достижения по мероприятиям — педагогические продукты (диагностики, методические "
                          "рекомендации, разработки занятий, сценарии мероприятий…)", True),
        Field("attitude", "Субъективное отношение к достигнутым результатам"))),
    StepSpec(6, "correction", "Корректировка дорожной карты", "002 §4.2.2 (6)", (
        Field("changes", "Дополнения и изменения, вносимые в дорожную карту", True),
        Field("reasons", "Под влиянием каких изменений (в образовании, в запросах и потребностях педагога и "
                         "участников образовательного процесса)"))),
    StepSpec(7, "reflection", "Рефлексивный анализ эффективности индивидуального образовательного маршрута",
             "002 §4.2.2 (7)", (
        Field("by_deficit", "Рефлексия процесса и достигнутых результатов по каждому из дефицитов", True),
        Field("image_distance", "Степень приближения к желаемому образу педагога-профессионала", True))),
)
BY_NUMBER = {spec.number: spec for spec in STEPS}
MAX_TEXT = 8000


def spec(number: int) -> StepSpec:
    found = BY_NUMBER.get(number)
    if found is None:
        raise NastavnikError(f"шага {number} нет: алгоритм ИОМ — семь шагов (002 §4.2.2)", where="step")
    return found


def checked_body(step: StepSpec, raw: Any) -> dict[str, str]:
    """The step's sections from ``raw`` (a mapping of field id → text), trimmed; a required field empty, or no area
    filled in a diagnostics step, is refused naming the step and the field."""
    if not isinstance(raw, dict):
        raise NastavnikError(f"{step.heading}: ожидается заполненная форма шага", where="body")
    ids = list(AREAS) if step.by_area else [f.id for f in step.fields]
    body: dict[str, str] = {}
    for key in ids:
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise NastavnikError(f"{step.heading}: поле «{_label(step, key)}» — ожидается текст", where=key)
        text = value.strip()
        if len(text) > MAX_TEXT:
            raise NastavnikError(f"{step.heading}: поле «{_label(step, key)}» длиннее {MAX_TEXT} символов", where=key)
        if text:
            body[key] = text
    if step.by_area and not body:
        raise NastavnikError(f"{step.heading}: заполните хотя бы одну область ({', '.join(AREAS.values())})",
                             where="body")
    for field in step.fields:
        if field.required and field.id not in body:
            raise NastavnikError(f"{step.heading}: заполните поле «{field.label}»", where=field.id)
    return body


def _label(step: StepSpec, key: str) -> str:
    if step.by_area:
        return AREAS.get(key, key)
    return next((f.label for f in step.fields if f.id == key), key)


def sections(step: StepSpec, body: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) of a recorded step, in the step's order (what the pages show)."""
    ids = list(AREAS) if step.by_area else [f.id for f in step.fields]
    return [(_label(step, key), str(body[key])) for key in ids if body.get(key)]
