"""Parsed process specs kept to run again: a bounded per-process pool, each spec lent to one workflow at a time.

    pool = SpecPool(keys=32, idle=4)
    lease = pool.lease(key, build)      # an idle spec of ``key``, or ``build()`` when none is idle
    ... run ONE workflow on lease.spec ...
    pool.give_back(lease)               # kept for the next workflow only if still pristine

Building a spec from its JSON costs several milliseconds per step (the lifecycle's: ~4 ms), so the specs are
kept. But SpiffWorkflow edits the spec a workflow runs on: when an event subprocess starts
(``BpmnStartTask.trigger_wf``) it connects ``Start`` to the subprocess and the subprocess to ``End``, for good.
A spec shared by two workflows would carry one instance's event subprocess into the other. So a spec is never
shared: a lease is exclusive (no other workflow, in any thread, runs on it until it is given back), and a spec
given back is kept only when its shape — every task spec's inputs and outputs and every process's trigger
specs, the only parts the engine changes while running — is the one it was built with; an edited spec is
dropped (the next lease builds a fresh one). Bounded: ``idle`` specs per key, the ``keys`` most recently used
keys.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from engine.workflow.spiff.definitions import ProcessSpec

Shape = tuple


def shape_of(spec: ProcessSpec) -> Shape:
    """What running a workflow may change in its spec: the task specs of each process (top and subprocesses), their
    connections, the event subprocesses ``Start`` may trigger."""
    return tuple(
        (process.name, tuple((name, tuple(task._inputs), tuple(task._outputs))
                             for name, task in process.task_specs.items()),
         tuple(getattr(process.start, "trigger_specs", ())))
        for process in (spec.spiff_spec, *spec.subprocess_specs.values()))


@dataclass
class SpecLease:
    key: Hashable
    spec: ProcessSpec
    shape: Shape = field(repr=False)

    def pristine(self) -> bool:
        """The spec is still as built (no event subprocess wired in by the workflow that ran on it)."""
        return shape_of(self.spec) == self.shape


class SpecPool:
    def __init__(self, *, keys: int = 32, idle: int = 4) -> None:
        self.keys, self.idle = keys, idle
        self._idle: OrderedDict[Hashable, list[tuple[ProcessSpec, Shape]]] = OrderedDict()
        self._lock = threading.Lock()
        self.built = 0  # specs built (tests and benches read it)

    def lease(self, key: Hashable, build: Callable[[], ProcessSpec]) -> SpecLease:
        with self._lock:
            spare = self._idle.get(key)
            if spare:
                self._idle.move_to_end(key)
                spec, shape = spare.pop()
                return SpecLease(key, spec, shape)
        spec = build()
        with self._lock:
            self.built += 1
        return SpecLease(key, spec, shape_of(spec))

    def give_back(self, lease: SpecLease) -> bool:
        """Keep the lent spec for the next workflow if it is pristine and there is room; whether it was kept."""
        if not lease.pristine():
            return False
        with self._lock:
            spare = self._idle.setdefault(lease.key, [])
            self._idle.move_to_end(lease.key)
            if len(spare) >= self.idle or any(spec is lease.spec for spec, _ in spare):
                return False
            spare.append((lease.spec, lease.shape))
            while len(self._idle) > self.keys:
                self._idle.popitem(last=False)
            return True

    def clear(self) -> None:
        with self._lock:
            self._idle.clear()

    def idle_count(self, key: Hashable) -> int:
        with self._lock:
            return len(self._idle.get(key, ()))
