"""The channel-plan model: its parameters (``parameters``, declared once with their ranges and
sources), contact-plan rules in words (``plans``) and the vectorised simulation
(``simulation``)."""
