"""Every link in README and docs/, and every place a message cites, must exist.

README became a short user's page and the rest moved to docs/ (issue 21). A moved or
renamed heading would leave links and messages ("see docs/troubleshooting.md, \"Workbook
locked\"") pointing nowhere, which nobody notices until a user follows one. Each link,
each citation in the source and each module path named in docs/ is one test case, so a
broken one is named in the failure.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
README_MOST_LINES = 250
"""Issue 21: README is the user's page, at most 250 lines; the rest lives in docs/."""

SOURCE_FOLDERS = ("attendance_app", "enrolment", "exports", "trackers")


FENCE = re.compile(r"^(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"`[^`]*`")
CITATION = re.compile(r"""((?:\.\./)?docs/[\w/.-]+\.md|README\.md)"""
                      r"""(?:,?\s*\\?"([^"\\]+)\\?")?""")
"""A cited file, and the heading after it in quotes (escaped inside a Python string)."""
MODULE_PATH = re.compile(
    r"\b((?:attendance_app|benchmarks|tests|enrolment|exports|trackers)/[\w/]+\.py)\b")


def markdown_files() -> list[Path]:
    """README and every page under docs/."""
    return [README, *sorted((REPO / "docs").rglob("*.md"))]


@cache
def prose_lines(path: Path) -> list[str]:
    """The lines of a markdown file outside fenced code blocks (links there are examples)."""
    lines, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line.strip()):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def heading_texts(path: Path) -> list[str]:
    """Headings as written, with code marks removed: what a message cites."""
    texts = []
    for line in prose_lines(path):
        match = HEADING.match(line)
        if match:
            texts.append(match.group(2).replace("`", ""))
    return texts


def anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    kept = re.sub(r"[^\w\- ]", "", heading.lower())
    return kept.replace(" ", "-")


@cache
def anchors(path: Path) -> set[str]:
    """Every anchor a link may name in a file, duplicates numbered as GitHub numbers them."""
    seen: dict[str, int] = {}
    result = set()
    for heading in heading_texts(path):
        base = anchor(heading)
        count = seen.get(base, 0)
        result.add(base if count == 0 else f"{base}-{count}")
        seen[base] = count + 1
    return result


def link_problem(source: Path, target: str) -> str | None:
    """Why a link from `source` does not resolve, or None when it does."""
    if re.match(r"^[a-z]+:", target):  # http:, https:, mailto: are not checked offline
        return None
    path_part, _, fragment = target.partition("#")
    file = (source.parent / path_part).resolve() if path_part else source
    if not file.exists():
        return f"{file.relative_to(REPO) if file.is_relative_to(REPO) else file} does not exist"
    if fragment and file.suffix == ".md" and fragment not in anchors(file):
        return f"{file.name} has no heading with the anchor #{fragment}"
    return None


def links() -> list[tuple[Path, str]]:
    """(file, target) of every link and image in README and docs/."""
    found = []
    for path in markdown_files():
        for line in prose_lines(path):
            for match in LINK.finditer(CODE_SPAN.sub("", line)):
                found.append((path, match.group(1)))
    return found


def source_files() -> list[Path]:
    """The app's sources and config.yaml: where messages and comments cite the docs."""
    files = [REPO / "config.yaml"]
    for folder in SOURCE_FOLDERS:
        files += sorted((REPO / folder).rglob("*.py"))
    return files


def citations() -> list[tuple[str, str, str | None]]:
    """(where, cited file, cited heading or None) for every citation of README or docs/."""
    found = []
    for path in source_files():
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            where = f"{path.relative_to(REPO)}:{number}"
            for match in CITATION.finditer(line):
                found.append((where, match.group(1).removeprefix("../"), match.group(2)))
    return found


def module_paths() -> list[tuple[Path, str]]:
    """(doc, path) of every module of the project named in README or docs/."""
    return [(path, match.group(1)) for path in markdown_files()
            for match in MODULE_PATH.finditer(path.read_text(encoding="utf-8"))]


def test_readme_is_at_most_250_lines() -> None:
    count = len(README.read_text(encoding="utf-8").splitlines())
    assert count <= README_MOST_LINES, (
        f"README.md has {count} lines, more than {README_MOST_LINES}: move details to docs/")


@pytest.mark.parametrize(("source", "target"), links(),
                         ids=lambda value: value.name if isinstance(value, Path) else value)
def test_link_resolves(source: Path, target: str) -> None:
    problem = link_problem(source, target)
    assert problem is None, f"{source.relative_to(REPO)}: link ({target}): {problem}"


@pytest.mark.parametrize(("where", "cited", "heading"), citations(), ids=str)
def test_cited_file_and_heading_exist(where: str, cited: str, heading: str | None) -> None:
    file = REPO / cited
    assert file.is_file(), f"{where} cites {cited}, which does not exist"
    if heading is not None:
        assert heading in heading_texts(file), (
            f"{where} cites the heading \"{heading}\" of {cited}, which has none such; "
            f"its headings: {heading_texts(file)}")


def test_the_source_cites_the_docs() -> None:
    """The scan finds citations at all: a pattern that silently matched nothing would pass
    every case above."""
    cited = {file for _, file, _ in citations()}
    assert any(file.startswith("docs/") for file in cited), cited


def test_the_source_names_readme_as_a_file() -> None:
    """A bare "see README, Liveness" escapes the citation scan above (and once pointed at
    sections that moved to docs/): README is always cited as README.md."""
    bare = [f"{path.relative_to(REPO)}:{number}: {line.strip()}"
            for path in source_files()
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if re.search(r"README(?!\.md)", line)]
    assert not bare, "cite README as README.md (and a heading in quotes):\n" + "\n".join(bare)


@pytest.mark.parametrize(("doc", "module"), module_paths(),
                         ids=lambda value: value.name if isinstance(value, Path) else value)
def test_module_named_in_docs_exists(doc: Path, module: str) -> None:
    assert (REPO / module).is_file(), (
        f"{doc.relative_to(REPO)} names {module}, which does not exist")


def test_a_broken_link_and_a_missing_anchor_are_found(tmp_path: Path) -> None:
    """The checker itself can fail: a missing file and a missing heading are reported."""
    page = tmp_path / "page.md"
    page.write_text("# Workbook locked\n\n[gone](other.md) [here](#workbook-locked)\n")
    assert link_problem(page, "other.md") is not None
    assert link_problem(page, "#no-such-heading") is not None
    assert link_problem(page, "#workbook-locked") is None
    assert anchor('Correcting a wrong row ("that was not X")') == \
        "correcting-a-wrong-row-that-was-not-x"


@pytest.mark.parametrize("script", sorted(path.stem for path in (REPO / "benchmarks").glob("*.py")
                                          if path.stem != "__init__"))
def test_every_benchmark_has_its_measurements_page(script: str) -> None:
    """docs/measurements/ holds one page per script in benchmarks/, named after it."""
    page = REPO / "docs" / "measurements" / f"{script}.md"
    assert page.is_file(), f"benchmarks/{script}.py has no page {page.relative_to(REPO)}"
    assert f"benchmarks/{script}.py" in page.read_text(encoding="utf-8"), (
        f"{page.relative_to(REPO)} does not say it is about benchmarks/{script}.py")
