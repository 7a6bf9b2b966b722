"""Strip output judged by validators nobody here wrote, source against output.

Every file of ``../shared/testdata/d_metadata`` is stripped to a copy once per session
(``d_metadata_stripped``, as ``photoscan strip DIR --out OUT`` does). Then ``exiftool
-validate -warning -a`` (one process per side), ``jpeginfo -c``, ``djpeg``, ``pngcheck``,
``tiffinfo``, ``dwebp``, ``heif-info`` and ``exiv2 -pa`` read the originals and the copies:
a copy may not have a warning its original has not. The copies must decode to the same
pixels, display the same way up (EXIF Orientation, or HEIF ``irot``/``imir``, which viewers
apply instead when present) and keep no ICC profile that describes one device.

What fails today is listed in ``KNOWN`` by class, with its root cause and the code that must
change; each class is a strict xfail, so the fix that empties it turns its test red until
the entry is removed. A tool that is not installed skips its check (CI installs them all:
``.ci/run``).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pillow_heif
import pytest
from PIL import Image, ImageSequence

from photoscan.strip import StripOptions, StripStatus
from photoscan.strip.batch import apply, plan
from tests.core.strip.conftest import Stripped

JPEG = {".jpg", ".jpeg"}
HEIF = {".heic", ".heif", ".hif", ".avif"}
TIFF = {".tif", ".tiff", ".nef"}
MAX_FRAMES = 32
# ICC tags that describe one display (Apple's mmod make/model/serial, native display info,
# the video card's calibration curves): a profile carrying them identifies a device.
ICC_DEVICE_TAGS = ("MakeAndModel", "NativeDisplayInfo", "VideoCardGamma")

Problems = dict[str, set[str]]  # file name -> what a validator says about the copy only


@dataclass(frozen=True)
class Known:
    """A class of failures that exists today: which check, which messages, why, and the
    code that must change to empty it."""

    check: str
    matches: Callable[[str, str], bool]
    cause: str


KNOWN: dict[str, Known] = {}


# --- the stripped folder -----------------------------------------------------------------


@pytest.fixture(scope="module")
def pairs(d_metadata_stripped: Stripped) -> dict[str, tuple[Path, Path]]:
    """file name -> (original, copy), for every file strip wrote a copy of."""
    source = d_metadata_stripped.source
    copies = {Path(r.path).name: Path(r.output) for r in d_metadata_stripped.results if r.output}
    assert len(copies) >= 200, "strip should copy most of d_metadata"
    return {name: (source / name, copy) for name, copy in sorted(copies.items())}


@pytest.fixture(scope="module")
def changed(pairs: dict[str, tuple[Path, Path]]) -> dict[str, tuple[Path, Path]]:
    """The pairs whose copy differs from the original: a byte-identical copy ("already
    clean") gets the same verdict from every deterministic tool, so it is not run twice."""
    return {n: (a, b) for n, (a, b) in pairs.items() if a.read_bytes() != b.read_bytes()}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def _run(argv: list[str]) -> tuple[str, str]:
    done = subprocess.run(argv, capture_output=True, check=False, timeout=120)
    return (
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def _normalise(text: str, path: Path) -> set[str]:
    """A tool's messages about one file, with the file's own path taken out."""
    lines = text.replace(str(path), "<file>").replace(path.name, "<file>").splitlines()
    return {line.strip() for line in lines if line.strip()}


def _per_file(
    paths: dict[str, tuple[Path, Path]],
    argv: Callable[[Path], list[str]],
    keep: Callable[[str], bool],
    stdout: bool = True,
) -> Problems:
    """Run a one-file tool on each original and copy (two at a time) and keep, per file,
    the messages only the copy gets (from stderr, and stdout when the tool reports there
    rather than printing the file's own text fields)."""

    def messages(path: Path) -> set[str]:
        out, err = _run(argv(path))
        text = out + "\n" + err if stdout else err
        return {m for m in _normalise(text, path) if keep(m)}

    names = sorted(paths)
    with ThreadPoolExecutor(max_workers=2) as pool:
        before = list(pool.map(messages, (paths[n][0] for n in names)))
        after = list(pool.map(messages, (paths[n][1] for n in names)))
    return {n: a - b for n, b, a in zip(names, before, after, strict=True) if a - b}


def _select(
    pairs: dict[str, tuple[Path, Path]], suffixes: set[str]
) -> dict[str, tuple[Path, Path]]:
    return {n: p for n, p in pairs.items() if Path(n).suffix.lower() in suffixes}


# --- the checks: each gives, per file, what the copy has and the original has not ----------


def _exiftool_records(paths: Iterable[Path]) -> dict[str, dict[str, Any]]:
    exiftool = _tool("exiftool")
    argv = [exiftool, "-validate", "-warning", "-a", "-G1:4", "-j", "-q", "-q"]
    argv += ["-Orientation#", "-Rotation#", "-Mirroring#"]
    argv += [f"-ICC_Profile:{tag}" for tag in ICC_DEVICE_TAGS]
    done = subprocess.run(
        [*argv, "-@", "-"],
        input="\n".join(map(str, paths)).encode(),
        capture_output=True,
        check=False,
        timeout=300,
    )
    return {Path(r["SourceFile"]).name: r for r in json.loads(done.stdout or b"[]")}


@pytest.fixture(scope="module")
def exiftool_views(
    pairs: dict[str, tuple[Path, Path]],
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    before = _exiftool_records(p for p, _ in pairs.values())
    after = _exiftool_records(c for _, c in pairs.values())
    assert len(before) == len(after) == len(pairs)
    return before, after


def _exiftool_warnings(record: dict[str, Any]) -> set[str]:
    return {str(v) for k, v in record.items() if k.endswith((":Warning", ":Error"))}


def check_exiftool(
    pairs: dict[str, tuple[Path, Path]], views: tuple[dict[str, Any], dict[str, Any]]
) -> Problems:
    before, after = views
    problems = {n: _exiftool_warnings(after[n]) - _exiftool_warnings(before[n]) for n in pairs}
    return {n: p for n, p in problems.items() if p}


_JPEGINFO_VERDICT = re.compile(r"\s(\[?(?:OK|WARNING|ERROR)\]?.*)$")


def check_jpeginfo(pairs: dict[str, tuple[Path, Path]]) -> Problems:
    """``jpeginfo -c`` over all JPEGs of one side in one run: each line starts with the
    file's path and ends with its verdict (OK, WARNING..., ERROR...)."""
    jpeginfo = _tool("jpeginfo")
    chosen = _select(pairs, JPEG)

    def verdicts(paths: list[Path]) -> dict[str, str]:
        out, err = _run([jpeginfo, "-c", *map(str, paths)])
        found = {}
        by_path = {str(p): p.name for p in paths}
        for line in (out + "\n" + err).splitlines():
            head = line.split(" ", 1)[0]
            match = _JPEGINFO_VERDICT.search(line)
            if head in by_path and match:
                found[by_path[head]] = match.group(1).strip()
        return found

    before = verdicts([p for p, _ in chosen.values()])
    after = verdicts([c for _, c in chosen.values()])
    assert len(after) == len(chosen), "jpeginfo must judge every copy"
    return {
        n: {after[n]}
        for n in chosen
        if not after[n].strip("[]").startswith("OK") and after[n] != before.get(n)
    }


def check_djpeg(pairs: dict[str, tuple[Path, Path]]) -> Problems:
    """libjpeg-turbo's decoder: "Corrupt JPEG data", premature ends, unknown markers."""
    djpeg = _tool("djpeg")
    return _per_file(
        _select(pairs, JPEG),
        lambda path: [djpeg, "-outfile", "/dev/null", str(path)],
        lambda m: True,
        stdout=False,
    )


def check_pngcheck(pairs: dict[str, tuple[Path, Path]]) -> Problems:
    pngcheck = _tool("pngcheck")
    return _per_file(
        _select(pairs, {".png"}),
        lambda path: [pngcheck, str(path)],
        lambda m: not m.startswith("OK:") and "%" not in m,
    )


def check_tiffinfo(pairs: dict[str, tuple[Path, Path]]) -> Problems:
    tiffinfo = _tool("tiffinfo")
    return _per_file(
        _select(pairs, TIFF),
        lambda path: [tiffinfo, str(path)],
        lambda m: True,
        stdout=False,
    )


def check_dwebp(pairs: dict[str, tuple[Path, Path]]) -> Problems:
    dwebp = _tool("dwebp")
    return _per_file(
        _select(pairs, {".webp"}),
        lambda path: [dwebp, str(path), "-o", "/dev/null"],
        lambda m: not re.match(r"(Decoded|Saved|Dimension|Output|Now saving)", m),
        stdout=False,
    )


def check_heif(pairs: dict[str, tuple[Path, Path]]) -> Problems:
    heif_info = _tool("heif-info")
    return _per_file(
        _select(pairs, HEIF),
        lambda path: [heif_info, str(path)],
        lambda m: bool(re.search(r"error|could not|invalid|fail", m, re.IGNORECASE)),
    )


def check_exiv2(pairs: dict[str, tuple[Path, Path]]) -> Problems:
    exiv2 = _tool("exiv2")
    return _per_file(
        pairs,
        lambda path: [exiv2, "-pa", str(path)],
        lambda m: True,
        stdout=False,
    )


# Display transforms, as Pillow operations on a test pattern: EXIF Orientation 1-8, or
# HEIF mirroring (imir axis: 0 top-bottom, 1 left-right; applied first) and irot (CCW).
_EXIF_OPS: dict[int, tuple[Image.Transpose, ...]] = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}
_IROT_OPS = {
    1: Image.Transpose.ROTATE_90,
    2: Image.Transpose.ROTATE_180,
    3: Image.Transpose.ROTATE_270,
}
_IMIR_OPS = {0: Image.Transpose.FLIP_TOP_BOTTOM, 1: Image.Transpose.FLIP_LEFT_RIGHT}


def _first(record: dict[str, Any], tag: str, group: str = "") -> int | None:
    values = [
        v
        for k, v in record.items()
        if k.endswith(f":{tag}") and k.startswith(group) and isinstance(v, int)
    ]
    return values[0] if values else None


def _displayed(name: str, record: dict[str, Any]) -> bytes:
    """A 2×3 test pattern as a viewer would turn it for this file. Only HEIF's own irot and
    imir properties count (ExifTool: QuickTime:Rotation, in degrees before 13.x and in
    quarter turns after; QuickTime:Mirroring): maker notes have "Rotation" tags too."""
    pattern = Image.frombytes("L", (2, 3), bytes(range(6)))
    rotation = mirror = None
    if Path(name).suffix.lower() in HEIF:
        rotation = _first(record, "Rotation", "QuickTime")
        mirror = _first(record, "Mirroring", "QuickTime")
        if rotation is not None and rotation >= 4:
            rotation //= 90
    ops: list[Image.Transpose] = []
    if rotation is not None or mirror is not None:
        ops += [_IMIR_OPS[mirror]] if mirror in _IMIR_OPS else []
        ops += [_IROT_OPS[rotation]] if rotation in _IROT_OPS else []
    else:
        ops += list(_EXIF_OPS.get(_first(record, "Orientation") or 1, ()))
    for op in ops:
        pattern = pattern.transpose(op)
    return pattern.tobytes() + bytes(pattern.size)


def check_orientation(
    pairs: dict[str, tuple[Path, Path]], views: tuple[dict[str, Any], dict[str, Any]]
) -> Problems:
    before, after = views
    return {
        n: {"displays turned differently"}
        for n in pairs
        if _displayed(n, before[n]) != _displayed(n, after[n])
    }


def check_icc(
    pairs: dict[str, tuple[Path, Path]], views: tuple[dict[str, Any], dict[str, Any]]
) -> Problems:
    _, after = views
    problems = {n: {k for k in after[n] if k.rpartition(":")[2] in ICC_DEVICE_TAGS} for n in pairs}
    return {n: {f"keeps {', '.join(sorted(p))}"} for n, p in problems.items() if p}


def _digest(path: Path) -> str | None:
    """A digest of every decoded frame (the main image only for JPEG: MPF extras live in the
    trailer strip drops on purpose), or None when Pillow cannot decode the file."""
    digest = hashlib.sha256()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                frames = [image] if image.format == "JPEG" else ImageSequence.Iterator(image)
                for i, frame in enumerate(frames):
                    if i >= MAX_FRAMES:
                        break
                    digest.update(f"{frame.mode}{frame.size}".encode())
                    digest.update(frame.tobytes())
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        return None
    return digest.hexdigest()


def check_pixels(pairs: dict[str, tuple[Path, Path]]) -> Problems:
    pillow_heif.register_heif_opener()
    names = sorted(pairs)
    with ThreadPoolExecutor(max_workers=2) as pool:
        before = list(pool.map(_digest, (pairs[n][0] for n in names)))
        after = list(pool.map(_digest, (pairs[n][1] for n in names)))
    compared = sum(1 for b in before if b is not None)
    assert compared >= 180, f"only {compared} originals decode"
    return {
        n: {"decodes to other pixels" if a else "does not decode"}
        for n, b, a in zip(names, before, after, strict=True)
        if b is not None and a != b
    }


# --- the tests ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def problems(
    pairs: dict[str, tuple[Path, Path]],
    changed: dict[str, tuple[Path, Path]],
    exiftool_views: tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]],
) -> dict[str, Problems]:
    """Every check's findings, computed once (the slow part: ~50 s of CPU on two cores)."""
    found: dict[str, Problems] = {
        "exiftool": check_exiftool(pairs, exiftool_views),
        "orientation": check_orientation(pairs, exiftool_views),
        "icc": check_icc(pairs, exiftool_views),
        "pixels": check_pixels(changed),
    }
    for name, check in (
        ("jpeginfo", check_jpeginfo),
        ("djpeg", check_djpeg),
        ("pngcheck", check_pngcheck),
        ("tiffinfo", check_tiffinfo),
        ("dwebp", check_dwebp),
        ("heif-info", check_heif),
        ("exiv2", check_exiv2),
    ):
        if shutil.which(name) is not None:
            found[name] = check(changed)
    return found


