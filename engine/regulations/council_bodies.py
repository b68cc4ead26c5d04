"""The collegial bodies an organization of a pack has (``council_bodies:`` in ``pack.yaml``): the mentors' council
of the management system of mentorship (000 §4–5) and the pedagogical council whose protocol 004 прил. 1 п. 3.1.1
lists among the model's documents («Протокол педагогического совета: рассмотрение плана реализации целевой модели
наставничества; рассмотрение Положения о наставничестве»). Each body has its label, clause, how long its signed
protocols are kept, the questions it considers that an order then approves (``considers``: the order kind and the
agenda item's wording), and its protocol's wording: ``rules/<pack>/protocols/<body>.j2`` (Jinja, the same sandbox
and filters as the orders; what it sees is ``PROTOCOL_NAMES``, a sample is rendered when the pack loads).

A pack without ``council_bodies`` keeps what the product did before bodies were the pack's: one mentors' council,
its retention from the older section ``council: {protocol_retention_months}`` (12 months by default, 000 §5.3) and
its protocol worded by the product's fallback (``engine.documents.council_protocol``).

The frame no template breaks: the first three lines (the organization, «ПРОТОКОЛ № N», the body's heading) and the
signatures' lines at the end are written by ``engine.documents.council_protocol``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import TemplateSyntaxError, meta

from engine.errors import NotFound
from engine.regulations.manifest import IDENTIFIER, Manifest
from engine.regulations.order_templates import ENVIRONMENT, compiled_template, private_access, runtime_problem
from engine.regulations.problems import PackError, PackProblem

MENTORS_COUNCIL = "mentors_council"
PEDAGOGICAL_COUNCIL = "pedagogical_council"
# kind -> (label, the protocol's heading line): the product knows these two bodies' frames
BODY_KINDS: dict[str, tuple[str, str]] = {
    MENTORS_COUNCIL: ("Совет наставников", "сессии совета наставников"),
    PEDAGOGICAL_COUNCIL: ("Педагогический совет", "заседания педагогического совета"),
}
# the orders a body's decision may approve (004 прил. 1 п. 3.1.1: the plan and the regulation are considered by the
# pedagogical council); the order's form then offers the signed protocols that adopted such a decision
CONSIDERED_ORDERS = ("implementation_plan", "regulation")
# what a protocol template sees: ``protocol`` (``engine.documents.council_protocol.Protocol.view``) and ``body``
PROTOCOL_NAMES = ("protocol", "body")
_KEYS = {"id", "label", "clause", "choice", "protocol_retention_months", "considers"}


@dataclass(frozen=True)
class Considered:
    order: str  # the order kind: implementation_plan | regulation
    title: str  # the agenda item's wording: «Рассмотрение плана реализации целевой модели наставничества»


@dataclass(frozen=True)
class CouncilBody:
    id: str  # a BODY_KINDS key
    label: str
    clause: str | None
    choice: str | None = None
    retention_months: int = 12
    considers: tuple[Considered, ...] = ()
    protocol_template: str | None = None  # protocols/<id>.j2; None: the product's fallback wording

    @property
    def heading(self) -> str:
        return BODY_KINDS[self.id][1]

    def considered(self, order: str) -> Considered | None:
        return next((c for c in self.considers if c.order == order), None)


def legacy_bodies(retention_months: int, clause: str | None) -> tuple[CouncilBody, ...]:
    """A pack without ``council_bodies``: the mentors' council, as before."""
    return (CouncilBody(MENTORS_COUNCIL, BODY_KINDS[MENTORS_COUNCIL][0], clause, retention_months=retention_months),)


def _months(m: Manifest, at: str, entry: dict[str, Any]) -> int:
    months = entry.get("protocol_retention_months", 12)
    if not isinstance(months, int) or isinstance(months, bool) or months < 1:
        m.fail(f"{at}protocol_retention_months", "ожидается целое число месяцев больше нуля")
        return 12
    return months


def legacy_retention(m: Manifest, legacy: dict[str, Any]) -> int:
    """``council.protocol_retention_months`` (a pack without ``council_bodies``): months the mentors' council's
    signed protocols are kept (000 §5.3: a year; absent: 12)."""
    return _months(m, "council.", legacy)


def _considers(m: Manifest, at: str, entry: dict[str, Any], orders: set[str]) -> tuple[Considered, ...]:
    raw = entry.get("considers") or []
    if not isinstance(raw, list):
        m.fail(f"{at}considers", "ожидается список вопросов: {order, title}")
        return ()
    found = []
    for index, item in enumerate(raw):
        where = f"{at}considers[{index}]."
        order = m.text(item, "order", where) or ""
        title = m.text(item, "title", where) or ""
        if order and order not in CONSIDERED_ORDERS:
            m.fail(f"{where}order", f"«{order}»: ожидается одно из {', '.join(CONSIDERED_ORDERS)}")
        elif order and order not in orders:
            m.fail(f"{where}order", f"приказа «{order}» нет в разделе orders положения")
        elif order and title:
            found.append(Considered(order, title))
    return tuple(found)


