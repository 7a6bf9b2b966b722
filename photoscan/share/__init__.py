"""Share-safe copies: stripped, faces hidden, optionally smaller, with neutral names.

A photo with nothing to hide and no resize is stripped losslessly, exactly like ``strip``.
Otherwise pixels must change: the photo is decoded upright, the chosen faces (by default
children *and possible children*: a face whose age estimate is near the line is hidden too)
are covered with a solid fill of their mean colour — not a blur, which can be reversed or
read by a recogniser — the image is optionally downscaled, re-encoded, and the result is
stripped and verified like any other output. Names become ``photo-0001.jpg`` with ``rename``,
so names do not leak dates or places; file dates are not copied.

Fail-closed: if faces cannot be checked (undecodable photo, detector error, an animation
whose later frames cannot be checked) the photo is not shared.

The parent's decisions (``photoscan.library``, found by the photo's content hash) are
applied to what the detector finds, as in a scan (``faces.marks``): a face they marked as a
child and every box they drew are hidden with the children, "not a child" leaves a face as
it is, "hide every face in this photo" hides them all, and a photo they keep private is not
copied at all. ``--blur none`` hides nothing, as asked.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from PIL import Image, ImageOps

from photoscan.cancel import CancelToken
from photoscan.errors import CorruptFile, FileTooLarge, PhotoscanError, StripError
from photoscan.faces import marks
from photoscan.images.pillow import cannot_decode, open_image, upright
from photoscan.images.previews import photo_frame, preview_for
from photoscan.library.content import hash_bytes
from photoscan.library.store import Library
from photoscan.model import NO_DECISIONS, Decisions, Face, FaceSource, ImageFormat
from photoscan.share import hiding
from photoscan.share.hiding import hide_faces
from photoscan.share.names import NamesFile, renamed
from photoscan.source.sniff import HEADER_BYTES, SniffStatus, sniff
from photoscan.strip import restrip, strip_bytes
from photoscan.strip.batch import IsVideo, Unreadable, read_job
from photoscan.strip.plan import SIDECAR_NOT_COPIED, Job, Plan, is_sidecar_path, plan
from photoscan.strip.safety import FileMeta, write_new
from photoscan.strip.types import FileResult, Refused, StripOptions, Stripped, StripStatus
from photoscan.strip.verify import default_extractor, verify

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from photoscan.strip.verify import Extractor

JPEG_QUALITY = 92
Detector = Callable[[bytes], tuple[Face, ...]]


class Blur(StrEnum):
    CHILDREN = "children"  # children and possible children (a ChildLevel other than ADULT)
    FACES = "faces"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class ShareOptions:
    blur: Blur = Blur.CHILDREN
    max_size: int | None = None  # longest side in pixels
    rename: bool = False
    strip: StripOptions = field(default_factory=StripOptions)


def default_detector() -> Detector:
    """photoscan's face detector with its measured default settings (models load lazily)."""
    from photoscan.faces.analyse import detect_faces
    from photoscan.faces.settings import FaceSettings

    settings = FaceSettings()
    return lambda data: detect_faces(data, settings)


def _decode(data: bytes, fmt: ImageFormat) -> Image.Image:
    try:
        img = open_image(data)
        heif = fmt in (ImageFormat.HEIF, ImageFormat.AVIF)  # opens on its primary image
        if getattr(img, "n_frames", 1) > 1 and not heif:
            raise Refused("animated image: resizing animations is not supported")
        img.load()
        upright_img = ImageOps.exif_transpose(img)
    except FileTooLarge:
        raise  # its size and the limit, from the header: nothing was decoded
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise CorruptFile(cannot_decode(exc)) from exc
    return upright_img


def _encode(img: Image.Image) -> tuple[bytes, ImageFormat, str]:
    icc = img.info.get("icc_profile")
    buf = io.BytesIO()
    has_alpha = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
    if has_alpha:
        img.save(buf, "PNG", icc_profile=icc, optimize=False)
        return buf.getvalue(), ImageFormat.PNG, "PNG"
    rgb = img if img.mode in ("RGB", "L") else img.convert("RGB")
    rgb.save(buf, "JPEG", quality=JPEG_QUALITY, icc_profile=icc, subsampling=0)
    return buf.getvalue(), ImageFormat.JPEG, f"JPEG quality {JPEG_QUALITY}"


