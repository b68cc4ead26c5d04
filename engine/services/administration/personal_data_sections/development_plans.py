"""The individual plans of professional development (ИППР, engine/services/development_plans): the plans where
the person is the teacher, the mentor or one who agreed, approved, closed or opened it, and the items they added or
marked."""
from __future__ import annotations

from engine.services.administration.personal_data_sections.section import Section

S = Section
SECTIONS: tuple[Section, ...] = (
    S("development_plans", "Индивидуальные планы профессионального развития (ИППР)", "development_plans",
      {"teacher_id": "педагог", "mentor_id": "наставник", "agreed_by_id": "согласовал(а)",
       "approved_by_id": "утвердил(а)", "closed_by_id": "подвёл(а) итоги", "created_by_id": "открыл(а)"},
      (("organization_id", "организация"), ("academic_year", "учебный год с"), ("state", "состояние"),
       ("agreed_on", "согласован"), ("approved_on", "утверждён"), ("closed_on", "итоги"), ("conclusion", "вывод"))),
    S("development_plan_items", "Пункты ИППР, которые вы внесли или отметили", "development_plan_items",
      {"created_by_id": "внёс(ла)", "marked_by_id": "отметил(а)"},
      (("plan_id", "ИППР №"), ("section", "раздел"), ("what", "что"), ("due_on", "срок"),
       ("expected_result", "ожидаемый результат"), ("outcome", "выполнено"), ("result", "результат"))),
)
del S
