"""No function of the app both translates with _() and binds `_` itself (`head, _, tail =
text.partition(":")`): Python makes `_` local to the whole function, so its _("...")
calls fail (UnboundLocalError, or a string called) only when that line runs, often an
error path no test takes. Two such functions were found when the texts were wrapped."""

from __future__ import annotations

import ast
from pathlib import Path

import attendance_app


def _shadowing(source: str) -> list[str]:
    """The functions of `source` that call _() and assign `_` in their own scope."""
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        inner = {id(node) for child in ast.walk(function)
                 if isinstance(child, (ast.ListComp, ast.SetComp, ast.DictComp,
                                       ast.GeneratorExp, ast.Lambda))
                 for node in ast.walk(child)}
        nodes = [node for node in ast.walk(function) if id(node) not in inner]
        binds = any(isinstance(node, ast.Name) and node.id == "_"
                    and isinstance(node.ctx, ast.Store) for node in nodes)
        calls = any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "_" for node in nodes)
        if binds and calls:
            found.append(f"{function.name} (line {function.lineno})")
    return found


def test_the_check_finds_a_shadowing_function() -> None:
    source = 'def f(t):\n    a, _, b = t.partition(":")\n    return _("x")\n'
    assert _shadowing(source) == ["f (line 1)"]


def test_no_function_of_the_app_shadows_the_translation_function() -> None:
    package = Path(attendance_app.__file__).parent
    found = [f"{path.relative_to(package)}: {name}" for path in sorted(package.rglob("*.py"))
             for name in _shadowing(path.read_text(encoding="utf-8"))]
    assert not found, "\n".join(found)
