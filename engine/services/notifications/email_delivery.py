"""Sending one e-mail over SMTP: the job ``send_email`` (``JOBS``), run by ``engine.services.jobs.runner``.

    send_email(session, job, now)     # the OutgoingEmail of ``job.payload["email"]``: sent, its notifications SENT
    email_failed(session, job)        # its job became an incident: the e-mail and its notifications FAILED
    transmit(settings, outgoing, now) # the SMTP conversation (smtplib): From, To, Subject (RFC 2047), Date,
                                      # Message-ID, multipart/alternative (plain text + HTML)

Once, and what «once» means here. The job is claimed in the transaction that marks the row sent (the runner
commits both with ``done``), and a row already ``SENT`` is never sent again — so two workers holding the same job,
a retried job or a retried incident never send a message twice *as far as the database knows*. One gap is
inherent to SMTP: if the worker dies after the server accepted the message and before the commit, the job is
retried and the message sent again. That copy carries the same ``Message-ID``, so mail servers and clients that
deduplicate by it drop it; a reader may otherwise see it twice. Delivery is at least once at the SMTP boundary,
exactly once in the database.

A refusal, a timeout or a dropped connection raises a Russian ``NastavnikError`` naming the server's reply: the
runner rolls back, waits (backoff) and tries again; after the last try the job is an incident and
``email_failed`` marks the e-mail and its notifications not delivered (they stay in the app: nothing is lost).
Retrying the incident runs the job again: a ``FAILED`` e-mail waits again and is sent.
An account link's token is in the stored body only until the e-mail is sent (``scrub``).
"""
from __future__ import annotations

import smtplib
import ssl
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import events
from engine.db.models import EmailState, Job, Notification, OutgoingEmail, OutgoingEmailStatus, Person
from engine.errors import NastavnikError
from engine.events import emit
from engine.services.notifications.email_outbox import SECRET_GONE, SECRET_PATTERN, SEND_EMAIL, Purpose
from engine.services.notifications.email_settings import SENDER_NAME, MailSettings, Security, mail_settings_of
from engine.workflow.clock import to_utc

SECRET_PURPOSES = frozenset({Purpose.INVITATION, Purpose.PASSWORD_RESET})


def _outgoing(session: Session, job: Job) -> OutgoingEmail:
    email_id = (job.payload or {}).get("email")
    outgoing = session.get(OutgoingEmail, email_id) if isinstance(email_id, int) else None
    if outgoing is None:
        raise NastavnikError(f"письмо № {email_id} не найдено", where=f"задание №{job.id}")
    return outgoing


def _notifications(session: Session, outgoing: OutgoingEmail) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.outgoing_email_id == outgoing.id)))


def send_email(session: Session, job: Job, now: datetime) -> None:
    outgoing = _outgoing(session, job)
    if outgoing.status == OutgoingEmailStatus.SENT.value:
        return  # sent already: never twice
    recipient = session.get(Person, outgoing.person_id) if outgoing.person_id is not None else None
    if recipient is not None and (not recipient.is_active or recipient.anonymized_at is not None):
        if outgoing.status == OutgoingEmailStatus.WAITING.value:  # deactivated since: the e-mail is not sent
            outgoing.status = OutgoingEmailStatus.FAILED.value
            for notification in _notifications(session, outgoing):
                notification.email_state = EmailState.FAILED.value
        return
    settings = mail_settings_of(session)
    if not settings.enabled:
        raise NastavnikError("почта выключена: не задан почтовый сервер (NASTAVNIK_SMTP_HOST); письмо ждёт, "
                             "пока её включат", where=f"письмо № {outgoing.id}")
    if outgoing.status == OutgoingEmailStatus.FAILED.value:
        outgoing.status = OutgoingEmailStatus.WAITING.value  # an incident retried: it waits again, and goes now
    transmit(settings, outgoing, now)
    outgoing.status = OutgoingEmailStatus.SENT.value
    outgoing.sent_at = to_utc(now)
    if outgoing.purpose in SECRET_PURPOSES:
        scrub(outgoing)
    for notification in _notifications(session, outgoing):
        notification.email_state = EmailState.SENT.value
        notification.emailed_at = to_utc(now)
    emit(session, events.EMAIL, outcome="sent")


