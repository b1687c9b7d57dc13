"""A line in the main window's status bar after each change a user makes, as desktop
programs confirm a save (issue 27 point 4): a person deleted or renamed, a group
created, renamed or deleted, its hours or a person's groups saved. The dialogs call
`confirm` with the sentence; they need not know the window, which is found from them."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QWidget

SHOWN_MS = 8000  # as long as the window's other confirmations (enrolled, voided…)


def confirm(widget: QWidget, text: str) -> bool:
    """Show `text` in the status bar of the main window `widget` belongs to (through its
    parents: a dialog's window is the dialog); False when it has none (a dialog opened
    alone, as in a test)."""
    parent: QWidget | None = widget
    while parent is not None and not isinstance(parent, QMainWindow):
        parent = parent.parentWidget()
    if parent is None:
        return False
    parent.statusBar().showMessage(text, SHOWN_MS)
    return True
