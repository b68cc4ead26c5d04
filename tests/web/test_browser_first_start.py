"""A department starts on «Наставник» from an empty database, in a real browser, with no demo code (issue 12,
«Done means»): ``nastavnik init`` makes the Tomsk department (003) and its first administrator; ``nastavnik serve``
serves it; the administrator creates two schools, imports a staff file of 50 people — three bad rows named by row
and column, fixed, imported — gives the roles and the password links; the curator enters two mentees (the 003
rules decide the category, criterion by criterion) and proposes a mentor; the head signs the appointment order;
the curator proposes a pair, the mentor and the mentee consent (152-ФЗ), the head signs the pair order, and the
program runs: the mentee sees its first stage at /my, the curator's registry of programs lists it.
Screenshots: first-start-*.png (1280 px; two at 390 px)."""
from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.cli.test_serve import ROOT, _free_port
from tests.web.conftest import _open_page

ADMIN_PASSWORD = "Первый-запуск-2026"
STAFF_PASSWORD = "Пароль-сотрудника-7"
DEPARTMENT = "ДО г. Томска"
SCHOOLS = {"СОШ № 4": "МАОУ СОШ № 4 им. И. С. Черных г. Томска", "Гимназия № 6": "МАОУ гимназия № 6 г. Томска"}
LAPTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
CLI = [sys.executable, "-c", "import sys; from cli import main; sys.exit(main())"]

YEARS = "Стаж работы в должности руководителя образовательной организации г. Томска"
LEVEL = "Уровень конкурса профессионального мастерства «руководитель образовательной организации»"
RESULT = "Результат участия в конкурсе"
EFFICIENCY = "Результат оценки эффективности деятельности руководителя"
CERTIFICATE = "Удостоверение (сертификат) о курсах повышения квалификации по программе наставничества"
RESERVE = "Включён в резерв управленческих кадров муниципальной системы образования г. Томска"
IS_HEAD = "Руководитель (директор) образовательной организации"
MONTHS = "Сколько месяцев в должности руководителя"
LOW_RESULTS = "Школа включена в состав школ с низкими образовательными результатами (методика Рособрнадзора)"


# -- the staff file ------------------------------------------------------------------------------------

@dataclass
class Worker:
    full_name: str
    position: str
    email: str
    organization: str = ""  # empty: the department itself
    facts: dict[str, object] = field(default_factory=dict)


# the five people of the story; the others only fill the file
CURATOR = Worker("Белова Марина Андреевна", "главный специалист отдела кадровой политики", "belova@edu.tomsk.ru")
HEAD = Worker("Соколов Андрей Викторович", "начальник департамента образования", "sokolov@edu.tomsk.ru")
MENTOR = Worker("Лебедева Ирина Геннадьевна", "директор", "lebedeva@sosh4.tomsk.ru", "СОШ № 4",
                {YEARS: 12, LEVEL: "региональный", RESULT: "победитель", EFFICIENCY: 92, CERTIFICATE: "да",
                 IS_HEAD: "да", MONTHS: 150, RESERVE: "нет", LOW_RESULTS: "нет"})
NEW_HEAD = Worker("Егоров Максим Олегович", "директор", "egorov@gym6.tomsk.ru", "Гимназия № 6",
                  {YEARS: 0, EFFICIENCY: 70, CERTIFICATE: "нет", IS_HEAD: "да", MONTHS: 4, RESERVE: "нет",
                   LOW_RESULTS: "нет"})
RESERVIST = Worker("Крылова Дарья Сергеевна", "заместитель директора по учебной работе", "krylova@sosh4.tomsk.ru",
                   "СОШ № 4", {YEARS: 0, CERTIFICATE: "нет", IS_HEAD: "нет", MONTHS: 0, RESERVE: "да",
                               LOW_RESULTS: "нет"})
STORY = (CURATOR, HEAD, MENTOR, NEW_HEAD, RESERVIST)

MEN = ("Алексеев Павел Игоревич", "Васильев Роман Сергеевич", "Григорьев Олег Петрович", "Дмитриев Степан Ильич",
       "Жуков Артём Николаевич", "Зайцев Кирилл Андреевич", "Ильин Виктор Михайлович", "Комаров Денис Юрьевич",
       "Лукин Антон Павлович", "Макаров Евгений Олегович", "Никитин Глеб Алексеевич", "Орлов Фёдор Иванович",
       "Павлов Тимур Русланович", "Романов Илья Денисович", "Семёнов Аркадий Львович", "Тихонов Борис Ефимович",
       "Устинов Вадим Георгиевич", "Фролов Лев Константинович", "Харитонов Ян Валерьевич", "Шубин Егор Артёмович")
