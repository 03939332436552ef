//! Case and accent folding for rule conditions, as search folds words.

use unicode_normalization::UnicodeNormalization;

/// `text` lower-cased and without accents, for comparing: "Müller" and "MULLER" both fold to
/// "muller", "Café" to "cafe", "İstanbul" to "istanbul".
///
/// Search's full-text index (FTS5 `unicode61 remove_diacritics 2`, `store/schema.rs`) is the
/// model: it lower-cases and drops the diacritics of letters, and does nothing more. So
/// here: lower case, then canonical decomposition (NFD), then the Combining Diacritical Marks
/// (U+0300 to U+036F) dropped. The same follows:
///
/// - "ß" stays "ß" ("strasse" does not find "Straße"), as in search;
/// - letters whose stroke is part of the letter, not an accent, stay: "ø", "ł", "đ";
/// - ligatures stay ("ﬁ" is not "fi"): that is compatibility decomposition, which the index
///   does not do either;
/// - marks of other scripts (Devanagari vowel signs, Hebrew points) stay, since they are not
///   in that block: dropping every combining mark would fold different words together.
///
/// Greek tonos (U+0301) is in the block, so "ά" folds to "α"; the index may differ there.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.to_lowercase()
        .nfd()
        .filter(|ch| !is_diacritic(*ch))
        .collect()
}

/// The Combining Diacritical Marks block, which canonical decomposition leaves after a Latin,
/// Greek or Cyrillic base letter.
fn is_diacritic(ch: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&ch)
}
