"""Issue 27 point 4: counts are worded by ngettext, whose plural rules are the language's
(German has two forms, Spanish three here, others more), never by hand: no "photo(s)",
no English-only helper (wording.counted/plural, which said "1 matches"), no
`'s' if n != 1` in an f-string. Read from the source, so a new hand-made plural fails
here before anyone sees it in another language."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CHECKED = ("attendance_app/gui",)
"""The window's code; the command line's joins when its texts are worded by ngettext
(the terminal's part of issue 27)."""
ENGLISH_ONLY = {"counted", "plural"}


def _sources() -> list[Path]:
    return sorted(path for folder in CHECKED for path in (ROOT / folder).rglob("*.py"))


def _hand_made(tree: ast.AST) -> list[str]:
    """Where `tree` builds a plural by hand: a text with "(s)", a call of an English-only
    helper, or a conditional "s"."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "(s)" in node.value:
            found.append(f"line {node.lineno}: {node.value!r}")
        elif (isinstance(node, ast.ImportFrom) and node.module == "attendance_app.wording"
              and ENGLISH_ONLY & {alias.name for alias in node.names}):
            found.append(f"line {node.lineno}: imports {ENGLISH_ONLY} from wording")
        elif isinstance(node, ast.IfExp) and any(
                isinstance(side, ast.Constant) and side.value in ("s", "es")
                for side in (node.body, node.orelse)):
            found.append(f"line {node.lineno}: a plural 's' by hand")
    return found


def test_the_window_words_no_plural_by_hand() -> None:
    assert _sources(), "nothing read: the paths are wrong"
    found = {str(path.relative_to(ROOT)): _hand_made(ast.parse(path.read_text()))
             for path in _sources()}
    assert {path: where for path, where in found.items() if where} == {}


def test_the_check_sees_each_kind_of_hand_made_plural() -> None:
    source = ('from attendance_app.wording import counted\n'
              'a = f"{n} photo(s)"\n'
              'b = f"{n} arrival{\'s\' if n != 1 else \'\'}"\n'
              'c = ngettext("{count} face", "{count} faces", n)\n')
    assert [line.split(":")[0] for line in _hand_made(ast.parse(source))] == [
        "line 1", "line 2", "line 3"]
