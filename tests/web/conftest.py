"""Fixtures for the web layer: an app on a fresh database (sqlite and postgres, from tests/conftest.py)
seeded with two organizations and one person per role, a test client, and a ``login`` helper that goes
through the real form (CSRF token included)."""
from __future__ import annotations

import os
import re
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import pytest

from engine.bootstrap import bootstrap
from engine.db.models import Organization, Person
from tests.factories import make_department, make_instance, make_open_task, make_organization, make_person, make_role
from web import create_app
from web.auth import hash_password
from web.db import database

PASSWORD = "Секрет-2024!"
ROLES = ("curator", "methodologist", "head", "mentor", "mentee")


@lru_cache(maxsize=1)
def password_hash() -> str:
    """One argon2 hash for every seeded person (hashing is deliberately slow)."""
    return hash_password(PASSWORD)


@dataclass
class Seed:
    org: Organization
    other_org: Organization
    people: dict[str, Person]  # role -> person of ``org``; "other_curator" of ``other_org``; "nobody"

    def login_of(self, key: str) -> str:
        return self.people[key].login


def seed_database(session) -> Seed:
    department = make_department(session, name="Департамент образования г. Томска", short_name="ДО Томска")
    school = make_organization(session, parent=department, name="МАОУ СОШ № 8 г. Томска", short_name="СОШ № 8")
    other = make_department(session, name="Управление образования г. Якутска", short_name="УО Якутска",
                            regulation="yakutsk")
    people: dict[str, Person] = {}
    names = {
        "curator": "Кузнецова Анна Сергеевна", "methodologist": "Петров Илья Викторович",
        "head": "Кузнецов Сергей Николаевич", "mentor": "Смирнова Ольга Ивановна",
        "mentee": "Волков Денис Андреевич",
    }
    for role in ROLES:
        person = make_person(session, login=role, full_name=names[role], password_hash=password_hash())
        make_role(session, person, department, role)
        people[role] = person
    people["other_curator"] = make_person(session, login="other_curator", full_name="Иванова Мария Петровна",
                                          password_hash=password_hash())
    make_role(session, people["other_curator"], other, "curator")
    people["nobody"] = make_person(session, login="nobody", full_name="Без Ролей", password_hash=password_hash())
    people["inactive"] = make_person(session, login="inactive", full_name="Уволен Уволенович",
                                     password_hash=password_hash(), is_active=False)
    make_role(session, people["inactive"], department, "curator")

    instance = make_instance(session, organization=department, kind="pair_formation")
    make_open_task(session, instance=instance, role="curator", name="Согласовать наставническую пару",
                   element_id="curator_review")
    make_open_task(session, instance=instance, role="head", name="Подписать приказ о парах")
    program = make_instance(session, organization=department, kind="program")
    now = datetime.now(UTC)
    make_open_task(session, instance=program, role="curator", name="Утвердить информационную справку за этап 1",
                   element_id="approve_stage_report", due_at=now - timedelta(days=3))
    make_open_task(session, instance=program, role="curator", name="Получить согласие наставляемого",
                   element_id="consent", due_at=now + timedelta(days=10))
    other_instance = make_instance(session, organization=other, kind="program")
    make_open_task(session, instance=other_instance, role="curator", name="Проверить отчёт чужой организации")
    _ = school
    session.commit()
    return Seed(department, other, people)


@pytest.fixture
def seed(db_session_factory) -> Seed:
    session = db_session_factory()
    try:
        return seed_database(session)
    finally:
        session.close()


def make_test_app(db_url: str, **overrides):
    config = {"DATABASE_URL": db_url, "SECRET_KEY": "test-secret", "TESTING": True}
    config.update(overrides)
    return create_app(config)


@contextmanager
def app_on_clock(db_url: str, clock):
    """The app whose domain runs on ``clock`` (a world's FixedClock), disposed at the end."""
    application = make_test_app(db_url)
    found = database(application)
    found.domain = bootstrap(clock=clock)
    found.session_factory = found.domain.session_factory(found.engine)
    try:
        yield application
    finally:
        found.dispose()


@pytest.fixture
def app_config() -> dict:
    """Override per test module/test to change the app's config."""
    return {}


@pytest.fixture
def app(db_url, db_engine, seed, app_config):
    application = make_test_app(db_url, **app_config)
    yield application
    database(application).dispose()


@pytest.fixture
def client(app):
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


def login(client, login_name: str, password: str = PASSWORD, **kwargs):
    page = client.get("/login")
    return client.post("/login", data={"login": login_name, "password": password,
                                       "csrf_token": csrf_token(page.text)}, **kwargs)


# --- browser tests: the app on waitress in a thread, Debian's chromium driven by Playwright ---------

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@dataclass
class LiveServer:
    url: str
    seed: Seed
    app: object


@pytest.fixture(scope="module")
def live_blueprints() -> list:
    """Override in a test module to add test-only blueprints to the live server's app."""
    return []


@contextmanager
def serve(url: str, blueprints=(), **config):
    """The app on ``url`` served by waitress on a free 127.0.0.1 port (plain http on loopback); ``config``
    overrides the app's settings (e.g. ``DOMAIN_CLOCK``, a clock the test moves)."""
    from waitress import create_server

    app = make_test_app(url, TESTING=False, SESSION_COOKIE_SECURE=False, **config)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    server = create_server(app, host="127.0.0.1", port=0, threads=8, ident="nastavnik-test")
    thread = threading.Thread(target=server.run, name="waitress-test", daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{server.effective_port}"
    finally:
        for channel in list(server._map.values()):  # open keep-alive connections, then the listener
            if channel is not server:
                channel.close()
        server.close()
        server.task_dispatcher.shutdown()
        thread.join(timeout=10)
        database(app).dispose()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, live_blueprints):
    """The app on a temp SQLite database with the seed (two organizations, one person per role)."""
    from engine.db import Base, make_engine, make_session_factory

    url = f"sqlite:///{(tmp_path_factory.mktemp('live') / 'web.sqlite3').as_posix()}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as session:
        seed = seed_database(session)
    engine.dispose()
    with serve(url, live_blueprints) as (app, base):
        yield LiveServer(base, seed, app)


