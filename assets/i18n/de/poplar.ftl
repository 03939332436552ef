# Poplars deutsche Texte. Dieselben Ids wie im englischen Katalog (../en/poplar.ftl); die
# Tests schlagen fehl, wenn hier eine fehlt oder dort. Anrede: Sie.

## Die Menüleiste

menu-file = Datei
menu-accounts = Konten …
menu-settings = Einstellungen …
menu-quit = Beenden
menu-view = Ansicht
menu-theme = Erscheinungsbild
menu-language = Sprache
menu-language-system = Sprache des Systems ({ $language })
menu-group-conversations = Als Unterhaltungen anzeigen
menu-group-conversations-hint = Eine Zeile je Unterhaltung: Klick auf das Dreieck oder → klappt sie auf, ← wieder zu
conversation-title = Unterhaltung: { $subject }
list-thread-open = Unterhaltung aufklappen ({ $count } Nachrichten, { $unread ->
    [0] alle gelesen
   *[other] davon { $unread } ungelesen
})
list-thread-close = Unterhaltung zuklappen
list-thread-unread = { $count } neu
menu-show-conversation = Unterhaltung anzeigen
keys-title = Tastenkürzel
keys-move = Nächste oder vorige Nachricht
keys-page = Eine Seite nach unten oder oben
keys-extend = Weitere Nachrichten auswählen, nach unten oder oben
keys-select-all = Alle Nachrichten der Liste auswählen
keys-open = Ausgewählte Nachricht öffnen
keys-folder = Nächster oder voriger Ordner
keys-conversation = Unterhaltung auf- oder zuklappen (bei Anzeige als Unterhaltungen)
keys-read = Als gelesen markieren, bei gelesenen als ungelesen
keys-all-read = Alle als gelesen markieren
keys-flag = Markieren oder Markierung entfernen
keys-junk = Als Spam markieren, im Spam-Ordner: Kein Spam
keys-move-to = In einen Ordner verschieben (Schnellauswahl)
keys-copy-to = In einen Ordner kopieren
keys-delete = In den Papierkorb (im Papierkorb: endgültig löschen)
keys-check = E-Mails abrufen
keys-search = Suchen
keys-clear-search = Suchfeld leeren
keys-zoom-in = Nachrichtentext größer
keys-zoom-out = Nachrichtentext kleiner
keys-zoom-reset = Nachrichtentext in normaler Größe
keys-print = Nachricht drucken
keys-help = Diese Übersicht
key-move = ↓ / j, ↑ / k
key-page = Bild ↓, Bild ↑
key-extend = Umschalt + ↓ / ↑
key-select-all = Strg + A
key-open = Eingabe
key-folder = Alt + ↓ / ↑
key-conversation = → / ←
key-read = U
key-all-read = Umschalt + C
key-flag = S
key-junk = Umschalt + J
key-move-to = M
key-copy-to = Umschalt + M
key-delete = Entf
key-check = F5 / Strg + R
key-search = Strg + F
key-clear-search = Esc
key-zoom-in = Strg + +
key-print = Strg + P
key-zoom-out = Strg + −
key-zoom-reset = Strg + 0
key-help = F1
menu-help = Hilfe
menu-keys = Tastenkürzel
menu-zoom-in = Text größer
menu-zoom-out = Text kleiner
menu-zoom-reset = Normale Textgröße
view-conversation = Unterhaltung
view-conversation-hint = Die ganze Unterhaltung dieser Nachricht auflisten, egal in welchem Ordner ihre Nachrichten liegen
list-count-grouped = { $count ->
        [one] 1 Nachricht
       *[other] { $count } Nachrichten
    } in { $threads ->
        [one] 1 Unterhaltung
       *[other] { $threads } Unterhaltungen
    }

## Der erste Start, und ein Speicher, der sich nicht öffnen lässt

welcome-title = Willkommen bei Poplar
welcome-what = Poplar holt Ihre E-Mails von POP3-Servern ab – von GMX, WEB.DE, T-Online, Ihrem Anbieter oder Ihrem eigenen Server – und bewahrt sie auf diesem Rechner auf. Lesen können Sie sie auch ohne Verbindung.
welcome-promise = Keine Nachricht geht verloren, keine wird doppelt gespeichert. Auf dem Server wird nur gelöscht, wenn Sie es so einstellen, und erst, wenn die Nachricht hier sicher liegt.
welcome-passwords = Passwörter liegen im Schlüsselbund Ihres Systems, nie in einer Datei.
welcome-add-account = Konto hinzufügen
welcome-terminal = Im Terminal:
start-error-title = Poplar kann seinen Nachrichtenspeicher nicht öffnen
start-error-hint = Es wurde nichts verändert. Läuft schon ein anderes Poplar, schließen Sie es und starten Sie dieses noch einmal.

## Die Statusleiste

status-progress = { $account }: { $done } von { $total } Nachrichten, { $bytes_done } von { $bytes_total }
status-checking = { $account }: wird abgerufen …
status-keys = F5 ruft E-Mails ab · Strg+F sucht · Entf verschiebt in den Papierkorb
status-more = (+{ $count } weitere)
status-details = Für Einzelheiten klicken
notice-dismiss = Ausblenden
notice-dismiss-all = Alle ausblenden
notices-title = Meldungen
check-result =
    { $count ->
        [0] { $account }: keine neuen E-Mails
        [one] { $account }: 1 neue Nachricht
       *[other] { $account }: { $count } neue Nachrichten
    }

## Der Einstellungsdialog

settings-title = Einstellungen
settings-new-mail = Neue E-Mails
settings-notify = Bei neuen E-Mails benachrichtigen
settings-running = Im Hintergrund
settings-keep-running = Auch bei geschlossenem Fenster nach neuen E-Mails sehen
settings-keep-running-hint = Poplar bleibt dann als Symbol im Infobereich; über dessen Menü öffnen Sie das Fenster oder beenden Poplar.
settings-keep-running-off = Nicht verfügbar: { $why }. Bei geschlossenem Fenster wartet Poplar im Infobereich – hier beendet das Schließen des Fensters Poplar deshalb.
settings-login = Poplar bei der Anmeldung starten
settings-login-hint = Es startet im Infobereich, wenn die Arbeitsumgebung einen hat.
settings-login-unavailable = Hier nicht verfügbar: Nutzen Sie dafür die Einstellungen Ihrer Arbeitsumgebung.
settings-save-failed = Die Einstellungen ließen sich nicht speichern: { $error }
settings-login-failed = Der Start bei der Anmeldung ließ sich nicht ändern: { $error }
settings-close = Schließen

## Das Symbol im Infobereich

tray-title =
    { $count ->
        [0] Poplar: keine ungelesenen Nachrichten
        [one] Poplar: 1 ungelesene Nachricht
       *[other] Poplar: { $count } ungelesene Nachrichten
    }
tray-open = Poplar öffnen
tray-check = Jetzt abrufen
tray-quit = Beenden
tray-none-here = hier gibt es keinen Infobereich
tray-no-host = diese Arbeitsumgebung zeigt keine Symbole im Infobereich
tray-no-bus = dieser Sitzung fehlt der Nachrichtenbus (D-Bus), den ein Symbol im Infobereich braucht
tray-no-watcher = diese Arbeitsumgebung hat keinen Infobereich (StatusNotifierWatcher)
tray-failed = das Symbol im Infobereich ließ sich nicht anzeigen: { $error }

## Benachrichtigungen über neue E-Mails

notify-summary =
    { $count ->
        [one] { $account }: 1 neue Nachricht
       *[other] { $account }: { $count } neue Nachrichten
    }
notify-more = und { $count } weitere
notify-no-subject = (kein Betreff)
unknown-sender = (Absender unbekannt)
notify-show = Anzeigen

## Die Ordnerleiste

