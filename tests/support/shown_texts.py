"""Every text a user reads (or hears from a screen reader) on a window and its children:
for the tests that check the window speaks the user's language (issue 27 point 3).

    untranslated(shown_texts(window), data=[...])  # tests.support.translations

Qt's standard dialog buttons (OK, Cancel, Save) are left out: they are Qt's own words,
translated by Qt's catalogs, and are checked apart.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
from collections.abc import Iterator

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMenuBar,
    QProgressBar,
    QSpinBox,
    QStatusBar,
    QTabWidget,
    QToolBar,
    QWidget,
)


def plain(text: str) -> str:
    """A label's text as read: rich-text tags and entities out, mnemonics' & out."""
    return re.sub(r"&[a-z]+;|&#\d+;", " ", re.sub(r"<[^>]+>", " ", text)).replace("&", "")


def _standard(button: QAbstractButton) -> bool:
    """Whether `button` is one of Qt's standard dialog buttons (Qt translates those)."""
    box = button.parent()
    return isinstance(box, QDialogButtonBox) and \
        box.standardButton(button) != QDialogButtonBox.StandardButton.NoButton


def _combo_texts(box: QComboBox) -> Iterator[str]:
    yield from (box.itemText(index) for index in range(box.count()))


def _headers(model: QAbstractItemModel) -> Iterator[str]:
    """A view's column and row headings (a list view's rows are read by _rows)."""
    horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
    rows, columns = model.rowCount(QModelIndex()), model.columnCount(QModelIndex())
    yield from (str(model.headerData(column, horizontal) or "") for column in range(columns))
    if rows and not isinstance(model.headerData(0, vertical), int):
        yield from (str(model.headerData(row, vertical) or "") for row in range(rows))


def _rows(view: QListView) -> Iterator[str]:
    """A list view's rows, in the column it shows (a list model has no other)."""
    model = view.model()
    for row in range(model.rowCount(QModelIndex())):
        yield str(model.index(row, view.modelColumn()).data() or "")


def _actions(widget: QWidget) -> Iterator[str]:
    """The texts and tooltips of the actions of a menu bar, menu or toolbar."""
    for action in widget.actions():
        yield plain(action.text())
        yield action.toolTip()


def shown_texts(top: QWidget) -> list[str]:
    """Every text a user reads on `top` and its children: window titles, labels, buttons,
    tooltips, accessible names and descriptions, placeholders, group boxes, headers, list
    and table rows, combo items, tabs, menus, toolbars and the status bar's message."""
    texts: list[str] = [top.windowTitle()]
    for widget in [top, *top.findChildren(QWidget)]:
        texts += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
        if widget.isWindow():
            texts.append(widget.windowTitle())
        if isinstance(widget, QLabel):
            texts.append(plain(widget.text()))
        elif isinstance(widget, QAbstractButton) and not _standard(widget):
            texts.append(plain(widget.text()))
        elif isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QComboBox) and not widget.isEditable():
            texts.extend(_combo_texts(widget))
        elif isinstance(widget, QListView):
            texts.extend(_rows(widget))
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts.extend(_headers(widget.model()))
        elif isinstance(widget, QTabWidget):
            texts.extend(widget.tabText(index) for index in range(widget.count()))
        elif isinstance(widget, QProgressBar):
            texts.append(widget.format())
        elif isinstance(widget, QMenu):
            texts.append(plain(widget.title()))
            texts.extend(_actions(widget))
        elif isinstance(widget, QMenuBar | QToolBar):
            texts.extend(_actions(widget))
        elif isinstance(widget, QStatusBar):
            texts.append(widget.currentMessage())
        if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
            texts += [widget.suffix(), widget.specialValueText()]
        elif isinstance(widget, QAbstractSpinBox):
            pass  # a date box shows a date: data, checked by its format
    return [text for text in texts if text]
