"""The About box: the app's version, the licences of its model files and main libraries
in two short tables, and the full third-party notices a click away.

Both tables and the full text come from one notices text (attendance_app/app/third_party:
the file shipped in a bundle, else written from the installed metadata), so what the box
says and what the notices say cannot differ.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from attendance_app.app.third_party import MODELS, libraries, notices_text
from attendance_app.app.version import app_version
from attendance_app.i18n import N_, _

MAIN_LIBRARIES = (
    (N_("Qt for Python (PySide6) and Qt"), "pyside6-essentials"),
    ("OpenCV", "opencv-python-headless"),
    ("dlib", "dlib-bin"),
    ("LiteRT", "ai-edge-litert"),
    ("NumPy", "numpy"),
    ("SciPy", "scipy"),
    ("FilterPy", "filterpy"),
    ("openpyxl", "openpyxl"),
    ("Pillow", "pillow"),
    ("psycopg", "psycopg"),
)
"""The libraries the About box names (label, distribution); the notices name them all."""


def _table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> QTableWidget:
    """A read-only table sized to its rows; `headers` are marked with N_ and shown translated."""
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels([_(header) for header in headers])
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            table.setItem(row, column, QTableWidgetItem(value))
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # the first column takes the room left and wraps, so every licence stays in view
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(True)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class NoticesDialog(QDialog):
    """The full third-party notices, read-only, to read or copy."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Third-party notices"))
        self.resize(760, 600)
        self.text = QPlainTextEdit(text)
        self.text.setAccessibleName(_("Third-party notices"))
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)


class AboutDialog(QDialog):
    """Version, the model files' and main libraries' licences, and the notices button."""

    def __init__(self, parent: QWidget | None = None, notices: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About Attendance"))
        self.resize(640, 620)
        self._notices = notices_text() if notices is None else notices
        self.title = QLabel("<h2>{title}</h2>{text}".format(
            title=_("Attendance {version}").format(version=app_version()),
            text=_("Recognises enrolled people at a door camera and logs their arrival "
                   "to Excel.")))
        self.title.setWordWrap(True)
        self.models = _table((N_("Model"), N_("Licence")),
                             [(_(model.purpose), _(model.licence)) for model in MODELS])
        listed = libraries(self._notices)
        self.libraries = _table((N_("Library"), N_("Version"), N_("Licence")), [
            (_(label), *listed[name]) for label, name in MAIN_LIBRARIES if name in listed])
        self.models.setAccessibleName(_("Models and their licences"))
        self.libraries.setAccessibleName(_("Libraries and their licences"))
        self.notices_button = QPushButton(_("Third-party notices…"))
        self.notices_button.clicked.connect(self.show_notices)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.notices_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(QLabel(_("Model files")))
        layout.addWidget(self.models)
        layout.addWidget(QLabel(_("Main libraries (every one, with its licence text, is "
                                  "in the third-party notices)")))
        layout.addWidget(self.libraries)
        layout.addWidget(buttons)
        self.notices_dialog: NoticesDialog | None = None

    def show_notices(self) -> None:
        """The full notices in their own window, beside this box."""
        if self.notices_dialog is None:
            self.notices_dialog = NoticesDialog(self._notices, self)
        self.notices_dialog.show()
        self.notices_dialog.raise_()
