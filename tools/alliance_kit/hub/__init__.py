"""The kit on JupyterHub: every trainee and educator gets their own kit server.

* :mod:`.settings` reads the hub's environment variables and says in a sentence what is wrong.
* :mod:`.hub_config` fills in JupyterHub's configuration (``deploy/jupyterhub``).
* :mod:`.singleuser` makes each person's Jupyter server serve the kit's pages with the same
  settings as ``alliance-kit serve``; ``jupyter_config/`` is the config folder it is loaded from.
"""
