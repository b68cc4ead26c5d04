"""Who mentors whom: pair formation (003 §6) through its workflow, and what the mentee registry
(``mentee_registry``) and mentor appointment (``mentor_appointment``) share with it: the pack's mentor ruleset,
the facts a ruleset reads, a process's start data, the organization and its people looked up."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import (
    Consent,
    GroupMember,
    Mentee,
    MentoringGroup,
    Order,
    Organization,
    Person,
    Role,
    WorkflowInstance,
    is_appointed,
    log_access,
)
from engine.db.models.mentorship import GroupStatus, MenteeStatus
from engine.errors import Disclosure, NastavnikError, NotFound
from engine.forms import MAX_ID, FormId
from engine.regulations import RegulationPack, pack_of
from engine.rules import default_registry
from engine.services.mentorship import programs
from engine.services.mentorship.engagement import require_free
from engine.services.mentorship.lifecycle import start_program
from engine.services.mentorship.records import participation_consent, record_decision
from engine.services.orders import in_workflows as process_orders
from engine.services.orders.in_workflows import OrderKind
from engine.services.people.actor import Actor
from engine.services.process import instances
from engine.services.process.domain import organization_today
from engine.services.process.hooks import Step, StepHook
from engine.vocabulary import PARTICIPANT_KIND_LABELS, ParticipantKind, gendered
from engine.workflow import Clock

PAIR_PROCESS = "pair_formation"  # workflows/pair_formation.bpmn: consent of each participant, then the head's order


def mentor_ruleset(organization: Organization) -> str:
    """The ruleset that checks a mentor candidate under the organization's regulation pack."""
    ruleset = pack_of(organization).ruleset("mentor_eligibility")
    if ruleset is None:
        raise NastavnikError(f"положение «{pack_of(organization).title}» не задаёт требований к наставнику",
                             where="rulesets.mentor_eligibility")
    return ruleset


def start_data(organization: Organization) -> dict:
    """What every process of the organization starts with: its pack and the pack's rulesets by purpose."""
    return pack_of(organization).process_data()


def facts_for(ruleset_id: str, person: Person, on: date | None = None) -> dict:
    """The person's attributes that the ruleset reads (nothing else leaves the registry: 152-ФЗ); ``on``: the
    day the derived facts (the age) are computed for."""
    wanted = default_registry().get(ruleset_id).facts
    return {name: value for name, value in person.rule_facts(on).items() if name in wanted}


def person_by_id(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"нет человека с номером {person_id}")
    return person


def require_active(person: Person, *, where: str) -> Person:
    """The person, unless the administrator deactivated them: a deactivated person is offered for no new pair,
    appointment or registry entry (issue 12), naming the field."""
    if not person.is_active:
        raise NastavnikError(f"{person.full_name}: доступ закрыт администратором (деактивирован(а)) — "
                             "для новых пар, назначений и записей в базу не выбирается", where=where)
    return person


def belongs_to(person: Person, organization: Organization) -> bool:
    """The person works in the organization (or a unit under it) or holds a role in it."""
    chain, unit = set(), person.organization
    while unit is not None and unit.id not in chain:
        chain.add(unit.id)
        unit = unit.parent
    return organization.id in chain or any(r.organization_id == organization.id and r.active for r in person.roles)


def person_in_organization(session: Session, organization: Organization, person_id: int, *,
                           where: str) -> Person:
    """The person ``person_id`` of the organization; anyone else — of another organization or nobody — is
    refused without a word about them (their name is not the curator's to learn), naming the field."""
    person = session.get(Person, person_id) if 0 < person_id <= MAX_ID else None
    if person is None or not belongs_to(person, organization):
        raise NastavnikError(f"человек №{person_id} не найден в вашей организации", where=where)
    return person


