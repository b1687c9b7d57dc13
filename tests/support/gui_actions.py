"""What a user does in the real window, step by step through its own widgets, for the GUI
tests that need the same steps (pytest-qt's qtbot clicks and types)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from attendance_app.gui.main_window import MainWindow


def void_selected(qtbot, window: MainWindow, reason: str) -> None:  # noqa: ANN001 - qtbot
    """Void the row selected in today's list: "Void row…", type why, "Void row"."""
    panel = window.panel
    assert panel.void_button.isEnabled()
    qtbot.mouseClick(panel.void_button, Qt.MouseButton.LeftButton)
    dialog = panel.void_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.void_button.isEnabled(), "no void without a reason"
    qtbot.keyClicks(dialog.reason_edit, reason)
    qtbot.mouseClick(dialog.void_button, Qt.MouseButton.LeftButton)
