"""A sheet's rows compressed in pieces (exports.zip_parts) must make a zip member any
reader decompresses to the same text with a right checksum, whether its pieces were
compressed now or taken from an earlier save of a text that shares their rows."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

from exports.zip_parts import PIECE, Part, PartArchive, kept_text, pack


def _rows(first: int, last: int, word: str = "present") -> bytes:
    """Rows `first` to `last` of a sheet as XML text, varied enough to compress like one."""
    return b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s %d</t></is></c></row>'
                    % (number, number, word.encode(), number * 7919 % 1000)
                    for number in range(first, last + 1))


def _member(tmp_path: Path, part: Part) -> bytes:
    """The member PartArchive writes for `part`, read back through zipfile (which checks
    the CRC)."""
    sheet = tmp_path / "sheet.xml"
    sheet.write_bytes(b"only its name and time are read")
    buffer = BytesIO()
    with PartArchive(buffer, {str(sheet): part}) as archive:
        archive.write(sheet, "xl/worksheets/sheet1.xml")
    with zipfile.ZipFile(buffer) as archive:
        assert archive.testzip() is None
        return archive.read("xl/worksheets/sheet1.xml")


def test_rows_in_pieces_read_back_whole_with_earlier_pieces_reused(tmp_path: Path) -> None:
    head, tail = b"<worksheet><sheetData>", b"</sheetData></worksheet>"
    before = _rows(2, 40_000)
    pieces = pack(before)
    assert len(pieces) > 3 and all(end - start >= PIECE for (start, _), (end, _)
                                   in zip([(0, b""), *pieces[:-2]], pieces[:-1]))
    assert _member(tmp_path, Part(head, pieces, 0, before, tail)) == head + before + tail

    same = before.index(b'<row r="30000"')  # a change in the middle, rows after it
    after = before[:same] + _rows(30_000, 40_010, "late")
    kept, partial = kept_text(pieces, same)
    base = kept[-1][0]
    assert kept == [piece for piece in pieces if piece[0] <= same] and 0 < same - base < PIECE
    assert partial == before[base:same]  # unpacked from the piece it begins
    rest = after[base:]
    again = kept + pack(rest, base)
    assert again[len(kept) - 1][1] is pieces[len(kept) - 1][1]  # copied, not compressed
    assert _member(tmp_path, Part(head, again, base, rest, tail)) == head + after + tail
