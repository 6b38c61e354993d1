"""The hub's config, its settings checks, and the container and Kubernetes files kept in step."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from hub_support import CONFIG, EDUCATOR, hub_env
from traitlets.config.loader import PyFileConfigLoader

from alliance_kit.hub import hub_config
from alliance_kit.hub.settings import HubSettingsError, settings_from_env

DEPLOY = CONFIG.parents[1]
VALUES = DEPLOY / "z2jh" / "values.yaml"
DOCKERFILE = DEPLOY / "docker" / "Dockerfile"


@pytest.fixture()
def local(tmp_path, monkeypatch):
    """The local hub's config as JupyterHub loads it."""
    for key, value in hub_env(tmp_path / "data").items():
        monkeypatch.setenv(key, value)
    loader = PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent))
    return loader.load_config()


@pytest.fixture(scope="module")
def values():
    return yaml.safe_load(VALUES.read_text(encoding="utf-8"))


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


def test_local_config_sets_up_folders_login_and_culler(local, tmp_path):
    data = tmp_path / "data"
    assert local.JupyterHub.authenticator_class == "shared-password"
    assert local.Authenticator.admin_users == {EDUCATOR}
    assert local.JupyterHub.ip == "127.0.0.1"
    assert local.JupyterHub.db_url == f"sqlite:///{data / 'hub-state' / 'jupyterhub.sqlite'}"
    assert Path(local.JupyterHub.cookie_secret_file).parent == data / "hub-state"
    assert local.SimpleLocalProcessSpawner.home_dir_template == str(data / "users" / "{username}")
    for folder, mode in (("hub-state", 0o700), ("users", 0o711)):
        assert (data / folder).stat().st_mode & 0o777 == mode
    (culler,) = local.JupyterHub.services
    assert "jupyterhub_idle_culler" in culler["command"]
    assert local.JupyterHub.concurrent_spawn_limit == 10
    assert local.JupyterHub.active_server_limit == 40


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ALLIANCE_KIT_HUB_PASSWORD": ""}, "ALLIANCE_KIT_HUB_PASSWORD is not set"),
        ({"ALLIANCE_KIT_HUB_PASSWORD": "short"}, "use at least 8"),
        ({"ALLIANCE_KIT_HUB_ADMIN_PASSWORD": ""}, "ALLIANCE_KIT_HUB_ADMIN_PASSWORD is not set"),
        ({"ALLIANCE_KIT_HUB_ADMIN_PASSWORD": "x" * 12}, "at least 32"),
        ({"ALLIANCE_KIT_HUB_ADMINS": "edu,Not/Valid"}, "not a usable user name"),
        ({"ALLIANCE_KIT_HUB_DATA": ""}, "ALLIANCE_KIT_HUB_DATA is not set"),
        ({"ALLIANCE_KIT_HUB_MAX_SERVERS": "many"}, "whole number"),
    ],
)
def test_bad_settings_get_one_clear_sentence(tmp_path, change, message):
    env = {**hub_env(tmp_path), **change}
    with pytest.raises(HubSettingsError, match=re.escape(message)):
        settings_from_env(env)


def test_same_password_for_trainees_and_educators_is_refused(tmp_path):
    same = "the-same-password-for-everyone-0123456789"
    env = {
        **hub_env(tmp_path),
        "ALLIANCE_KIT_HUB_PASSWORD": same,
        "ALLIANCE_KIT_HUB_ADMIN_PASSWORD": same,
    }
    with pytest.raises(HubSettingsError, match="every trainee could then"):
        settings_from_env(env)