folder-all-inboxes = Alle Posteingänge
folder-local = Lokal
folder-inbox = Posteingang
folder-trash = Papierkorb
folder-imported = Importiert
folder-junk = Spam
folder-add-account = Konto hinzufügen …
folder-unread = { $name }, { $count } ungelesen
folder-expand = Ordner in { $name } einblenden
folder-collapse = Ordner in { $name } ausblenden
folder-new = Neuer Ordner …
folder-new-subfolder = Neuer Unterordner …
folder-rename = Umbenennen …
folder-delete = Löschen …
folder-name = Ordnername
folder-name-hint = Name
folder-name-empty = Der Ordner braucht einen Namen.
folder-ok = OK
folder-delete-question =
    { $count ->
        [0] Den Ordner { $name } löschen? Er enthält keine Nachrichten.
        [one] Den Ordner { $name } löschen? Seine Nachricht kommt in den Papierkorb.
       *[other] Den Ordner { $name } löschen? Seine { $count } Nachrichten kommen in den Papierkorb.
    }
account-export-mbox = Dieses Konto als mbox exportieren …
account-export-eml = Dieses Konto als .eml-Dateien exportieren …
account-checking = Wird abgerufen …
account-checking-progress = Wird abgerufen … { $done } von { $total }
account-checked = Abgerufen: { $time }
account-not-checked = Noch nicht abgerufen
account-retry-at = Poplar versucht es um { $time } erneut.
account-check-failed = Abruf fehlgeschlagen
account-retry = Erneut versuchen
account-settings-hint = Die Einstellungen dieses Kontos öffnen

## Die Nachrichtenliste

list-search-hint = Suchen (Strg+F)
list-search = Suchen
list-check-mail = Abrufen
list-check-mail-hint = Alle Konten jetzt abrufen (F5)
list-found =
    { $count ->
        [0] nichts gefunden
        [one] 1 Treffer
       *[other] { $count } Treffer
    }
list-count =
    { $count ->
        [one] 1 Nachricht
       *[other] { $count } Nachrichten
    }
list-searching = Suche läuft …
list-search-help = Wörter finden E-Mails nach Absender, Empfängern, Betreff und Text. Außerdem: "eine Wortfolge", -Wort schließt aus, from: (von), to: (an), subject: (Betreff), body: (Text), has:attachment (mit Anhang), is:unread (ungelesen), is:read, is:flagged (markiert), folder: (Ordner), account: (Konto), before:2024-03-01 (vor), after: (ab), date:2024-03 (im März 2024).
search-bad-date = „{ $term }“ ist kein Datum. Geben Sie einen Tag (2024-03-15 oder 15.3.2024), einen Monat (2024-03) oder ein Jahr (2024) an.
search-unknown-is = Nach is:{ $value } kann Poplar nicht suchen. Möglich sind is:unread (ungelesen), is:read (gelesen), is:flagged (markiert) und is:unflagged.
search-unknown-has = Nach has:{ $value } kann Poplar nicht suchen. Möglich ist has:attachment (mit Anhang).
search-unknown-folder = Einen Ordner „{ $name }“ gibt es nicht.
search-unknown-account = Ein Konto „{ $name }“ gibt es nicht.
search-too-long = Eine Suche darf höchstens { $count } Begriffe enthalten.
search-save-no-name = Geben Sie der Suche einen Namen.
search-save-long-name = Ein Name darf höchstens { $count } Zeichen lang sein.
search-save-empty = Geben Sie zuerst einen Suchbegriff ein.
search-save-taken = Eine gespeicherte Suche „{ $name }“ gibt es schon.
list-save-search = Suche speichern …
list-save-search-hint = Diese Suche in der Ordnerleiste aufheben; sie zeigt auch neu eingegangene E-Mails
search-save-title = Suche speichern
search-save-name = Name der Suche
search-save-name-hint = z. B. Rechnungen von GMX
saved-unread = Ungelesen
saved-flagged = Markiert
saved-remove = Gespeicherte Suche entfernen
list-delete-forever = Endgültig löschen
list-delete-forever-hint = Die ausgewählten Nachrichten endgültig löschen (Entf)
list-restore = Wiederherstellen
list-restore-hint = Die ausgewählten Nachrichten dorthin zurücklegen, woher sie kamen
list-delete = Löschen
list-delete-hint = Die ausgewählten Nachrichten in den Papierkorb verschieben (Entf)
list-selected = { $count } ausgewählt
list-nothing-matches = Nichts passt zu „{ $query }“.
list-saved-finds-nothing = Diese Suche findet noch nichts.
list-empty = Hier sind keine Nachrichten.
list-flagged = Markiert
list-has-attachments = Mit Anhang
list-flag = Markieren
list-unflag = Markierung entfernen
list-partial-hint = Hier liegen nur die Kopfzeilen; der Rest ist noch auf dem Server
column-sender = Absender
column-subject = Betreff
column-date = Datum
column-size = Größe
sort-by-sender = Nach Absender sortieren
sort-by-subject = Nach Betreff sortieren
sort-by-date = Nach Datum sortieren
sort-by-size = Nach Größe sortieren
menu-open = Öffnen
menu-mark-read = Als gelesen markieren
menu-mark-unread = Als ungelesen markieren
menu-flag = Markierung setzen oder entfernen
menu-restore = Wiederherstellen
menu-delete-forever = Endgültig löschen …
menu-move-to-trash = In den Papierkorb verschieben
menu-export = Exportieren …
menu-download-rest = Den Rest herunterladen
confirm-cancel = Abbrechen

## Die Nachrichtenansicht

view-select = Wählen Sie eine Nachricht aus, um sie zu lesen.
view-keys = Pfeiltasten oder j/k wechseln, Entf verschiebt in den Papierkorb.
view-opening = Wird geöffnet …
view-delete-hint = In den Papierkorb verschieben (Entf)
view-source = Quelltext
view-source-hint = Die Nachricht genau so, wie sie heruntergeladen wurde
view-partial-hint = Nur die Kopfzeilen wurden heruntergeladen (Größenbegrenzung)
view-partial-note = Von dieser Nachricht liegt nur der Anfang hier; „Den Rest herunterladen“ holt sie ganz.
view-remote-blocked =
    { $count ->
        [one] Externes Bild blockiert
       *[other] { $count } externe Bilder blockiert
    }
view-remote-blocked-hint = Diese Nachricht verweist auf Bilder im Internet. Poplar lädt sie nie: Sie würden dem Absender verraten, wann und wo Sie die Nachricht lesen.
view-source-cut = (Der Quelltext endet hier; exportieren Sie die Nachricht, um alles zu sehen.)
view-no-text = (Diese Nachricht enthält keinen Text.)
view-show-more = Mehr von dieser Nachricht anzeigen
view-show-more-hint = Lange Nachrichten erscheinen in Teilen, damit das Fenster flüssig bleibt
view-cut = (Die Nachricht endet hier; „Quelltext“ oder ein Export zeigt alles.)
header-from = Von
header-to = An
header-cc = Kopie
header-date = Datum
header-copy-address = Adresse kopieren
header-copy-address-hint = { $address } in die Zwischenablage kopieren
details-title = Details
details-account = Konto
details-server = Server
details-uidl = UIDL
details-downloaded = Abgeholt
details-imported = Importiert
details-tls = Verbindung
details-no-tls = (nicht erfasst)
details-none = (keine)
details-message-id = Message-ID
attachment-save = Speichern
attachment-save-hint = { $name } speichern
view-only-attachments = Kein Text. { $count ->
        [one] 1 Anhang
       *[other] { $count } Anhänge
    }: { $names }
