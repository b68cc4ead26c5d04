"""Where a real step's time goes (``bench/engine.py --profile``): cProfile over approval steps at one size, on
programs of their own (the profiled steps are not among the measured samples: cProfile slows them).

    profiler = Profiler(size)          # the size whose approval steps are profiled
    profiler.run(step.do)              # once per profiled program
    profiler.report(database)          # {"text": …, "beyond_bare": share, "parts": {…}, "top": [[function, share], …]}

Shares are of the profiled steps' time. The bare cycle's parts (deserialize, complete, serialize without the spec)
do not nest in each other nor in anything else listed with them, so «beyond the bare cycle» is the rest. Then the
step by its direct calls (through complete_task, run_step and its work; each counted where it is called from,
so the lines add up), the database (the DBAPI's execute and commit, wherever called), the diagram's scripts (run by
bounded worker processes), what the hooks call, and the functions with the most own time.
"""
from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable
from typing import Any

Key = tuple[str, int, str]
BARE = [("deserialize", "engine/workflow/spiff/runtime.py", "deserialize"),
        ("complete_user_task", "engine/workflow/spiff/runtime.py", "complete_user_task"),
        ("serialize_without_spec", "engine/workflow/spiff/runtime.py", "serialize_without_spec")]
DATABASE = [("sqlalchemy/engine/default.py", name) for name in ("do_execute", "do_executemany", "do_commit")]
RENAMED = {"__enter__": "with restored(): spec lent by the pool, runtime.deserialize",
           "__exit__": "end of with restored(): the spec given back"}


def _label(key: Key) -> str:
    path, line, name = key
    if path.endswith("contextlib.py") and name in RENAMED:
        return RENAMED[name]
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

    @staticmethod
    def _find(stats: dict, ending: str, name: str) -> list[Key]:
        return [key for key in stats if key[0].endswith(ending) and key[2] == name]

    @staticmethod
    def _children(stats: dict, parents: list[Key]) -> list[tuple[Key, float]]:
        """Functions called from ``parents`` and the cumulative time spent in them from there."""
        out = []
        for key, (_cc, _nc, _tt, _ct, callers) in stats.items():
            spent = sum(callers[p][3] for p in parents if p in callers)
            if spent:
                out.append((key, spent))
        return sorted(out, key=lambda item: -item[1])

    def report(self, database: str) -> dict:
        stats = pstats.Stats(self.profile).stats  # type: ignore[attr-defined]
        roots = self._find(stats, "bench/engine_world.py", "do")
        total = sum(stats[key][3] for key in roots) or 1.0

        def share(keys: list[Key]) -> float:
            return sum(stats[key][3] for key in keys) / total

        bare = {name: share(self._find(stats, ending, function)) for name, ending, function in BARE}
        beyond = 1 - sum(bare.values())
        levels = [roots, self._find(stats, "engine/services/process/instances.py", "complete_task"),
                  self._find(stats, "engine/services/process/step_guard.py", "run_step"),
                  self._find(stats, "engine/services/process/instances.py", "work")]
        wrappers = {key for level in levels[1:] for key in level}
        step = sorted(((key, spent) for level in levels for key, spent in self._children(stats, level)
                       if key not in wrappers), key=lambda item: -item[1])
        scripts = share(self._find(stats, "engine/workflow/bounded.py", "_run"))
        database_share = share([key for ending, name in DATABASE for key in self._find(stats, ending, name)])
        hooks = self._children(stats, self._find(stats, "engine/services/process/hooks.py", "run_hooks"))
        inner = self._children(stats, [hooks[0][0]]) if hooks else []
        top = sorted(stats.items(), key=lambda item: -item[1][2])[:12]
        lines = [f"profile: {self.steps} approval steps at {self.size} tasks done on {database} (programs of their "
                 f"own), {total / max(self.steps, 1) * 1000:.1f} ms a step under cProfile"]
        lines += [f"  {value:6.1%}  bare: runtime.{name}" for name, value in bare.items()]
        lines.append(f"  {beyond:6.1%}  beyond the bare cycle")
        lines.append("the step by its direct calls (session, complete_task → run_step → work, commit, close):")
        lines += [f"  {spent / total:6.1%}  {_label(key)}" for key, spent in step if spent / total >= 0.003]
        lines.append(f"  {database_share:6.1%}  of it in the database driver (execute, commit: round trips and "
                     "the server's work)")
        lines.append(f"  {scripts:6.1%}  of it in the diagram's scripts, run by bounded worker processes "
                     "(engine/workflow/bounded.py; part of complete_user_task)")
        lines.append("what run_hooks calls, and what the costliest of them calls:")
        lines += [f"  {spent / total:6.1%}  {_label(key)}" for key, spent in hooks[:5]]
        lines += [f"  {spent / total:6.1%}    {_label(key)}" for key, spent in inner[:6]]
        lines.append("most own time (tottime):")
        lines += [f"  {row[2] / total:6.1%}  {_label(key)}" for key, row in top]
        parts = {**{f"bare_{name}": round(value, 4) for name, value in bare.items()},
                 **{_label(key): round(spent / total, 4) for key, spent in step},
                 "database_driver": round(database_share, 4), "script_workers": round(scripts, 4)}
        return {"text": "\n".join(lines), "beyond_bare": round(beyond, 4), "parts": parts,
                "top": [[_label(key), round(row[2] / total, 4)] for key, row in top]}
