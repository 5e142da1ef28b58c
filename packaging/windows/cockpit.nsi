; The cockpit's Windows installer (NSIS 3). Installs the PyInstaller one-folder bundle and writes the
; site file, %ProgramData%\cockpit\site.toml, from the installer's options, so that a silent install
; configures a centre:
;
;   cockpit-setup.exe /S /DISTRICT=lakeside /LEVEL=district /NAME="Lakeside centre"
;                        /BACKEND=wss://a.example:8765,wss://b.example:8765 /CAFILE=C:\certs\ca.pem /LANG=zh_CN
;
; Without /DISTRICT an existing site file is kept (upgrades); with none, the demo one is written.
;
; The wall as a service (docs/operations.md, "The wall as a service", Windows): /KIOSKUSER=NAME
; makes a scheduled task, "Cockpit wall", that starts the wall at NAME's logon under
; "cockpit supervise", which starts it again whenever it ends (a crash, or its own watchdog after a
; hung GUI thread) and stops it in order when the user logs off. Signing NAME in automatically at
; boot is the site's to set up (it needs NAME's password): see the operations guide.
; The cockpit validates the file when it starts; run "cockpit doctor" after installing.
; Uninstalling keeps %ProgramData%\cockpit (the site file and the recordings).
;
; Build (CI: .github/workflows/windows.yml; also compiles on Linux with Debian's nsis):
;   makensis -DVERSION=0.1.0 -DBUNDLE_DIR=dist\cockpit -DOUTFILE=cockpit-0.1.0-setup.exe cockpit.nsi

Unicode true
!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef BUNDLE_DIR
  !error "pass -DBUNDLE_DIR=<the PyInstaller dist\cockpit folder>"
!endif
!ifndef OUTFILE
  !define OUTFILE "cockpit-${VERSION}-setup.exe"
!endif

!include "MUI2.nsh"
!include "nsDialogs.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "WordFunc.nsh"
!include "x64.nsh"

Name "Cockpit video wall ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\Cockpit"
InstallDirRegKey HKLM "Software\Cockpit" "InstallDir"
RequestExecutionLevel admin
SetCompressor /SOLID lzma
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "Cockpit video wall"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "Cockpit video wall installer"
VIAddVersionKey "LegalCopyright" "Proprietary"

!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Cockpit"

Var District
Var Level
Var CentreName
Var Backend
Var CaFile
Var UiLanguage
Var KioskUser
Var SiteDir
Var DistrictField
Var LevelField
Var NameField
Var BackendField
Var CaFileField

!insertmacro MUI_PAGE_DIRECTORY
Page custom SitePage SitePageLeave
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  SetShellVarContext all
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "The cockpit needs 64-bit Windows." /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  StrCpy $SiteDir "$APPDATA\cockpit"
  ${GetParameters} $R0
  ${GetOptions} $R0 "/DISTRICT=" $District
  ${GetOptions} $R0 "/LEVEL=" $Level
  ${GetOptions} $R0 "/NAME=" $CentreName
  ${GetOptions} $R0 "/BACKEND=" $Backend
  ${GetOptions} $R0 "/CAFILE=" $CaFile
  ${GetOptions} $R0 "/LANG=" $UiLanguage
  ${GetOptions} $R0 "/KIOSKUSER=" $KioskUser
  ${If} $Level == ""
    StrCpy $Level "district"
  ${EndIf}
  ${If} $District != ""
  ${AndIf} $Level != "street"
  ${AndIf} $Level != "district"
  ${AndIf} $Level != "city"
    MessageBox MB_ICONSTOP "/LEVEL must be street, district or city, not '$Level'." /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  ${If} $CentreName == ""
    StrCpy $CentreName "$District"
  ${EndIf}
FunctionEnd

; The interactive page: the same values as the silent options, prefilled from them.
Function SitePage
  ${If} ${FileExists} "$SiteDir\site.toml"
  ${AndIf} $District == ""
    Abort ; an upgrade: the site file stays as it is
  ${EndIf}
  !insertmacro MUI_HEADER_TEXT "Site" "This centre's site file ($SiteDir\site.toml). Leave the district empty for the demo city."
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 30% 12u "District code"
  ${NSD_CreateText} 32% 0 68% 12u "$District"
  Pop $DistrictField
  ${NSD_CreateLabel} 0 18u 30% 12u "Level"
  ${NSD_CreateDropList} 32% 18u 68% 60u ""
  Pop $LevelField
  ${NSD_CB_AddString} $LevelField "street"
  ${NSD_CB_AddString} $LevelField "district"
  ${NSD_CB_AddString} $LevelField "city"
  ${NSD_CB_SelectString} $LevelField "$Level"
  ${NSD_CreateLabel} 0 36u 30% 12u "Centre name"
  ${NSD_CreateText} 32% 36u 68% 12u "$CentreName"
  Pop $NameField
  ${NSD_CreateLabel} 0 54u 30% 12u "Backend URLs (comma-separated)"
  ${NSD_CreateText} 32% 54u 68% 12u "$Backend"
  Pop $BackendField
  ${NSD_CreateLabel} 0 72u 30% 12u "CA bundle (PEM)"
  ${NSD_CreateText} 32% 72u 68% 12u "$CaFile"
  Pop $CaFileField
  nsDialogs::Show
FunctionEnd

Function SitePageLeave
  ${NSD_GetText} $DistrictField $District
  ${NSD_GetText} $LevelField $Level
  ${NSD_GetText} $NameField $CentreName
  ${NSD_GetText} $BackendField $Backend
  ${NSD_GetText} $CaFileField $CaFile
  ${If} $CentreName == ""
    StrCpy $CentreName "$District"
  ${EndIf}
FunctionEnd

; A TOML basic string: backslashes and double quotes escaped. Input on the stack, output on the stack.
Function TomlString
  Exch $R0
  ${WordReplace} "$R0" "\" "\\" "+" $R0
  ${WordReplace} "$R0" '"' '\"' "+" $R0
  StrCpy $R0 '"$R0"'
  Exch $R0
FunctionEnd

Function WriteSite
  ${If} ${FileExists} "$SiteDir\site.toml"
  ${AndIf} $District == ""
    DetailPrint "Keeping the site file $SiteDir\site.toml"
    Return
  ${EndIf}
  ${If} $District == ""
    StrCpy $District "demo"
    StrCpy $CentreName "Demo centre"
    StrCpy $Backend ""
  ${EndIf}
  CreateDirectory "$SiteDir"
  ; UTF-16LE with a byte-order mark: the only Unicode NSIS writes; the cockpit reads it (a Chinese
  ; centre name would not survive the ANSI code page).
  FileOpen $0 "$SiteDir\site.toml" w
  FileWriteUTF16LE /BOM $0 "# Written by the cockpit installer ${VERSION}. Every key: docs/operations.md.$\r$\n"
  FileWriteUTF16LE $0 "[centre]$\r$\n"
  Push $District
  Call TomlString
  Pop $1
  FileWriteUTF16LE $0 "district = $1$\r$\n"
  FileWriteUTF16LE $0 'level = "$Level"$\r$\n'
  Push $CentreName
  Call TomlString
  Pop $1
  FileWriteUTF16LE $0 "name = $1$\r$\n$\r$\n[backend]$\r$\n"
  ${If} $Backend == ""
    FileWriteUTF16LE $0 "urls = []$\r$\n"
  ${Else}
    Push $Backend
    Call TomlString
    Pop $1
    ${WordReplace} "$1" "," '", "' "+" $1
    FileWriteUTF16LE $0 "urls = [$1]$\r$\n"
  ${EndIf}
  ${If} $CaFile != ""
    Push $CaFile
    Call TomlString
    Pop $1
    FileWriteUTF16LE $0 "ca_file = $1$\r$\n"
  ${EndIf}
  ${If} $UiLanguage != ""
    FileWriteUTF16LE $0 '$\r$\n[wall]$\r$\nlanguage = "$UiLanguage"$\r$\n'
  ${EndIf}
  Push "$SiteDir\recordings"
  Call TomlString
  Pop $1
  FileWriteUTF16LE $0 "$\r$\n[recording]$\r$\ndir = $1$\r$\nretention_days = 30$\r$\ndisk_budget_gb = 50$\r$\n"
  FileClose $0
  DetailPrint "Wrote the site file $SiteDir\site.toml (district $District)"
FunctionEnd

Section "Cockpit" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  RMDir /r "$INSTDIR\_internal" ; no stale modules from an older version
  File /r "${BUNDLE_DIR}\*.*"
  Call WriteSite
  CreateDirectory "$SiteDir\recordings"
  ; Operators (Users, by SID so it works in every language) may write recordings. Local tool, no network.
  nsExec::ExecToLog 'icacls "$SiteDir\recordings" /grant *S-1-5-32-545:(OI)(CI)M'
  Pop $0
  CreateShortcut "$SMPROGRAMS\Cockpit.lnk" "$INSTDIR\cockpit.exe"
  CreateShortcut "$SMPROGRAMS\Cockpit doctor.lnk" "$SYSDIR\cmd.exe" '/k ""$INSTDIR\cockpit.exe" doctor"'
  WriteRegStr HKLM "Software\Cockpit" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "Cockpit video wall"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "City operations platform team"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteUninstaller "$INSTDIR\uninstall.exe"
  Call WriteWallTask
SectionEnd

; The wall service on Windows: a task at the kiosk user's logon, interactive (the wall has windows),
; running the supervisor, which restarts the wall whenever it ends. Local tool, no network.
Function WriteWallTask
  ${If} $KioskUser == ""
    DetailPrint "No /KIOSKUSER: the wall is not started at logon (run the installer with /KIOSKUSER=NAME to do so)"
    Return
  ${EndIf}
  nsExec::ExecToLog 'schtasks.exe /Create /F /TN "Cockpit wall" /SC ONLOGON /RU "$KioskUser" /IT /RL LIMITED /TR "\"$INSTDIR\cockpit.exe\" supervise -- --kiosk"'
  Pop $0
  ${If} $0 != 0
    MessageBox MB_ICONEXCLAMATION "The scheduled task for the wall could not be made (schtasks: $0)." /SD IDOK
    SetErrorLevel 1
  ${Else}
    DetailPrint "The wall starts at $KioskUser's logon (scheduled task $\"Cockpit wall$\")"
  ${EndIf}
FunctionEnd

Function un.onInit
  SetShellVarContext all
  SetRegView 64
FunctionEnd

Section "Uninstall"
  nsExec::ExecToLog 'schtasks.exe /Delete /F /TN "Cockpit wall"'
  Pop $0
  Delete "$SMPROGRAMS\Cockpit.lnk"
  Delete "$SMPROGRAMS\Cockpit doctor.lnk"
  RMDir /r "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegKey HKLM "Software\Cockpit"
  ; %ProgramData%\cockpit (site file, recordings) stays: it is the centre's, not the program's.
SectionEnd
