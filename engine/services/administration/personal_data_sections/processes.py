"""The processes and what they run on (engine/services/process, methodology, jobs): the versions of processes, rule
files, regulation packs and designed forms the person saved or deployed, their answers to designed forms, the
processes they started and the steps assigned to them; besides, the script incidents of their actions and the
background jobs whose incidents they resolved (``SCRIPT_INCIDENTS``, ``RESOLVED_JOBS``: the page shows them apart
from the others, further down)."""
from __future__ import annotations

from engine.services.administration.personal_data_sections.section import Section

S = Section
SECTIONS: tuple[Section, ...] = (
    S("process_definitions", "Версии процессов, которые вы сохранили или ввели в действие", "process_definitions",
      {"deployed_by_id": "сохранил(а)"}, (("name", "процесс"), ("version", "версия"), ("deployed_at", "когда"))),
    S("rule_file_versions", "Версии файлов правил", "rule_file_versions",
      {"saved_by_id": "сохранил(а)", "deployed_by_id": "ввёл (ввела) в действие"},
      (("file_name", "файл"), ("version", "версия"), ("saved_at", "сохранена"), ("deployed_at", "введена"))),
    S("pack_versions", "Версии пакетов регламентов", "regulation_pack_versions",
      {"saved_by_id": "сохранил(а)", "deployed_by_id": "ввёл (ввела) в действие"},
      (("pack_id", "пакет"), ("version", "версия"), ("saved_at", "сохранена"), ("deployed_at", "введена"))),
    S("designed_forms", "Версии форм из конструктора, которые вы сохранили", "designed_forms",
      {"created_by_id": "сохранил(а)"}, (("title", "форма"), ("version", "версия"), ("created_at", "когда"))),
    S("designed_form_answers", "Ваши ответы на формы из конструктора", "designed_form_answers",
      {"answered_by_id": "ответил(а)"}, (("step_name", "шаг"), ("instance_id", "процесс №"),
                                         ("answered_at", "когда"), ("answers", "ответы"))),
    S("workflow_instances", "Процессы, которые вы начали", "workflow_instances", {"started_by_id": "начал(а)"},
      (("id", "процесс №"), ("organization_id", "организация"), ("status", "состояние"))),
    S("open_tasks", "Шаги процессов, назначенные вам", "open_tasks", {"assignee_id": "исполнитель"},
      (("name", "шаг"), ("instance_id", "процесс №"))),
)
# apart from SECTIONS: the page lists them further down, where ``__init__`` places them
SCRIPT_INCIDENTS = S("script_incidents", "Сбои сценариев процессов при ваших действиях", "script_incidents",
                     {"actor_id": "действовал(а)"},
                     (("occurred_at", "когда"), ("process_id", "процесс"), ("message", "сообщение")))
RESOLVED_JOBS = S("resolved_jobs", "Инциденты фоновой работы, которые вы повторили или пропустили", "jobs",
                  {"resolved_by_id": "решил(а)"},
                  (("id", "задание №"), ("organization_id", "организация"), ("instance_id", "процесс №"),
                   ("status", "состояние"), ("resolved_at", "когда")))
del S
