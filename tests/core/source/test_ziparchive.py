"""Hostile zips built in code: zip-slip names, bombs, lying sizes, encrypted and symlink members."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from photoscan.errors import CorruptFile, FileTooLarge, UnsupportedFormat
from photoscan.source.ziparchive import ZipArchive, safe_member_name


def make_zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return path


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("Takeout/Google Photos/a.jpg", "Takeout/Google Photos/a.jpg"),
        ("./a//b.jpg", "a/b.jpg"),
        ("dir\\win.jpg", "dir/win.jpg"),
        ("../x", None),
        ("a/../../x", None),
        ("a/../b", None),
        ("/etc/passwd", None),
        ("\\\\server\\share", None),
        ("C:/Windows/x", None),
        ("c:x", None),
        ("a\x00b", None),
        ("", None),
        ("./", None),
    ],
)
def test_safe_member_name(raw: str, safe: str | None) -> None:
    assert safe_member_name(raw) == safe


def test_lists_and_reads_members_without_extracting(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "export.zip", {"photos/a.jpg": b"\xff\xd8abc", "a.json": b"{}"})
    with ZipArchive(path) as archive:
        names = {m.name for m in archive.members()}
        assert names == {"photos/a.jpg", "a.json"}
        assert archive.read("photos/a.jpg") == b"\xff\xd8abc"
        assert archive.read("photos/a.jpg", limit=2) == b"\xff\xd8"
        with pytest.raises(KeyError):
            archive.read("missing.jpg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.zip"]


def test_zip_slip_names_are_refused(tmp_path: Path) -> None:
    path = make_zip(
        tmp_path / "slip.zip",
        {
            "../evil.jpg": b"x",
            "/abs.jpg": b"x",
            "C:\\win.jpg": b"x",
            "ok/../../up.jpg": b"x",
            "fine.jpg": b"x",
        },
    )
    with ZipArchive(path) as archive:
        assert [m.name for m in archive.members()] == ["fine.jpg"]
        assert len(archive.refused) == 4
        assert all("unsafe name" in r.reason for r in archive.refused)


def set_encrypted_flag(path: Path, name: bytes) -> None:
    """zipfile cannot write encrypted members; set the flag bit in both headers by hand."""
    raw = bytearray(path.read_bytes())
    for signature, flag_offset, name_offset in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = raw.find(signature)
        while at != -1:
            if raw[at + name_offset : at + name_offset + len(name)] == name:
                raw[at + flag_offset] |= 0x1
            at = raw.find(signature, at + 4)
    path.write_bytes(bytes(raw))


def test_duplicate_encrypted_and_symlink_members_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "odd.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.jpg", b"first")
        with pytest.warns(UserWarning):
            zf.writestr("a.jpg", b"second")
        link = zipfile.ZipInfo("link.jpg")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, b"/etc/passwd")
        zf.writestr("locked.jpg", b"xx")
    set_encrypted_flag(path, b"locked.jpg")
    with ZipArchive(path) as archive:
        assert [m.name for m in archive.members()] == ["a.jpg"]
        assert archive.read("a.jpg") == b"first"
        reasons = sorted(r.reason for r in archive.refused)
        assert reasons == ["duplicate name", "encrypted", "symbolic link"]


def _set_in_headers(path: Path, name: bytes, local_at: int, central_at: int, value: int) -> None:
    """A 16-bit field of member ``name`` set by hand in its local and central headers."""
    raw = bytearray(path.read_bytes())
    for signature, offset, name_offset in (
        (b"PK\x03\x04", local_at, 30),
        (b"PK\x01\x02", central_at, 46),
    ):
        at = raw.find(signature)
        while at != -1:
            if raw[at + name_offset : at + name_offset + len(name)] == name:
                raw[at + offset : at + offset + 2] = value.to_bytes(2, "little")
            at = raw.find(signature, at + 4)
    path.write_bytes(bytes(raw))


def test_members_needing_unknown_zip_features_are_refused_alone(tmp_path: Path) -> None:
    """zipfile refuses a whole archive when one member needs a zip version it does not know
    (``NotImplementedError``), and a method it cannot inflate fails only when read: both are
    refused up front, per member, and the other members are read as usual."""
    members = {"new.jpg": b"v", "deflate64.jpg": b"d", "ok.jpg": b"fine"}
    path = make_zip(tmp_path / "odd.zip", members, zipfile.ZIP_STORED)
    _set_in_headers(path, b"new.jpg", 4, 6, 99)  # version needed to extract: 9.9
    _set_in_headers(path, b"deflate64.jpg", 8, 10, 9)  # compression method 9
    with ZipArchive(path) as archive:
        assert [m.name for m in archive.members()] == ["ok.jpg"]
        assert archive.read("ok.jpg") == b"fine"
        assert sorted((r.raw_name, r.reason) for r in archive.refused) == [
            ("deflate64.jpg", "unsupported zip feature (compression method 9)"),
            ("new.jpg", "unsupported zip feature (needs zip version 9.9)"),
        ]
    with pytest.raises(NotImplementedError):  # what is worked around: zipfile alone
        zipfile.ZipFile(path)


def test_declared_bomb_is_refused_up_front(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "bomb.zip", {"bomb.jpg": bytes(20 * 1024 * 1024)})
    with ZipArchive(path) as archive:
        assert archive.members() == ()
        assert "zip bomb" in archive.refused[0].reason


def test_member_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "big.zip", {"big.jpg": bytes(4096)}, zipfile.ZIP_STORED)
    with ZipArchive(path, max_member=1000) as archive:
        assert archive.members() == ()
        assert "too large" in archive.refused[0].reason


def test_ratio_is_checked_while_streaming(tmp_path: Path) -> None:
    # A header that lies about the compressed size passes the up-front check; the streamed
    # output is still measured against it.
    data = bytes(3 * 1024 * 1024)
    path = make_zip(tmp_path / "liar.zip", {"liar.jpg": data})
    with ZipArchive(path, max_ratio=5000.0) as archive:
        assert len(archive.read("liar.jpg")) == len(data)
    with ZipArchive(path, max_ratio=5000.0) as archive:
        archive.max_ratio = 100.0  # as if the header had claimed a ratio under the limit
        with pytest.raises(FileTooLarge, match="zip bomb"):
            archive.read("liar.jpg")


def test_total_inflated_bytes_are_capped(tmp_path: Path) -> None:
    members = {f"{i}.jpg": bytes(range(256)) * 40 for i in range(5)}  # 10 KiB each
    path = make_zip(tmp_path / "many.zip", members, zipfile.ZIP_STORED)
    with ZipArchive(path, max_total=25_000) as archive:
        archive.read("0.jpg")
        archive.read("1.jpg")
        with pytest.raises(FileTooLarge, match="more than"):
            archive.read("2.jpg")


def test_corrupt_member_data_is_a_corrupt_file(tmp_path: Path) -> None:
    payload = b"photo bytes " * 100
    path = make_zip(tmp_path / "bad.zip", {"a.jpg": payload})
    raw = bytearray(path.read_bytes())
    start = raw.index(b"a.jpg") + len(b"a.jpg")  # first occurrence: local header name
    raw[start + 5 : start + 25] = bytes(20)
    path.write_bytes(bytes(raw))
    with ZipArchive(path) as archive, pytest.raises(CorruptFile):
        archive.read("a.jpg")


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "fake.zip"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(UnsupportedFormat):
        ZipArchive(path)


def test_reads_from_memory_sized_members_only(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("x.json", b'{"a": 1}')
    path = tmp_path / "mem.zip"
    path.write_bytes(buf.getvalue())
    with ZipArchive(path) as archive:
        assert "x.json" in archive and "y.json" not in archive
