"""What an organisation sets for its hub, read from environment variables.

Passwords come from the environment, never from a file in the repository, so the same
``jupyterhub_config.py`` serves every workshop. A missing or unusable setting stops the hub
with one sentence naming the variable and what to do, not a traceback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .prepare import ROSTER_ENV

PASSWORD_ENV = "ALLIANCE_KIT_HUB_PASSWORD"
ADMIN_PASSWORD_ENV = "ALLIANCE_KIT_HUB_ADMIN_PASSWORD"
ADMINS_ENV = "ALLIANCE_KIT_HUB_ADMINS"
DATA_ENV = "ALLIANCE_KIT_HUB_DATA"
MAX_SERVERS_ENV = "ALLIANCE_KIT_HUB_MAX_SERVERS"
MAX_STARTING_ENV = "ALLIANCE_KIT_HUB_MAX_STARTING"
WARM_PAGE_ENV = "ALLIANCE_KIT_HUB_WARM_PAGE"

#: JupyterHub's SharedPasswordAuthenticator refuses shorter passwords.
MIN_PASSWORD = 8
MIN_ADMIN_PASSWORD = 32
#: A user name becomes a folder name and an nbgrader student id: no slashes, no dots first,
#: no "+" (nbgrader's separator in submission names).
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,39}$"

DEFAULT_MAX_SERVERS = 40
DEFAULT_MAX_STARTING = 10


class HubSettingsError(ValueError):
    """A hub setting is missing or unusable; the message says which and what to do."""


@dataclass(frozen=True)
class HubSettings:
    password: str
    admin_password: str
    admins: tuple[str, ...]
    data_root: Path
    max_servers: int = DEFAULT_MAX_SERVERS
    max_starting: int = DEFAULT_MAX_STARTING
    #: The trainees expected in the room: their servers are started before they arrive.
    roster: tuple[str, ...] = ()
    #: The page (notebook file name) each prepared server keeps one warm kernel for.
    warm_page: str = ""

    @property
    def state_dir(self) -> Path:
        """The hub's own database, cookie secret and pid files."""
        return self.data_root / "hub-state"

    @property
    def users_dir(self) -> Path:
        """One private folder per person below this."""
        return self.data_root / "users"

    @property
    def exchange_dir(self) -> Path:
        """nbgrader's file exchange (released, submitted and returned assignments)."""
        return self.data_root / "exchange"

    def home_of(self, username: str) -> Path:
        return self.users_dir / username


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise HubSettingsError(f"{name} must be a whole number of 1 or more, got {raw!r}.")
    return int(raw)


def _usable_name(name: str, where: str) -> str:
    if not re.match(USERNAME_PATTERN, name):
        raise HubSettingsError(
            f"{where} names {name!r}, which is not a usable user name: use lower-case "
            "letters, digits, '-' and '_' (at most 40, starting with a letter or digit)."
        )
    return name


def read_roster(raw: str) -> tuple[str, ...]:
    """The names a facilitator expects, from a comma-separated list or a file of them.

    A file has one name per line; blank lines and lines starting with ``#`` are skipped, so a
    facilitator can keep a room's list with a note or two. Names are lower-cased as the hub's
    log-in form does, and each is kept once.
    """
    raw = raw.strip()
    if not raw:
        return ()
    if "," in raw:  # names, even one with a "/" by mistake: never a file's path
        return _names(raw.split(","), ROSTER_ENV)
    path = Path(raw).expanduser()
    try:
        is_file = path.is_file()
    except OSError:  # a name too long for a path, for instance: not a file
        is_file = False
    if is_file:
        where = f"{ROSTER_ENV} (the file {path})"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise HubSettingsError(f"{where} could not be read: {error}.") from None
        names = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    elif "/" in raw or raw.endswith(".txt"):
        raise HubSettingsError(
            f"{ROSTER_ENV} names the file {raw!r}, which does not exist: give the file with "
            "one trainee's name per line, or the names separated by commas."
        )
    else:
        where = ROSTER_ENV
        names = raw.split(",")
    return _names(names, where)