@contextmanager
def exclusive(lock: Path):
    """Holds an exclusive lock on the file ``lock`` (processes of one test run take turns)."""
    import fcntl

    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_demo_database(path: Path) -> None:
    """What ``nastavnik demo`` leaves, written to ``path`` whole or not at all. Every demo person gets the
    same argon2 hash of the demo password (hashing is slow on purpose; one hash serves every login)."""
    from cli.context import session_scope
    from engine.db.migrate import upgrade
    from engine.demo import world as demo_data
    from engine.demo.story import Demo, demo_start
    from engine.demo.world import DEMO_PASSWORD

    one_hash = hash_password(DEMO_PASSWORD)
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    url = f"sqlite:///{building.as_posix()}"
    upgrade(url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(demo_data, "set_password", lambda person, plain: setattr(person, "password_hash", one_hash))
        with session_scope(url) as session:
            demo = Demo(session, say=lambda line: None, start=demo_start(datetime.now(UTC)))
            demo.run()
            demo.leave_work_in_progress()
    os.replace(building, path)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    """A SQLite file with what ``nastavnik demo`` leaves (migrated schema, demo logins, password
    ``nastavnik``), made once per test run: the first pytest-xdist worker to need it builds it, the others
    wait for it. Copy it before changing it."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's directory, common to its workers
    path = shared / "demo-database" / "demo.sqlite3"
    path.parent.mkdir(exist_ok=True)
    with exclusive(shared / "demo-database.lock"):
        if not path.exists():
            build_demo_database(path)
    return path


@dataclass
class DemoServer:
    url: str
    app: object
    database_url: str


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, demo_database):
    """The app on a private copy of the demo database (a module's browser tests share it, in order)."""
    copy = tmp_path_factory.mktemp("demo-live") / "demo.sqlite3"
    shutil.copyfile(demo_database, copy)
    url = f"sqlite:///{copy.as_posix()}"
    with serve(url) as (app, base):
        yield DemoServer(base, app, url)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        message = (f"{CHROMIUM} is missing: the browser tests use Debian's chromium "
                   "(bash scripts/setup.sh installs it as root, or: apt-get install chromium); "
                   "set NASTAVNIK_SKIP_BROWSER=1 to skip them")
        if os.environ.get("NASTAVNIK_SKIP_BROWSER") == "1":
            pytest.skip(message)
        pytest.fail(message, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            yield instance
        finally:
            instance.close()


@dataclass
class BrowserPage:
    """A fresh browser context and page; ``console_errors`` collects console errors (CSP violations too)."""
    page: object
    base: str
    console_errors: list[str]

    def goto(self, path: str):
        return self.page.goto(self.base + path)

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        target = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(target), full_page=True)
        return target

    def login(self, login_name: str, password: str = PASSWORD) -> None:
        """Log in through the form (demo logins use the password ``nastavnik``: pass ``DEMO_PASSWORD``)."""
        self.goto("/login")
        self.page.get_by_label("Логин").fill(login_name)
        self.page.get_by_label("Пароль").fill(password)
        self.page.get_by_role("button", name="Войти").click()

    def enter(self, login_name: str, password: str) -> None:
        """Log in and wait until the form is left (the person's first section)."""
        self.login(login_name, password)
        self.page.wait_for_url(lambda url: "/login" not in url)

    def log_out(self) -> None:
        """«Выйти», back on the login form (a minute allowed: a loaded CI machine runs whole processes here)."""
        with self.page.expect_navigation(url=re.compile(r"/login"), timeout=60_000):
            self.page.get_by_role("button", name="Выйти").click()

    def shot_both_widths(self, name: str) -> None:
        """Screenshots ``<name>-1280`` and ``<name>-390``, the page never scrolling sideways at either width."""
        for width, height in ((1280, 800), (390, 844)):
            self.page.set_viewport_size({"width": width, "height": height})
            assert self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (name, width)
            self.shot(f"{name}-{width}")
        self.page.set_viewport_size({"width": 1280, "height": 800})


def _open_page(browser, server, **context_options):
    context = browser.new_context(locale="ru-RU", **context_options)
    page = context.new_page()
    errors: list[str] = []
    # HTTP error statuses are asserted by the tests themselves; anything else (CSP violations, script
    # errors, missing assets) is collected here
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource: the server responded")
            else None)
    page.on("requestfailed", lambda request: errors.append(f"request failed: {request.url} {request.failure}")
            if "ERR_ABORTED" not in (request.failure or "") else None)  # aborted by a navigation: fine
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status == 404 and "/static/" in response.url else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, BrowserPage(page, server.url, errors)


@pytest.fixture
def web_page(browser, live_server):
    context, wrapped = _open_page(browser, live_server, viewport={"width": 1280, "height": 800})
    yield wrapped
    context.close()


@pytest.fixture
def demo_page(browser, demo_server):
    """A desktop page on the demo server; ``demo_page.login("curator", DEMO_PASSWORD)``."""
    context, wrapped = _open_page(browser, demo_server, viewport={"width": 1280, "height": 800})
    yield wrapped
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context, wrapped = _open_page(browser, live_server, viewport={"width": 390, "height": 844},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    yield wrapped
    context.close()
