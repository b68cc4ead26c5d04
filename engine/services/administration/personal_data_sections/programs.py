"""The programs of mentorship (engine/services/mentorship, orders): the decisions of the rules about the person or
asked by them, the stage reports they filed or reviewed, the roadmap events they marked and commented, the plan
corrections they proposed or decided, the files they uploaded and the orders they signed or drafted."""
from __future__ import annotations

from engine.services.administration.personal_data_sections.section import Section

S = Section
SECTIONS: tuple[Section, ...] = (
    S("decisions", "Решения по правилам", "decisions", {"person_id": "о вас", "made_by_id": "запрошено вами"},
      (("made_at", "когда"), ("body.ruleset_title", "правила"), ("body.verdict_label", "вывод"))),
    S("stage_reports", "Отчёты об этапах", "stage_reports",
      {"submitted_by_id": "представил(а)", "reviewer_id": "проверил(а)"},
      (("program_id", "программа №"), ("form_name", "форма"), ("submitted_at", "представлен"),
       ("status", "состояние"), ("reviewed_at", "проверен"), ("review_comment", "замечание"))),
    S("roadmap_events", "Отмеченные мероприятия дорожной карты", "roadmap_events", {"marked_by_id": "отметил(а)"},
      (("program_id", "программа №"), ("number", "пункт"), ("name", "мероприятие"), ("status", "состояние"),
       ("done_on", "проведено"), ("note", "заметка"))),
    S("event_comments", "Комментарии к мероприятиям", "roadmap_event_comments", {"author_id": "автор"},
      (("event_id", "мероприятие (запись №)"), ("created_at", "когда"), ("body", "текст"))),
    S("plan_corrections", "Корректировки плана мероприятий", "plan_corrections",
      {"proposed_by_id": "предложил(а)", "decided_by_id": "решение куратора"},
      (("program_id", "программа №"), ("status", "состояние"), ("proposed_at", "предложена"),
       ("decided_at", "решение"), ("return_reason", "причина возврата"))),
    S("attachments", "Загруженные файлы (сведения о файлах)", "attachments", {"uploaded_by_id": "загрузил(а)"},
      (("file_name", "файл"), ("size_bytes", "размер, байт"), ("uploaded_at", "загружен"),
       ("program_id", "программа №"))),
    S("orders", "Приказы, которые вы подписали или подготовили", "orders",
      {"signer_id": "подписал(а)", "created_by_id": "подготовил(а)"},
      (("number", "номер"), ("issued_on", "дата"), ("subject", "заголовок"), ("status", "состояние"))),
)
del S
