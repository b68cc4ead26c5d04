"""The kinds of orders (``TEMPLATES``): per kind, the order type it is stored as, its generic name and how
its data is checked (``normalize_people``, ``normalize_programs``). The wording of each kind is a template of
the regulation pack: ``rules/<pack>/orders/<kind>.j2``."""
from __future__ import annotations

from engine.documents.basics import OrderTemplate
from engine.documents.normalize_model import (
    norm_final_event,
    norm_implementation_plan,
    norm_regulation,
    norm_target_model,
)
from engine.documents.normalize_people import norm_appointment, norm_curator, norm_pairs
from engine.documents.normalize_programs import (
    norm_completion,
    norm_extension,
    norm_release,
    norm_replacement,
)
from engine.documents.normalize_recognition import norm_contest_result
from engine.vocabulary import OrderType

TEMPLATES: dict[str, OrderTemplate] = {
    t.id: t
    for t in (
        OrderTemplate("appointment_of_mentors", OrderType.APPOINTMENT_OF_MENTORS, "О назначении наставников",
                      norm_appointment),
        OrderTemplate("pair_formation", OrderType.PAIR_FORMATION, "О формировании наставнических пар (групп)",
                      norm_pairs),
        OrderTemplate("curator_appointment", OrderType.CURATOR_APPOINTMENT, "О назначении куратора", norm_curator),
        OrderTemplate("extension", OrderType.EXTENSION,
                      "О продлении (изменении) персонализированной программы наставничества", norm_extension),
        OrderTemplate("completion", OrderType.COMPLETION, "О завершении персонализированной программы наставничества",
                      norm_completion),
        OrderTemplate("mentor_replacement", OrderType.MENTOR_REPLACEMENT, "О замене наставника", norm_replacement),
        OrderTemplate("mentor_release", OrderType.MENTOR_RELEASE, "Об освобождении от обязанностей наставника",
                      norm_release),
        # the order set of 004 roadmap item 3.1.1 (engine.services.orders.model_orders)
        OrderTemplate("target_model", OrderType.TARGET_MODEL, "О внедрении целевой модели наставничества",
                      norm_target_model),
        OrderTemplate("implementation_plan", OrderType.IMPLEMENTATION_PLAN,
                      "Об утверждении плана реализации целевой модели наставничества", norm_implementation_plan),
        OrderTemplate("regulation", OrderType.REGULATION, "Об утверждении Положения о наставничестве", norm_regulation),
        OrderTemplate("final_event", OrderType.FINAL_EVENT, "О проведении итогового мероприятия", norm_final_event),
        OrderTemplate("contest_result", OrderType.CONTEST_RESULT, "Об итогах конкурса «Лучший наставник»",
                      norm_contest_result),
    )
}
