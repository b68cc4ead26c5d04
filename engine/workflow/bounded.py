"""BPMN scripts and expressions run where they can be stopped: a small pool of child processes.

Every script task body, pre/post script and expression (gateway conditions, timers, collections)
that the runtime evaluates goes to a pooled child (a fresh interpreter running this module, never a
fork of the threaded web process) which runs it in the sandbox
(``engine.workflow.sandbox``) and sends back the changed data as JSON. Expressions go too: a
comprehension over ``range(10**5)`` nested, ``"x".ljust(10**9)`` or a format width are as able to pin
the server as a script body, and a round trip to a warm child costs tens of microseconds
(``bench/scripts.py``).

The bounds, per script or expression:
- time: ``LIMIT_SECONDS`` of wall clock; past it the child is killed (SIGKILL) and replaced; the
  child's own ``RLIMIT_CPU`` (set before each job, a second above) is the backstop;
- memory: ``RLIMIT_AS`` of ``LIMIT_MEMORY_BYTES`` above the child's address space at start (the
  interpreter and the modules it shares with the forkserver); a ``MemoryError`` ends the child;
- operations: ``sandbox.MAX_OPERATIONS`` counted in the code itself (deterministic, same everywhere);
- size: the data a script returns is at most ``LIMIT_DATA_BYTES`` of JSON.
A breach raises ``ScriptLimitExceeded`` (Russian, naming the bound); the runtime names the element.
Children run at ``os.nice(CHILD_NICENESS)`` so logins (argon2) and pages keep the CPU.

The pool holds ``POOL_SIZE`` children (``NASTAVNIK_SCRIPT_WORKERS``, default 2); a caller waits at most
``LIMIT_WAIT_SECONDS`` for a free one, then gets ``ScriptsBusy``. Fair shares: the scripts of one organization
(``running_for(organization_id)``, set by the service that runs a step) hold at most ``size - 1`` children at
once, so one organization's runaway scripts leave a child for everyone else's steps. The date functions scripts call
(``clock.clock_functions``) are rebuilt in the child from the moment the parent's clock gives; other
functions offered to scripts must be module-level (they are pickled by reference).
"""
from __future__ import annotations

import builtins
import contextlib
import contextvars
import json
import os
import pickle
import queue
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any, NoReturn

from engine import resources, settings
from engine.errors import ServiceBusy
from engine.workflow import sandbox
from engine.workflow.clock import FixedClock, clock_functions
from engine.workflow.sandbox import SandboxViolation, ScriptLimitExceeded

LIMIT_SECONDS = 5.0
LIMIT_MEMORY_BYTES = 256 * 1024 * 1024
LIMIT_DATA_BYTES = 4 * 1024 * 1024
LIMIT_WAIT_SECONDS = 30.0
CHILD_NICENESS = 10
POOL_SIZE = max(1, int(settings.value("NASTAVNIK_SCRIPT_WORKERS") or 2))

SECONDS_TEXT = f"{LIMIT_SECONDS:g}\u00a0с"
MEMORY_TEXT = f"{LIMIT_MEMORY_BYTES // (1024 * 1024)}\u00a0МБ"
DATA_TEXT = f"{LIMIT_DATA_BYTES // (1024 * 1024)}\u00a0МБ"


class ScriptsBusy(ServiceBusy):
    """Every script worker stayed busy for ``LIMIT_WAIT_SECONDS``."""


# ---- the child -------------------------------------------------------------------------------

