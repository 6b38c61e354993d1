# The kit's settings for a person's Jupyter server on the hub (see alliance_kit.hub.singleuser).
from alliance_kit.hub.singleuser import configure

configure(c)  # noqa: F821 - c is provided by Jupyter when it reads this file
