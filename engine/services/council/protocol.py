"""The protocol of a council session (000 §5): drawn up by the secretary when the vote is over (the results counted,
the text fixed and hashed), signed by the chair and the secretary (each a detached CMS signature of the text by
the organization's certificate, as orders are: ``engine.integrity``), then the head agrees the adopted decisions
(000 §4.3: they take effect after agreement with the administration). DOCX and PDF are renderings of the text.

Nothing is committed here: the caller owns the transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from engine.db.models import Agreement, CouncilSession, SessionStatus
from engine.db.types import utcnow
from engine.documents.basics import zone_of
from engine.documents.council_protocol import (
    Protocol,
    ProtocolItem,
    framed,
    protocol_docx,
    protocol_pdf,
    protocol_text,
    text_sha256,
)
from engine.errors import ConflictError, PermissionDenied
from engine.integrity.cms import sign_text
from engine.integrity.keys import organization_certificate
from engine.regulations import council_bodies, pack_of
from engine.regulations.council_bodies import BODY_KINDS, MENTORS_COUNCIL, body_view, render_protocol
from engine.regulations.problems import PackError
from engine.services.council.base import CouncilDataError, audit, clean, get_session, person_name, quorum_rule
from engine.services.council.notices import decisions_awaiting
from engine.services.council.sessions import item_of, require_secretary, require_status, tally
from engine.services.orders.register import require_head
from engine.services.people.actor import Actor

STAMP_TAIL = "Я подтверждаю этот документ"


def build(session: Session, found: CouncilSession) -> Protocol:
    council = found.council
    heading = BODY_KINDS.get(council.body, ("", "сессии совета наставников"))[1]
    present = [a.person_id for a in found.attendance]
    absent = sorted(m.person_id for m in council.members if m.person_id not in present)
    items = []
    for item in found.items:
        counted = tally(found, item)
        items.append(ProtocolItem(item.position, item.title, item.key_points, item.proposals, item.decision,
                                  item.responsible, counted.votes_for, counted.against, counted.abstained,
                                  counted.words))
    return Protocol(organization=council.organization.name, number=found.number, held_on=found.held_on,
                    place=found.place, chair=person_name(session, council.chair_id),
                    secretary=person_name(session, found.secretary_id), secretary_votes=found.secretary_votes or "",
                    members_total=found.members_total or 0,
                    attended=tuple(person_name(session, p) for p in present),
                    absent=tuple(person_name(session, p) for p in absent), items=tuple(items),
                    quorum_rule=quorum_rule(council), heading=heading)


def worded(session: Session, found: CouncilSession) -> str:
    """The protocol's text: the pack's ``protocols/<body>.j2`` inside the frame, or the product's wording where the
    pack has no template for the body (000 §5.2: date, attended N of M, agenda, key points and proposals, decisions
    with the votes)."""
    made = build(session, found)
    organization = found.council.organization
    pack = pack_of(organization)
    body = next((b for b in pack.council_bodies if b.id == found.council.body), None)
    if body is None or body.protocol_template is None:
        return protocol_text(made)
    try:
        text = render_protocol(council_bodies.protocol_file(pack.id, body.id), body.protocol_template,
                               {"protocol": made.view(), "body": body_view(body)})
    except PackError as error:
        raise ConflictError(f"шаблон протокола положения «{pack.title}» не заполняется: {error.message}",
                            where="protocol") from None
    return framed(made, text)


def draw_up(session: Session, actor: Actor, session_id: int) -> CouncilSession:
    """The secretary closes the vote and draws the protocol up: every item needs its decision text; the results are
    counted and kept; the text is fixed and hashed and goes to the chair and the secretary to sign."""
    found = get_session(session, actor, session_id)
    require_secretary(found, actor, "оформление протокола")
    require_status(found, "оформление протокола", SessionStatus.HELD)
    if found.council.chair_id is None:
        raise ConflictError("у совета нет председателя: протокол подписывают председатель и секретарь",
                            where="council")
    missing = [str(item.position) for item in found.items if not item.decision]
    if missing:
        raise CouncilDataError(f"не записано решение по вопросам повестки № {', '.join(missing)}", where="decision")
    for item in found.items:
        item.result = "adopted" if tally(found, item).adopted else "rejected"
    text = worded(session, found)
    found.protocol_text, found.protocol_sha256 = text, text_sha256(text)
    found.status = SessionStatus.SIGNING.value
    session.flush()
    audit(session, "council.protocol_drawn_up", actor, found.council, found, number=found.number,
          document_sha256=found.protocol_sha256, results={i.position: i.result for i in found.items})
    return found


def sign(session: Session, actor: Actor, session_id: int, *, at: datetime | None = None) -> CouncilSession:
    """The chair or the secretary signs the protocol's text; with both signatures it is signed (and its retention
    period starts, 000 §5.3)."""
    found = get_session(session, actor, session_id)
    require_status(found, "подписание протокола", SessionStatus.SIGNING)
    text = found.protocol_text or ""
    if text_sha256(text) != found.protocol_sha256:
        raise ConflictError("текст протокола изменён после оформления: подписать нельзя",
                            where=f"council_sessions.{found.id}")
    moment = (at or utcnow()).replace(microsecond=0)
    signature = sign_text(text, organization_certificate())
    roles = []
    if actor.person_id is not None and actor.person_id == found.council.chair_id and found.chair_signed_at is None:
        found.chair_signer_id, found.chair_signed_at, found.chair_signature = actor.person_id, moment, signature
        roles.append("chair")
    if actor.person_id is not None and actor.person_id == found.secretary_id and found.secretary_signed_at is None:
        found.secretary_signed_at, found.secretary_signature = moment, signature
        roles.append("secretary")
    if not roles:
        raise PermissionDenied(f"{actor.full_name or actor.login}: протокол подписывают председатель совета и "
                               "секретарь сессии, каждый один раз")
    if found.chair_signed_at is not None and found.secretary_signed_at is not None:
        found.status = SessionStatus.SIGNED.value
        found.signed_on = moment.astimezone(zone_of(found.council.organization)).date()
    session.flush()
    if found.status == SessionStatus.SIGNED.value and found.council.body == MENTORS_COUNCIL:
        decisions_awaiting(session, found)  # 000 §4.3 is the mentors' council's
    audit(session, "council.protocol_signed", actor, found.council, found, roles=roles,
          signed_at=moment.isoformat(), document_sha256=found.protocol_sha256)
    return found


def agree(session: Session, actor: Actor, session_id: int, item_id: int, *, agreed: bool, note: str = "") -> None:
    """The head agrees (or refuses to agree) an adopted decision of a signed protocol (000 §4.3)."""
    found = get_session(session, actor, session_id)
    if found.council.body != MENTORS_COUNCIL:
        raise ConflictError("согласование с администрацией (000 §4.3) — для решений совета наставников; решения "
                            "этого органа оформляются его протоколом", where="item")
    require_head(actor, found.council.organization_id, "согласование решения совета наставников")
    require_status(found, "согласование решения", SessionStatus.SIGNED)
    item = item_of(found, item_id)
    if item.result != "adopted":
        raise ConflictError(f"по вопросу № {item.position} решение не принято: согласовывать нечего", where="item")
    if item.agreement is not None:
        raise ConflictError(f"решение по вопросу № {item.position} уже рассмотрено администрацией", where="item")
    cleaned = clean(note, "note", "Замечание", required=not agreed)
    item.agreement = (Agreement.AGREED if agreed else Agreement.REFUSED).value
    item.agreed_by_id, item.agreed_at, item.agreement_note = actor.person_id, utcnow(), cleaned
    session.flush()
    audit(session, "council.decision_agreed" if agreed else "council.decision_refused", actor, found.council, item,
          session_id=found.id, note=cleaned)


def stamps(session: Session, found: CouncilSession) -> tuple[str, ...]:
    """«2026-02-27T10:00:55+0700 ФИО Я подтверждаю этот документ» per signature, in the organization's zone."""
    zone = zone_of(found.council.organization)
    made = []
    for moment, person_id, role in ((found.chair_signed_at, found.chair_signer_id, "Председатель"),
                                    (found.secretary_signed_at, found.secretary_id, "Секретарь")):
        if moment is not None:
            made.append(f"{role}: {moment.astimezone(zone).strftime('%Y-%m-%dT%H:%M:%S%z')} "
                        f"{person_name(session, person_id)} {STAMP_TAIL}")
    return tuple(made)


