"""A real SMTP server inside the test process (aiosmtpd on a free local port), for the e-mail tests.

    with MailServer() as server:            # takes every message: server.messages (parsed), server.envelopes
    with MailServer(refuse="451 4.3.0 …"):  # answers every DATA with that reply
    server.settings(base_url=…)             # MailSettings pointing at it

Fixtures: ``mail_server`` (takes messages), ``refusing_mail_server`` (451, a temporary refusal). aiosmtpd is a
dev dependency; without it these tests fail (never skip).
"""
from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from engine.services.notifications.email_settings import MailSettings

BASE_URL = "https://nastavnik.example.ru"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Collector:
    refuse: str | None = None
    envelopes: list[Any] = field(default_factory=list)
    refusals: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        if self.refuse is not None:
            self.refusals += 1
            return self.refuse
        self.envelopes.append(envelope)
        return "250 2.0.0 Ok: queued"


class MailServer:
    def __init__(self, refuse: str | None = None) -> None:
        self.handler = Collector(refuse=refuse)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> MailServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    @property
    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(e.original_content, policy=default_policy)  # type: ignore[misc]
                for e in self.handler.envelopes]

    def settings(self, *, base_url: str = BASE_URL, timeout_s: float = 5.0) -> MailSettings:
        return MailSettings.from_env({"NASTAVNIK_SMTP_HOST": "127.0.0.1", "NASTAVNIK_SMTP_PORT": str(self.port),
                                      "NASTAVNIK_SMTP_FROM": "nastavnik@example.ru",
                                      "NASTAVNIK_SMTP_TIMEOUT_S": str(int(timeout_s)),
                                      "NASTAVNIK_BASE_URL": base_url})


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    with MailServer() as server:
        yield server


@pytest.fixture
def refusing_mail_server() -> Iterator[MailServer]:
    with MailServer(refuse="451 4.3.0 Mailbox temporarily unavailable, try later") as server:
        yield server


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML bodies of a multipart/alternative message."""
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None, "expected text/plain and text/html alternatives"
    return plain.get_content(), html.get_content()
