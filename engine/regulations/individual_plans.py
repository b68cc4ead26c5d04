"""The individual plan of a teacher's professional development a regulation names (``individual_plans:`` in
``pack.yaml``; ИППР, 000 §2.2: «индивидуальных планов профессионального развития педагогов … включающих разделы»):
the plan's clause and its sections, each with its id, label and clause. A pack without the section knows no ИППР."""
from __future__ import annotations

from dataclasses import dataclass

from engine.regulations.manifest import Manifest
from engine.regulations.pack_parts import Cited

KEY = "individual_plans"


@dataclass(frozen=True)
class IndividualPlans:
    clause: str
    sections: tuple[Cited, ...]

    def section(self, section_id: str) -> Cited | None:
        return next((s for s in self.sections if s.id == section_id), None)


def individual_plans(m: Manifest) -> IndividualPlans | None:
    """``individual_plans: {clause, sections: [{id, label, clause}, …]}``, or None when the pack has none."""
    raw = m.mapping(KEY, required=False)
    if not raw:
        return None
    for unknown in sorted(set(map(str, raw)) - {"clause", "sections"}):
        m.fail(f"{KEY}.{unknown}", f"неизвестное поле «{unknown}»; допустимы: clause, sections")
    clause = m.clause(raw, f"{KEY}.")
    inner = Manifest(m.file, {f"{KEY}.sections": raw.get("sections")}, m.seed)
    sections = inner.cited(f"{KEY}.sections")
    m.problems.extend(inner.problems)
    if not sections and not inner.problems:
        m.fail(f"{KEY}.sections", "укажите хотя бы один раздел плана")
    return IndividualPlans(clause=clause, sections=tuple(sections))