attachment-open = Öffnen
attachment-open-hint = { $name } mit dem Programm öffnen, das Ihr System dafür vorsieht (Poplar führt nichts aus)
attachment-opened = { $name } wurde mit dem Programm des Systems geöffnet.
attachment-open-failed = { $name } ließ sich nicht öffnen: { $error }
attachment-runs-code = { $name } wurde nicht geöffnet: Dateien dieser Art starten beim Öffnen ein Programm, und das darf eine E-Mail von Fremden nicht. Speichern Sie die Datei und sehen Sie sie sich zuerst an.
attachment-save-all = Alle speichern
attachment-save-all-hint = Alle Anhänge in einen Ordner speichern
attachment-save-all-into = Alle speichern in Ordner
attachment-save-to = Speichern unter
attachment-save-here = Hier speichern

## Export und Import

menu-import = Importieren …
menu-export-selected = Ausgewählte Nachrichten exportieren …
menu-export-list-mbox = Diese Liste als mbox exportieren …
menu-export-list-eml = Diese Liste als .eml-Dateien exportieren …
menu-export-all-mbox = Alle E-Mails als mbox exportieren …
transfer-exporting = Export: { $done } von { $total } Nachrichten
transfer-importing = Import: { $done } von { $total } Nachrichten
transfer-importing-so-far = Import: bisher { $done } Nachrichten
path-no-dialog = Auf dieser Arbeitsoberfläche gibt es keinen Dateidialog; geben Sie den Pfad bitte ein.
path-one-per-line = Eine Datei pro Zeile:
path-field = Pfad
path-ok = OK
drop-to-import = .eml- oder mbox-Dateien hier ablegen, um sie zu importieren

## Datumsangaben (Liste, Nachrichtenkopf, „Abgerufen“)
# $day (1–31), $dd und $mm (zweistellig), $year, $time (14:05) und die Namen unten.

date-weekday = { $weekday_short }
date-this-year = { $dd }.{ $mm }.
date-older = { $dd }.{ $mm }.{ $year }
date-full = { $weekday_long }, { $day }. { $month_long } { $year }, { $time }
weekday-short =
    { $n ->
        [1] Mo.
        [2] Di.
        [3] Mi.
        [4] Do.
        [5] Fr.
        [6] Sa.
       *[7] So.
    }
weekday-long =
    { $n ->
        [1] Montag
        [2] Dienstag
        [3] Mittwoch
        [4] Donnerstag
        [5] Freitag
        [6] Samstag
       *[7] Sonntag
    }
month-short =
    { $n ->
        [1] Jan.
        [2] Feb.
        [3] März
        [4] Apr.
        [5] Mai
        [6] Juni
        [7] Juli
        [8] Aug.
        [9] Sept.
        [10] Okt.
        [11] Nov.
       *[12] Dez.
    }
month-long =
    { $n ->
        [1] Januar
        [2] Februar
        [3] März
        [4] April
        [5] Mai
        [6] Juni
        [7] Juli
        [8] August
        [9] September
        [10] Oktober
        [11] November
       *[12] Dezember
    }

## Der Kontendialog

accounts-title = Konten
accounts-none = Noch kein Konto: Fügen Sie eines hinzu.
accounts-select = Wählen Sie ein Konto zum Bearbeiten oder Entfernen, oder fügen Sie eines hinzu.
accounts-add = Hinzufügen
accounts-edit = Bearbeiten
accounts-remove = Entfernen
remove-question = Das Konto „{ $name }“ entfernen?
remove-keep-mail = Seine E-Mails auf diesem Rechner behalten
remove-kept = Seine Nachrichten bleiben unter „Lokal“ im Ordner „{ $name }“ lesbar. Auf dem Server wird nichts gelöscht.
remove-deleted = Seine Nachrichten werden von diesem Rechner endgültig gelöscht. Die E-Mails auf dem Server bleiben unberührt.
remove-confirm = Konto entfernen
editor-edit = { $name } bearbeiten
editor-new = Neues Konto
editor-no-keyring = Auf dieser Arbeitsumgebung läuft kein Schlüsselbund, und Poplar schreibt Passwörter nie in eine Datei. Behalten Sie das Passwort nur für diese Sitzung (nach einem Neustart von Poplar geben Sie es erneut ein), oder nutzen Sie einen Passwortbefehl.
editor-no-keyring-oauth = Auf dieser Arbeitsumgebung läuft kein Schlüsselbund, und Poplar schreibt eine Anmeldung nie in eine Datei. Die Anmeldung gilt daher nur für diese Sitzung; nach einem Neustart von Poplar melden Sie sich erneut an.
editor-save = Speichern
editor-still-needed = Es fehlt noch: { $fields }.
editor-fix-red = Korrigieren Sie die rot markierten Felder, um zu speichern.
field-email = E-Mail-Adresse
field-email-hint = anna@example.de
field-name = Kontoname
field-name-hint = z. B. GMX
field-host = Posteingangsserver
field-host-hint = pop.example.de
field-security = Verschlüsselung
field-no-encryption = Ohne Verschlüsselung gehen Passwort und E-Mails lesbar für jeden unterwegs durchs Netz.
field-port = Port
field-user = Benutzername
field-user-hint = oft die E-Mail-Adresse
field-password-from = Passwort aus
field-password = Passwort
field-password-command = Passwortbefehl
field-password-command-hint = z. B. pass show mail/gmx
field-auth = Anmeldeverfahren
field-ca-file = Zusätzliche CA-Datei
field-ca-file-hint = optional, eine PEM-Datei
password-keyring = Schlüsselbund
password-session = Nur für diese Sitzung
password-command = Befehl
password-unchanged = unverändert
password-in-keyring = wird im Schlüsselbund abgelegt
password-in-memory = bleibt im Speicher, bis Poplar beendet wird
security-none = Keine
auth-automatic = Automatisch
auth-password = Normales Passwort
auth-xoauth2 = XOAUTH2 (Token)
auth-oauthbearer = OAUTHBEARER (Token)
auth-oauth2 = OAuth 2.0 (Anmeldung beim Anbieter)
missing-name = Kontoname
missing-email = E-Mail-Adresse
missing-host = Server
missing-user = Benutzername
missing-password = Passwort
missing-command = Passwortbefehl
preset-summary = { $provider }: { $host }, Port { $port }, { $security }, Benutzername { $user }.
preset-user-address = die vollständige Adresse
preset-user-local = der Teil vor dem @
preset-unknown = Unbekannter Anbieter; üblich sind diese Servernamen:
preset-unknown-test = („Verbindung testen“ zeigt, welcher funktioniert.)
section-checking = Abrufen
section-server = Auf dem Server
section-downloading = Herunterladen
section-test = Verbindungstest
section-certificate = Zertifikat
check-on-start = Beim Start von Poplar abrufen
check-every = Abrufen alle
check-minutes = Minuten
leave-forever = E-Mails für immer auf dem Server lassen
leave-days = Auf dem Server lassen für
leave-until-deleted = Auf dem Server lassen, bis ich sie hier lösche
leave-delete-after = Gleich nach dem Herunterladen vom Server löschen
unit-days = Tage
size-limit = Nur Kopfzeilen bei Nachrichten über
first-sync = Der erste Abruf lädt
first-sync-all = alles
first-sync-new = nur neue E-Mails
first-sync-last = die letzten
pin-trusted = Vertrautes Zertifikat (festgelegt): SHA-256
pin-forget = Vergessen
pin-none = Geprüft anhand der Zertifizierungsstellen dieses Rechners.
test-running = { $host }:{ $port } wird getestet …
test-cancel = Test abbrechen
test-start = Verbindung testen
test-cancelled = Der Test wurde abgebrochen.
test-failed-connect = Poplar erreicht { $server } nicht. Prüfen Sie Servername und Port und ob dieser Computer online ist.
test-failed-timeout = { $server } hat nicht rechtzeitig geantwortet.
test-failed-tls = Die sichere Verbindung zu { $server } ist gescheitert: Sein Zertifikat ist nicht vertrauenswürdig, oder er bietet auf diesem Port keine Verschlüsselung an.
test-failed-auth = Der Server lehnt Benutzername oder Passwort ab. Beachten Sie die Hinweise zum Anbieter oben: Manche verlangen ein App-Passwort, oder POP3 muss erst im Web-Mail eingeschaltet werden.
test-failed-in-use = Das Postfach wird gerade von einem anderen Programm benutzt (vielleicht vom Handy). Versuchen Sie es in ein paar Minuten noch einmal.
test-failed-login-delay = Der Anbieter erlaubt nur eine begrenzte Zahl von Abrufen. Warten Sie ein paar Minuten und versuchen Sie es dann noch einmal.
test-failed-temporary = { $server } hat ein vorübergehendes Problem. Versuchen Sie es später noch einmal.
test-failed-permanent = { $server } hat abgelehnt – seine Antwort steht unten.
test-failed-protocol = { $server } antwortet nicht wie ein POP3-Server. Prüfen Sie Port und Verschlüsselung.
test-failed-closed = { $server } hat die Verbindung getrennt. Prüfen Sie Port und Verschlüsselung (SSL/TLS meist auf 995, STARTTLS auf 110).
test-failed-input = Eine dieser Einstellungen lässt sich so nicht verwenden – siehe unten.
test-not-started = Poplar konnte den Test nicht starten.
test-logged-in = Verbunden und angemeldet: { $count } Nachrichten ({ $size }) auf dem Server.
test-connected = Verbunden mit { $server }.
test-not-logged-in = Nicht angemeldet: { $reason }.
test-untrusted = Dieser Rechner vertraut dem Zertifikat von { $server } nicht: { $reason }.
test-untrusted-advice = Ist das Ihr eigener Server, oder nennt Ihr Anbieter sein Zertifikat selbst signiert, dann vergleichen Sie den Fingerabdruck unten mit dem, den er Ihnen nennt, und vertrauen Sie ihm erst dann. Poplar akzeptiert hier danach genau dieses Zertifikat und kein anderes.
test-pin-changed = Das Zertifikat von { $server } hat sich GEÄNDERT, seit Sie ihm vertraut haben.
test-pin-changed-advice =
    Poplar verbindet sich mit diesem Konto erst wieder, wenn Sie entschieden haben. Hat Ihr Anbieter kein neues Zertifikat angekündigt, liest womöglich jemand die Verbindung mit – vertrauen Sie ihm dann nicht.
    Bisher vertraut: { $pinned }
