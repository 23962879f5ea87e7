; Inno Setup 6 script of the LocalHR Desk installer for Windows (64-bit).
;
; Built by installer\build.py on a Windows build machine (installer/README.md), which first
; makes the PyInstaller folder with the same spec as Linux (installer/localhr.spec), then runs
;   ISCC /DAppVersion=<pyproject's version> /DSourceDir=<that folder> /DOutputDir=<dist>
;        /DIconFile=<resources\icons\localhr.ico> installer\windows\localhr.iss
; The version is never written here: it comes from pyproject.toml through the build.
; Saved as UTF-8 with a BOM, as Inno Setup wants for a script with Thai in it.
;
; Per-machine install into Program Files (administrator rights), Start-menu entries for
; the program and the demo office. Uninstalling removes the program and keeps the
; personnel records: the per-user data folder (%LOCALAPPDATA%\LocalHR Desk, platformdirs'
; user_data_dir) stays unless the person uninstalling says so, or passes /DELETEUSERDATA.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=x.y.z (installer\build does)
#endif
#ifndef SourceDir
  #error Pass the PyInstaller folder: ISCC /DSourceDir=...\localhr-desk (installer\build does)
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef IconFile
  #define IconFile "..\..\resources\icons\localhr.ico"
#endif

#define AppName "LocalHR Desk"
#define DataFolderName "LocalHR Desk"

[Setup]
; The AppId identifies the installation across upgrades: never change it.
AppId={{6C1E7B52-3F0A-4C8E-9B61-2D54A7E0C3B1}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=LocalHR Desk
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=LocalHR-Desk-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\localhr.exe
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; An upgrade closes a running copy first (its database is open).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[InstallDelete]
; An upgrade replaces the whole program folder: nothing of an older version's libraries stays.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\localhr.exe"; WorkingDir: "{app}"
Name: "{autoprograms}\{#AppName} demo office"; Filename: "{app}\localhr.exe"; Parameters: "demo"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\localhr.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Run]
Filename: "{app}\localhr.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
function DataFolder(): String;
begin
  Result := ExpandConstant('{localappdata}\{#DataFolderName}');
end;

function HasSwitch(const Name: String): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), Name) = 0 then
      Result := True;
end;

// The personnel records stay unless asked: a silent uninstall keeps them (/DELETEUSERDATA
// removes them), an interactive one asks, with "keep" as the default answer.
function DeleteUserData(): Boolean;
begin
  Result := False;
  if not DirExists(DataFolder()) then
    Exit;
  if HasSwitch('/DELETEUSERDATA') then
    Result := True
  else if not UninstallSilent() then
    Result := MsgBox(
      'ลบข้อมูลของ LocalHR Desk ในเครื่องนี้ด้วยหรือไม่' + #13#10 +
      '(ฐานข้อมูลทะเบียนประวัติ การตั้งค่า และงานที่ยังไม่ได้ส่ง ใน ' + DataFolder() + ')' + #13#10#13#10 +
      'Also delete LocalHR Desk''s data on this PC: the personnel database, settings and any' + #13#10 +
      'work not yet sent, in ' + DataFolder() + '?' + #13#10#13#10 +
      'เลือก "No" เพื่อเก็บข้อมูลไว้ / Choose "No" to keep it (the usual choice).',
      mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DeleteUserData() then
    DelTree(DataFolder(), True, True, True);
end;