def test_values_file_makes_the_same_choices_as_the_local_config(local, values):
    single = values["singleuser"]
    # image command and landing page
    assert shlex.split(single["cmd"]) == local.Spawner.cmd == hub_config.SINGLEUSER_COMMAND
    assert single["defaultUrl"] == local.Spawner.default_url == hub_config.LANDING_URL
    # each person's environment: the kit's own variables are identical
    kit_env = {k: v for k, v in local.Spawner.environment.items() if k.startswith("ALLIANCE_KIT")}
    assert kit_env == hub_config.USER_ENVIRONMENT
    assert {k: v for k, v in single["extraEnv"].items() if k.startswith("ALLIANCE_KIT")} == kit_env
    assert "NBGRADER_EXCHANGE" in single["extraEnv"]
    assert "NBGRADER_EXCHANGE" in local.Spawner.environment
    # educators: same group, same overrides, same log-in
    hub = values["hub"]
    assert hub["config"]["KubeSpawner"]["group_overrides"] == local.Spawner.group_overrides
    assert hub["loadGroups"] == local.JupyterHub.load_groups
    assert hub["config"]["JupyterHub"]["authenticator_class"] == "shared-password"
    assert set(hub["config"]["Authenticator"]["admin_users"]) == local.Authenticator.admin_users
    assert (
        hub["config"]["Authenticator"]["username_pattern"] == local.Authenticator.username_pattern
    )
    # culling and server limits
    (culler,) = local.JupyterHub.services
    assert values["cull"]["enabled"] is True
    assert f"--timeout={values['cull']['timeout']}" in culler["command"]
    assert f"--cull-every={values['cull']['every']}" in culler["command"]
    assert hub["concurrentSpawnLimit"] == local.JupyterHub.concurrent_spawn_limit
    assert hub["activeServerLimit"] == local.JupyterHub.active_server_limit
    # resources per trainee, storage per user
    assert single["memory"] == {
        "limit": hub_config.MEMORY_LIMIT,
        "guarantee": hub_config.MEMORY_GUARANTEE,
    }
    assert single["cpu"] == {"limit": hub_config.CPU_LIMIT, "guarantee": hub_config.CPU_GUARANTEE}
    assert single["storage"]["type"] == "dynamic"
    assert single["storage"]["homeMountPath"] == "/home/jovyan"
    # no password in the values file: both come from a Kubernetes secret
    assert "SharedPasswordAuthenticator" not in hub["config"]
    for name in ("ALLIANCE_KIT_HUB_PASSWORD", "ALLIANCE_KIT_HUB_ADMIN_PASSWORD"):
        assert set(hub["extraEnv"][name]["valueFrom"]) == {"secretKeyRef"}


