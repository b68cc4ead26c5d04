"""Who takes part under a pack: its roles (``roles:`` — the curator, mentor and mentee required, each labelled and
cited), the categories of mentee (``mentee_categories:`` — with the roadmap a category follows and the kinds of
organization it applies to) and the forms of mentorship (``mentorship_forms:`` — who may be mentor and mentee, the
categories a form is the model for: 003 §2.4). Problems go to the reader's ``fail`` by field."""
from __future__ import annotations

from functools import partial

from engine.regulations.manifest import Manifest
from engine.regulations.organization_parts import kinds_in
from engine.regulations.pack import ROLE_IDS
from engine.regulations.pack_parts import Cited, MenteeCategory, MentorshipFormSpec
from engine.regulations.roadmaps import Roadmap

REQUIRED_ROLES = ("curator", "mentor", "mentee")


def roles(m: Manifest) -> dict[str, Cited]:
    """``roles:`` — role id (one of ``ROLE_IDS``) → its label and clause."""
    found: dict[str, Cited] = {}
    for role, entry in m.mapping("roles").items():
        if role not in ROLE_IDS:
            m.fail(f"roles.{role}", f"неизвестная роль; допустимы: {', '.join(ROLE_IDS)}")
        found[role] = Cited(id=role, label=m.text(entry, "label", f"roles.{role}.") or "",
                            clause=m.clause(entry, f"roles.{role}."))
    for role in REQUIRED_ROLES:
        if role not in found:
            m.fail(f"roles.{role}", "отсутствует обязательное поле")
    return found


def mentee_categories(m: Manifest, kinds: tuple[str, ...], roadmaps: dict[str, Roadmap]) -> list[MenteeCategory]:
    """``mentee_categories:`` — each with the roadmap of the pack's ``roadmaps/`` it follows (optional) and the
    kinds of organization, out of the pack's ``kinds``, it applies to."""

    def roadmap_of(at: str, entry: dict) -> str | None:
        roadmap_id = m.text(entry, "roadmap", at, required=False)
        if roadmap_id and roadmap_id not in roadmaps:
            m.fail(f"{at}roadmap", f"дорожной карты «{roadmap_id}» нет в папке roadmaps/ положения")
        return roadmap_id

    return m.cited("mentee_categories", MenteeCategory, roadmap=roadmap_of, organization_kinds=partial(kinds_in, m, kinds))


def mentorship_forms(m: Manifest, kinds: tuple[str, ...],
                     categories: list[MenteeCategory]) -> list[MentorshipFormSpec]:
    """``mentorship_forms:`` — each with the kinds of organization it applies to, the participant kinds of its
    mentor and mentee, and the ``categories`` it is the model for."""
    return m.cited("mentorship_forms", MentorshipFormSpec, organization_kinds=partial(kinds_in, m, kinds),
                   mentor=lambda at, e: m.kind(e, "mentor", at), mentee=lambda at, e: m.kind(e, "mentee", at),
                   mentee_categories=partial(_form_categories, m, {c.id for c in categories}))


def _form_categories(m: Manifest, category_ids: set[str], at: str, entry: dict) -> tuple[str, ...]:
    """``mentorship_forms[].mentee_categories``: the categories a form is the model for (003 §2.4), ids of the
    pack's ``mentee_categories``; absent: a form for every category."""
    value = entry.get("mentee_categories")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        m.fail(f"{at}mentee_categories", "ожидается список категорий наставляемых (id из mentee_categories)")
        return ()
    for unknown in [c for c in value if c not in category_ids]:
        m.fail(f"{at}mentee_categories", f"категории «{unknown}» нет в mentee_categories положения")
    return tuple(c for c in value if c in category_ids)