report-encryption = Verschlüsselung
report-capabilities = Fähigkeiten
report-auth = Angemeldet mit
trust-this = Diesem Zertifikat für { $server } vertrauen
trust-new = Dem neuen Zertifikat für { $server } vertrauen
trust-new-or-cancel = oder „Abbrechen“, um beim alten zu bleiben (ohne Verbindung).
cert-subject = Zertifikat für
cert-issuer = Ausgestellt von
cert-valid-until = Gültig bis
cert-valid-from = Gültig ab
distrust-self-signed = Der Server hat es selbst signiert
distrust-unknown-root = Es stammt von einer Zertifizierungsstelle, die dieser Rechner nicht kennt
distrust-unknown-issuer = Keine Zertifizierungsstelle, die dieser Rechner kennt, hat es ausgestellt
distrust-expired = Es ist abgelaufen
distrust-not-yet-valid = Es gilt noch nicht (oder die Uhr dieses Rechners geht falsch)
distrust-other-name = Es ist auf einen anderen Servernamen ausgestellt
cert-alt-names = Gilt auch für
cert-alt-names-none = keine weiteren Namen
cert-alt-names-more = { $count ->
    [one] und einen weiteren Namen
   *[other] und { $count } weitere Namen
}
cert-empty = (leer)
cert-unreadable = (nicht lesbar)

## Meldungen aus dem Fenster

check-failed = { $account }: { $reason }
account-fallback-name = Konto { $id }
notice-trash-failed = Verschieben in den Papierkorb fehlgeschlagen: { $error }
notice-restore-failed = Wiederherstellen fehlgeschlagen: { $error }
notice-mark-read-failed = Als gelesen markieren fehlgeschlagen: { $error }
notice-open-failed = Die Nachricht lässt sich nicht öffnen: { $error }
notice-select-failed = Diese Nachrichten lassen sich nicht auswählen: { $error }
notice-search-failed = Die Suche ist fehlgeschlagen: { $error }
notice-no-account = Es gibt noch kein Konto zum Abrufen.
notice-downloading-rest = Der Rest der Nachricht wird heruntergeladen …
notice-store-failed = Der Nachrichtenspeicher ließ sich nicht lesen: { $error }
notice-flag-failed = Die Markierung ließ sich nicht ändern
notice-mark-failed = Die Nachrichten ließen sich nicht markieren
notice-delete-failed = Löschen fehlgeschlagen
notice-message-gone = Diese Nachricht gibt es hier nicht mehr.
notice-certificate-changed = { $account }: Das Zertifikat des Servers hat sich geändert, seit Sie ihm vertraut haben. Poplar verbindet sich erst wieder mit { $account }, wenn Sie entschieden haben: Datei > Konten …, Bearbeiten, Verbindung testen.
notice-no-keyring = Es gibt keinen Schlüsselbund für das Passwort. Wählen Sie „Nur für diese Sitzung“ oder einen Passwortbefehl und speichern Sie dann erneut.
notice-save-account-failed = Das Konto ließ sich nicht speichern: { $error }
notice-remove-account-failed = Das Konto ließ sich nicht entfernen: { $error }
confirm-delete-forever =
    { $count ->
        [one] Diese Nachricht endgültig löschen? Sie lässt sich nicht wiederherstellen.
       *[other] Diese { $count } Nachrichten endgültig löschen? Sie lassen sich nicht wiederherstellen.
    }

## Die Prüfungen im Kontoformular

number-port = Der Port ist eine Zahl von { $min } bis { $max }.
number-interval = Der Abstand ist eine Zahl von { $min } bis { $max } (Minuten).
number-days = Die Anzahl der Tage ist eine Zahl von { $min } bis { $max }.
number-size-limit = Die Größengrenze ist eine Zahl von { $min } bis { $max } (KB).
host-no-url = Nur der Name des Servers, ohne „pop3://“ und ohne Pfad.
host-no-port = Nur der Name des Servers – der Port hat ein eigenes Feld.
host-invalid = „{ $host }“ ist kein Servername (erlaubt sind Buchstaben, Ziffern, Punkte und Bindestriche).
name-taken = Es gibt schon ein Konto namens „{ $name }“.
email-invalid = Eine Adresse sieht so aus: anna@example.de.
interval-too-short = Dieser Anbieter erlaubt einen Abruf höchstens alle { $minimum } Minuten.
ca-file-missing = Die Datei { $path } gibt es nicht.
field-missing = Es fehlt noch: { $field }.

## Hinweise zu Anbietern im Kontendialog