def council_bodies(m: Manifest, legacy: dict[str, Any], retention: int, orders: set[str],
                   templates: Mapping[str, str]) -> tuple[CouncilBody, ...]:
    """``council_bodies:`` of the pack (or the legacy mentors' council when absent), each with its template."""
    entries = m.entries("council_bodies")
    folder = m.file.rsplit("/", 1)[0]
    if "council_bodies" not in m.data:
        m.problems += [PackProblem(f"{folder}/protocols/{name}.j2", "", "шаблон протокола без раздела council_bodies "
                                   "в pack.yaml: органа нет в положении") for name in sorted(templates)]
        return legacy_bodies(retention, m.clause(legacy, "council.") if legacy else None)
    if legacy:
        m.fail("council", "раздел council заменён разделом council_bodies (protocol_retention_months у органа)")
    bodies: list[CouncilBody] = []
    for at, entry in entries:
        for unknown in sorted(set(map(str, entry)) - _KEYS):
            m.fail(f"{at}{unknown}", f"неизвестное поле «{unknown}»; допустимы: {', '.join(sorted(_KEYS))}")
        body_id = m.text(entry, "id", at) or ""
        if body_id and (body_id not in BODY_KINDS or not IDENTIFIER.fullmatch(body_id)):
            m.fail(f"{at}id", f"«{body_id}»: ожидается одно из {', '.join(BODY_KINDS)}")
            continue
        if body_id in {b.id for b in bodies}:
            m.fail(f"{at}id", f"«{body_id}» повторяется")
            continue
        bodies.append(CouncilBody(
            body_id, m.text(entry, "label", at, required=False) or BODY_KINDS.get(body_id, ("", ""))[0],
            m.clause(entry, at), m.choice(entry, at), _months(m, at, entry), _considers(m, at, entry, orders),
            templates.get(body_id)))
    m.problems += [PackProblem(f"{folder}/protocols/{name}.j2", "", f"органа «{name}» нет в разделе council_bodies: "
                               "шаблон лишний") for name in sorted(set(templates) - {b.id for b in bodies})]
    return tuple(bodies)


def body_of(bodies: tuple[CouncilBody, ...], body_id: str, pack_title: str) -> CouncilBody:
    """The body ``body_id`` of the pack; ``NotFound`` in Russian naming what the pack has."""
    for body in bodies:
        if body.id == body_id:
            return body
    wanted = BODY_KINDS.get(body_id, (body_id, ""))[0]
    known = ", ".join(f"«{b.label}»" for b in bodies) or "ни одного"
    raise NotFound(f"положение «{pack_title}» не предусматривает орган «{wanted}»; коллегиальные органы "
                   f"положения: {known}", where="body")


# --- the protocol's wording ---------------------------------------------------------------------------------


def protocol_file(pack_id: str, body_id: str) -> str:
    return f"{pack_id}/protocols/{body_id}.j2"


def render_protocol(file: str, text: str, names: Mapping[str, Any]) -> str:
    """The protocol's body (between the frame's heading and signatures) by the template ``text``: lines stripped on
    the right, no blank lines at either end, never more than one blank line in a row. ``PackError`` names the
    template's file and line when it fails."""
    try:
        template = compiled_template(file, text)
    except TemplateSyntaxError as err:
        raise PackError([PackProblem(file, f"строка {err.lineno}", f"шаблон не разбирается: {err.message}")],
                        where=file) from None
    try:
        rendered = template.render(**names)
    except Exception as exc:  # whatever fails inside the template is the template's problem, named by its line
        raise PackError([runtime_problem(file, template, exc)], where=file) from exc
    lines: list[str] = []
    for line in rendered.split("\n"):
        line = line.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip("\n")


def protocol_problems(pack_id: str, bodies: tuple[CouncilBody, ...], sample: Mapping[str, Any]) -> list[PackProblem]:
    """Each protocol template parsed (names, private attributes) and rendered with ``sample``."""
    problems: list[PackProblem] = []
    for body in bodies:
        if body.protocol_template is not None:
            problems += _template_problems(protocol_file(pack_id, body.id), body, sample)
    return problems


def _template_problems(file: str, body: CouncilBody, sample: Mapping[str, Any]) -> list[PackProblem]:
    text = body.protocol_template or ""
    try:
        tree = ENVIRONMENT.parse(text, name=file, filename=file)
    except TemplateSyntaxError as err:
        return [PackProblem(file, f"строка {err.lineno}", f"шаблон не разбирается: {err.message}")]
    problems = private_access(file, tree)
    unknown = sorted(meta.find_undeclared_variables(tree) - set(PROTOCOL_NAMES) - set(ENVIRONMENT.globals))
    problems += [PackProblem(file, "", f"неизвестное имя «{name}»; в шаблоне протокола есть: "
                             f"{', '.join(PROTOCOL_NAMES)}") for name in unknown]
    if problems:
        return problems
    try:
        if not render_protocol(file, text, {**sample, "body": body_view(body)}).strip():
            return [PackProblem(file, "", "шаблон протокола дал пустой текст")]
    except PackError as err:
        return list(err.problems)
    return []


SAMPLE_PROTOCOL: dict[str, Any] = {"protocol": {
    "organization": "МАОУ «Средняя общеобразовательная школа № 1»", "number": 3, "held_on": "2026-03-12",
    "place": "актовый зал", "chair": "Иванова Анна Петровна", "secretary": "Петров Пётр Ильич",
    "secretary_votes": "за — 3, против — 0, воздержались — 1", "members_total": 5, "present": 4, "absent_count": 1,
    "attended": ["Иванова Анна Петровна", "Петров Пётр Ильич", "Сидорова Мария Ивановна", "Волков Илья Сергеевич"],
    "absent": ["Зайцева Ольга Николаевна"], "quorum_rule": "решение принято, если присутствует более половины членов",
    "agenda": [{"number": 1, "title": "Рассмотрение плана реализации целевой модели наставничества",
               "key_points": "План обсуждён", "proposals": "", "decision": "Рекомендовать план к утверждению",
               "responsible": "", "votes_for": 4, "votes_against": 0, "abstained": 0, "result": "решение принято",
               "adopted": True}]}}


def body_view(body: CouncilBody) -> dict[str, Any]:
    return {"id": body.id, "label": body.label, "clause": body.clause or "", "heading": body.heading}