def _address_space() -> int:
    """The child's address space now (Linux); elsewhere a generous guess of an interpreter with its modules."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 512 * 1024 * 1024


def _limit_cpu_for_next_job(seconds: float) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + seconds) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.RLIM_INFINITY))


def _run_job(job: dict) -> tuple:
    functions: dict[str, Callable] = clock_functions(FixedClock(job["now"]), job.get("zone"))
    if job["extra"]:
        functions.update(pickle.loads(job["extra"]))  # noqa: S301 - the parent's own functions
    functions.update(job["names"])
    data = job["data"]
    if job["mode"] == "eval":
        value = sandbox.safe_eval(job["source"], data, functions)
        payload = pickle.dumps(value)
    else:
        sandbox.safe_exec(job["source"], data, functions)
        payload = json.dumps(data, ensure_ascii=False).encode()
    if len(payload) > LIMIT_DATA_BYTES:
        raise ScriptLimitExceeded("size", DATA_TEXT)
    return ("ok", payload)


def serve(jobs: Connection, replies: Connection, memory_bytes: int, seconds: float) -> None:
    """The child's loop: one job at a time until the parent closes the pipe or a bound ends it."""
    os.nice(CHILD_NICENESS)
    limit = _address_space() + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):
            return
        _limit_cpu_for_next_job(seconds)
        try:
            reply = _run_job(job)
        except MemoryError:
            reply = ("limit", "memory", MEMORY_TEXT)
        except ScriptLimitExceeded as exc:
            reply = ("limit", exc.bound, exc.limit)
        except SandboxViolation as exc:
            reply = ("sandbox", exc.message)
        except RecursionError as exc:
            reply = ("error", "RecursionError", str(exc))
        except Exception as exc:
            reply = ("error", type(exc).__name__, str(exc))
        try:
            replies.send(reply)
        except MemoryError:
            os._exit(3)
        if reply[0] == "limit":
            return  # a breached child is not reused


# ---- the parent ------------------------------------------------------------------------------

class _Worker:
    """A child interpreter (``python -m engine.workflow.script_child``): a fresh process, never a
    fork of the threaded server, with its own pipes (stdout stays free for stray output)."""

    def __init__(self, memory_bytes: int, seconds: float) -> None:
        job_read, job_write = os.pipe()
        reply_read, reply_write = os.pipe()
        root = str(resources.code_root())
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "engine.workflow.script_child", str(job_read), str(reply_write),
             str(memory_bytes), str(seconds)],
            pass_fds=(job_read, reply_write), stdin=subprocess.DEVNULL, env=env, cwd=root)
        os.close(job_read)
        os.close(reply_write)
        self.jobs = Connection(job_write, readable=False)
        self.replies = Connection(reply_read, writable=False)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.kill()
        try:
            self.process.wait(1)
        except subprocess.TimeoutExpired:
            pass
        self.jobs.close()
        self.replies.close()


def _raise_error(reply: tuple) -> NoReturn:
    if reply[0] == "limit":
        raise ScriptLimitExceeded(reply[1], reply[2])
    if reply[0] == "sandbox":
        raise SandboxViolation(reply[1])
    kind = getattr(builtins, reply[1], None)
    if isinstance(kind, type) and issubclass(kind, Exception):
        raise kind(reply[2])
    raise RuntimeError(f"{reply[1]}: {reply[2]}")


_organization: contextvars.ContextVar[int | None] = contextvars.ContextVar("scripts_of_organization", default=None)
_zone: contextvars.ContextVar[str | None] = contextvars.ContextVar("scripts_time_zone", default=None)


@contextlib.contextmanager
def running_for(organization_id: int | None, zone: str | None = None) -> Iterator[None]:
    """The scripts run inside are the organization's: they share at most ``size - 1`` children, and their
    ``today()`` is the day in the organization's time zone ``zone`` (None: UTC)."""
    token, zone_token = _organization.set(organization_id), _zone.set(zone)
    try:
        yield
    finally:
        _zone.reset(zone_token)
        _organization.reset(token)


def current_organization() -> int | None:
    """The organization whose scripts run now (``running_for``), or None."""
    return _organization.get()


