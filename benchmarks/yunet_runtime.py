"""YuNet in onnxruntime (photoscan.faces.yunet) vs OpenCV's FaceDetectorYN: same faces? how fast?

OpenCV is not a photoscan dependency; run this with it added for the one run:

    uv run --with opencv-python-headless==5.1.0.95 python benchmarks/yunet_runtime.py

Both run on one thread (``cv2.setNumThreads(1)``; photoscan's session has one intra-op
thread) on the same RGB images (b_group_photos, resized to a 2048 px long side), CPU time
per inference by ``time.process_time`` (median of 3). OpenCV gets the original int8 file it
loads itself; photoscan the fp32 conversion. Faces are matched box to box.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

from photoscan.faces import yunet

TESTDATA = Path(__file__).resolve().parents[2] / "shared" / "testdata"
SIZE = 2048


def cpu(call: object, rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        call()  # type: ignore[operator]
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> int:
    import cv2

    cv2.setNumThreads(1)
    ours = yunet.YuNet()
    worst_box = worst_score = 0.0
    totals = {"onnxruntime": 0.0, "opencv": 0.0}
    photos = sorted((TESTDATA / "b_group_photos").glob("*.jpg"))
    for path in photos:
        with Image.open(path) as image:
            rgb = image.convert("RGB")
        scale = SIZE / max(rgb.size)
        rgb = rgb.resize((round(rgb.width * scale), round(rgb.height * scale)))
        pixels = np.asarray(rgb)
        bgr = np.ascontiguousarray(pixels[:, :, ::-1])
        height, width = pixels.shape[:2]
        peer = cv2.FaceDetectorYN.create(
            str(yunet.model_source()), "", (width, height), 0.7, 0.3, yunet.TOP_K
        )
        found = ours.detect(pixels, 0.7, 0.3)
        theirs = peer.detect(bgr)[1]
        theirs = np.zeros((0, 15)) if theirs is None else theirs
        t_ours = cpu(lambda p=pixels: ours.detect(p, 0.7, 0.3))
        t_peer = cpu(lambda b=bgr, d=peer: d.detect(b))
        totals["onnxruntime"] += t_ours
        totals["opencv"] += t_peer
        mine = np.array(
            [[*f.box[:2], f.box[2] - f.box[0], f.box[3] - f.box[1], f.score] for f in found]
        )
        for row in theirs:
            near = np.abs(mine[:, :4] - row[:4]).sum(axis=1).argmin()
            worst_box = max(worst_box, float(np.abs(mine[near, :4] - row[:4]).max()))
            worst_score = max(worst_score, float(abs(mine[near, 4] - row[14])))
        print(
            f"{path.name}: {len(found)} vs {len(theirs)} faces; "
            f"{1000 * t_ours:.0f} vs {1000 * t_peer:.0f} ms"
        )
        if len(found) != len(theirs):
            print("    FACE COUNTS DIFFER")
    per_photo = {k: 1000 * v / len(photos) for k, v in totals.items()}
    print(
        f"{len(photos)} photos at {SIZE} px: onnxruntime {per_photo['onnxruntime']:.0f}"
        f" ms, OpenCV {cv2.__version__} {per_photo['opencv']:.0f} ms CPU per "
        f"image ({totals['opencv'] / totals['onnxruntime']:.2f}x); largest box difference "
        f"{worst_box:.2g} px, score difference {worst_score:.2g}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
