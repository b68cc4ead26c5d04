"""What a regulation asks of each participant (the working group, the curator, …) and what the product offers
for it: the pack's ``duties`` (``rules/<pack>/pack.yaml``), each duty verbatim from the seed with its clause and
the feature of the product that carries it out (or none: the duty is done outside the system)."""
from __future__ import annotations

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
