"""Reading .csv, .tsv and .txt tables: encoding, delimiter and line ends found out, never guessed.

Encoding: a BOM says UTF-8 or UTF-16; otherwise the whole file must decode as strict UTF-8, else
as Windows-1252 (what Excel writes on Western Windows). Valid UTF-8 with non-ASCII text is almost
never Windows-1252 by accident, and Windows-1252 leaves five bytes undefined, so the check means
something; ISO-8859-1 would accept any bytes at all and is never tried. The first pass decodes
the file in chunks (bounded memory) and finds the line of the first bad byte for the message.

Delimiter: each of ``,`` ``;`` tab ``|`` that splits the header into two or more columns is scored
by how many of the first records have the header's width; the best wins, a tie is refused (the
person names the delimiter). A .tsv file is tab-separated by its name.

Records are parsed by the csv module in strict mode (an unclosed quote is an error, not a field
that swallows the rest of the file) from physical lines read with ``newline=""``, so quoted line
breaks (CRLF or LF) come back exactly, and each record's first line is known.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from app.domain.tables.model import (
    LIMITS,
    Format,
    Limits,
    Record,
    Table,
    TableError,
    TableSource,
    count,
    is_blank,
    trim_record,
)

DELIMITERS = (",", ";", "\t", "|")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CHUNK = 1 << 20
_SAMPLE_LINES = 200
_SAMPLE_CHARS = 1 << 18


def delimiter_name(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else f"“{delimiter}”"


def normalise_delimiter(delimiter: str) -> str:
    """What a person passes as ``--delimiter``: one character, or ``tab`` / ``\\t``."""
    if delimiter.lower() in ("tab", "\\t"):
        return "\t"
    if len(delimiter) != 1 or delimiter in '"\r\n' or delimiter.isalnum():
        raise TableError(
            f"“{delimiter}” cannot separate columns: give one character such as , ; | or tab."
        )
    return delimiter


def read_text_table(
    path: Path,
    fmt: Format,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    limits: Limits = LIMITS,
) -> Table:
    """Read a text table; ``TableError`` with a sentence for anything that is not one."""
    _check_size(path, limits)
    chosen = detect_encoding(path, encoding)
    try:
        stream = open(path, encoding=chosen, newline="")  # noqa: SIM115 - closed below
    except OSError as error:
        raise TableError(f"“{path.name}” cannot be read: {error.strerror}.", path=path) from error
    with stream:
        lines = _Lines(stream, limits.max_line_chars, path)
        sample = [line for _, line in zip(range(_SAMPLE_LINES), lines, strict=False)]
        if delimiter is not None:
            chosen_delimiter = normalise_delimiter(delimiter)
        elif fmt == "tsv":
            chosen_delimiter = "\t"
        else:
            chosen_delimiter = detect_delimiter(sample, truncated=lines.more(), name=path.name)
        source = TableSource(
            path, fmt, encoding=chosen, delimiter=chosen_delimiter, newline=_line_end(sample)
        )
        return _parse(_chain(sample, lines), lines, source, limits)


def read_pasted_table(
    text: str,
    *,
    delimiter: str = "\t",
    name: str = "pasted rows",
    limits: Limits = LIMITS,
) -> Table:
    """Rows pasted from a spreadsheet (Excel and LibreOffice put tab-separated text on the
    clipboard), read like a file: the first row is the header, quoted cells may span lines, and
    each record keeps the line it starts on. ``name`` stands for the file in messages."""
    path = Path(name)
    if len(text) > limits.max_file_bytes:
        raise TableError(f"The {name} are too many: paste fewer rows at a time.", path=path)
    if "\x00" in text:
        raise _binary(path)
    lines = _Lines(io.StringIO(text, newline=""), limits.max_line_chars, path)
    sample = [line for _, line in zip(range(_SAMPLE_LINES), lines, strict=False)]
    source = TableSource(
        path, "tsv", delimiter=normalise_delimiter(delimiter), newline=_line_end(sample)
    )
    return _parse(_chain(sample, lines), lines, source, limits)


def _check_size(path: Path, limits: Limits) -> None:
    try:
        size = path.stat().st_size
        with open(path, "rb"):
            pass  # a folder, or a file we may not read, fails here with its own reason
    except OSError as error:
        raise TableError(f"“{path.name}” cannot be read: {error.strerror}.", path=path) from error
    if size > limits.max_file_bytes:
        raise TableError(
            f"“{path.name}” is {size / 2**20:,.0f} MB; Samplebook reads tables of up to "
            f"{limits.max_file_bytes / 2**20:,.0f} MB. Split it into smaller files.",
            path=path,
        )


def detect_encoding(path: Path, encoding: str | None = None) -> str:
    """The codec to read ``path`` with: ``encoding`` if given (checked), else found out."""
    with open(path, "rb") as raw:
        head = raw.read(8)
    if head.startswith(b"PK\x03\x04"):
        raise TableError(
            f"“{path.name}” is an Excel workbook (or another zip file), not text: "
            "give it the extension .xlsx.",
            path=path,
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError(_OLD_EXCEL.format(name=path.name), path=path)
    bom = next((codec for mark, codec in _BOMS if head.startswith(mark)), None)
    if encoding is not None:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise TableError(
                f"“{encoding}” is not an encoding Samplebook knows: try utf-8 or windows-1252.",
                path=path,
            ) from None
        if name == "utf-8" and bom == "utf-8-sig":
            name = "utf-8-sig"  # the BOM is not part of the first column's name
        result = _scan(path, name)
        if result == "binary":
            raise _binary(path)
        if result is not None:
            raise TableError(
                f"“{path.name}” is not {encoding} text: line {result} holds bytes that "
                "encoding cannot have. Check the encoding it was saved with.",
                path=path,
            )
        return name
    candidates = (bom,) if bom is not None else ("utf-8", "windows-1252")
    for candidate in candidates:
        result = _scan(path, candidate)
        if result == "binary":
            raise _binary(path)
        if result is None:
            return candidate
        bad_line = result
    raise TableError(
        f"“{path.name}” is not UTF-8 or Windows-1252 text (line {bad_line} cannot be read "
        "as either): give the encoding it was saved with, like latin-1 or iso-8859-2.",
        path=path,
    )


_OLD_EXCEL = (
    "“{name}” is an old-style Excel workbook (.xls) or a password-protected one: "
    "open it in Excel or LibreOffice and save it as .xlsx (without a password) or .csv."
)


def _scan(path: Path, codec: str) -> int | str | None:
    """Decode the whole file in chunks: the first bad line, "binary" (NULs), or None (fine)."""
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    line = 1
    with open(path, "rb") as raw:
        while True:
            chunk = raw.read(_CHUNK)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                return line + error.object[: error.start].count(b"\n")
            if "\x00" in text:
                return "binary"
            line += text.count("\n")
            if not chunk:
                return None


def _binary(path: Path) -> TableError:
    return TableError(f"“{path.name}” holds binary data, not a text table.", path=path)


class _Lines:
    """The physical lines of a text stream, each at most ``max_chars`` long."""

    def __init__(self, stream: TextIO, max_chars: int, path: Path) -> None:
        self._stream = stream
        self._max = max_chars
        self._path = path
        self._pending: str | None = None
        self.count = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self._pending is not None:
            line, self._pending = self._pending, None
        else:
            line = self._stream.readline(self._max + 1)
        if not line:
            raise StopIteration
        if len(line) > self._max:
            raise TableError(
                f"Line {self.count + 1} of “{self._path.name}” is longer than "
                f"{count(self._max)} characters: this is not a table Samplebook can read.",
                path=self._path,
            )
        self.count += 1
        return line

    def more(self) -> bool:
        """Whether lines are left (peeks one, kept for the next read)."""
        if self._pending is None:
            self._pending = self._stream.readline(self._max + 1)
        return bool(self._pending)


def _chain(sample: list[str], rest: _Lines) -> Iterator[str]:
    yield from sample
    yield from rest


def _line_end(sample: list[str]) -> str | None:
    first = sample[0] if sample else ""
    for end in ("\r\n", "\n", "\r"):
        if first.endswith(end):
            return end
    return None


def detect_delimiter(sample: list[str], *, truncated: bool, name: str) -> str:
    """The delimiter that gives the first records the header's width most often."""
    scores: list[tuple[float, str]] = []
    for candidate in DELIMITERS:
        reader = csv.reader(io.StringIO("".join(sample), newline=""), delimiter=candidate)
        try:
            rows = [row for row in reader if row and not is_blank(row)]
        except csv.Error:
            continue
        if truncated and len(rows) > 1:
            rows = rows[:-1]  # may be cut off in the middle
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        scores.append((sum(len(row) == width for row in rows) / len(rows), candidate))
    if not scores:
        return ","  # one column: nothing to separate
    best = max(score for score, _ in scores)
    winners = [candidate for score, candidate in scores if score == best]
    if len(winners) > 1:
        names = " or ".join(delimiter_name(candidate) for candidate in winners)
        raise TableError(
            f"Cannot tell whether the columns of “{name}” are separated by {names}: "
            "give the delimiter."
        )
    return winners[0]


