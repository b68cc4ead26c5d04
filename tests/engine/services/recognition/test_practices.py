"""The bank of practices (001 §2.2, 002 §4.1.4, 003 §3.3): a mentor submits a case with a file, the curator returns
it with a comment, the mentor corrects it, the curator approves it; everyone of the department's tree finds it by a
word of its title or text, another department does not."""
from __future__ import annotations

import pytest

from engine.db.models import PracticeStatus
from engine.errors import ConflictError, NastavnikError, PermissionDenied
from engine.services.recognition import practices
from engine.services.recognition.basics import Upload
from tests.engine.services.recognition.world import build


def test_submitted_returned_corrected_approved_and_found(db_session):
    w = build(db_session)
    s = db_session
    data = practices.PracticeInput(title="Кейс: адаптация молодого директора", kind="case",
                                   description="Разбор ситуации первого года; 100% задач_решено",
                                   files=(Upload("кейс.txt", "текст кейса".encode()),))
    practice = practices.submit(s, w.actor("volkov"), w.school.id, data)
    assert practice.status == PracticeStatus.SUBMITTED and [f.file_name for f in practice.files] == ["кейс.txt"]
    assert practices.search(s, w.actor("morozova"), "адаптация") == []  # not in the bank yet
    assert [p.id for p in practices.waiting(s, w.actor("school_curator"))] == [practice.id]

    with pytest.raises(NastavnikError, match="Замечание"):
        practices.review(s, w.actor("school_curator"), practice.id, approve=False)
    with pytest.raises(PermissionDenied):
        practices.review(s, w.actor("curator"), practice.id, approve=True)  # the department's curator: not hers
    practices.review(s, w.actor("school_curator"), practice.id, approve=False, comment="добавьте выводы")
    assert practice.status == PracticeStatus.RETURNED
    with pytest.raises(PermissionDenied):
        practices.resubmit(s, w.actor("morozova"), practice.id, data)
    practices.resubmit(s, w.actor("volkov"), practice.id, practices.PracticeInput(
        title=data.title, kind="case", description=data.description + " Выводы: план сработал."))
    practices.review(s, w.actor("school_curator"), practice.id, approve=True)
    with pytest.raises(ConflictError):
        practices.review(s, w.actor("school_curator"), practice.id, approve=True)

    for who in ("morozova", "curator", "head", "mentee"):
        assert [p.id for p in practices.search(s, w.actor(who), "АДАПТАЦИЯ выводы")] == [practice.id], who
    assert [p.id for p in practices.search(s, w.actor("morozova"), "100%")] == [practice.id]
    assert [p.id for p in practices.search(s, w.actor("morozova"), "задач_решено")] == [practice.id]
    assert practices.search(s, w.actor("morozova"), "%%") == []  # a wildcard is a character, not «anything»
    assert practices.search(s, w.actor("stranger"), "адаптация") == []
    with pytest.raises(PermissionDenied):
        practices.readable(s, w.actor("stranger"), practice.id)
    assert practices.file_of(s, w.actor("mentee"), practice.files[0].id).content == "текст кейса".encode()


def test_who_may_submit_and_what_is_refused(db_session):
    w = build(db_session)
    s = db_session
    ok = practices.PracticeInput(title="Практика", description="Описание")
    with pytest.raises(PermissionDenied):
        practices.submit(s, w.actor("mentee"), w.school.id, ok)
    with pytest.raises(PermissionDenied):
        practices.submit(s, w.actor("volkov"), w.department.id, ok)  # a mentor of the school, not the department
    with pytest.raises(NastavnikError, match="Название"):
        practices.submit(s, w.actor("volkov"), w.school.id, practices.PracticeInput(title=" ", description="т"))
    with pytest.raises(NastavnikError, match="не длиннее 300"):
        practices.submit(s, w.actor("volkov"), w.school.id, practices.PracticeInput(title="я" * 301, description="т"))
    with pytest.raises(NastavnikError, match="практика.*кейс"):
        practices.submit(s, w.actor("volkov"), w.school.id, practices.PracticeInput(title="т", description="т",
                                                                                  kind="story"))
    with pytest.raises(NastavnikError, match="программу своей организации"):
        practices.submit(s, w.actor("volkov"), w.school.id, practices.PracticeInput(title="т", description="т",
                                                                                  program_id=12345))
    with pytest.raises(NastavnikError, match="не больше 5 файлов"):
        practices.submit(s, w.actor("volkov"), w.school.id, practices.PracticeInput(
            title="т", description="т", files=tuple(Upload(f"{i}.txt", b"x") for i in range(6))))
    practice = practices.submit(s, w.actor("school_curator"), w.school.id, ok)
    with pytest.raises(PermissionDenied):
        practices.readable(s, w.actor("volkov"), practice.id)  # under review: the author and the staff only
    assert practices.readable(s, w.actor("curator"), practice.id) is practice