preset-webde-interval = WEB.DE erlaubt einen Abruf alle 15 Minuten; wer öfter abruft, wird abgewiesen, als wäre das Passwort falsch.
preset-tonline-password = T-Online braucht ein eigenes E-Mail-Passwort (im E-Mail Center festgelegt); das Passwort Ihres Telekom-Logins funktioniert hier nicht.
preset-freenet-enable-pop = Bei freenet klappt POP3 erst, wenn Sie es in den Einstellungen des Web-Mailers einschalten (E-Mail-Programme / POP3 und IMAP).
preset-ionos-own-domain = Auch mit eigener Domain bei IONOS heißt der Server pop.ionos.de.
preset-gmail-paging = Gmail gibt pro Sitzung etwa 250 Nachrichten heraus; Poplar ruft weiter ab, bis alle da sind.
preset-outlook-oauth = Outlook.com akzeptiert seit September 2024 nur noch OAuth (Anmeldung mit Microsoft) oder ein App-Passwort; Ihr normales Passwort wird abgelehnt. Außerdem muss POP in den Einstellungen von Outlook.com eingeschaltet sein (E-Mail > Weiterleitung und IMAP).
preset-yahoo-app-password = Yahoo braucht ein App-Passwort (Kontosicherheit > App-Passwort generieren); Ihr normales Passwort wird abgelehnt.
preset-aol-app-password = AOL braucht ein App-Passwort (Kontosicherheit > App-Passwort generieren); Ihr normales Passwort wird abgelehnt.
preset-icloud-no-pop = iCloud Mail bietet kein POP3, nur IMAP – Poplar kann dort nichts abholen.
preset-gmx-enable-pop = POP3 muss einmal im Web-Mailer von GMX eingeschaltet werden: Einstellungen > POP3/IMAP Abruf > „POP3 und IMAP Zugriff erlauben“.
preset-webde-enable-pop = POP3 muss einmal im Web-Mailer von WEB.DE eingeschaltet werden: Einstellungen > POP3/IMAP Abruf > „POP3 und IMAP Zugriff erlauben“.
preset-gmail-app-password = Gmail braucht ein App-Passwort (Google-Konto > Sicherheit > Bestätigung in zwei Schritten > App-Passwörter) oder OAuth; Ihr normales Passwort wird abgelehnt. Außerdem muss POP in den Gmail-Einstellungen aktiviert sein (Weiterleitung und POP/IMAP).

## Ein fehlgeschlagener Abruf, verständlich erklärt

trouble-auth = { $account } lehnt die Anmeldung ab: Passwort falsch oder POP3 im Web-Mail nicht eingeschaltet.
trouble-token-refused = { $account } lehnt die Anmeldung über den Anbieter ab: Vielleicht ist POP3 im Web-Mail ausgeschaltet, oder der Anmeldung fehlt die Berechtigung für POP. Prüfen Sie das und melden Sie sich dann in den Kontoeinstellungen neu an.
trouble-certificate-changed = { $server } zeigt ein anderes Zertifikat als das, dem Sie vertraut haben. Poplar verbindet sich erst wieder mit { $account }, wenn Sie es geprüft haben.
trouble-name-not-found = Einen Server namens { $server } gibt es nicht: Prüfen Sie den Namen oder die Internetverbindung.
trouble-refused = { $server } nimmt auf diesem Port keine Verbindung an: Prüfen Sie Port und Verschlüsselung.
trouble-tls = Keine sichere Verbindung zu { $server }: Sein Zertifikat ist nicht vertrauenswürdig, oder er bietet keine Verschlüsselung an.
trouble-connect = { $server } ist nicht erreichbar. Ist die Internetverbindung unterbrochen? Poplar versucht es von selbst wieder.
trouble-timeout = { $server } antwortet nicht. Poplar versucht es von selbst wieder.
trouble-in-use = Das Postfach von { $account } wird gerade von einem anderen Programm benutzt (vielleicht vom Handy). Poplar versucht es später noch einmal.
trouble-login-delay = { $account } erlaubt nur eine begrenzte Zahl von Abrufen. Poplar wartet und versucht es dann wieder.
trouble-temporary = { $server } hat ein vorübergehendes Problem. Poplar versucht es später noch einmal.
trouble-permanent = { $server } hat abgelehnt, worum Poplar gebeten hat – siehe die Antwort des Servers.
trouble-broken = Die Verbindung zu { $server } ist abgerissen. Poplar versucht es von selbst wieder.
trouble-input = Eine Einstellung von { $account } kann so nicht funktionieren – siehe die Einzelheiten.
trouble-disk-full = Die Festplatte ist voll: Es ließ sich nichts Neues speichern, und auf dem Server wurde nichts gelöscht. Schaffen Sie Platz und rufen Sie dann erneut ab.
trouble-read-only = In den Nachrichtenspeicher lässt sich nicht schreiben; auf dem Server wurde nichts gelöscht.
trouble-store = Der Nachrichtenspeicher hat einen Fehler gemeldet; auf dem Server wurde nichts gelöscht.
trouble-password = Poplar hat kein Passwort für { $account }: Geben Sie es in den Kontoeinstellungen ein.
trouble-settings = Die Einstellungen von { $account } passen nicht zu diesem Server – siehe die Einzelheiten.
trouble-sign-in-missing = { $account } ist noch nicht beim Anbieter angemeldet. Öffnen Sie die Kontoeinstellungen und melden Sie sich an.
trouble-sign-in-revoked = Die Anmeldung von { $account } ist abgelaufen oder wurde widerrufen. Melden Sie sich in den Kontoeinstellungen neu an – bis dahin ruft Poplar das Konto nicht ab.
trouble-sign-in-no-client-id = Diesem Poplar fehlt eine Client-ID für den Anbieter von { $account }. Tragen Sie in den erweiterten Kontoeinstellungen eine ein (wie Sie eine bekommen, steht in der README).
trouble-sign-in-unreachable = Poplar hat den Anmeldedienst von { $account } nicht erreicht und versucht es von selbst noch einmal.
trouble-sign-in-refused = Der Anbieter hat die Anmeldung von { $account } nicht verlängert. Melden Sie sich in den Kontoeinstellungen neu an; was er geantwortet hat, steht in den Einzelheiten.
trouble-sign-in-command = Neu anmelden im Terminal: poplar account login "{ $account }"
trouble-cancelled = Der Abruf wurde abgebrochen.
trouble-short-auth = Anmeldung abgelehnt
trouble-short-password = kein Passwort hinterlegt
trouble-short-sign-in = neu anmelden
trouble-short-certificate = Zertifikat geändert
trouble-short-unreachable = Server nicht erreichbar
trouble-short-tls = keine sichere Verbindung
trouble-short-in-use = Postfach belegt
trouble-short-login-delay = zu oft abgerufen, Poplar wartet
trouble-short-store = Nachrichtenspeicher fehlerhaft
trouble-short-failed = Abruf fehlgeschlagen
trouble-edit-account = Konto bearbeiten
trouble-details = Antwort des Servers und Einzelheiten

## Export, Import und das Speichern von Anhängen

filetype-eml = E-Mail-Nachricht
filetype-mbox = Postfach (mbox)
filetype-mail = E-Mail-Nachrichten und Postfächer
filetype-all = Alle Dateien
filetype-pdf = PDF-Dokument
export-file-stem = Nachricht
export-fallback-stem = Poplar-Export
export-one-title = Nachricht exportieren
export-many-title = { $count } Nachrichten in einen Ordner exportieren
export-search-name = Suche { $query }
export-all-name = Alle E-Mails
export-mbox-title = { $name } als mbox exportieren
export-eml-title = { $name } als .eml-Dateien in einen Ordner exportieren
import-title = E-Mails importieren
import-done = { $added } Nachrichten nach „Importiert“ importiert
import-done-known = { $added } Nachrichten nach „Importiert“ importiert; { $known } waren schon da
import-cancelled = Import abgebrochen: { $summary }
import-stopped = der Import hat unerwartet aufgehört
export-stopped = der Export hat unerwartet aufgehört
export-done =
    { $count ->
        [one] 1 Nachricht nach { $path } exportiert
       *[other] { $count } Nachrichten nach { $path } exportiert
    }
export-cancelled =
    { $count ->
        [one] Export abgebrochen: 1 von { $total } Nachrichten nach { $path } geschrieben
       *[other] Export abgebrochen: { $count } von { $total } Nachrichten nach { $path } geschrieben
    }
notice-no-path = Es wurde kein Pfad angegeben.
notice-transfer-busy = Ein Export oder Import läuft noch: Warten Sie, bis er fertig ist, oder brechen Sie ihn ab.
notice-job-failed = Der Auftrag ließ sich nicht starten: { $error }
attachment-saved = { $name } gespeichert unter { $path }
attachment-save-failed = { $name } ließ sich nicht speichern: { $error }
attachment-start-failed = Das Speichern ließ sich nicht starten: { $error }
attachments-not-a-folder = Die Anhänge lassen sich nicht speichern: { $path } ist kein Ordner
attachments-saved =
    { $count ->
        [one] 1 Anhang gespeichert in { $path }
       *[other] { $count } Anhänge gespeichert in { $path }
    }
