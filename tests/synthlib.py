"""A synthetic photo library made in code (no real people): GPS, dates, names, serials.

Used by the report and places tests and to make docs/report-example.png. Photos are plain
colour fields with EXIF written by Pillow; a "home" spot gets photos on several days so it is
a place you return to.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

HOME = (52.1601, 4.4970)  # Leiden
TRIPS = ((48.8566, 2.3522), (47.6062, -122.3321), (41.9028, 12.4964))


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 4)
    return (float(degrees), float(minutes), seconds)


def write_photo(
    path: Path,
    *,
    gps: tuple[float, float] | None = None,
    taken: str | None = None,
    artist: str | None = None,
    serial: str | None = None,
    model_age: int | None = None,
    colour: tuple[int, int, int] = (90, 140, 200),
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (64, 48), colour)
    exif = Image.Exif()
    exif[0x0110] = "Synthetic Cam 1"  # Model
    if artist:
        exif[0x013B] = artist
    if taken or serial:
        ifd = exif.get_ifd(0x8769)
        if taken:
            ifd[0x9003] = taken
        if serial:
            ifd[0xA431] = serial
    if gps:
        exif[0x8825] = {
            1: "N" if gps[0] >= 0 else "S",
            2: _dms(gps[0]),
            3: "E" if gps[1] >= 0 else "W",
            4: _dms(gps[1]),
        }
    extra = {"xmp": _age_xmp(model_age)} if model_age is not None else {}
    image.save(path, "JPEG", exif=exif.tobytes(), **extra)
    return path


def _age_xmp(age: int) -> bytes:
    """XMP saying the model is ``age`` years old (IPTC Extension ModelAge): a child, in words."""
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" '
        'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
        f"<Iptc4xmpExt:ModelAge><rdf:Bag><rdf:li>{age}</rdf:li></rdf:Bag>"
        "</Iptc4xmpExt:ModelAge></rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def make_library(root: Path) -> Path:
    """Home photos over three days, trips elsewhere, and photos with nothing to hide."""
    for i in range(6):
        write_photo(
            root / "home" / f"garden_{i}.jpg",
            gps=(HOME[0] + i * 0.00005, HOME[1] + i * 0.00004),
            taken=f"2024:0{1 + i // 2}:1{i % 2} 10:00:00",
            artist="Alex Example" if i == 0 else None,
            serial="SN-0042" if i < 3 else None,
            colour=(80 + 20 * i, 160, 90),
        )
    for i, spot in enumerate(TRIPS):
        write_photo(
            root / "trips" / f"trip_{i}.jpg",
            gps=spot,
            taken=f"2024:06:0{i + 1} 12:00:00",
            colour=(200, 120 + 30 * i, 60),
        )
    for i in range(3):
        write_photo(root / "clean" / f"plain_{i}.jpg", colour=(120, 120, 120 + 40 * i))
    write_photo(  # a child at home: marked in metadata, pinned by GPS
        root / "kids" / "party.jpg",
        gps=(HOME[0] + 0.00002, HOME[1]),
        taken="2024:03:20 16:00:00",
        model_age=6,
        colour=(230, 90, 140),
    )
    write_photo(root / "kids" / "drawing.jpg", model_age=8, colour=(250, 220, 90))
    return root
