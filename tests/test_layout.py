"""The rules of the house that code can check: app/ knows no Qt, ui/ knows no SQL, and the
parts of app/ import each other one way only."""

import ast
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QT = {"PySide6", "PyQt5", "PyQt6", "shiboken6"}
STORAGE = {"sqlite3", "sqlite_utils", "httpx", "requests", "openpyxl", "docx", "reportlab"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_app_imports_no_qt_and_no_ui() -> None:
    for path in (ROOT / "app").rglob("*.py"):
        assert not imported_modules(path) & (QT | {"ui"}), path


def test_ui_holds_no_storage_or_formats() -> None:
    for path in (ROOT / "ui").rglob("*.py"):
        assert not imported_modules(path) & STORAGE, path


#: The parts of app/, in the order they may import each other: a module imports its
#: own part and the parts before it, never one after it. The foundation is the
#: modules at the top of app/; ``desk`` opens a data folder for the CLI and the GUI.
ORDER = ("foundation", "catalog", "notices", "printing", "info_requests", "planning", "sync",
         "reports", "assessment", "desk", "cli")
FOUNDATION = {"__init__", "errors", "clock", "paths", "facts", "atomic", "logs", "migrations",
              "store", "backups", "township", "workdays", "phones"}
#: The county's server stands apart: it knows the foundation, the protocol and the USB
#: format it shares with the townships, and the catalog item they exchange, no more.
COUNTY_MAY_USE = {"app.sync.protocol", "app.sync.bundle", "app.catalog.item"}


def app_modules() -> dict[str, Path]:
    """Every module of app/ by its dotted name (packages by their own name)."""
    found = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def app_imports(path: Path, modules: set[str]) -> Iterator[tuple[int, str]]:
    """Each app module imported anywhere in ``path`` (top level, functions, TYPE_CHECKING).

    ``from app.sync import outbox`` names the module app.sync.outbox;
    ``from app.catalog.items import get_item`` names app.catalog.items.
    """
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "app" or alias.name.startswith("app."):
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and (
                node.module == "app" or node.module.startswith("app.")):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                yield node.lineno, candidate if candidate in modules else node.module


def part_of(module: str) -> str:
    """The part of app/ a dotted module name belongs to (``foundation`` for the top ones)."""
    parts = module.split(".")
    if len(parts) == 1 or (len(parts) == 2 and parts[1] in FOUNDATION):
        return "foundation"
    return parts[1]


def import_graph() -> dict[str, set[str]]:
    """Module → the app modules it imports (packages' ``__init__`` left out: docstring only)."""
    modules = app_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {target for _line, target in app_imports(path, set(modules))
                       if target in modules and target != name
                       and modules[target].name != "__init__.py"}
    return graph


def test_parts_import_each_other_one_way_only() -> None:
    modules = app_modules()
    parts = {p.name for p in (ROOT / "app").iterdir() if p.is_dir() and p.name != "__pycache__"}
    top = {p.stem for p in (ROOT / "app").glob("*.py")}
    # Every part and every top module has its place in the written order.
    assert parts - {"county"} == set(ORDER) - {"foundation", "desk"}, parts
    assert top == FOUNDATION | {"desk"}, top
    wrong = []
    for name, path in modules.items():
        mine = part_of(name)
        for line, target in app_imports(path, set(modules)):
            theirs = part_of(target)
            where = f"{path.relative_to(ROOT)}:{line} imports {target}"
            if mine == "county":
                if theirs not in ("foundation", "county") and target not in COUNTY_MAY_USE:
                    wrong.append(where + " (the county knows only the shared formats)")
            elif theirs == "county":
                wrong.append(where + " (only the county's own modules use it)")
            elif ORDER.index(theirs) > ORDER.index(mine):
                wrong.append(f"{where} ({mine} comes before {theirs})")
    assert not wrong, "\n".join(wrong)


def test_the_desk_never_runs_the_county() -> None:
    # ui/ comes after every part of app/ but the county's server, which no clerk runs.
    modules = set(app_modules())
    for path in (ROOT / "ui").rglob("*.py"):
        for line, target in app_imports(path, modules):
            assert part_of(target) != "county", f"{path.relative_to(ROOT)}:{line} {target}"


def test_no_import_cycle_among_app_modules() -> None:
    graph = import_graph()
    # Tarjan's strongly connected components: any with two or more modules is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert not cycles, cycles


def test_packages_are_parts_and_names_do_not_repeat_them() -> None:
    for package in (ROOT / "app").iterdir():
        if not (package / "__init__.py").exists():
            continue
        tree = ast.parse((package / "__init__.py").read_text(encoding="utf-8"))
        # The package's __init__ is its docstring: nothing is imported through it.
        assert ast.get_docstring(tree) and len(tree.body) == 1, package
        stems = {package.name, package.name.removesuffix("s")}
        for module in package.glob("*.py"):
            assert not module.stem.startswith(tuple(s + "_" for s in stems)), module


def test_every_command_module_has_the_same_shape() -> None:
    from app.cli.main import COMMANDS

    modules = {p.stem for p in (ROOT / "app" / "cli").glob("*.py")} - {"__init__", "main", "shape"}
    assert set(COMMANDS.values()) == modules
    for name in modules:
        tree = ast.parse((ROOT / "app" / "cli" / f"{name}.py").read_text(encoding="utf-8"))
        register = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "register"]
        assert len(register) == 1 and [a.arg for a in register[0].args.args] == ["sub"], name
        assert not [n.name for n in tree.body if isinstance(n, ast.FunctionDef)
                    and n.name.startswith("add_")], name


def _overload(node: ast.AST) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "overload"
               for d in getattr(node, "decorator_list", ()))


def public_definitions(tree: ast.Module):
    """Module-level functions and classes, and the methods of public classes.

    The ``@overload`` signatures of a function are left out: its docstring is
    on the implementation they describe.
    """
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            if not _overload(node):
                yield node
            if isinstance(node, ast.ClassDef):
                yield from (m for m in node.body if isinstance(m, ast.FunctionDef)
                            and not m.name.startswith("_") and not _overload(m))


def test_public_functions_have_docstrings_and_hints() -> None:
    missing = []
    for folder in ("app", "ui", "installer"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in public_definitions(tree):
                where = f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
                if not ast.get_docstring(node):
                    missing.append(where)
                if isinstance(node, ast.FunctionDef) and node.returns is None:
                    missing.append(where + " has no return annotation")
    assert not missing, "\n".join(missing)


def test_app_runs_without_qt_installed_in_the_process() -> None:
    code = ("import sys; sys.modules['PySide6'] = None; import app.cli.main, app.catalog.importing,"
            " app.catalog.search, app.workdays; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_console_scripts_and_dependency_reasons() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert set(project["scripts"]) == {"gongkai", "gongkai-county"}
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for dep in project["dependencies"]:
        line = next(x for x in text.splitlines() if f'"{dep}"' in x)
        reason = line.split("#", 1)[1] if "#" in line else ""
        previous = text.splitlines()[text.splitlines().index(line) - 1]
        assert reason.strip() or previous.strip().startswith("#"), dep


def test_ruff_is_clean() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    out = subprocess.run([str(ruff), "check", "app", "ui", "tests", "installer"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
