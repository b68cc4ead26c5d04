"""The worker logs as the server does: one structured line per record, the job it runs named by id, the format and
level from the settings, a bad setting named in Russian; Celery's own logging set-up gives way to it."""
from __future__ import annotations

import io
import json
import logging

import pytest

from worker import logs


@pytest.fixture
def configured():
    root = logging.getLogger()
    level, made = root.level, []

    def configure(environ, **kw):
        stream = io.StringIO()
        made.append(logs.configure(environ, stream=stream, **kw))
        return stream
    yield configure
    for handler in made:
        root.removeHandler(handler)
    root.setLevel(level)


def test_a_jobs_records_carry_its_id_in_json(configured):
    stream = configured({"NASTAVNIK_LOG_FORMAT": "json"})
    with logs.bind(job_id=41):
        logging.getLogger("engine.services.jobs.runner").warning("job %s failed try %s", 41, 2)
    logging.getLogger("worker").info("outside any job")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert (first["job_id"], first["level"], first["message"]) == (41, "WARNING", "job 41 failed try 2")
    assert "job_id" not in second and first["time"].endswith("Z")


def test_the_level_comes_from_the_setting_else_from_the_workers_own_option(configured):
    stream = configured({}, default_level="WARNING")
    logging.getLogger("worker").info("not shown")
    assert stream.getvalue() == ""
    stream = configured({"NASTAVNIK_LOG_LEVEL": "debug"}, default_level="WARNING")
    logging.getLogger("worker").debug("shown")
    assert "message=shown" in stream.getvalue()
    assert len([h for h in logging.getLogger().handlers if getattr(h, "nastavnik_structured", False)]) == 1


@pytest.mark.parametrize(("environ", "named"), [({"NASTAVNIK_LOG_FORMAT": "xml"}, "NASTAVNIK_LOG_FORMAT"),
                                                ({"NASTAVNIK_LOG_LEVEL": "loud"}, "NASTAVNIK_LOG_LEVEL")])
def test_a_bad_setting_is_named(environ, named):
    with pytest.raises(ValueError, match=f"^{named}: ожидается"):
        logs.configure(environ, stream=io.StringIO())


def test_celerys_logging_set_up_is_ours(configured, monkeypatch):
    from celery import signals

    from worker import app  # noqa: F401 - connects the handler

    monkeypatch.setenv("NASTAVNIK_LOG_FORMAT", "json")
    monkeypatch.delenv("NASTAVNIK_LOG_LEVEL", raising=False)
    signals.setup_logging.send(sender=None, loglevel=logging.INFO, logfile=None, format="", colorize=False)
    [ours] = [h for h in logging.getLogger().handlers if getattr(h, "nastavnik_structured", False)]
    assert isinstance(ours.formatter, logs.StructuredFormatter) and ours.formatter.kind == "json"
    assert logging.getLogger().level == logging.INFO
    logging.getLogger().removeHandler(ours)
