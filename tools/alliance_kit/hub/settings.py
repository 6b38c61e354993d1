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

PASSWORD_ENV = "ALLIANCE_KIT_HUB_PASSWORD"
ADMIN_PASSWORD_ENV = "ALLIANCE_KIT_HUB_ADMIN_PASSWORD"
ADMINS_ENV = "ALLIANCE_KIT_HUB_ADMINS"
DATA_ENV = "ALLIANCE_KIT_HUB_DATA"
MAX_SERVERS_ENV = "ALLIANCE_KIT_HUB_MAX_SERVERS"
MAX_STARTING_ENV = "ALLIANCE_KIT_HUB_MAX_STARTING"

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
        if not re.match(USERNAME_PATTERN, name):
            raise HubSettingsError(
                f"{ADMINS_ENV} names {name!r}, which is not a usable user name: use lower-case "
                "letters, digits, '-' and '_' (at most 40, starting with a letter or digit)."
            )
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
    return HubSettings(
        password=password,
        admin_password=admin_password,
        admins=admins,
        data_root=Path(data).expanduser().resolve(),
        max_servers=_int(env, MAX_SERVERS_ENV, DEFAULT_MAX_SERVERS),
        max_starting=_int(env, MAX_STARTING_ENV, DEFAULT_MAX_STARTING),
    )
