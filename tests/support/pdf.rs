//! Reading a PDF back as a person's viewer would, with poppler's tools (pdftotext, pdfinfo,
//! pdfimages): the text on its pages, how many pages, which images.
//!
//! Where poppler-utils is missing these tests say they were skipped and why; with
//! `POPLAR_REQUIRE_DESKTOP=1` (as in CI) a missing tool fails them.
#![allow(dead_code)] // Each test file uses its own part of this.

use std::process::Command;

/// Whether poppler's tools are here; `false` (after saying so) skips the test, and fails
/// it where they are required.
pub fn poppler_or_skip(test_name: &str) -> bool {
    let here = Command::new("pdftotext").arg("-v").output().is_ok();
    if !here {
        let required = std::env::var("POPLAR_REQUIRE_DESKTOP").is_ok_and(|v| v.trim() == "1");
        assert!(
            !required,
            "{test_name}: pdftotext (poppler-utils) is required but missing"
        );
        eprintln!("skipped {test_name}: pdftotext (poppler-utils) is missing");
    }
    here
}

fn with_file<T>(pdf: &[u8], run: impl FnOnce(&std::path::Path) -> T) -> T {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write the pdf");
    run(&path)
}

fn tool(program: &str, args: &[&str], path: &std::path::Path) -> String {
    let out = Command::new(program)
        .args(args)
        .arg(path)
        .args(if program == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|err| panic!("{program}: {err}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.trim().is_empty(),
        "{program} found the PDF broken: {stderr}"
    );
    String::from_utf8(out.stdout).expect("UTF-8 from poppler")
}

/// The text of every page, as pdftotext reads it (which also checks the PDF: any complaint
/// fails the test).
pub fn text(pdf: &[u8]) -> String {
    with_file(pdf, |path| {
        tool("pdftotext", &["-layout", "-enc", "UTF-8"], path)
    })
}

/// How many pages pdfinfo counts.
pub fn pages(pdf: &[u8]) -> usize {
    let info = with_file(pdf, |path| tool("pdfinfo", &[], path));
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in {info}"))
}

/// The images pdfimages lists: width and height of each (soft masks left out).
pub fn images(pdf: &[u8]) -> Vec<(u32, u32)> {
    let list = with_file(pdf, |path| tool("pdfimages", &["-list"], path));
    list.lines()
        .skip(2)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            (cols.get(2) == Some(&"image"))
                .then(|| Some((cols.get(3)?.parse().ok()?, cols.get(4)?.parse().ok()?)))
                .flatten()
        })
        .collect()
}

/// The right edge of the rightmost word on any page, and the page's width, in points
/// (pdftotext -bbox): a line set too wide would run off the paper.
pub fn rightmost_word(pdf: &[u8]) -> (f32, f32) {
    let html = with_file(pdf, |path| tool("pdftotext", &["-bbox"], path));
    let number = |line: &str, key: &str| -> Option<f32> {
        let start = line.find(&format!("{key}=\""))? + key.len() + 2;
        line[start..].split('"').next()?.parse().ok()
    };
    let width = html
        .lines()
        .find_map(|l| {
            l.trim()
                .starts_with("<page")
                .then(|| number(l, "width"))
                .flatten()
        })
        .expect("a page");
    let right = html
        .lines()
        .filter(|l| l.trim().starts_with("<word"))
        .filter_map(|l| number(l, "xMax"))
        .fold(0.0, f32::max);
    (right, width)
}
