"""Answering the app's real message boxes in pytest-qt tests, without blocking them: a
timer clicks the chosen button once the box is up, as a person would."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

WAIT_MS = 10
"""How often to look for the box while it is not up yet."""
TRIES = 1000
"""How many looks (10 s at WAIT_MS) before giving up: a box that never opens then fails
the test's own assertion on the texts, instead of a timer running on for good."""


def answering(button: QMessageBox.StandardButton) -> list[str]:
    """Click `button` on the next message box that opens (a question's Yes or No, an
    information's Ok); its text is appended to the list returned. Call it before the
    action that opens the box, since the box's own event loop blocks until answered."""
    asked: list[str] = []

    def answer(tries: int = TRIES) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.button(button) is not None:
            asked.append(box.text())
            box.button(button).click()
        elif tries:
            QTimer.singleShot(WAIT_MS, lambda: answer(tries - 1))
    QTimer.singleShot(0, answer)
    return asked