class ScriptPool:
    """Up to ``size`` warm children; ``run`` sends one script or expression to an idle one."""

    def __init__(self, size: int = POOL_SIZE, *, seconds: float = LIMIT_SECONDS,
                 memory_bytes: int = LIMIT_MEMORY_BYTES) -> None:
        self.seconds, self.memory_bytes, self.size = seconds, memory_bytes, size
        self.owner = os.getpid()
        self._slots = threading.BoundedSemaphore(size)
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self.share = max(1, size - 1)  # children one organization may hold at once
        self._held: dict[int, int] = {}
        self._shares = threading.Condition()

    def _enter_share(self, organization_id: int, deadline: float) -> bool:
        with self._shares:
            while self._held.get(organization_id, 0) >= self.share:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._shares.wait(remaining):
                    return False
            self._held[organization_id] = self._held.get(organization_id, 0) + 1
            return True

    def _leave_share(self, organization_id: int) -> None:
        with self._shares:
            self._held[organization_id] -= 1
            if not self._held[organization_id]:
                del self._held[organization_id]
            self._shares.notify_all()

    def _take(self) -> _Worker:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return _Worker(self.memory_bytes, self.seconds)
            if worker.alive():
                return worker
            worker.stop()

    def run(self, mode: str, source: str, data: dict, *, now: str, names: dict | None = None,
            extra: bytes = b"") -> Any:
        """``mode`` 'exec': the script's new data (a dict); 'eval': the expression's value."""
        deadline, organization_id = time.monotonic() + LIMIT_WAIT_SECONDS, _organization.get()
        busy = "сервер занят выполнением сценариев процессов; повторите действие через минуту"
        if organization_id is not None and not self._enter_share(organization_id, deadline):
            raise ScriptsBusy(busy)
        try:
            if not self._slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
                raise ScriptsBusy(busy)
            try:
                return self._run(mode, source, data, now, names or {}, extra)
            finally:
                self._slots.release()
        finally:
            if organization_id is not None:
                self._leave_share(organization_id)

    def _run(self, mode: str, source: str, data: dict, now: str, names: dict, extra: bytes) -> Any:
        job = {"mode": mode, "source": source, "data": data, "now": now, "names": names, "extra": extra,
               "zone": _zone.get()}
        worker = self._take()
        try:
            worker.jobs.send(job)
        except OSError:  # the idle child died since it was checked: one fresh one
            worker.stop()
            worker = _Worker(self.memory_bytes, self.seconds)
            worker.jobs.send(job)
        keep = False
        try:
            if not worker.replies.poll(self.seconds):
                raise ScriptLimitExceeded("time", SECONDS_TEXT)
            try:
                reply = worker.replies.recv()
            except (EOFError, OSError):
                try:
                    code = worker.process.wait(1)
                except subprocess.TimeoutExpired:
                    code = None
                killed_for_cpu = code == -signal.SIGXCPU
                raise ScriptLimitExceeded("time" if killed_for_cpu else "memory",
                                          SECONDS_TEXT if killed_for_cpu else MEMORY_TEXT) from None
            if reply[0] == "ok":
                keep = True
                return pickle.loads(reply[1]) if mode == "eval" else json.loads(reply[1])  # noqa: S301
            keep = reply[0] != "limit"
            _raise_error(reply)
        finally:
            if keep:
                self._idle.put(worker)
            else:
                worker.stop()

    def warm(self) -> None:
        """Start the children now (a server at start), so the first script does not wait for one."""
        while self._idle.qsize() < self.size:
            self._idle.put(_Worker(self.memory_bytes, self.seconds))

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return


_pool: ScriptPool | None = None
_pool_lock = threading.Lock()


def pool() -> ScriptPool:
    """The process's pool (a new one after a fork: children belong to the process that made them)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool.owner != os.getpid():
            _pool = ScriptPool()
        return _pool


def pickled_functions(functions: dict[str, Callable]) -> bytes:
    """Functions offered to scripts, as the children receive them; a closure or lambda is refused."""
    if not functions:
        return b""
    try:
        return pickle.dumps(functions)
    except (pickle.PicklingError, AttributeError, TypeError) as exc:
        raise SandboxViolation(f"функции для сценариев должны быть функциями модуля: {exc}") from None