def person_for_registry(session: Session, organization: Organization, person_id: int, *, where: str) -> Person:
    """A person the curator may enter in the organization's registries (the base of mentors or of mentees,
    003 §3.3): one who works in the organization or one under it, or holds a role in it, whose account is
    active and whose data are not anonymized. A person of another organization (or nobody) is refused by
    number only — their name is not the curator's to learn; a deactivated or anonymized one by name. Each
    refusal cites the clause by which the curator keeps her organization's registries (the pack's curator role)."""
    cited = pack_of(organization).roles.get("curator")
    clause = f" ({cited.clause})" if cited is not None and cited.clause else ""
    person = session.get(Person, person_id) if 0 < person_id <= MAX_ID else None
    if person is None or not belongs_to(person, organization):
        raise NastavnikError(f"человек №{person_id} не работает в «{organization.short_name or organization.name}» "
                             "или подчинённой ей организации и не имеет в ней роли: в базы наставников и "
                             f"наставляемых вносятся только её работники{clause}", where=where)
    if person.anonymized_at is not None:
        raise NastavnikError(f"{person.full_name}: данные обезличены по запросу (152-ФЗ) — в базы наставников и "
                             f"наставляемых не вносится{clause}", where=where)
    if not person.is_active:  # as ``require_active`` says it, with the clause
        state = gendered(person.full_name, "деактивирован", "деактивирована", "деактивирован(а)")
        raise NastavnikError(f"{person.full_name}: доступ закрыт администратором ({state}) — для новых пар, "
                             f"назначений и записей в базу не выбирается{clause}", where=where)
    return person


def organization_by_id(session: Session, organization_id: int) -> Organization:
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(f"нет организации с номером {organization_id}")
    return organization


# -- pair formation -----------------------------------------------------------------------------

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
    assignees = {"Task_mentor_consent": mentor.id, "Task_mentees_consent": "data:mentee_id"}
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


def _group_of(session: Session, instance: WorkflowInstance) -> MentoringGroup:
    group = session.get(MentoringGroup, (instance.subject or {})["group_id"])
    if group is None:
        raise NotFound(f"процесс №{instance.id} не связан с группой")
    return group


def _record_pair_decisions(step: Step) -> None:
    group = _group_of(step.session, step.instance)
    record_decision(step.session, step.data.get("decision"), actor=step.actor, person_id=group.mentor_id,
                    group_id=group.id)
    for mentee_id, decision in zip(step.data.get("mentee_ids") or [], step.data.get("mentee_decisions") or [], strict=False):
        record_decision(step.session, decision, actor=step.actor, person_id=mentee_id, group_id=group.id)


def _record_consent(step: Step) -> None:
    group = _group_of(step.session, step.instance)
    if step.task.data.get("consent") is True:
        if step.actor.person_id in [m.person_id for m in group.members]:  # a mentee: one program at a time
            require_free(step.session, step.actor.person_id, excluding_group_id=group.id, where="consent")
        step.session.add(Consent(person_id=step.actor.person_id, group_id=group.id,
                                 text=(participation_consent(step.actor.full_name) + " "
                                       + str(step.task.data.get("comment") or "")).strip()))
    else:
        group.status = GroupStatus.DISSOLVED.value
    step.session.flush()


def _pair_order_data(session: Session, instance: WorkflowInstance, values: dict) -> dict:

    group = _group_of(session, instance)
    starts_on = process_orders.step_day(instance)
    return {"groups": [group.id], "starts_on": starts_on.isoformat(),
            "ends_on": programs.planned_end(pack_of(group.organization), group.roadmap_id, starts_on).isoformat()}


def _approve_pairs(session: Session, instance: WorkflowInstance, values: dict, order: Order, actor: Actor) -> None:

    group = _group_of(session, instance)
    for member in group.members:  # the head signs a pair only for mentees not in another pair meanwhile
        require_free(session, member.person_id, excluding_group_id=group.id, where="signed", pending=False)
    group.status, group.order_id = GroupStatus.APPROVED.value, order.id
    for pair in values.get("pairs") or []:
        start_program(session, group, pair["mentee_id"], pair["roadmap_id"],
                      started_on=process_orders.step_day(instance), clock_now=instance.updated_at)
    session.flush()


# -- what the workflows name (collected by engine.bootstrap) --------------------------------------

HOOKS: dict[str, StepHook] = {  # the ``hook`` a user task names -> what its completion also does
    "record_pair_decisions": _record_pair_decisions,  # pair_formation: the mentor's and mentees' decisions
    "record_consent": _record_consent,  # pair_formation: a participant's consent (003 §6.2), or the group dissolved
}
ORDER_KINDS: dict[str, OrderKind] = {
    "pair_formation": OrderKind(_pair_order_data, _approve_pairs),
}
