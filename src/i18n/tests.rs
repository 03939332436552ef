//! The catalogues against each other and against the code: both parse, both have the same
//! ids, every `tr!` id exists, no id is left unused, and the parts of the window already
//! moved to the catalogue show no text of their own.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use fluent_bundle::FluentResource;
use fluent_syntax::ast;

use super::*;

fn ids(source: &str, name: &str) -> BTreeSet<String> {
    let resource = match FluentResource::try_new(source.to_owned()) {
        Ok(resource) => resource,
        Err((_, errors)) => panic!("the {name} catalogue does not parse: {errors:?}"),
    };
    let mut ids = BTreeSet::new();
    for entry in resource.entries() {
        if let ast::Entry::Message(message) = entry {
            let id = message.id.name.to_owned();
            assert!(
                message.value.is_some(),
                "{name}: {id} has no value (only attributes)"
            );
            assert!(ids.insert(id.clone()), "{name}: {id} is there twice");
        }
    }
    ids
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every id written as `tr!("id"` in the sources, with where.
fn used_ids() -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    // The catalogue's own code and tests talk about `tr!` without using it.
    files.retain(|f| !f.starts_with(src().join("i18n")));
    let mut used = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read source");
        let mut rest = text.as_str();
        while let Some(at) = rest.find("tr!(").or_else(|| rest.find("tr_in!(")) {
            let call = if rest[at..].starts_with("tr!(") { 4 } else { 7 };
            rest = &rest[at + call..];
            // `tr_in!(language, "id", …)`: the id comes after the language.
            if call == 7
                && let Some(comma) = rest.find(',')
            {
                rest = &rest[comma + 1..];
            }
            let trimmed = rest.trim_start();
            if let Some(quoted) = trimmed.strip_prefix('"')
                && let Some(end) = quoted.find('"')
            {
                used.push((quoted[..end].to_owned(), file.clone()));
            }
        }
    }
    used
}

#[test]
fn both_catalogues_parse_and_hold_the_same_message_ids() {
    let english = ids(ENGLISH_FTL, "English");
    let german = ids(GERMAN_FTL, "German");
    let only_english: Vec<_> = english.difference(&german).collect();
    let only_german: Vec<_> = german.difference(&english).collect();
    assert!(
        only_english.is_empty() && only_german.is_empty(),
        "not in German: {only_english:?}; not in English: {only_german:?}"
    );
}

#[test]
fn every_id_the_code_uses_is_in_both_catalogues_and_every_catalogued_id_is_used() {
    let english = ids(ENGLISH_FTL, "English");
    let german = ids(GERMAN_FTL, "German");
    let used = used_ids();
    assert!(used.len() > 40, "the scan found only {} uses", used.len());
    for (id, file) in &used {
        assert!(
            english.contains(id),
            "{id} ({}) is not in English",
            file.display()
        );
        assert!(
            german.contains(id),
            "{id} ({}) is not in German",
            file.display()
        );
    }
    // Used: by `tr!`, or named in quotes where the code looks a message up itself (the date
    // patterns and names in `app::format`).
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.retain(|f| !f.starts_with(src().join("i18n")));
    let sources: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("read source"))
        .collect();
    let unused: Vec<_> = english
        .iter()
        .filter(|id| !sources.contains(&format!("\"{id}\"")))
        .collect();
    assert!(unused.is_empty(), "catalogued but never used: {unused:?}");
}

/// The files whose every word people read comes from the catalogue. Each session that moves
/// more of the window there adds its files here.
const TRANSLATED: &[&str] = &[
    "ui/menu.rs",
    "ui/shortcuts.rs",
    "ui/folders.rs",
    "ui/list.rs",
    "ui/message.rs",
    "ui/transfer.rs",
    "ui/accounts/mod.rs",
    "ui/accounts/probe.rs",
    "ui/accounts/oauth.rs",
    "app/signin.rs",
    "app/selection.rs",
    "app/reveal.rs",
    "app/trouble.rs",
    "app/transfer.rs",
    "app/attachments.rs",
    "app/mod.rs",
    "ui/welcome.rs",
    "ui/status.rs",
    "ui/desktop.rs",
    "desktop/tray.rs",
];

/// `text` without its `{…}` placeables (format arguments are not words).
fn without_placeables(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// String literals in `line` with words in them (two letters in a row, outside `{…}`) that
/// are not message ids.
fn wordy_literals(line: &str, ids: &BTreeSet<String>) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        // A literal that runs on to the next line is checked by what this line holds.
        let end = after.find('"').unwrap_or(after.len());
        let literal = &after[..end];
        // A message id, or a key for egui's memory, a texture or a file ("message-header",
        // "cid-{n}"): lower case without spaces is never prose.
        let is_id = ids.contains(literal)
            || literal
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.:{}".contains(c));
        let has_word = without_placeables(literal)
            .as_bytes()
            .windows(2)
            .any(|w| w[0].is_ascii_alphabetic() && w[1].is_ascii_alphabetic());
        if has_word && !is_id {
            found.push(literal.to_owned());
        }
        rest = after.get(end + 1..).unwrap_or("");
    }
    found
}

/// What may stand in quotes without being shown to anyone: ids for egui's memory, log lines,
/// thread names, D-Bus and file names.
fn allowed(line: &str) -> bool {
    const MACHINE: &[&str] = &[
        "Id::new(",
        "Id::unique(",
        "id_salt(",
        "Panel::",
        "tracing::",
        ".name(",
        "expect(",
        "debug_struct(",
        "APP_ID",
        "cfg(",
        "target_os",
        "#[",
        // A line may say why its text stays as it is (a command, a product name).
        "// untranslated",
    ];
    MACHINE.iter().any(|m| line.contains(m))
}

