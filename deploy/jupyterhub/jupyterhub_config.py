"""JupyterHub for a group: every trainee and educator gets their own alliance-kit server.

Run it (from any folder):

    export ALLIANCE_KIT_HUB_PASSWORD='...'          # the workshop password trainees type
    export ALLIANCE_KIT_HUB_ADMINS='ana,ben'        # educators (the hub's admin users)
    export ALLIANCE_KIT_HUB_ADMIN_PASSWORD='...'    # educators' password, 32+ characters
    export ALLIANCE_KIT_HUB_DATA=/srv/alliance-kit  # per-person folders and the hub's state
    jupyterhub -f deploy/jupyterhub/jupyterhub_config.py --ip 127.0.0.1 --port 8000

The values are chosen in alliance_kit.hub.hub_config; docs/deploy-jupyterhub.md explains them
and how to swap in an organisation's own log-in (OAuth, LDAP) below the configure() line.
"""

import sys

from alliance_kit.hub.hub_config import configure
from alliance_kit.hub.settings import HubSettingsError, settings_from_env

c = get_config()  # noqa: F821 - provided by JupyterHub when it reads this file

try:
    configure(c, settings_from_env())
except HubSettingsError as problem:
    # One sentence and a non-zero exit, before anything listens on the network.
    sys.exit(f"alliance-kit hub not started: {problem}")

# An organisation's own log-in replaces the workshop password here, for example:
#   c.JupyterHub.authenticator_class = "generic-oauth"   # pip install oauthenticator
#   c.JupyterHub.authenticator_class = "ldapauthenticator.LDAPAuthenticator"
# Keep c.Authenticator.admin_users (educators) and the group "educators" in step.