def email_failed(session: Session, job: Job) -> None:
    """The job became an incident: the e-mail is not delivered, nor are its notifications (still in the app)."""
    outgoing = _outgoing(session, job)
    if outgoing.status != OutgoingEmailStatus.WAITING.value:
        return
    outgoing.status = OutgoingEmailStatus.FAILED.value
    for notification in _notifications(session, outgoing):
        notification.email_state = EmailState.FAILED.value
    emit(session, events.EMAIL, outcome="failed")


def scrub(outgoing: OutgoingEmail) -> None:
    """Remove the one-time token from the stored e-mail: it was for its recipient only."""
    outgoing.text_body = SECRET_PATTERN.sub(SECRET_GONE, outgoing.text_body)
    outgoing.html_body = SECRET_PATTERN.sub(SECRET_GONE, outgoing.html_body)
    outgoing.secret_scrubbed = True


def message_of(settings: MailSettings, outgoing: OutgoingEmail, now: datetime) -> EmailMessage:
    message = EmailMessage()  # the default policy: non-ASCII headers are RFC 2047 encoded, lines folded
    message["From"] = Address(SENDER_NAME, addr_spec=settings.from_address)
    message["To"] = outgoing.to_address
    message["Subject"] = outgoing.subject
    message["Date"] = format_datetime(to_utc(now))
    message["Message-ID"] = outgoing.message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to a machine's message
    message.set_content(outgoing.text_body)
    message.add_alternative(outgoing.html_body, subtype="html")
    return message


def transmit(settings: MailSettings, outgoing: OutgoingEmail, now: datetime) -> None:
    """Hand the e-mail to the SMTP server; ``NastavnikError`` in Russian, with the server's reply, if it does
    not take it."""
    message = message_of(settings, outgoing, now)
    try:
        refused = _converse(settings, message, outgoing.to_address)
    except (smtplib.SMTPException, OSError) as error:
        raise NastavnikError(explain(error, settings, outgoing.to_address), where=f"письмо № {outgoing.id}") from None
    if refused:
        raise NastavnikError(f"почтовый сервер {settings.host}:{settings.port} не принял адрес "
                             f"{outgoing.to_address}: {_replies(refused)}", where=f"письмо № {outgoing.id}")


def _converse(settings: MailSettings, message: EmailMessage, to_address: str) -> dict[str, tuple[int, bytes]]:
    smtp: smtplib.SMTP
    if settings.security is Security.SSL:
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout_s,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_s)
    with smtp:
        if settings.security is Security.STARTTLS:
            smtp.starttls(context=ssl.create_default_context())
        if settings.user:
            smtp.login(settings.user, settings.password)
        return smtp.send_message(message, from_addr=settings.from_address, to_addrs=[to_address])


def explain(error: BaseException, settings: MailSettings, to_address: str) -> str:
    """What went wrong, in Russian, quoting the server's reply when there is one."""
    server = f"почтовый сервер {settings.host}:{settings.port}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return f"{server} не принял адрес {to_address}: {_replies(error.recipients)}"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return (f"{server} не принял логин и пароль (NASTAVNIK_SMTP_USER, NASTAVNIK_SMTP_PASSWORD): "
                f"{_reply(error.smtp_code, error.smtp_error)}")
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{server} отказал: {_reply(error.smtp_code, error.smtp_error)}"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return f"{server} разорвал соединение, не приняв письмо"
    if isinstance(error, TimeoutError):
        return f"{server} не ответил за {settings.timeout_s:g} с"
    if isinstance(error, ssl.SSLError):
        return f"не удалось установить защищённое соединение: {server} ({error.reason or type(error).__name__})"
    if isinstance(error, ConnectionRefusedError):
        return f"{server} не принимает соединения"
    if isinstance(error, OSError):
        return f"не удалось соединиться: {server} ({error.strerror or type(error).__name__})"
    return f"{server} не принял письмо ({type(error).__name__}: {error})"


def _reply(code: int, text: bytes | str) -> str:
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"ответ «{code} {' '.join(said.split())}»"


def _replies(recipients: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(_reply(code, text) for code, text in recipients.values()) or "без объяснения"


JOBS = {SEND_EMAIL: (send_email, email_failed)}
