"""JupyterHub's configuration for the kit, filled in from :class:`HubSettings`.

Everything here is JupyterHub's own machinery: its SharedPasswordAuthenticator, its
SimpleLocalProcessSpawner, its proxy and the idle-culler service. The kit only chooses
values. The same values appear in ``deploy/z2jh/values.yaml`` (a test keeps them in step).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .prepare import PREPARED_OPTION, ROSTER_ENV
from .settings import USERNAME_PATTERN, WARM_PAGE_ENV, HubSettings, HubSettingsError

if TYPE_CHECKING:
    from traitlets.config import Config

#: What each person's server runs: JupyterHub's single-user Jupyter server (started by
#: ``alliance_kit.hub.launch``, without an import it does not need), which loads the kit from
#: the config folder named by JUPYTER_CONFIG_PATH (or /etc/jupyter in the image).
SINGLEUSER_COMMAND = ["alliance-kit-singleuser"]
LANDING_URL = "/voila/render/index.ipynb"
EDUCATOR_URL = "/lab"
EDUCATORS_GROUP = "educators"
#: The variables every person's server gets; ``~`` is that person's own folder.
USER_ENVIRONMENT = {
    "ALLIANCE_KIT_DATA_DIR": "~/kit-data",
    "ALLIANCE_KIT_HUB_ROLE": "trainee",
}
#: Educators (the hub's admin users) land on JupyterLab, with nbgrader's course tools.
GROUP_OVERRIDES = {
    "01-educators": {
        "groups": [EDUCATORS_GROUP],
        "spawner_override": {
            "default_url": EDUCATOR_URL,
            "environment": {"ALLIANCE_KIT_HUB_ROLE": "educator"},
        },
    }
}
#: A server nobody has used for an hour is stopped; its person's data stays.
CULL_TIMEOUT_SECONDS = 3600
CULL_EVERY_SECONDS = 300
#: Memory and CPU per person, from the hub benchmark (see README, "Running a workshop").
#: A trainee's server with one page open holds about 210 MiB and each further page about
#: 60 MiB: the guarantee covers one server and three pages, the limit chart pages and more.
MEMORY_LIMIT = "1G"
MEMORY_GUARANTEE = "320M"
#: A start is one core's work for 2-3 seconds; an idle server uses next to none.
CPU_LIMIT = 1.0
CPU_GUARANTEE = 0.1
PROXY_TIMEOUT_SECONDS = 600
#: The trainees named on the roster, created by the hub at start-up (``load_groups``).
ROOM_GROUP = "room"
#: The hub service that starts the roster's servers before the room arrives.
PREPARE_SERVICE = "prepare-room"
CONFIG_DIR = Path(__file__).resolve().parent / "jupyter_config"


#: Where ``make hub-proxy`` puts the Node.js proxy: beside the kit's environment, never global.
NODE_PROXY = Path("proxy") / "node_modules" / ".bin" / "configurable-http-proxy"
PROXY_ENV = "ALLIANCE_KIT_HUB_PROXY"


def proxy_command(env: Mapping[str, str], bin_dir: str, prefix: str = sys.prefix) -> Path:
    """The proxy every page and file of a room passes through.

    JupyterHub's own proxy is the Node.js ``configurable-http-proxy``; the Python port
    installed with the kit's ``hub`` extra does the same job with no Node.js. When a room of
    30 prepared trainees opened a page at once, the Node.js proxy had them all interactive in
    6.8 s and the Python port in 13.4 s (README, "Planning a room"), so the Node.js one is
    used wherever it is installed: named in ``ALLIANCE_KIT_HUB_PROXY``, or put beside the
    kit's environment by ``make hub-proxy``. Otherwise the Python port.
    """
    named = env.get(PROXY_ENV, "").strip()
    if named:
        found = shutil.which(named)
        if found is None:
            raise HubSettingsError(
                f"{PROXY_ENV} names {named!r}, which is not a command this machine has: "
                "give the path of configurable-http-proxy, or unset it."
            )
        return Path(found)
    node = Path(prefix) / NODE_PROXY
    if node.is_file() and os.access(node, os.X_OK) and shutil.which("node"):
        return node
    return Path(bin_dir) / "configurable-http-proxy"


def culler_command(python: str = sys.executable) -> list[str]:
    return [
        python,
        "-m",
        "jupyterhub_idle_culler",
        f"--timeout={CULL_TIMEOUT_SECONDS}",
        f"--cull-every={CULL_EVERY_SECONDS}",
    ]


#: Starts the hub keeps free while it prepares the room, for anyone logging in meanwhile (a
#: start refused for being one too many tells its trainee to try again).
STARTS_KEPT_FREE = 2


def prepare_at_once(settings: HubSettings) -> int:
    return max(1, settings.max_starting - STARTS_KEPT_FREE)


def prepare_command(settings: HubSettings, python: str = sys.executable) -> list[str]:
    return [
        python,
        "-m",
        "alliance_kit.hub.prepare",
        f"--at-once={prepare_at_once(settings)}",
        f"--cull-seconds={CULL_TIMEOUT_SECONDS}",
    ]


def prepare_scopes(roster: tuple[str, ...]) -> list[str]:
    """What the preparing service may do: read and start the roster's servers, nothing else.

    Each scope is filtered to one roster name, so its token cannot see or start anyone else's
    server, stop a server, or touch users, tokens or groups. The hub creates the roster's users
    itself (``load_groups``), so the service needs no ``admin:users``, which would also let it
    delete users or make one an admin. ``start:servers`` is JupyterHub 6's; before that only
    ``servers``, which also stops servers, could start one.
    """
    scopes = ("read:servers", "start:servers")
    return [f"{scope}!user={name}" for name in roster for scope in scopes]


def started_by_preparer(spawner: Any) -> bool:
    """This start was asked for by the preparing service (not by its trainee logging in)."""
    who = getattr(getattr(spawner, "handler", None), "current_user", None)
    return getattr(who, "kind", None) == "service" and getattr(who, "name", "") == PREPARE_SERVICE


def warm_prepared(settings: HubSettings) -> Any:
    """apply_user_options: a server started for the room keeps the warm page ready.

    Only starts the preparing service asks for get it: it marks them (``user_options``), and
    the hub keeps a server's last options for its next start, so the request must also come
    from the service. A server started at log-in, later that day too, does not warm a page
    its trainee is about to open in a kernel of their own.
    """

    def apply(spawner: Any, user_options: dict) -> None:
        prepared = user_options.get(PREPARED_OPTION) is True and started_by_preparer(spawner)
        if settings.warm_page and prepared:
            spawner.environment = {**spawner.environment, WARM_PAGE_ENV: settings.warm_page}

    return apply


def prepare_folders(settings: HubSettings) -> None:
    """The state folder, the per-person folders' parent and the exchange, each with its mode.

    Personal folders are private (0700). The exchange is open to every server, as nbgrader's
    file exchange expects; it holds assignments, not journals.
    """
    if not settings.data_root.exists():
        # An existing folder keeps its mode: it may be shared with other things (/srv).
        settings.data_root.mkdir(parents=True)
        settings.data_root.chmod(0o711)
    for path, mode in (
        (settings.state_dir, 0o700),
        (settings.users_dir, 0o711),
        (settings.exchange_dir, 0o755),
    ):
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(mode)


def make_home(spawner: Any) -> None:
    """pre_spawn_hook: each person's folder exists and is private before their server starts."""
    home = Path(spawner.home_dir)
    home.mkdir(parents=True, exist_ok=True)
    home.chmod(0o700)


