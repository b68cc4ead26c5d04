"""The domain's words that documents, rules and records share: the forms of mentorship, the kinds of orders and the grounds for completing a program. Plain enums — no
database — so that documents and the database both take them from here."""
from __future__ import annotations

import enum

from babel import Locale

_RUSSIAN = Locale("ru")


def plural(count: float, one: str, few: str, many: str) -> str:
    """The word form that agrees with ``count`` by Babel's Russian plural rules (CLDR, the rules ngettext
    follows): «1 год», «3 года», «5 лет», «21 год»; fractions take the «few» form («1,5 месяца»). The one owner
    of number agreement on the engine's side (orders, rule explanations, history); pages use ngettext."""
    form = _RUSSIAN.plural_form(abs(count))
    return {"one": one, "few": few, "many": many}.get(form, few)


def gender_of(full_name: str | None) -> str | None:
    """«m» or «f» as a Russian full name shows it (Фамилия Имя Отчество: the patronymic ends in «-вич»/«-ич» or
    «-вна»/«-чна», «оглы»/«кызы»); None when the name does not say (no patronymic) — then the text keeps both
    forms, «освобождён(а)». Only the name the person gave is read; nothing is stored."""
    words = (full_name or "").split()
    patronymic = words[2].lower() if len(words) >= 3 else ""
    if patronymic.endswith(("вич", "ьич", "ич")) or words[-1:] == ["оглы"]:
        return "m"
    if patronymic.endswith(("вна", "чна", "шна")) or words[-1:] == ["кызы"]:
        return "f"
    return None


def gendered(full_name: str | None, masculine: str, feminine: str, either: str) -> str:
    """The word form that agrees with the person: «освобождён» / «освобождена»; ``either`` when unknown."""
    return {"m": masculine, "f": feminine}.get(gender_of(full_name) or "", either)


def counted(count: int, one: str, few: str, many: str) -> str:
    """``count`` and its agreeing word: «3 года», «4 оклада», «1 наставляемый»."""
    return f"{count} {plural(count, one, few, many)}"


class MentorshipForm(enum.StrEnum):
    """Forms of mentorship, 002 §4.1.5 and 003 §2.4 (Python-validated vocabulary)."""

    VIRTUAL = "virtual"  # Виртуальное (дистанционное)
    GROUP = "group"  # Наставничество в группе
    SHORT_TERM = "short_term"  # Краткосрочное или целеполагающее
    REVERSE = "reverse"  # Реверсивное (002)
    SITUATIONAL = "situational"  # Ситуационное
    SPEED = "speed"  # Скоростное (однократная встреча)
    TRADITIONAL = "traditional"  # Традиционная («один-на-один»)
    TEACHER_TEACHER = "teacher_teacher"  # «учитель – учитель»
    HEAD_TEACHER = "head_teacher"  # «руководитель ОО – учитель»
    EMPLOYER_STUDENT = "employer_student"  # «работодатель – студент»
    TEACHER_STUDENT = "teacher_student"  # «учитель – ученик»
    STUDENT_TEACHER = "student_teacher"  # «ученик – учитель»
    HEAD_HEAD = "head_head"  # «руководитель – руководитель» (003 §2.4)
    RESERVIST_HEAD = "reservist_head"  # «резервист – руководитель» (003 §2.4)

    @property
    def label(self) -> str:
        return MENTORSHIP_FORM_LABELS[self]


MENTORSHIP_FORM_LABELS: dict[MentorshipForm, str] = {
    MentorshipForm.VIRTUAL: "Виртуальное (дистанционное) наставничество",
    MentorshipForm.GROUP: "Наставничество в группе",
    MentorshipForm.SHORT_TERM: "Краткосрочное или целеполагающее наставничество",
    MentorshipForm.REVERSE: "Реверсивное наставничество",
    MentorshipForm.SITUATIONAL: "Ситуационное наставничество",
    MentorshipForm.SPEED: "Скоростное наставничество",
    MentorshipForm.TRADITIONAL: "Традиционная форма наставничества («один-на-один»)",
    MentorshipForm.TEACHER_TEACHER: "«учитель – учитель»",
    MentorshipForm.HEAD_TEACHER: "«руководитель образовательной организации – учитель»",
    MentorshipForm.EMPLOYER_STUDENT: "«работодатель – студент»",
    MentorshipForm.TEACHER_STUDENT: "«учитель – ученик»",
    MentorshipForm.STUDENT_TEACHER: "«ученик – учитель»",
    MentorshipForm.HEAD_HEAD: "«руководитель – руководитель»",
    MentorshipForm.RESERVIST_HEAD: "«резервист – руководитель»",
}


