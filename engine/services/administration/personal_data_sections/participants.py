"""The people's places in mentorship (engine/services/people, mentorship): their roles in organizations, their
appointments as mentors, their entries in the base of mentees, the pairs and groups they mentor or belong to, and
the consents they gave."""
from __future__ import annotations

from engine.services.administration.personal_data_sections.section import Section

S = Section
SECTIONS: tuple[Section, ...] = (
    S("roles", "Роли в организациях", "role_assignments", {"person_id": "роль"},
      (("role", "роль"), ("organization_id", "организация"), ("active", "действует"), ("granted_at", "назначена"),
       ("revoked_at", "снята"))),
    S("mentor_appointments", "Назначения наставником", "mentor_appointments", {"person_id": "наставник"},
      (("organization_id", "организация"), ("starts_on", "начало срока"), ("ends_on", "окончание срока"),
       ("status", "состояние"), ("direction", "направление"), ("released_on", "освобождён(а) с"),
       ("release_reason", "причина освобождения"))),
    S("mentees", "Записи в базе наставляемых", "mentees", {"person_id": "наставляемый"},
      (("organization_id", "организация"), ("registered_on", "внесён(а) в базу"), ("status", "состояние"),
       ("direction", "направление"), ("decision.verdict_label", "категория по решению"))),
    S("groups_as_mentor", "Пары и группы, где вы наставник", "mentoring_groups", {"mentor_id": "наставник"},
      (("id", "пара (группа) №"), ("organization_id", "организация"), ("status", "состояние"),
       ("created_at", "сформирована"), ("mentor_released_on", "наставник освобождён с"))),
    S("group_memberships", "Участие в парах и группах как наставляемый", "group_members", {"person_id": "наставляемый"},
      (("group_id", "пара (группа) №"), ("joined_on", "вошёл (вошла)"), ("left_on", "вышел (вышла)"))),
    S("consents", "Согласия", "consents", {"person_id": "давший согласие"},
      (("kind", "вид"), ("group_id", "пара (группа) №"), ("given_at", "дано"), ("text", "текст"),
       ("withdrawn_at", "отозвано"))),
)
del S
