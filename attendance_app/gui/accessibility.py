"""Names for screen readers by the generic means first (issue 27 point 5): a form's
label becomes its field's buddy, which gives the field its accessible name (and the
label's mnemonic). QFormLayout does that only for rows added with a text; rows added
with a QLabel, or with a field inside a row of widgets, get it here. Controls that
nothing names (lists, tables, the video) are named where they are made."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLayoutItem, QPushButton, QWidget


def label_fields(form: QFormLayout) -> None:
    """Make each row's QLabel the buddy of the first control of its field (the line edit
    of "[path] [Browse…]"), unless it already has one."""
    for row in range(form.rowCount()):
        label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        if label_item is None or field_item is None:
            continue
        label = label_item.widget()
        if not isinstance(label, QLabel) or label.buddy() is not None or not label.text():
            continue
        field = first_control(field_item)
        if field is not None:
            label.setBuddy(field)


def first_control(item: QLayoutItem) -> QWidget | None:
    """The first widget of `item` (a widget or a layout of them) that takes the focus."""
    widget = item.widget()
    if widget is not None:
        return widget if widget.focusPolicy() != Qt.FocusPolicy.NoFocus else None
    layout = item.layout()
    if layout is None:
        return None
    for index in range(layout.count()):
        found = first_control(layout.itemAt(index))
        if found is not None:
            return found
    return None



def tab_down_the_form(form: QFormLayout, buttons: QWidget) -> None:
    """Open with the focus on `form`'s first field and Tab through its fields row by row,
    then the push buttons of `buttons` (a button box) left to right: a dialog whose
    fields are made after its buttons otherwise opened with the focus on Cancel."""
    fields = [first_control(form.itemAt(row, QFormLayout.ItemRole.FieldRole))
              for row in range(form.rowCount())
              if form.itemAt(row, QFormLayout.ItemRole.FieldRole) is not None]
    shown = sorted(buttons.findChildren(QPushButton), key=lambda button: button.x())
    order = [widget for widget in (*fields, *shown) if widget is not None]
    for previous, following in zip(order, order[1:]):
        QWidget.setTabOrder(previous, following)
    if order:
        order[0].setFocus()  # the window's focus when it is shown