WOMEN = ("Абрамова Елена Павловна", "Борисова Ольга Игоревна", "Власова Татьяна Николаевна",
         "Гусева Светлана Олеговна", "Давыдова Наталья Андреевна", "Ершова Юлия Викторовна",
         "Зуева Анастасия Романовна", "Исаева Людмила Петровна", "Карпова Валентина Ивановна",
         "Ларионова Ксения Дмитриевна", "Медведева Алла Сергеевна", "Назарова Инна Владимировна",
         "Осипова Галина Фёдоровна", "Полякова Вера Алексеевна", "Рябова Нина Степановна",
         "Савельева Оксана Юрьевна", "Тарасова Лидия Михайловна", "Фёдорова Марина Олеговна",
         "Цветкова Алина Игоревна", "Чернова Екатерина Борисовна", "Шестакова Полина Ильинична", "Щербакова Дина Артуровна", "Юдина Софья Евгеньевна", "Яковлева Римма Львовна",
         "Белякова Елизавета Андреевна")
POSITIONS = ("учитель математики", "учитель русского языка и литературы", "учитель начальных классов",
             "учитель физики", "учитель истории", "педагог-психолог", "социальный педагог", "учитель биологии",
             "заместитель директора по воспитательной работе")
LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                 ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                  "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))
# the three bad rows: (index of the worker in the file, column, the bad value, the value that fixes it, the reason);
# the bad e-mail is the worker's own with the «@» doubled
EMAIL = "Электронная почта"
BAD = ((17, YEARS, "пять", 5, "не число"),
       (29, LEVEL, "городской", "муниципальный", "допустимо: «муниципальный», «региональный», «всероссийский»"),
       (41, EMAIL, None, None, "не адрес электронной почты"))


def bad_cells(people: list[Worker]) -> list[tuple[int, str, object, object, str]]:
    """(row, column, the bad value, the right one, the reason) of the three bad cells (the header is row 1)."""
    return [(index + 2, column, wrong or people[index].email.replace("@", "@@"), right or people[index].email, reason)
            for index, column, wrong, right, reason in BAD]


def latin(word: str) -> str:
    return "".join(LATIN.get(letter, letter) for letter in word.lower())


def staff() -> list[Worker]:
    """Fifty people: the story's five, then teachers and deputies of both schools and the department's staff."""
    others: list[Worker] = []
    names = [name for n, woman in enumerate(WOMEN) for name in (woman, *MEN[n:n + 1])]
    for n, full_name in enumerate(names):
        school = ("СОШ № 4", "Гимназия № 6", "")[n % 3]
        domain = {"СОШ № 4": "sosh4", "Гимназия № 6": "gym6", "": "edu"}[school]
        position = POSITIONS[n % len(POSITIONS)] if school else "ведущий специалист"
        head = n % 11 == 5  # a few heads among them, for the facts
        facts: dict[str, object] = {IS_HEAD: "да" if head else "нет", RESERVE: "да" if n % 7 == 3 else "нет",
                                    CERTIFICATE: "да" if n % 4 == 0 else "нет", LOW_RESULTS: "нет"}
        if head:
            position = "директор"
            facts.update({YEARS: 3 + n % 9, MONTHS: 12 * (3 + n % 9), EFFICIENCY: 60 + n % 35, LEVEL: "муниципальный",
                          RESULT: "участник"})
        others.append(Worker(full_name, position, f"{latin(full_name.split()[0])}@{domain}.tomsk.ru", school, facts))
    people = [*STORY, *others][:50]
    assert len(people) == 50 and len({p.email for p in people}) == 50
    return people


