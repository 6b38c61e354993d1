"""The checks a declaration cannot express: unique ids and entries, references between scenes
and signals, and that every path on every channel reaches an ending with a debrief.

A case that passes can be played to an ending on each of its channels, whatever the trainee
chooses; each problem names the file, the scene and the field to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..content import Problem
from ..i18n import _
from .model import Case, Choice, Scene


def _repeated(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    again: list[str] = []
    for value in values:
        if value in seen and value not in again:
            again.append(value)
        seen.add(value)
    return again


class _Report:
    def __init__(self, where: str) -> None:
        self.where = where
        self.problems: list[Problem] = []

    def add(self, message: str, scene: str | None = None, fld: str | None = None) -> None:
        item = _("scene %(scene)s") % {"scene": scene} if scene else None
        self.problems.append(Problem(self.where, message, item, fld))

    def unique(self, values: Iterable[str], scene: str | None, fld: str) -> None:
        for value in _repeated(values):
            self.add(_("has %(value)s more than once") % {"value": f"{value!r:.40}"}, scene, fld)


def _entries(case: Case, report: _Report) -> None:
    """Repeated entries in lists that are sets (editors see ``uniqueItems`` in the schema)."""
    report.unique(case.situation, None, "situation")
    report.unique(case.channels, None, "channels")
    report.unique(case.resources.characteristics, None, "resources.characteristics")
    for scene in case.scene_list:
        report.unique(scene.raises, scene.id, "raises")
        report.unique(scene.cites, scene.id, "cites")
        for i, cue in enumerate(scene.cues):
            report.unique(cue.channels, scene.id, f"cues[{i}].channels")
        for i, choice in enumerate(scene.choices):
            for key in ("notices", "misses", "channels"):
                report.unique(getattr(choice, key), scene.id, f"choices[{i}].{key}")


def _references(case: Case, report: _Report) -> None:
    channels = set(case.channels)
    signals = {s.id for s in case.signal_list}
    used: set[str] = set()
    for scene in case.scenes.values():
        sid = scene.id
        for key in scene.by_channel:
            if key not in channels:
                report.add(
                    _("has text for %(channel)r, which the case is not played on")
                    % {"channel": key},
                    sid,
                    "by_channel",
                )
        for i, cue in enumerate(scene.cues):
            if cue.signal:
                used.add(cue.signal)
                if cue.signal not in signals:
                    report.add(
                        _("names an unknown signal %(signal)r") % {"signal": cue.signal},
                        sid,
                        f"cues[{i}].signal",
                    )
            for ch in cue.channels:
                if ch not in channels:
                    report.add(
                        _("names channel %(channel)r, not one of the case's") % {"channel": ch},
                        sid,
                        f"cues[{i}].channels",
                    )
        for sig in scene.raises:
            used.add(sig)
            if sig not in signals:
                report.add(
                    _("raises an unknown signal %(signal)r") % {"signal": sig}, sid, "raises"
                )
        if scene.ending and scene.choices:
            report.add(_("is an ending but also offers choices"), sid, "choices")
        if not scene.ending and not scene.choices:
            report.add(_("is a dead end: no choices and not an ending"), sid, "choices")
        if scene.ending and not scene.debrief:
            report.add(_("is an ending without a debrief"), sid, "debrief")
        for i, choice in enumerate(scene.choices):
            if choice.next not in case.scenes:
                report.add(
                    _("leads to a scene that does not exist: %(scene)r") % {"scene": choice.next},
                    sid,
                    f"choices[{i}].next",
                )
            for key in ("notices", "misses"):
                for sig in getattr(choice, key):
                    if sig not in signals:
                        report.add(
                            _("names an unknown signal %(signal)r") % {"signal": sig},
                            sid,
                            f"choices[{i}].{key}",
                        )
            for ch in choice.channels:
                if ch not in channels:
                    report.add(
                        _("names channel %(channel)r, not one of the case's") % {"channel": ch},
                        sid,
                        f"choices[{i}].channels",
                    )
    for sig in sorted(signals - used):
        report.add(
            _("signal %(signal)r is never raised by any scene or cue") % {"signal": sig},
            None,
            "signals",
        )


def _offered(scene: Scene, channel: str) -> list[Choice]:
    return [c for c in scene.choices if c.offered_on(channel)]


def _walk(scenes: Mapping[str, Scene], start: str, channel: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        sid = todo.pop()
        if sid in seen:
            continue
        seen.add(sid)
        todo.extend(c.next for c in _offered(scenes[sid], channel))
    return seen


def _find_loop(scenes: Mapping[str, Scene], start: str, channel: str) -> list[str] | None:
    """A list of scene ids that form a cycle reachable on ``channel``, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(sid: str) -> list[str] | None:
        state[sid] = 1
        path.append(sid)
        for choice in _offered(scenes[sid], channel):
            nxt = choice.next
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[sid] = 2
        return None

    return visit(start)


def _paths(case: Case, report: _Report) -> None:
    """Every scene reachable on some channel, and no path on any channel without an end."""
    reached: set[str] = set()
    for channel in case.channels:
        seen = _walk(case.scenes, case.start, channel)
        reached |= seen
        for sid in sorted(seen):
            scene = case.scenes[sid]
            if not scene.ending and not _offered(scene, channel):
                report.add(
                    _("is a dead end on %(channel)s: no choice is offered on that channel")
                    % {"channel": channel},
                    sid,
                )
        loop = _find_loop(case.scenes, case.start, channel)
        if loop:
            report.add(
                _("a path never ends: the scenes %(scenes)s form a loop on %(channel)s")
                % {"scenes": " → ".join(loop), "channel": channel},
                loop[0],
            )
    for sid in case.scenes:
        if sid not in reached:
            report.add("cannot be reached from the start scene on any channel", sid)


def graph_problems(case: Case, where: str) -> list[Problem]:
    """Every problem of a declared case beyond its fields, each located by scene and field."""
    report = _Report(where)
    for sid in _repeated(s.id for s in case.signal_list):
        report.add(
            f"signal id {sid!r} is used more than once (ids must be unique)", None, "signals"
        )
    for sid in _repeated(s.id for s in case.scene_list):
        report.add("duplicate scene id (ids must be unique)", sid, "id")
    if case.start not in case.scenes:
        report.add(f"the start scene {case.start!r} does not exist", None, "start")
        return report.problems
    _entries(case, report)
    _references(case, report)
    if not report.problems:
        _paths(case, report)
    return report.problems
