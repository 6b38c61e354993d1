"""Voila, set up for the kit: one place for every server setting.

Why each default is what it is:

* **Sources stripped, no tracebacks.** Trainees see pages, not code; an error shows a plain
  sentence and the details go to the server log.
* **Nothing from a CDN, nothing to other hosts.** The kit's template drops the lab template's
  Font Awesome links (Voila's bundle already carries the font), so pages work on a locked-down
  workshop network; a Content-Security-Policy, sent on every response including static files,
  makes the browser refuse any other host.
* **Only this machine's names on a loopback server** (``alliance_kit.web_guard``): a web page
  elsewhere cannot reach the kit through DNS rebinding. A server bound to another address
  serves a room, so it runs in shared mode: pages keep no personal data there.
* **nbgrader's lab extension denied** inside pages: it expects JupyterLab and throws in Voila.
* **Kernels go away when a tab closes.** The page's shutdown beacon carries the ``_xsrf`` cookie,
  but Voila's page handler never sets that cookie, so the beacon was refused (403) and every
  visit left a kernel behind. The kit's page handler sets the cookie, as JupyterLab's pages do,
  so the XSRF check stays on for the whole server and the beacon passes it.
* **IPC transport** between server and kernels: under a burst of 40 visitors, TCP kernels
  raced for ports ("Address already in use"); Unix sockets have no ports to race for.
* **The landing page without a kernel** (``alliance_kit.landing_page``): it holds no widget, so
  the server renders it from ``pages.yaml`` and a room opening it at once costs nothing.
* **A preheated pool** for the pages a workshop names with ``--page``, warmed one kernel at a
  time and refilled as used (``alliance_kit.kernel_pool``), and **culling** of idle kernels,
  so forgotten tabs do not hold memory all day.
* **The kit's own error pages** (``alliance_kit.error_page``): an address that does not exist
  gets a sentence in the visitor's language and a link to the start page, not Voila's English
  status line with its CDN stylesheet.
* **plotly's chart module served as a file** (``alliance_kit.chart_module``): a chart carries
  a few lines that import it from the kit's server, not 5 MB of JavaScript through the kernel
  and its websocket; the browser fetches it once and keeps it.
* **Page runs wait for their output.** Under a room's load a cell's output can reach the
  server seconds after the cell finished; nbclient's 4 s wait then left the page without its
  widgets, and the page never became usable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import chart_module
from .i18n import N_
from .landing_page import LANDING, LANDING_PATH
from .paths import SHARED_ENV, jupyter_data_dir, modules_dir
from .web_guard import ALLOWED_HOSTS_SETTING, allowed_hosts, is_loopback

if TYPE_CHECKING:
    from traitlets.config import Config

DEFAULT_PORT = 8866
#: Lab extensions that must not load inside Voila pages.
DENIED_EXTENSIONS = [
    "@jupyter/nbgrader",
    "@jupyter-notebook/lab-extension",
    "@voila-dashboards/jupyterlab-preview",
]
#: The browser itself refuses any request to another host: pages can load and connect only
#: to the kit's own server. Inline scripts stay allowed because Voila's page needs them; no
#: page needs eval (the browser tests open every page under this policy); blob: carries
#: anywidget's modules (plotly FigureWidget).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' blob:",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "frame-src 'self' blob: data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
#: How long a page's execution waits for a cell's last outputs after the kernel has replied.
#: nbclient's 4 seconds are too short when a room arrives at once on 2 cores: the outputs
#: arrive later, are dropped ("Timeout waiting for IOPub output"), and the page is served
#: without its widgets, empty for good. A loaded server is slow, not wrong, so wait; only a
#: late output makes the page wait.
IOPUB_WAIT_SECONDS = 120
FRIENDLY_ERROR = (
    "This part of the page could not be shown. Reload the page to try again; "
    "the details are in the kit's server log."
)
#: What a page shows where a part of it failed (the template's ``error`` block).
ERROR_HEADING = N_("This part of the page could not be shown.")
#: The kit's name, after each page's own in the browser's tab.
KIT_NAME = N_("Working alliance kit")
#: What the loading screen says while a page is drawn, in place of Voila's English.
LOADING_OPENING = N_("Opening the page...")
LOADING_STEP = N_("Preparing part {index} of {count}...")
ERROR_SENTENCE = N_(
    "Reload the page to try again. If it keeps happening, tell your workshop leader or "
    "administrator: the details are in the kit's server log."
)


def template_resources() -> dict[str, Any]:
    """What the kit's Voila template needs to know beyond the notebook (``resources.alliance``):
    the languages, the server's default one, and the error sentence, the loading screen's
    words and the kit's name (for the tab's title) in each language.

    The template draws a page before a preheated kernel learns its visitor's language, so it
    carries the sentence in every language and the page shows the one it is in.
    """
    from . import i18n

    def words(lang: str) -> dict[str, str]:
        gettext = i18n.translations(lang).gettext
        return {"heading": gettext(ERROR_HEADING), "sentence": gettext(ERROR_SENTENCE)}

    def loading(lang: str) -> dict[str, str]:
        gettext = i18n.translations(lang).gettext
        return {"opening": gettext(LOADING_OPENING), "step": gettext(LOADING_STEP)}

    return {
        "languages": list(i18n.LANGUAGES),
        "default_language": i18n.server_default() or "",
        "error": {lang: words(lang) for lang in i18n.LANGUAGES},
        "loading": {lang: loading(lang) for lang in i18n.LANGUAGES},
        "kit_name": {lang: i18n.translations(lang).gettext(KIT_NAME) for lang in i18n.LANGUAGES},
    }


@dataclass
class ServeOptions:
    """What a user can choose on ``alliance-kit serve``."""

    port: int = DEFAULT_PORT
    ip: str = "127.0.0.1"
    open_browser: bool = True
    workshop: int = 0
    workshop_pages: list[str] = field(default_factory=list)
    cull_minutes: float = 60
    preheat: bool = True
    base_url: str = "/"
    shared: bool = False

    @property
    def is_shared(self) -> bool:
        """A server for a group keeps no personal data in its pages.

        That is a workshop, an explicit ``--shared``, or a server bound to an address other
        machines can reach: everyone who reaches it would share one data folder.
        """
        return self.shared or self.workshop > 0 or not is_loopback(self.ip)

    def pool_sizes(self) -> dict[str, int]:
        """Preheated kernels per notebook: only for the pages named with ``--page``.

        The landing page needs no kernel (the server renders it), so nothing is kept warm
        for it. For a workshop of N people each page named for the session keeps N warm
        kernels, refilled as they are used, so a room that opens the same page at once does
        not wait on cold starts; a page nobody named holds no memory.
        """
        if not self.preheat:
            return {}
        group = max(self.workshop, 0)
        sizes: dict[str, int] = {}
        for page in self.workshop_pages:
            name = page if page.endswith(".ipynb") else f"{page}.ipynb"
            sizes[name] = max(1, group)
        return sizes


def build_config(options: ServeOptions) -> Config:
    """The traitlets configuration for one kit server."""
    from traitlets.config import Config

    c = Config()
    c.Voila.ip = options.ip
    c.Voila.port = options.port
    c.Voila.port_retries = 0
    c.Voila.open_browser = options.open_browser
    c.Voila.base_url = options.base_url
    c.Voila.tornado_settings = {
        "headers": {
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "SAMEORIGIN",
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        },
        ALLOWED_HOSTS_SETTING: allowed_hosts(options.ip, options.port),
    }

    vc = c.VoilaConfiguration
    vc.template = "alliance"
    vc.theme = "light"
    vc.strip_sources = True
    vc.show_tracebacks = False
    vc.extension_denylist = DENIED_EXTENSIONS
    # The page kernel reads the browser's language from this header (alliance_kit.i18n).
    vc.http_header_envs = ["Accept-Language"]
    vc.resources = {"alliance": template_resources()}
    c.VoilaExecutor.cell_error_instruction = FRIENDLY_ERROR
    c.VoilaExecutor.iopub_timeout = IOPUB_WAIT_SECONDS

    pools = options.pool_sizes()
    vc.preheat_kernel = bool(pools)
    vc.default_pool_size = 0
    if pools:
        pool_config: dict[str, dict] = {"default": {"pool_size": 0}}
        pool_config.update({nb: {"pool_size": size} for nb, size in pools.items()})
        c.VoilaKernelManager.kernel_pools_config = pool_config

    c.KernelManager.transport = "ipc"
    mkm = c.MappingKernelManager
    idle_seconds = max(int(options.cull_minutes * 60), 0)
    mkm.cull_idle_timeout = idle_seconds
    mkm.cull_interval = max(1, min(60, idle_seconds // 2))
    mkm.cull_connected = True
    mkm.cull_busy = False
    return c


def kit_page_handler() -> type:
    """Voila's page handler, setting the ``_xsrf`` cookie the page's shutdown beacon sends back."""
    from voila.tornado.handler import TornadoVoilaHandler

    class KitPageHandler(TornadoVoilaHandler):
        async def get(self, path: str | None = None) -> None:
            # Touching xsrf_token sets the _xsrf cookie; the page's shutdown beacon sends it back.
            _ = self.xsrf_token
            return await super().get(path)

    # A page that does not exist, in the visitor's language.
    from .error_page import with_error_page

    return with_error_page(KitPageHandler)


def _kit_voila_class():  # -> type[voila.app.Voila]
    """Voila with the kit's landing redirect (Voila's file list leads there too) and
    kernel-free landing page, a page handler that sets the XSRF cookie, and the host check and
    security headers of ``web_guard`` in front of every route."""
    from jupyter_server.utils import url_path_join
    from tornado import web
    from voila.app import Voila
    from voila.handler import BaseVoilaHandler
    from voila.tornado.handler import TornadoVoilaHandler
    from voila.tornado.treehandler import TornadoVoilaTreeHandler

    from . import web_guard
    from .error_page import not_found_handler, with_error_page
    from .landing_page import landing_handler

    KitPageHandler = kit_page_handler()
    LandingPage = with_error_page(landing_handler())

    class LandingRedirect(web.RequestHandler):
        """The server's root, and Voila's file list (English, and no way into the kit), lead
        to the landing page, in the language asked for."""

        def get(self, path: str = "") -> None:
            base = self.settings.get("base_url", "/")
            query = f"?{self.request.query}" if self.request.query else ""
            self.redirect(f"{base}voila/render/{LANDING}{query}", permanent=False)

    class KitVoila(Voila):
        name = "alliance-kit"

        def init_handlers(self) -> list:
            handlers = []
            for pattern, handler, *rest in super().init_handlers():
                if handler is TornadoVoilaHandler:
                    handler = KitPageHandler
                elif handler is TornadoVoilaTreeHandler:
                    handlers.append((pattern, LandingRedirect))
                    continue
                elif isinstance(handler, type) and issubclass(handler, BaseVoilaHandler):
                    handler = with_error_page(handler)  # Voila's contents API, say
                handlers.append((pattern, handler, *rest))
            landing = url_path_join(self.server_url, LANDING_PATH.replace(".", r"\."))
            kit_routes = [(self.server_url, LandingRedirect), (landing, LandingPage)]
            module = chart_module.route(self.server_url)
            if module is not None:
                kit_routes.append(module)
            return [*kit_routes, *handlers]

        def init_settings(self) -> dict:
            # Voila builds its kernel manager class here; the kit's pool policy wraps it.
            import voila.app as voila_app

            from .kernel_pool import refilling_pool

            build = voila_app.voila_kernel_manager_factory

            def kit_factory(base_class: type, preheat: bool, *args: Any, **kwargs: Any) -> type:
                made = build(base_class, preheat, *args, **kwargs)
                return refilling_pool(made) if preheat else made

            voila_app.voila_kernel_manager_factory = kit_factory
            try:
                settings = super().init_settings()
            finally:
                voila_app.voila_kernel_manager_factory = build
            # An address no route knows gets the kit's 404 page, not Tornado's bare one.
            settings["default_handler_class"] = not_found_handler()
            return settings

        def listen(self) -> None:
            # Voila builds its Tornado application in start() and listens right after.
            web_guard.install(self.app)
            return super().listen()

    return KitVoila


def prepare_environment(options: ServeOptions | None = None) -> None:
    """Set what Voila and the page kernels read from the environment, before Voila starts.

    The kit's template goes on Jupyter's search path; on a shared (workshop) server the
    kernels learn that there is no personal data to keep (see ``paths.shared_server``). Page
    kernels run numpy's OpenBLAS on one thread unless the machine says otherwise: a kernel per
    visitor already keeps every core busy, and a thread pool per kernel only adds start-up
    time (about 50 ms at the channel plan's first run) and threads.
    """
    if options is not None and options.is_shared:
        os.environ[SHARED_ENV] = "1"
    chart_module.set_for_kernels()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    extra = str(jupyter_data_dir())
    current = os.environ.get("JUPYTER_PATH", "")
    if extra not in current.split(os.pathsep):
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (extra, current) if p)


def serve(options: ServeOptions) -> int:
    """Run the kit's Voila server until interrupted."""
    prepare_environment(options)
    app_class = _kit_voila_class()
    app = app_class.instance(config=build_config(options))
    app.initialize([str(modules_dir())])
    app.start()
    return 0


#: Sections of :func:`build_config` that a Jupyter server reads when Voila runs inside it as an
#: extension (a JupyterHub single-user server); the rest configure the standalone Voila app.
EXTENSION_SECTIONS = (
    "VoilaConfiguration",
    "VoilaExecutor",
    "KernelManager",
    "MappingKernelManager",
)


def extension_config(options: ServeOptions | None = None) -> Config:
    """The kit's settings for a Jupyter server that serves the pages through Voila's extension.

    Built from :func:`build_config`, so a hub's single-user server gets the same template,
    stripped sources, plain-sentence errors, denied extensions, IPC kernels, culling and
    response headers (CSP included) as ``alliance-kit serve``; the server's extension puts the
    headers on static files with ``web_guard.install``. Kernel pools are left out: Voila
    preheats kernels only in its standalone app.
    """
    from traitlets.config import Config

    kit = build_config(options or ServeOptions(open_browser=False, preheat=False))
    c = Config()
    for section in EXTENSION_SECTIONS:
        c[section] = kit[section]
    # Voila's app leaves MathJax unset, so its page loads none; inside a Jupyter server the
    # page would otherwise fetch MathJax from a CDN.
    no_mathjax = {"mathjax_url": None, "mathjax_config": None}
    # The host check is for a server of its own on this machine's loopback names; a hub's
    # servers are reached through its proxy, under the hub's host name.
    settings = {k: v for k, v in kit.Voila.tornado_settings.items() if k != ALLOWED_HOSTS_SETTING}
    c.ServerApp.tornado_settings = {**settings, **no_mathjax}
    return c
