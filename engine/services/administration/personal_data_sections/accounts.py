"""The person's account (engine/services/people, notifications, audit): API tokens, sign-in links, calendar feed
addresses, notifications and how to send them, the emails sent to them, what they did in the audit trail and the
access log both ways (who read their personal data, whose they read)."""
from __future__ import annotations

from engine.services.administration.personal_data_sections.section import Section

S = Section
SECTIONS: tuple[Section, ...] = (
    S("api_tokens", "Токены API (без самих токенов)", "api_tokens", {"person_id": "владелец"},
      (("name", "назначение"), ("prefix", "начало"), ("created_at", "выпущен"), ("expires_at", "действует до"),
       ("last_used_at", "последнее использование"), ("revoked_at", "отозван"))),
    S("account_links", "Ссылки для входа: приглашения и сброс пароля", "account_links",
      {"person_id": "для кого", "created_by_id": "выдал(а)"},
      (("purpose", "назначение"), ("created_at", "выдана"), ("expires_at", "действует до"), ("used_at", "использована"),
       ("revoked_at", "отозвана"))),
    S("calendar_feeds", "Адреса календаря сроков (без самих адресов)", "calendar_feeds", {"person_id": "владелец"},
      (("created_at", "выдан"), ("last_fetched_at", "последнее обращение календаря"), ("revoked_at", "отключён"))),
    S("notifications", "Уведомления вам", "notifications", {"person_id": "кому"},
      (("created_at", "когда"), ("title", "уведомление"), ("read_at", "прочитано"), ("email_state", "по почте"))),
    S("notification_preferences", "Как присылать уведомления по почте", "notification_preferences",
      {"person_id": "чей выбор"}, (("kind", "вид"), ("email", "выбор"))),
    S("outgoing_emails", "Письма вам (без текста)", "outgoing_emails", {"person_id": "кому"},
      (("created_at", "когда"), ("to_address", "адрес"), ("subject", "тема"), ("status", "состояние"),
       ("sent_at", "отправлено"))),
    S("audit_as_actor", "Журнал действий: что сделали вы", "audit_entries", {"actor_id": "выполнил(а)"},
      (("at", "когда"), ("action", "действие"))),
    S("access_log", "Кто знакомился с вашими персональными данными", "access_log", {"subject_id": "чьи данные"},
      (("at", "когда"), ("viewer_id", "кто"), ("purpose", "цель"))),
    S("access_as_viewer", "Чьи персональные данные просматривали вы", "access_log", {"viewer_id": "просматривал(а)"},
      (("at", "когда"), ("subject_id", "чьи данные"), ("purpose", "цель"))),
)
del S