_EXT = {ImageFormat.JPEG: ".jpg", ImageFormat.PNG: ".png"}
# Camera RAW and DNG: Pillow decodes at best a small thumbnail of them, so a share-safe copy
# is made from the camera's own full-size rendering, the largest embedded JPEG preview.
VIDEO_SHARE_WHY = (  # the desktop app says it too, with its own words for the advice
    "share-safe copies are made of photos only (covering faces in every frame of a video is "
    "out of scope)"
)
VIDEO_REFUSAL = (
    f"a video: {VIDEO_SHARE_WHY}; make a copy without its metadata with 'photoscan strip' "
    "and blur faces in a video editor before sharing it"
)
_PREVIEW_SOURCED = frozenset({ImageFormat.RAW, ImageFormat.DNG})


def _from_embedded_preview(data: bytes, name: str) -> tuple[bytes, str, tuple[float, float]]:
    """The RAW's largest embedded JPEG preview, upright, and a note saying so; ``Refused``
    when it has none big enough. A preview that carries its own Orientation (or needs none)
    is handed on as it is — ``_make`` turns it like any JPEG and, with nothing to hide or
    resize, strips it losslessly; only one that relies on the RAW's Orientation is turned
    here and encoded, once. The scale maps the photo's boxes (a scan's, the parent's:
    ``images.previews.photo_frame``) onto the preview's pixels."""
    preview = preview_for(data, name)
    if preview is None:
        raise Refused(
            "no embedded preview large enough to share: export a JPEG from your RAW editor"
        )
    try:
        with open_image(preview.jpeg) as img:
            own = img.getexif().get(0x0112)
            if isinstance(own, int) or preview.orientation in (0, 1):
                turned = isinstance(own, int) and own in (5, 6, 7, 8)  # from the header only
                width, height = (img.height, img.width) if turned else img.size
                encoded = preview.jpeg
            else:
                img.load()
                shown, _ = upright(img, preview.orientation)
                width, height = shown.size
                turned = preview.orientation >= 5
                encoded = _encode(shown)[0]
    except FileTooLarge:
        raise FileTooLarge("embedded preview too large to share") from None
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise CorruptFile(cannot_decode(exc, "the embedded preview")) from exc
    frame = photo_frame((width, height), preview.photo_size, turned)
    scale = (width / frame[0], height / frame[1])
    return encoded, f"made from the camera's embedded preview ({width}x{height})", scale


@dataclass(frozen=True, slots=True)
class _Made:
    data: bytes
    fmt: ImageFormat
    note: str
    faces_found: int | None
    faces_hidden: int | None
    faces_yours: int | None = None  # hidden because of the parent's decisions


def _is_animated(data: bytes, fmt: ImageFormat) -> bool:
    if fmt not in (ImageFormat.GIF, ImageFormat.WEBP, ImageFormat.PNG):
        return False
    try:
        with open_image(data) as img:
            return int(getattr(img, "n_frames", 1)) > 1
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
        raise CorruptFile(cannot_decode(exc)) from exc


def _has_more_images(data: bytes, fmt: ImageFormat) -> bool:
    """A HEIF collection (burst, bracketing): faces were looked for on the primary only."""
    if fmt not in (ImageFormat.HEIF, ImageFormat.AVIF):
        return False
    import pillow_heif

    try:
        return len(pillow_heif.open_heif(io.BytesIO(data))) > 1
    except (OSError, ValueError, RuntimeError) as exc:
        raise CorruptFile(cannot_decode(exc)) from exc


