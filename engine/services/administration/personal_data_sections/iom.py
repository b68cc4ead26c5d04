"""The individual educational routes (ИОМ, engine/services/iom): the routes where the person is the teacher, the
tutor or who opened it, the steps and yearly reviews they recorded, the programs they attached."""
from __future__ import annotations

from engine.services.administration.personal_data_sections.section import Section

S = Section
SECTIONS: tuple[Section, ...] = (
    S("iom_routes", "Индивидуальные образовательные маршруты (ИОМ)", "iom_routes",
      {"teacher_id": "педагог", "tutor_id": "тьютор", "created_by_id": "открыл(а)"},
      (("organization_id", "организация"), ("years", "лет"), ("starts_on", "начало"), ("ends_on", "окончание"),
       ("step", "шаг"))),
    S("iom_steps", "Шаги ИОМ, которые вы записали", "iom_steps", {"done_by_id": "записал(а)"},
      (("route_id", "ИОМ №"), ("step", "шаг"), ("done_on", "когда"), ("body", "содержание"))),
    S("iom_reviews", "Ежегодные пересмотры ИОМ, которые вы провели", "iom_reviews", {"done_by_id": "провёл(а)"},
      (("route_id", "ИОМ №"), ("year", "год"), ("done_on", "когда"), ("conclusion", "вывод"),
       ("corrections", "корректировка"))),
    S("iom_programs", "Программы, прикреплённые к ИОМ", "iom_programs", {"attached_by_id": "прикрепил(а)"},
      (("route_id", "ИОМ №"), ("program_id", "программа №"), ("attached_on", "когда"))),
)
del S
