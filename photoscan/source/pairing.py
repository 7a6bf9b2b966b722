"""Which sidecar file describes which photo — by name alone, over relative paths.

Export tools name their sidecars in ways that are easy to get almost right:

- **Google Takeout** writes ``IMG.jpg.json`` or ``IMG.jpg.supplemental-metadata.json``, cuts the
  JSON name's stem at 46 characters (``….jpg.supplemental-met.json``, ``….COVER..json``,
  ``long_name_trunc.json``), moves a duplicate counter to the end (``IMG(1).jpg`` ↔
  ``IMG.jpg(1).json`` / ``IMG.jpg.supplemental-metadata(1).json``), and gives an edited copy
  (``IMG-edited.jpg``) no JSON of its own. Album folders carry ``metadata.json`` (localised:
  ``métadonnées.json``, ``Metadaten.json``…).
- **Flickr** "download your data" puts ``photo_<id>.json`` in the account-data archive and the
  photos, named ``<title>_<id>_o.<ext>`` or ``<id>_<secret>_o.<ext>``, in other archives — so
  Flickr pairs across folders, by id.
- ``IMG.jpg.xmp`` / ``IMG.xmp`` beside the photo, and one ``.picasa.ini`` per folder.

Pure: no file is opened here; content-level checks (is this JSON really Takeout's?) belong to
the readers, which ignore what they do not recognise.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

TAKEOUT_STEM_MAX = 46  # Takeout cuts a JSON sidecar's name to 46 characters + ".json"
SUPPLEMENTAL = "supplemental-metadata"
ALBUM_NAMES = frozenset(
    {
        "metadata.json",
        "métadonnées.json",
        "metadaten.json",
        "metadati.json",
        "metadatos.json",
        "metadados.json",
        "metadane.json",
        "metagegevens.json",
        "метаданные.json",
        "メタデータ.json",
    }
)
EDITED_SUFFIXES = (
    "-edited",
    "-bearbeitet",
    "-modifié",
    "-editado",
    "-modificato",
    "-bewerkt",
    "-edytowane",
    "-redigeret",
    "-muokattu",
    "-编辑",
    "-編集済み",
)
PICASA_NAMES = frozenset({".picasa.ini", "picasa.ini"})
_COUNTER = re.compile(r"^(.*)\((\d{1,4})\)$")
_FLICKR_JSON = re.compile(r"^photo_(\d{3,20})\.json$")
_FLICKR_ID_SECRET = re.compile(r"^(\d{3,20})_[0-9a-f]{6,16}(?:_[a-z0-9]{1,2})?\.[a-z0-9]{2,5}$")
_FLICKR_TITLE_ID = re.compile(r"^(?:.*_)?(\d{3,20})_o\.[a-z0-9]{2,5}$")
_SIDECAR_EXTS = frozenset({".json", ".xmp", ".ini", ".csv", ".aae", ".html", ".txt"})


class SidecarKind(StrEnum):
    TAKEOUT = "takeout"  # per-photo Google Takeout JSON
    TAKEOUT_ALBUM = "takeout_album"  # album metadata.json, describes every photo in its folder
    FLICKR = "flickr"  # Flickr photo_<id>.json
    XMP = "xmp"
    PICASA = "picasa"  # .picasa.ini, describes the photos of its folder


@dataclass(frozen=True, slots=True)
class SidecarRef:
    kind: SidecarKind
    path: str  # relative to the scan root, "/" separators


@dataclass(frozen=True, slots=True)
class SidecarIndex:
    """Sidecars per photo path; ``unmatched`` lists sidecar files no photo claimed."""

    by_photo: Mapping[str, tuple[SidecarRef, ...]] = field(default_factory=dict)
    unmatched: tuple[str, ...] = ()

    def for_photo(self, path: str) -> tuple[SidecarRef, ...]:
        return self.by_photo.get(path, ())


def _norm(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def is_sidecar_name(name: str) -> bool:
    low = _norm(posixpath.basename(name)).lower()
    return low in PICASA_NAMES or posixpath.splitext(low)[1] in _SIDECAR_EXTS


def split_counter(stem: str) -> tuple[str, int | None]:
    """'IMG(1)' -> ('IMG', 1); 'IMG' -> ('IMG', None)."""
    match = _COUNTER.match(stem)
    if match and match[1]:
        return match[1], int(match[2])
    return stem, None


@dataclass(frozen=True, slots=True)
class TakeoutKey:
    """What a Takeout JSON name says about its photo: a (possibly cut) name and a counter."""

    base: str
    counter: int | None
    truncated: bool


def takeout_key(json_name: str) -> TakeoutKey | None:
    """Decode a per-photo Takeout JSON name; None for names that cannot be one."""
    name = _norm(json_name)
    if not name.lower().endswith(".json") or name.lower() in ALBUM_NAMES:
        return None
    stem, counter = split_counter(name[: -len(".json")])
    truncated = len(stem) >= TAKEOUT_STEM_MAX
    head, dot, last = stem.rpartition(".")
    if dot and head and (SUPPLEMENTAL.startswith(last.lower()) and (last or truncated)):
        stem = head  # ".supplemental-metadata" and its cut forms, down to a bare "."
    if not stem:
        return None
    return TakeoutKey(stem, counter, truncated)


def _unedited(stem: str) -> str | None:
    low = stem.lower()
    for suffix in EDITED_SUFFIXES:
        if low.endswith(suffix):
            return stem[: -len(suffix)]
    return None


def media_keys(photo_name: str) -> list[tuple[str, int | None]]:
    """The (name, counter) pairs a Takeout JSON for this photo could carry, best first.

    Lower-cased: Takeout keeps case, but case-insensitive file systems and re-zipping do not.
    """
    name = _norm(photo_name).lower()
    stem, ext = posixpath.splitext(name)
    base, counter = split_counter(stem)
    keys: list[tuple[str, int | None]] = [(name, None), (base + ext, counter), (base, counter)]
    plain = _unedited(base)
    if plain:  # IMG-edited(1).jpg uses IMG.jpg(1).json
        keys += [(plain + ext, counter), (plain, counter)]
    return list(dict.fromkeys(keys))


def flickr_id(photo_name: str) -> str | None:
    """The Flickr photo id in an exported photo's name, if it has one."""
    low = photo_name.lower()
    match = _FLICKR_ID_SECRET.match(low) or _FLICKR_TITLE_ID.match(low)
    return match[1] if match else None


