"""The shared vocabulary of the kit: the four characteristics, channels and phases.

Every content file, store table and search facet uses these ids, so that a quiz item, a
scenario, a journal entry and a resource about "trust by phone at intake" can find each other.
"""

from __future__ import annotations

from typing import Literal, NamedTuple


class Characteristic(NamedTuple):
    """One characteristic. A NamedTuple rather than a dataclass: the autograder's checks
    import this module in every graded notebook, and ``dataclasses`` pulls in ``inspect``."""

    id: str
    name: str
    dutch: str
    colour: str
    higher_is_better: bool
    one_line: str

    @property
    def direction_label(self) -> str:
        """Words shown beside every Reactance number so its direction is never misread."""
        if self.higher_is_better:
            return "higher = stronger alliance"
        return "higher = more friction, which is worse"

    @property
    def label(self) -> str:
        """The name, with the direction beside it where higher is worse."""
        return self.name if self.higher_is_better else f"{self.name} ({self.direction_label})"

    def change_words(self, before: float, after: float) -> str:
        """How a change reads for this characteristic: "rose, worse" for a rising Reactance,
        "fell, worse" for a falling Trust. Every sentence or table cell that words a change
        goes through here, so a rise in friction is never called a drop."""
        if after == before:
            return "no change"
        rose = after > before
        better = rose == self.higher_is_better
        return f"{'rose' if rose else 'fell'}, {'better' if better else 'worse'}"


CHARACTERISTICS: tuple[Characteristic, ...] = (
    Characteristic(
        "goals-and-conditions",
        "Goals and Conditions",
        "richting en kader",
        "#1f77b4",
        True,
        "The mandate, the conditions and the goals are clear, and both agree enough on the way.",
    ),
    Characteristic(
        "trust",
        "Trust",
        "vertrouwen",
        "#2a9d8f",
        True,
        "Each trusts the other's intentions; the client can speak openly.",
    ),
    Characteristic(
        "bond",
        "Bond",
        "binding",
        "#e9a23b",
        True,
        "The client feels respected, supported and encouraged.",
    ),
    Characteristic(
        "reactance",
        "Reactance",
        "stroefheid",
        "#c0392b",
        False,
        "Friction on either side: resistance, dishonesty, lost energy or over-control.",
    ),
)

CHARACTERISTIC_IDS: tuple[str, ...] = tuple(c.id for c in CHARACTERISTICS)
BY_ID: dict[str, Characteristic] = {c.id: c for c in CHARACTERISTICS}
#: Each characteristic's name by id, for facets, tables and reports.
CHARACTERISTIC_NAMES: dict[str, str] = {c.id: c.name for c in CHARACTERISTICS}

CHANNELS: dict[str, str] = {
    "face-to-face": "Face-to-face",
    "phone": "Phone",
    "video": "Video",
    "messaging": "Messaging",
}
SESSION_CHANNELS: dict[str, str] = {**CHANNELS, "mixed": "Mixed"}
CHANNEL_IDS: tuple[str, ...] = tuple(CHANNELS)
SESSION_CHANNEL_IDS: tuple[str, ...] = tuple(SESSION_CHANNELS)
#: The one channel where officer and client share a room; every other channel is remote.
IN_PERSON = "face-to-face"
REMOTE_CHANNELS: tuple[str, ...] = tuple(c for c in CHANNEL_IDS if c != IN_PERSON)

PHASES: dict[str, str] = {
    "intake": "Intake",
    "early": "Early supervision",
    "established": "Established supervision",
    "closing": "Closing",
}
PHASE_IDS: tuple[str, ...] = tuple(PHASES)

# The ids as types for content declarations: a declared field of one of these types accepts
# exactly these ids, and the JSON Schema shipped for editors lists them, so no content kind
# keeps its own copy of the vocabulary.
CharacteristicId = Literal[CHARACTERISTIC_IDS]  # type: ignore[valid-type]
ChannelId = Literal[CHANNEL_IDS]  # type: ignore[valid-type]
SessionChannelId = Literal[SESSION_CHANNEL_IDS]  # type: ignore[valid-type]
PhaseId = Literal[PHASE_IDS]  # type: ignore[valid-type]


def characteristic(cid: str) -> Characteristic:
    """Look up a characteristic, with a message that lists the valid ids."""
    try:
        return BY_ID[cid]
    except KeyError:
        valid = ", ".join(CHARACTERISTIC_IDS)
        raise KeyError(f"unknown characteristic {cid!r}; expected one of: {valid}") from None