class OrderType(enum.StrEnum):
    """Kinds of orders (Python-validated vocabulary). 004 roadmap item 3.1.1 lists the templates."""

    TARGET_MODEL = "target_model"  # о внедрении целевой модели наставничества
    IMPLEMENTATION_PLAN = "implementation_plan"  # об утверждении плана реализации
    REGULATION = "regulation"  # об утверждении положения о наставничестве
    CURATOR_APPOINTMENT = "curator_appointment"  # о назначении куратора (003 §3.2)
    APPOINTMENT_OF_MENTORS = "appointment_of_mentors"  # о назначении наставников (003 §3.4, 004 III.2)
    PAIR_FORMATION = "pair_formation"  # о формировании наставнических пар (групп) (003 §3.2, §6.2)
    EXTENSION = "extension"  # о продлении / корректировке программы (003 §7.2)
    COMPLETION = "completion"  # о завершении программы (003 §7.1)
    MENTOR_RELEASE = "mentor_release"  # об освобождении наставника по его просьбе (003 §4.1)
    MENTOR_REPLACEMENT = "mentor_replacement"  # о замене наставника по ходатайству наставляемого (003 §5.1)
    BONUS = "bonus"  # о премировании наставников (003 §9.3)
    FINAL_EVENT = "final_event"  # о проведении итогового мероприятия (004)
    CONTEST_RESULT = "contest_result"  # об итогах конкурса «Лучший наставник» (003 §9.1, 004 прил. 1 п. 6.1)
    OTHER = "other"


class CompletionGround(enum.StrEnum):
    """Grounds for completing a program, 003 §7.1."""

    PLAN_COMPLETED = "plan_completed"  # (a)
    PARTICIPANTS_INITIATIVE = "participants_initiative"  # (b)
    IMPROPER_EXECUTION = "improper_execution"  # (c), incl. force majeure

    @property
    def clause(self) -> str:
        return {"plan_completed": "003 §7.1 (1)", "participants_initiative": "003 §7.1 (2)",
                "improper_execution": "003 §7.1 (3)"}[self.value]


class ParticipantKind(enum.StrEnum):
    """Who a participant of a school's mentorship is (001 §1.1, §2.3: «учитель», «ученик»)."""

    PEDAGOGUE = "pedagogue"  # педагогический работник (учитель), в том числе молодой специалист
    STUDENT = "student"  # обучающийся (ученик)

    @property
    def label(self) -> str:
        return PARTICIPANT_KIND_LABELS[self]


PARTICIPANT_KIND_LABELS: dict[ParticipantKind, str] = {
    ParticipantKind.PEDAGOGUE: "педагогический работник (учитель)",
    ParticipantKind.STUDENT: "обучающийся (ученик)",
}


class CalendarTask(enum.StrEnum):
    """What a date of a regulation's report calendar drives: a yearly task for the curator (001 §2.4, §4.2)."""

    MONITORING = "monitoring"  # мониторинг и оценка результатов (001 §2.4: до 20 декабря и до 20 мая)
    BASE_REVIEW = "base_review"  # сверка базы наставников и наставляемых (001 §4.2)

    @property
    def label(self) -> str:
        return CALENDAR_TASK_LABELS[self]


CALENDAR_TASK_LABELS: dict[CalendarTask, str] = {
    CalendarTask.MONITORING: "мониторинг и оценка результатов реализации системы наставничества",
    CalendarTask.BASE_REVIEW: "сверка базы наставников и наставляемых",
}


# Kinds of organization (``Organization.kind``; the enum is ``engine.db.models.OrganizationKind``) in Russian,
# as packs and messages name them (004 п. 2: школы, ДОУ, дополнительное образование).
ORGANIZATION_KIND_LABELS: dict[str, str] = {
    "department": "управление (департамент) образования",
    "school": "общеобразовательная организация",
    "kindergarten": "дошкольная образовательная организация (ДОУ)",
    "college": "профессиональная образовательная организация",
    "additional": "организация дополнительного образования (УДОД)",
    "centre": "координационный центр сетевых наставников",
}


def organization_kind_label(kind: str) -> str:
    return ORGANIZATION_KIND_LABELS.get(kind, kind)


class Readiness(enum.StrEnum):
    """A trainee's «степень готовности к самостоятельному выполнению должностных обязанностей» in the network
    mentor's review at the end of the academic year (004 IV.1)."""

    READY = "ready"
    PARTLY = "partly"
    NOT_READY = "not_ready"


READINESS_LABELS: dict[Readiness, str] = {
    Readiness.READY: "готов(а) к самостоятельному выполнению должностных обязанностей",
    Readiness.PARTLY: "готов(а) частично: нужна дальнейшая методическая помощь",
    Readiness.NOT_READY: "не готов(а) к самостоятельному выполнению должностных обязанностей",
}
