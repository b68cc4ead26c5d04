"""What a regulation asks of each participant (the working group, the curator, …) and what the product offers
for it: the pack's ``duties`` (``rules/<pack>/pack.yaml``), each duty verbatim from the seed with its clause and
the feature of the product that carries it out (or none: the duty is done outside the system)."""
from __future__ import annotations

from engine.regulations.manifest import Manifest
from engine.regulations.pack_parts import Duty

DUTY_HOLDERS: dict[str, str] = {
    "working_group": "Рабочая группа",
    "curator": "Куратор",
    "head": "Руководитель",
    "mentor": "Наставник",
    "mentee": "Наставляемый",
}
# A feature of the product: its id (what the pages link to) and its Russian name.
FEATURES: dict[str, str] = {
    "mentor_registry": "База наставников",
    "mentee_registry": "База наставляемых",
    "mentor_appointment": "Назначение наставников",
    "pairs": "Формирование наставнических пар и групп",
    "programs": "Реестр программ наставничества",
    "roadmap": "Этапы и мероприятия программы (дорожная карта)",
    "stage_reports": "Отчёты об этапах программы",
    "monitoring": "Мониторинг и оценка результатов",
    "base_review": "Ежегодная сверка базы наставников и наставляемых",
    "petitions": "Ходатайства участников",
    "orders": "Приказы руководителя",
    "council": "Совет наставников: сессии и протоколы",
    "individual_plans": "Индивидуальные планы профессионального развития педагогов (ИППР)",
    "practices": "Банк лучших практик и кейсов",
    "incentives": "Поощрения наставников",
    "contests": "Конкурс на лучшего наставника",
}


def duties(m: Manifest) -> list[Duty]:
    """``duties:`` — each with whose it is (``by``: one of ``DUTY_HOLDERS``), its text and clause, and the feature
    that carries it out (one of ``FEATURES``; absent or null: outside the system)."""
    return [_duty(m, at, entry) for at, entry in m.entries("duties")]


def _duty(m: Manifest, at: str, entry: dict) -> Duty:
    by, feature = entry.get("by"), entry.get("feature")
    if by not in DUTY_HOLDERS:
        m.fail(f"{at}by", f"чья обязанность: одно из {', '.join(DUTY_HOLDERS)}")
    if feature is not None and feature not in FEATURES:
        m.fail(f"{at}feature", f"«{feature}»: ожидается одно из {', '.join(FEATURES)} или null (вне системы)")
    return Duty(by=str(by), text=m.text(entry, "text", at) or "", clause=m.clause(entry, at),
                feature=str(feature) if feature in FEATURES else None)
