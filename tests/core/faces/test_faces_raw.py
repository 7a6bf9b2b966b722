"""CR3, CRW, RAF and X3F in the face pass: a plain per-file reason, never a crash.

Pillow decodes none of them (as for Panasonic RW2): ``decode`` gives "not an image Pillow
can decode". The scan's face pass looks at their embedded previews instead
(``tests/core/test_rawfaces.py``); these fixtures' previews are tiny, so it gives a plain
"only a small embedded preview" reason, and the scan goes on.
"""

from __future__ import annotations

import pytest

from photoscan.errors import CorruptFile
from photoscan.images import pillow
from photoscan.images.decode import decode
from tests.core.metadata.raw import raw_fixtures as rf

BUILDERS = rf.BUILDERS


@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_face_decode_gives_a_plain_reason(label: str) -> None:
    with pytest.raises(CorruptFile, match=pillow.UNDECODABLE):
        decode(BUILDERS[label](), 600)