attachment-dialog-title = Anhang speichern
attachments-dialog-title = Alle Anhänge speichern in
start-error-folder = der Ordner { $path } lässt sich nicht anlegen: { $error }
start-error-thread = der Lese-Thread lässt sich nicht starten: { $error }

## Die Meldungen der Kommandozeile (Optionen, Befehle und --json-Felder bleiben englisch)

cli-no-accounts = es gibt noch kein Konto; legen Sie eines mit `poplar account add` an
cli-window-checks = das Poplar-Fenster ist offen; es ruft jetzt ab und meldet das Ergebnis hier
cli-window-silent = das offene Poplar-Fenster antwortet nicht: { $error }
cli-window-stopped = das offene Poplar-Fenster antwortet nicht mehr: { $error }
cli-sync-progress = { $account }: { $done }/{ $total } Nachrichten, { $mb_done }/{ $mb_total } MB
cli-sync-no-result = der Abruf endete ohne Ergebnis
cli-sync-summary = { $account }: { $new } neu{ $partial }{ $duplicates }, { $deleted } auf dem Server gelöscht, { $seconds } s
cli-sync-partial = { " " }(davon { $count } nur Kopfzeilen)
cli-sync-duplicates = , { $count } Duplikate übersprungen
cli-bad-pin = --pin-sha256 erwartet 64 Hexadezimalziffern (Doppelpunkte erlaubt)
cli-no-data-dir = kein Datenverzeichnis gefunden; geben Sie --data-dir VERZEICHNIS an
cli-cannot-create = { $path } lässt sich nicht anlegen: { $error }
cli-first-sync = erwartet all, new oder days:N (N mindestens 1)
cli-empty-name = --name darf nicht leer sein
cli-bad-host = --host { $host } ist kein Servername
cli-empty-user = --user darf nicht leer sein
cli-bad-port = --port muss zwischen 1 und 65535 liegen
cli-no-ca-file = --ca-file { $path } gibt es nicht
cli-empty-command = --password-command darf nicht leer sein
cli-no-password = kein Passwort angegeben
cli-name-taken = es gibt schon ein Konto namens { $name }
cli-password-prompt = Passwort für { $name } ({ $user }@{ $host })
cli-account-added = Konto { $name } angelegt (Nummer { $id })
cli-no-account = es gibt kein Konto namens { $name }
cli-keyring-remove-failed = der Eintrag im Schlüsselbund ließ sich nicht entfernen: { $error }
cli-account-removed-with-mail = Konto { $name } samt seinen E-Mails entfernt
cli-account-removed = Konto { $name } entfernt; seine E-Mails bleiben im gleichnamigen lokalen Ordner lesbar
cli-oauth-needs-token-auth = --oauth-provider braucht --auth oauth2 (oder xoauth2, oauthbearer)
cli-oauth-needs-provider = --auth oauth2 braucht für diesen Server --oauth-provider microsoft, google oder custom
cli-oauth-custom-needs = --oauth-provider custom braucht --oauth-authorize-url und --oauth-token-url
cli-oauth-and-password-command = --password-command passt nicht zu --oauth-provider: das Token kommt vom Anbieter
cli-oauth-open = Öffnen Sie diese Adresse im Browser, um sich anzumelden (Poplar wartet { $minutes } Minuten):
cli-oauth-no-keyring = es läuft kein Schlüsselbund, darum lässt sich die Anmeldung nicht aufbewahren; starten Sie einen (einen Secret Service wie GNOME Keyring oder KeePassXC) und versuchen Sie es noch einmal
cli-oauth-signed-in = { $name } ist neu angemeldet
cli-oauth-no-client-id = dieses Poplar wurde ohne Client-ID für diesen Anbieter gebaut; geben Sie Ihre eigene mit --oauth-client-id an (wie Sie eine registrieren, steht in der README)
cli-oauth-revoke-failed = dem Anbieter ließ sich nicht mitteilen, dass Poplar keinen Zugriff mehr braucht ({ $error }); Sie können den Zugriff auf der Sicherheitsseite Ihres Kontos entziehen
cli-login-password-kept = das neue Passwort von { $name } liegt jetzt im Schlüsselbund
cli-login-password-command = { $name } bekommt sein Passwort von einem Befehl; ändern Sie stattdessen den Befehl
cli-window-checks-account = das geöffnete Poplar-Fenster ruft { $name } jetzt ab
cli-no-message = es gibt keine Nachricht { $id }
cli-exists = { $path } gibt es schon; Poplar überschreibt keine Dateien
cli-exported = { $count } Nachrichten nach { $path } exportiert
cli-imported = { $added } Nachrichten nach „Importiert“ importiert; { $known } waren schon da

## Die Seite, die der Browser nach einer OAuth-Anmeldung zeigt, wenn er zu Poplar zurückkommt

oauth-page-title = Anmeldung bei Poplar
oauth-page-signed-in-heading = Sie sind angemeldet
oauth-page-signed-in-text = Sie können dieses Fenster jetzt schließen und zu Poplar zurückkehren.
oauth-page-denied-heading = Zugriff nicht erlaubt
oauth-page-denied-text = Ohne Ihre Erlaubnis kann Poplar Ihre E-Mails nicht abrufen. Sie können dieses Fenster jetzt schließen und zu Poplar zurückkehren.
oauth-page-failed-heading = Anmeldung fehlgeschlagen
oauth-page-failed-text = Poplar konnte die Anmeldung nicht abschließen und zeigt Ihnen, woran es lag. Sie können dieses Fenster jetzt schließen und zu Poplar zurückkehren.


