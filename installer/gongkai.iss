; gongkai — the Windows setup program, compiled by installer/build.py with Inno Setup 6
; (ISCC.exe), from the folder PyInstaller built. tests/test_frozen.py checks what can be
; checked without Windows: every path named here exists in a real build, and the
; version is pyproject.toml's.
;
; Installs for the clerk's own account: no administrator password, which a township
; PC's user often does not have. The program goes to %LOCALAPPDATA%\Programs\gongkai;
; the clerk's data lives in %LOCALAPPDATA%\gongkai (app/paths.py), which this script
; never names for deletion, so an uninstall or an upgrade leaves it as it was.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef DistDir
  #define DistDir "..\build\dist"
#endif
#ifndef IconFile
  #define IconFile "..\build\work\icons\gongkai.ico"
#endif
#define AppName "乡镇政务公开工作台"
#define AppExe "gongkai.exe"

[Setup]
; The same AppId in every version: a newer setup upgrades in place.
AppId={{6F1C2A54-3B8E-4D0F-9C71-2E5A8B4D7C10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=gongkai
VersionInfoVersion={#AppVersion}
PrivilegesRequired=lowest
DefaultDirName={autopf}\gongkai
UsePreviousAppDir=yes
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Python 3.11 and Qt 6 run on 64-bit Windows 10 and 11 only.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputBaseFilename=gongkai-setup-{#AppVersion}
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
; A running copy is closed before its files are replaced.
CloseApplications=yes

[Languages]
; Recent Inno Setup releases ship the Simplified Chinese texts among the official
; languages; older ones keep them under Languages\Unofficial.
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(CompilerPath + "Languages\Unofficial\ChineseSimplified.isl")
Name: "chs"; MessagesFile: "compiler:Languages\Unofficial\ChineseSimplified.isl"
#else
  #error Inno Setup's ChineseSimplified.isl is missing: see installer/README.md
#endif

[CustomMessages]
chs.DesktopIcon=在桌面上创建快捷方式
chs.Shortcuts=快捷方式：
chs.LaunchApp=现在启动乡镇政务公开工作台
chs.Uninstall=卸载乡镇政务公开工作台
chs.DataKept=程序已卸载。公示、目录、备份等数据仍保存在：%n%n%1%n%n重新安装后会继续使用这些数据；确实不再需要时，可以手动删除这个文件夹。

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:Shortcuts}"

[InstallDelete]
; An upgrade replaces the program's libraries wholesale, so nothing an older build
; shipped lingers beside the new ones. Only the program folder: never the data.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\gongkai\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The faces a DOCX of the desk names, for Word and WPS too (installer/deb.py's
; SYSTEM_FONTS; per user, as the program is). Left on uninstall: a document may use them.
Source: "{#DistDir}\gongkai\_internal\resources\fonts\FandolFang-Regular.ttf"; DestDir: "{autofonts}"; FontInstall: "FandolFang R"; Flags: onlyifdoesntexist uninsneveruninstall
Source: "{#DistDir}\gongkai\_internal\resources\fonts\FandolKai-Regular.ttf"; DestDir: "{autofonts}"; FontInstall: "FandolKai"; Flags: onlyifdoesntexist uninsneveruninstall
Source: "{#DistDir}\gongkai\_internal\resources\fonts\HanaMinA-ext.ttf"; DestDir: "{autofonts}"; FontInstall: "HanaMinA Regular"; Flags: onlyifdoesntexist uninsneveruninstall
Source: "{#DistDir}\gongkai\_internal\resources\fonts\HanaMinB.ttf"; DestDir: "{autofonts}"; FontInstall: "HanaMinB Regular"; Flags: onlyifdoesntexist uninsneveruninstall
Source: "{#DistDir}\gongkai\_internal\resources\fonts\BabelStoneHan-ext.ttf"; DestDir: "{autofonts}"; FontInstall: "BabelStone Han"; Flags: onlyifdoesntexist uninsneveruninstall

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{cm:Uninstall}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchApp}"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  { Say where the data stayed, so nobody thinks it was lost or deletes it by mistake. }
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{localappdata}\gongkai')]),
           mbInformation, MB_OK);
end;
