"""The desktop bundle's program: ``photoscan`` as the console script runs it, plus what a
frozen program needs that an interpreter gives for free.

- ``multiprocessing.freeze_support()`` first: the face and metadata workers (fork, or
  forkserver when the desktop app scans) and multiprocessing's helper processes are started
  as this same executable with their own arguments; PyInstaller's run-time hook recognises
  them here and runs them instead of photoscan.
- ``-m photoscan.<module>``: the desktop app runs its scan in a child process as
  ``sys.executable -m photoscan.scan.process`` (a fresh interpreter, never a fork of the Qt
  process). A frozen executable has no ``-m``, so it is honoured here, for photoscan's own
  modules only.

``import photoscan`` (via either path) sets ORT_DISABLE_TELEMETRY before anything can load
onnxruntime, as in any other install.
"""

from __future__ import annotations

import multiprocessing
import runpy
import sys


def main() -> int:
    multiprocessing.freeze_support()
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] == "-m" and args[1].split(".")[0] == "photoscan":
        import photoscan  # noqa: F401  (telemetry off before the module runs)

        sys.argv = [sys.argv[0], *args[2:]]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
        return 0
    from photoscan.cli.main import main as photoscan_main

    return photoscan_main()


if __name__ == "__main__":
    sys.exit(main())
