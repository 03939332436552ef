; Inno Setup 6.3+ script for Poplar: a per-user installer that needs no administrator rights.
;
; Build poplar.exe first (see README.md), then, from the repository root:
;   ISCC packaging\windows\poplar.iss
; The installer is written to target\installer\. The version is read from poplar.exe's own
; version information (which build.rs embeds from Cargo.toml); override it with
;   ISCC /DAppVersion=0.1.0 packaging\windows\poplar.iss

#define AppName "Poplar"
#define AppExe "poplar.exe"
; The paths below, in [Setup] and [Files], are relative to this file's folder (SourcePath).
#define AppExeSource AddBackslash(SourcePath) + "..\..\target\x86_64-pc-windows-msvc\release\poplar.exe"
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(AppExeSource, "ProductVersion")
#endif

[Setup]
; Never change AppId: it is how a later installer finds this installation to upgrade it.
AppId=io.github.poplar_mail.Poplar
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Poplar developers
AppPublisherURL=https://github.com/poplar-mail/poplar
AppSupportURL=https://github.com/poplar-mail/poplar/issues
AppUpdatesURL=https://github.com/poplar-mail/poplar/releases
; Per user: %LOCALAPPDATA%\Programs\Poplar, registry entries under HKCU.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DisableDirPage=auto
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
LicenseFile=..\..\LICENSE
SetupIconFile=poplar.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\..\target\installer
OutputBaseFilename=poplar-{#AppVersion}-x64-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; Tell Explorer when the .eml association comes or goes.
ChangesAssociations=yes
; Offer to close a running Poplar before its files are replaced or removed.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "german"; MessagesFile: "compiler:Languages\German.isl"

[CustomMessages]
english.AssocGroup=File types:
english.AssocEml=Offer Poplar in "Open with" for .eml files (saved e-mail messages)
english.EmlType=E-mail message
english.MailKeptIn=Your mail has not been removed. It is still in this folder:
english.MailKeptHint=Delete the folder yourself if you no longer need it. Account passwords stay in the Windows Credential Manager.
german.AssocGroup=Dateitypen:
german.AssocEml=Poplar unter „Öffnen mit“ für .eml-Dateien (gespeicherte E-Mails) anbieten
german.EmlType=E-Mail-Nachricht
german.MailKeptIn=Ihre E-Mails wurden nicht entfernt. Sie liegen weiterhin in diesem Ordner:
german.MailKeptHint=Löschen Sie den Ordner selbst, wenn Sie ihn nicht mehr brauchen. Die Kennwörter der Konten bleiben in der Windows-Anmeldeinformationsverwaltung.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "assoceml"; Description: "{cm:AssocEml}"; GroupDescription: "{cm:AssocGroup}"; Flags: unchecked

[Files]
Source: "{#AppExeSource}"; DestDir: "{app}"; Flags: ignoreversion
Source: "..\..\LICENSE"; DestDir: "{app}"; DestName: "LICENSE.txt"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; The optional .eml association, per user (HKA is HKCU in a per-user install). Windows does
; not let an installer take over a file type: this lists Poplar under "Open with", where the
; user can make it the default.
Root: HKA; Subkey: "Software\Classes\.eml\OpenWithProgids"; ValueType: string; ValueName: "Poplar.eml"; ValueData: ""; Flags: uninsdeletevalue; Tasks: assoceml
Root: HKA; Subkey: "Software\Classes\Poplar.eml"; ValueType: string; ValueName: ""; ValueData: "{cm:EmlType}"; Flags: uninsdeletekey; Tasks: assoceml
Root: HKA; Subkey: "Software\Classes\Poplar.eml\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: assoceml
Root: HKA; Subkey: "Software\Classes\Poplar.eml\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: assoceml
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; Flags: uninsdeletekey; Tasks: assoceml
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".eml"; ValueData: ""; Tasks: assoceml

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: the uninstaller removes only what the installer put there. The mail
; store in %APPDATA%\Poplar is the user's data and is never deleted here.

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  MailDir: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    MailDir := ExpandConstant('{userappdata}\Poplar');
    if DirExists(MailDir) and not UninstallSilent then
      MsgBox(CustomMessage('MailKeptIn') + #13#10#13#10 + MailDir + #13#10#13#10 +
        CustomMessage('MailKeptHint'), mbInformation, MB_OK);
  end;
end;
