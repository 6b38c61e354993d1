"""The channel-plan model: its parameters (``parameters``, declared once with their ranges and
sources), contact-plan rules in words (``plans``), the client profile (``profile``) and the
vectorised simulation (``simulation``, the only part that needs numpy)."""
