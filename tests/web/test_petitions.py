"""Petitions from the mentor's and mentee's pages (003 §4.1, §5.1, §7.1 (2), §7.2): only those the person
may file are offered; a pending one is a clear 409, bad input a 422 naming the field."""
from __future__ import annotations

import re

from engine.services.process import instances
from tests.web.conftest import csrf_token
from tests.web.participants_support import (  # noqa: F401 - fixtures
    demo_app,
    demo_client,
    demo_url,
    engine_session,
    in_progress_program,
    login_demo,
)


def program_id_of(url: str) -> int:
    with engine_session(url) as session:
        return in_progress_program(session).id


def file_petition(client, program_id: int, name: str, **data):
    page = client.get(f"/my/programs/{program_id}/petitions/{name}")
    return client.post(f"/my/programs/{program_id}/petitions/{name}",
                       data={"csrf_token": csrf_token(page.text), **data})


def test_the_mentor_is_offered_the_mentors_petitions(demo_client, demo_url):
    program_id = program_id_of(demo_url)
    login_demo(demo_client, "volkov")
    html = demo_client.get(f"/my/programs/{program_id}").text
    links = set(re.findall(rf'/my/programs/{program_id}/petitions/(\w+)', html))
    assert links == {"extension", "mentor_release", "early_completion"}
    page = demo_client.get(f"/my/programs/{program_id}/petitions/extension")
    assert page.status_code == 200 and "003 §7.2" in page.text and 'name="months"' in page.text
    assert demo_client.get(f"/my/programs/{program_id}/petitions/mentor_replacement").status_code == 403
    assert demo_client.get(f"/my/programs/{program_id}/petitions/nonsense").status_code == 404


def test_extension_petition_with_bad_input_then_filed_then_pending(demo_app, demo_client, demo_url):
    program_id = program_id_of(demo_url)
    login_demo(demo_client, "volkov")
    bad = file_petition(demo_client, program_id, "extension", months="abc", reason="болезнь")
    assert bad.status_code == 422 and "от 0 до 12" in bad.text and "болезнь" in bad.text
    empty = file_petition(demo_client, program_id, "extension", months="3", reason="  ")
    assert empty.status_code == 422 and "Укажите обоснование ходатайства" in empty.text
    done = file_petition(demo_client, program_id, "extension", months="3", reason="длительная болезнь")
    assert done.status_code == 302
    with engine_session(demo_url) as session:
        program = in_progress_program(session)
        data = instances.snapshot(session, program.workflow_instance_id).data
        assert data["extension"]["extension_months"] == 3 and data["extension"]["initiator"] == "mentor"
    again = file_petition(demo_client, program_id, "extension", months="2", reason="ещё раз")
    assert again.status_code == 409 and "уже подано" in again.text
    html = demo_client.get(f"/my/programs/{program_id}").text
    assert "уже подано, рассматривается" in html
    assert "Согласовать продление (наставник)" not in html  # the mentor petitioned: her petition is her consent
    mentee = demo_app.test_client()
    login_demo(mentee, "orlova")
    html = mentee.get(f"/my/programs/{program_id}").text
    assert "Согласовать продление (наставляемый)" in html  # the mentee's agreement, with what she agrees to
    assert "Просят продлить на, мес." in html and "длительная болезнь" in html and "Волков" in html
    action = re.search(r'action="([^"]+/extension)"', html).group(1)
    refused = mentee.post(action, data={"csrf_token": csrf_token(html), "agreed": "no", "comment": ""})
    assert refused.status_code == 422 and "почему" in refused.text
    agreed = mentee.post(action, data={"csrf_token": csrf_token(html), "agreed": "yes", "comment": ""})
    assert agreed.status_code == 302


def test_mentee_petitions_for_replacement_and_the_mentor_cannot(demo_app, demo_url):
    program_id = program_id_of(demo_url)
    mentee = demo_app.test_client()
    login_demo(mentee, "orlova")
    assert file_petition(mentee, program_id, "mentor_replacement", reason="несовпадение графиков").status_code == 302
    assert file_petition(mentee, program_id, "mentor_replacement", reason="снова").status_code == 409
    mentor = demo_app.test_client()
    login_demo(mentor, "volkov")
    page = mentor.get(f"/my/programs/{program_id}/petitions/mentor_release")
    forged = mentor.post(f"/my/programs/{program_id}/petitions/mentor_replacement",
                         data={"csrf_token": csrf_token(page.text), "reason": "x"})
    assert forged.status_code == 403
    outsider = demo_app.test_client()
    login_demo(outsider, "morozova")
    assert outsider.get(f"/my/programs/{program_id}/petitions/extension").status_code == 403


