"""Just enough ELF reading to list a shared object's DT_NEEDED entries (no binutils needed).

Only 64-bit little-endian objects are read (x86_64/aarch64 Linux); anything else is "not ELF".
"""

from __future__ import annotations

import struct
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
PT_LOAD = 1
PT_DYNAMIC = 2
DT_NULL = 0
DT_NEEDED = 1
DT_STRTAB = 5
DT_SONAME = 14


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == ELF_MAGIC
    except OSError:
        return False


def needed(data: bytes) -> list[str]:
    """The DT_NEEDED sonames of the ELF image ``data``, in order; [] if it is not a 64-bit LE ELF
    or has no dynamic section (static executables)."""
    if data[:4] != ELF_MAGIC or data[4] != 2 or data[5] != 1:
        return []
    (phoff,) = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    loads: list[tuple[int, int, int]] = []  # (vaddr, offset, filesz)
    dynamic: tuple[int, int] | None = None
    for index in range(phnum):
        base = phoff + index * phentsize
        p_type, _flags, p_offset, p_vaddr, _paddr, p_filesz = struct.unpack_from(
            "<IIQQQQ", data, base
        )
        if p_type == PT_LOAD:
            loads.append((p_vaddr, p_offset, p_filesz))
        elif p_type == PT_DYNAMIC:
            dynamic = (p_offset, p_filesz)
    if dynamic is None:
        return []
    entries: list[tuple[int, int]] = []
    offset, size = dynamic
    for position in range(offset, offset + size, 16):
        tag, value = struct.unpack_from("<qQ", data, position)
        if tag == DT_NULL:
            break
        entries.append((tag, value))
    strtab_vaddr = next((value for tag, value in entries if tag == DT_STRTAB), None)
    if strtab_vaddr is None:
        return []
    strtab = None
    for vaddr, file_offset, filesz in loads:
        if vaddr <= strtab_vaddr < vaddr + filesz:
            strtab = strtab_vaddr - vaddr + file_offset
            break
    if strtab is None:
        return []

    def string_at(index: int) -> str:
        start = strtab + index
        return data[start : data.index(b"\0", start)].decode()

    return [string_at(value) for tag, value in entries if tag == DT_NEEDED]


def needed_of(path: Path) -> list[str]:
    return needed(path.read_bytes())


def max_glibc(data: bytes) -> tuple[int, int] | None:
    """The highest ``GLIBC_x.y`` symbol version named in ``data`` (a cheap upper bound of the
    glibc the object needs; version strings sit in .dynstr)."""
    import re  # noqa: PLC0415

    versions = [
        (int(major), int(minor)) for major, minor in re.findall(rb"GLIBC_(\d+)\.(\d+)", data)
    ]
    return max(versions) if versions else None
