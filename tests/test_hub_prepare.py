"""The room-preparing service's pace: never more starting than allowed, busy hub, failures."""

from __future__ import annotations

import threading

from alliance_kit.hub.prepare import ATTEMPTS, prepare, roster_from_env


class FakeHub:
    """Starts each server after two polls; refuses starts beyond ``limit`` (429) like a hub."""

    def __init__(self, limit: int, broken: tuple[str, ...] = ()) -> None:
        self.limit = limit
        self.broken = broken
        self.polls: dict[str, int] = {}
        self.starting: set[str] = set()
        self.most_starting = 0
        self.busy_answers = 0
        self.starts: dict[str, int] = {}
        self.lock = threading.Lock()

    def start(self, name: str) -> tuple[str, str]:
        with self.lock:
            if len(self.starting) >= self.limit:
                self.busy_answers += 1
                return "busy", "too many"
            self.starts[name] = self.starts.get(name, 0) + 1
            self.starting.add(name)
            self.most_starting = max(self.most_starting, len(self.starting))
            self.polls[name] = 0
            return "started", ""

    def server_state(self, name: str) -> str:
        with self.lock:
            self.polls[name] += 1
            if self.polls[name] < 2:
                return "pending"
            self.starting.discard(name)
            return "stopped" if name in self.broken else "ready"


def test_every_name_is_started_never_more_at_once_than_the_hub_allows():
    names = [f"t{i:02d}" for i in range(9)]
    hub = FakeHub(limit=2)
    progress = prepare(hub, names, at_once=4, poll=0)
    assert sorted(progress.ready) == names
    assert hub.most_starting <= 2
    assert hub.busy_answers > 0, "the service asked again after the hub said it was busy"
    assert set(hub.starts.values()) == {1}


def test_a_server_that_will_not_start_is_tried_again_then_left_to_its_log_in():
    hub = FakeHub(limit=3, broken=("rik",))
    progress = prepare(hub, ["rosa", "rik"], at_once=3, poll=0)
    assert progress.ready == ["rosa"]
    assert progress.given_up == ["rik"]
    assert hub.starts["rik"] == ATTEMPTS


def test_the_roster_reaches_the_service_as_names():
    assert roster_from_env({"ALLIANCE_KIT_HUB_ROSTER": "rosa, rik,"}) == ["rosa", "rik"]
    assert roster_from_env({}) == []
