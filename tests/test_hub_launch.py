"""The hub's single-user command starts JupyterHub's server without the grammar import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alliance_kit.hub.hub_config import SINGLEUSER_COMMAND

PROBE = """
import sys, time
from alliance_kit.lighter_start import skip_imports
skip_imports()
began = time.process_time()
import jupyter_server.serverapp
from jupyter_events.validators import validate_schema
print(time.process_time() - began)
print(sys.modules.get("rfc3987_syntax") is not None)
# the server's event schemas are still checked, formats included
schema = {"$id": "https://events.example.org/kit", "version": "1", "title": "t",
          "description": "d", "type": "object", "properties": {}}
validate_schema(schema)
try:
    validate_schema({**schema, "$id": "not a uri"})
except Exception as error:
    print("refused" if "is not a 'uri'" in str(error) else "other")
"""


def test_single_user_command_is_installed_and_starts_jupyterhubs_server():
    command = Path(sys.executable).parent / SINGLEUSER_COMMAND[0]
    assert command.is_file(), "pip install -e . puts the hub's single-user command on PATH"
    result = subprocess.run(
        [str(command), "--version"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    import jupyterhub

    assert result.stdout.strip() == jupyterhub.__version__


def test_a_trainees_server_imports_no_grammar_builder_and_still_checks_its_events():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    _seconds, imported, refused = result.stdout.split()
    assert imported == "False", "rfc3987-syntax was imported: each server start pays for it"
    assert refused == "refused"


def test_the_kit_command_skips_the_grammar_builder_too():
    probe = (
        "import sys\n"
        "from alliance_kit.cli import main\n"
        "try:\n"
        "    main(['--version'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "import jsonschema\n"
        "print('rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is None)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    # Marked absent before anything imports it, whether or not it is installed.
    assert result.stdout.split()[-1] == "True", "alliance-kit serve would start 1-2 s later"


def test_the_environment_make_builds_goes_without_the_grammar_builder():
    # `make` uninstalls it, which spares each nbgrader command (not the kit's own) its cost.
    import importlib.util

    assert importlib.util.find_spec("rfc3987_syntax") is None, (
        "rfc3987-syntax is installed: run `make test` (it removes it), not pip by hand"
    )
