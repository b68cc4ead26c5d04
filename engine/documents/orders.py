"""The text of orders (приказ / распоряжение) about mentorship, as it will read.

A document is rendered in two steps, both deterministic (same data → same text, byte for byte):

1. **draft** (``render_order`` without number/date/signature): starts with the line «ПРОЕКТ», carries the
   placeholder line ``DRAFT_DATE_LINE`` instead of the date and number, and ends with the signatory line
   holding the signature blank ``SIGNATURE_BLANK``;
2. **final** (``finalize_order``): the draft with «ПРОЕКТ» removed, the date and number filled in
   («20.02.2024 № 100р», 003 header), the signatory line of the person who signed, and the signature
   stamp line in the form that ends 002: «2023-02-27T10:00:55+0700 Кузнецов Сергей Николаевич Я подтверждаю
   этот документ» (the moment in the organization's time zone).

The final text is what is hashed (``document_sha256``: SHA-256 over UTF-8 with ``\\n`` newlines) and stored.
``render_order`` with number/date/signature is exactly ``finalize_order(render_order(draft))``.

Kinds (``TEMPLATES``; 004 roadmap item 3.1.1 lists the orders an organization needs): appointment_of_mentors,
pair_formation, curator_appointment, extension, completion, mentor_replacement, mentor_release. Their
wording is the organization's regulation pack: ``rules/<pack>/orders/<kind>.j2`` (Jinja; the contract in
``engine.regulations.order_templates`` and docs/order-templates.md), read from the pack installed in this
process (``engine.regulations.pack``), so a deployed edited pack words the next order. A pack words only the
kinds it lists (``pack.yaml`` ``orders:``); asking for another is refused naming the pack. What stays here is
the frame no template can break: «ПРОЕКТ», the issuer, ПРИКАЗ/РАСПОРЯЖЕНИЕ, the date and number line, the
place, the closing words of the preamble, the item numbers, «Основание: …», the signatory and the stamp.
``compose_order`` also tells which pack version and template (SHA-256 of its text) worded the order.

People are given as mappings ``{"full_name", "position", "organization"}`` or as objects with
``full_name``/``position``/``organization`` attributes (``engine.db.models.Person``); dates as ``date`` or
ISO strings. ``normalize_data`` checks the data of a template and returns it as plain JSON-able values
(what the service records in the audit trail); errors (``OrderDataError``) name the field in Russian.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from engine import regulations
from engine.documents.basics import (  # noqa: F401 - the public names are re-exported from here
    DEFAULT_SIGNATORY_POSITION,
    DRAFT_DATE_LINE,
    DRAFT_MARK,
    KINDS,
    SIGNATURE_BLANK,
    STAMP_CONFIRMATION,
    DocumentSettings,
    OrderDataError,
    OrderTemplate,
    Signatory,
    document_sha256,
    fmt_date,
    initials,
    normalize_newlines,
    settings_for,
    signature_stamp,
)
from engine.documents.order_kinds import TEMPLATES
from engine.errors import NotFound
from engine.regulations import RegulationPack
from engine.regulations.order_templates import OrderText, pack_subject, render_text, template_sha256


def template_for(template_id: str) -> OrderTemplate:
    """The kind of order ``template_id`` (a ``TEMPLATES`` id or an ``OrderType``)."""
    template = TEMPLATES.get(str(getattr(template_id, "value", template_id)))
    if template is None:
        raise OrderDataError(f"нет шаблона приказа {template_id!r}; есть: {', '.join(TEMPLATES)}",
                             where="order_type")
    return template


def subject_in_pack(template_id: str, regulation: str) -> str:
    """The subject of an order of ``template_id`` as the pack ``regulation`` words it (its template's title), or
    the kind's generic name when the pack has no template of it."""
    template = template_for(template_id)
    return pack_subject(_pack(regulation), template.id) or template.subject


def _pack(regulation: Any) -> RegulationPack:
    try:
        return regulations.pack(str(getattr(regulation, "value", regulation)))
    except NotFound:
        raise OrderDataError(f"неизвестное положение {regulation!r}", where="regulation") from None


def normalize_data(template_id: str, data: Mapping[str, Any], *, regulation: str) -> dict[str, Any]:
    """Check the data of ``template_id`` and return it as plain JSON-able values (dates as ISO strings,
    people as ``{"full_name", "position"?, "organization"?}``, computed terms filled in)."""
    template = template_for(template_id)
    if not isinstance(data, Mapping):
        raise OrderDataError("данные приказа должны быть словарём", where=template.id)
    return template.normalize(data, _pack(regulation))


@dataclass(frozen=True)
class ComposedOrder:
    """An order's text and where its wording came from."""

    text: str
    subject: str  # the template's title: «О назначении наставников»
    regulation: str  # the pack id
    pack_version: str
    template_sha256: str  # of rules/<pack>/orders/<kind>.j2 as the pack held it


# --- the document --------------------------------------------------------------------------------


def _date_number_line(issued_on: date, number: str) -> str:
    return f"{fmt_date(issued_on)} № {number}"


def _signatory_line(signatory: Signatory | None, *, final: bool) -> str:
    if final:
        assert signatory is not None
        return f"{signatory.position_label} {initials(signatory.full_name)}"
    if signatory is None or not signatory.full_name:
        return f"{DEFAULT_SIGNATORY_POSITION} {SIGNATURE_BLANK}"
    return f"{signatory.position_label} {SIGNATURE_BLANK} {initials(signatory.full_name)}"


def _render_draft(wording: OrderText, data: dict[str, Any], settings: DocumentSettings,
                  signatory: Signatory | None) -> str:
    preamble = wording.preamble.rstrip(" ,.:;") + (", ПРИКАЗЫВАЮ:" if settings.kind == "ПРИКАЗ" else ":")
    control = (f"Контроль исполнения {settings.kind_genitive} оставляю за собой."
               if wording.control is None else wording.control)
    items = [*wording.items, *([(control, ())] if control else [])]

    lines = [DRAFT_MARK, "", *settings.issuer_lines, "", settings.kind, "", DRAFT_DATE_LINE]
    if settings.place:
        lines.append(settings.place)
    lines += ["", wording.title, "", preamble, ""]
    for n, (text, subs) in enumerate(items, start=1):
        lines.append(f"{n}. {text}")
        lines += [f"{n}.{k}. {sub}" for k, sub in enumerate(subs, start=1)]
    if data.get("basis"):
        lines += ["", f"Основание: {data['basis'].rstrip('.')}."]
    lines += ["", _signatory_line(signatory, final=False)]
    return "\n".join(lines) + "\n"


def _draft_lines(draft: str) -> tuple[list[str], int]:
    text = normalize_newlines(draft or "")
    head = DRAFT_MARK + "\n\n"
    if not text.startswith(head):
        raise OrderDataError(f"текст проекта должен начинаться строкой «{DRAFT_MARK}»", where="body")
    lines = text[len(head):].rstrip("\n").split("\n")
    dated = [i for i, line in enumerate(lines) if line == DRAFT_DATE_LINE]
    if len(dated) != 1:
        raise OrderDataError(f"в тексте проекта должна быть ровно одна строка «{DRAFT_DATE_LINE}» "
                             f"(найдено: {len(dated)})", where="body")
    if SIGNATURE_BLANK not in lines[-1]:
        raise OrderDataError("текст проекта должен заканчиваться строкой подписи с пропуском "
                             f"«{SIGNATURE_BLANK}»", where="body")
    return lines, dated[0]


def check_draft(draft: str) -> None:
    """Raise ``OrderDataError`` unless ``draft`` can be finalized (the «ПРОЕКТ» line, exactly one
    ``DRAFT_DATE_LINE``, the signatory line with ``SIGNATURE_BLANK`` at the end)."""
    _draft_lines(draft)


def finalize_order(draft: str, *, number: str, issued_on: date, signatory: Any, signed_at: datetime,
                   settings: DocumentSettings) -> str:
    """The signed document made of ``draft``: «ПРОЕКТ» removed, date and number filled in, the signer's
    line, the signature stamp. Edits made to the draft's text are kept. Raises ``OrderDataError`` when
    ``draft`` lacks a placeholder (``check_draft``)."""
    signer = Signatory.of(signatory)
    if not signer.full_name:
        raise OrderDataError("не указаны ФИО подписавшего", where="signatory")
    if not number or not str(number).strip():
        raise OrderDataError("не указан номер приказа", where="number")
    if not isinstance(issued_on, date):
        raise OrderDataError("не указана дата приказа", where="issued_on")
    lines, dated = _draft_lines(draft)
    lines[dated] = _date_number_line(issued_on, str(number).strip())
    lines[-1] = _signatory_line(signer, final=True)
    stamp = signature_stamp(signer.full_name, signed_at, settings.zone)
    return "\n".join(lines) + "\n\n" + stamp + "\n"


def compose_order(template_id: str, data: Mapping[str, Any], *, regulation: str, settings: DocumentSettings,
                  signatory: Any = None, number: str | None = None, issued_on: date | None = None,
                  signed_at: datetime | None = None) -> ComposedOrder:
    """``render_order`` with the order's subject (the template's title) and the pack version and template
    that worded it."""
    template = template_for(template_id)
    pack = _pack(regulation)
    if template.id not in pack.order_templates:
        listed = ", ".join(f"«{TEMPLATES[k].subject}» ({k})" if k in TEMPLATES else k for k in pack.order_templates)
        raise OrderDataError(f"положение «{pack.title}» не предусматривает приказ «{template.subject}» "
                             f"({template.id}); приказы положения: {listed or 'нет'}", where="order_type")
    if not isinstance(data, Mapping):
        raise OrderDataError("данные приказа должны быть словарём", where=template.id)
    normalized = template.normalize(data, pack)  # idempotent: normalised data passes unchanged
    final = (number, issued_on, signed_at)
    if any(v is not None for v in final) and any(v is None for v in final):
        raise OrderDataError("для подписанного документа нужны номер, дата и время подписи вместе",
                             where=template.id)
    planned = Signatory.of(signatory) if signatory is not None else None
    wording = render_text(pack, template.id, normalized, settings.template_view())
    text = _render_draft(wording, normalized, settings, planned)
    if number is not None:
        if planned is None:
            raise OrderDataError("для подписанного документа нужен подписавший", where="signatory")
        assert issued_on is not None and signed_at is not None  # all three or none (checked above)
        text = finalize_order(text, number=number, issued_on=issued_on, signatory=planned, signed_at=signed_at,
                              settings=settings)
    return ComposedOrder(text=text, subject=wording.title, regulation=pack.id, pack_version=pack.version,
                         template_sha256=template_sha256(pack.order_templates[template.id]))


def render_order(template_id: str, data: Mapping[str, Any], *, regulation: str, settings: DocumentSettings,
                 signatory: Any = None, number: str | None = None, issued_on: date | None = None,
                 signed_at: datetime | None = None) -> str:
    """The text of an order of ``template_id`` (``TEMPLATES``) worded by the template of the pack
    ``regulation`` (the one installed in this process).

    Without ``number``/``issued_on``/``signed_at``: the draft, ``signatory`` being the intended signer
    (may be None). With all three: the signed document, ``signatory`` being the person who signed."""
    return compose_order(template_id, data, regulation=regulation, settings=settings, signatory=signatory,
                         number=number, issued_on=issued_on, signed_at=signed_at).text
