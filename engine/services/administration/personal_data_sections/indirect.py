"""The sections of rows that name the person without a column of theirs (found through the rows of the direct
sections: the programs of their pairs, the orders naming them, …): each one's title, the columns the page shows and
its table; ``personal_data`` holds how each one's rows are found."""
from __future__ import annotations

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
