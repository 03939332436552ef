# Poplar's English messages (the source language, and the fallback for every other).
# Ids are grouped by the part of the program that shows them. Keep the German catalogue
# (../de/poplar.ftl) in step: the tests fail when an id is in one and not the other.

## The menu bar

menu-file = File
menu-accounts = Accounts…
menu-settings = Settings…
menu-quit = Quit
menu-view = View
menu-theme = Theme
menu-language = Language
menu-language-system = System language ({ $language })
menu-group-conversations = Group by conversation
menu-group-conversations-hint = One row per conversation: click its triangle or press → to open it, ← to close it
conversation-title = Conversation: { $subject }
list-thread-open = Open the conversation ({ $count } messages, { $unread ->
    [0] all read
   *[other] { $unread } unread
})
list-thread-close = Close the conversation
list-thread-unread = { $count } new
menu-show-conversation = Show the conversation
keys-title = Keyboard shortcuts
keys-move = Next or previous message
keys-page = A page down or up
keys-extend = Select more messages, down or up
keys-select-all = Select every message of the list
keys-open = Open the selected message
keys-folder = Next or previous folder
keys-conversation = Open or close a conversation (grouped by conversation)
keys-read = Mark as read, or unread when it is read
keys-all-read = Mark all as read
keys-flag = Flag or unflag
keys-junk = Mark as junk, or not junk in Junk
keys-move-to = Move to a folder (the quick picker)
keys-copy-to = Copy to a folder
keys-delete = Move to Trash (in Trash: delete for ever)
keys-check = Check mail
keys-search = Search
keys-clear-search = Clear the search field
keys-zoom-in = Larger message text
keys-zoom-out = Smaller message text
keys-zoom-reset = Normal message text
keys-print = Print the message
keys-help = This page
key-move = ↓ / j, ↑ / k
key-page = Page Down, Page Up
key-extend = Shift + ↓ / ↑
key-select-all = Ctrl + A
key-open = Enter
key-folder = Alt + ↓ / ↑
key-conversation = → / ←
key-read = U
key-all-read = Shift + C
key-flag = S
key-junk = Shift + J
key-move-to = M
key-copy-to = Shift + M
key-delete = Delete
key-check = F5 / Ctrl + R
key-search = Ctrl + F
key-clear-search = Escape
key-zoom-in = Ctrl + +
key-print = Ctrl + P
key-zoom-out = Ctrl + −
key-zoom-reset = Ctrl + 0
key-help = F1
menu-help = Help
menu-keys = Keyboard shortcuts
menu-zoom-in = Larger text
menu-zoom-out = Smaller text
menu-zoom-reset = Normal text size
view-conversation = Conversation
view-conversation-hint = List this message's whole conversation, wherever its messages are filed
list-count-grouped = { $count ->
        [one] 1 message
       *[other] { $count } messages
    } in { $threads ->
        [one] 1 conversation
       *[other] { $threads } conversations
    }

## The first run, and a store that cannot be opened

welcome-title = Welcome to Poplar
welcome-what = Poplar downloads your mail from POP3 servers (GMX, WEB.DE, T-Online, your provider or your own) and keeps it on this computer, readable offline.
welcome-promise = No message is ever lost or stored twice. Mail is deleted on the server only if you say so, and only once it is safely stored here.
welcome-passwords = Passwords stay in your system's keyring, never in a file.
welcome-add-account = Add account
welcome-terminal = From a terminal:
start-error-title = Poplar cannot open its mail store
start-error-hint = Nothing was changed. If another Poplar is running, close it and start this one again.

## The status bar

status-progress = { $account }: { $done } of { $total } messages, { $bytes_done } of { $bytes_total }
status-checking = { $account }: checking…
status-keys = F5 checks mail · Ctrl+F searches · Delete moves to Trash
status-more = (+{ $count } more)
status-details = Click for the details
notice-dismiss = Dismiss
notice-dismiss-all = Dismiss all
notices-title = Notices
check-result =
    { $count ->
        [0] { $account }: no new mail
        [one] { $account }: 1 new message
       *[other] { $account }: { $count } new messages
    }

## The Settings dialog

settings-title = Settings
settings-new-mail = New mail
settings-notify = Show a notification when new mail arrives
settings-running = Running
settings-keep-running = Keep checking for mail when the window is closed
settings-keep-running-hint = Poplar stays in the tray; its menu opens the window or quits.
settings-keep-running-off = Not available: { $why }. Poplar lives in the tray while its window is closed, so on this desktop closing the window quits.
settings-login = Start Poplar when I log in
settings-login-hint = It starts in the tray when the desktop has one.
settings-login-unavailable = Not available here: use your desktop's own settings for it.
settings-save-failed = The settings could not be saved: { $error }
settings-login-failed = The login start could not be changed: { $error }
settings-close = Close

## The tray icon

tray-title =
    { $count ->
        [0] Poplar: no unread mail
        [one] Poplar: 1 unread message
       *[other] Poplar: { $count } unread messages
    }
tray-open = Open Poplar
tray-check = Check now
tray-quit = Quit
tray-none-here = there is no tray here
tray-no-host = this desktop shows no tray icons
tray-no-bus = this desktop session has no message bus (D-Bus), which a tray icon needs
tray-no-watcher = this desktop has no tray (StatusNotifierWatcher)
tray-failed = the tray icon could not be shown: { $error }

## New-mail notifications

notify-summary =
    { $count ->
        [one] 1 new message from { $account }
       *[other] { $count } new messages from { $account }
    }
notify-more = and { $count } more
notify-no-subject = (no subject)
unknown-sender = (unknown sender)
notify-show = Show

