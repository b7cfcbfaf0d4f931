"""Package the frozen folder as a .deb for 统信UOS, 麒麟 and other Debian-family desktops.

The folder goes to /opt/gongkai; /usr/bin gets ``gongkai`` and ``gongkai-cli``; the
menu entry and the icon go where freedesktop menus look. Depends is worked out the
way dpkg-shlibdeps does it: every shared library the folder's binaries need but do
not carry is looked up on the build machine and its package is named, and libc6 gets
the newest glibc symbol version any binary asks for, so dpkg refuses a system that
is too old instead of the program failing at start.

Standard library only; run by installer/build.py. Needs dpkg-deb, readelf
(binutils) and ldconfig, all on any Debian-family build machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

INSTALL_DIR = "opt/gongkai"
PROGRAMS = ("gongkai", "gongkai-cli")
#: Bundled faces that other programs get too, so that a DOCX the desk wrote opens
#: in WPS or LibreOffice in the faces it names (仿宋, 楷体, and the 生僻字 fallbacks).
#: Not the title face or the 黑体: those carry the family names of widely installed
#: full faces (Noto Serif CJK SC, WenQuanYi Micro Hei) that a cut copy must not shadow.
SYSTEM_FONTS = ("FandolFang-Regular.ttf", "FandolKai-Regular.ttf", "HanaMinA-ext.ttf",
                "HanaMinB.ttf", "BabelStoneHan-ext.ttf")
HERE = Path(__file__).resolve().parent
#: The C library's own sonames: their package is libc6, versioned by the symbols used.
LIBC = re.compile(r"^(libc|libm|libdl|libpthread|librt|libresolv|libutil|ld-linux[-\w]*)\.so")
GLIBC_SYMBOL = re.compile(r"GLIBC_(\d+(?:\.\d+)+)")
SUMMARY = "乡镇政务公开工作台"
DESCRIPTION = """\
 乡镇政务公开工作台：按标准目录起草公示，检查个人信息，
 打印公示栏张贴页和明白纸，记录张贴位置与公示期，
 并通过网络或U盘向县级平台报送。
 .
 The township disclosure clerk's desk: drafts notices under the standard
 catalog, guards personal data, prints board sheets and handouts, and
 reports to the county platform."""


@dataclass
class Needs:
    """What the folder's binaries ask of the system."""

    packages: dict[str, list[str]] = field(default_factory=dict)  # package -> sonames
    glibc: tuple[int, ...] = (2, 17)
    unknown: list[str] = field(default_factory=list)

    def depends(self) -> str:
        """The control file's Depends line."""
        floor = ".".join(map(str, self.glibc))
        names = [f"libc6 (>= {floor})"] + sorted(set(self.packages) - {"libc6"})
        return ", ".join(names)


def elf_files(folder: Path) -> list[Path]:
    """Regular files (not links) in ``folder`` that are ELF objects."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def _readelf(path: Path) -> tuple[list[str], list[tuple[int, ...]]]:
    done = subprocess.run(["readelf", "--dynamic", "--version-info", "--wide", str(path)],
                          capture_output=True, text=True, check=True)
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", done.stdout)
    versions = [tuple(int(part) for part in found.split("."))
                for found in GLIBC_SYMBOL.findall(done.stdout)]
    return needed, versions


def _system_libraries() -> dict[str, str]:
    """soname -> path, for this machine's architecture, from the linker cache."""
    done = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True)
    machine = os.uname().machine
    libraries: dict[str, str] = {}
    for line in done.stdout.splitlines()[1:]:
        match = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if not match:
            continue
        soname, flags, path = match.groups()
        # ldconfig lists 32-bit copies too; x86-64 and AArch64 say so in the flags.
        native = ("x86-64" in flags) if machine == "x86_64" else ("AArch64" in flags
                                                                   if machine == "aarch64"
                                                                   else True)
        if native:
            libraries.setdefault(soname, path)
    return libraries


def _owner(path: str) -> str | None:
    """The Debian package that installed ``path`` (merged /usr makes two names for it)."""
    real = os.path.realpath(path)
    candidates = []
    for name in (path, real):
        candidates += [name, name.removeprefix("/usr") if name.startswith("/usr/")
                       else "/usr" + name]
    for candidate in dict.fromkeys(candidates):
        done = subprocess.run(["dpkg-query", "--search", candidate], capture_output=True,
                              text=True)
        if done.returncode == 0 and done.stdout:
            package = done.stdout.split(":", 1)[0].split(",")[0].strip()
            return package
    return None


