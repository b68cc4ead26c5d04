"""The no-broker mode: a daemon thread inside ``nastavnik serve`` that ticks every ``NASTAVNIK_TICK_SECONDS`` and
runs the jobs the tick hands out, inline, each in a session of its own — the same functions the Celery workers
call (``worker.runtime``), so a timer fires the same way whichever mode runs it.

    scheduler = EmbeddedScheduler(runtime, interval=5.0)
    scheduler.start()      # ticks at once, then every interval
    scheduler.stop()       # the pass in progress finishes; then the thread ends (joined)

One failing pass (the database away for a moment) is logged and the next one tries again; the thread never dies
of it. Several servers on one database may each run one: the database decides (a job runs once).

``nastavnik serve`` on gunicorn runs the scheduler once per server, in a process of its own (``JobsProcess``: a
fresh interpreter, not a fork of a worker): it stops when the server stops it (SIGTERM) or when the server is gone.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from collections import Counter

from engine import resources
from worker import logs
from worker.runtime import Runtime

log = logging.getLogger(__name__)

MODE = "embedded"


class EmbeddedScheduler:
    def __init__(self, runtime: Runtime, interval: float) -> None:
        self.runtime = runtime
        self.interval = interval
        self.passes = 0  # completed passes (tests and the log read it)
        self.outcomes: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="nastavnik-jobs", daemon=True)

    def start(self) -> EmbeddedScheduler:
        self._thread.start()
        return self

    def run_once(self) -> Counter[str]:
        """One pass: tick, run what it handed out (stops between jobs when asked to)."""
        done: Counter[str] = Counter()
        for job_id in self.runtime.tick(mode=MODE):
            if self._stop.is_set():
                break  # handed out but not run: the next runner takes it after the lease
            done[self.runtime.run(job_id).value] += 1
        self.outcomes.update(done)
        self.passes += 1
        return done

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                done = self.run_once()
                if done:
                    log.info("background jobs: %s", dict(done))
            except Exception:  # noqa: BLE001 - the next pass tries again
                log.exception("background jobs pass failed")
            self._stop.wait(self.interval)

    def stop(self, timeout: float | None = 30.0) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()


class JobsProcess:
    """The scheduler in a process of its own, started by the server's master (``main`` runs in it)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.process: subprocess.Popen | None = None

    def start(self) -> JobsProcess:
        root = str(resources.code_root())
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-c", "import sys; from worker.embedded import main; sys.exit(main())",
             str(os.getpid()), str(self.interval)],
            cwd=root, stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))})
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """The pass in progress finishes, then the process ends (killed after ``timeout``)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def main(argv: list[str] | None = None) -> int:
    """In the jobs process: ``<server pid> <interval>``; runs until SIGTERM or until the server is gone."""
    server_pid, interval = (argv if argv is not None else sys.argv[1:])[:2]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signal, _frame: stop.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group: the server stops us
    logs.configure()  # as the server logs (NASTAVNIK_LOG_FORMAT, NASTAVNIK_LOG_LEVEL)
    scheduler = EmbeddedScheduler(Runtime.build(), float(interval)).start()
    while not stop.wait(1.0):
        if os.getppid() != int(server_pid):  # the server died without stopping us
            break
    scheduler.stop()
    return 0