## Die OAuth-Anmeldung im Kontendialog
section-sign-in = Anmeldung
oauth-sign-in-microsoft = Mit Microsoft anmelden
oauth-sign-in-google = Mit Google anmelden
oauth-sign-in = Anmelden
oauth-cancel = Anmeldung abbrechen
oauth-not-signed-in = Noch nicht angemeldet.
oauth-waiting = Warten auf den Browser … Schließen Sie die Anmeldung dort ab und kehren Sie dann hierher zurück.
oauth-open-by-hand = Falls sich kein Browserfenster geöffnet hat, öffnen Sie diesen Link selbst:
oauth-browser-failed = Der Browser ließ sich nicht öffnen ({ $reason }). Öffnen Sie diesen Link selbst:
oauth-copy-link = Link kopieren
oauth-signed-in = Angemeldet. Poplar bewahrt die Anmeldung im Schlüsselbund auf, nie Ihr Passwort.
oauth-signed-in-session = Nur für diese Sitzung angemeldet: Es gibt keinen Schlüsselbund, deshalb melden Sie sich nach einem Neustart von Poplar erneut an.
oauth-signed-in-before = Bereits angemeldet. Melden Sie sich nur neu an, wenn der Abruf Sie darum bittet.
oauth-sign-in-again = Sie haben nach der Anmeldung den Benutzernamen, den Server, den Port oder die Anmeldeeinstellungen geändert. Bitte melden Sie sich erneut an, damit die Anmeldung zu diesen Einstellungen passt.
oauth-needs-fields = Tragen Sie zuerst Server, Port und Benutzernamen ein: Die Anmeldung wird unter diesen Angaben abgelegt.
oauth-needs-endpoints = Tragen Sie zuerst unter „Erweitert“ die Autorisierungs- und die Token-URL des Anbieters ein.
oauth-no-client-id = Für diese Poplar-Version ist keine Client-ID bei { $provider } registriert. Registrieren Sie eine (siehe README, „Signing in with OAuth“) und tragen Sie sie unter „Erweitert“ ein.
oauth-no-client-id-custom = Tragen Sie unter „Erweitert“ die Client-ID ein, die Ihr Anbieter Ihnen für Poplar gegeben hat.
oauth-advanced = Erweitert
oauth-provider = Anbieter
oauth-provider-microsoft = Microsoft
oauth-provider-google = Google
oauth-provider-other = Anderer
oauth-provider-yours = Ihrem Anbieter
oauth-client-id = Client-ID
oauth-client-id-hint = leer: die von Poplar mitgelieferte
oauth-client-id-hint-custom = aus Ihrer App-Registrierung
oauth-client-secret = Client-Geheimnis
oauth-client-secret-hint = optional, nur im Schlüsselbund abgelegt
oauth-authorize-url = Autorisierungs-URL
oauth-authorize-url-hint = https://login.example.org/authorize
oauth-token-url = Token-URL
oauth-token-url-hint = https://login.example.org/token
oauth-scopes = Berechtigungen (Scopes)
oauth-scopes-hint = durch Leerzeichen getrennt
oauth-url-invalid = Geben Sie eine Webadresse ein, die mit https:// beginnt.
oauth-url-insecure = Verwenden Sie hier https://. Unverschlüsseltes http:// ist nur für diesen Computer selbst erlaubt (127.0.0.1 oder localhost).
missing-sign-in = Anmeldung
missing-authorize-url = Autorisierungs-URL
missing-token-url = Token-URL
oauth-failed-keyring = Sie haben sich angemeldet, aber der Schlüsselbund konnte die Anmeldung nicht aufbewahren: { $reason }
oauth-failed-browser = Der Browser ließ sich nicht öffnen: { $reason }
oauth-failed-cancelled = Die Anmeldung wurde abgebrochen.
oauth-failed-timeout = Der Browser ist nicht innerhalb von { $minutes } Minuten zu Poplar zurückgekehrt. Melden Sie sich erneut an und schließen Sie die Anmeldung auf der Seite des Anbieters ab.
oauth-failed-denied = Der Zugriff wurde auf der Seite des Anbieters abgelehnt. Poplar kann Ihre E-Mails nur abrufen, wenn Sie es dort erlauben: Melden Sie sich erneut an und stimmen Sie zu.
oauth-failed-state = Der Browser kam von einer anderen Anmeldung zurück; Poplar hat das zu Ihrer Sicherheit ignoriert. Bitte melden Sie sich erneut an.
oauth-failed-revoked = Der Anbieter akzeptiert diese Anmeldung nicht mehr (sie ist abgelaufen oder wurde widerrufen). Bitte melden Sie sich erneut an.
oauth-failed-server = Der Anbieter hat die Anmeldung abgelehnt: { $reason }
oauth-failed-server-plain = Der Anbieter hat die Anmeldung abgelehnt.
oauth-failed-network = Poplar konnte den Anbieter nicht erreichen: { $reason }. Prüfen Sie, ob dieser Computer online ist.
oauth-failed-insecure = { $url } verwendet unverschlüsseltes http zu einem anderen Computer. Dort ist nur https erlaubt.
oauth-failed-malformed = Die Antwort des Anbieters war nicht verwendbar: { $reason }
oauth-failed-system = Poplar konnte die Anmeldung nicht starten: { $reason }
oauth-failed-stopped = Die Anmeldung wurde unerwartet beendet. Bitte versuchen Sie es noch einmal.

cli-rule-added = Regel { $name } angelegt (Nummer { $number })
cli-rule-removed = Regel { $name } gelöscht
cli-rule-none = es gibt noch keine Regeln; legen Sie eine mit `poplar rule add` an
cli-rule-unreadable = eine Regel aus einer neueren Poplar-Version (sie wird nicht angewendet)
cli-rule-folder-gone = ausgeschaltet, weil ihr Ordner gelöscht wurde
cli-rule-bad-condition = { $text } ist keine Bedingung; schreiben Sie FELD OPERATOR WERT, etwa „subject contains Rechnung“ (Felder: from, to, subject, header:NAME, size, attachment, account; Operatoren: contains, not-contains, is, is-not, starts-with, ends-with, greater, less)
cli-rule-no-folder = es gibt keinen Ordner namens { $name }
cli-rule-ambiguous-folder = { $count } Ordner heißen { $name }; geben Sie den übergeordneten Ordner mit an, etwa Oberordner/Name
cli-rule-not-found = es gibt keine Regel { $rule }
cli-rule-ran = { $examined } Nachrichten geprüft, { $matched } passend, { $moved } verschoben
cli-folder-added = Ordner { $name } angelegt
cli-folder-renamed = Ordner in { $name } umbenannt
cli-folder-removed = Ordner { $name } gelöscht; { $count ->
    [0] er war leer
    [one] seine Nachricht liegt jetzt im Papierkorb
   *[other] seine { $count } Nachrichten liegen jetzt im Papierkorb
}
section-junk = Spam
junk-provider-marks = Vom Anbieter als Spam markierte Mails in den Spam-Ordner verschieben
junk-learning = Auch Mails verschieben, die meinen Spam-Markierungen ähneln
menu-junk = Als Spam markieren
menu-not-junk = Kein Spam
notice-junk-failed = Spam-Markierung fehlgeschlagen
junk-note-provider = Ihr Anbieter hat diese Nachricht als Spam markiert ({ $field }).
junk-note-learned = Poplar hält diese Nachricht für Spam ({ $percent } %).

## Nachrichten in Ordner verschieben und kopieren

menu-move-to = Verschieben nach
menu-copy-to = Kopieren nach
menu-recent = Zuletzt verwendet
picker-move = In Ordner verschieben
picker-copy = In Ordner kopieren
picker-filter = Ordner
picker-filter-hint = Einen Teil des Ordnernamens eingeben
picker-none = Kein Ordner passt.
picker-keys = Eingabe nimmt den markierten Ordner, Esc schließt.
notice-moving = { $count ->
    [one] Eine Nachricht wird nach { $folder } verschoben …
   *[other] { $count } Nachrichten werden nach { $folder } verschoben …
}
notice-copying = { $count ->
    [one] Eine Nachricht wird nach { $folder } kopiert …
   *[other] { $count } Nachrichten werden nach { $folder } kopiert …
}
notice-moved = { $count ->
    [0] Nichts verschoben: Die Nachrichten lagen schon in { $folder }
    [one] Eine Nachricht nach { $folder } verschoben
   *[other] { $count } Nachrichten nach { $folder } verschoben
}
notice-copied = { $count ->
    [0] Nichts nach { $folder } kopiert
    [one] Eine Nachricht nach { $folder } kopiert
   *[other] { $count } Nachrichten nach { $folder } kopiert
}
notice-move-failed = Verschieben nach { $folder } fehlgeschlagen
notice-copy-failed = Kopieren nach { $folder } fehlgeschlagen
drag-messages = { $count ->
    [one] Eine Nachricht verschieben (mit Strg kopieren)
   *[other] { $count } Nachrichten verschieben (mit Strg kopieren)
}

## Regeln: der Dialog, der Editor und „Regeln jetzt anwenden“

