"""The dashboard's words: what each figure and each of its values is called, in Russian, from the models' lifecycles
and the regulation packs (forms of mentorship, roadmaps and their stages) — never a raw code on the page."""
from __future__ import annotations

from functools import cache

from engine.db.models.program import PROGRAM_LIFECYCLE, REPORT_LIFECYCLE
from engine.regulations import all_roadmaps, shipped_packs
from engine.services.curation.mentor_report_overview import STATES as MENTOR_REPORT_STATES
from engine.vocabulary import CompletionGround

TARGET_PERCENT = 70  # 004 прил. 1 преамбула: «не менее 70% обучающихся и педагогических работников … вовлечены»
TARGET_CLAUSE = "004 прил. 1 преамбула"
TERM_ENDING_DAYS = 60  # the mentors' terms ending within this many days (003 §3.4: two years by the head's order)

GROUND_LABELS = {
    CompletionGround.PLAN_COMPLETED.value: "план мероприятий выполнен в полном объёме (003 §7.1 (1))",
    CompletionGround.PARTICIPANTS_INITIATIVE.value: "досрочно по инициативе наставника или наставляемого "
                                                    "(003 §7.1 (2))",
    CompletionGround.IMPROPER_EXECUTION.value: "по инициативе куратора: недолжное исполнение (003 §7.1 (3))",
}
PARTICIPANT_KINDS = {"pedagogue": "педагогические работники", "student": "обучающиеся", "": "вид участника не указан"}

# figure → (its title, what its list holds)
FIGURES: dict[str, tuple[str, str]] = {
    "involved": ("Вовлечены в наставничество", "people"),
    "staff": ("Сотрудники и обучающиеся в реестре людей", "people"),
    "status": ("Программы по статусам", "programs"),
    "stage": ("Выполняемые программы по текущему этапу", "programs"),
    "form": ("Выполняемые программы по формам наставничества", "programs"),
    "model": ("Выполняемые программы по моделям (дорожным картам)", "programs"),
    "organization": ("Выполняемые программы по организациям", "programs"),
    "overdue": ("Программы с просроченным этапом", "programs"),
    "ground": ("Завершённые за период программы по основаниям", "programs"),
    "extended": ("Программы, продлённые за период", "programs"),
    "load": ("Нагрузка наставников: наставляемых на наставника", "mentors"),
    "terms_ending": (f"Сроки назначения наставников, истекающие в ближайшие {TERM_ENDING_DAYS} дней", "appointments"),
    "mentor_reports": ("Отчёты наставников со сроком в периоде", "mentor_reports"),
    "overdue_reports": ("Отчёты наставников, не представленные в срок", "mentor_reports"),
    "stage_reports": ("Отчёты по этапам, представленные за период", "stage_reports"),
}


@cache
def stage_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for roadmap in all_roadmaps().values():
        for stage in roadmap.stages:
            labels.setdefault(stage.id, stage.title.capitalize() if stage.title.isupper() else stage.title)
    return labels


@cache
def form_labels() -> dict[str, str]:
    return {form.id: form.label for pack in shipped_packs().values() for form in pack.mentorship_forms}


@cache
def model_labels() -> dict[str, str]:
    return {rid: roadmap.short_title or roadmap.title for rid, roadmap in all_roadmaps().items()}


def value_label(figure: str, value: object, organizations: dict[int, str] | None = None) -> str:
    """What one value of ``figure`` is called («выполняется», «Диагностика затруднений», «2 наставляемых» …)."""
    text = "" if value is None else str(value)
    if figure == "status":
        return PROGRAM_LIFECYCLE.labels.get(text, text)
    if figure == "stage":
        return stage_labels().get(text, text or "этап не начат")
    if figure == "form":
        return form_labels().get(text, text)
    if figure == "model":
        return model_labels().get(text, text)
    if figure in ("organization", "involved", "staff"):
        return (organizations or {}).get(int(value), text) if isinstance(value, int) else "без организации"
    if figure == "ground":
        return GROUND_LABELS.get(text, text)
    if figure in ("mentor_reports", "overdue_reports"):
        return MENTOR_REPORT_STATES.get(text, text)
    if figure == "stage_reports":
        return REPORT_LIFECYCLE.labels.get(text, text)
    return text
