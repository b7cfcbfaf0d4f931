"""Build what a clerk installs: ``python3 installer/build.py`` (``py installer\\build.py``).

1. On Linux, installs the Debian packages it reads and links against when missing
   (scripts/setup-system, as scripts/run and scripts/test do); then sets up ``.venv``
   with the ``installer`` extra (PyInstaller).
2. Renders the icon from resources/icons/gongkai.svg (installer/icons.py).
3. Freezes the program into ``<dist>/gongkai/`` with installer/gongkai.spec.
4. Packages that folder: on Debian-family Linux ``<dist>/gongkai_<version>_<arch>.deb``
   (installer/deb.py); on Windows ``<dist>/gongkai-setup-<version>.exe`` with Inno
   Setup 6 (installer/gongkai.iss) when ISCC.exe is installed.

``--dist`` and ``--work`` (or GONGKAI_DIST and GONGKAI_WORK) move the output and the
scratch folders away from build/. Standard library only, so any Python 3.11+ runs it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def version() -> str:
    """The version in pyproject.toml, after checking app/__init__.py says the same."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    source = (ROOT / "app" / "__init__.py").read_text("utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', source, re.MULTILINE)
    if not match or match.group(1) != declared:
        raise SystemExit(f"app/__init__.py and pyproject.toml disagree on the version "
                         f"({match.group(1) if match else 'none'} vs {declared})")
    return declared


def venv_python() -> Path:
    """The build environment's interpreter, set up with the installer extra."""
    windows = sys.platform == "win32"
    python = ROOT / ".venv" / ("Scripts/python.exe" if windows else "bin/python")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(ROOT / ".venv")], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    "-e", ".[installer]"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return python


def find_iscc() -> Path | None:
    """Inno Setup 6's command-line compiler, if installed."""
    found = shutil.which("ISCC")
    if found:
        return Path(found)
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles"),
                 os.environ.get("LOCALAPPDATA", "") + r"\Programs"):
        if base and (Path(base) / "Inno Setup 6" / "ISCC.exe").exists():
            return Path(base) / "Inno Setup 6" / "ISCC.exe"
    return None


def _size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def main(argv: list[str] | None = None) -> int:
    """Build the frozen folder and the platform's package; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path,
                        default=Path(os.environ.get("GONGKAI_DIST", ROOT / "build" / "dist")))
    parser.add_argument("--work", type=Path,
                        default=Path(os.environ.get("GONGKAI_WORK", ROOT / "build" / "work")))
    parser.add_argument("--folder-only", action="store_true",
                        help="stop after the frozen folder (no .deb or setup.exe)")
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    started = time.perf_counter()
    ver = version()
    if sys.platform == "linux" and shutil.which("apt-get"):
        subprocess.run(["bash", str(ROOT / "scripts" / "setup-system")], check=True)
    python = venv_python()
    icons = work / "icons"
    subprocess.run([str(python), str(HERE / "icons.py"), str(icons)], check=True,
                   stdout=subprocess.DEVNULL)
    env = dict(os.environ, GONGKAI_ICON=str(icons / "gongkai.ico"))
    subprocess.run([str(python), "-m", "PyInstaller", "--noconfirm", "--clean",
                    "--log-level", "WARN", "--distpath", str(dist), "--workpath", str(work),
                    str(HERE / "gongkai.spec")], cwd=ROOT, env=env, check=True)
    folder = dist / "gongkai"
    print(f"folder:  {folder} ({_size_mb(folder):.0f} MB)")
    if not args.folder_only:
        if sys.platform == "win32":
            iscc = find_iscc()
            if iscc is None:
                print("Inno Setup 6 (ISCC.exe) is not installed: the folder is built, "
                      "the setup program is not. See installer/README.md.")
            else:
                subprocess.run([str(iscc), "/Q", f"/DAppVersion={ver}", f"/DDistDir={dist}",
                                f"/DIconFile={icons / 'gongkai.ico'}", f"/O{dist}",
                                str(HERE / "gongkai.iss")], check=True)
                print(f"setup:   {dist / f'gongkai-setup-{ver}.exe'}")
        elif shutil.which("dpkg-deb"):
            sys.path.insert(0, str(HERE))
            import deb

            package = deb.build(folder, icons, dist, work, ver)
            print(f"package: {package} ({_size_mb(package):.0f} MB)")
        else:
            print("dpkg-deb is not installed: the folder is built, the .deb is not.")
    print(f"built in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
