"""Where a real step's time goes (``bench/engine.py --profile``): cProfile over the approval steps at one size.

    profiler = Profiler(size)          # the size whose approval steps are profiled
    profiler.run(step.do)              # once per sample
    profiler.report(database)          # {"text": …, "parts": {part: share}, "top": [[function, share], …]}

The report names the bare cycle's parts (deserialize, complete, serialize without the spec) and everything else
the step does (loading the instance, the hooks and what each calls, the derived rows, audit, flush and commit),
each as its share of the profiled time, then the functions with the most own time.
"""
from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable
from typing import Any

# part name → (end of the file's path, function name); cumulative time, each counted once per call
PARTS: list[tuple[str, str, str]] = [
    ("bare: runtime.deserialize", "engine/workflow/spiff/runtime.py", "deserialize"),
    ("bare: runtime.complete_user_task", "engine/workflow/spiff/runtime.py", "complete_user_task"),
    ("bare: runtime.serialize_without_spec", "engine/workflow/spiff/runtime.py", "serialize_without_spec"),
    ("load the instance (_load)", "engine/services/process/instances.py", "_load"),
    ("spec lent by the pool (lease_spec)", "engine/services/process/definitions.py", "lease_spec"),
    ("ready_user_tasks (before and after)", "engine/workflow/spiff/runtime.py", "ready_user_tasks"),
    ("form contract (validated)", "engine/forms/__init__.py", "validated"),
    ("derived rows (sync_open_tasks)", "engine/services/process/derived_rows.py", "sync_open_tasks"),
    ("timer row (sync_timer)", "engine/services/process/derived_rows.py", "sync_timer"),
    ("hooks (run_hooks)", "engine/services/process/hooks.py", "run_hooks"),
    ("audit entry (_audit)", "engine/services/process/instances.py", "_audit"),
    ("flush", "sqlalchemy/orm/session.py", "flush"),
    ("commit", "sqlalchemy/orm/session.py", "commit"),
    ("close the session", "sqlalchemy/orm/session.py", "close"),
]
Key = tuple[str, int, str]


def _label(key: Key) -> str:
    path, line, name = key
    for marker, shown in (("/site-packages/", ""), ("/lib/python3", "python3"), ("/engine/", "engine/"),
                          ("/bench/", "bench/")):
        if marker in path:
            path = shown + path.split(marker, 1)[1]
            break
    return f"{path}:{line} {name}"


class Profiler:
    def __init__(self, size: int) -> None:
        self.size = size
        self.profile = cProfile.Profile()
        self.steps = 0

    def run(self, action: Callable[[], Any]) -> None:
        self.profile.runcall(action)
        self.steps += 1

    def _stats(self) -> dict:
        return pstats.Stats(self.profile).stats  # type: ignore[attr-defined]

    def _find(self, stats: dict, ending: str, name: str) -> list[Key]:
        return [key for key in stats if key[0].endswith(ending) and key[2] == name]

    def _children(self, stats: dict, parents: list[Key]) -> list[tuple[Key, float]]:
        """Functions called from ``parents`` and their cumulative time spent there."""
        out = []
        for key, (_cc, _nc, _tt, _ct, callers) in stats.items():
            spent = sum(callers[p][3] for p in parents if p in callers)
            if spent:
                out.append((key, spent))
        return sorted(out, key=lambda item: -item[1])

    def report(self, database: str) -> dict:
        stats = self._stats()
        roots = [key for key in stats if key[2] == "do" and key[0].endswith("engine_world.py")]
        total = sum(stats[key][3] for key in roots) or 1.0
        parts = {}
        for label, ending, name in PARTS:
            keys = self._find(stats, ending, name)
            parts[label] = sum(stats[key][3] for key in keys) / total
        bare = sum(share for label, share in parts.items() if label.startswith("bare:"))
        hooks = self._children(stats, self._find(stats, "engine/services/process/hooks.py", "run_hooks"))
        hook_calls = self._children(stats, [key for key, _spent in hooks[:1]]) if hooks else []
        top = sorted(stats.items(), key=lambda item: -item[1][2])[:15]
        lines = [f"profile: {self.steps} approval steps at {self.size} tasks done on {database}, "
                 f"{total / max(self.steps, 1) * 1000:.1f} ms a step under cProfile; shares of the step's time:"]
        lines += [f"  {share:6.1%}  {label}" for label, share in parts.items()]
        lines.append(f"  {bare:6.1%}  = the bare cycle's parts; {1 - bare:6.1%} beyond it")
        lines.append("what run_hooks calls (cumulative), and what the costliest of them calls:")
        lines += [f"  {spent / total:6.1%}  {_label(key)}" for key, spent in hooks[:6]]
        lines += [f"  {spent / total:6.1%}    {_label(key)}" for key, spent in hook_calls[:8]]
        lines.append("most own time (tottime):")
        lines += [f"  {row[2] / total:6.1%}  {_label(key)}" for key, row in top]
        return {"text": "\n".join(lines), "beyond_bare": round(1 - bare, 4), "parts": {k: round(v, 4) for k, v in parts.items()},
                "top": [[_label(key), round(row[2] / total, 4)] for key, row in top]}