def configure(c: Config, settings: HubSettings) -> None:
    """Fill in JupyterHub's config ``c`` for the kit."""
    prepare_folders(settings)
    bin_dir = str(Path(sys.executable).parent)

    # Log-in: trainees pick a name and type the workshop password; educators their own.
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = settings.password
    if settings.admin_password:
        c.SharedPasswordAuthenticator.admin_password = settings.admin_password
    c.Authenticator.admin_users = set(settings.admins)
    c.Authenticator.allow_all = True
    c.Authenticator.username_pattern = USERNAME_PATTERN
    groups = {EDUCATORS_GROUP: {"users": list(settings.admins)}}
    if settings.roster:
        groups[ROOM_GROUP] = {"users": list(settings.roster)}
    c.JupyterHub.load_groups = groups
    # An admin may manage servers but never open a trainee's (JupyterHub's default, made explicit).
    c.JupyterHub.admin_access = False

    # Loopback unless the organisation says otherwise on the command line (--ip).
    c.JupyterHub.ip = "127.0.0.1"
    c.JupyterHub.hub_ip = "127.0.0.1"
    # The Python proxy gives a proxied request 20 seconds in all unless told otherwise; a kit
    # page streams while its kernel runs, which on a busy machine can take longer.
    c.ConfigurableHTTPProxy.command = [
        str(proxy_command(os.environ, bin_dir)),
        f"--proxy-timeout={PROXY_TIMEOUT_SECONDS * 1000}",
    ]

    # One state folder for the hub's database, cookie secret and pid files.
    state = settings.state_dir
    c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
    c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")

    # One server per person, in that person's own folder.
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(settings.users_dir / "{username}")
    c.Spawner.pre_spawn_hook = make_home
    c.Spawner.cmd = SINGLEUSER_COMMAND
    c.Spawner.notebook_dir = "~"
    c.Spawner.default_url = LANDING_URL
    c.Spawner.group_overrides = GROUP_OVERRIDES
    c.Spawner.environment = {
        **USER_ENVIRONMENT,
        "JUPYTER_CONFIG_PATH": str(CONFIG_DIR),
        "NBGRADER_EXCHANGE": str(settings.exchange_dir),
        "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "/usr/bin:/bin")]),
        # A kernel per trainee keeps the cores busy already: numpy's OpenBLAS on one thread,
        # as on `alliance-kit serve` (serve.prepare_environment).
        "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "1"),
    }
    # A busy 2-core machine starts a room's servers slowly: wait rather than fail.
    c.Spawner.start_timeout = 180
    c.Spawner.http_timeout = 120
    c.JupyterHub.concurrent_spawn_limit = settings.max_starting
    c.JupyterHub.active_server_limit = settings.max_servers
    c.JupyterHub.shutdown_on_logout = True
    c.JupyterHub.cleanup_servers = True

    c.JupyterHub.services = [{"name": "idle-culler", "command": culler_command()}]
    c.JupyterHub.load_roles = [
        {
            "name": "idle-culler",
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": ["idle-culler"],
        }
    ]
    if settings.roster:
        # The room's servers start before it arrives (alliance_kit.hub.prepare).
        c.JupyterHub.services.append(
            {
                "name": PREPARE_SERVICE,
                "command": prepare_command(settings),
                "environment": {ROSTER_ENV: ",".join(settings.roster)},
            }
        )
        c.JupyterHub.load_roles.append(
            {
                "name": PREPARE_SERVICE,
                "scopes": prepare_scopes(settings.roster),
                "services": [PREPARE_SERVICE],
            }
        )
        c.Spawner.apply_user_options = warm_prepared(settings)
