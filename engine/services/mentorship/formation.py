"""Who mentors whom: the curator's proposal of a pair (group) that starts pair formation (003 §6) — the mentor
appointed, the mentees waiting and free, the form of mentorship fitting their category, each mentee's roadmap.
What the process's steps and its order then do is in ``pair_steps``."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import (
    GroupMember,
    Mentee,
    MentoringGroup,
    Person,
    Role,
    WorkflowInstance,
    is_appointed,
    log_access,
)
from engine.db.models.mentorship import GroupStatus, MenteeStatus
from engine.errors import Disclosure, NastavnikError
from engine.forms import FormId
from engine.regulations import RegulationPack, pack_of
from engine.services.mentorship.basics import (
    facts_for,
    mentor_ruleset,
    organization_by_id,
    person_in_organization,
    require_active,
    start_data,
)
from engine.services.mentorship.engagement import require_free
from engine.services.people.actor import Actor
from engine.services.process import instances
from engine.services.process.domain import organization_today
from engine.vocabulary import PARTICIPANT_KIND_LABELS, ParticipantKind
from engine.workflow import Clock

PAIR_PROCESS = "pair_formation"  # workflows/pair_formation.bpmn: consent of each participant, then the head's order


def propose_pair(session: Session, actor: Actor, organization_id: int, mentor_id: int, mentee_ids: list[int],
                 *, form: str | None = None, roadmap_id: str | None = None,
                 clock: Clock | None = None) -> WorkflowInstance:
    """The curator proposes a mentor and mentees (003 §6.2: pairs are formed with the curator's direct part, by the criteria of §6.1); only a currently appointed mentor and
    registered mentees; consent and the head's order follow in the process. ``form``: a form of mentorship
    that fits every mentee's category (003 §2.4), None: the model of their category (``form_for``)."""
    organization = organization_by_id(session, organization_id)
    actor.require(organization_id, Role.CURATOR, action="формирование наставнической пары (группы)")
    pack = pack_of(organization)
    if pack.process_or_none("pair_formation", organization.kind) != PAIR_PROCESS:  # 003 §6.2: consent, then an order
        forms = "; ".join(f"{form.label} ({form.clause})" for form in pack.forms_for(organization.kind))
        raise NastavnikError(f"положение «{pack.title}» не предусматривает формирования пар по письменному согласию "
                             f"участников и приказу руководителя (003 §6.2); в нём: {forms}", where="regulation")
    mentor = person_in_organization(session, organization, mentor_id, where="mentor_id")
    people = [person_in_organization(session, organization, i, where="mentee_ids") for i in mentee_ids]
    shown = [mentor, *people]
    require_active(mentor, where="mentor_id")  # a deactivated person is in no new pair (issue 12)
    for person in people:
        require_active(person, where="mentee_ids")
    try:
        mentees = _pair_entries(session, organization_id, mentor, people, clock)
        form = form_for(pack, organization.kind, mentees, form)
        _require_form_fits(pack, form, organization.kind, mentor, [m.person for m in mentees])
    except NastavnikError as error:  # what it names of her organization's people is in the access log
        error.disclosing(*(Disclosure(p.id, actor.person_id, "формирование пары (группы): отказ", ("full_name",))
                           for p in shown if p.id != actor.person_id and p.full_name in error.message))
        raise
    for person in shown:
        if person.id != actor.person_id:
            log_access(session, person, "формирование пары (группы)", viewer=actor.person_id,
                       fields=["full_name", "rule_facts"])
    mentee_roadmaps = [_roadmap_of(pack, m, roadmap_id) for m in mentees]
    group = MentoringGroup(mentor_id=mentor.id, organization_id=organization_id, form=form,
                           roadmap_id=mentee_roadmaps[0], status=GroupStatus.FORMING.value)
    group.members = [GroupMember(person_id=m.person_id, mentee_id=m.id) for m in mentees]
    session.add(group)
    session.flush()
    assignees = {"mentor_consent": mentor.id, "mentees_consent": "data:mentee_id"}  # by effect (engine.workflow.effects)
    instance = instances.start_instance(
        session, actor, pack.process("pair_formation", organization.kind), "pair_formation", organization_id,
        subject={"group_id": group.id, "assignees": assignees},
        data={**start_data(organization), "mentee_roadmaps": mentee_roadmaps}, clock=clock)
    task = next(t for t in instance.open_tasks if t.form_id == FormId.PROPOSE_PAIR)
    ruleset, category_ruleset = mentor_ruleset(organization), pack.ruleset("mentee_category")
    return instances.complete_task(session, actor, instance.id, task.task_id, {
        "mentor_id": mentor.id, "facts": facts_for(ruleset, mentor), "mentee_ids": [m.person_id for m in mentees],
        "mentee_facts": [facts_for(category_ruleset, m.person) if category_ruleset else {} for m in mentees],
        "form_of_mentorship": form}, clock=clock)


def _pair_entries(session: Session, organization_id: int, mentor: Person, people: list[Person],
                  clock: Clock | None) -> list[Mentee]:
    """The mentor appointed on the day and each person a waiting mentee of the organization, free of other
    pairs (003 §3.4, §3.6, §6.2)."""
    today = organization_today(session, organization_by_id(session, organization_id), clock)
    if not is_appointed(session, mentor.id, today, organization_id=organization_id):
        raise NastavnikError(f"{mentor.full_name} не назначен(а) наставником приказом (003 §3.4): "
                             "сначала проведите назначение", where="mentor_id")
    if not people:
        raise NastavnikError("нужен хотя бы один наставляемый", where="mentee_ids")
    mentees = []
    for person in people:
        require_free(session, person.id, organization_id=organization_id)  # in another pending or running pair
        entry = session.scalar(select(Mentee).where(Mentee.person_id == person.id,
                                                    Mentee.organization_id == organization_id,
                                                    Mentee.status == MenteeStatus.WAITING.value))
        if entry is None:
            raise NastavnikError(f"{person.full_name} нет в базе наставляемых (или уже в программе)",
                                 where="mentee_ids")
        mentees.append(entry)
    return mentees


def _require_form_fits(pack: RegulationPack, form_id: str, organization_kind: str, mentor: Person,
                       mentees: list[Person]) -> None:
    """The form is one for the organization's kind (004 прил. 2 п. 1.3) and the sides of the pair are who the form
    says (001 §2.3: «учитель – ученик» — a teacher mentors a student)."""
    form = pack.form(form_id, organization_kind)
    sides = [("наставником", form.mentor, mentor)] + [("наставляемым", form.mentee, person) for person in mentees]
    for side, kind, person in sides:
        if kind is not None and person.participant_kind != kind:
            have = PARTICIPANT_KIND_LABELS.get(ParticipantKind(person.participant_kind), "") \
                if person.participant_kind else "не указано, учитель или ученик"
            raise NastavnikError(f"в форме {form.label} ({form.clause}) {side} бывает "
                                 f"{PARTICIPANT_KIND_LABELS[ParticipantKind(kind)]}, а {person.full_name} — {have}",
                                 where="form")


def form_for(pack: RegulationPack, organization_kind: str, mentees: list[Mentee], chosen: str | None) -> str:
    """The form of the pair: ``chosen`` if it fits every mentee's category (003 §2.4 with §3.6.1: the reservist
    is mentored in «резервист – руководитель», a head in «руководитель – руководитель»), else refused naming the
    forms that do fit; without a choice, the first form that fits them all (the model of their category)."""
    fitting = [f for f in pack.forms_for(organization_kind) if all(f.fits(m.category) for m in mentees)]
    if chosen:
        form = pack.form(chosen, organization_kind)
        misfit = next((m for m in mentees if not form.fits(m.category)), None)
        if misfit is None:
            return form.id
        category = pack.category(misfit.category).label if misfit.category else "без категории"
        offered = "; ".join(f.label for f in pack.forms_for_category(misfit.category, organization_kind))
        raise NastavnikError(f"форма {form.label} ({form.clause}) — не для категории наставляемого: "
                             f"{misfit.person.full_name} — «{category}»; для этой категории: {offered}",
                             where="form")
    models = [f for f in fitting if f.mentee_categories]
    if models:
        return models[0].id
    if not fitting or any(f.mentee_categories for f in pack.forms_for(organization_kind)):
        raise NastavnikError("у наставляемых разные модели наставничества (003 §2.4): выберите форму, общую для "
                             "их категорий, или предложите их в разные пары (группы)", where="form")
    return fitting[0].id


def _roadmap_of(pack: RegulationPack, mentee: Mentee, chosen: str | None) -> str:
    """The roadmap a mentee follows: the one the category ruleset chose (003 §3.7), else the one the pack
    routes the mentee's category to, else the curator's choice among the pack's roadmaps."""
    decided = ((mentee.decision or {}).get("outputs") or {}).get("roadmap_id")
    routed = pack.category(mentee.category).roadmap if mentee.category else None
    roadmap_id = decided or routed or chosen
    if roadmap_id is None:
        raise NastavnikError(f"{mentee.person.full_name}: выберите дорожную карту программы; в положении есть: "
                             + "; ".join(r.title for r in pack.roadmaps.values()), where="roadmap_id")
    return pack.roadmap(roadmap_id).id
