"""argparse's own words ("usage:", "options", "the following arguments are required")
in the user's language.

argparse looks its texts up with gettext at the moment it writes them (through its
module's `_` and `ngettext`); use() points those at the app's catalogs, and the texts
below are marked so that packaging/translations.py extracts them into the `terminal`
catalog. Only the texts a user can meet with this app's parser are listed: the others
report mistakes in a parser's definition, or belong to options it does not use (nargs=N,
FileType).
"""

from __future__ import annotations

import argparse

from attendance_app import i18n
from attendance_app.i18n import N_

TEXTS = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ignored explicit argument %r"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)
"""argparse's texts a user can meet, exactly as argparse spells them (its msgids)."""

def use() -> None:
    """Make argparse write its words through the app's catalogs from now on."""
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