def pair_sidecars(files: Iterable[str]) -> SidecarIndex:
    """Pair every sidecar among ``files`` (relative paths) with the photos it describes."""
    by_dir: dict[str, list[str]] = defaultdict(list)
    all_files = [f.replace("\\", "/") for f in files]
    for f in all_files:
        by_dir[posixpath.dirname(f)].append(f)
    pairs: dict[str, list[SidecarRef]] = defaultdict(list)
    claimed: set[str] = set()
    flickr_json: dict[str, str] = {}
    photos_all: list[str] = []

    for members in by_dir.values():
        photos = [m for m in members if not is_sidecar_name(m)]
        photos_all += photos
        sidecars = [m for m in members if is_sidecar_name(m)]
        for path in sidecars:
            base = _norm(posixpath.basename(path))
            low = base.lower()
            match = _FLICKR_JSON.match(low)
            if match:
                flickr_json[match[1]] = path
            elif low in ALBUM_NAMES or low in PICASA_NAMES:
                kind = SidecarKind.PICASA if low in PICASA_NAMES else SidecarKind.TAKEOUT_ALBUM
                for photo in photos:
                    pairs[photo].append(SidecarRef(kind, path))
                    claimed.add(path)
        _pair_xmp(photos, sidecars, pairs, claimed)
        _pair_takeout(photos, sidecars, pairs, claimed)

    for photo in photos_all:
        pid = flickr_id(posixpath.basename(photo))
        if pid and pid in flickr_json:
            pairs[photo].append(SidecarRef(SidecarKind.FLICKR, flickr_json[pid]))
            claimed.add(flickr_json[pid])

    ordered = {p: tuple(sorted(refs, key=_ref_order)) for p, refs in pairs.items()}
    unmatched = tuple(sorted(f for f in all_files if is_sidecar_name(f) and f not in claimed))
    return SidecarIndex(ordered, unmatched)


def _ref_order(ref: SidecarRef) -> tuple[int, str]:
    return (list(SidecarKind).index(ref.kind), ref.path)


def _pair_xmp(
    photos: list[str], sidecars: list[str], pairs: dict[str, list[SidecarRef]], claimed: set[str]
) -> None:
    xmps = {_norm(posixpath.basename(s)).lower(): s for s in sidecars if s.lower().endswith(".xmp")}
    for photo in photos:
        name = _norm(posixpath.basename(photo)).lower()
        for candidate in (name + ".xmp", posixpath.splitext(name)[0] + ".xmp"):
            if candidate in xmps:
                pairs[photo].append(SidecarRef(SidecarKind.XMP, xmps[candidate]))
                claimed.add(xmps[candidate])
                break


def _pair_takeout(
    photos: list[str], sidecars: list[str], pairs: dict[str, list[SidecarRef]], claimed: set[str]
) -> None:
    """Exact keys first, then the 46-character cut names by longest prefix."""
    exact: dict[tuple[str, int | None], str] = {}
    cut: list[tuple[TakeoutKey, str]] = []
    for path in sidecars:
        base = posixpath.basename(path)
        if _FLICKR_JSON.match(base.lower()):
            continue
        key = takeout_key(base)
        if key is None:
            continue
        exact.setdefault((key.base.lower(), key.counter), path)
        if key.truncated:
            cut.append((key, path))
    for photo in photos:
        keys = media_keys(posixpath.basename(photo))
        found = next((exact[k] for k in keys if k in exact), None)
        if found is None:
            found = _longest_prefix(keys, cut)
        if found is not None:
            pairs[photo].append(SidecarRef(SidecarKind.TAKEOUT, found))
            claimed.add(found)


def _longest_prefix(
    keys: list[tuple[str, int | None]], cut: list[tuple[TakeoutKey, str]]
) -> str | None:
    best: tuple[int, str] | None = None
    for name, counter in keys:
        for key, path in cut:
            base = key.base.lower()
            fits = key.counter == counter and name.startswith(base) and len(name) > len(base)
            if fits and (best is None or len(base) > best[0]):
                best = (len(base), path)
    return best[1] if best else None