def test_dockerfile_pins_its_base_installs_the_wheel_and_runs_unprivileged(values):
    steps = dockerfile_instructions()
    (base,) = [arg for op, arg in steps if op == "FROM"]
    image, _, tag = base.partition(":")
    assert image == "python" and re.fullmatch(r"\d+\.\d+\.\d+-slim-\w+(@sha256:[0-9a-f]{64})?", tag)
    runs = " ".join(arg for op, arg in steps if op == "RUN")
    assert re.search(r"pip install .*alliance_kit-\$\{KIT_VERSION\}-py3-none-any\.whl\[hub\]", runs)
    assert "/etc/jupyter" in runs
    users = [arg for op, arg in steps if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    args = dict(arg.split("=", 1) for op, arg in steps if op == "ARG" and "=" in arg)
    uid = args.get(users[-1].strip("${}"), users[-1])
    assert uid == str(values["singleuser"]["uid"]) != "0"
    (cmd,) = [arg for op, arg in steps if op == "CMD"]
    assert yaml.safe_load(cmd) == hub_config.SINGLEUSER_COMMAND


def test_kit_config_folder_is_what_the_image_copies():
    names = sorted(p.name for p in hub_config.CONFIG_DIR.glob("*.py"))
    assert names == ["jupyter_server_config.py", "nbgrader_config.py"]


def test_an_existing_data_folder_keeps_its_mode(tmp_path):
    root = tmp_path / "srv"
    root.mkdir()
    root.chmod(0o755)
    hub_config.prepare_folders(settings_from_env(hub_env(root)))
    assert root.stat().st_mode & 0o777 == 0o755
    assert (root / "users").stat().st_mode & 0o777 == 0o711
    assert (root / "hub-state").stat().st_mode & 0o777 == 0o700


SERVICE = SimpleNamespace(kind="service", name=hub_config.PREPARE_SERVICE)
OTHER_SERVICE = SimpleNamespace(kind="service", name="idle-culler")
TRAINEE = SimpleNamespace(kind="user", name="rosa")


class FakeSpawner:
    """What apply_user_options sees of a spawner: its environment and who asked for it."""

    def __init__(self, asker: SimpleNamespace) -> None:
        self.environment = {"ALLIANCE_KIT_HUB_ROLE": "trainee"}
        self.handler = SimpleNamespace(current_user=asker)


def test_a_roster_comes_as_names_or_as_a_file(tmp_path):
    env = hub_env(tmp_path)
    named = settings_from_env({**env, "ALLIANCE_KIT_HUB_ROSTER": " Rosa, rik ,,rosa"})
    assert named.roster == ("rosa", "rik")
    # A room's worth of names is longer than a file name may be: still names, not a path.
    room = ",".join(f"trainee{i:02d}" for i in range(40))
    assert len(settings_from_env({**env, "ALLIANCE_KIT_HUB_ROSTER": room}).roster) == 40
    listed = tmp_path / "room.txt"
    listed.write_text("# Tuesday's group\nrosa\n\nrik  # late\n", encoding="utf-8")
    from_file = settings_from_env({**env, "ALLIANCE_KIT_HUB_ROSTER": str(listed)})
    assert from_file.roster == ("rosa", "rik")
    assert settings_from_env(env).roster == ()
    warm = settings_from_env({**env, "ALLIANCE_KIT_HUB_WARM_PAGE": "learn_trust"})
    assert warm.warm_page == "learn_trust.ipynb"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ALLIANCE_KIT_HUB_ROSTER": "rooms/no-such-room.txt"}, "names the file"),
        ({"ALLIANCE_KIT_HUB_ROSTER": "rosa,Not/Valid"}, "not a usable user name"),
        ({"ALLIANCE_KIT_HUB_ROSTER": "rosa,no spaces"}, "not a usable user name"),
        ({"ALLIANCE_KIT_HUB_ROSTER": f"rosa,{EDUCATOR}"}, "Take them off the roster"),
        (
            {"ALLIANCE_KIT_HUB_ROSTER": "a,b,c", "ALLIANCE_KIT_HUB_MAX_SERVERS": "2"},
            "raise that limit",
        ),
        ({"ALLIANCE_KIT_HUB_WARM_PAGE": "index"}, "runs no kernel"),
        ({"ALLIANCE_KIT_HUB_WARM_PAGE": "learn_everything"}, "not one of the kit's pages"),
    ],
)
def test_a_bad_roster_or_warm_page_gets_one_clear_sentence(tmp_path, change, message):
    with pytest.raises(HubSettingsError, match=re.escape(message)):
        settings_from_env({**hub_env(tmp_path), **change})


def test_a_roster_adds_the_room_group_and_a_service_that_may_only_start_its_servers(tmp_path):
    from traitlets.config import Config

    env = {
        **hub_env(tmp_path / "data"),
        "ALLIANCE_KIT_HUB_ROSTER": "rosa,rik",
        "ALLIANCE_KIT_HUB_WARM_PAGE": "learn_trust",
    }
    c = Config()
    hub_config.configure(c, settings_from_env(env))
    assert c.JupyterHub.load_groups[hub_config.ROOM_GROUP] == {"users": ["rosa", "rik"]}
    _culler, preparer = c.JupyterHub.services
    assert preparer["name"] == hub_config.PREPARE_SERVICE
    assert preparer["environment"] == {"ALLIANCE_KIT_HUB_ROSTER": "rosa,rik"}
    # two of the hub's ten starts at once stay free for people logging in meanwhile
    assert "--at-once=8" in preparer["command"]
    (role,) = [r for r in c.JupyterHub.load_roles if r["services"] == [preparer["name"]]]
    assert sorted(role["scopes"]) == sorted(
        f"{scope}!user={name}"
        for name in ("rosa", "rik")
        for scope in ("read:servers", "start:servers")
    )

    for options, asker, warm in [
        ({"prepared": True}, SERVICE, True),
        ({}, TRAINEE, False),
        # the hub reuses a server's last options when its trainee starts it again
        ({"prepared": True}, TRAINEE, False),
        ({"prepared": True}, OTHER_SERVICE, False),
    ]:
        spawner = FakeSpawner(asker)
        c.Spawner.apply_user_options(spawner, options)
        assert ("ALLIANCE_KIT_HUB_WARM_PAGE" in spawner.environment) is warm, (options, asker)
        if warm:
            assert spawner.environment["ALLIANCE_KIT_HUB_WARM_PAGE"] == "learn_trust.ipynb"


