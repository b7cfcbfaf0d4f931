"""What a clerk installs: the frozen folder, the .deb, and the Windows setup script.

The build is the documented command itself (``python3 installer/build.py``), into a
temporary folder. The frozen executables then run with an empty PATH, from a
folder outside the repository, so nothing of the developer's Python or of this
tree can stand in for what the build should contain. The .deb is unpacked and run
the same way, its menu entry checked with desktop-file-validate and its Depends
with apt. Inno Setup cannot run here: its script is checked against the same
build for every path it names, and against pyproject.toml for the version.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from tests_support import build_at_version

import app
from app import migrations, paths

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"][
    "version"]
ISS = ROOT / "installer" / "gongkai.iss"
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Build:
    """What one run of installer/build.py left behind."""

    folder: Path
    deb: Path
    icons: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Run the documented build command once for the module."""
    out = tmp_path_factory.mktemp("frozen")
    done = subprocess.run([sys.executable, str(ROOT / "installer" / "build.py"),
                           "--dist", str(out / "dist"), "--work", str(out / "work")],
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    debs = list((out / "dist").glob("gongkai_*.deb"))
    assert len(debs) == 1, done.stdout
    return Build(out / "dist" / "gongkai", debs[0], out / "work" / "icons")


@pytest.fixture(scope="module")
def unpacked(built: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .deb's files, unpacked into a root of their own."""
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "--extract", str(built.deb), str(root)], check=True)
    return root


