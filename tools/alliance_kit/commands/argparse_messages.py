"""argparse's own words (``usage:``, ``options``, its error sentences) in the kit's language.

argparse translates them through gettext's ``argparse`` domain, for which Python ships no
catalogue, so a Dutch ``--help`` would mix Dutch help texts with English headings. Its strings
are marked here, so they sit in the kit's catalogue next to the rest of the command line, and
argparse is pointed at that catalogue.
"""

from __future__ import annotations

import argparse

from .. import i18n
from ..i18n import N_

#: The texts of argparse (Python 3.11) that users of ``alliance-kit`` can meet.
MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("one of the arguments %s is required"),
)


def translate() -> None:
    """Let argparse's messages come from the kit's catalogue in the active language.

    argparse looks its ``_`` and ``ngettext`` up when it formats a message, so replacing them
    on the module is enough; the kit's own gettext falls back to the English it is given.
    """
    argparse._ = i18n.gettext  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
