"""The rules of the house that code can check: app/ knows no Qt, ui/ knows no SQL."""

import ast
import subprocess
import sys
import tomllib
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


def public_definitions(tree: ast.Module):
    """Module-level functions and classes, and the methods of public classes."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            yield node
            if isinstance(node, ast.ClassDef):
                yield from (m for m in node.body if isinstance(m, ast.FunctionDef)
                            and not m.name.startswith("_"))


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