def run_frozen(program: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run one of the frozen executables with no Python anywhere on PATH."""
    empty = home / "empty-path"
    empty.mkdir(exist_ok=True)
    env = {"PATH": str(empty), "HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
           "LANG": "C.UTF-8", "GONGKAI_TODAY": "2026-11-23"}
    return subprocess.run([str(program), *args], env=env, cwd=home, capture_output=True,
                          text=True, timeout=120)


def domains_listed(program: Path, data: Path, home: Path) -> list[dict]:
    """``catalog domains --json`` from a frozen executable."""
    listed = run_frozen(program, "--data-dir", str(data), "catalog", "domains", "--json",
                        home=home)
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


# -- the frozen folder ------------------------------------------------------------------

@pytest.mark.slow
def test_frozen_program_starts_and_lists_the_domains_without_python(built: Build,
                                                                     tmp_path: Path) -> None:
    data = tmp_path / "data"
    started = run_frozen(built.folder / "gongkai", "--data-dir", str(data), "gui", "--smoke",
                         home=tmp_path)
    assert started.returncode == 0, started.stderr
    assert "ready in" in started.stdout
    domains = domains_listed(built.folder / "gongkai-cli", data, tmp_path)
    assert len(domains) == 13 and sum(d["items"] for d in domains) > 100
    assert {"社会救助", "财政预决算", "公共法律服务"} <= {d["name"] for d in domains}
    # The parts added since read their data from the frozen resources: the plan of the
    # year from the catalog, the 考核 from the shipped example rules, a 图解 drawn by PDFium.
    cli = built.folder / "gongkai-cli"
    plan = run_frozen(cli, "--data-dir", str(data), "plan", "--json", home=tmp_path)
    assert plan.returncode == 0, plan.stderr
    assert any(e["period"] == "2026-11" for e in json.loads(plan.stdout)["entries"])
    scored = run_frozen(cli, "--data-dir", str(data), "assess", "--json", home=tmp_path)
    assert scored.returncode == 0 and json.loads(scored.stdout)["example"] is True, scored.stderr
    parent = run_frozen(cli, "--data-dir", str(data), "notice", "new", "--item", "shjz-002",
                        "--json", home=tmp_path)
    made = run_frozen(cli, "--data-dir", str(data), "notice", "new", "--kind", "解读",
                      "--explains", json.loads(parent.stdout)["id"], "--form", "图解",
                      "--json", home=tmp_path)
    assert made.returncode == 0, made.stderr
    picture = tmp_path / "图解.png"
    drawn = run_frozen(cli, "--data-dir", str(data), "notice", "render",
                       json.loads(made.stdout)["id"], "--graphic", "--out", str(picture),
                       home=tmp_path)
    assert drawn.returncode == 0 and picture.read_bytes()[:4] == b"\x89PNG", drawn.stderr
    # A 明白纸 carries a QR code: reportlab's barcodes must be in the folder too.
    handout = run_frozen(cli, "--data-dir", str(data), "notice", "new", "--item", "shjz-002",
                         "--kind", "明白纸", "--json", home=tmp_path)
    sheet = tmp_path / "明白纸.pdf"
    printed = run_frozen(cli, "--data-dir", str(data), "notice", "render",
                         json.loads(handout.stdout)["id"], "--out", str(sheet), "--qr-url",
                         "https://www.example.gov.cn/qsz/1.html", home=tmp_path)
    assert printed.returncode == 0 and sheet.read_bytes()[:5] == b"%PDF-", printed.stderr


@pytest.mark.slow
def test_frozen_folder_holds_what_the_program_needs_and_nothing_else(built: Build) -> None:
    inside = built.folder / "_internal"
    plugins = inside / "PySide6" / "Qt" / "plugins"
    for name in ("platforms", "imageformats", "printsupport", "iconengines",
                 "platforminputcontexts"):
        assert (plugins / name).is_dir(), name
    assert {p.name for p in (plugins / "platforms").iterdir()} == {
        "libqxcb.so", "libqoffscreen.so", "libqminimal.so"}
    for shipped in ("catalog/default.json", "fonts/wqy-microhei.ttc",
                    "templates/default.toml", "icons/gongkai.svg"):
        assert (inside / "resources" / shipped).is_file(), shipped
    assert {p.name for p in (inside / "PySide6" / "Qt" / "translations").iterdir()} == {
        "qtbase_zh_CN.qm", "qt_zh_CN.qm"}
    for absent in ("fastapi", "uvicorn", "sqlalchemy", "psycopg", "pytest"):
        assert not (inside / absent).exists(), absent
    # The desktop's libraries come from the system the program runs on, not from
    # the machine that built it; the interpreter's own stay in the folder.
    names = {p.name for p in inside.iterdir()}
    for system in ("libgtk-3.so.0", "libX11.so.6", "libfontconfig.so.1", "libcups.so.2",
                   "libglib-2.0.so.0", "libstdc++.so.6"):
        assert system not in names, system
    for runtime in ("libssl.so.3", "libsqlite3.so.0", "libffi.so.8"):
        assert runtime in names, runtime
    # Nothing points back at this tree or its virtual environment.
    assert not list(inside.glob("**/*.pth"))


@pytest.mark.slow
def test_frozen_program_migrates_an_older_data_folder_after_a_backup(built: Build,
                                                                     tmp_path: Path) -> None:
    data = tmp_path / "old"
    data.mkdir()
    build_at_version(data, 1)
    domains_listed(built.folder / "gongkai-cli", data, tmp_path)
    conn = sqlite3.connect(paths.db_path(data))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    assert conn.execute("SELECT value FROM settings WHERE key = 'township'").fetchone()[0] \
        == "青石镇"
    conn.close()
    backups = list((data / "backups").glob(f"*-before-v{migrations.LATEST}.sqlite3"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    old.close()


@pytest.mark.slow
def test_frozen_program_refuses_a_newer_database_and_leaves_it_alone(built: Build,
                                                                     tmp_path: Path) -> None:
    data = tmp_path / "newer"
    domains_listed(built.folder / "gongkai-cli", data, tmp_path)
    db = paths.db_path(data)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    for program, args in (("gongkai-cli", ("catalog", "domains")),
                          ("gongkai", ("gui", "--smoke"))):
        refused = run_frozen(built.folder / program, "--data-dir", str(data), *args,
                             home=tmp_path)
        assert refused.returncode != 0
        # One sentence (Qt's offscreen plugin may add a line of its own in English).
        said = [line for line in refused.stderr.splitlines() if CJK.search(line)]
        assert len(said) == 1 and "更新版本" in said[0], refused.stderr
        assert "Traceback" not in refused.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


# -- the .deb ---------------------------------------------------------------------------

def deb_field(deb: Path, name: str) -> str:
    """One field of the package's control file."""
    return subprocess.run(["dpkg-deb", "--field", str(deb), name], capture_output=True,
                          text=True, check=True).stdout.strip()


def glibc_floor(folder: Path) -> str:
    """The newest GLIBC_x.y symbol version any binary in ``folder`` asks for (objdump's view)."""
    newest: tuple[int, ...] = (0,)
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        with path.open("rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
        symbols = subprocess.run(["objdump", "-T", str(path)], capture_output=True,
                                 text=True).stdout
        for found in re.findall(r"\(GLIBC_(\d+(?:\.\d+)+)\)", symbols):
            newest = max(newest, tuple(map(int, found.split("."))))
    return ".".join(map(str, newest))


@pytest.mark.slow
def test_deb_says_what_it_is_and_what_it_needs(built: Build, unpacked: Path) -> None:
    assert deb_field(built.deb, "Package") == "gongkai"
    assert deb_field(built.deb, "Version") == PYPROJECT_VERSION
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    assert deb_field(built.deb, "Architecture") == arch
    assert built.deb.name == f"gongkai_{PYPROJECT_VERSION}_{arch}.deb"
    depends = deb_field(built.deb, "Depends")
    assert f"libc6 (>= {glibc_floor(unpacked / 'opt' / 'gongkai')})" in depends
    assert {"libxcb-cursor0", "libfontconfig1", "libcups2"} <= {
        part.split(" ")[0] for part in depends.split(", ")}
    installed_kib = int(deb_field(built.deb, "Installed-Size"))
    on_disk = sum(p.lstat().st_size for p in unpacked.rglob("*") if not p.is_dir()) / 1024
    assert abs(installed_kib - on_disk) < 0.01 * on_disk
    # apt reads the control file as it would on a clerk's PC and finds every
    # dependency among this distribution's packages.
    simulated = subprocess.run(["apt-get", "install", "--simulate", "--no-install-recommends",
                                str(built.deb)], capture_output=True, text=True)
    assert simulated.returncode == 0, simulated.stdout[-2000:] + simulated.stderr[-2000:]
    assert re.search(r"^Inst gongkai ", simulated.stdout, re.MULTILINE), simulated.stdout


@pytest.mark.slow
def test_deb_program_runs_from_usr_bin_with_no_python(unpacked: Path, tmp_path: Path) -> None:
    cli = unpacked / "usr" / "bin" / "gongkai-cli"
    assert cli.is_symlink() and not os.readlink(cli).startswith("/")
    data = tmp_path / "data"
    assert len(domains_listed(cli, data, tmp_path)) == 13
    started = run_frozen(unpacked / "usr" / "bin" / "gongkai", "--data-dir", str(data), "gui",
                         "--smoke", home=tmp_path)
    assert started.returncode == 0 and "ready in" in started.stdout, started.stderr
    # Every library a binary in the package loads is either in the package or
    # installed on this system (which has the Depends above).
    internal = unpacked / "opt" / "gongkai" / "_internal"
    missing = []
    for path in sorted((unpacked / "opt" / "gongkai").rglob("*.so*")):
        if path.is_symlink():
            continue
        linked = subprocess.run(["ldd", str(path)], capture_output=True, text=True,
                                env={"LD_LIBRARY_PATH": str(internal)})
        missing += [f"{path.name}: {line.strip()}" for line in linked.stdout.splitlines()
                    if "not found" in line]
    assert not missing, missing


@pytest.mark.slow
def system_fonts() -> tuple[str, ...]:
    """installer/deb.py's SYSTEM_FONTS (installer/ is scripts, not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gk_deb", ROOT / "installer" / "deb.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module.SYSTEM_FONTS


def test_deb_shares_the_docx_faces_with_other_programs(unpacked: Path) -> None:
    shared = unpacked / "usr" / "share" / "fonts" / "truetype" / "gongkai"
    assert sorted(p.name for p in shared.iterdir()) == sorted(system_fonts())
    for link in shared.iterdir():
        # A link into the program folder: one copy on disk, gone with the package.
        assert link.is_symlink() and not Path(os.readlink(link)).is_absolute()
        target = link.resolve()
        assert target.is_file() and (unpacked / "opt" / "gongkai") in target.parents
    scanned = subprocess.run(["fc-scan", "--format", "%{family}\n", str(shared)],
                             capture_output=True, text=True, check=True).stdout
    families = {name for line in scanned.splitlines() for name in line.split(",")}
    assert {"FandolFang R", "FandolKai", "HanaMinB", "BabelStone Han"} <= families


def test_deb_menu_entry_and_icon(unpacked: Path) -> None:
    entry = unpacked / "usr" / "share" / "applications" / "gongkai.desktop"
    checked = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True,
                             text=True)
    assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout
    fields = dict(line.split("=", 1) for line in entry.read_text("utf-8").splitlines()
                  if "=" in line)
    assert fields["Name"] == "乡镇政务公开工作台"
    program = unpacked / fields["Exec"].split()[0].lstrip("/")
    assert program.is_file() and os.access(program, os.X_OK)
    hicolor = unpacked / "usr" / "share" / "icons" / "hicolor"
    for size in (16, 32, 48, 128, 256):
        with Image.open(hicolor / f"{size}x{size}" / "apps" / f"{fields['Icon']}.png") as icon:
            assert icon.size == (size, size)
            # Drawn, not blank: the red of the tile is there.
            colours = icon.convert("RGB").getcolors(maxcolors=size * size)
            assert (184, 40, 42) in {colour for _count, colour in colours}
    assert (hicolor / "scalable" / "apps" / f"{fields['Icon']}.svg").is_file()


# -- the Windows setup script -----------------------------------------------------------

@dataclass
class SetupScript:
    """An Inno Setup script after the preprocessor's defines, read section by section."""

    setup: dict[str, str]
    entries: dict[str, list[dict[str, str]]]
    messages: dict[str, str]
    code: str


def read_iss(path: Path, defines: dict[str, str]) -> SetupScript:
    """Parse ``path`` the way ISCC would see it with ``/D`` ``defines`` on its command line."""
    text = path.read_text("utf-8-sig")
    values = dict(re.findall(r'^\s*#define (\w+) "([^"]*)"', text, re.MULTILINE))
    values.update(defines)
    text = re.sub(r"\{#(\w+)\}", lambda m: values[m.group(1)], text)
    sections: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        header = re.fullmatch(r"\[(\w+)\]", line.strip())
        if header:
            current = header.group(1)
            sections.setdefault(current, [])
        elif current == "Code" or (line.strip() and not line.lstrip().startswith((";", "#"))):
            sections.setdefault(current, []).append(line)
    setup = dict(line.split("=", 1) for line in sections["Setup"])
    messages = dict(line.split("=", 1) for line in sections.get("CustomMessages", []))
    entries = {}
    for name, lines in sections.items():
        if name in ("Setup", "CustomMessages", "Code"):
            continue
        entries[name] = [{key: (quoted if quoted or not bare else bare.strip())
                          for key, quoted, bare in
                          re.findall(r'(\w+):\s*(?:"([^"]*)"|([^;]*))', line)}
                         for line in lines]
    return SetupScript(setup, entries, messages, "\n".join(sections.get("Code", [])))


def test_windows_setup_installs_per_user_in_chinese_and_keeps_the_data() -> None:
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "ISCC reads non-ASCII text right only with a BOM"
    script = read_iss(ISS, {})
    setup = script.setup
    assert setup["AppVersion"] == PYPROJECT_VERSION == app.__version__
    assert re.fullmatch(r"\d+(\.\d+){1,3}", setup["VersionInfoVersion"])
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["DefaultDirName"].startswith("{autopf}\\")
    assert setup["AppId"].startswith("{{")
    assert any("ChineseSimplified.isl" in lang["MessagesFile"]
               for lang in script.entries["Languages"])
    assert script.messages and all(CJK.search(text) for text in script.messages.values())
    assert CJK.search(setup["AppName"])
    shortcuts = {icon["Name"].split("\\")[0] for icon in script.entries["Icons"]}
    assert {"{group}", "{autodesktop}"} <= shortcuts
    # The data folder: never deleted, and named rightly in the goodbye message.
    assert "UninstallDelete" not in script.entries
    for deleted in script.entries.get("InstallDelete", []):
        assert deleted["Name"].startswith("{app}\\"), deleted
    import platformdirs.windows

    folders = {"CSIDL_LOCAL_APPDATA": "{localappdata}", "CSIDL_APPDATA": "{userappdata}"}
    original = platformdirs.windows.get_win_folder
    platformdirs.windows.get_win_folder = folders.__getitem__
    try:
        data_dir = platformdirs.windows.Windows(**paths.PLATFORM_DIRS).user_data_dir
    finally:
        platformdirs.windows.get_win_folder = original
    assert f"ExpandConstant('{data_dir.replace('/', chr(92))}')" in script.code
    assert not data_dir.replace("/", "\\").startswith(setup["DefaultDirName"])


@pytest.mark.slow
def test_windows_setup_names_only_what_the_build_made(built: Build) -> None:
    """Every Source, icon and program the script names exists in a real build.

    The build here is Linux's, so ``gongkai.exe`` is looked for as ``gongkai``: the
    same spec names the same executables on both systems.
    """
    script = read_iss(ISS, {"AppVersion": PYPROJECT_VERSION,
                            "DistDir": str(built.folder.parent),
                            "IconFile": str(built.icons / "gongkai.ico")})

    def local(name: str) -> Path:
        path = Path(name.replace("\\", "/"))
        return path if path.is_absolute() else (ISS.parent / path)

    with Image.open(local(script.setup["SetupIconFile"])) as icon:
        assert icon.format == "ICO" and (256, 256) in icon.ico.sizes()
    program, *faces = script.entries["Files"]
    pattern = local(program["Source"])
    assert pattern.name == "*" and pattern.parent == built.folder
    assert {"gongkai", "gongkai-cli", "_internal"} <= {p.name for p in pattern.parent.iterdir()}
    # The faces shared with Word and WPS: the .deb's own list, each named as Windows
    # will show it (the face's full name), installed per user and never removed.
    from reportlab.pdfbase.ttfonts import TTFontFile

    assert [Path(f["Source"].replace("\\", "/")).name for f in faces] == list(system_fonts())
    for face in faces:
        path = local(face["Source"])
        assert path.is_file() and path.parent == built.folder / "_internal" / "resources" / "fonts"
        assert face["DestDir"] == "{autofonts}" and "uninsneveruninstall" in face["Flags"]
        assert face["FontInstall"] == TTFontFile(str(path)).fullName.decode()
    programs = [entry["Filename"] for section in ("Icons", "Run")
                for entry in script.entries[section] if entry["Filename"].startswith("{app}")]
    programs.append(script.setup["UninstallDisplayIcon"])
    assert programs
    for program in programs:
        inside = program.removeprefix("{app}\\").removesuffix(".exe")
        assert (built.folder / inside).is_file(), program
