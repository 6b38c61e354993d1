"""A workshop server's warm pool: warmed one kernel at a time, refilled as used, never stalls.

Real servers, visitors that speak the page's own protocol (``tests/benchmarks/visitors.py``):
page, kernel websocket, widget states. No timing assertions: the counts of kernels tell. When
the pool refills (once the room has arrived) is the kit's own scheduling on an event loop: it
is tested on Voila's pool interface with the warm-ups left out, in shortened time.
"""

from __future__ import annotations

import asyncio
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from alliance_kit import kernel_pool
from alliance_kit.kernel_pool import WARM_AT_ONCE, refilling_pool, spare_size
from alliance_kit.page_list import registry
from conftest import start_kit_server
from tests.benchmarks.visitors import crowd_of, render_path

pytestmark = pytest.mark.slow
ROOM = 4
PAGE = registry().available()[0].notebook


def settle(server, timeout: float = 120) -> int:
    """The kernel count once it has stopped changing (warm-ups and refills done)."""
    deadline = time.monotonic() + timeout
    last, steady_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        count = server.kernel_count()
        if count != last:
            last, steady_since = count, time.monotonic()
        elif time.monotonic() - steady_since > 6:
            break
        time.sleep(0.25)
    return last


def warm_ups(server) -> list[str]:
    """The server log's warm-up starts and ends, in order."""
    found = re.findall(r"(Warming) a kernel for|A kernel for \S+ is (warm)", server.log())
    return ["".join(match) for match in found]


def most_at_once(events: list[str]) -> int:
    """The most warm-ups running at the same time, from their starts and ends in order."""
    running = most = 0
    for event in events:
        running += 1 if event == "Warming" else -1
        most = max(most, running)
    return most


def test_spare_size_keeps_a_few_warm_kernels_not_a_second_room():
    assert spare_size(0) == 0
    assert spare_size(1) == 1
    assert spare_size(4) == 2
    assert spare_size(30) == 6
    assert spare_size(40) == 8
    assert all(spare_size(n) <= n for n in range(50))


def test_pool_warms_a_kernel_per_core_then_one_at_a_time_and_refills_as_used(tmp_path):
    server = start_kit_server(tmp_path, ["--workshop", str(ROOM), "--page", PAGE])
    try:
        assert settle(server) == ROOM
        # Before the room: one warm-up per core (a kernel start and its page run), never all
        # at once.
        before_room = warm_ups(server)
        assert before_room.count("warm") == ROOM, server.log()[-2000:]
        assert most_at_once(before_room) == min(WARM_AT_ONCE, ROOM), before_room

        room = crowd_of(server.url, render_path(PAGE), ROOM)
        assert room.all_interactive, room.errors
        assert server.log().count("Using pre-heated kernel") == ROOM
        room.disconnect()  # the room's kernels stay, as while they work
        # Used up, the pool refills to its spare size, not to a second room.
        assert settle(server) == ROOM + spare_size(ROOM)
        # Once the room is in, one warm-up after another.
        refills = warm_ups(server)[len(before_room) :]
        assert refills == ["Warming", "warm"] * spare_size(ROOM), refills
        room.close()
        assert settle(server) == spare_size(ROOM)
    finally:
        server.stop()


def test_a_room_arriving_while_the_pool_warms_gets_working_pages(tmp_path):
    """The stall: pages run while the pool warmed arrived without their widgets."""
    server = start_kit_server(tmp_path, ["--workshop", str(ROOM), "--page", PAGE])
    try:
        room = crowd_of(server.url, render_path(PAGE), ROOM)
        assert room.all_interactive, room.errors
        assert all(v.views and v.widgets for v in room.visits)
        room.close()
        assert "Timeout waiting for IOPub output" not in server.log()
    finally:
        server.stop()


class VoilasPool:
    """Voila's pool as the kit's policy sees it: ``fill_if_needed`` starts warm-ups up to the
    configured size (here they are warm at once), ``shutdown_all`` stops everything."""

    def __init__(self, size: int) -> None:
        self.kernel_pools_config = {"default": {"pool_size": 0}, "page": {"pool_size": size}}
        self._pools: dict[str, list] = {}
        self.warm_ups: list[float] = []

    def fill_if_needed(self, delay=None, notebook_name=None, **kwargs) -> None:
        pool = self._pools.setdefault(notebook_name, [])
        for _ in range(self.kernel_pools_config[notebook_name]["pool_size"] - len(pool)):
            pool.append(object())
            self.warm_ups.append(asyncio.get_running_loop().time())

    async def shutdown_all(self, *args, **kwargs) -> None:
        self._pools = {}


@pytest.fixture
def short_waits(monkeypatch):
    """The pool's waits in tenths of a second: quiet after 0.3 s, at the latest after 1 s."""
    monkeypatch.setattr(kernel_pool, "QUIET_SECONDS", 0.3)
    monkeypatch.setattr(kernel_pool, "LONGEST_WAIT_SECONDS", 1.0)


def take(pool, at: float):
    """A visitor takes a warm kernel ``at`` seconds into the test, as Voila's handler does."""

    async def visit(start: float) -> None:
        await asyncio.sleep(max(0.0, start + at - asyncio.get_running_loop().time()))
        if pool._pools["page"]:
            pool._pools["page"].pop(0)
        pool.fill_if_needed(notebook_name="page")

    return visit


def run(pool, arrivals: list[float], until: float, *, stop_at: float | None = None) -> list[float]:
    """The warm-ups after the first fill, in seconds from the start."""

    async def room() -> list[float]:
        start = asyncio.get_running_loop().time()
        pool.fill_if_needed(delay=0, notebook_name="page")  # the server's start
        first = len(pool.warm_ups)
        tasks = [asyncio.ensure_future(take(pool, at)(start)) for at in arrivals]
        if stop_at is not None:
            await asyncio.sleep(stop_at)
            await pool.shutdown_all()
        await asyncio.gather(*tasks)
        await asyncio.sleep(max(0.0, start + until - asyncio.get_running_loop().time()))
        return [t - start for t in pool.warm_ups[first:]]

    # A loop of its own, on a thread of its own: a browser test earlier in the run may leave
    # this thread's event loop running.
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, room()).result()


def test_the_pool_refills_once_the_room_has_arrived_not_while_it_arrives(short_waits):
    pool = refilling_pool(VoilasPool)(10)
    refills = run(pool, arrivals=[0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.65, 0.7], until=1.4)
    # Below its spare size from the 9th arrival on, but nothing warms until 0.3 s of quiet.
    assert len(refills) == spare_size(10) - 1
    assert min(refills) >= 0.7 + kernel_pool.QUIET_SECONDS - 0.05


def test_late_comers_every_few_moments_still_get_the_pool_refilled(short_waits):
    """Quiet never comes while someone arrives every 0.2 s; the pool refills anyway."""
    pool = refilling_pool(VoilasPool)(4)
    arrivals = [round(0.2 * i, 1) for i in range(12)]  # 0.0 ... 2.2 s
    refills = run(pool, arrivals=arrivals, until=2.6)
    assert refills, "no refill while they came"
    assert min(refills) <= kernel_pool.LONGEST_WAIT_SECONDS + 0.1
    assert min(refills) < arrivals[-1]


def test_a_pool_that_is_shut_down_starts_no_refill(short_waits):
    pool = refilling_pool(VoilasPool)(4)
    refills = run(pool, arrivals=[0.0, 0.05, 0.1, 0.15], until=1.5, stop_at=0.2)
    assert refills == []
