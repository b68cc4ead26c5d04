"""Recognition (engine/services/recognition): the mentor's encouragements and the contests «Лучший наставник»
(announced, nominations, jurors, votes), the bank of practices with its files; besides, the mentor's bonus
(``MENTOR_BONUSES``: the page shows it apart from the others, further up)."""
from __future__ import annotations

from engine.services.administration.personal_data_sections.section import Section

S = Section
SECTIONS: tuple[Section, ...] = (
    S("incentives", "Поощрения наставника", "incentives", {"mentor_id": "поощрён(а)", "recorded_by_id": "записал(а)"},
      (("kind_label", "мера поощрения"), ("awarded_on", "дата"), ("basis", "основание"), ("percent", "надбавка, %"),
       ("document_name", "документ"))),
    S("mentor_contests", "Конкурсы «Лучший наставник», которые вы объявили", "mentor_contests",
      {"created_by_id": "объявил(а)"}, (("title", "конкурс"), ("status", "состояние"), ("created_at", "объявлен"))),
    S("contest_nominations", "Выдвижение на конкурс «Лучший наставник»", "contest_nominations",
      {"mentor_id": "выдвинут(а)", "nominated_by_id": "выдвинул(а)"},
      (("contest_id", "конкурс №"), ("basis", "основание"), ("place", "место"), ("winner", "победитель"))),
    S("contest_jurors", "Участие в жюри конкурса", "contest_jurors", {"person_id": "член жюри"},
      (("contest_id", "конкурс №"),)),
    S("contest_votes", "Оценки, которые вы поставили как член жюри", "contest_votes", {"juror_id": "член жюри"},
      (("nomination_id", "кандидатура №"), ("score", "оценка"), ("voted_at", "когда"))),
    S("practices", "Практики и кейсы банка практик", "practices",
      {"author_id": "автор", "reviewed_by_id": "рассмотрел(а)"},
      (("title", "название"), ("status", "состояние"), ("submitted_at", "представлена"),
       ("review_comment", "замечание"))),
    S("practice_files", "Файлы практик (сведения о файлах)", "practice_files", {"uploaded_by_id": "загрузил(а)"},
      (("file_name", "файл"), ("size_bytes", "размер, байт"), ("uploaded_at", "загружен"),
       ("practice_id", "практика №"))),
)
# apart from SECTIONS: the page lists it further up, where ``__init__`` places it
MENTOR_BONUSES = S("mentor_bonuses", "Премия наставника", "mentor_bonuses",
                   {"mentor_id": "наставник", "decided_by_id": "решил(а)"},
                   (("term_starts_on", "срок с"), ("term_ends_on", "срок по"), ("mentee_count", "наставляемых"),
                    ("salaries", "окладов"), ("revoked", "отменена"), ("reason", "причина")))
del S
