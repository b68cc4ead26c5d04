"""How e-mail goes out: the SMTP server, the sender, the address links in e-mails start with. Read once, by the
composition root (``engine.bootstrap``: ``MailSettings.from_env``), carried by the domain into every session it
makes (``session.info``), read by the e-mail modules with ``mail_settings_of(session)``.

    NASTAVNIK_SMTP_HOST       the server; unset or empty: e-mail is off (notifications stay in the app only)
    NASTAVNIK_SMTP_PORT       default 25, 587 with starttls, 465 with ssl
    NASTAVNIK_SMTP_USER / _PASSWORD   the login, when the server wants one
    NASTAVNIK_SMTP_FROM       the sender's address (shown as «Наставник» <address>); default nastavnik@<the base
                              URL's host>
    NASTAVNIK_SMTP_SECURITY   none | starttls | ssl (default none)
    NASTAVNIK_SMTP_TIMEOUT_S  seconds to wait for the server (default 30)
    NASTAVNIK_BASE_URL        the app's address as people open it (https://nastavnik.example.ru): the links in
                              e-mails are absolute; required when e-mail is on
"""
from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from engine import settings
from engine.errors import NastavnikError

MAIL_KEY = "nastavnik.mail"  # where a session carries the settings (engine.services.process.domain)
SENDER_NAME = "Наставник"


class Security(enum.StrEnum):
    NONE = "none"
    STARTTLS = "starttls"
    SSL = "ssl"


DEFAULT_PORTS = {Security.NONE: 25, Security.STARTTLS: 587, Security.SSL: 465}


@dataclass(frozen=True)
class MailSettings:
    host: str = ""  # empty: e-mail is off
    port: int = 25
    user: str = ""
    password: str = ""
    from_address: str = ""
    security: Security = Security.NONE
    timeout_s: float = 30.0
    base_url: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    def absolute(self, path: str) -> str:
        """``path`` (``/programs/7``) as an address to open from a mailbox."""
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url.rstrip('/')}/{path.lstrip('/')}"

    @property
    def sender_domain(self) -> str:
        return self.from_address.rpartition("@")[2] or "nastavnik"

    @classmethod
    def off(cls) -> MailSettings:
        return cls()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> MailSettings:
        """The settings the environment gives; a wrong value is refused by its variable's name (the app does
        not start with e-mail half-configured)."""
        env = settings.environment() if environ is None else environ
        host = (env.get("NASTAVNIK_SMTP_HOST") or "").strip()
        if not host:
            return cls.off()
        raw_security = (env.get("NASTAVNIK_SMTP_SECURITY") or "none").strip().lower()
        if raw_security not in {s.value for s in Security}:
            raise NastavnikError(f"ожидается none, starttls или ssl, а не «{raw_security}»",
                                 where="NASTAVNIK_SMTP_SECURITY")
        security = Security(raw_security)
        port = _number(env, "NASTAVNIK_SMTP_PORT", DEFAULT_PORTS[security])
        if not 0 < port < 65536:
            raise NastavnikError(f"номер порта от 1 до 65535, а не {port}", where="NASTAVNIK_SMTP_PORT")
        timeout = _number(env, "NASTAVNIK_SMTP_TIMEOUT_S", 30)
        if timeout <= 0:
            raise NastavnikError("ожидается число секунд больше нуля", where="NASTAVNIK_SMTP_TIMEOUT_S")
        base_url = (env.get("NASTAVNIK_BASE_URL") or "").strip().rstrip("/")
        parts = urlsplit(base_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise NastavnikError("почта включена (задан NASTAVNIK_SMTP_HOST), а адрес приложения для ссылок в "
                                 "письмах не задан или неверен: укажите его полностью, например "
                                 "https://nastavnik.example.ru", where="NASTAVNIK_BASE_URL")
        from_address = (env.get("NASTAVNIK_SMTP_FROM") or "").strip() or f"nastavnik@{parts.hostname}"
        if "@" not in from_address or any(c in from_address for c in " <>,\r\n"):
            raise NastavnikError(f"ожидается адрес почты отправителя, например nastavnik@example.ru, а не "
                                 f"«{from_address}»", where="NASTAVNIK_SMTP_FROM")
        return cls(host=host, port=port, user=(env.get("NASTAVNIK_SMTP_USER") or "").strip(),
                   password=env.get("NASTAVNIK_SMTP_PASSWORD") or "", from_address=from_address,
                   security=security, timeout_s=float(timeout), base_url=base_url)


def _number(env: Mapping[str, str], name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise NastavnikError(f"ожидается целое число, а не «{raw}»", where=name)
    return int(raw)


def mail_settings_of(session: Session) -> MailSettings:
    """The settings the session's domain carries; e-mail is off for a session without them."""
    settings = session.info.get(MAIL_KEY)
    return settings if isinstance(settings, MailSettings) else MailSettings.off()
