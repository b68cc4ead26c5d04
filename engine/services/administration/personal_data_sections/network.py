"""Network mentorship (engine/services/network): the groups the person mentors or formed, their membership as a
trainee (or the reviews they gave), the records of work and the diagnoses of competencies they recorded."""
from __future__ import annotations

from engine.services.administration.personal_data_sections.section import Section

S = Section
SECTIONS: tuple[Section, ...] = (
    S("network_groups", "Группы сетевого наставничества", "network_groups",
      {"mentor_id": "сетевой наставник", "formed_by_id": "сформировал(а)"},
      (("direction", "направление"), ("academic_year", "учебный год с"), ("starts_on", "с"), ("ends_on", "по"),
       ("work_plan", "план работы"))),
    S("network_members", "Участие в сетевом наставничестве (стажёр)", "network_members",
      {"person_id": "стажёр", "reviewed_by_id": "дал(а) отзыв"},
      (("group_id", "группа №"), ("plan_goals", "цели плана"), ("plan_actions", "действия плана"),
       ("plan_fulfilled", "план выполнен"), ("fulfilment", "отзыв"), ("business_qualities", "деловые качества"),
       ("activity_results", "результаты"))),
    S("network_work_records", "Записи о работе сетевого наставника", "network_work_records",
      {"recorded_by_id": "записал(а)"}, (("held_on", "дата"), ("topic", "тема"), ("note", "заметка"))),
    S("competence_diagnoses", "Диагностика компетенций, которую вы записали", "competence_diagnoses",
      {"recorded_by_id": "записал(а)"},
      (("recorded_at", "когда"), ("difficulties", "затруднения"), ("help_needed", "нужная помощь"))),
)
del S
