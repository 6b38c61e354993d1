"""The warm-kernel pool of a workshop server: warmed one kernel at a time, refilled as used.

Voila's own pool starts every missing kernel at once: all N at start-up, and after a room of N
has taken them, N more half a second later. Each of those kernels runs its page, so on a
2-core machine a room's arrival meets N page runs competing for the cores with the room's own
kernels. Under that load a page's output reached the server after nbclient had stopped waiting
for it (``Timeout waiting for IOPub output``): the page arrived without its widgets and never
became usable. The kit's pool therefore

* warms **one kernel per core** before the room arrives, and **one kernel at a time** once a
  visitor has taken a kernel (a kernel counts as warm when its page has run): the facilitator
  waits half as long on 2 cores, and the pool never competes with visitors with more than one
  page run;
* **refills as it is used**, and only while the pool is below its *spare* size. A room
  arrives once; afterwards late-comers and reloads need a few warm kernels, not N, so a
  used-up pool of N does not double the server's memory;
* **refills once the room has arrived**: a replacement starts only when no kernel has been
  taken for :data:`QUIET_SECONDS` (at the latest :data:`LONGEST_WAIT_SECONDS` after the
  first one taken). A refill is a kernel start and a page run (about a CPU-second for a kit
  page); started half a second after the 25th of 30 arrivals, it ran while the last
  arrivals' pages were being answered, and they waited for it;
* hands out **warm kernels only**: a visitor who finds none warm gets a kernel of their own,
  as on a server without a pool, instead of queueing behind warm-ups; a kernel whose warm-up
  failed is shut down and its place warmed again.

:func:`refilling_pool` adds this to the class Voila builds (``voila_kernel_manager_factory``).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
from typing import Any

#: Warm-up failures in a row after which a page's pool stops refilling (a broken page).
MAX_FAILURES = 3
#: Seconds without a kernel taken before the pool refills: a room of 40 opening a page at
#: once is answered within about two seconds on 2 cores (``make bench``).
QUIET_SECONDS = 3.0
#: ... but no longer than this after the first kernel taken since the last refill, so that
#: late-comers arriving every few seconds still find warm kernels again.
LONGEST_WAIT_SECONDS = 10.0


#: Warm-ups at once before anyone has taken a kernel: one per core (a warm-up is a kernel start
#: and a page run, CPU-bound), at most four.
WARM_AT_ONCE = max(1, min(os.cpu_count() or 1, 4))


def spare_size(pool_size: int) -> int:
    """How many warm kernels a used pool keeps: enough for late-comers, not a second room."""
    if pool_size <= 0:
        return 0
    return min(pool_size, max(2, math.ceil(pool_size / 5)))


def refilling_pool(voila_manager: type) -> type:
    """Voila's ``VoilaKernelManager`` class with the kit's fill policy."""

    class KitKernelPool(voila_manager):
        """Kernel pools warmed a core's worth at a time, then one at a time once used, and
        refilled as used; see the module docstring."""

        def _pool_state(self) -> dict[str, Any]:
            # Voila's __init__ fills the pools before a subclass's __init__ could run.
            state = self.__dict__.get("_kit_pool")
            if state is None:
                state = {
                    "started": set(),
                    "failures": {},
                    # warm-ups at once: a core's worth, and one at a time once a kernel is taken
                    "slot": asyncio.Semaphore(WARM_AT_ONCE),
                    "one_at_a_time": asyncio.Semaphore(1),
                    # per page: when the first kernel since the last refill was taken, and
                    # the timer of the refill due
                    "pending": {},
                    "closing": False,
                    # whether a visitor has taken a kernel
                    "taken": False,
                }
                self.__dict__["_kit_pool"] = state
            return state

        def configured_size(self, notebook_name: str | None) -> int:
            default = self.kernel_pools_config.get("default", {})
            config = self.kernel_pools_config.get(notebook_name, default)
            return int(config.get("pool_size", default.get("pool_size", 1)))

        def fill_if_needed(
            self,
            delay: float | None = None,
            notebook_name: str | None = None,
            extra_kernel_env_variables: dict | None = None,
            **kwargs: Any,
        ) -> None:
            state = self._pool_state()
            if state["failures"].get(notebook_name, 0) >= MAX_FAILURES:
                return
            if notebook_name not in state["started"]:
                state["started"].add(notebook_name)
                self._fill(notebook_name, self.configured_size(notebook_name), delay, kwargs)
                return
            # A kernel was taken (or a warm-up failed): refill once the room has arrived.
            state["taken"] = True
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no server loop (a script): refill at once
                self._refill(notebook_name, kwargs)
                return
            now = loop.time()
            since, timer = state["pending"].get(notebook_name, (now, None))
            if timer is not None:  # someone came since: the refill waits for quiet again
                timer.cancel()
            due = min(now + QUIET_SECONDS, since + LONGEST_WAIT_SECONDS)
            timer = loop.call_at(due, self._refill_when_due, notebook_name, kwargs)
            state["pending"][notebook_name] = (since, timer)

        def _refill_when_due(self, notebook_name: str | None, kwargs: dict[str, Any]) -> None:
            state = self._pool_state()
            state["pending"].pop(notebook_name, None)
            failed = state["failures"].get(notebook_name, 0) >= MAX_FAILURES
            if not state["closing"] and not failed and self.may_refill(notebook_name):
                self._refill(notebook_name, kwargs)

        def may_refill(self, notebook_name: str | None) -> bool:
            """Whether a page's pool is refilled once used (a hub server's is not)."""
            return True

        async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:
            # A refill due in the next seconds would start kernels nobody shuts down.
            state = self._pool_state()
            state["closing"] = True
            for _since, timer in state["pending"].values():
                timer.cancel()
            state["pending"].clear()
            await super().shutdown_all(*args, **kwargs)

        def _refill(self, notebook_name: str | None, kwargs: dict[str, Any]) -> None:
            """Back up to the spare size (warmed one at a time). Voila's handler also passes
            the taker's address for the new kernel's environment; it is left out, so no warm
            kernel carries an earlier visitor's address."""
            self._fill(notebook_name, spare_size(self.configured_size(notebook_name)), 0, kwargs)

        def _fill(
            self, notebook_name: str | None, target: int, delay: float | None, kwargs: dict
        ) -> None:
            pool = self._pools.get(notebook_name, [])
            if len(pool) >= target:
                return
            original = self.kernel_pools_config
            limited = {**original, notebook_name: {**original.get(notebook_name, {})}}
            limited[notebook_name]["pool_size"] = target
            # Voila's fill starts (pool_size - len(pool)) warm-ups and builds their
            # environment; it reads the size from kernel_pools_config, so lend it the target.
            self.kernel_pools_config = limited
            try:
                super().fill_if_needed(delay=delay, notebook_name=notebook_name, **kwargs)
            finally:
                self.kernel_pools_config = original

        async def _initialize(
            self, notebook_path: str, kernel_id: str | None = None, **kwargs: Any
        ) -> dict:
            if kernel_id is not None:  # a restart, not a warm-up
                return await super()._initialize(notebook_path, kernel_id, **kwargs)
            state = self._pool_state()
            # A core's worth of warm-ups at once, until a visitor has taken a kernel; from then
            # on also one after another, so the room's own pages meet at most one.
            after_the_first = state["one_at_a_time"] if state["taken"] else contextlib.nullcontext()
            async with after_the_first, state["slot"]:
                self.log.info("Warming a kernel for %s", notebook_path)
                content = await super()._initialize(notebook_path, None, **kwargs)
                try:
                    # Warm means the page has run: the next warm-up waits for that.
                    await asyncio.shield(content["task"])
                except Exception:
                    failures = state["failures"].get(notebook_path, 0) + 1
                    state["failures"][notebook_path] = failures
                    self.log.warning(
                        "A warm kernel for %s could not run the page (%d in a row); it is replaced",
                        notebook_path,
                        failures,
                    )
                    await self.shutdown_kernel(content["kernel_id"], now=True)
                    raise
                state["failures"][notebook_path] = 0
                self.log.info("A kernel for %s is warm", notebook_path)
                return content

        def _ready_items(self, notebook_name: str) -> list:
            """The pool without warm-ups that failed; their places are warmed again."""
            pool = self._pools.get(notebook_name, [])
            broken = [f for f in pool if f.done() and (f.cancelled() or f.exception())]
            for item in broken:
                pool.remove(item)
            if broken:
                self.fill_if_needed(notebook_name=notebook_name)
            return pool

        def get_pool_size(self, notebook_name: str) -> int:
            # Only warm kernels count: a visitor never queues behind warm-ups, and while none
            # is warm the page starts a kernel of its own, as on a server without a pool.
            return sum(1 for f in self._ready_items(notebook_name) if f.done())

        async def get_rendered_notebook(self, notebook_name: str, *args: Any, **kwargs: Any):
            pool = self._ready_items(notebook_name)
            pool.sort(key=lambda f: not f.done())  # Voila hands out the first: a warm one
            return await super().get_rendered_notebook(notebook_name, *args, **kwargs)

    return KitKernelPool
