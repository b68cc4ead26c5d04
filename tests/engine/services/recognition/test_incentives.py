"""A curator records a measure of encouragement for a mentor (003 §9.1): the kind from the pack, a basis, a date,
a document; the mentor and the staff see them, others do not."""
from __future__ import annotations

from datetime import date

import pytest

from engine.db.models import AccessLogEntry, AuditEntry
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.services.recognition import incentives
from engine.services.recognition.basics import Upload
from tests.engine.services.recognition.world import build

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_curator_records_a_letter_of_gratitude_and_the_mentor_sees_it(db_session):
    w = build(db_session)
    kinds = {k.id: k for k in incentives.kinds_for(db_session, w.department.id)}
    assert {"management_reserve", "attestation", "jury_member", "diploma", "honorary_mentor",
            "youth_and_professionalism", "best_mentor"} <= set(kinds)
    row = incentives.record(db_session, w.actor("curator"), w.department.id, w.people["volkov"].id,
                            incentives.IncentiveInput(kind="diploma", basis="итоги года наставничества",
                                                      awarded_on=date(2026, 6, 1),
                                                      document=Upload("письмо.pdf", PDF)))
    assert row.kind_label == "Награждение дипломом, благодарственным письмом" and row.clause == "003 §9.1"
    assert row.recorded_by_id == w.people["curator"].id and row.document_sha256 and row.document_name == "письмо.pdf"
    assert db_session.query(AuditEntry).filter_by(action="incentive.recorded").count() == 1

    own = incentives.of_mentor(db_session, w.actor("volkov"), w.people["volkov"].id)
    assert [i.id for i in own.incentives] == [row.id]
    seen = incentives.of_mentor(db_session, w.actor("school_curator"), w.people["volkov"].id)
    assert seen.incentives == []  # recorded by the department: its staff see it, the school's do not
    staff = incentives.of_mentor(db_session, w.actor("head"), w.people["volkov"].id)
    assert [i.id for i in staff.incentives] == [row.id]
    assert db_session.query(AccessLogEntry).filter_by(subject_id=w.people["volkov"].id).count() >= 1
    assert incentives.document_of(db_session, w.actor("volkov"), row.id).document_content == PDF
    with pytest.raises(PermissionDenied):
        incentives.of_mentor(db_session, w.actor("stranger"), w.people["volkov"].id)
    with pytest.raises(PermissionDenied):
        incentives.document_of(db_session, w.actor("morozova"), row.id)


def test_what_is_refused_names_the_field(db_session):
    w = build(db_session)
    curator, volkov = w.actor("curator"), w.people["volkov"].id

    def attempt(**kw):
        data = {"kind": "diploma", "basis": "основание", "awarded_on": date(2026, 6, 1), **kw}
        return incentives.record(db_session, curator, w.department.id, kw.pop("mentor", volkov),
                                 incentives.IncentiveInput(**data))

    with pytest.raises(NotFound, match="не называет меру поощрения «salary_supplement»"):
        attempt(kind="salary_supplement")
    with pytest.raises(NastavnikError, match="Основание"):
        attempt(basis="  ")
    with pytest.raises(NastavnikError, match="дату"):
        attempt(awarded_on=None)
    with pytest.raises(NastavnikError, match="только для надбавки"):
        attempt(percent=10)
    with pytest.raises(NastavnikError, match="не программа этого наставника"):
        attempt(program_id=999)
    with pytest.raises(NastavnikError, match="исполняемая"):
        attempt(document=Upload("x.pdf", b"MZ\x90\x00"))
    with pytest.raises(NastavnikError, match="не наставник"):
        incentives.record(db_session, curator, w.department.id, w.people["mentee"].id,
                          incentives.IncentiveInput(kind="diploma", basis="б", awarded_on=date(2026, 6, 1)))
    with pytest.raises(PermissionDenied):
        incentives.record(db_session, w.actor("morozova"), w.department.id, volkov,
                          incentives.IncentiveInput(kind="diploma", basis="б", awarded_on=date(2026, 6, 1)))


def test_yakutsk_salary_supplement_asks_the_percentage_the_organization_sets(db_session):
    w = build(db_session, regulation="yakutsk")
    curator, volkov = w.actor("curator"), w.people["volkov"].id
    with pytest.raises(NastavnikError, match="от 1 до 100"):
        incentives.record(db_session, curator, w.department.id, volkov, incentives.IncentiveInput(
            kind="salary_supplement", basis="приказ по учреждению", awarded_on=date(2026, 9, 1)))
    row = incentives.record(db_session, curator, w.department.id, volkov, incentives.IncentiveInput(
        kind="salary_supplement", basis="приказ по учреждению", awarded_on=date(2026, 9, 1), percent=15))
    assert row.percent == 15 and row.clause == "004 прил. 2 п. 9.1"


def test_the_college_records_the_non_material_incentives_of_002(db_session):
    """002 §3.4: the college's non-material incentives — the management reserve, attestation, professional contests
    (also as a jury member), departmental awards and the three insignia — are the kinds its curator records."""
    w = build(db_session, regulation="college")
    kinds = {k.id: k for k in incentives.kinds_for(db_session, w.department.id)}
    assert set(kinds) == {"management_reserve", "attestation", "professional_contest", "departmental_award",
                          "for_mentoring", "honorary_mentor", "youth_and_professionalism", "skills_contest"}
    assert {k.clause for k in kinds.values()} == {"002 §3.4"}
    row = incentives.record(db_session, w.actor("curator"), w.department.id, w.people["volkov"].id,
                            incentives.IncentiveInput(kind="professional_contest", basis="член жюри конкурса «Мастер»",
                                                      awarded_on=date(2026, 10, 5)))
    assert row.kind_label == "Учёт при выдвижении на профессиональные конкурсы, в том числе в качестве члена жюри"
    assert row.clause == "002 §3.4"
    with pytest.raises(NastavnikError, match="diploma"):  # tomsk's letter of gratitude is not among the college's
        incentives.record(db_session, w.actor("curator"), w.department.id, w.people["volkov"].id,
                          incentives.IncentiveInput(kind="diploma", basis="x", awarded_on=date(2026, 10, 5)))