def _names(names: list[str], where: str) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(_usable_name(name.strip().lower(), where) for name in names if name.strip())
    )


def read_warm_page(raw: str) -> str:
    """The notebook a prepared server keeps warm: one of the kit's pages, never the landing page."""
    from ..language_links import LANDING_HREF as LANDING
    from ..paths import modules_dir

    name = raw.strip()
    if not name:
        return ""
    notebook = name if name.endswith(".ipynb") else f"{name}.ipynb"
    if notebook == LANDING:
        raise HubSettingsError(
            f"{WARM_PAGE_ENV} names the landing page, which runs no kernel: name the page the "
            "room will open first, for example learn_trust."
        )
    if "/" in notebook or not (modules_dir() / notebook).is_file():
        raise HubSettingsError(
            f"{WARM_PAGE_ENV} names {name!r}, which is not one of the kit's pages: use a "
            "notebook name from modules/ without .ipynb, for example learn_trust."
        )
    return notebook


def settings_from_env(environ: Mapping[str, str] | None = None) -> HubSettings:
    """Read and check the hub's settings; raise :class:`HubSettingsError` on the first problem."""
    env = os.environ if environ is None else environ
    password = env.get(PASSWORD_ENV, "")
    if not password:
        raise HubSettingsError(
            f"{PASSWORD_ENV} is not set, so nobody could log in: set it to the workshop "
            f"password trainees will type (at least {MIN_PASSWORD} characters)."
        )
    if len(password) < MIN_PASSWORD:
        raise HubSettingsError(
            f"{PASSWORD_ENV} is {len(password)} characters long: use at least {MIN_PASSWORD}."
        )
    admins = tuple(
        dict.fromkeys(
            name.strip().lower() for name in env.get(ADMINS_ENV, "").split(",") if name.strip()
        )
    )
    for name in admins:
        _usable_name(name, ADMINS_ENV)
    admin_password = env.get(ADMIN_PASSWORD_ENV, "")
    if admins and not admin_password:
        raise HubSettingsError(
            f"{ADMINS_ENV} names educators but {ADMIN_PASSWORD_ENV} is not set, so they could "
            f"not log in: set it (at least {MIN_ADMIN_PASSWORD} characters)."
        )
    if admin_password and len(admin_password) < MIN_ADMIN_PASSWORD:
        raise HubSettingsError(
            f"{ADMIN_PASSWORD_ENV} is {len(admin_password)} characters long: educators' "
            f"password must have at least {MIN_ADMIN_PASSWORD}."
        )
    if admin_password and admin_password == password:
        raise HubSettingsError(
            f"{ADMIN_PASSWORD_ENV} is the same as {PASSWORD_ENV}: every trainee could then "
            "log in as an educator. Choose two different passwords."
        )
    data = env.get(DATA_ENV, "").strip()
    if not data:
        raise HubSettingsError(
            f"{DATA_ENV} is not set: set it to the folder that will hold each person's data "
            "and the hub's state (for example /srv/alliance-kit)."
        )
    max_servers = _int(env, MAX_SERVERS_ENV, DEFAULT_MAX_SERVERS)
    roster = read_roster(env.get(ROSTER_ENV, ""))
    educators = sorted(set(roster) & set(admins))
    if educators:
        raise HubSettingsError(
            f"{ROSTER_ENV} names the educator(s) {', '.join(educators)}: the roster is for "
            f"trainees; educators log in with their own password. Take them off the roster."
        )
    if len(roster) > max_servers:
        raise HubSettingsError(
            f"{ROSTER_ENV} names {len(roster)} trainees but at most {max_servers} servers may "
            f"run ({MAX_SERVERS_ENV}): raise that limit or shorten the roster."
        )
    return HubSettings(
        password=password,
        admin_password=admin_password,
        admins=admins,
        data_root=Path(data).expanduser().resolve(),
        max_servers=max_servers,
        max_starting=_int(env, MAX_STARTING_ENV, DEFAULT_MAX_STARTING),
        roster=roster,
        warm_page=read_warm_page(env.get(WARM_PAGE_ENV, "")),
    )