def _make(
    data: bytes,
    fmt: ImageFormat,
    options: ShareOptions,
    detect: Detector,
    decisions: Decisions = NO_DECISIONS,
) -> _Made:
    faces: tuple[Face, ...] = ()
    found: int | None = None
    if options.blur is not Blur.NONE:
        if _is_animated(data, fmt):
            raise Refused("animated image: faces could be checked on one frame only")
        found_faces = detect(data)
        faces = marks.apply(found_faces, decisions)
        found = sum(1 for f in found_faces if f.source is FaceSource.DETECTOR)
    every = options.blur is Blur.FACES or decisions.hide_all
    targets = [] if options.blur is Blur.NONE else hiding.targets(faces, every=every)
    collection = _has_more_images(data, fmt)
    img = None
    if options.max_size is not None or collection:
        img = _decode(data, fmt)  # decoding keeps the primary image only
        small = options.max_size is None or max(img.size) <= options.max_size
        if small and not targets and not collection:
            img = None
    if img is None and not targets:
        stripped = strip_bytes(data, fmt, options.strip)
        none = 0 if found is not None else None
        return _Made(stripped.data, fmt, "", found, none, none)
    img = img if img is not None else _decode(data, fmt)
    hidden = hide_faces(img, targets)
    yours = hiding.yours(targets)
    notes = [f"{hidden} face(s) hidden"] if hidden else []
    if yours:
        notes[-1] += f" ({yours} by your decisions)"
    if collection:
        notes.append("primary image only (its other images were not checked for faces)")
    if options.max_size is not None and max(img.size) > options.max_size:
        scale = options.max_size / max(img.size)
        new_size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
        img = img.resize(new_size, Image.Resampling.LANCZOS)
        notes.append(f"resized to {img.width}x{img.height}")
    encoded, out_fmt, how = _encode(img)
    notes.append(f"re-encoded as {how}")
    stripped = strip_bytes(encoded, out_fmt, options.strip)
    return _Made(stripped.data, out_fmt, "; ".join(notes), found, hidden, yours)


def made_copy(
    job: Job,
    dest: Path,
    options: ShareOptions,
    detect: Detector,
    extractor: Extractor | None,
    library: Library | None = None,
) -> tuple[FileResult, bytes | None]:
    """The share-safe copy of one photo, made and verified in memory: its result as it will
    be once written to ``dest`` (whose suffix may change with the format), and the bytes
    to write (None when there is no copy: refused or failed, with the reason). The
    parent's decisions come from ``library`` (none without one)."""
    name = job.display
    if job.refusal:
        return FileResult(name, StripStatus.REFUSED, reason=job.refusal), None
    try:
        _, data = read_job(job)
    except IsVideo:  # refused before it is read whole
        return FileResult(name, StripStatus.REFUSED, reason=VIDEO_REFUSAL), None
    except Unreadable as exc:
        return FileResult(name, exc.status, reason=exc.reason), None
    sniffed = sniff(data[:HEADER_BYTES], job.name)
    if sniffed.status is SniffStatus.VIDEO:  # a zip member
        return FileResult(name, StripStatus.REFUSED, reason=VIDEO_REFUSAL), None
    if sniffed.status is not SniffStatus.SUPPORTED or sniffed.format is None:
        reason = (
            SIDECAR_NOT_COPIED if is_sidecar_path(job.name) else f"{sniffed.reason}; not shared"
        )
        return FileResult(name, StripStatus.REFUSED, reason=reason), None
    fmt = sniffed.format
    decisions = NO_DECISIONS
    if library is not None and len(data) in library.sizes():  # else none can apply: no hash
        decisions = library.decisions(hash_bytes(data))
    if decisions.keep_private:
        reason = "you chose to keep it private; not shared"
        return FileResult(name, StripStatus.REFUSED, reason=reason), None
    try:
        source, source_fmt, origin = data, fmt, ""
        if fmt in _PREVIEW_SOURCED:
            source, origin, scale = _from_embedded_preview(data, job.name)
            source_fmt = ImageFormat.JPEG
            decisions = marks.scaled(decisions, scale)
        made = _make(source, source_fmt, options, detect, decisions)
        if origin:
            made = replace(made, note="; ".join(n for n in (origin, made.note) if n))
        verdict = verify(
            data,
            Stripped(made.data),
            made.fmt,
            name,
            options.strip,
            restrip=lambda b: restrip(b, made.fmt, options.strip),
            extractor=extractor,
            original_fmt=fmt,
        )
    except Refused as exc:
        reason = f"{sniffed.label}: {exc}; not shared"
        return FileResult(name, StripStatus.REFUSED, reason=reason), None
    except PhotoscanError as exc:  # CorruptFile, FileTooLarge, face detector errors
        return FileResult(name, StripStatus.FAILED, reason=f"{exc}; not shared"), None
    found, hidden = made.faces_found, made.faces_hidden
    if verdict.survivors:
        reason = "not shared, could not remove: " + "; ".join(verdict.survivors)
        failed = FileResult(name, StripStatus.FAILED, reason=reason)
        return failed._replace(faces_found=found, faces_hidden=hidden), None
    if made.note:
        status = StripStatus.REENCODED
    else:
        status = StripStatus.STRIPPED if made.data != data else StripStatus.ALREADY_CLEAN
    target = dest.with_suffix(_EXT.get(made.fmt, dest.suffix)) if made.note else dest
    result = FileResult(
        name,
        status,
        removed=verdict.removed,
        remaining=verdict.remaining,
        reason=made.note,
        output=str(target),
        faces_found=found,
        faces_hidden=hidden,
        faces_yours=made.faces_yours,
    )
    return result, made.data


