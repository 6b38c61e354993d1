"""Each person's Jupyter server on the hub serves the kit like ``alliance-kit serve`` does.

``jupyter_config/jupyter_server_config.py`` calls :func:`configure`; it loads this module as a
Jupyter server extension in place of Voila's own, so the kit's page handler (which sets the
``_xsrf`` cookie) serves ``/voila/render/...``. The pages are read from the kit's own
folder, not the person's, so nobody can change the pages another person sees; their kernels
run in the person's folder and keep data in ``ALLIANCE_KIT_DATA_DIR`` there.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import chart_module, web_guard
from ..error_page import with_error_page
from ..exercises.gradebook import GRADEBOOK_ENV
from ..landing_page import LANDING_PATH, landing_handler
from ..paths import SHARED_ENV, exercises_dir, modules_dir
from ..serve import extension_config, kit_page_handler, prepare_environment
from .warm_page import install as install_warm_page
from .warm_page import warm_page, warm_pool_class

if TYPE_CHECKING:
    from traitlets.config import Config

ROLE_ENV = "ALLIANCE_KIT_HUB_ROLE"
COURSE_FOLDER = "course"
#: Server extensions only an educator uses: nbgrader's course tools, terminals, code
#: completion, the classic notebook. Leaving them out makes a trainee's server start sooner
#: and hold less memory when a whole room logs in at once.
EDUCATOR_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
    "jupyter_server_terminals",
    "jupyter_lsp",
    "notebook",
)
#: Course files an educator's copy starts without (a previous run's results).
COURSE_IGNORE = ("release", "submitted", "autograded", "feedback", "gradebook.db", "__pycache__")


def is_educator() -> bool:
    return os.environ.get(ROLE_ENV, "").strip().lower() == "educator"


def course_dir() -> Path:
    """An educator's course folder: inside their server's folder, where formgrader needs it."""
    return Path.home() / COURSE_FOLDER


def ensure_course() -> Path:
    """Give an educator their own copy of the kit's course on first start; keep it after."""
    course = course_dir()
    if not course.exists():
        shutil.copytree(exercises_dir(), course, ignore=shutil.ignore_patterns(*COURSE_IGNORE))
    return course


#: Unix socket paths are limited to about 107 bytes; a kernel's IPC socket is named
#: ``<runtime dir>/kernel-<uuid>-ipc-<n>`` (about 48 bytes after the folder).
MAX_RUNTIME_DIR = 56


def short_runtime_dir() -> Path | None:
    """A private runtime folder with a short path, when the person's own one is too long.

    The kit's kernels talk over IPC sockets in the runtime folder, which by default lies in
    the person's folder; below a deep hub data folder the socket names get too long to open.
    """
    from jupyter_core.paths import jupyter_runtime_dir

    if len(jupyter_runtime_dir()) <= MAX_RUNTIME_DIR:
        return None
    user = os.environ.get("JUPYTERHUB_USER", "user")
    runtime = Path(tempfile.mkdtemp(prefix=f"ak-{user}-"))
    atexit.register(shutil.rmtree, runtime, ignore_errors=True)
    return runtime


def configure(c: Config) -> None:
    """The single-user server's config: the kit's extension config plus who may use what."""
    # A hub server belongs to one person: the pages keep that person's data.
    os.environ.pop(SHARED_ENV, None)
    prepare_environment()
    c.merge(extension_config())
    runtime = short_runtime_dir()
    if runtime is not None:
        os.environ["JUPYTER_RUNTIME_DIR"] = str(runtime)
        c.ServerApp.runtime_dir = str(runtime)
    # Voila's own extension is replaced by this module, which loads it with the kit's page handler.
    extensions: dict[str, bool] = {"voila.server_extension": False, __name__: True}
    if is_educator():
        course = ensure_course()
        os.environ.setdefault(GRADEBOOK_ENV, str(course / "gradebook.db"))
        # Formgrader autogrades with this server's kernel settings; over IPC its kernel's
        # sockets are named relative to the notebook's folder and the grader never reaches
        # them. TCP is fine for one person's server (the IPC choice is for a room's burst).
        c.KernelManager.transport = "tcp"
    else:
        extensions.update(dict.fromkeys(EDUCATOR_EXTENSIONS, False))
        c.ServerApp.terminals_enabled = False
        if warm_page():
            # A server prepared for the room keeps its first page warm (hub.warm_page).
            c.ServerApp.kernel_manager_class = warm_pool_class()
    c.ServerApp.jpserver_extensions = extensions
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # JupyterHub's SimpleLocalProcessSpawner runs each server as the hub's own user; when
        # that is root, the servers run as root too (see docs/deploy-jupyterhub.md).
        c.ServerApp.allow_root = True


