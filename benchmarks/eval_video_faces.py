"""Faces and children found in videos: the recall the frames bar (issue 13) must keep.

    uv run python benchmarks/eval_video_faces.py --out before.json     # make clips, measure
    uv run python benchmarks/eval_video_faces.py --compare before.json after.json

The clips are made from the test data with ffmpeg (20 s of 1080p H.264 at 10 frames/s, a
keyframe every 2 s as phones write them; cached under benchmarks/out/video_eval, gitignored):

- ``group_*``: each photo of ../shared/testdata/b_group_photos scaled to cover the frame and
  slowly panned (as ``bench_video.py`` does); a portrait photo is recorded as a phone held
  upright records it: stored sideways at 1920x1080 with a display matrix that turns it back.
- ``kids_*``: four children's faces of a_age_faces (label <= 12) pasted at 48, 96, 192 and
  384 px on a face-free photo of c_noface; each pasted face is *found* in a frame when a
  detected box contains its centre (boxes are in the video's displayed pixels).

Per clip, the scan's face pass (``faces.video.video_faces``, default settings) gives: the
faces over all sampled frames, the frames with a face, the faces treated as children
(child or possible child), and for ``kids_*`` how many pasted faces were found and found as
children in any frame. ``--compare`` lists each clip whose figures differ and names any
clip that found faces or a child before and does not after.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image

from benchmarks.eval_faces import centre_in, read_manifest
from photoscan.faces.analyse import load_models
from photoscan.faces.settings import FaceSettings
from photoscan.faces.video import video_faces
from photoscan.source.fileref import FileRef
from tests.videos import patch_matrix

ROOT = Path(__file__).resolve().parent
TESTDATA = Path(os.environ.get("PHOTOSCAN_TESTDATA", ROOT.parent.parent / "shared" / "testdata"))
CLIPS = ROOT / "out" / "video_eval"
SIZES = (48, 96, 192, 384)
KID_CLIPS = 6
Box = tuple[int, int, int, int]
X264 = ["-t", "20", "-r", "10", "-c:v", "libx264", "-preset", "veryfast", "-g", "20",
        "-pix_fmt", "yuv420p"]  # fmt: skip


def _encode(still: Path, clip: Path, vf: str | None) -> None:
    filters = ["-vf", vf] if vf else []
    cmd = ["ffmpeg", "-v", "error", "-y", "-loop", "1", "-i", str(still), *filters, *X264]
    subprocess.run([*cmd, str(clip)], check=True)


def _group_clip(photo: Path) -> Path:
    clip = CLIPS / f"group_{photo.stem}.mp4"
    if clip.exists():
        return clip
    with Image.open(photo) as image:
        upright = image.convert("RGB")
    portrait = upright.height > upright.width
    shown = (1080, 1920) if portrait else (1920, 1080)
    factor = max(shown[0] * 1.1 / upright.width, shown[1] * 1.1 / upright.height)
    big = upright.resize((round(upright.width * factor), round(upright.height * factor)))
    still = clip.with_suffix(".png")
    # Stored as the camera wrote it: a portrait video lies on its side, its matrix turns it.
    (big.transpose(Image.Transpose.ROTATE_90) if portrait else big).save(still)
    stored = (shown[1], shown[0]) if portrait else shown
    pan = f"crop={stored[0]}:{stored[1]}:'(iw-ow)*t/20':'(ih-oh)*t/20'"
    _encode(still, clip, pan)
    still.unlink()
    if portrait:
        patch_matrix(clip, 90)
    return clip


def _kid_clips() -> list[tuple[Path, list[Box]]]:
    folder = TESTDATA / "a_age_faces"
    kids = [name for name, label in read_manifest(folder) if int(label) <= 12]
    scenes = [name for name, _ in read_manifest(TESTDATA / "c_noface")]
    rng = random.Random(13)
    made = []
    for index in range(KID_CLIPS):
        clip = CLIPS / f"kids_{index}.mp4"
        faces = rng.sample(kids, len(SIZES))
        scene_name = rng.choice(scenes)
        spots = [(120, 700), (500, 600), (900, 300), (1400, 200)]
        truth = [(x, y, x + s, y + s) for (x, y), s in zip(spots, SIZES, strict=True)]
        if not clip.exists():
            with Image.open(TESTDATA / "c_noface" / scene_name) as scene:
                canvas = scene.convert("RGB").resize((1920, 1080))
            for name, box in zip(faces, truth, strict=True):
                with Image.open(folder / name) as face:
                    side = box[2] - box[0]
                    canvas.paste(face.convert("RGB").resize((side, side)), box[:2])
            still = clip.with_suffix(".png")
            canvas.save(still)
            _encode(still, clip, None)
            still.unlink()
        made.append((clip, truth))
    return made


def measure(clip: Path, truth: list[Box], settings: FaceSettings) -> dict[str, object]:
    start = time.process_time()
    faces = video_faces(FileRef(str(clip)), settings)
    cpu = time.process_time() - start
    row: dict[str, object] = {
        "faces": len(faces),
        "frames_with_faces": len({f.frame_s for f in faces}),
        "children": sum(f.child for f in faces),
        "cpu_s": round(cpu, 3),
    }
    if truth:
        row["pasted_found"] = sum(any(centre_in(t, f.box) for f in faces) for t in truth)
        row["pasted_child"] = sum(
            any(centre_in(t, f.box) and f.child for f in faces) for t in truth
        )
    return row


def run(out: Path) -> None:
    CLIPS.mkdir(parents=True, exist_ok=True)
    cases: list[tuple[Path, list[Box]]] = [
        (_group_clip(p), []) for p in sorted((TESTDATA / "b_group_photos").glob("*.jpg"))
    ]
    cases += _kid_clips()
    settings = FaceSettings()
    load_models()
    video_faces(FileRef(str(cases[0][0])), settings)  # warm: FFmpeg's libraries, the models
    results = {}
    for clip, truth in cases:
        results[clip.stem] = row = measure(clip, truth, settings)
        print(clip.stem, " ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
    _totals(results)


def _totals(results: dict[str, dict[str, object]]) -> None:
    def total(key: str) -> float:
        return sum(float(str(r.get(key, 0))) for r in results.values())

    with_faces = sum(1 for r in results.values() if r["faces"])
    with_child = sum(1 for r in results.values() if r["children"])
    print(
        f"{len(results)} clips: {total('faces'):.0f} faces, {with_faces} clips with faces, "
        f"{with_child} with a child; pasted children found {total('pasted_found'):.0f}, "
        f"as children {total('pasted_child'):.0f}; CPU {total('cpu_s'):.1f} s"
    )


def compare(before_path: Path, after_path: Path) -> int:
    before = json.loads(before_path.read_text())
    after = json.loads(after_path.read_text())
    lost = []
    for name, old in before.items():
        new = after.get(name, {})
        keys = [k for k in old if k != "cpu_s" and old[k] != new.get(k)]
        if keys:
            print(name, ", ".join(f"{k} {old[k]} -> {new.get(k)}" for k in keys))
        if (old["faces"] and not new.get("faces")) or (old["children"] and not new.get("children")):
            lost.append(name)
    print("before:", end=" ")
    _totals(before)
    print("after: ", end=" ")
    _totals(after)
    print("clips that lost their faces or their child:", ", ".join(lost) or "none")
    return 1 if lost else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "video_eval.json")
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    run(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
