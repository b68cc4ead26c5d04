"""Whether one setting's value is of its kind: the Russian problem, or None."""
from __future__ import annotations

from urllib.parse import urlsplit

from engine.settings.table import Setting

TRUE_WORDS = {"1", "true", "yes", "on", "да"}
FALSE_WORDS = {"0", "false", "no", "off", "нет"}
URL_SCHEMES = {  # the schemes allowed, and what the address should be
    "DATABASE_URL": (("sqlite", "postgresql", "postgres", "postgresql+psycopg"),
                     "базы данных (sqlite:///… или postgresql://…)"),
    "NASTAVNIK_RATELIMIT_STORAGE": (("memory", "redis", "rediss"), "счётчиков (memory:// или redis://…)"),
    "NASTAVNIK_BROKER_URL": (("redis", "rediss"), "Redis (ожидается redis://…)"),
    "NASTAVNIK_BASE_URL": (("http", "https"), "приложения (https://…)"),
}


def problem_of(setting: Setting, raw: str) -> str | None:
    text = raw.strip()
    if setting.kind == "flag" and text.lower() not in TRUE_WORDS | FALSE_WORDS:
        return f"«{raw}» — ожидается 1 или 0 (true/false)"
    if setting.kind == "choice" and text.lower() not in setting.choices:
        return f"«{raw}» — допустимо: {', '.join(setting.choices)}"
    if setting.kind in ("count", "seconds"):
        return _number_problem(setting, text)
    if setting.kind == "url":
        return _url_problem(setting, text)
    if setting.kind == "secret_hex":
        try:
            key = bytes.fromhex(text)
        except ValueError:
            return "ожидаются шестнадцатеричные цифры"
        return "короче 32 байт (64 шестнадцатеричных цифр)" if len(key) < 32 else None
    return None


def _number_problem(setting: Setting, text: str) -> str | None:
    try:
        number = float(text.replace(",", ".")) if setting.kind == "seconds" else int(text)
    except ValueError:
        what = "число секунд" if setting.kind == "seconds" else "целое число"
        return f"«{text}» — ожидается {what}"
    if setting.kind == "seconds" and number < setting.least:
        return f"{text} — слишком мало (не меньше {setting.least:g} с)"
    if number < setting.least or (setting.most is not None and number > setting.most):
        unit = f" {setting.unit}" if setting.unit else ""
        upper = f" до {setting.most:g}" if setting.most is not None else ""
        return f"«{text}» — не число{unit} от {setting.least:g}{upper}"
    return None


def _url_problem(setting: Setting, text: str) -> str | None:
    if setting.name not in URL_SCHEMES:
        return None
    schemes, what = URL_SCHEMES[setting.name]
    scheme = urlsplit(text).scheme.lower() if "://" in text else ""
    if scheme in schemes:
        return None
    shown = "адрес" if setting.secret else f"«{text}»"
    return f"{shown} — не адрес {what}"
