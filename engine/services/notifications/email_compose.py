"""The texts of the e-mails: a notification's, the daily digest's, an account link's — each a Russian subject, a
plain-text and an HTML body (Jinja2 templates in ``templates/``, the HTML autoescaped), dates and times in the
organization's time zone, links absolute (``MailSettings.absolute``).

    notification_email(settings, notification, person, zone) -> Composed
    digest_email(settings, person, notifications, day, zone) -> Composed
    account_link_email(settings, person, url, invitation, expires_at, zone) -> Composed
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from engine.db.models import Notification, Person
from engine.services.notifications.email_settings import MailSettings
from engine.services.notifications.kinds import kind_of
from engine.vocabulary import counted

SETTINGS_PATH = "/notifications/settings"  # the person's page «Настройки уведомлений»
DIGEST_HOUR = time(7, 0)  # the digest's local hour (engine.services.notifications.email_digest says why)
ZONE_NAMES = {"Asia/Tomsk": "томское время", "Asia/Yakutsk": "якутское время", "Europe/Moscow": "московское время",
              "Asia/Novosibirsk": "новосибирское время", "Asia/Krasnoyarsk": "красноярское время"}


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str


@cache
def _templates() -> Environment:
    return Environment(loader=PackageLoader("engine.services.notifications", "templates"),
                       autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, undefined=StrictUndefined)


def _render(template: str, subject: str, **context: Any) -> Composed:
    env = _templates()
    return Composed(subject=" ".join(subject.split())[:500],
                    text=env.get_template(f"{template}.txt").render(subject=subject, **context),
                    html=env.get_template(f"{template}.html").render(subject=subject, **context))


def day_text(day: date) -> str:
    """«15 декабря 2026 г.»"""
    return format_date(day, "d MMMM y 'г.'", locale="ru")


def local_time_text(moment: datetime, zone: ZoneInfo) -> str:
    """«6 декабря 2026 г., 09:15» where the organization is."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return format_datetime(aware.astimezone(zone), "d MMMM y 'г.', HH:mm", locale="ru")


def zone_text(zone: ZoneInfo, moment: datetime) -> str:
    """«томское время, UTC+7»: never a bare code like Asia/Tomsk."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    offset = aware.astimezone(zone).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    utc = f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
    name = ZONE_NAMES.get(zone.key)
    return f"{name}, {utc}" if name else utc


def notification_email(settings: MailSettings, notification: Notification, person: Person,
                       zone: ZoneInfo) -> Composed:
    return _render("notification", notification.title, name=person.full_name, title=notification.title,
                   body=notification.body or "", due=day_text(notification.due_on) if notification.due_on else "",
                   url=settings.absolute(notification.link) if notification.link else "",
                   when=local_time_text(notification.created_at, zone), zone=zone_text(zone, notification.created_at),
                   kind_label=kind_of(notification.kind).label, settings_url=settings.absolute(SETTINGS_PATH))


def digest_heading(day: date, count: int) -> str:
    """«Сводка уведомлений за 6 декабря: 3 уведомления»."""
    return f"Сводка уведомлений за {format_date(day, 'd MMMM', locale='ru')}: " \
           f"{counted(count, 'уведомление', 'уведомления', 'уведомлений')}"


def digest_email(settings: MailSettings, person: Person, notifications: Sequence[Notification], day: date,
                 zone: ZoneInfo) -> Composed:
    heading = digest_heading(day, len(notifications))
    items = [{"title": n.title, "body": n.body or "", "when": local_time_text(n.created_at, zone),
              "due": day_text(n.due_on) if n.due_on else "", "url": settings.absolute(n.link) if n.link else ""}
             for n in notifications]
    moment = notifications[-1].created_at if notifications else datetime.now(UTC)
    return _render("digest", heading, name=person.full_name, heading=heading, items=items,
                   zone=zone_text(zone, moment), hour=DIGEST_HOUR.strftime("%H:%M"),
                   settings_url=settings.absolute(SETTINGS_PATH))


def account_link_email(settings: MailSettings, person: Person, url: str, *, invitation: bool, expires_at: datetime,
                       zone: ZoneInfo) -> Composed:
    subject = ("Приглашение в «Наставник»: задайте пароль" if invitation
               else "«Наставник»: пароль сброшен, задайте новый")
    return _render("account_link", subject, name=person.full_name, invitation=invitation, url=url, login=person.login,
                   until=local_time_text(expires_at, zone), zone=zone_text(zone, expires_at))
