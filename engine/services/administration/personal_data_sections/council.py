"""The mentors' council (engine/services/council): the chair, the members, the sessions the person called, kept the
minutes of or signed as chair, their attendance, votes and agreements of the council's decisions."""
from __future__ import annotations

from engine.services.administration.personal_data_sections.section import Section

S = Section
SECTIONS: tuple[Section, ...] = (
    S("council_chair", "Председатель совета наставников", "councils", {"chair_id": "председатель"},
      (("organization_id", "организация"),)),
    S("council_members", "Членство в совете наставников", "council_members", {"person_id": "член совета"},
      (("council_id", "совет №"), ("added_on", "включён(а) в состав"))),
    S("council_sessions", "Сессии совета наставников: назначили, секретарь, подписи протокола", "council_sessions",
      {"created_by_id": "назначил(а)", "secretary_id": "секретарь", "chair_signer_id": "подписал(а) как председатель"},
      (("number", "протокол №"), ("held_on", "дата"), ("status", "состояние"), ("secretary_signed_at", "подпись секретаря"),
       ("chair_signed_at", "подпись председателя"))),
    S("council_attendance", "Присутствие на сессиях совета наставников", "council_attendance",
      {"person_id": "присутствовал(а)"}, (("session_id", "сессия №"),)),
    S("council_votes", "Голоса на сессиях совета наставников", "council_votes", {"person_id": "голосовал(а)"},
      (("item_id", "вопрос №"), ("choice", "голос"), ("cast_at", "когда"))),
    S("council_agreements", "Согласование решений совета наставников", "council_agenda_items",
      {"agreed_by_id": "согласовал(а)"}, (("title", "вопрос"), ("agreement", "решение администрации"),
                                          ("agreed_at", "когда"))),
)
del S