def test_early_completion_at_the_participants_initiative(demo_client, demo_url):
    program_id = program_id_of(demo_url)
    login_demo(demo_client, "volkov")
    page = demo_client.get(f"/my/programs/{program_id}/petitions/early_completion")
    assert "003 §7.1 (2)" in page.text
    assert file_petition(demo_client, program_id, "early_completion", reason="переезд").status_code == 302
    with engine_session(demo_url) as session:
        data = instances.snapshot(session, in_progress_program(session).workflow_instance_id).data
    assert data["early_completion"]["ground"] == "participants_initiative"
    closed = file_petition(demo_client, program_id, "extension", months="2", reason="x")
    assert closed.status_code == 409 and "не принимает" in closed.text


def test_a_petition_while_the_report_waits_for_the_curator_does_not_strand_the_program(demo_app, demo_url):
    """Issue 11: the demo's program in progress, its first stage report waiting for the curator. The mentee asks
    to end the program early — the stage stops and with it the curator's review; the curator declines. The
    report is the mentor's draft again (not «на проверке» forever): he sends it, and the curator has it."""
    program_id = program_id_of(demo_url)
    mentee, mentor, curator = demo_app.test_client(), demo_app.test_client(), demo_app.test_client()
    login_demo(mentee, "orlova")
    login_demo(mentor, "volkov")
    login_demo(curator, "curator")
    assert file_petition(mentee, program_id, "early_completion", reason="переезд в другой город").status_code == 302
    with engine_session(demo_url) as session:
        instance_id = in_progress_program(session).workflow_instance_id
        [decide] = [t for t in instances.snapshot(session, instance_id).ready_tasks]
    assert decide.form == "decide_petition"  # the review is gone with the stage: the curator decides the petition
    page = curator.get(f"/tasks/{instance_id}/{decide.task_id}")
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page.text)[1]
    declined = curator.post(f"/tasks/{instance_id}/{decide.task_id}", data={
        "csrf_token": csrf_token(page.text), "version": version, "reject": "1", "comment": "оснований нет"})
    assert declined.status_code == 302
    html = mentor.get(f"/my/programs/{program_id}").text
    assert "Проверка отчёта об этапе прервана" in html and "диагностика затруднений проведена" in html  # prefilled
    found = re.search(r'name="version" type="hidden" value="(\d*)"', html)
    sent = mentor.post(f"/my/programs/{program_id}/report", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(html), "version": found.group(1) if found else "",
        "report": "Информационная справка: диагностика затруднений проведена, запросы выявлены."})
    assert sent.status_code == 302  # was 409: «отчёт об этапе на проверке у куратора»
    inbox = curator.get("/inbox").text
    assert "Рассмотреть отчёт по этапу" in inbox


def test_a_content_only_extension_petition_changes_the_form_without_months(demo_app, demo_client, demo_url):
    """003 §7.2 «или корректировка ее содержания»: 0 months with a new form of the pack; the mentee sees what she
    agrees to — no new term, the new form in the pack's words."""
    program_id = program_id_of(demo_url)
    login_demo(demo_client, "volkov")
    page = demo_client.get(f"/my/programs/{program_id}/petitions/extension").text
    assert "Срок можно не продлевать (0 месяцев)" in page and 'name="new_form"' in page
    assert 'value="virtual"' in page and 'value="reservist_head"' not in page  # the mentee's category decides
    empty = file_petition(demo_client, program_id, "extension", months="0", new_form="", reason="встречи онлайн")
    assert empty.status_code == 422 and "ходатайство ничего не меняет" in empty.text
    alien = file_petition(demo_client, program_id, "extension", months="0", new_form="teacher_teacher", reason="x")
    assert alien.status_code == 422 and "не предусматривает форму наставничества" in alien.text
    done = file_petition(demo_client, program_id, "extension", months="0", new_form="virtual", reason="встречи онлайн")
    assert done.status_code == 302
    with engine_session(demo_url) as session:
        program = in_progress_program(session)
        data = instances.snapshot(session, program.workflow_instance_id).data
        assert (data["extension"]["extension_months"], data["extension"]["new_form"]) == (0, "virtual")
    mentee = demo_app.test_client()
    login_demo(mentee, "orlova")
    html = mentee.get(f"/my/programs/{program_id}").text
    assert "не продлевается: корректируется содержание программы (003 §7.2)" in html
    assert "Виртуальное (дистанционное) наставничество" in html and "Просят продлить на, мес." not in html