def needs_of(folder: Path) -> Needs:
    """Work out the packages and the glibc version the frozen folder depends on."""
    carried = {path.name for path in folder.rglob("*")}
    wanted: set[str] = set()
    needs = Needs()
    for path in elf_files(folder):
        needed, versions = _readelf(path)
        wanted.update(name for name in needed if name not in carried)
        if versions:
            needs.glibc = max(needs.glibc, max(versions))
    system = _system_libraries()
    for soname in sorted(wanted):
        if LIBC.match(soname):
            needs.packages.setdefault("libc6", []).append(soname)
            continue
        path = system.get(soname)
        package = _owner(path) if path else None
        if package is None:
            needs.unknown.append(soname)
        else:
            needs.packages.setdefault(package, []).append(soname)
    return needs


def architecture() -> str:
    """Debian's name for this machine's architecture (amd64, arm64, loong64, …)."""
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()


def _stage(frozen: Path, icons: Path, root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(frozen, root / INSTALL_DIR, symlinks=True)
    bin_dir = root / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    for program in PROGRAMS:
        # Relative, so the unpacked tree works wherever it is unpacked (tests do that).
        (bin_dir / program).symlink_to(Path("../..") / INSTALL_DIR / program)
    applications = root / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    shutil.copy2(HERE / "gongkai.desktop", applications / "gongkai.desktop")
    hicolor = root / "usr" / "share" / "icons" / "hicolor"
    for png in sorted(icons.glob("gongkai-*.png")):
        size = png.stem.split("-")[1]
        target = hicolor / f"{size}x{size}" / "apps"
        target.mkdir(parents=True)
        shutil.copy2(png, target / "gongkai.png")
    scalable = hicolor / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy2(frozen / "_internal" / "resources" / "icons" / "gongkai.svg",
                 scalable / "gongkai.svg")
    fonts = root / "usr" / "share" / "fonts" / "truetype" / "gongkai"
    fonts.mkdir(parents=True)
    for name in SYSTEM_FONTS:
        # fontconfig scans /usr/share/fonts and follows links; one copy on disk.
        (fonts / name).symlink_to(Path("../../../../..") / INSTALL_DIR / "_internal" /
                                  "resources" / "fonts" / name)
    doc = root / "usr" / "share" / "doc" / "gongkai"
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "gongkai (乡镇政务公开工作台): Apache-2.0.\n"
        "Bundled: CPython (PSF License), Qt 6 and PySide6 (LGPL-3.0), ReportLab (BSD),\n"
        "PDFium (BSD/Apache-2.0), the fonts in\n"
        f"/{INSTALL_DIR}/_internal/resources/fonts/ (WenQuanYi Micro Hei: Apache-2.0; Noto\n"
        "Serif CJK, Hanazono: SIL OFL 1.1; Fandol: GPL-3 with the font exception;\n"
        "BabelStone Han: Arphic Public License; see the README there), and the libraries\n"
        f"listed under /{INSTALL_DIR}/_internal/ with their own licences.\n",
        encoding="utf-8")
    for path in root.rglob("*"):
        if path.is_symlink():
            continue
        executable = path.is_dir() or path.stat().st_mode & 0o111
        path.chmod(0o755 if executable else 0o644)


def _installed_size_kib(root: Path) -> int:
    total = sum(path.lstat().st_size for path in root.rglob("*")
                if path.is_file() or path.is_symlink())
    return (total + 1023) // 1024


def build(frozen: Path, icons: Path, out_dir: Path, work: Path, version: str) -> Path:
    """Make ``gongkai_<version>_<arch>.deb`` in ``out_dir`` from the frozen folder."""
    needs = needs_of(frozen)
    if needs.unknown:
        raise SystemExit("no installed package provides " + ", ".join(needs.unknown)
                         + "; install it on the build machine so the .deb can depend on it")
    root = work / "deb-root"
    _stage(frozen, icons, root)
    arch = architecture()
    control = root / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        f"Package: gongkai\nVersion: {version}\nArchitecture: {arch}\n"
        "Maintainer: gongkai developers <gongkai@example.invalid>\n"
        f"Installed-Size: {_installed_size_kib(root)}\n"
        f"Depends: {needs.depends()}\n"
        "Section: misc\nPriority: optional\n"
        f"Description: {SUMMARY}\n{DESCRIPTION}\n", encoding="utf-8")
    control.chmod(0o644)
    out_dir.mkdir(parents=True, exist_ok=True)
    package = out_dir / f"gongkai_{version}_{arch}.deb"
    # xz, which every dpkg since Debian 7 reads (UOS 20's cannot read zstd).
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root),
                    str(package)], check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(root)
    return package
