//! `poplar list --search` with the window's operators: every hit, newest first, folders
//! named in the search searched without `--folder`, and a search that cannot run refused
//! with a sentence.

use poplar::store::{STORE_FILE, Writer};

#[path = "support/cli.rs"]
mod cli;
#[path = "support/store_kit.rs"]
mod store_kit;

use cli::*;
use store_kit::*;

#[test]
fn list_search_takes_the_operators_and_lists_every_hit_newest_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(STORE_FILE);
    {
        let mut writer = Writer::open(&path).expect("open");
        let gmx = writer.add_account(&settings("GMX"), 1).expect("account");
        let mut items = vec![(
            "m".to_owned(),
            mail(
                "Jürgen Müller <mueller@example.de>",
                "Angebot Küche",
                Some("Tue, 5 Mar 2024 10:00:00 +0100"),
                "Das Angebot für die Küche",
            ),
        )];
        // More hits than the 500 the old search stopped at.
        for n in 0..620 {
            items.push((
                format!("n{n}"),
                mail(
                    "shop@example.com",
                    &format!("Angebot {n}"),
                    Some(&format!(
                        "Mon, 1 Jan 2024 {:02}:{:02}:00 +0000",
                        n / 60,
                        n % 60
                    )),
                    "Angebot der Woche",
                ),
            ));
        }
        let refs: Vec<(&str, Vec<u8>)> =
            items.iter().map(|(u, r)| (u.as_str(), r.clone())).collect();
        ingest(&mut writer, gmx, &refs, 5);
        let work = writer
            .create_folder(Some(gmx), None, "Arbeit")
            .expect("folder");
        let newest = writer
            .reader()
            .expect("reader")
            .search("subject:\"Angebot 619\"", None, 1)
            .expect("search")[0]
            .id;
        writer.move_messages(&[newest], work).expect("move");
    }
    let lines = |text: String| text.lines().map(str::to_owned).collect::<Vec<_>>();
    let found = lines(ok(
        dir.path(),
        &["list", "--search", "from:müller after:2024-01-01"],
    ));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("Angebot Küche"), "{found:?}");
    // Every hit (the inbox holds 620 of them; one was moved to Arbeit), newest first.
    let all = lines(ok(dir.path(), &["list", "--search", "angebot"]));
    assert_eq!(all.len(), 620, "every hit");
    assert!(all[0].contains("Angebot Küche"), "{}", all[0]);
    assert!(all[1].contains("Angebot 618"), "{}", all[1]);
    let json: serde_json::Value = serde_json::from_str(&ok(
        dir.path(),
        &[
            "list",
            "--json",
            "--search",
            "\"angebot der woche\" -from:müller",
        ],
    ))
    .expect("json");
    assert_eq!(json.as_array().map(Vec::len), Some(619));
    // A folder named in the search is searched without --folder.
    let moved = lines(ok(
        dir.path(),
        &["list", "--search", "folder:arbeit angebot"],
    ));
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert!(moved[0].contains("Angebot 619"), "{moved:?}");
    // And a search that cannot run says why.
    let err = refused(dir.path(), &["list", "--search", "before:2024-02-30"]);
    assert!(err.contains("is not a date"), "{err}");
    let err = refused(dir.path(), &["list", "--search", "folder:Nirgends"]);
    assert!(err.contains("no folder called"), "{err}");
}
