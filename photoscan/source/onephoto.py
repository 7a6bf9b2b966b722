"""One photo given by its path (``photoscan scan IMG.jpg``), walked as a folder would be.

``strip`` and ``share`` take photo paths; ``scan`` takes one too. The photo is read with the
sidecars beside it that describe it (``IMG.jpg.xmp``, ``IMG.xmp``, a Takeout JSON, the
folder's album ``metadata.json`` or ``.picasa.ini``), paired by the one naming policy
(``discover.pair_folders``), so the photo is told about exactly as a scan of its folder tells
about it. Only its own folder is listed, never walked: scanning one photo of a large
``Pictures`` folder costs one ``scandir``. Nothing else of the folder is reported: the result
is that photo (or, for a sidecar named on its own, that sidecar: an ``.xmp`` is read like a
photo without pixels, as a folder scan reads a standalone one).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from photoscan.errors import UsageError
from photoscan.source.discover import FileStat, Folder, Walk, pair_folders
from photoscan.source.entries import os_reason
from photoscan.source.pairing import is_sidecar_name


def walk_photo(path: Path) -> Walk:
    """``path`` (a regular file) and its sidecars as a ``Walk`` rooted at its folder.

    Raises ``UsageError`` when ``path`` itself cannot be stat-ed; a folder that cannot be
    listed gives the photo without sidecars."""
    path = Path(os.path.abspath(path))
    try:
        st = os.stat(path)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {os_reason(exc)}") from exc
    own = FileStat(path, path.name, st.st_size, st.st_mtime_ns)
    group = Folder()
    (group.sidecars if is_sidecar_name(path.name) else group.candidates).append(own)
    try:
        with os.scandir(path.parent) as it:
            for entry in it:
                if entry.name == path.name or not is_sidecar_name(entry.name):
                    continue
                try:
                    est = entry.stat()
                except OSError:  # a broken link beside the photo is the folder's business
                    continue
                if stat.S_ISREG(est.st_mode):
                    found = FileStat(Path(entry.path), entry.name, est.st_size, est.st_mtime_ns)
                    group.sidecars.append(found)
    except OSError:
        pass  # the photo is still readable on its own
    candidates, orphan_xmp, errors = pair_folders({"": group})
    return Walk(
        path.parent,
        tuple(c for c in candidates if c.file.rel == path.name),
        tuple(x for x in orphan_xmp if x.rel == path.name),
        tuple(e for e in errors if e.path == path.name),
        (),
    )
