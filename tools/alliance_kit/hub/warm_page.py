"""One warm kernel, in a prepared trainee's own server, for the page the room opens first.

On ``alliance-kit serve --workshop`` Voila's standalone app keeps warm kernels: each has run
its page before anyone asks, so a visitor gets the page at once. On the hub, Voila runs as an
extension of each person's Jupyter server, and there its page handler finds no pool (it asks
the server's kernel manager for one and falls back to a cold kernel). This module gives a
prepared server's kernel manager the same pool Voila's app builds
(``voila_kernel_manager_factory``, with the kit's fill policy from ``kernel_pool``), sized one,
for the one page named by ``ALLIANCE_KIT_HUB_WARM_PAGE``:

* The pool is filled once, when the server has started (``start_warming``), one kernel, and never
  refilled after its kernel has been handed out: on a hub each person opens the page once, so
  a refill would only add a second page run per person just as the whole room arrives.
* Voila's pool is written for its own app: it reads the app's notebook path, page settings
  and templates from its parent. Here the parent is the Jupyter server, so the pool is given
  the renderer the server's Voila extension would build (the kit's page folder, the
  extension's template and settings) and does not scan the person's folder for notebooks.
* A warm kernel runs its page before the request; the page then learns the visitor's language
  and address from the request over Voila's ``voila/query`` websocket, which Voila's extension
  does not serve: :func:`request_info_handler` adds it, for the kernel's own connection only.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from .settings import WARM_PAGE_ENV


def warm_page() -> str:
    """The notebook this server keeps warm ('' for none): the hub sets it for prepared servers."""
    return os.environ.get(WARM_PAGE_ENV, "").strip()


def warm_pool_class() -> type:
    """The server's kernel manager class with a one-kernel warm pool for :func:`warm_page`."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    from ..kernel_pool import refilling_pool

    pooled = refilling_pool(voila_kernel_manager_factory(AsyncMappingKernelManager, True, 0))

    class WarmPagePool(pooled):
        """Voila's kernel pool inside a person's Jupyter server; see the module docstring."""

        def __init__(self, **kwargs: Any) -> None:
            # Voila's own __init__ reads its app's notebook path and warms every notebook
            # under the root folder (here the person's); this pool warms one page, later.
            AsyncMappingKernelManager.__init__(self, **kwargs)
            self._wait_at_startup = True
            self.notebook_data = {}
            self._pools = {}
            self.notebook_path = None
            self.kernel_pools_config = {"default": {"pool_size": 0}}
            self._renderer: Callable[[str], Any] | None = None
            self._page = ""
            self._handed_out = False

        def prepare(self, page: str, renderer: Callable[[str], Any]) -> None:
            """Name the page and how to render it; :meth:`start_warming` warms it."""
            self._renderer = renderer
            self.kernel_pools_config = {"default": {"pool_size": 0}, page: {"pool_size": 1}}
            self._page = page

        def start_warming(self) -> None:
            if self._page and self._renderer is not None:
                self.fill_if_needed(delay=0, notebook_name=self._page)

        def _notebook_renderer_factory(self, notebook_path: str | None = None) -> Any:
            assert self._renderer is not None  # Voila renders only pages it was asked to warm
            return self._renderer(notebook_path)

        def may_refill(self, notebook_name: str | None) -> bool:
            return not self._handed_out  # one warm page per person: no refill once in use

        def fill_if_needed(self, *args: Any, **kwargs: Any) -> None:
            if self._handed_out or self._renderer is None:
                return
            super().fill_if_needed(*args, **kwargs)

        async def get_rendered_notebook(self, notebook_name: str, *args: Any, **kwargs: Any):
            self._handed_out = True
            self.log.info("alliance-kit: %s opened in its warm kernel", notebook_name)
            return await super().get_rendered_notebook(notebook_name, *args, **kwargs)

    return WarmPagePool


def renderer_factory(
    server_app: Any, voila_configuration: Any, template_paths: list[str], pages: Any
) -> Callable[[str], Any]:
    """Build a page's renderer as Voila's page handler does inside this server."""
    from voila.notebook_renderer import NotebookRenderer
    from voila.utils import get_page_config

    settings = server_app.web_app.settings
    base_url = settings.get("base_url", "/")

    def renderer(notebook_path: str) -> Any:
        page_config = get_page_config(
            base_url=base_url,
            settings=settings,
            log=server_app.log,
            voila_configuration=voila_configuration,
        )
        return NotebookRenderer(
            voila_configuration=voila_configuration,
            traitlet_config=server_app.config,
            notebook_path=notebook_path,
            template_paths=template_paths,
            config_manager=server_app.config_manager,
            contents_manager=pages,
            base_url=base_url,
            kernel_spec_manager=server_app.kernel_spec_manager,
            page_config=page_config,
            mathjax_config=settings.get("mathjax_config"),
            mathjax_url=settings.get("mathjax_url"),
        )

    return renderer


def request_info_handler() -> type:
    """Voila's ``voila/query`` websocket, which passes a request on to its warm kernel.

    The kernel connects to its own server on the loopback address; a connection through the
    hub's proxy (which adds ``X-Forwarded-For``) is refused, so nobody else can listen in on a
    visitor's request details.
    """
    from tornado import web
    from voila.request_info_handler import RequestInfoSocketHandler

    class KernelRequestInfo(RequestInfoSocketHandler):
        async def get(self, *args: Any, **kwargs: Any) -> None:
            if self.request.headers.get("X-Forwarded-For") or self.request.remote_ip not in (
                "127.0.0.1",
                "::1",
            ):
                raise web.HTTPError(403)
            return await super().get(*args, **kwargs)

    return KernelRequestInfo


def install(server_app: Any, voila_rule_kwargs: dict, pages: Any) -> bool:
    """Give this server's pool its page and renderer, and serve ``voila/query``; False if none."""
    from jupyter_server.utils import url_path_join
    from voila.server_extension import _kernel_id_regex

    page = warm_page()
    manager = server_app.kernel_manager
    if not page or not hasattr(manager, "prepare"):
        return False
    base_url = server_app.web_app.settings.get("base_url", "/")
    # Voila's pool reads the server URL its kernels call back on from its parent, which in
    # Voila's own app is the app; a Jupyter server serves Voila under its base URL.
    if not hasattr(server_app, "server_url"):
        server_app.server_url = base_url
    renderer = renderer_factory(
        server_app,
        voila_rule_kwargs["voila_configuration"],
        voila_rule_kwargs["template_paths"],
        pages,
    )
    manager.prepare(page, renderer)
    query = url_path_join(base_url, rf"/voila/query/{_kernel_id_regex}")
    server_app.web_app.add_handlers(".*$", [(query, request_info_handler())])
    server_app.log.info("alliance-kit: %s will be kept warm in one kernel", page)
    return True