## The folder pane

folder-all-inboxes = All inboxes
folder-local = Local
folder-inbox = Inbox
folder-trash = Trash
folder-imported = Imported
folder-junk = Junk
folder-add-account = Add account…
folder-unread = { $name }, { $count } unread
folder-expand = Show the folders in { $name }
folder-collapse = Hide the folders in { $name }
folder-new = New folder…
folder-new-subfolder = New subfolder…
folder-rename = Rename…
folder-delete = Delete…
folder-name = Folder name
folder-name-hint = Name
folder-name-empty = The folder needs a name.
folder-ok = OK
folder-delete-question =
    { $count ->
        [0] Delete the folder { $name }? It holds no messages.
        [one] Delete the folder { $name }? Its message goes to Trash.
       *[other] Delete the folder { $name }? Its { $count } messages go to Trash.
    }
account-export-mbox = Export this account as mbox…
account-export-eml = Export this account as .eml files…
account-checking = Checking…
account-checking-progress = Checking… { $done } of { $total }
account-checked = Checked { $time }
account-not-checked = Not checked yet
account-retry-at = Poplar tries again at { $time }.
account-check-failed = Check failed
account-retry = Retry
account-settings-hint = Open this account's settings

## The message list

list-search-hint = Search (Ctrl+F)
list-search = Search
list-check-mail = Check mail
list-check-mail-hint = Check every account now (F5)
list-found =
    { $count ->
        [0] nothing found
        [one] 1 found
       *[other] { $count } found
    }
list-count =
    { $count ->
        [one] 1 message
       *[other] { $count } messages
    }
list-searching = Searching…
list-search-help = Words find mail by sender, recipients, subject and text. Also: "a phrase", -word to leave it out, from:, to:, subject:, body:, has:attachment, is:unread, is:read, is:flagged, folder:, account:, before:2024-03-01, after:, date:2024-03.
search-bad-date = { $term } is not a date. Write a day (2024-03-15 or 15.3.2024), a month (2024-03) or a year (2024).
search-unknown-is = Poplar cannot search for is:{ $value }. Try is:unread, is:read, is:flagged or is:unflagged.
search-unknown-has = Poplar cannot search for has:{ $value }. Try has:attachment.
search-unknown-folder = There is no folder called “{ $name }”.
search-unknown-account = There is no account called “{ $name }”.
search-too-long = A search can have at most { $count } terms.
search-save-no-name = Give the search a name.
search-save-long-name = A name can have at most { $count } characters.
search-save-empty = Type a search first.
search-save-taken = There is already a saved search called “{ $name }”.
list-save-search = Save search…
list-save-search-hint = Keep this search in the folder pane; it shows new mail as it arrives
search-save-title = Save search
search-save-name = Name of the search
search-save-name-hint = e.g. Invoices from GMX
saved-unread = Unread
saved-flagged = Flagged
saved-remove = Remove saved search
list-delete-forever = Delete for ever
list-delete-forever-hint = Delete the selected messages for good (Delete)
list-restore = Restore
list-restore-hint = Move the selected messages back where they came from
list-delete = Delete
list-delete-hint = Move the selected messages to Trash (Delete)
list-selected = { $count } selected
list-nothing-matches = Nothing matches “{ $query }”.
list-saved-finds-nothing = This search finds nothing yet.
list-empty = No messages here.
list-flagged = Flagged
list-has-attachments = Has attachments
list-flag = Flag
list-unflag = Remove flag
list-partial-hint = Only the headers are here; the rest is still on the server
column-sender = Sender
column-subject = Subject
column-date = Date
column-size = Size
sort-by-sender = Sort by sender
sort-by-subject = Sort by subject
sort-by-date = Sort by date
sort-by-size = Sort by size
menu-open = Open
menu-mark-read = Mark as read
menu-mark-unread = Mark as unread
menu-flag = Flag or unflag
menu-restore = Restore
menu-delete-forever = Delete for ever…
menu-move-to-trash = Move to Trash
menu-export = Export…
menu-download-rest = Download the rest
confirm-cancel = Cancel

## The message view

view-select = Select a message to read it.
view-keys = Up/Down or j/k move, Delete moves to Trash.
view-opening = Opening…
view-delete-hint = Move to Trash (Delete)
view-source = View source
view-source-hint = The message exactly as downloaded
view-partial-hint = Only the headers were downloaded (size limit)
view-partial-note = Only the beginning of this message is here; “Download the rest” fetches the whole message.
view-remote-blocked =
    { $count ->
        [one] Remote images blocked (1 image)
       *[other] Remote images blocked ({ $count } images)
    }
view-remote-blocked-hint = This message refers to pictures on the internet. Poplar never loads them: they would tell the sender when and where you read it.
view-source-cut = (The source is cut here; export the message to see all.)
view-no-text = (This message has no text.)
view-show-more = Show more of this message
view-show-more-hint = Long messages are shown in parts, so the window stays quick
view-cut = (The message is cut here; “View source” or export it to see all.)
header-from = From
header-to = To
header-cc = Cc
header-date = Date
header-copy-address = Copy address
header-copy-address-hint = Copy { $address } to the clipboard
details-title = Details
details-account = Account
details-server = Server
details-uidl = UIDL
details-downloaded = Downloaded
details-imported = Imported
details-tls = Connection
details-no-tls = (not recorded)
details-none = (none)
details-message-id = Message-ID
attachment-save = Save
attachment-save-hint = Save { $name }
view-only-attachments = No text. { $count ->
        [one] 1 attachment
       *[other] { $count } attachments
    }: { $names }