def share_file(
    job: Job,
    dest: Path,
    options: ShareOptions,
    detect: Detector,
    extractor: Extractor | None,
    library: Library | None = None,
) -> FileResult:
    """Make one share-safe copy at ``dest`` (its suffix may change with the format)."""
    result, data = made_copy(job, dest, options, detect, extractor, library)
    if data is None or result.output is None:
        return result
    try:
        write_new(Path(result.output), data, FileMeta(0o644, 0, 0), keep_dates=False)
    except StripError as exc:
        return result._replace(status=StripStatus.FAILED, reason=str(exc), output=None)
    except OSError as exc:
        reason = f"cannot write: {exc.strerror or exc}"
        return result._replace(status=StripStatus.FAILED, reason=reason, output=None)
    return result


def share(
    paths: Sequence[Path],
    out: Path,
    options: ShareOptions,
    *,
    detect: Detector | None = None,
    extractor: Extractor | None = None,
    cancel: CancelToken | None = None,
    library: Library | None = None,
) -> Iterator[FileResult]:
    """Share-safe copies of ``paths`` under ``out``; raises UsageError for unsafe targets."""
    the_plan = plan(paths, out=out)
    return share_plan(
        the_plan, out, options, detect=detect, extractor=extractor, cancel=cancel, library=library
    )


def share_plan(
    the_plan: Plan,
    out: Path,
    options: ShareOptions,
    *,
    detect: Detector | None = None,
    extractor: Extractor | None = None,
    cancel: CancelToken | None = None,
    names: NamesFile | None = None,
    library: Library | None = None,
) -> Iterator[FileResult]:
    """Share-safe copies for a plan made with ``photoscan.strip.plan.plan(paths, out=out)``,
    one result per job in plan order; stops between files when ``cancel`` is set (every copy
    written is still reported). With ``options.rename`` the copies get neutral names and
    their mapping to the originals is written when the run ends (``share.names``): pass a
    ``NamesFile`` to learn where it went (``names.path``, ``written``, ``error``).
    ``library``: the parent's decisions (default: the user's, opened for this run)."""
    detector = detect if detect is not None else default_detector()
    reader = extractor if extractor is not None else default_extractor()
    if the_plan.in_place:
        raise ValueError("share needs a plan with an output folder")
    mapping = names if names is not None else NamesFile(out)
    decided = library if library is not None else Library(create=False)
    try:
        for index, job in enumerate(the_plan.jobs, start=1):
            if cancel is not None and cancel.is_cancelled:
                return
            own = Path(job.dest) if job.dest else out / job.name  # refused when planned: no copy
            dest = renamed(out, index, job.name) if options.rename else own
            result = share_file(job, dest, options, detector, reader, decided)
            if options.rename and result.output is not None:
                mapping.add(Path(result.output), job.display)
            yield result
    finally:
        mapping.write()
        if library is None:
            decided.close()