def verified(found: CouncilSession) -> bool:
    return bool(found.protocol_text) and text_sha256(found.protocol_text or "") == found.protocol_sha256


@dataclass(frozen=True)
class ProtocolFile:
    data: bytes
    file_name: str
    mimetype: str


def protocol_file(session: Session, actor: Actor, session_id: int, kind: str) -> ProtocolFile:
    """The protocol as DOCX or PDF (a drawn-up text only: before that there is no protocol)."""
    found = get_session(session, actor, session_id)
    if not found.protocol_text:
        raise ConflictError(f"протокол сессии № {found.number} ещё не оформлен", where=f"council_sessions.{found.id}")
    heading = BODY_KINDS.get(found.council.body, ("", "сессии совета наставников"))[1]
    title = f"Протокол № {found.number} {heading} от {found.held_on:%d.%m.%Y}"
    sha256 = found.protocol_sha256 if found.status == SessionStatus.SIGNED.value else None
    made = protocol_pdf if kind == "pdf" else protocol_docx
    data = made(found.protocol_text, stamps=stamps(session, found), sha256=sha256, title=title)
    name = f"protocol-{found.council.body}-{found.number}-{found.held_on.isoformat()}"
    if kind == "pdf":
        return ProtocolFile(data, f"{name}.pdf", "application/pdf")
    return ProtocolFile(data, f"{name}.docx",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