def test_values_file_prepares_a_room_as_the_local_config_does(tmp_path, monkeypatch, values):
    from traitlets.config import Config

    roster = {"ALLIANCE_KIT_HUB_ROSTER": "rosa,rik", "ALLIANCE_KIT_HUB_WARM_PAGE": "learn_trust"}
    local = Config()
    hub_config.configure(local, settings_from_env({**hub_env(tmp_path / "data"), **roster}))
    hub = values["hub"]
    # the settings are the hub's environment there too, empty until a room is prepared
    assert {k: hub["extraEnv"][k] for k in roster} == dict.fromkeys(roster, "")
    for key, value in roster.items():
        monkeypatch.setenv(key, value)
    z2jh = Config()
    z2jh.JupyterHub.load_groups = dict(hub["loadGroups"])
    z2jh.JupyterHub.services = [{"name": "cull-idle"}]
    exec(hub["extraConfig"]["alliance-kit-room"], {"c": z2jh})  # the chart runs it so

    assert z2jh.JupyterHub.load_groups == local.JupyterHub.load_groups
    (mine,) = [s for s in z2jh.JupyterHub.services if s["name"] == hub_config.PREPARE_SERVICE]
    (theirs,) = [s for s in local.JupyterHub.services if s["name"] == hub_config.PREPARE_SERVICE]
    assert mine["environment"] == theirs["environment"]
    assert mine["command"][2:] == theirs["command"][3:]
    assert f"--at-once={hub['concurrentSpawnLimit'] - 2}" in mine["command"]
    assert f"--cull-seconds={values['cull']['timeout']}" in mine["command"]
    roles = [z2jh.JupyterHub.load_roles, local.JupyterHub.load_roles]
    mine_role, their_role = (next(r for r in rs if r["name"] == "prepare-room") for rs in roles)
    assert mine_role == their_role

    for options in ({"prepared": True}, {}):
        for asker in (SERVICE, TRAINEE, OTHER_SERVICE):
            a, b = FakeSpawner(asker), FakeSpawner(asker)
            z2jh.Spawner.apply_user_options(a, options)
            local.Spawner.apply_user_options(b, options)
            assert a.environment == b.environment


def _executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def test_the_hub_takes_the_node_proxy_beside_the_environment_else_the_python_port(
    tmp_path, monkeypatch
):
    bin_dir = tmp_path / "venv" / "bin"
    python_port = _executable(bin_dir / "configurable-http-proxy")
    prefix = tmp_path / "venv"
    assert hub_config.proxy_command({}, str(bin_dir), str(prefix)) == python_port
    node_proxy = _executable(prefix / hub_config.NODE_PROXY)
    monkeypatch.setenv("PATH", str(_executable(tmp_path / "node-bin" / "node").parent))
    assert hub_config.proxy_command({}, str(bin_dir), str(prefix)) == node_proxy
    # Installed but no Node.js to run it: the Python port, which needs none.
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert hub_config.proxy_command({}, str(bin_dir), str(prefix)) == python_port


def test_a_proxy_named_by_the_organisation_is_used_or_refused_in_one_sentence(tmp_path):
    own = _executable(tmp_path / "my-proxy")
    env = {hub_config.PROXY_ENV: str(own)}
    assert hub_config.proxy_command(env, str(tmp_path), str(tmp_path)) == own
    with pytest.raises(HubSettingsError, match="not a command this machine has"):
        hub_config.proxy_command({hub_config.PROXY_ENV: "no-such-proxy"}, str(tmp_path))


def test_the_hub_says_so_and_stops_when_its_named_proxy_is_missing(tmp_path):
    import subprocess
    import sys

    env = hub_env(tmp_path / "data", ALLIANCE_KIT_HUB_PROXY="no-such-proxy")
    program = (
        "from traitlets.config import Config\n"
        f"exec(open({str(CONFIG)!r}).read(), {{'get_config': Config}})\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "alliance-kit hub not started" in done.stderr
    assert "no-such-proxy" in done.stderr
    assert "Traceback" not in done.stderr
