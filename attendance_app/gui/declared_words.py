"""A setting's label and tooltip in the user's language, for the Settings dialog.

The declarations (attendance_app.config.declarations) keep their words in English, marked
for the app catalog; they are translated here, when a dialog shows them, so a change of
language never needs the declarations rebuilt. The tooltip's bounds ("0.2 to 0.8 minutes")
are put together from the declared numbers with a translated pattern.
"""

from __future__ import annotations

from attendance_app.config.declarations import declared, number_text
from attendance_app.i18n import _


def label_text(section: str, key: str) -> str:
    """The setting's short name as a form row shows it, with its colon: "Tolerance:"."""
    return _("{label}:").format(label=_(declared(section, key).label))


def tooltip_text(section: str, key: str) -> str:
    """What the setting does, then its bounds and unit when it is a number."""
    declaration = declared(section, key)
    description = _(declaration.description)
    if declaration.choices or declaration.low is None or declaration.high is None:
        return description
    bounds = _("{low} to {high}").format(low=number_text(declaration.low),
                                         high=number_text(declaration.high))
    if declaration.unit:
        bounds = _("{bounds} {unit}").format(bounds=bounds, unit=_(declaration.unit))
    return f"{description} ({bounds})"
