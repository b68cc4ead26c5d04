"""The notification tests' fixtures: a real SMTP server in the test process (tests/mail_server.py), and e-mail
turned on for a session without one (a server that is never contacted)."""
from __future__ import annotations

import pytest

from engine.services.notifications.email_settings import MAIL_KEY, MailSettings
from tests.mail_server import mail_server, refusing_mail_server  # noqa: F401 - fixtures of this folder


@pytest.fixture
def mail_on(db_session):
    """E-mail on for ``db_session`` (the server is never reached unless a job runs)."""
    db_session.info[MAIL_KEY] = MailSettings.from_env({"NASTAVNIK_SMTP_HOST": "127.0.0.1", "NASTAVNIK_SMTP_PORT": "9",
                                                       "NASTAVNIK_BASE_URL": "https://nastavnik.example.ru"})
    return db_session.info[MAIL_KEY]
