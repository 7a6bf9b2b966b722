"""The shape of the package (architecture §2), held by tests: no import cycles, each folder
imports only from the folders before it, small modules, one home for each shared cap and
for the atomic writer. Read from the source (AST), so nothing is imported to check it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import photoscan

PACKAGE = Path(photoscan.__file__).resolve().parent
MAX_LINES = 400
# The leaves every folder may import: records, errors, caps, paths, safe text, versions, io, lazy,
# the start-up stand-ins (named tuples, enums, paths as text).
LEAVES = frozenset(
    f"photoscan.{name}"
    for name in (
        "model",
        "findings",
        "records",
        "errors",
        "paths",
        "limits",
        "cancel",
        "printable",
        "versions",
        "io",
        "lazy",
        "tuples",
        "enums",
        "pathtext",
    )
) | {"photoscan"}
# The numbered data path: each may import its own folder, the ones before it and the leaves.
LAYERS = (
    "source",
    "containers",
    "metadata",
    "sidecars",
    "images",
    "faces",
    "places",
    "risk",
    "library",
    "scan",
    "strip",
    "share",
    "report",
    "cli",
    "gui",
)
# The one way down: two commands need Qt (``gui`` opens the app, ``report --format pdf`` has
# Qt typeset the PDF), and import it inside a function, only when run.
ALLOWED_DOWN = {
    ("photoscan.cli.gui", "photoscan.gui.app"),
    ("photoscan.cli.report", "photoscan.gui.actions.report_pdf"),
}


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def imports(module: str) -> Iterator[tuple[str, bool]]:
    """(imported photoscan module, inside a function) for every import statement of
    ``module``, wherever it is (function level and ``TYPE_CHECKING`` blocks included)."""
    path = modules()[module]
    known = modules()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def visit(node: ast.AST, in_function: bool) -> Iterator[tuple[str, bool]]:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.split(".")[0] == "photoscan":
                        yield alias.name, in_function
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                if base.split(".")[0] != "photoscan":
                    continue
                for alias in child.names:
                    target = f"{base}.{alias.name}"
                    yield (target if target in known else base), in_function
            yield from visit(child, nested)

    yield from visit(ast.parse(path.read_text()), False)


def _layer(module: str) -> int:
    """-1 for a leaf; else the index of the module's folder (or top-level module) in LAYERS."""
    if module in LEAVES:
        return -1
    part = module.split(".")[1]
    return LAYERS.index(part) if part in LAYERS else len(LAYERS)


def test_every_module_has_a_place_in_the_layout() -> None:
    misplaced = [m for m in modules() if m != "photoscan.__main__" and _layer(m) == len(LAYERS)]
    assert not misplaced, f"not a leaf nor in a numbered folder: {misplaced}"


def test_there_is_no_import_cycle() -> None:
    """Tarjan's strongly connected components over every import statement."""
    graph = {m: sorted({t for t, _ in imports(m) if t in modules() and t != m}) for m in modules()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in graph:
        if node not in index:
            connect(node)
    assert not cycles, f"import cycles: {cycles}"


def test_each_folder_imports_only_from_the_folders_before_it() -> None:
    wrong = []
    for module in modules():
        for target, in_function in imports(module):
            if target not in modules() or _layer(target) <= _layer(module):
                continue
            if in_function and (module, target) in ALLOWED_DOWN:
                continue
            wrong.append(f"{module} -> {target}")
    assert not wrong, "imports against the layering:\n" + "\n".join(wrong)


def test_the_layering_check_sees_function_level_and_type_checking_imports() -> None:
    found = dict(imports("photoscan.cli.gui"))
    assert found.get("photoscan.gui.app") is True  # inside run(): the app, lazily
    assert ("photoscan.faces.settings", False) in set(imports("photoscan.scan.jobs"))


def test_no_module_is_over_400_lines() -> None:
    sizes = {m: len(p.read_text().splitlines()) for m, p in modules().items()}
    long = {m: n for m, n in sizes.items() if n > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def _assigned_names(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                yield target.id
            elif isinstance(target, ast.Attribute):
                yield f"{ast.unparse(target.value)}.{target.attr}"


def _calls(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield ast.unparse(node.func)


def test_shared_caps_and_pillow_settings_have_one_home() -> None:
    homes = {
        "MAX_PIXELS": "photoscan.limits",
        "MAX_FILE_BYTES": "photoscan.limits",
        "Image.MAX_IMAGE_PIXELS": "photoscan.images.pillow",
    }
    for module, path in modules().items():
        tree = ast.parse(path.read_text())
        for name in _assigned_names(tree):
            if name in homes:
                assert module == homes[name], f"{module} sets {name} (its home: {homes[name]})"
        for call in _calls(tree):
            if call.endswith("register_heif_opener"):
                assert module == "photoscan.images.pillow", f"{module} registers HEIF again"


def test_one_atomic_writer() -> None:
    """Files are replaced atomically in ``io`` (and in ``strip.safety``, which keeps the
    original's mode and dates, on top of ``io.write_temp``); nothing else writes its own."""
    for module, path in modules().items():
        calls = set(_calls(ast.parse(path.read_text())))
        if module not in ("photoscan.io", "photoscan.strip.safety"):
            assert "os.replace" not in calls, f"{module} has an atomic writer of its own"
        assert "tempfile.mkstemp" not in calls, f"{module}: use photoscan.io.write_temp"
