"""A workshop server's warm pool: warmed one kernel at a time, refilled as used, never stalls.

Real servers, visitors that speak the page's own protocol (``tests/benchmarks/visitors.py``):
page, kernel websocket, widget states. No timing assertions: the counts of kernels tell.
"""

from __future__ import annotations

import re
import time

import pytest

from alliance_kit.kernel_pool import LONGEST_WAIT_SECONDS, QUIET_SECONDS, spare_size
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


def test_spare_size_keeps_a_few_warm_kernels_not_a_second_room():
    assert spare_size(0) == 0
    assert spare_size(1) == 1
    assert spare_size(4) == 2
    assert spare_size(30) == 6
    assert spare_size(40) == 8
    assert all(spare_size(n) <= n for n in range(50))


def test_pool_warms_one_kernel_at_a_time_and_refills_as_used(tmp_path):
    server = start_kit_server(tmp_path, ["--workshop", str(ROOM), "--page", PAGE])
    try:
        assert settle(server) == ROOM
        # Warming: one kernel after another (its page run), never all at once.
        assert warm_ups(server) == ["Warming", "warm"] * ROOM, server.log()[-2000:]

        room = crowd_of(server.url, render_path(PAGE), ROOM)
        assert room.all_interactive, room.errors
        assert server.log().count("Using pre-heated kernel") == ROOM
        room.disconnect()  # the room's kernels stay, as while they work
        # Used up, the pool refills to its spare size, not to a second room.
        assert settle(server) == ROOM + spare_size(ROOM)
        assert warm_ups(server) == ["Warming", "warm"] * (ROOM + spare_size(ROOM))
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


def test_the_pool_refills_once_the_room_has_arrived_not_while_it_arrives(tmp_path):
    """A refill is a kernel start and a page run: while trainees are still arriving it would
    take the cores their pages need. Three arrive, then a late one; the pool waits for quiet."""
    server = start_kit_server(tmp_path, ["--workshop", str(ROOM), "--page", PAGE])
    try:
        assert settle(server) == ROOM
        first = crowd_of(server.url, render_path(PAGE), ROOM - 1)
        assert first.all_interactive, first.errors
        time.sleep(QUIET_SECONDS / 2)  # the pool is below its spare size by now
        late = crowd_of(server.url, render_path(PAGE), 1)
        assert late.all_interactive, late.errors
        log = server.log()
        last_arrival = log.rindex("Using pre-heated kernel")
        assert log.count("Warming a kernel for", 0, last_arrival) == ROOM, log[-3000:]
        # Once quiet, the pool is back to its spare size, warmed one kernel at a time.
        assert settle(server) == ROOM + spare_size(ROOM)
        assert warm_ups(server) == ["Warming", "warm"] * (ROOM + spare_size(ROOM))
        first.close()
        late.close()
    finally:
        server.stop()


def test_late_comers_arriving_every_few_seconds_still_get_the_pool_refilled(tmp_path):
    """Quiet never comes while someone arrives every two seconds; the pool refills anyway."""
    server = start_kit_server(tmp_path, ["--workshop", str(ROOM), "--page", PAGE])
    visitors = []
    try:
        assert settle(server) == ROOM
        deadline = time.monotonic() + LONGEST_WAIT_SECONDS + QUIET_SECONDS
        while time.monotonic() < deadline:
            visitors.append(crowd_of(server.url, render_path(PAGE), 1))
            assert visitors[-1].all_interactive, visitors[-1].errors
            time.sleep(QUIET_SECONDS * 2 / 3)
        assert server.log().count("Warming a kernel for") > ROOM, "no refill while they came"
    finally:
        for visitor in visitors:
            visitor.close()
        server.stop()