def _unexplained(check: str, found: Problems) -> list[str]:
    classes = [k for k in KNOWN.values() if k.check == check]
    out = []
    for name, messages in sorted(found.items()):
        for message in sorted(messages):
            if not any(k.matches(name, message) for k in classes):
                out.append(f"{name}: {message}")
    return out


CHECKS = ("exiftool", "jpeginfo", "djpeg", "pngcheck", "tiffinfo", "dwebp", "heif-info", "exiv2")


@pytest.mark.parametrize("check", [*CHECKS, "orientation", "icc", "pixels"])
def test_copies_gain_no_problem_outside_the_known_classes(
    check: str, problems: dict[str, Problems]
) -> None:
    if check not in problems:
        pytest.skip(f"{check} is not installed")
    unexplained = _unexplained(check, problems[check])
    assert not unexplained, f"{check} on strip copies:\n" + "\n".join(unexplained[:40])


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=k.cause))
        for n, k in KNOWN.items()
    ],
)
def test_known_failure_class_is_fixed(name: str, problems: dict[str, Problems]) -> None:
    """Red (xfail) while the class has members; the fix that empties it makes this pass, and
    strict xfail then fails the run until the class is removed from KNOWN."""
    known = KNOWN[name]
    if known.check not in problems:
        pytest.skip(f"{known.check} is not installed")
    members = [
        f"{file}: {message}"
        for file, messages in problems.get(known.check, {}).items()
        for message in messages
        if known.matches(file, message)
    ]
    assert not members, f"{len(members)} in {name}:\n" + "\n".join(members[:10])


def test_jpeg_without_image_data_is_refused(tmp_path: Path) -> None:
    exif = b"Exif\x00\x00II*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    app1 = b"\xff\xe1" + (len(exif) + 2).to_bytes(2, "big") + exif
    photo = tmp_path / "header-only.jpg"
    photo.write_bytes(b"\xff\xd8" + app1 + b"\xff\xd9")
    (result,) = apply(plan([photo], out=tmp_path / "out"), StripOptions())
    assert result.status in (StripStatus.REFUSED, StripStatus.FAILED), result
    assert "no image data" in result.reason