def staff_file(template: bytes, people: list[Worker], *, bad: bool) -> bytes:
    """The downloaded XLSX template filled with ``people`` (row 2 on); with ``bad``, the three bad cells."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["Сотрудники"]
    header = [cell.value for cell in sheet[1]]
    column = {name: header.index(name) + 1 for name in header}
    for row, person in enumerate(people, start=2):
        values = {"ФИО": person.full_name, "Должность": person.position, EMAIL: person.email,
                  "Организация": person.organization, **person.facts}
        for bad_row, name, wrong, right, _reason in bad_cells(people):
            if bad_row == row:
                values[name] = wrong if bad else right
        for name, value in values.items():
            if value != "":
                sheet.cell(row=row, column=column[name], value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# -- the installation: nastavnik init, then nastavnik serve --------------------------------------------

@dataclass
class Installation:
    url: str
    database_url: str


def _cli(args: list[str], database_url: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run([*CLI, *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    """An empty SQLite file → ``nastavnik init`` (README: flags, the password on stdin) → ``nastavnik serve`` on
    a free port (README's run command, without the demo)."""
    database_url = f"sqlite:///{(tmp_path_factory.mktemp('first-start') / 'nastavnik.sqlite3').as_posix()}"
    made = _cli(["init", "--organization-name", "Департамент образования администрации Города Томска",
                 "--short-name", DEPARTMENT, "--kind", "department", "--regulation", "tomsk",
                 "--admin-name", "Захарова Вера Николаевна", "--admin-login", "zakharova",
                 "--admin-email", "zakharova@edu.tomsk.ru"], database_url, stdin=ADMIN_PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    assert "Первый администратор: Захарова Вера Николаевна, логин «zakharova»" in made.stdout
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "NASTAVNIK_SECRET_KEY": "first-start-story"}
    env.pop("NASTAVNIK_SESSION_COOKIE_SECURE", None)
    # the server's log (an access line per request) goes to a file: a pipe nobody reads fills up and stalls it
    log = tmp_path_factory.mktemp("first-start-log") / "serve.log"
    process = subprocess.Popen([*CLI, "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=log.open("w"), text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=30).read()
                break
            except OSError:  # not listening yet, or the worker processes still building their app
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    pytest.fail(f"nastavnik serve did not answer: {log.read_text(errors='replace')[-3000:]}")
                time.sleep(0.2)
        yield Installation(f"http://127.0.0.1:{port}", database_url)
    finally:
        process.terminate()
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


@pytest.fixture(scope="module")
def uploads():
    """Names the staff files the story uploads; the server keeps an unconfirmed one a day under instance/imports:
    removed after the test (the upload id is the SHA-256 of the bytes)."""
    sent: list[bytes] = []
    yield sent
    for data in sent:
        (Path(ROOT) / "instance" / "imports" / hashlib.sha256(data).hexdigest()).unlink(missing_ok=True)


# -- the story ------------------------------------------------------------------------------------------

class User:
    """One person's own browser (a context of their own: their cookies, their session)."""

    def __init__(self, browser, installation: Installation, name: str, **options):
        self.context, self.wrapped = _open_page(browser, installation, **(options or LAPTOP))
        self.page, self.name = self.wrapped.page, name

    def goto(self, path: str):
        return self.wrapped.goto(path)

    def shot(self, name: str) -> None:
        self.wrapped.shot(f"first-start-{name}")

    def arrive(self, pattern: str) -> None:
        """Waits for the page ``pattern``; else fails naming what the page says (its alerts) and shoots it."""
        try:
            self.page.wait_for_url(re.compile(pattern), timeout=15_000)
        except PlaywrightTimeout:
            self.shot("failure")
            alerts = self.page.locator("[role=alert], .flash").all_inner_texts()
            raise AssertionError(f"{self.name}: не открылась {pattern}, а {self.page.url}: {alerts}") from None

    def __enter__(self) -> User:
        return self

    def __exit__(self, failure_type, failure, trace) -> None:
        """Closes the browser; on a step gone well, no console errors (CSP, scripts) may be left."""
        errors = self.wrapped.console_errors
        self.context.close()
        if failure_type is None:
            assert errors == [], f"{self.name}: ошибки в консоли браузера: {errors}"


def create_school(admin: User, short_name: str, name: str) -> int:
    admin.goto("/admin")
    admin.page.locator(".admin-tree__item").first.get_by_role("link", name="Добавить подчинённую").click()
    admin.arrive(r"/admin/organizations/new")
    admin.page.get_by_label("Вышестоящая организация").select_option(label=DEPARTMENT)
    admin.page.get_by_label("Полное наименование").fill(name)
    admin.page.get_by_label("Краткое наименование").fill(short_name)
    admin.page.get_by_label("Вид организации").select_option(label="общеобразовательная организация")
    admin.page.get_by_role("button", name="Создать организацию").click()
    admin.arrive(r"/admin/organizations/\d+$")
    expect(admin.page.get_by_text(f"Организация «{name}» создана.")).to_be_visible()
    return int(admin.page.url.rsplit("/", 1)[1])


def number_orders(admin: User, department_id: int) -> None:
    """The department's orders numbered as its distributive acts are: «№ 1р» (003 is «распоряжение … № 100р»)."""
    admin.goto(f"/admin/organizations/{department_id}")
    admin.page.get_by_label(re.compile("Суффикс номера")).fill("р")
    admin.page.get_by_role("button", name="Сохранить").click()
    expect(admin.page.get_by_text("Изменения сохранены")).to_be_visible()
    expect(admin.page.get_by_text("ПРИКАЗ № 1р", exact=True)).to_be_visible()


def upload(admin: User, data: bytes, uploads: list[bytes]) -> None:
    uploads.append(data)
    admin.goto("/admin/import")
    admin.page.get_by_label("Организация", exact=True).first.select_option(label=DEPARTMENT)
    admin.page.set_input_files("input[type=file]", files=[{
        "name": "сотрудники.xlsx", "buffer": data,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    admin.page.get_by_role("button", name="Проверить файл").click()
    admin.page.wait_for_selector("#problems")


def import_staff(admin: User, uploads: list[bytes]) -> None:
    admin.goto("/admin/import")
    with admin.page.expect_download() as download:
        admin.page.get_by_role("button", name="Скачать шаблон .xlsx").click()
    template = Path(download.value.path()).read_bytes()
    people = staff()
    upload(admin, staff_file(template, people, bad=True), uploads)
    page = admin.page
    assert page.locator("#count-problems").inner_text() == "3"
    assert page.locator("#count-created").inner_text() == "47"
    problems = page.locator("#problems").inner_text()
    for row, column, wrong, _right, reason in bad_cells(people):
        assert f"строка {row}, столбец «{column}»: «{wrong}» — {reason}" in problems, problems
    page.locator("#problems").scroll_into_view_if_needed()
    admin.shot("import-problems")
    upload(admin, staff_file(template, people, bad=False), uploads)
    assert page.locator("#count-problems").inner_text() == "0"
    assert page.locator("#count-created").inner_text() == "50"
    admin.shot("import-preview")
    page.get_by_role("button", name="Импортировать", exact=True).click()
    admin.arrive(r"/admin/import\?organization_id=")
    expect(page.locator(".flash")).to_contain_text("Импорт выполнен: создано 50 человек")


def give_role(admin: User, organization_id: int, worker: Worker, role_label: str) -> None:
    admin.goto(f"/admin/organizations/{organization_id}/roles")
    person = admin.page.get_by_label("Человек")
    person.select_option(person.locator("option", has_text=worker.full_name + " — ").get_attribute("value"))
    admin.page.get_by_label("Роль").select_option(label=role_label)
    admin.page.get_by_role("button", name="Назначить роль").click()
    expect(admin.page.locator(".flash")).to_contain_text(f"{worker.full_name}: назначена роль «{role_label}».")


def invitation_link(admin: User, worker: Worker) -> tuple[str, str]:
    """(the link, the login) from the person's card: «Выдать ссылку для пароля», shown once."""
    admin.goto("/admin/people?q=" + urllib.request.quote(worker.email))
    admin.page.get_by_role("link", name=worker.full_name, exact=True).click()
    admin.arrive(r"/admin/people/\d+$")
    admin.page.get_by_role("button", name="Выдать ссылку для пароля").click()
    link = admin.page.locator("#account-link").input_value()
    login = re.search(r"Логин: ([\w.-]+)\.", admin.page.locator(".link-once").inner_text()).group(1)
    return link, login


def set_password(browser, installation: Installation, worker: Worker, link: str, login: str) -> None:
    """The person opens the invitation link (the new head on a phone) and sets the password."""
    phone = worker is NEW_HEAD
    with User(browser, installation, worker.full_name, **(PHONE if phone else LAPTOP)) as person:
        person.page.goto(link)
        expect(person.page.get_by_text(f"ваш логин: {login}.")).to_be_visible()
        person.page.get_by_label("Новый пароль (не короче 8 знаков)").fill(STAFF_PASSWORD)
        person.page.get_by_label("Пароль ещё раз").fill(STAFF_PASSWORD)
        if phone:
            person.shot("set-password-phone")
        person.page.get_by_role("button", name="Сохранить пароль").click()
        expect(person.page.locator(".flash")).to_contain_text(f"Пароль задан. Войдите с логином «{login}»")


def log_in(browser, installation: Installation, worker: Worker, logins: dict[str, str], landing: str,
           **options) -> User:
    """The worker's own browser, logged in through the form with the password they set, on ``landing``."""
    person = User(browser, installation, worker.full_name, **options)
    try:
        person.wrapped.login(logins[worker.email], STAFF_PASSWORD)
        person.arrive(landing)
    except BaseException:
        person.context.close()
        raise
    return person


def add_mentee(curator: User, worker: Worker, category: str, criterion: str) -> None:
    """The curator enters the person in the base of mentees; the 003 rules decide the category (003 §3.6.1)."""
    page = curator.page
    curator.goto("/registries/mentees")
    page.get_by_role("link", name="Добавить в базу наставляемых").click()
    curator.arrive(r"/registries/mentees/new")
    page.get_by_label("Поиск по ФИО").fill(worker.full_name.split()[0])
    page.get_by_role("button", name="Найти").click()
    page.get_by_label(re.compile(re.escape(worker.full_name))).check()
    page.get_by_role("button", name="Внести в базу наставляемых").click()
    curator.arrive(r"/registries/people/\d+#mentee-\d+")
    expect(page.locator(".flash")).to_contain_text(f"{worker.full_name} — в базе наставляемых: {category}")
    expect(page.get_by_text(criterion).first).to_be_visible()  # the decision explained criterion by criterion


def propose_mentor(curator: User, worker: Worker) -> None:
    page = curator.page
    curator.goto("/registries/mentors/new")
    page.get_by_label("Поиск по ФИО").fill(worker.full_name.split()[0])
    page.get_by_role("button", name="Найти").click()
    page.get_by_label(re.compile(re.escape(worker.full_name))).check()
    page.get_by_role("button", name="Предложить кандидата и запустить назначение").click()
    curator.arrive(r"/registries/mentors/proposals/\d+$")
    expect(page.get_by_text("Стаж в должности руководителя — 12 лет: не менее 5 лет (003 §3.5).")).to_be_visible()
    expect(page.get_by_text("Подписать приказ о назначении наставника")).to_be_visible()


def sign(head: User, title: str) -> str:
    """The head opens the order awaiting signature and signs it; returns its text as signed."""
    page = head.page
    head.goto("/orders")
    page.locator("table.orders-awaiting tbody tr").get_by_role("link", name=title).first.click()
    head.arrive(r"/orders/\d+$")
    page.get_by_role("button", name="Подписать").click()
    head.arrive(r"/orders/\d+$")
    expect(page.get_by_text(re.compile(r"Приказ подписан: № \S+"))).to_be_visible()
    return " ".join(page.locator("article.document").inner_text().split())


def consent(participant: User) -> None:
    page = participant.page
    participant.goto("/my")
    page.locator(".my-consents").get_by_role("link", name="Ответить").first.click()
    participant.arrive(r"/my/consents/")
    page.locator("input[name=consent][value=yes]").check()
    personal_data = page.get_by_label("Даю согласие на обработку персональных данных")
    if personal_data.count():
        personal_data.check()
    page.get_by_role("button", name="Отправить ответ").click()
    participant.arrive(r"/my$")


@pytest.mark.slow  # about forty seconds: scheduled among the first files
def test_a_department_starts_from_an_empty_database(browser, installation, uploads):
    logins: dict[str, str] = {}
    with User(browser, installation, "администратор") as admin:
        admin.wrapped.login("zakharova", ADMIN_PASSWORD)
        admin.arrive(r"/admin$")
        expect(admin.page.get_by_role("heading", name="Администрирование")).to_be_visible()
        admin.shot("admin-empty")
        department_id = int(admin.page.locator(".admin-tree__item").first.get_attribute("data-organization"))
        number_orders(admin, department_id)
        schools = {short_name: create_school(admin, short_name, name) for short_name, name in SCHOOLS.items()}
        admin.goto("/admin")
        for short_name in SCHOOLS:
            expect(admin.page.get_by_role("link", name=short_name, exact=True)).to_be_visible()
        admin.shot("admin-tree")
        import_staff(admin, uploads)
        for short_name, school_id in schools.items():  # the «Организация» column placed them
            admin.goto(f"/admin/people?organization_id={school_id}")
            placed = sum(worker.organization == short_name for worker in staff())
            expect(admin.page.get_by_text(f"Найдено: {placed}.")).to_be_visible()
        give_role(admin, department_id, CURATOR, "Куратор")
        give_role(admin, department_id, HEAD, "Начальник департамента образования")
        admin.shot("admin-roles")
        links = {}
        for worker in STORY:
            links[worker.email], logins[worker.email] = invitation_link(admin, worker)
        admin.shot("admin-link")
    for worker in STORY:
        set_password(browser, installation, worker, links[worker.email], logins[worker.email])

    # the curator enters two mentees and proposes a mentor; the head signs the appointment
    with log_in(browser, installation, CURATOR, logins, r"/inbox$") as curator:
        add_mentee(curator, NEW_HEAD, "Вновь назначенный руководитель",
                   "Руководитель в должности 4 месяца — вновь назначенный")
        curator.shot("mentee-added")
        add_mentee(curator, RESERVIST, "Педагог в резерве управленческих кадров",
                   "Включён в резерв управленческих кадров муниципальной системы образования г. Томска")
        propose_mentor(curator, MENTOR)
        curator.shot("mentor-proposed")
    with log_in(browser, installation, HEAD, logins, r"/orders$") as head:
        text = sign(head, "О назначении наставников")
        assert f"1.1. {MENTOR.full_name} (директор, {SCHOOLS['СОШ № 4']})" in text
        head.shot("appointment-signed")
        with head.page.expect_download() as download:  # a Russian file name through waitress (Latin-1 headers)
            head.page.get_by_role("link", name="Скачать текст (.txt)").click()
        assert download.value.suggested_filename == "prikaz-1р.txt"
        body = " ".join(Path(download.value.path()).read_text(encoding="utf-8").split())
        assert "№ 1р" in body and f"1.1. {MENTOR.full_name} (директор, {SCHOOLS['СОШ № 4']})" in body

    # the curator proposes the pair; the mentor and the mentee consent; the head signs; the program runs
    with log_in(browser, installation, CURATOR, logins, r"/inbox$") as curator:
        curator.goto("/registries/mentors")
        expect(curator.page.get_by_role("link", name=MENTOR.full_name)).to_be_visible()
        curator.goto("/pairs/new")
        curator.page.get_by_label("Наставник (назначен приказом, 003 §3.4)").select_option(label=MENTOR.full_name)
        curator.page.get_by_label(re.compile(re.escape(NEW_HEAD.full_name))).check()
        curator.page.get_by_role("button", name="Проверить требования").click()
        expect(curator.page.get_by_role("region", name="Проверка до запуска")).to_be_visible()
        curator.page.get_by_role("button", name="Сформировать пару и запустить процесс").click()
        curator.arrive(r"/pairs/\d+$")
        curator.shot("pair-proposed")
    for worker in (MENTOR, NEW_HEAD):
        with log_in(browser, installation, worker, logins, r"/") as participant:
            consent(participant)
    with log_in(browser, installation, HEAD, logins, r"/orders$") as head:
        text = sign(head, "О формировании наставнических пар (групп)")
        assert f"Наставник – {MENTOR.full_name}" in text and f"наставляемый – {NEW_HEAD.full_name}" in text
        head.shot("pair-order-signed")
    with log_in(browser, installation, NEW_HEAD, logins, r"/", **PHONE) as mentee:
        mentee.goto("/my")
        card = mentee.page.locator(".my-card").first
        expect(card).to_contain_text("Вы — наставляемый. Наставник: " + MENTOR.full_name)
        expect(card.locator(".my-facts dd").first).to_have_text(re.compile("1 этап", re.IGNORECASE))
        mentee.shot("mentee-my-phone")
    with log_in(browser, installation, CURATOR, logins, r"/inbox$") as curator:
        curator.goto("/registries/programs")
        expect(curator.page.get_by_role("link", name=re.compile(re.escape(NEW_HEAD.full_name))).first).to_be_visible()
        curator.shot("programs")
