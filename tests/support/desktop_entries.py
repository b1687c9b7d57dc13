"""Reading a desktop entry back as a Linux desktop reads it (tests of the menu entry)."""

from __future__ import annotations


def keys(text: str) -> dict[str, str]:
    """The entry's keys and values."""
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def unquoted(value: str) -> list[str]:
    """An Exec value as the command it runs, read by the Desktop Entry Specification's
    rules: the string escapes first (a doubled backslash is one), then the arguments, split
    at spaces outside double quotes, where a backslash makes the next character literal;
    a doubled % is one."""
    text = value.replace("\\\\", "\\").replace("%%", "%")
    arguments: list[str] = []
    current: list[str] | None = None
    quoted = escaped = False
    for char in text:
        if escaped:
            current.append(char)  # type: ignore[union-attr]
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
            current = current if current is not None else []
        elif char == " " and not quoted:
            if current is not None:
                arguments.append("".join(current))
            current = None
        else:
            current = (current or []) + [char] if current is None else current + [char]
    if current is not None:
        arguments.append("".join(current))
    return arguments
