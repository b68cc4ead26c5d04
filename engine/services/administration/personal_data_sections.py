"""What the personal-data export (152-ФЗ, ст. 14) reads: one ``Section`` per table holding a column that names a
person, each with its Russian title, what the person is to the row (by column) and the columns a reader sees
on the page (the JSON document carries every column but the ``WITHHELD`` ones).

``SECTIONS`` must name every column of the database that refers to ``persons``: the test
tests/engine/services/administration/test_personal_data_coverage.py walks ``Base.metadata`` and fails on a table
or column left out, so a new table cannot be forgotten by the export.
"""
from __future__ import annotations

from dataclasses import dataclass

# columns never exported, with the reason (a secret, or a work product that is not data about the person)
WITHHELD: dict[tuple[str, str], str] = {
    ("persons", "password_hash"): "хеш пароля — секрет; в выгрузке указано только, задан ли пароль",
    ("api_tokens", "token_sha256"): "хеш токена — секрет",
    ("account_links", "token_sha256"): "хеш ссылки — секрет",
    ("calendar_feeds", "token_sha256"): "хеш адреса календаря — секрет",
    ("outgoing_emails", "text_body"): "текст письма может содержать одноразовую ссылку; тема и состояние — в выгрузке",
    ("outgoing_emails", "html_body"): "то же письмо в HTML",
    ("attachments", "content"): "содержимое файла выдаётся по ссылке на файл, в выгрузке — сведения о нём",
    ("process_definitions", "bpmn"): "текст схемы процесса — не сведения о человеке",
    ("process_definitions", "spec_json"): "служебное представление процесса",
    ("workflow_instances", "state"): "служебное состояние процесса",
    ("rule_file_versions", "content"): "текст файла правил — не сведения о человеке",
    ("regulation_pack_versions", "files"): "файлы пакета регламента — не сведения о человеке",
    ("orders", "document_signature"): "подпись CMS приказа (проверяется командой nastavnik verify)",
    ("incentives", "document_content"): "содержимое документа о поощрении выдаётся по ссылке, в выгрузке — сведения о нём",
    ("practice_files", "content"): "содержимое файла практики выдаётся по ссылке, в выгрузке — сведения о нём",
}


@dataclass(frozen=True)
class Section:
    """Rows of ``table`` where one of ``person_columns`` is the person (``{column: what the person is to the row}``);
    ``shown``: (column or «column.key» of a JSON column, Russian label) for the page."""

    key: str
    title: str
    table: str
    person_columns: dict[str, str]
    shown: tuple[tuple[str, str], ...]


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
    S("attachments", "Загруженные файлы (сведения о файлах)", "attachments", {"uploaded_by_id": "загрузил(а)"},
      (("file_name", "файл"), ("size_bytes", "размер, байт"), ("uploaded_at", "загружен"),
       ("program_id", "программа №"))),
    S("orders", "Приказы, которые вы подписали или подготовили", "orders",
      {"signer_id": "подписал(а)", "created_by_id": "подготовил(а)"},
      (("number", "номер"), ("issued_on", "дата"), ("subject", "заголовок"), ("status", "состояние"))),
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
    S("process_definitions", "Версии процессов, которые вы сохранили или ввели в действие", "process_definitions",
      {"deployed_by_id": "сохранил(а)"}, (("name", "процесс"), ("version", "версия"), ("deployed_at", "когда"))),
    S("rule_file_versions", "Версии файлов правил", "rule_file_versions",
      {"saved_by_id": "сохранил(а)", "deployed_by_id": "ввёл (ввела) в действие"},
      (("file_name", "файл"), ("version", "версия"), ("saved_at", "сохранена"), ("deployed_at", "введена"))),
    S("pack_versions", "Версии пакетов регламентов", "regulation_pack_versions",
      {"saved_by_id": "сохранил(а)", "deployed_by_id": "ввёл (ввела) в действие"},
      (("pack_id", "пакет"), ("version", "версия"), ("saved_at", "сохранена"), ("deployed_at", "введена"))),
    S("workflow_instances", "Процессы, которые вы начали", "workflow_instances", {"started_by_id": "начал(а)"},
      (("id", "процесс №"), ("organization_id", "организация"), ("status", "состояние"))),
    S("open_tasks", "Шаги процессов, назначенные вам", "open_tasks", {"assignee_id": "исполнитель"},
      (("name", "шаг"), ("instance_id", "процесс №"))),
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
    S("script_incidents", "Сбои сценариев процессов при ваших действиях", "script_incidents", {"actor_id": "действовал(а)"},
      (("occurred_at", "когда"), ("process_id", "процесс"), ("message", "сообщение"))),
    S("mentor_bonuses", "Премия наставника", "mentor_bonuses",
      {"mentor_id": "наставник", "decided_by_id": "решил(а)"},
      (("term_starts_on", "срок с"), ("term_ends_on", "срок по"), ("mentee_count", "наставляемых"),
       ("salaries", "окладов"), ("revoked", "отменена"), ("reason", "причина"))),
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
    S("resolved_jobs", "Инциденты фоновой работы, которые вы повторили или пропустили", "jobs",
      {"resolved_by_id": "решил(а)"},
      (("id", "задание №"), ("organization_id", "организация"), ("instance_id", "процесс №"), ("status", "состояние"),
       ("resolved_at", "когда"))),
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
del S

# sections of rows that name the person without a column of theirs (found through the rows above)
INDIRECT_TITLES: dict[str, str] = {
    "programs": "Программы наставничества, в которых вы участвуете",
    "orders_naming": "Приказы, в которых вы названы (полный текст, как подписан, — в файле JSON)",
    "audit_about": "Журнал действий: записи о вас",
    "diagnoses_about": "Диагностика ваших компетенций",
    "processes_naming": "Процессы, в данных которых вы названы (данные процесса — служебные, в выгрузку не входят)",
    "network_work_about": "Работа сетевого наставника с вашим участием",
}
INDIRECT_SHOWN: dict[str, tuple[tuple[str, str], ...]] = {
    "programs": (("id", "программа №"), ("started_on", "начата"), ("planned_end_on", "окончание по плану"),
                 ("completed_on", "завершена"), ("status", "состояние")),
    "orders_naming": (("number", "номер"), ("issued_on", "дата"), ("subject", "заголовок"), ("status", "состояние")),
    "audit_about": (("at", "когда"), ("actor_id", "кто"), ("action", "действие")),
    "diagnoses_about": (("recorded_at", "когда"), ("kind", "вид"), ("difficulties", "затруднения"),
                        ("help_needed", "нужная помощь"), ("self_rating", "самооценка")),
    "processes_naming": (("id", "процесс №"), ("organization_id", "организация"), ("status", "состояние")),
    "network_work_about": (("held_on", "дата"), ("topic", "тема"), ("note", "заметка")),
}
INDIRECT_TABLES = {"programs": "programs", "orders_naming": "orders", "audit_about": "audit_entries",
                   "diagnoses_about": "competence_diagnoses", "processes_naming": "workflow_instances",
                   "network_work_about": "network_work_records"}