attachment-open = Open
attachment-open-hint = Open { $name } with the program your system uses for it (Poplar never runs it)
attachment-opened = Opened { $name } with the system's program.
attachment-open-failed = Cannot open { $name }: { $error }
attachment-runs-code = { $name } was not opened: files of this kind run a program when opened, and mail from strangers must not do that. Save it and look at it first.
attachment-save-all = Save all
attachment-save-all-hint = Save every attachment into a folder
attachment-save-all-into = Save all into folder
attachment-save-to = Save to
attachment-save-here = Save here

## Export and import

menu-import = Import…
menu-export-selected = Export selected messages…
menu-export-list-mbox = Export this list as mbox…
menu-export-list-eml = Export this list as .eml files…
menu-export-all-mbox = Export all mail as mbox…
transfer-exporting = Exporting { $done } of { $total } messages
transfer-importing = Importing { $done } of { $total } messages
transfer-importing-so-far = Importing … { $done } messages so far
path-no-dialog = No file dialog is available on this desktop; type the path instead.
path-one-per-line = One file per line:
path-field = Path
path-ok = OK
drop-to-import = Drop .eml or mbox files to import them

## Dates (the list, the message header, "checked at")
# $day (1–31), $dd and $mm (two digits), $year, $time (14:05), and the names below.

date-weekday = { $weekday_short }
date-this-year = { $month_short } { $day }
date-older = { $month_short } { $day }, { $year }
date-full = { $weekday_long }, { $day } { $month_long } { $year }, { $time }
weekday-short =
    { $n ->
        [1] Mon
        [2] Tue
        [3] Wed
        [4] Thu
        [5] Fri
        [6] Sat
       *[7] Sun
    }
weekday-long =
    { $n ->
        [1] Monday
        [2] Tuesday
        [3] Wednesday
        [4] Thursday
        [5] Friday
        [6] Saturday
       *[7] Sunday
    }
month-short =
    { $n ->
        [1] Jan
        [2] Feb
        [3] Mar
        [4] Apr
        [5] May
        [6] Jun
        [7] Jul
        [8] Aug
        [9] Sep
        [10] Oct
        [11] Nov
       *[12] Dec
    }
month-long =
    { $n ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    }

## The accounts dialog

accounts-title = Accounts
accounts-none = No account yet: Add one.
accounts-select = Select an account to edit or remove it, or Add one.
accounts-add = Add
accounts-edit = Edit
accounts-remove = Remove
remove-question = Remove the account “{ $name }”?
remove-keep-mail = Keep its mail on this computer
remove-kept = Its messages stay readable under Local, in a folder named “{ $name }”. Nothing is deleted on the server.
remove-deleted = Its messages are deleted from this computer for good. Mail on the server is not touched.
remove-confirm = Remove account
editor-edit = Edit { $name }
editor-new = New account
editor-no-keyring = No keyring is running on this desktop, and Poplar never writes a password to a file: keep it for this session only (you type it again after Poplar restarts), or use a password command.
editor-no-keyring-oauth = No keyring is running on this desktop, and Poplar never writes a sign-in to a file: it is kept for this session only, so you sign in again after Poplar restarts.
editor-save = Save
editor-still-needed = Still needed: { $fields }.
editor-fix-red = Fix the fields marked in red to save.
field-email = Email address
field-email-hint = anna@example.de
field-name = Account name
field-name-hint = e.g. GMX
field-host = Incoming server
field-host-hint = pop.example.de
field-security = Security
field-no-encryption = No encryption: your password and your mail cross the network readable by anyone on the way.
field-port = Port
field-user = User name
field-user-hint = often the email address
field-password-from = Password from
field-password = Password
field-password-command = Password command
field-password-command-hint = e.g. pass show mail/gmx
field-auth = Authentication
field-ca-file = Extra CA file
field-ca-file-hint = optional, a PEM file
password-keyring = Keyring
password-session = This session only
password-command = Command
password-unchanged = unchanged
password-in-keyring = kept in the keyring
password-in-memory = kept in memory until Poplar quits
security-none = None
auth-automatic = Automatic
auth-password = Normal password
auth-xoauth2 = XOAUTH2 (token)
auth-oauthbearer = OAUTHBEARER (token)
auth-oauth2 = OAuth 2.0 (sign in with the provider)
missing-name = account name
missing-email = email address
missing-host = server
missing-user = user name
missing-password = password
missing-command = password command
preset-summary = { $provider }: { $host } port { $port }, { $security }, user name { $user }.
preset-user-address = the whole address
preset-user-local = the part before @
preset-unknown = Unknown provider; the usual server names are
preset-unknown-test = (Test connection tells which works).
section-checking = Checking
section-server = On the server
section-downloading = Downloading
section-test = Connection test
section-certificate = Certificate
check-on-start = Check when Poplar starts
check-every = Check every
check-minutes = minutes
leave-forever = Leave mail on the server for ever
leave-days = Leave it for
leave-until-deleted = Leave it until I delete it here
leave-delete-after = Delete it from the server right after download
unit-days = days
size-limit = Headers only for messages over
first-sync = The first check downloads
first-sync-all = everything
first-sync-new = only new mail
first-sync-last = the last
pin-trusted = Trusted certificate (pinned): SHA-256
pin-forget = Forget
pin-none = Checked against this computer's certificate authorities.
test-running = Testing { $host }:{ $port }…
test-cancel = Cancel test
test-start = Test connection
test-cancelled = The test was cancelled.
test-failed-connect = Poplar could not reach { $server }. Check the server name and the port, and that this computer is online.
test-failed-timeout = { $server } did not answer in time.
test-failed-tls = The secure connection to { $server } failed: its certificate is not trusted, or it offers no encryption on this port.
test-failed-auth = The server refused the user name or password. See the provider's notes above: some need an app password, or POP3 switched on in the web mail first.
test-failed-in-use = The mailbox is in use by another program (a phone, perhaps). Try again in a few minutes.
test-failed-login-delay = The provider allows only so many checks. Wait a few minutes and try again.
test-failed-temporary = { $server } has a temporary problem. Try again later.
test-failed-permanent = { $server } refused: see its reply below.
test-failed-protocol = { $server } did not answer like a POP3 server. Check the port and the security setting.
test-failed-closed = { $server } closed the connection. Check the port and the security setting (SSL/TLS usually on 995, STARTTLS on 110).
test-failed-input = One of these settings cannot be used: see below.
test-not-started = Poplar could not start the test.
test-logged-in = Connected and logged in: { $count } messages ({ $size }) on the server.
test-connected = Connected to { $server }.
test-not-logged-in = Not logged in: { $reason }.
test-untrusted = This computer does not trust the certificate of { $server }: { $reason }.
test-untrusted-advice = If this is your own server or your provider says its certificate is self-signed, compare the fingerprint below with the one it gives you, then trust it. Poplar will then accept this exact certificate, and no other, here.
test-pin-changed = The certificate of { $server } has CHANGED since you trusted it.
test-pin-changed-advice =
    Poplar does not connect to this account until you decide. If your provider did not announce a new certificate, someone may be intercepting the connection: do not trust it then.
    Trusted until now: { $pinned }
