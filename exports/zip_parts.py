"""Compressing a sheet's rows in pieces, so that the next save of the same sheet reuses the
pieces of the rows it copies (exports.sheet_cache) instead of compressing them again.

An .xlsx file is a zip archive; each sheet is one member, compressed with deflate. The
rows are compressed in pieces of about PIECE bytes, each ending at a row's start with a
full flush: the compressor's state is reset there, so a piece refers to nothing before
it and pieces from different saves can follow one another in a member as they are. A
save that copies the first rows of a sheet copies the pieces that hold only those rows
and compresses the rest. A reader decompresses the member as any other: the pieces are
ordinary deflate blocks (zipfile, openpyxl, LibreOffice and Excel read them as usual),
and the member's checksum and sizes are those of its whole uncompressed text.

zipfile has no way to write bytes compressed already: PartArchive hands its member writer
a compressor that returns the pieces for the text they hold (zipfile computes the
checksum and sizes from that text itself). Where that writer has no such compressor (a
zipfile unlike CPython 3.11's), the member is compressed whole, as before.
"""

from __future__ import annotations

import os
import zlib
from collections import deque
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from itertools import takewhile
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

ZIP_LEVEL = 1
"""How hard the workbook's parts are compressed (zlib's 1 to 9; openpyxl's save uses 6).
December of 5,000 people: 10.3 MB at 1 against 8.2 MB at 6, its compression 0.4-0.6 s
against 1.5 s of a save of 8 s (docs/measurements/records_scale.md): the save comes
first, as it runs through the morning's arrivals."""
PIECE = 256 * 1024
"""Uncompressed bytes per piece: what a save compresses again at most of rows it copies."""

Piece = tuple[int, bytes]
"""Where a piece ends in the rows' text, and its compressed bytes."""


def _packer() -> Any:
    """A raw deflate compressor (no zlib header: a zip member's data is raw deflate)."""
    return zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)


def pack(text: bytes, base: int = 0, begin: int = 0, stop: int | None = None) -> list[Piece]:
    """A sheet's rows as XML text (`text[begin:stop]`, from offset `base` of the rows)
    compressed in pieces, each ending at a row's start or at the end."""
    stop = len(text) if stop is None else stop
    pieces, start, view, packer = [], begin, memoryview(text), _packer()
    while start < stop:
        end = text.find(b"<row ", start + PIECE, stop)
        end = stop if end < 0 else end
        pieces.append((base + end - begin, packer.compress(view[start:end])
                       + packer.flush(zlib.Z_FULL_FLUSH)))
        start = end
    return pieces


def unpack(piece: bytes) -> bytes:
    """A piece's text (a piece needs nothing before it: the full flush reset its state)."""
    return zlib.decompressobj(-zlib.MAX_WBITS).decompress(piece)


def kept_text(pieces: Sequence[Piece], same: int) -> tuple[list[Piece], bytes]:
    """Of an earlier text's `pieces`, those within its first `same` bytes, and the text
    from the last of them up to `same` (taken from the piece it begins)."""
    kept = list(takewhile(lambda piece: piece[0] <= same, pieces))
    start = kept[-1][0] if kept else 0
    if start == same:
        return kept, b""
    return kept, unpack(pieces[len(kept)][1])[:same - start]


@dataclass(frozen=True)
class Part:
    """A sheet's member: the text before its rows, its rows in pieces, the text after.
    The pieces up to `kept` are an earlier save's (their text is unpacked as the member
    is written), the others hold `rows`, the text from `kept` on."""

    head: bytes
    pieces: Sequence[Piece]
    kept: int
    rows: bytes | memoryview
    tail: bytes


class _Pieces:
    """Stands in for zipfile's compressor: returns the pieces waiting, in order, for the
    text they hold, then compresses what follows."""

    def __init__(self, pieces: Sequence[bytes]) -> None:
        self._waiting = deque(pieces)
        self._packer = _packer()

    def compress(self, data: bytes) -> bytes:
        """The next piece waiting (which holds `data`), or `data` compressed."""
        return self._waiting.popleft() if self._waiting else self._packer.compress(data)

    def flush(self) -> bytes:
        """The end of the member's compressed data (its last block)."""
        return self._packer.flush()


class PartArchive(ZipFile):
    """A zip archive written as ZipFile writes it (deflated at ZIP_LEVEL), except that a
    file named in `parts` (a sheet's temporary file, by path) is written from its Part,
    its rows' pieces reused; each Part is taken out of `parts` as it is written."""

    def __init__(self, file: IO[bytes], parts: MutableMapping[str, Part],
                 **options: Any) -> None:
        super().__init__(file, "w", ZIP_DEFLATED, compresslevel=ZIP_LEVEL, **options)
        self._parts = parts

    def write(self, filename: Any, arcname: Any = None, compress_type: Any = None,
              compresslevel: Any = None) -> None:
        part = self._parts.pop(os.fspath(filename), None)
        if part is None:
            super().write(filename, arcname, compress_type, compresslevel)
            return
        member = ZipInfo.from_file(filename, arcname)
        member.compress_type, member._compresslevel = ZIP_DEFLATED, ZIP_LEVEL
        with self.open(member, "w") as out:
            if not hasattr(out, "_compressor"):
                out.write(part.head)
                for end, packed in part.pieces:
                    if end <= part.kept:
                        out.write(unpack(packed))
                out.write(part.rows)
                out.write(part.tail)
                return
            head = _packer()
            out._compressor = _Pieces(  # type: ignore[attr-defined]
                [head.compress(part.head) + head.flush(zlib.Z_FULL_FLUSH),
                 *(packed for _, packed in part.pieces)])
            out.write(part.head)
            start, rows = 0, memoryview(part.rows)
            for end, packed in part.pieces:
                out.write(unpack(packed) if end <= part.kept
                          else rows[start - part.kept:end - part.kept])
                start = end
            out.write(part.tail)
