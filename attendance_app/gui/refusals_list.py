"""The faces refused by the liveness check (liveness.mode) on one day, as a short grey list.

A refusal is no attendance row (attendance_app.recognition.refusal): it is shown apart from
the rows, under them, so it is never taken for an arrival nor counted as one. Each line says
what the command line says (`run --headless`, `journal refusals`): the time, "refused", the
name and what was missing; its tooltip is the command line's whole line. The window shows
today's beside the video, the Reports dialog those of the day chosen.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from attendance_app.i18n import _, dates
from attendance_app.recognition.refusal import Refusal, between

REFUSED_GREY = QColor("#8a8a8a")


def refusal_line(refusal: Refusal) -> str:
    """'08:59:30  refused: Ada Lovelace – no head movement seen'."""
    return _("{time}  refused: {name} – {reason}").format(
        time=dates.time_text(refusal.timestamp, seconds=True), name=refusal.name,
        reason=_(refusal.reason))


class RefusalsList(QWidget):
    """The refusals of `day`, newest on top, under a title that counts them. `today`: the
    day follows the refusals as they come (a refusal of a new day starts a fresh list),
    and the list hides while it is empty, as the window's panel wants."""

    def __init__(self, today: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.day = date.today()
        self.title = QLabel()
        self.title.setToolTip(_("Recognised faces that left without passing the liveness "
                                "check: they got no attendance row"))
        self.list = QListWidget()
        self.list.setMaximumHeight(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        self._update()

    def load(self, refusals: Iterable[Refusal], day: date) -> None:
        """Show the refusals of `day` among `refusals` (any days, any order)."""
        self.day = day
        self.list.clear()
        for refusal in between(refusals, day, day):
            self._put(refusal)
        self._update()

    def add(self, refusal: Refusal) -> None:
        """A refusal just noted: on top; in a today list, a new day starts afresh."""
        if refusal.timestamp.date() != self.day:
            if not self.today:
                return
            self.day = refusal.timestamp.date()
            self.list.clear()
        self._put(refusal)
        self._update()

    def lines(self) -> list[str]:
        """The lines shown, top (newest) first."""
        return [self.list.item(row).text() for row in range(self.list.count())]

    def _put(self, refusal: Refusal) -> None:
        item = QListWidgetItem(refusal_line(refusal))
        item.setForeground(QBrush(REFUSED_GREY))
        item.setToolTip(_("{refusal}\nNo attendance row: not counted").format(
            refusal=refusal.describe()))
        self.list.insertItem(0, item)

    def _update(self) -> None:
        count = self.list.count()
        if self.today:
            text = _("Refused today (no attendance row): {count}")
        else:
            text = _("Refused on {day} (no attendance row): {count}")
        self.title.setText(text.format(day=dates.weekday_and_day_text(self.day),
                                       count=count or _("none")))
        self.list.setVisible(count > 0)
        if self.today:
            self.setVisible(count > 0)
