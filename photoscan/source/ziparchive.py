"""Read a ``.zip`` export (Flickr, Google Takeout) in place, treating it as hostile.

Exports arrive as zips of many gigabytes; extracting them would double the disk use and
leave a second copy of private photos lying around. So photoscan reads members straight
from the archive, and because the archive may come from anywhere:

- **Names are never paths on disk.** Members whose names are absolute, carry a drive letter,
  climb out with ``..`` or contain NUL are refused (listed in ``refused``); the others are
  normalised to forward-slash relative paths. Nothing is ever written from a member name.
- **Zip bombs are capped.** Members whose declared size exceeds ``max_member`` or whose
  declared ratio is absurd are refused up front; while streaming, output is counted against the
  member cap, the compression ratio actually achieved and a running total for the archive, so
  lying headers cannot get past either.
- Encrypted members, symlinks and duplicate names are refused rather than guessed at, and so
  are members needing a zip feature Python's ``zipfile`` lacks (a "version needed to extract"
  above what it knows, compression methods it cannot inflate, patched data, strong
  encryption): one such member must not make the whole archive unreadable.
"""

from __future__ import annotations

import posixpath
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from photoscan.errors import CorruptFile, FileTooLarge, UnsupportedFormat

MAX_MEMBER_BYTES = 512 * 1024 * 1024  # a large RAW/HEIF photo fits; a bomb does not
MAX_TOTAL_BYTES = 64 * 1024 * 1024 * 1024  # what one ZipArchive may inflate in its lifetime
MAX_RATIO = 200.0  # deflate on real photos/JSON stays far below; bombs reach 1000+
RATIO_GRACE_BYTES = 1024 * 1024  # tiny highly-compressible members (JSON of zeros) are fine
MAX_MEMBERS = 500_000
_CHUNK = 1024 * 1024
_CENTRAL = b"PK\x01\x02"
_CENTRAL_FIXED = 46  # bytes of a central directory entry before its name
_INFLATABLE = frozenset(
    (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
)
_UNSUPPORTED_FLAGS = ((0x20, "compressed patched data"), (0x40, "strong encryption"))


@dataclass(frozen=True, slots=True)
class ZipMember:
    """A readable file inside the archive. ``name`` is safe, relative and '/'-separated."""

    name: str
    size: int  # declared uncompressed size
    compressed: int
    crc: int = 0  # declared CRC-32 (a cache key part: changes with the content)


@dataclass(frozen=True, slots=True)
class RefusedMember:
    raw_name: str  # cleaned for display only
    reason: str


def safe_member_name(raw: str) -> str | None:
    """The normalised relative name, or None when the name tries to leave the archive."""
    if not raw or "\x00" in raw:
        return None
    name = raw.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return posixpath.join(*parts)


def _decoded_name(info: zipfile.ZipInfo) -> str:
    """The member's name. Without the UTF-8 flag, zipfile decodes names as CP437, but most
    tools (Info-ZIP, macOS, Windows since 10) write UTF-8 without setting it: a name that is
    valid UTF-8 is taken as such, so "Spécial album" is not shown as "Sp├⌐cial album"."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


class _Listing:
    """The archive file as ``zipfile`` reads it, except that while ``listing`` is set (only
    the table of contents is read then) a central directory entry whose "version needed to
    extract" is above ``zipfile.MAX_EXTRACT_VERSION`` is shown with a version it accepts —
    ``zipfile`` raises ``NotImplementedError`` for the whole archive otherwise. The real
    versions are kept by entry index (the order of ``infolist()``) so those members are
    refused, never read."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.listing = True
        self.unknown_versions: dict[int, int] = {}

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        if self.listing and data.startswith(_CENTRAL):
            return self._neutralised(data)
        return data

    def _neutralised(self, data: bytes) -> bytes:
        out = bytearray(data)
        at = index = 0
        while at + _CENTRAL_FIXED <= len(out) and out[at : at + 4] == _CENTRAL:
            (version,) = struct.unpack_from("<H", out, at + 6)
            if version > zipfile.MAX_EXTRACT_VERSION:
                self.unknown_versions[index] = version
                struct.pack_into("<H", out, at + 6, 20)
            name, extra, comment = struct.unpack_from("<3H", out, at + 28)
            at += _CENTRAL_FIXED + name + extra + comment
            index += 1
        return bytes(out)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()

    def seekable(self) -> bool:
        return True

    def close(self) -> None:
        self._raw.close()

    def __del__(self) -> None:
        # An archive kept open per thread (fileref) may only be let go: closed quietly, as
        # zipfile closes a file it opened itself.
        self._raw.close()


def _unsupported(info: zipfile.ZipInfo) -> str | None:
    """What ``zipfile`` could not do with this member, before it is tried."""
    if info.compress_type not in _INFLATABLE:
        return f"compression method {info.compress_type}"
    for bit, what in _UNSUPPORTED_FLAGS:
        if info.flag_bits & bit:
            return what
    return None


class ZipArchive:
    """An open zip export; use as a context manager. Not thread-safe (one per worker)."""

    def __init__(
        self,
        path: Path,
        *,
        max_member: int = MAX_MEMBER_BYTES,
        max_total: int = MAX_TOTAL_BYTES,
        max_ratio: float = MAX_RATIO,
    ) -> None:
        self.path = path
        self.max_member = max_member
        self.max_total = max_total
        self.max_ratio = max_ratio
        self.total_read = 0
        try:
            self._file = _Listing(path.open("rb"))
        except OSError as exc:
            raise CorruptFile(f"cannot open zip archive: {exc.strerror or exc}") from exc
        try:
            self._zip = zipfile.ZipFile(self._file)
        except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError) as exc:
            self._file.close()
            raise UnsupportedFormat(f"not a readable zip archive: {exc}") from exc
        except OSError as exc:
            self._file.close()
            raise CorruptFile(f"cannot open zip archive: {exc.strerror or exc}") from exc
        self._file.listing = False
        self._members: dict[str, zipfile.ZipInfo] = {}
        self.refused: list[RefusedMember] = []
        self._index()

    def _index(self) -> None:
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            self.close()
            raise FileTooLarge(f"zip archive lists {len(infos)} members (limit {MAX_MEMBERS})")
        for index, info in enumerate(infos):
            if info.is_dir():
                continue
            shown = info.filename.encode("utf-8", "replace")[:200].decode("utf-8", "replace")
            version = self._file.unknown_versions.get(index)
            reason = (
                f"unsupported zip feature (needs zip version {version / 10:.1f})"
                if version is not None
                else self._refusal(info)
            )
            name = safe_member_name(_decoded_name(info))
            if reason is None and name is None:
                reason = "unsafe name (absolute or leaving the archive)"
            if reason is None and name in self._members:
                reason = "duplicate name"
            if reason is not None or name is None:
                self.refused.append(RefusedMember(shown, reason or "refused"))
                continue
            self._members[name] = info

    def _refusal(self, info: zipfile.ZipInfo) -> str | None:
        if info.flag_bits & 0x1:
            return "encrypted"
        if stat.S_ISLNK(info.external_attr >> 16):
            return "symbolic link"
        if info.file_size > self.max_member:
            return f"too large ({info.file_size} bytes, limit {self.max_member})"
        if (
            info.file_size > RATIO_GRACE_BYTES
            and info.file_size > max(1, info.compress_size) * self.max_ratio
        ):
            return "suspicious compression ratio (zip bomb?)"
        feature = _unsupported(info)
        return None if feature is None else f"unsupported zip feature ({feature})"

    def members(self) -> tuple[ZipMember, ...]:
        return tuple(
            ZipMember(name, info.file_size, info.compress_size, info.CRC)
            for name, info in self._members.items()
        )

    def __contains__(self, name: str) -> bool:
        return name in self._members

    def read(self, name: str, limit: int | None = None) -> bytes:
        """A member's bytes (at most ``limit`` of them), streamed under every cap."""
        info = self._members.get(name)
        if info is None:
            raise KeyError(name)
        want = self.max_member if limit is None else min(limit, self.max_member)
        ratio_cap = max(RATIO_GRACE_BYTES, int(max(1, info.compress_size) * self.max_ratio))
        out = bytearray()
        try:
            with self._zip.open(info) as stream:
                while len(out) < want:
                    chunk = stream.read(min(_CHUNK, want - len(out)))
                    if not chunk:
                        break
                    out += chunk
                    self._account(len(chunk), len(out), ratio_cap)
        except NotImplementedError as exc:
            raise UnsupportedFormat(f"unsupported zip feature ({exc})") from exc
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
            raise CorruptFile(f"damaged zip member: {exc}") from exc
        except OSError as exc:
            raise CorruptFile(f"cannot read zip member: {exc.strerror or exc}") from exc
        return bytes(out)

    def _account(self, chunk: int, produced: int, ratio_cap: int) -> None:
        self.total_read += chunk
        if produced > ratio_cap:
            raise FileTooLarge("zip member inflates far beyond its compressed size (zip bomb?)")
        if self.total_read > self.max_total:
            raise FileTooLarge(f"zip archive inflates to more than {self.max_total} bytes")

    def close(self) -> None:
        self._zip.close()
        self._file.close()  # zipfile leaves a file object it was given open

    def __enter__(self) -> ZipArchive:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
