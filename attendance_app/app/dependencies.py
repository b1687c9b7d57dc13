"""The distributions the installed app needs at run time: its requirements, followed.

The third-party notices must name what the app runs on, not whatever else happens to be
installed beside it (pytest, import-linter and the rest of the dev group). So the
closure starts at the `attendance-app` distribution and follows each one's declared
requirements (importlib.metadata), with their environment markers and extras evaluated
for this interpreter. A requirement whose distribution is not installed is left out: the
overrides in pyproject.toml remove some on purpose (TensorFlow for fer, onnxruntime).

The markers are evaluated here, with the standard library, rather than with
`packaging`: that package reaches the app only through matplotlib, which issue 24 takes
away, and the notices are written by the build from the run-time environment.
tests/unit/app/test_dependencies.py checks this evaluator against packaging's on every
marker installed.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass

APP_DISTRIBUTION = "attendance-app"

_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")
_TOKEN = re.compile(r"""\s*(\(|\)|'[^']*'|"[^"]*"|===|==|!=|<=|>=|~=|<|>|not\s+in\b|in\b|and\b|or\b|[A-Za-z_][A-Za-z0-9_.]*)""")
_RELEASE = re.compile(r"\d+(\.\d+)*")
_OPERATORS = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


def normalise(name: str) -> str:
    """A distribution or extra name as PEP 503 / PEP 685 compare them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def environment(extra: str = "") -> dict[str, str]:
    """The marker variables of PEP 508 for this interpreter, with `extra` set."""
    implementation = sys.implementation
    version = implementation.version
    implementation_version = f"{version.major}.{version.minor}.{version.micro}"
    if version.releaselevel != "final":
        implementation_version += version.releaselevel[0] + str(version.serial)
    return {
        "os_name": os.name, "sys_platform": sys.platform,
        "platform_machine": platform.machine(), "platform_release": platform.release(),
        "platform_system": platform.system(), "platform_version": platform.version(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "python_full_version": platform.python_version(),
        "platform_python_implementation": platform.python_implementation(),
        "implementation_name": implementation.name,
        "implementation_version": implementation_version, "extra": extra,
    }


def _release(text: str) -> tuple[int, ...] | None:
    """The numbers of a plain release version ("3.11", "3.11.4"), or None for anything else."""
    return tuple(int(part) for part in text.split(".")) if _RELEASE.fullmatch(text) else None


def _compare(left: str, op: str, right: str) -> bool:
    """One marker comparison: release versions by number (PEP 440's zero padding), other
    values as strings, as packaging falls back to when a side is no version."""
    if op == "in":
        return left in right
    if op == "not in":
        return left not in right
    if op == "===":
        return left == right
    a, b = _release(left), _release(right)
    if a is not None and b is not None:
        width = max(len(a), len(b))
        a, b = a + (0,) * (width - len(a)), b + (0,) * (width - len(b))
        if op == "~=":
            prefix = len(_release(right) or ()) - 1
            return a >= b and a[:prefix] == b[:prefix]
        return _OPERATORS[op](a, b)
    if op == "~=":
        raise ValueError(f"~= needs versions: {left!r} ~= {right!r}")
    return _OPERATORS[op](left, right)


class _Marker:
    """A recursive-descent reading of one PEP 508 marker against an environment."""

    def __init__(self, text: str, env: dict[str, str]) -> None:
        self.tokens = self._tokenise(text)
        self.env = env
        self.at = 0

    @staticmethod
    def _tokenise(text: str) -> list[str]:
        tokens, at = [], 0
        while text[at:].strip():
            match = _TOKEN.match(text, at)
            if match is None:
                raise ValueError(f"cannot read marker {text!r} at {at}")
            tokens.append(re.sub(r"\s+", " ", match.group(1)))
            at = match.end()
        return tokens

    def _next(self) -> str:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def _peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _value(self) -> tuple[str, bool]:
        """A value and whether it is the `extra` variable (compared by normalised name)."""
        token = self._next()
        if token[0] in "'\"":
            return token[1:-1], False
        if token not in self.env:
            raise ValueError(f"unknown marker variable {token!r}")
        return self.env[token], token == "extra"

    def _atom(self) -> bool:
        if self._peek() == "(":
            self._next()
            result = self.expression()
            if self._next() != ")":
                raise ValueError("unbalanced parenthesis in marker")
            return result
        (left, left_extra), op, (right, right_extra) = self._value(), self._next(), self._value()
        if left_extra or right_extra:
            left, right = normalise(left), normalise(right)
        return _compare(left, op, right)

    def _conjunction(self) -> bool:
        result = self._atom()
        while self._peek() == "and":
            self._next()
            result = self._atom() and result
        return result

    def expression(self) -> bool:
        result = self._conjunction()
        while self._peek() == "or":
            self._next()
            result = self._conjunction() or result
        return result


def marker_holds(marker: str, env: dict[str, str]) -> bool:
    """Whether a PEP 508 marker ("python_version < '3.13' and extra == 'x'") holds in `env`."""
    reading = _Marker(marker, env)
    result = reading.expression()
    if reading.at != len(reading.tokens):
        raise ValueError(f"cannot read the end of marker {marker!r}")
    return result


@dataclass(frozen=True)
class Requirement:
    """One line of a distribution's Requires-Dist: the name, its extras, its marker."""

    name: str
    extras: frozenset[str]
    marker: str


def parse_requirement(line: str) -> Requirement:
    """The name, extras and marker of a Requires-Dist line (the version is not needed:
    what is installed is what the notices describe)."""
    requirement, _, marker = line.partition(";")
    match = _NAME.match(requirement)
    if match is None:
        raise ValueError(f"cannot read requirement {line!r}")
    extras = frozenset(normalise(extra) for extra in (match.group(2) or "").split(",")
                       if extra.strip())
    return Requirement(normalise(match.group(1)), extras, marker.strip())


def _needed(requirement: Requirement, extras: frozenset[str]) -> bool:
    """Whether a requirement applies when its distribution is installed with `extras`."""
    if not requirement.marker:
        return True
    return any(marker_holds(requirement.marker, environment(extra))
               for extra in ("", *sorted(extras)))


def run_time_closure(root: str = APP_DISTRIBUTION) -> list[importlib.metadata.Distribution]:
    """Every installed distribution `root` needs at run time, `root` left out, sorted by
    name; PackageNotFoundError when `root` itself is not installed."""
    found: dict[str, importlib.metadata.Distribution] = {}
    extras_of: dict[str, frozenset[str]] = {}
    pending = [(normalise(root), frozenset[str]())]
    while pending:
        name, extras = pending.pop()
        known = extras_of.get(name)
        if known is not None and extras <= known:
            continue
        try:
            distribution = found.get(name) or importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            if name == normalise(root):
                raise
            continue
        found[name] = distribution
        extras_of[name] = extras | (known or frozenset())
        pending.extend((requirement.name, requirement.extras)
                       for requirement in _requirements(distribution)
                       if _needed(requirement, extras_of[name]))
    del found[normalise(root)]
    return sorted(found.values(), key=lambda distribution: normalise(distribution.metadata["Name"]))


def _requirements(distribution: importlib.metadata.Distribution) -> Iterator[Requirement]:
    for line in distribution.requires or ():
        yield parse_requirement(line)
