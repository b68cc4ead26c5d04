"""The reports of the regulation's calendar and monitoring (engine/services/curation, monitoring): the calendar
reports and the mentor's periodic reports they filed, the conclusions of analytic reports they wrote, the yearly
roadmaps they started and the items they marked."""
from __future__ import annotations

from engine.services.administration.personal_data_sections.section import Section

S = Section
SECTIONS: tuple[Section, ...] = (
    S("calendar_reports", "Отчёты по календарю регламента", "calendar_reports", {"filed_by_id": "представил(а)"},
      (("due_on", "срок"), ("filed_on", "представлен"), ("conclusions", "выводы"))),
    S("mentor_period_reports", "Ваши отчёты наставника к датам календаря (10 июня, 10 декабря)", "mentor_period_reports",
      {"mentor_id": "наставник"}, (("due_on", "срок"), ("filed_on", "представлен"), ("body.comment", "комментарий"))),
    S("analytic_reports", "Выводы аналитических отчётов, которые вы написали", "analytic_reports",
      {"author_id": "автор выводов"}, (("organization_id", "организация"), ("kind", "вид отчёта"), ("period", "период"),
                                       ("conclusions", "выводы"), ("updated_at", "изменены"))),
    S("roadmap_years", "Дорожные карты года, которые вы начали", "roadmap_years", {"started_by_id": "начал(а)"},
      (("organization_id", "организация"), ("status", "состояние"))),
    S("roadmap_year_items", "Пункты дорожной карты года", "roadmap_year_items",
      {"done_by_id": "отметил(а) выполнение", "measures_by_id": "записал(а) меры"},
      (("number", "пункт"), ("name", "мероприятие"), ("status", "состояние"), ("evidence", "подтверждение"),
       ("measures", "меры"))),
)
del S
