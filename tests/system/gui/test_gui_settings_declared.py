"""The Settings dialog takes its labels, tooltips, bounds and choices from the settings'
declarations (attendance_app.config.declarations), driven as a user would, offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

from PySide6.QtWidgets import QFormLayout, QLabel

from attendance_app.config.declarations import declared
from attendance_app.config.settings import AppConfig, load_config
from attendance_app.gui.settings_dialog import SettingsDialog


def _labels(dialog: SettingsDialog) -> dict[str, QLabel]:
    """Form label text -> its label, as the user reads them."""
    form = dialog.findChild(QFormLayout)
    labels = {}
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        if item is not None and isinstance(item.widget(), QLabel) and item.widget().text():
            labels[item.widget().text()] = item.widget()
    return labels


def test_labels_tooltips_bounds_and_choices_are_the_declared_ones(qtbot, tmp_path: Path) -> None:
    dialog = SettingsDialog(AppConfig(), tmp_path / "config.yaml", tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    labels = _labels(dialog)
    for section, key in (("camera", "source"), ("camera", "name"), ("recognition", "engine"),
                         ("recognition", "votes_needed"), ("attendance", "cooldown_minutes"),
                         ("attendance", "workbook"), ("detection", "model"),
                         ("liveness", "mode"), ("unknowns", "keep_days"),
                         ("analytics", "emotion"), ("recognition", "sface_tolerance")):
        declaration = declared(section, key)
        label = labels[f"{declaration.label}:"]
        assert label.toolTip() == declaration.tooltip()

    for box, section, key in ((dialog.votes, "recognition", "votes_needed"),
                              (dialog.cooldown, "attendance", "cooldown_minutes"),
                              (dialog.keep_unknowns, "unknowns", "keep_days"),
                              (dialog.tolerance, "recognition", "sface_tolerance")):
        declaration = declared(section, key)
        assert (box.minimum(), box.maximum()) == (declaration.low, declaration.high)
        assert box.toolTip() == declaration.tooltip()
        assert declaration.unit in box.toolTip()
    assert "0.2 to 0.9 SFace distance" in dialog.tolerance.toolTip()

    for box, section, key in ((dialog.engine, "recognition", "engine"),
                              (dialog.detector, "detection", "model"),
                              (dialog.liveness, "liveness", "mode")):
        offered = tuple(box.itemData(index) for index in range(box.count()))
        assert sorted(offered) == sorted(declared(section, key).choices or ())


def test_the_tolerance_box_follows_the_engine_and_stops_at_its_declared_bound(
        qtbot, tmp_path: Path) -> None:
    """A user picks dlib, types a tolerance above dlib's bound (it stops at 0.8, the
    declared high), saves, and the file holds what the loader accepts."""
    path = tmp_path / "config.yaml"
    dialog = SettingsDialog(AppConfig(), path, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.engine.setCurrentIndex(dialog.engine.findData("dlib"))
    dlib = declared("recognition", "tolerance")
    assert dialog.tolerance.maximum() == dlib.high and dialog.tolerance.toolTip() == dlib.tooltip()
    assert _labels(dialog)[f"{dlib.label}:"] is dialog.tolerance_label
    assert dialog.tolerance.value() == dlib.default

    dialog.tolerance.selectAll()
    qtbot.keyClicks(dialog.tolerance, "0.85")
    dialog.tolerance.interpretText()
    assert dialog.tolerance.value() <= dlib.high, "the box refuses a value past the bound"
    dialog.tolerance.setValue(0.5)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.error.text()
    saved = load_config(path).recognition
    assert (saved.engine, saved.tolerance, saved.sface_tolerance) == ("dlib", 0.5, 0.575)