#[test]
fn the_translated_parts_of_the_window_show_no_text_outside_the_catalogue() {
    let ids = ids(ENGLISH_FTL, "English");
    let mut stray = Vec::new();
    for file in TRANSLATED {
        let path = src().join(file);
        let text = std::fs::read_to_string(&path).expect("read source");
        let code = text.split("#[cfg(test)]").next().unwrap_or(&text);
        for (number, line) in code.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") || allowed(line) {
                continue;
            }
            for literal in wordy_literals(line, &ids) {
                stray.push(format!("{file}:{}: {literal:?}", number + 1));
            }
        }
    }
    assert!(
        stray.is_empty(),
        "text outside the catalogue:\n{}",
        stray.join("\n")
    );
}

#[test]
fn the_scan_for_stray_text_finds_a_label_and_lets_ids_and_formats_pass() {
    let ids = ids(ENGLISH_FTL, "English");
    assert_eq!(
        wordy_literals(r#"ui.label("Hello there");"#, &ids),
        vec!["Hello there"]
    );
    assert!(wordy_literals(r#"ui.label(tr!("menu-file"));"#, &ids).is_empty());
    assert!(wordy_literals(r#"format!("{}: {name}", a)"#, &ids).is_empty());
    assert_eq!(
        wordy_literals(r#"format!("{n} more")"#, &ids),
        vec!["{n} more"]
    );
    assert!(allowed(r#"let id = egui::Id::new("list-scroll");"#));
}

#[test]
fn german_counts_its_plurals_and_english_is_the_fallback() {
    let mut args = FluentArgs::new();
    args.set("count", FluentValue::from(1));
    args.set("account", FluentValue::from("GMX"));
    assert_eq!(
        message_in(Language::German, "notify-summary", Some(&args)),
        "GMX: 1 neue Nachricht"
    );
    args.set("count", FluentValue::from(3));
    assert_eq!(
        message_in(Language::German, "notify-summary", Some(&args)),
        "GMX: 3 neue Nachrichten"
    );
    assert_eq!(
        message_in(Language::English, "notify-summary", Some(&args)),
        "3 new messages from GMX"
    );
    args.set("count", FluentValue::from(0));
    assert_eq!(
        message_in(Language::German, "check-result", Some(&args)),
        "GMX: keine neuen E-Mails"
    );
    assert_eq!(
        message_in(Language::German, "no-such-id", None),
        "no-such-id"
    );
}

#[test]
fn the_system_language_follows_gettexts_order_of_variables() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    assert_eq!(language_from(env(&[])), Language::English);
    assert_eq!(
        language_from(env(&[("LANG", "de_DE.UTF-8")])),
        Language::German
    );
    assert_eq!(
        language_from(env(&[
            ("LANG", "de_DE.UTF-8"),
            ("LC_MESSAGES", "en_GB.UTF-8")
        ])),
        Language::English
    );
    assert_eq!(
        language_from(env(&[("LC_ALL", "de_AT.UTF-8"), ("LC_MESSAGES", "en_US")])),
        Language::German
    );
    // LANGUAGE is a list: the first language we have wins.
    assert_eq!(
        language_from(env(&[("LANGUAGE", "fr:de:en"), ("LANG", "en_US.UTF-8")])),
        Language::German
    );
    // ...unless the locale is C, which means untranslated.
    assert_eq!(
        language_from(env(&[("LANGUAGE", "de"), ("LC_ALL", "C")])),
        Language::English
    );
    assert_eq!(
        language_from(env(&[("LANG", "fr_FR.UTF-8")])),
        Language::English
    );
}

#[test]
fn the_command_lines_sync_summary_reads_naturally_in_german() {
    let mut args = FluentArgs::new();
    args.set("account", FluentValue::from("GMX"));
    args.set("new", FluentValue::from(2));
    args.set("deleted", FluentValue::from(0));
    args.set("seconds", FluentValue::from("0,14"));
    let mut partial = FluentArgs::new();
    partial.set("count", FluentValue::from(1));
    args.set(
        "partial",
        FluentValue::from(message_in(
            Language::German,
            "cli-sync-partial",
            Some(&partial),
        )),
    );
    args.set("duplicates", FluentValue::from(""));
    assert_eq!(
        message_in(Language::German, "cli-sync-summary", Some(&args)),
        "GMX: 2 neu (davon 1 nur Kopfzeilen), 0 auf dem Server gelöscht, 0,14 s"
    );
    args.set("partial", FluentValue::from(""));
    args.set("seconds", FluentValue::from("0.14"));
    assert_eq!(
        message_in(Language::English, "cli-sync-summary", Some(&args)),
        "GMX: 2 new, 0 deleted on the server, 0.14 s"
    );
}

#[test]
fn emptying_trash_says_when_the_server_copies_go_too() {
    let ask =
        |language, server| tr_in!(language, "confirm-empty-trash", count = 3, server = server);
    assert_eq!(
        ask(Language::English, "no"),
        "Delete the 3 messages in this Trash for ever? They cannot be restored."
    );
    assert_eq!(
        ask(Language::English, "yes"),
        "Delete the 3 messages in this Trash for ever? They cannot be restored. \
         This account deletes them on the server too."
    );
    assert!(
        ask(Language::German, "yes").ends_with(
            "Sie lassen sich nicht wiederherstellen. Dieses Konto löscht sie auch auf dem Server."
        ),
        "{}",
        ask(Language::German, "yes")
    );
}
