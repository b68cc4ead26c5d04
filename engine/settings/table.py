"""The table of «Наставник»'s settings: every environment variable the product reads, its kind and meaning.

``docs/configuration.md`` shows this table to administrators (a test keeps the two the same). To add a setting:
a ``Setting`` row here (name, kind, default, Russian meaning, ``secret`` if it must never be printed), then read it
with ``engine.settings.value(NAME)`` — never ``os.environ`` — and document it in ``docs/configuration.md``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "url", "flag", "count", "seconds", "choice", "path", "secret_hex"]


@dataclass(frozen=True)
class Setting:
    name: str
    kind: Kind
    default: str | None  # as shown (None: not set — the product decides, the meaning says how)
    meaning: str
    secret: bool = False
    choices: tuple[str, ...] = ()
    least: float = 0  # for counts and seconds: the smallest allowed
    most: float | None = None
    unit: str = ""  # what a count counts, in the genitive plural («заданий»): in the messages


ENVIRONMENTS = ("development", "production")

SETTINGS: tuple[Setting, ...] = (
    Setting("NASTAVNIK_CONFIG", "path", None,
            "файл настроек TOML (ключи — имена из этой таблицы); переменные окружения главнее файла"),
    Setting("NASTAVNIK_ENV", "choice", "development",
            "production — рабочая установка: без NASTAVNIK_SECRET_KEY сервер не запускается",
            choices=ENVIRONMENTS),
    Setting("NASTAVNIK_SECRET_KEY", "text", None,
            "ключ подписи cookie сессий (не короче 32 символов в production); без него — случайный, сессии "
            "заканчиваются при перезапуске", secret=True),
    Setting("DATABASE_URL", "url", "sqlite:///<папка данных>/nastavnik.sqlite3",
            "база данных: postgresql://пользователь:пароль@хост/база или sqlite:///путь", secret=True),
    Setting("NASTAVNIK_INSTANCE_DIR", "path", None,
            "папка данных (SQLite по умолчанию, ключи подписи): в копии репозитория — instance/ в ней, в "
            "установке из пакета — instance/ в текущей папке при запуске"),
    Setting("NASTAVNIK_TIMEZONE", "text", "Asia/Tomsk", "часовой пояс интерфейса по умолчанию (IANA)"),
    Setting("NASTAVNIK_SESSION_COOKIE_SECURE", "flag", "1",
            "cookie сессии только по HTTPS; 0 — вход по обычному http в локальной сети (без TLS). "
            "«nastavnik serve» на 127.0.0.1 сам ставит 0, если переменная не задана"),
    Setting("NASTAVNIK_TRUSTED_PROXIES", "count", "0",
            "сколько обратных прокси стоит перед приложением (их X-Forwarded-For/-Proto принимаются)", most=10),
    Setting("NASTAVNIK_RATELIMIT_STORAGE", "url", "memory://",
            "где считать неудачные входы: memory:// (в каждом процессе) или redis://хост:порт/база (общий счёт)"),
    Setting("NASTAVNIK_BROKER_URL", "url", None,
            "брокер Celery redis://хост:порт/база; не задан — фоновые задания выполняет сам «nastavnik serve»"),
    Setting("NASTAVNIK_EMBEDDED_JOBS", "flag", "1",
            "0 — «nastavnik serve» без брокера не выполняет фоновые задания (их выполняет другой процесс)"),
    Setting("NASTAVNIK_TICK_SECONDS", "seconds", "5", "как часто планировщик проверяет сроки, секунд", least=0.1),
    Setting("NASTAVNIK_JOB_LEASE_SECONDS", "seconds", "60",
            "задание, не выполненное за это время, выдаётся снова, секунд", least=1),
    Setting("NASTAVNIK_JOB_BATCH", "count", "50", "заданий в одном сообщении брокера", least=1, most=500,
            unit="заданий"),
    Setting("NASTAVNIK_SCRIPT_WORKERS", "count", "2",
            "процессов для скриптов процессов BPMN в каждом процессе сервера", least=1, most=64),
    Setting("NASTAVNIK_WORKFLOW_CACHE", "count", "128",
            "сколько запущенных процессов BPMN держать в памяти каждого процесса сервера (0 — не держать)",
            most=100_000),
    Setting("NASTAVNIK_SIGNING_DIR", "path", None,
            "папка ключей подписи приказов и журналов (по умолчанию signing/ в папке данных)"),
    Setting("NASTAVNIK_SIGNING_KEY", "secret_hex", None,
            "ключ HMAC цепочек журналов, шестнадцатеричный, не короче 32 байт (по умолчанию — файл chain.key)",
            secret=True),
    Setting("NASTAVNIK_MONITORING_REFRESH_MINUTES", "count", "10",
            "как часто фоновая работа пересчитывает панель мониторинга и аналитические отчёты, минут (0 — считать "
            "при каждом открытии, не хранить)", most=1440, unit="минут"),
    Setting("NASTAVNIK_LOG_FORMAT", "choice", "text", "вид журнала: text (ключ=значение) или json",
            choices=("text", "json")),
    Setting("NASTAVNIK_LOG_LEVEL", "choice", "info", "уровень журнала (без учёта регистра)",
            choices=("debug", "info", "warning", "error")),
    Setting("NASTAVNIK_METRICS_ALLOW", "text", "127.0.0.1,::1",
            "адреса и сети (через запятую), которым открыт /metrics без токена"),
    Setting("NASTAVNIK_METRICS_TOKEN", "text", None,
            "токен для /metrics (Authorization: Bearer …) с других адресов", secret=True),
    Setting("PROMETHEUS_MULTIPROC_DIR", "path", None,
            "папка метрик нескольких процессов; «nastavnik serve» на gunicorn создаёт её сам, если не задана"),
    Setting("NASTAVNIK_SMTP_HOST", "text", None, "почтовый сервер; не задан — письма не отправляются"),
    Setting("NASTAVNIK_SMTP_PORT", "count", None, "порт почтового сервера (25, 587 для starttls, 465 для ssl)",
            least=1, most=65535),
    Setting("NASTAVNIK_SMTP_SECURITY", "choice", "none", "защита соединения с почтовым сервером",
            choices=("none", "starttls", "ssl")),
    Setting("NASTAVNIK_SMTP_USER", "text", None, "имя для входа на почтовый сервер"),
    Setting("NASTAVNIK_SMTP_PASSWORD", "text", None, "пароль почтового сервера", secret=True),
    Setting("NASTAVNIK_SMTP_FROM", "text", None, "адрес отправителя (по умолчанию nastavnik@<хост NASTAVNIK_BASE_URL>)"),
    Setting("NASTAVNIK_SMTP_TIMEOUT_S", "count", "30", "ожидание почтового сервера, секунд", least=1, most=3600),
    Setting("NASTAVNIK_BASE_URL", "url", None,
            "адрес приложения для ссылок в письмах (https://nastavnik.example.ru); обязателен при почте"),
    Setting("NASTAVNIK_SERVE_PID_HEADER", "flag", "0",
            "только для тестов: ответ сервера называет процесс gunicorn (X-Nastavnik-Worker)"),
)

BY_NAME = {setting.name: setting for setting in SETTINGS}