def configure_nbgrader(c: Config) -> None:
    """nbgrader on the hub: one course, the hub's user name as the student id.

    Every server runs as the same system user, so nbgrader cannot tell students apart by
    system user; the hub's user name (set by the hub, not the person) names each submission.
    """
    c.CourseDirectory.course_id = "alliance-kit"
    exchange = os.environ.get("NBGRADER_EXCHANGE", "").strip()
    if exchange:
        c.Exchange.root = exchange
    if is_educator():
        c.CourseDirectory.root = str(course_dir())
        c.CollectApp.check_owner = False
    else:
        user = os.environ.get("JUPYTERHUB_USER", "").strip()
        if user:
            c.CourseDirectory.student_id = user


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": __name__}]


def _kit_contents_manager(server_app: Any) -> Any:
    """The kit's pages, read-only to the page handler, whatever the person's folder holds."""
    from jupyter_server.services.contents.filemanager import FileContentsManager

    return FileContentsManager(parent=server_app, root_dir=str(modules_dir()))


def _load_jupyter_server_extension(server_app: Any) -> None:
    from jupyter_server.utils import url_path_join
    from tornado import web
    from tornado.routing import PathMatches, Rule
    from voila.server_extension import _load_jupyter_server_extension as load_voila
    from voila.tornado.handler import TornadoVoilaHandler

    load_voila(server_app)
    # Voila's static files (its scripts, the kit's template and stylesheet) are served by
    # plain Tornado handlers that leave out the server's headers: add the CSP to them too.
    web_guard.install(server_app.web_app)
    pages = _kit_contents_manager(server_app)
    base = kit_page_handler()

    class HubPageHandler(base):
        # A visitor the hub has not logged in yet is sent to its log-in page here, before the
        # kit's handler runs (Voila's own check returns no awaitable when it redirects).
        @web.authenticated
        async def get(self, path: str | None = None) -> None:
            return await super().get(path)

        @property
        def contents_manager(self) -> Any:
            return pages

    class HubLandingPage(with_error_page(landing_handler())):  # type: ignore[misc]
        # The landing page needs no kernel here either; only a logged-in person sees it.
        @web.authenticated
        def get(self, *args: Any) -> None:
            return super().get(*args)

    base_url = server_app.web_app.settings.get("base_url", "/")
    landing = Rule(PathMatches(url_path_join(base_url, LANDING_PATH)), HubLandingPage)
    replaced: list[dict] = []
    for host_rule in server_app.web_app.default_router.rules:
        rules = getattr(host_rule.target, "rules", [])
        for index, rule in enumerate(rules):
            if rule.target is TornadoVoilaHandler:
                rule.target = HubPageHandler
                rules.insert(index, landing)  # before the page route, which would match it
                replaced.append(rule.target_kwargs)
                break
    if not replaced:
        raise RuntimeError("Voila's page route was not found; the kit pages cannot be served.")
    module = chart_module.route(base_url)
    if module is not None:
        server_app.web_app.add_handlers(".*$", [module])
    server_app.log.info("alliance-kit: serving the kit's pages from %s", modules_dir())
    install_warm_page(server_app, replaced[0], pages)


async def _start_jupyter_server_extension(server_app: Any) -> None:
    # The server is up and its event loop runs: warm the room's page now.
    manager = server_app.kernel_manager
    if hasattr(manager, "start_warming"):
        manager.start_warming()
