"""What the channel-plan model knows about a client: levels only, no identifying detail.

Apart from the simulation, and free of numpy, so that the page's profile controls are built
without loading what only a run of the model needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_

LEVELS: dict[str, float] = {"low": 0.0, "medium": 0.5, "high": 1.0}
COMPLEX_NEEDS: dict[str, str] = {
    "none": N_("None"),
    "mental-health": N_("Mental-health needs"),
    "substance-use": N_("Substance use"),
    "both": N_("Mental health and substance use"),
}
DIGITAL_ACCESS: dict[str, str] = {
    "good": N_("Good (own device, data, a private space)"),
    "limited": N_("Limited (no private space or no data for video)"),
    "none": N_("None (no usable device)"),
}


@dataclass(frozen=True)
class Profile:
    """What the model knows about the client; no identifying detail, only levels."""

    risk: str = "medium"
    complex_needs: str = "none"
    domestic_abuse: bool = False
    childcare: bool = False
    digital_access: str = "good"
    motivation: str = "medium"

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("risk", self.risk, LEVELS),
            ("motivation", self.motivation, LEVELS),
            ("complex_needs", self.complex_needs, COMPLEX_NEEDS),
            ("digital_access", self.digital_access, DIGITAL_ACCESS),
        ):
            if value not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