menu-rules = Regeln …
menu-run-rules = Regeln auf diese Nachrichten anwenden
folder-run-rules = Regeln jetzt anwenden
notice-rules-running = Die Regeln laufen …
notice-rules-ran = { $examined ->
    [one] Eine Nachricht
   *[other] { $examined } Nachrichten
} geprüft: { $matched } passend, { $moved } verschoben
notice-rules-failed = Die Regeln konnten nicht laufen: { $error }
rules-title = Regeln
rules-explained = Poplar wendet diese Regeln von oben nach unten auf jede eintreffende Nachricht an. Verschiebt eine Regel die Nachricht, ist sie die letzte für diese Nachricht.
rules-none = Noch keine Regeln. Eine Regel sortiert Post schon beim Eintreffen: nach Absender, Betreff, Größe und mehr.
rules-use = Regel { $name } verwenden
rules-edit = Bearbeiten …
rules-edit-one = Regel { $name } bearbeiten
rules-delete = Löschen
rules-delete-one = Regel { $name } löschen
rules-up = { $name } nach oben
rules-down = { $name } nach unten
rules-notice-folder-gone = Ausgeschaltet: Der Ordner, in den sie einsortiert hat, wurde gelöscht. Wählen Sie einen anderen Ordner und schalten Sie sie wieder ein.
rules-new = Neue Regel …
rules-run-now = Regeln jetzt anwenden
rules-run-now-hint = Wendet die Regeln auf { $place } an
rules-close = Schließen
rules-new-title = Neue Regel
rules-edit-title = Regel bearbeiten
rule-name = Name der Regel
rule-applies-to = Für Post von
rule-all-accounts = allen Konten
rule-these-accounts = diesen Konten:
rule-match-all = Alle Bedingungen treffen zu
rule-match-any = Mindestens eine Bedingung trifft zu
rule-field-from = Absender
rule-field-to = An oder Kopie
rule-field-subject = Betreff
rule-field-header = Kopfzeile
rule-field-size = Größe
rule-field-attachment = Anhang
rule-field-account = Konto
rule-op-contains = enthält
rule-op-not-contains = enthält nicht
rule-op-is = ist
rule-op-is-not = ist nicht
rule-op-starts-with = beginnt mit
rule-op-ends-with = endet mit
rule-op-greater = ist größer als
rule-op-less = ist kleiner als
rule-op-has = ist vorhanden
rule-op-has-not = ist nicht vorhanden
rule-header-hint = z. B. List-Id
rule-header-name = Name der Kopfzeile { $number }
rule-value = Wert { $number }
rule-choose-account = Konto wählen
rule-remove-condition = Bedingung { $number } entfernen
rule-add-condition = Bedingung hinzufügen
rule-then = Dann
rule-move = Verschieben nach
rule-stay = Nicht verschieben
rule-action-trash = Papierkorb
rule-action-read = Als gelesen markieren
rule-action-flag = Mit Stern markieren
rule-stop = Danach keine weiteren Regeln anwenden
rule-enabled = Diese Regel verwenden
rule-summary-move = nach { $folder } verschieben
rule-and = und
rule-or = oder
rule-save = Speichern
rule-preview-counting = Passende Nachrichten werden gezählt …
rule-preview = Würde auf { $matched } von { $examined } Nachrichten { $place } zutreffen
rule-preview-inbox = im Posteingang
rule-preview-inboxes = in den Posteingängen
rule-error-name = Geben Sie der Regel einen Namen.
rule-error-no-conditions = Fügen Sie eine Bedingung hinzu, sonst würde die Regel auf jede Nachricht zutreffen.
rule-error-empty-condition = Bedingung { $number } ist leer: Geben Sie einen Suchtext ein.
rule-error-no-actions = Die Regel tut noch nichts: Wählen Sie einen Ordner, oder lassen Sie die Nachricht als gelesen oder mit Stern markieren.
rule-error-two-moves = Die Regel verschiebt eine Nachricht zweimal: Behalten Sie nur eine Verschiebung.
rule-error-no-accounts = Wählen Sie mindestens ein Konto oder alle Konten.
rule-error-header = Bedingung { $number }: „{ $name }“ ist kein Name einer Kopfzeile (nur Buchstaben, Ziffern und Bindestriche).
rule-error-size = Bedingung { $number }: Die Größe „{ $value }“ ist keine ganze Zahl in KB.
rule-error-condition = Bedingung { $number } ist unvollständig.
rule-error-folder-gone = ihr Ordner wurde gelöscht
rule-name-label = Name
rule-summary = { $conditions }: { $actions }
rule-field = Feld { $number }
rule-op = Vergleich { $number }
rule-account = Konto { $number }
rule-summary-trash = in den Papierkorb verschieben
rule-summary-read = als gelesen markieren
rule-summary-flag = mit Stern markieren
rule-quoted = „{ $text }“
junk-which-marks = Welche Spam-Markierungen zählen
junk-check-spam-flag = X-Spam-Flag: YES (SpamAssassin, rspamd)
junk-check-spam-status = X-Spam-Status: Yes (SpamAssassin)
junk-check-x-spam = X-Spam: Yes (rspamd)
junk-check-spam-score = Spam-Wert ab { $threshold } (SpamAssassin, rspamd)
junk-check-united-internet = Spam-Urteil von GMX und WEB.DE
junk-check-t-online = Spam-Kategorie der Telekom (eXpurgate)
junk-check-microsoft = Spam-Urteil von Microsoft (Outlook.com, Exchange Online)

## Antworten, Allen antworten und Weiterleiten über das eigene E-Mail-Programm
answer-reply = Antworten
answer-reply-all = Allen antworten
answer-forward = Weiterleiten
answer-reply-hint = Öffnet eine Antwort mit zitiertem Text in Ihrem E-Mail-Programm. Selbst senden kann Poplar noch nicht.
answer-forward-hint = Öffnet in Ihrem E-Mail-Programm eine neue Nachricht mit dem Text dieser Nachricht. Anhänge kommen nicht mit: Speichern Sie sie und hängen Sie sie dort an. Selbst senden kann Poplar noch nicht.
answer-intro = Am { $date } schrieb { $name }:
answer-intro-undated = { $name } schrieb:
answer-forwarded =
    -------- Weitergeleitete Nachricht --------
    Von: { $from }
    Datum: { $date }
    Betreff: { $subject }
    An: { $to }
answer-cut = Der Rest der Nachricht wurde gekürzt, damit sie in den Link an Ihr E-Mail-Programm passt.
answer-handed-over = Ihr E-Mail-Programm öffnet die neue Nachricht.
answer-failed = Ihr E-Mail-Programm ließ sich nicht öffnen: { $error }
folder-mark-all-read = Alle als gelesen markieren
folder-empty-trash = Papierkorb leeren …
folder-empty-trash-yes = Papierkorb leeren
confirm-empty-trash =
    { $count ->
        [one] Die Nachricht in diesem Papierkorb endgültig löschen? Sie lässt sich nicht wiederherstellen.
       *[other] Die { $count } Nachrichten in diesem Papierkorb endgültig löschen? Sie lassen sich nicht wiederherstellen.
    }{ $server ->
        [yes] {" "}Dieses Konto löscht sie auch auf dem Server.
       *[no] {""}
    }

## Drucken (Druckdialog des Desktops oder PDF)
menu-print = Drucken…
menu-save-pdf = Als PDF speichern…
print-hint = Öffnet den Druckdialog des Desktops für diese Nachricht.
save-pdf-hint = Speichert die Nachricht druckfertig als PDF-Datei.
print-dialog-title = Nachricht als PDF speichern
print-no-subject = (kein Betreff)
print-attachments =
    { $count ->
        [one] Anhang
       *[other] Anhänge ({ $count })
    }
print-page = Seite { $page } von { $pages }
print-sent = „{ $subject }“ ist an den Drucker gegangen.
print-cancelled = Drucken abgebrochen.
print-in-viewer = Dieser Desktop bietet Poplar keinen Druckdialog an: „{ $subject }“ ist als PDF im Dokumentbetrachter geöffnet und lässt sich dort drucken.
print-failed = „{ $subject }“ konnte nicht gedruckt werden: { $error }
print-missing =
    { $count ->
        [one] Für ein Zeichen fehlt in Poplars Schriften der Buchstabe; es erscheint als „?“.
       *[other] Für { $count } Zeichen fehlt in Poplars Schriften der Buchstabe; sie erscheinen als „?“.
    }
pdf-saved = „{ $subject }“ gespeichert als { $path }
pdf-save-failed = Das PDF konnte nicht gespeichert werden: { $error }
