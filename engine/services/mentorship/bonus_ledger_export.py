"""The bonus fund's ledger (003 §9.3) as XLSX (issue 15, items 3–4): the rows the head's page shows for a year —
one per head-mentor — with the increase, the decision and its reason; a sheet «Основание» with the programs and
mentees each increase was counted on; a sheet «Сведения» with what was exported, when and by whom. Read through
``bonus_ledger.ledger``, so the same scope and the same access log (152-ФЗ) as the page."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from engine.db.models import PROGRAM_LIFECYCLE, Organization
from engine.documents import xlsx
from engine.documents.basics import zone_of
from engine.documents.exported import ExportFile
from engine.services.mentorship import bonus_ledger
from engine.services.people.actor import Actor

STATES = {"granted": "увеличение сохранено", "revoked": "увеличение отменено", "undecided": "решение не принято",
          "none": "увеличение не положено"}


def ledger_file(session: Session, actor: Actor, year: int, organization_id: int | None = None) -> ExportFile:
    """The ledger of ``year`` (in one organization of the actor's scope, or all of it) as an XLSX file."""
    found = bonus_ledger.ledger(session, actor, year, organization_id)
    zones = {org_id: zone_of(session.get(Organization, org_id)) for org_id in {row.organization_id for row in found.rows}}

    def local(moment: datetime | None, org_id: int) -> datetime | None:  # Excel has no zones: the organization's time
        return moment.astimezone(zones[org_id]).replace(tzinfo=None) if moment else None

    rows = [[row.organization, row.mentor, row.term_starts_on, row.term_ends_on, row.mentee_count, row.salaries,
             row.granted_salaries, STATES[row.state], "; ".join(g.message for g in row.grounds),
             row.reason or "", row.decided_by or "", local(row.decided_at, row.organization_id)]
            for row in found.rows]
    ledger = xlsx.Section("Фонд надбавок", (
        "Организация", "Руководитель-наставник", "Начало срока", "Окончание срока", "Наставляемых за срок",
        "Увеличение, окладов (003 §9.3)", "С учётом решения, окладов", "Решение руководителя",
        "Основания для отмены, найденные правилами", "Основание решения", "Решил(а)", "Дата решения"), rows)
    basis = xlsx.Section("Основание", (
        "Руководитель-наставник", "Программа №", "Состояние программы", "Начало", "Окончание (плановое)",
        "Наставляемые"), [
        [row.mentor, program.id, PROGRAM_LIFECYCLE.label(program.status), program.started_on, program.ends_on,
         ", ".join(program.mentees)] for row in found.rows for program in row.programs])
    shown = dict(found.organizations)
    about = xlsx.Section("Сведения", ("Реквизит", "Значение"), [
        ["Содержание", "Фонд надбавок наставникам (003 §9.3)"], ["Год", year],
        ["Организации", shown.get(organization_id, "") if organization_id else "; ".join(shown.values())],
        ["Итого окладов с учётом решений", found.total_salaries], ["Строк", len(rows)],
        ["Выгрузил(а)", actor.full_name or actor.login]])
    data = xlsx.workbook([ledger, basis, about], title=f"Фонд надбавок наставникам за {year} год",
                         author=actor.full_name or actor.login)
    return ExportFile(data, f"фонд-надбавок-{year}.xlsx", rows=len(rows))