def _parse(lines: Iterator[str], counter: _Lines, source: TableSource, limits: Limits) -> Table:
    assert source.delimiter is not None
    name = source.name
    reader = csv.reader(lines, delimiter=source.delimiter, quotechar='"', strict=True)
    previous_limit = csv.field_size_limit(limits.max_cell_chars)
    try:
        header_row = _next(reader, 1, name, limits)
        if header_row is None:
            raise TableError(f"“{name}” is empty: it has no column names.", path=source.path)
        if is_blank(header_row):
            raise TableError(
                f"Line 1 of “{name}” is empty: the first line must hold the column names.",
                path=source.path,
            )
        header = tuple(cell.strip() for cell in header_row)
        _check_width(len(header), 1, name, limits)
        records: list[Record] = []
        while True:
            start = reader.line_num + 1
            row = _next(reader, start, name, limits)
            if row is None:
                break
            if is_blank(row):
                continue
            cells = trim_record(row, len(header))
            _check_width(len(cells), start, name, limits)
            if len(records) == limits.max_records:
                raise TableError(
                    f"“{name}” has more than {count(limits.max_records)} rows; Samplebook reads "
                    "at most that many at a time: split the file.",
                    path=source.path,
                )
            records.append(Record(start, cells))
    finally:
        csv.field_size_limit(previous_limit)
    return Table(header, 1, tuple(records), source)


def _next(reader: Iterator[list[str]], start: int, name: str, limits: Limits) -> list[str] | None:
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as error:
        text = str(error)
        if "field larger than field limit" in text:
            reason = (
                f"a cell of the record starting on line {start} is longer than "
                f"{count(limits.max_cell_chars)} characters (or a quote is not closed)"
            )
        elif "unexpected end of data" in text:
            reason = f'the quoted cell starting on line {start} is never closed (a " is missing)'
        else:
            reason = f"line {start} is not valid: {text}"
        raise TableError(f"“{name}” cannot be read as a table: {reason}.") from error


def _check_width(width: int, line: int, name: str, limits: Limits) -> None:
    if width > limits.max_columns:
        raise TableError(
            f"Line {line} of “{name}” has {count(width)} columns; Samplebook reads at most "
            f"{count(limits.max_columns)}."
        )
