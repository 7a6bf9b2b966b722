"""One hostile case's folders: its input, its requested output, and the user it runs as.

``Workspace.run`` runs one photoscan command in a sandboxed environment (``Sandbox``, with
``PHOTOSCAN_HOME`` inside it so the test's cache is its own) and, beside the shared bars of
``runner.check_contract``, checks that nothing was written outside the target: every entry
of the workspace but the output and photoscan's home is as it was, and ``TMPDIR`` is empty.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tests.robustness import runner
from tests.robustness.sandbox import Sandbox, changes, files_under, snapshot


@dataclass(frozen=True, slots=True)
class Workspace:
    root: Path

    @classmethod
    def create(cls, root: Path) -> Workspace:
        space = cls(root)
        space.inputs.mkdir(parents=True, exist_ok=True)
        Sandbox.create(space.root / "user")
        space.home.mkdir()
        return space

    @property
    def inputs(self) -> Path:
        return self.root / "in"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def home(self) -> Path:
        return self.root / "user" / "photoscan-home"

    @property
    def sandbox(self) -> Sandbox:
        return Sandbox(self.root / "user")

    def env(self) -> dict[str, str]:
        return {**self.sandbox.env(), "PHOTOSCAN_HOME": str(self.home), "LANG": "C.UTF-8"}

    def run(
        self,
        *args: str | os.PathLike[str],
        exit_codes: tuple[int, ...] = (0, 2),
        outputs: tuple[Path, ...] = (),
    ) -> runner.Run:
        """``photoscan ARGS`` with every shared bar checked; ``outputs`` are the paths the
        command may write besides ``out`` (a ``--json`` file elsewhere, an in-place target)."""
        return self.run_command(
            runner.photoscan_command(*args), exit_codes=exit_codes, outputs=outputs
        )

    def run_command(
        self,
        command: list[str],
        *,
        exit_codes: tuple[int, ...] = (0, 2),
        outputs: tuple[Path, ...] = (),
        file_size: int | None = None,
    ) -> runner.Run:
        """``command`` (photoscan, perhaps wrapped) under the same checks."""
        skip = (self.out, self.home, *outputs)
        before = snapshot(self.root, skip)
        result = runner.run(command, self.env(), cwd=self.root, file_size=file_size)
        runner.check_contract(result, exit_codes=exit_codes)
        written = changes(before, snapshot(self.root, skip))
        assert written == [], f"written outside the target: {written}\n{result.describe()}"
        assert files_under(self.sandbox.tmp) == [], files_under(self.sandbox.tmp)
        return result
