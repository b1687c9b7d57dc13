"""The third-party notices: the model files and the libraries the app ships, with their
licences and licence texts, as one plain-text file.

Downloading the app means receiving copies of PySide6 and Qt (LGPL-3.0), OpenCV
(Apache-2.0), dlib (Boost) and some forty more packages, and of the model files, whose
licences ask that their notices travel with them. The packaging build writes the file
with `python -m attendance_app.app.third_party OUTFILE` and ships it in the bundle; the
About box shows it (`notices_text`: the shipped file when frozen, else written from the
installed metadata, so a checkout shows the same).

The models are listed from the `ModelFile`s of attendance_app/faces, with the licences
README.md's "Model files" table gives; the distributions are the run-time closure of
`attendance-app` (attendance_app/app/dependencies.py), each with its version, licence
and every licence file in its metadata folder.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from attendance_app.app.dependencies import normalise, run_time_closure
from attendance_app.app.version import app_version
from attendance_app.faces import age_gender, dlib_models, expression, models

NOTICES_FILE = "THIRD-PARTY-NOTICES.txt"
"""The file's name in the bundle's data folder (sys._MEIPASS), where the build puts it."""

RULE = "=" * 72

OPENCV_ZOO = "OpenCV Zoo, https://github.com/opencv/opencv_zoo"
DLIB_MODELS = "Davis King, https://github.com/davisking/dlib-models"
CYDRAL = "Cydral, published in dlib-models, https://github.com/davisking/dlib-models"


@dataclass(frozen=True)
class Model:
    """One model the app can load: what it is, the file, the package that carries it,
    its licence and where it comes from."""

    purpose: str
    file: str
    carrier: str
    licence: str
    source: str


MODELS = (
    Model("YuNet face detector", models.YUNET.name, models.YUNET.package, "MIT", OPENCV_ZOO),
    Model("SFace face encoder", models.SFACE.name, models.SFACE.package, "Apache-2.0",
          OPENCV_ZOO),
    Model("dlib's HOG face detector", "(inside dlib)", "dlib-bin", "BSL-1.0 (Boost)",
          "dlib, http://dlib.net"),
    Model("dlib's 5-point face landmarks", dlib_models.FIVE_POINT.name, dlib_models.PACKAGE,
          "public domain", DLIB_MODELS),
    Model("dlib's CNN face detector", dlib_models.CNN_DETECTOR.name, dlib_models.PACKAGE,
          "public domain", DLIB_MODELS),
    Model("dlib's ResNet face encoder", dlib_models.ENCODER.name, dlib_models.PACKAGE,
          "public domain", DLIB_MODELS),
    Model("dlib's 68-point face landmarks (only with recognition.landmarks: large; "
          "never in the downloaded app)",
          dlib_models.SIXTY_EIGHT_POINT.name, dlib_models.PACKAGE,
          "non-commercial (trained on iBUG 300-W)", DLIB_MODELS),
    Model("FER2013 expression classifier", expression.MODEL.name, expression.MODEL.package,
          "MIT", "the fer package, https://github.com/justinshenk/fer"),
    Model("age estimator", age_gender.AGE_MODEL.name, age_gender.CARRIER, "CC0-1.0", CYDRAL),
    Model("gender classifier", age_gender.GENDER_MODEL.name, age_gender.CARRIER, "CC0-1.0",
          CYDRAL),
)

QT_NOTE = (
    "PySide6 and the Qt 6 libraries it carries (The Qt Company Ltd. and other contributors) "
    "are used under the GNU LGPL version 3, whose text follows with the GNU GPL version 3 "
    "it supplements. The Qt libraries lie as separate files in the app's folder, so they "
    "can be replaced by a modified build. Source: https://code.qt.io/ . Qt contains "
    "third-party code, listed with its licences at "
    "https://doc.qt.io/qt-6/licenses-used-in-qt.html ."
)
"""The PySide6 and shiboken6 wheels carry no licence file of their own."""

SHIPPED_TEXTS = {"LGPL-3.0": ("LGPL-3.0.txt", "GPL-3.0.txt"), "Apache": ("Apache-2.0.txt",)}
"""Licence texts kept in attendance_app/app/licence_texts (copies of the FSF's and the
ASF's texts) for distributions whose metadata names such a licence but carries no
licence file (PySide6 and shiboken6: LGPL-3.0; flatbuffers: Apache 2.0)."""

_LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)
_SECTION = re.compile(rf"^{RULE}\n(\S+) (\S+)\nLicence: (.*)$", re.MULTILINE)


def licence_of(distribution: importlib.metadata.Distribution) -> str:
    """The distribution's licence as its metadata states it: License-Expression, else a
    short License field, else the licence classifiers; full texts some put in License
    are left to the licence files."""
    metadata = distribution.metadata
    expression_ = metadata.get("License-Expression")
    if expression_:
        return expression_.strip()
    stated = (metadata.get("License") or "").strip()
    if stated and "\n" not in stated and len(stated) <= 80:
        return stated
    classifiers = [classifier.split(" :: ")[-1] for classifier in metadata.get_all("Classifier") or ()
                   if classifier.startswith("License ::")]
    return " / ".join(classifiers) or "not stated in its metadata (see the texts below)"


def licence_files(distribution: importlib.metadata.Distribution) -> list[tuple[str, str]]:
    """(name, text) of each licence file in the distribution's metadata folder: those under
    licenses/ (PEP 639) and LICENSE*, COPYING*, NOTICE*, AUTHORS* beside METADATA."""
    found = []
    for file in distribution.files or ():
        parts = file.parts
        if not parts or not parts[0].endswith(".dist-info"):
            continue
        if "licenses" in parts[1:-1] or (len(parts) == 2 and _LICENCE_FILE.match(parts[1])):
            text = Path(str(distribution.locate_file(file))).read_text(encoding="utf-8",
                                                                       errors="replace")
            found.append(("/".join(parts[1:]), text))
    return found


def _shipped_texts(licence: str) -> list[tuple[str, str]]:
    """The licence texts kept with the app for a licence named without a file."""
    folder = importlib.resources.files("attendance_app.app").joinpath("licence_texts")
    return [(name, folder.joinpath(name).read_text(encoding="utf-8"))
            for key, names in SHIPPED_TEXTS.items() if key in licence for name in names]


def _distribution_section(distribution: importlib.metadata.Distribution) -> str:
    metadata = distribution.metadata
    name = metadata["Name"]
    licence = licence_of(distribution)
    lines = [RULE, f"{name} {distribution.version}", f"Licence: {licence}"]
    home = metadata.get("Home-page") or next(
        (url.split(",", 1)[1].strip() for url in metadata.get_all("Project-URL") or ()), None)
    if home:
        lines.append(f"Home page: {home}")
    texts = licence_files(distribution)
    if not texts:
        if name.lower().replace("-", "_").startswith(("pyside6", "shiboken6")):
            lines += ["", QT_NOTE]
        texts = _shipped_texts(licence)
    for file_name, text in texts:
        lines += ["", f"----- {file_name} -----", text.rstrip()]
    return "\n".join(lines)


def models_table() -> str:
    """The model files, one block each: what it is, file, carrier package, licence, source."""
    blocks = [f"{model.purpose}\n  file: {model.file}\n  carried by: {model.carrier}\n"
              f"  licence: {model.licence}\n  source: {model.source}" for model in MODELS]
    return "\n\n".join(blocks)


def generate() -> str:
    """The whole notices text, from the installed metadata."""
    distributions = run_time_closure()
    header = (f"Attendance {app_version()}: third-party notices\n\n"
              "This program includes the model files and the software below, each under its "
              "own licence.\n\nMODEL FILES\n\n")
    body = "\n\n".join(_distribution_section(distribution) for distribution in distributions)
    return (f"{header}{models_table()}\n\n\nSOFTWARE ({len(distributions)} packages)\n\n"
            f"{body}\n")


def notices_text() -> str:
    """The text the About box shows: the file shipped in a frozen bundle (PyInstaller's
    data folder, sys._MEIPASS), else generated from the installed metadata."""
    if getattr(sys, "frozen", False):
        path = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / NOTICES_FILE
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            return f"The third-party notices are missing from this copy of the app ({path}: " \
                   f"{error.strerror or error}). They are in the download it came from."
    return generate()


def libraries(text: str) -> dict[str, tuple[str, str]]:
    """{name: (version, licence)} of each distribution listed in a notices text, by its
    normalised name ("pyside6-essentials"): the About box reads its short table from the
    same text it offers in full, so a bundle needs no package metadata for it."""
    return {normalise(match[1]): (match[2], match[3]) for match in _SECTION.finditer(text)}


def main(argv: list[str] | None = None) -> int:
    """Write the notices to the file named on the command line (the packaging build)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m attendance_app.app.third_party OUTFILE", file=sys.stderr)
        return 2
    Path(args[0]).write_text(generate(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