report-encryption = Encryption
report-capabilities = Capabilities
report-auth = Logged in with
trust-this = Trust this certificate for { $server }
trust-new = Trust the new certificate for { $server }
trust-new-or-cancel = or Cancel to keep the old one (and not connect).
cert-subject = Certificate for
cert-issuer = Issued by
cert-valid-until = Valid until
cert-valid-from = Valid from
distrust-self-signed = it is signed by the server itself
distrust-unknown-root = it comes from an authority this computer does not know
distrust-unknown-issuer = no authority known to this computer issued it
distrust-expired = it has expired
distrust-not-yet-valid = it is not valid yet (or this computer's clock is wrong)
distrust-other-name = it is made out for another server name
cert-alt-names = Also valid for
cert-alt-names-none = no other names
cert-alt-names-more = { $count ->
    [one] and one more name
   *[other] and { $count } more names
}
cert-empty = (empty)
cert-unreadable = (unreadable)

## Notices from the window's own work

check-failed = { $account }: { $reason }
account-fallback-name = account { $id }
notice-trash-failed = Cannot move to Trash: { $error }
notice-restore-failed = Cannot restore: { $error }
notice-mark-read-failed = Cannot mark as read: { $error }
notice-open-failed = Cannot open the message: { $error }
notice-select-failed = Cannot select those messages: { $error }
notice-search-failed = The search failed: { $error }
notice-no-account = There is no account to check yet.
notice-downloading-rest = Downloading the rest of the message…
notice-store-failed = Reading the mail store failed: { $error }
notice-flag-failed = Cannot change the flag
notice-mark-failed = Cannot mark the messages
notice-delete-failed = Cannot delete
notice-message-gone = That message is no longer here.
notice-certificate-changed = { $account }: the server's certificate has changed since you trusted it. Poplar does not connect to { $account } until you decide: File > Accounts…, Edit, Test connection.
notice-no-keyring = There is no keyring to keep the password in. Choose "This session only" or a password command, then Save again.
notice-save-account-failed = Cannot save the account: { $error }
notice-remove-account-failed = Cannot remove the account: { $error }
confirm-delete-forever =
    { $count ->
        [one] Delete this message for ever? It cannot be restored.
       *[other] Delete these { $count } messages for ever? They cannot be restored.
    }

## The account form's checks as you type

number-port = The port is a number from { $min } to { $max }.
number-interval = The interval is a number from { $min } to { $max }.
number-days = The number of days is a number from { $min } to { $max }.
number-size-limit = The size limit is a number from { $min } to { $max }.
host-no-url = Only the server's name, without "pop3://" or a path.
host-no-port = Only the server's name: the port goes in its own field.
host-invalid = “{ $host }” is not a server name (letters, digits, dots and dashes).
name-taken = There is already an account named “{ $name }”.
email-invalid = An address looks like anna@example.de.
interval-too-short = This provider allows a check every { $minimum } minutes at most.
ca-file-missing = There is no file { $path }.
field-missing = The { $field } is missing.

## Provider notes in the accounts dialog

preset-webde-interval = WEB.DE allows one check every 15 minutes; more often, it refuses the login as if the password were wrong.
preset-tonline-password = T-Online needs its separate e-mail password (E-Mail-Passwort, set in the E-Mail Center); the password of your Telekom login does not work.
preset-freenet-enable-pop = freenet allows POP3 only after it is switched on in the web mail's settings (E-Mail-Programme / POP3 und IMAP).
preset-ionos-own-domain = With your own domain at IONOS, the server is pop.ionos.de as well.
preset-gmail-paging = Gmail hands out about 250 messages per session; Poplar keeps checking until all have arrived.
preset-outlook-oauth = Outlook.com accepts only OAuth (sign in with Microsoft) or an app password since September 2024; your normal password is refused. POP must also be switched on in Outlook.com's settings (Mail > Forwarding and IMAP).
preset-yahoo-app-password = Yahoo needs an app password (Account security > Generate app password); your normal password is refused.
preset-aol-app-password = AOL needs an app password (Account security > Generate app password); your normal password is refused.
preset-icloud-no-pop = iCloud Mail offers no POP3, only IMAP: Poplar cannot fetch it.
preset-gmx-enable-pop = POP3 must be switched on once in GMX's web mail: Settings > POP3/IMAP Abruf > "POP3 und IMAP Zugriff erlauben".
preset-webde-enable-pop = POP3 must be switched on once in WEB.DE's web mail: Einstellungen > POP3/IMAP Abruf > "POP3 und IMAP Zugriff erlauben".
preset-gmail-app-password = Gmail needs an app password (Google account > Security > 2-Step Verification > App passwords) or OAuth; your normal password is refused. POP must also be enabled in Gmail's settings (Forwarding and POP/IMAP).

## A failed check, in plain words

trouble-auth = { $account } refused the login: wrong password, or POP3 not switched on in the web mail.
trouble-token-refused = { $account } refused the sign-in from the provider: POP3 may be switched off in the web mail, or the sign-in lacks the permission for POP. Check there, then sign in again in the account's settings.
trouble-certificate-changed = { $server } shows a different certificate than the one you trusted. Poplar does not connect to { $account } until you look at it.
trouble-name-not-found = There is no server called { $server }: check its name, or the internet connection.
trouble-refused = { $server } accepts no connection on this port: check the port and the security setting.
trouble-tls = No secure connection to { $server }: its certificate is not trusted, or it offers no encryption.
trouble-connect = { $server } cannot be reached. Is the internet connection down? Poplar tries again by itself.
trouble-timeout = { $server } does not answer. Poplar tries again by itself.
trouble-in-use = The mailbox of { $account } is in use by another program (a phone, perhaps). Poplar tries again later.
trouble-login-delay = { $account } allows only so many checks. Poplar waits and tries again.
trouble-temporary = { $server } has a temporary problem. Poplar tries again later.
trouble-permanent = { $server } refused what Poplar asked: see the server's reply.
trouble-broken = The connection to { $server } broke off. Poplar tries again by itself.
trouble-input = A setting of { $account } cannot work: see the details.
trouble-disk-full = The disk is full: nothing new could be stored, and nothing was deleted on the server. Make room, then check again.
trouble-read-only = The mail store cannot be written: nothing was deleted on the server.
trouble-store = The mail store failed: nothing was deleted on the server.
trouble-password = Poplar has no password for { $account }: type it in the account's settings.
trouble-settings = The settings of { $account } do not fit this server: see the details.
trouble-sign-in-missing = { $account } is not signed in with its provider yet. Open the account's settings and sign in.
trouble-sign-in-revoked = The sign-in of { $account } has expired or was withdrawn. Sign in again in the account's settings; until then Poplar does not check it.
trouble-sign-in-no-client-id = This Poplar has no client id for the provider of { $account }. Enter one in the account's advanced settings (the README says how to register one).
trouble-sign-in-unreachable = Poplar could not reach the sign-in service of { $account }. It tries again by itself.
trouble-sign-in-refused = The provider would not renew the sign-in of { $account }. Sign in again in the account's settings; the details say what it answered.
trouble-sign-in-command = To sign in from here: poplar account login "{ $account }"
trouble-cancelled = The check was cancelled.
trouble-short-auth = login refused
trouble-short-password = no password
trouble-short-sign-in = sign in again
trouble-short-certificate = certificate changed
trouble-short-unreachable = server not reachable
trouble-short-tls = no secure connection
trouble-short-in-use = mailbox in use
trouble-short-login-delay = checked too often, waiting
trouble-short-store = mail store failed
trouble-short-failed = check failed
trouble-edit-account = Edit account
trouble-details = The server's reply and the details

## Export, import and saving attachments (the window's dialogs and summaries)

filetype-eml = Email message
filetype-mbox = Mailbox (mbox)
filetype-mail = Email messages and mailboxes
filetype-all = All files
filetype-pdf = PDF document
export-file-stem = message
export-fallback-stem = Poplar export
export-one-title = Export the message
export-many-title = Export { $count } messages to a folder
export-search-name = Search { $query }
export-all-name = All mail
export-mbox-title = Export { $name } as mbox
export-eml-title = Export { $name } to a folder of .eml files
import-title = Import mail
import-done = Imported { $added } messages into Imported
import-done-known = Imported { $added } messages into Imported; { $known } were already here
import-cancelled = Import cancelled: { $summary }
import-stopped = the import stopped unexpectedly
export-stopped = the export stopped unexpectedly
export-done =
    { $count ->
        [one] Exported 1 message to { $path }
       *[other] Exported { $count } messages to { $path }
    }
export-cancelled =
    { $count ->
        [one] Export cancelled: 1 message of { $total } written to { $path }
       *[other] Export cancelled: { $count } messages of { $total } written to { $path }
    }
notice-no-path = No path was given.
notice-transfer-busy = An export or import is running: wait for it, or cancel it.
notice-job-failed = Cannot start the job: { $error }
attachment-saved = Saved { $name } to { $path }
attachment-save-failed = Cannot save { $name }: { $error }
attachment-start-failed = Cannot start saving: { $error }
attachments-not-a-folder = Cannot save the attachments: { $path } is not a folder
attachments-saved =
    { $count ->
        [one] Saved 1 attachment to { $path }
       *[other] Saved { $count } attachments to { $path }
    }
attachment-dialog-title = Save attachment
attachments-dialog-title = Save all attachments into
start-error-folder = cannot create the folder { $path }: { $error }
start-error-thread = cannot start the view thread: { $error }

## The command line's human messages (its flags, commands and --json fields stay English)

cli-no-accounts = there are no accounts; add one with `poplar account add`
cli-window-checks = the Poplar window is open; it checks now and reports here
cli-window-silent = the open Poplar window does not answer: { $error }
cli-window-stopped = the open Poplar window stopped answering: { $error }
cli-sync-progress = { $account }: { $done }/{ $total } messages, { $mb_done }/{ $mb_total } MB
cli-sync-no-result = the check ended without a result
cli-sync-summary = { $account }: { $new } new{ $partial }{ $duplicates }, { $deleted } deleted on the server, { $seconds } s
cli-sync-partial = { " " }({ $count } headers only)
cli-sync-duplicates = , { $count } duplicates skipped
cli-bad-pin = --pin-sha256 takes 64 hex digits (colons allowed)
cli-no-data-dir = cannot find a data directory; pass --data-dir DIR
cli-cannot-create = cannot create { $path }: { $error }
cli-first-sync = expected all, new or days:N (N at least 1)
cli-empty-name = --name must not be empty
cli-bad-host = --host { $host } is not a host name
cli-empty-user = --user must not be empty
cli-bad-port = --port must be between 1 and 65535
cli-no-ca-file = --ca-file { $path } does not exist
cli-empty-command = --password-command must not be empty
cli-no-password = no password given
cli-name-taken = there is already an account named { $name }
cli-password-prompt = Password for { $name } ({ $user }@{ $host })
cli-account-added = added account { $name } (id { $id })
cli-no-account = there is no account named { $name }
cli-keyring-remove-failed = the keyring entry could not be removed: { $error }
cli-account-removed-with-mail = removed account { $name } and its mail
cli-account-removed = removed account { $name }; its mail stays readable in the local folder of that name
cli-oauth-needs-token-auth = --oauth-provider needs --auth oauth2 (or xoauth2, oauthbearer)
cli-oauth-needs-provider = --auth oauth2 needs --oauth-provider microsoft, google or custom for this server
cli-oauth-custom-needs = --oauth-provider custom needs --oauth-authorize-url and --oauth-token-url
cli-oauth-and-password-command = --password-command cannot be used with --oauth-provider: the provider gives the token
cli-oauth-open = Open this address in a browser to sign in (Poplar waits { $minutes } minutes):
cli-oauth-no-keyring = no keyring is running, so the sign-in cannot be kept; start one (a Secret Service such as GNOME Keyring or KeePassXC) and try again
cli-oauth-signed-in = signed in { $name } again
cli-oauth-no-client-id = this Poplar was built without a client id for this provider; give yours with --oauth-client-id (the README explains how to register one)
cli-oauth-revoke-failed = the provider could not be told to withdraw Poplar's access ({ $error }); you can withdraw it on your account's security page
cli-login-password-kept = kept the new password of { $name } in the keyring
cli-login-password-command = { $name } takes its password from its password command; change the command instead
cli-window-checks-account = the open Poplar window checks { $name } now
cli-no-message = there is no message { $id }
cli-exists = { $path } exists already; Poplar does not overwrite files
cli-exported = exported { $count } messages to { $path }
cli-imported = imported { $added } messages into Imported; { $known } were already here

## The page the browser shows when it comes back to Poplar after an OAuth sign-in

oauth-page-title = Poplar sign-in
oauth-page-signed-in-heading = You are signed in
oauth-page-signed-in-text = You can close this window now and return to Poplar.
oauth-page-denied-heading = Access not allowed
oauth-page-denied-text = Without your permission Poplar cannot fetch your mail. You can close this window now and return to Poplar.
oauth-page-failed-heading = Sign-in failed
oauth-page-failed-text = Poplar could not finish signing you in and will tell you why. You can close this window now and return to Poplar.


## The accounts dialog's OAuth sign-in
section-sign-in = Sign-in
oauth-sign-in-microsoft = Sign in with Microsoft
oauth-sign-in-google = Sign in with Google
oauth-sign-in = Sign in
oauth-cancel = Cancel sign-in
oauth-not-signed-in = Not signed in yet.
oauth-waiting = Waiting for the browser… Finish signing in there, then come back here.
oauth-open-by-hand = If no browser window opened, open this link yourself:
oauth-browser-failed = The browser could not be opened ({ $reason }). Open this link yourself:
oauth-copy-link = Copy link
oauth-signed-in = Signed in. Poplar keeps the sign-in in the keyring, never your password.
oauth-signed-in-session = Signed in for this session only: there is no keyring, so you sign in again after Poplar restarts.
oauth-signed-in-before = Signed in earlier. Sign in again only if checking mail asks you to.
oauth-sign-in-again = You changed the user name, server, port or sign-in settings after signing in. Sign in again, so that the sign-in belongs to these settings.
oauth-needs-fields = Fill in the server, port and user name first: the sign-in is kept under them.
oauth-needs-endpoints = Enter the provider's authorization and token URLs under Advanced first.
oauth-no-client-id = This copy of Poplar has no client id registered with { $provider }. Register one (see the README, "Signing in with OAuth") and enter it under Advanced.
oauth-no-client-id-custom = Enter the client id your provider gave you for Poplar under Advanced.
oauth-advanced = Advanced
oauth-provider = Provider
oauth-provider-microsoft = Microsoft
oauth-provider-google = Google
oauth-provider-other = Other
oauth-provider-yours = your provider
oauth-client-id = Client ID
oauth-client-id-hint = empty: the one Poplar was built with
oauth-client-id-hint-custom = from your app registration
oauth-client-secret = Client secret
oauth-client-secret-hint = optional, kept only in the keyring
oauth-authorize-url = Authorization URL
oauth-authorize-url-hint = https://login.example.org/authorize
oauth-token-url = Token URL
oauth-token-url-hint = https://login.example.org/token
oauth-scopes = Scopes
oauth-scopes-hint = separated by spaces
oauth-url-invalid = Enter a web address that starts with https://.
oauth-url-insecure = Use https:// here. Plain http:// is allowed only to this computer (127.0.0.1 or localhost).
missing-sign-in = sign-in
missing-authorize-url = authorization URL
missing-token-url = token URL
oauth-failed-keyring = You signed in, but the keyring could not keep the sign-in: { $reason }
oauth-failed-browser = The browser could not be opened: { $reason }
oauth-failed-cancelled = The sign-in was cancelled.
oauth-failed-timeout = The browser did not come back to Poplar within { $minutes } minutes. Sign in again and finish on the provider's page.
oauth-failed-denied = Access was refused on the provider's page. Poplar can fetch your mail only if you allow it there: sign in again and choose Accept.
oauth-failed-state = The browser came back from a different sign-in, so Poplar ignored it to keep you safe. Sign in again.
oauth-failed-revoked = The provider no longer accepts this sign-in (it expired or was withdrawn). Sign in again.
oauth-failed-server = The provider refused the sign-in: { $reason }
oauth-failed-server-plain = The provider refused the sign-in.
oauth-failed-network = Poplar could not reach the provider: { $reason }. Check that this computer is online.
oauth-failed-insecure = { $url } uses plain http to another computer. Only https is allowed there.
oauth-failed-malformed = The provider's answer could not be used: { $reason }
oauth-failed-system = Poplar could not start the sign-in: { $reason }
oauth-failed-stopped = The sign-in stopped unexpectedly. Please try again.

cli-rule-added = added the rule { $name } (number { $number })
cli-rule-removed = removed the rule { $name }
cli-rule-none = there are no rules; add one with `poplar rule add`
cli-rule-unreadable = a rule written by a newer Poplar (it does not run)
cli-rule-folder-gone = switched off: its folder was deleted
cli-rule-bad-condition = { $text } is not a condition: write FIELD OP VALUE, for example "subject contains invoice" (fields: from, to, subject, header:NAME, size, attachment, account; operators: contains, not-contains, is, is-not, starts-with, ends-with, greater, less)
cli-rule-no-folder = there is no folder { $name }
cli-rule-ambiguous-folder = { $count } folders are named { $name }; write it with its parent, as in Parent/Name
cli-rule-not-found = there is no rule { $rule }
cli-rule-ran = { $examined } messages looked at, { $matched } matched, { $moved } moved
cli-folder-added = made the folder { $name }
cli-folder-renamed = renamed the folder to { $name }
cli-folder-removed = deleted the folder { $name }; { $count ->
    [one] its message went
   *[other] { $count } messages went
} to Trash
section-junk = Junk
junk-provider-marks = Move mail the provider marked as spam to Junk
junk-learning = Also move mail that resembles what I marked as junk
menu-junk = Mark as junk
menu-not-junk = Not junk
notice-junk-failed = Could not mark as junk
junk-note-provider = Your provider marked this message as spam ({ $field }).
junk-note-learned = Poplar thinks this is junk: { $percent }%.

## Moving and copying mail into folders

menu-move-to = Move to
menu-copy-to = Copy to
menu-recent = Recently used
picker-move = Move to folder
picker-copy = Copy to folder
picker-filter = Folder
picker-filter-hint = Type part of a folder's name
picker-none = No folder matches.
picker-keys = Enter takes the highlighted folder, Esc closes.
notice-moving = { $count ->
    [one] Moving a message to { $folder }…
   *[other] Moving { $count } messages to { $folder }…
}
notice-copying = { $count ->
    [one] Copying a message to { $folder }…
   *[other] Copying { $count } messages to { $folder }…
}
notice-moved = { $count ->
    [0] Nothing moved: the messages were already in { $folder }
    [one] Moved a message to { $folder }
   *[other] Moved { $count } messages to { $folder }
}
notice-copied = { $count ->
    [0] Nothing copied to { $folder }
    [one] Copied a message to { $folder }
   *[other] Copied { $count } messages to { $folder }
}
notice-move-failed = Could not move to { $folder }
notice-copy-failed = Could not copy to { $folder }
drag-messages = { $count ->
    [one] Move a message (hold Ctrl to copy)
   *[other] Move { $count } messages (hold Ctrl to copy)
}

## Rules: the dialog, its editor and "Run rules now"

menu-rules = Rules…
menu-run-rules = Run rules on these messages
folder-run-rules = Run rules now
notice-rules-running = Running the rules…
notice-rules-ran = Rules looked at { $examined ->
    [one] one message
   *[other] { $examined } messages
}: { $matched } matched, { $moved } moved
notice-rules-failed = The rules could not run: { $error }
rules-title = Rules
rules-explained = Poplar runs these rules from top to bottom on every message that arrives. A rule that moves a message is the last one to run for it.
rules-none = No rules yet. A rule files mail as it arrives: by sender, subject, size and more.
rules-use = Use the rule { $name }
rules-edit = Edit…
rules-edit-one = Edit the rule { $name }
rules-delete = Delete
rules-delete-one = Delete the rule { $name }
rules-up = Move { $name } up
rules-down = Move { $name } down
rules-notice-folder-gone = Switched off: the folder it filed mail in was deleted. Choose another folder and switch it on again.
rules-new = New rule…
rules-run-now = Run rules now
rules-run-now-hint = Runs the rules over { $place }
rules-close = Close
rules-new-title = New rule
rules-edit-title = Edit rule
rule-name = Rule name
rule-applies-to = For mail from
rule-all-accounts = every account
rule-these-accounts = these accounts:
rule-match-all = All of these conditions hold
rule-match-any = Any of these conditions holds
rule-field-from = From
rule-field-to = To or Cc
rule-field-subject = Subject
rule-field-header = Header field
rule-field-size = Size
rule-field-attachment = Attachment
rule-field-account = Account
rule-op-contains = contains
rule-op-not-contains = does not contain
rule-op-is = is
rule-op-is-not = is not
rule-op-starts-with = starts with
rule-op-ends-with = ends with
rule-op-greater = is larger than
rule-op-less = is smaller than
rule-op-has = is there
rule-op-has-not = is not there
rule-header-hint = e.g. List-Id
rule-header-name = Header name { $number }
rule-value = Value { $number }
rule-choose-account = Choose an account
rule-remove-condition = Remove condition { $number }
rule-add-condition = Add a condition
rule-then = Then
rule-move = Move it to
rule-stay = Leave it where it is
rule-action-trash = Trash
rule-action-read = Mark it as read
rule-action-flag = Flag it
rule-stop = Stop here: later rules do not run for it
rule-enabled = Use this rule
rule-summary-move = move to { $folder }
rule-and = and
rule-or = or
rule-save = Save
rule-preview-counting = Counting the messages it would match…
rule-preview = Would match { $matched } of { $examined } messages { $place }
rule-preview-inbox = in the Inbox
rule-preview-inboxes = in the inboxes
rule-error-name = Give the rule a name.
rule-error-no-conditions = Add a condition: without one the rule would match every message.
rule-error-empty-condition = Condition { $number } is empty: give it a text to look for.
rule-error-no-actions = The rule does nothing yet: choose a folder, or mark as read or flag.
rule-error-two-moves = The rule moves a message twice: keep one.
rule-error-no-accounts = Choose at least one account, or every account.
rule-error-header = Condition { $number }: "{ $name }" is not a header name (letters, digits and dashes only).
rule-error-size = Condition { $number }: the size "{ $value }" is not a whole number of KB.
rule-error-condition = Condition { $number } is not complete.
rule-error-folder-gone = its folder was deleted
rule-name-label = Name
rule-summary = { $conditions }: { $actions }
rule-field = Field { $number }
rule-op = Comparison { $number }
rule-account = Account { $number }
rule-summary-trash = move to Trash
rule-summary-read = mark as read
rule-summary-flag = flag
rule-quoted = “{ $text }”
junk-which-marks = Which spam marks count
junk-check-spam-flag = X-Spam-Flag: YES (SpamAssassin, rspamd)
junk-check-spam-status = X-Spam-Status: Yes (SpamAssassin)
junk-check-x-spam = X-Spam: Yes (rspamd)
junk-check-spam-score = A spam score of { $threshold } or more (SpamAssassin, rspamd)
junk-check-united-internet = GMX and WEB.DE's junk verdict
junk-check-t-online = T-Online's spam category (eXpurgate)
junk-check-microsoft = Microsoft's spam verdict (Outlook.com, Exchange Online)

## Reply, Reply all and Forward, handed to the user's mail program
answer-reply = Reply
answer-reply-all = Reply all
answer-forward = Forward
answer-reply-hint = Opens a reply in your own mail program, with the text quoted. Poplar cannot send mail itself yet.
answer-forward-hint = Opens a new message with this one's text in your own mail program. Attachments are not passed on: save them and attach them there. Poplar cannot send mail itself yet.
answer-intro = On { $date }, { $name } wrote:
answer-intro-undated = { $name } wrote:
answer-forwarded =
    -------- Forwarded message --------
    From: { $from }
    Date: { $date }
    Subject: { $subject }
    To: { $to }
answer-cut = The rest of the message was cut to fit into the link to your mail program.
answer-handed-over = Your mail program opens the new message.
answer-failed = Your mail program could not be opened: { $error }
folder-mark-all-read = Mark all as read
folder-empty-trash = Empty Trash…
folder-empty-trash-yes = Empty Trash
confirm-empty-trash =
    { $count ->
        [one] Delete the message in this Trash for ever? It cannot be restored.
       *[other] Delete the { $count } messages in this Trash for ever? They cannot be restored.
    }{ $server ->
        [yes] {" "}This account deletes them on the server too.
       *[no] {""}
    }

## Printing (the print dialog of the desktop, or a PDF)
menu-print = Print…
menu-save-pdf = Save as PDF…
print-hint = Opens your desktop's print dialog for this message.
save-pdf-hint = Saves this message as a PDF file, laid out for printing.
print-dialog-title = Save the message as PDF
print-no-subject = (no subject)
print-attachments =
    { $count ->
        [one] Attachment
       *[other] Attachments ({ $count })
    }
print-page = Page { $page } of { $pages }
print-sent = “{ $subject }” went to the printer.
print-cancelled = Printing was cancelled.
print-in-viewer = This desktop has no print dialog for Poplar: “{ $subject }” is open as a PDF in your document viewer, print it from there.
print-failed = Could not print “{ $subject }”: { $error }
print-missing =
    { $count ->
        [one] One character has no letter in Poplar's fonts and is printed as “?”.
       *[other] { $count } characters have no letter in Poplar's fonts and are printed as “?”.
    }
pdf-saved = Saved “{ $subject }” as { $path }
pdf-save-failed = Could not save the PDF: { $error }
