"""Names and numbers as the Practise pages (scenarios, channel plan) show them: the
characteristics and channels in the page's language, Reactance with its direction beside it,
and numbers written as that language writes them (3,5 in Dutch), in tables and in charts."""

from __future__ import annotations

from ..alliance import BY_ID, CHANNELS
from ..i18n import _, active
from .common import decimal


def name(cid: str) -> str:
    """A characteristic's name in the page's language (its id stays the same)."""
    return _(BY_ID[cid].name)


def direction(cid: str) -> str:
    return _(BY_ID[cid].direction_label)


def label(cid: str) -> str:
    """The name, with the direction beside it where higher is worse (Reactance)."""
    c = BY_ID[cid]
    return name(cid) if c.higher_is_better else f"{name(cid)} ({direction(cid)})"


def channel_name(channel: str) -> str:
    return _(CHANNELS[channel])


def signed(value: float) -> str:
    """A change with its sign (+0.5, −1.0), its decimal mark as the page's language has it."""
    if not value:
        return "0"
    return ("+" if value > 0 else "−") + decimal(abs(value))


def chart_separators() -> str:
    """Plotly's decimal and thousands marks, as the page's language writes numbers."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(active()) + get_group_symbol(active())
