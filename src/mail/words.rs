//! The words of a message's text as the search index takes them: each word once.

/// The words of `text`, each once, in order of first appearance. The index records only which
/// messages hold a word (`detail = none`), so repeats (quoted replies above all) would cost
/// indexing time and add nothing. Words split where the index's tokenizer splits them: a word
/// is a run of `char::is_alphanumeric` characters, and two words are the same when their
/// `str::to_lowercase` forms are (a word without an upper-case letter is its own key).
///
/// This runs once per message on the ingest path, over up to [`BODY_TEXT_MAX_BYTES`] of text,
/// so it works on bytes: ASCII and Latin-1 letters are classified without Unicode tables, keys
/// are lower-cased into one reusable buffer, and the set keeps them in one arena instead of
/// one allocation per word.
///
/// [`BODY_TEXT_MAX_BYTES`]: crate::mail::BODY_TEXT_MAX_BYTES
pub fn distinct_words(text: &str) -> String {
    let mut seen = WordSet::with_capacity(text.len() / 16);
    let mut out = String::with_capacity(text.len() / 2);
    let mut lowered = String::new();
    let mut rest = text;
    while let Some(word) = next_word(&mut rest) {
        let key = if word.has_upper {
            lowercase_into(word.text, &mut lowered);
            lowered.as_str()
        } else {
            word.text
        };
        if seen.insert(key.as_bytes()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word.text);
        }
    }
    out
}

/// One word of [`distinct_words`]: the text, and whether a character in it is upper case.
struct Word<'t> {
    text: &'t str,
    has_upper: bool,
}

/// How [`next_word`] reads a byte: [`SEPARATOR`], [`LOWER`] (lower-case ASCII letters and
/// digits), [`UPPER`] (ASCII capitals) or [`NON_ASCII`] (a byte of a longer char, read as a
/// char).
const BYTE_CLASS: [u8; 256] = {
    let mut class = [SEPARATOR; 256];
    let mut byte = 0;
    while byte < 256 {
        class[byte] = match byte as u8 {
            b'a'..=b'z' | b'0'..=b'9' => LOWER,
            b'A'..=b'Z' => UPPER,
            0x80.. => NON_ASCII,
            _ => SEPARATOR,
        };
        byte += 1;
    }
    class
};
const SEPARATOR: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const NON_ASCII: u8 = 3;

/// The next run of alphanumeric characters in `rest`, which moves past it; `None` at the end.
fn next_word<'t>(rest: &mut &'t str) -> Option<Word<'t>> {
    let text: &'t str = rest;
    let bytes = text.as_bytes();
    let mut at = 0;
    // Separators first: ASCII ones byte by byte, others as chars.
    while let Some(&byte) = bytes.get(at) {
        match BYTE_CLASS[usize::from(byte)] {
            SEPARATOR => at += 1,
            NON_ASCII => {
                let ch = char_at(text, at);
                if is_alphanumeric(ch) {
                    break;
                }
                at += ch.len_utf8();
            }
            _ => break,
        }
    }
    let start = at;
    let mut has_upper = false;
    loop {
        // Most of a word is small letters: a loop of its own, with one branch a byte.
        while bytes
            .get(at)
            .is_some_and(|&byte| BYTE_CLASS[usize::from(byte)] == LOWER)
        {
            at += 1;
        }
        let Some(&byte) = bytes.get(at) else {
            break;
        };
        match BYTE_CLASS[usize::from(byte)] {
            UPPER => {
                has_upper = true;
                at += 1;
            }
            NON_ASCII => {
                let ch = char_at(text, at);
                if !is_alphanumeric(ch) {
                    break;
                }
                has_upper |= is_uppercase(ch);
                at += ch.len_utf8();
            }
            _ => break,
        }
    }
    *rest = &text[at..];
    (at > start).then(|| Word {
        text: &text[start..at],
        has_upper,
    })
}

/// The char that starts at byte `at` of `text` (a char boundary).
fn char_at(text: &str, at: usize) -> char {
    text[at..]
        .chars()
        .next()
        .unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// `char::is_alphanumeric`, without its table search for Latin-1 and Latin Extended-A and -B
/// (U+0080 to U+024F), where most non-ASCII letters of European mail are. A unit test checks
/// every char of that range against the standard library.
fn is_alphanumeric(ch: char) -> bool {
    match ch {
        // Latin-1: ª µ º and the letters, less × and ÷; the digits ² ³ ¹ and fractions ¼ ½ ¾.
        '\u{80}'..='\u{ff}' => matches!(
            ch,
            'ª' | 'µ' | 'º' | '²' | '³' | '¹' | '¼'..='¾' | 'À'..='Ö' | 'Ø'..='ö' | 'ø'..='ÿ'
        ),
        // Latin Extended-A and -B: letters, every one.
        '\u{100}'..='\u{24f}' => true,
        _ => ch.is_alphanumeric(),
    }
}

/// `char::is_uppercase`, with Latin-1 (À to Þ, less ×) answered without a table search.
fn is_uppercase(ch: char) -> bool {
    match ch {
        '\u{80}'..='\u{ff}' => matches!(ch, 'À'..='Ö' | 'Ø'..='Þ'),
        _ => ch.is_uppercase(),
    }
}

/// `word.to_lowercase()` into `key`, reusing its buffer. `str::to_lowercase` maps each char
/// as `char::to_lowercase` does, except capital sigma, whose form depends on its place in the
/// word: words with one take the standard library's path. ASCII and Latin-1 capitals are
/// their small letters plus 0x20, and the rest of U+0000 to U+00FF is lower-cased already.
fn lowercase_into(word: &str, key: &mut String) {
    key.clear();
    for ch in word.chars() {
        match ch {
            'A'..='Z' | 'À'..='Ö' | 'Ø'..='Þ' => {
                key.push(char::from_u32(u32::from(ch) + 0x20).unwrap_or(ch));
            }
            '\0'..='\u{ff}' => key.push(ch),
            'Σ' => {
                key.clear();
                key.push_str(&word.to_lowercase());
                return;
            }
            _ => key.extend(ch.to_lowercase()),
        }
    }
}

/// A set of byte strings for [`distinct_words`]: open addressing with linear probing over one
/// arena of key bytes, so a new word costs a copy into the arena and no allocation of its own.
struct WordSet {
    /// Each slot is 0 (empty) or an index into `entries` plus one; the length is a power of two.
    slots: Vec<u32>,
    /// The keys in order of insertion: hash, and where the key's bytes are in `arena`.
    entries: Vec<(u64, u32, u32)>,
    /// Every key's bytes, one after the other.
    arena: Vec<u8>,
}

impl WordSet {
    fn with_capacity(words: usize) -> Self {
        let slots = (words * 2).max(64).next_power_of_two();
        Self {
            slots: vec![0; slots],
            entries: Vec::with_capacity(words),
            arena: Vec::with_capacity(words * 8),
        }
    }

    /// Adds `key`; whether it was new (or is taken as new: see [`MAX_PROBES`]).
    fn insert(&mut self, key: &[u8]) -> bool {
        let hash = word_hash(key);
        let mask = self.slots.len() - 1;
        let mut slot = slot_of(hash, mask);
        let mut probes = 0;
        loop {
            match self.slots[slot] {
                0 => break,
                entry => {
                    let (entry_hash, start, end) = self.entries[entry as usize - 1];
                    if entry_hash == hash && &self.arena[start as usize..end as usize] == key {
                        return false;
                    }
                }
            }
            probes += 1;
            if probes == MAX_PROBES {
                return true;
            }
            slot = (slot + 1) & mask;
        }
        // Body text is at most BODY_TEXT_MAX_BYTES, far below u32::MAX.
        let start = u32::try_from(self.arena.len()).unwrap_or(u32::MAX);
        self.arena.extend_from_slice(key);
        let end = u32::try_from(self.arena.len()).unwrap_or(u32::MAX);
        self.entries.push((hash, start, end));
        self.slots[slot] = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        if self.entries.len() * 2 > self.slots.len() {
            self.grow();
        }
        true
    }

    /// Doubles the slots and places every entry again.
    fn grow(&mut self) {
        let mask = self.slots.len() * 2 - 1;
        self.slots = vec![0; mask + 1];
        for (index, &(hash, _, _)) in self.entries.iter().enumerate() {
            let mut slot = slot_of(hash, mask);
            while self.slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            self.slots[slot] = u32::try_from(index + 1).unwrap_or(u32::MAX);
        }
    }
}

/// How many occupied slots [`WordSet::insert`] looks at before it takes a word as new. The
/// hash has no secret key, so a sender could choose words that all land in one run of slots
/// and make each insert scan all the others (about a second of CPU for a 256 KB body). Past
/// this bound the word is passed on again instead: a repeated word costs the index a little
/// time and changes no search result.
const MAX_PROBES: usize = 64;

/// The first slot to try for `hash`, after a final mix (SplitMix64's): the hash's last
/// multiplication leaves similar words ("w12", "w13") on neighbouring values, and linear
/// probing turned those into long runs of taken slots.
fn slot_of(hash: u64, mask: usize) -> usize {
    let mut mixed = hash ^ (hash >> 30);
    mixed = mixed.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    mixed ^= mixed >> 27;
    mixed = mixed.wrapping_mul(0x94d0_49bb_1331_11eb);
    mixed ^= mixed >> 31;
    mixed as usize & mask
}

/// A fast hash of a short key (FxHash's step, 8 bytes at a time): SipHash's protection is not
/// needed for one message's words, and its cost showed in profiles of ingest. The last bytes
/// are read as overlapping loads (as wyhash does) rather than copied into a zeroed buffer,
/// which stalled on store forwarding; the length, hashed first, tells the overlaps apart.
fn word_hash(key: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let step = |hash: u64, word: u64| (hash.rotate_left(5) ^ word).wrapping_mul(K);
    let mut hash = step(0, key.len() as u64);
    let mut rest = key;
    while rest.len() > 8 {
        hash = step(hash, read_u64(rest));
        rest = &rest[8..];
    }
    let tail = match rest.len() {
        8 => read_u64(rest),
        4..=7 => read_u32(rest) | read_u32(&rest[rest.len() - 4..]) << 32,
        1..=3 => {
            u64::from(rest[0])
                | u64::from(rest[rest.len() / 2]) << 8
                | u64::from(rest[rest.len() - 1]) << 16
        }
        _ => 0,
    };
    step(hash, tail)
}

/// The first 8 bytes of `bytes` (at least 8 long) as a little-endian number.
fn read_u64(bytes: &[u8]) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(&bytes[..8]);
    u64::from_le_bytes(word)
}

/// The first 4 bytes of `bytes` (at least 4 long) as a little-endian number.
fn read_u32(bytes: &[u8]) -> u64 {
    let mut word = [0; 4];
    word.copy_from_slice(&bytes[..4]);
    u64::from(u32::from_le_bytes(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_whose_slots_are_all_taken_is_passed_on_after_a_bounded_search() {
        // As if a sender had chosen words that all hash into one run: every slot taken by
        // another word. Unbounded, this insert would search for ever.
        let mut set = WordSet::with_capacity(0);
        let slots = set.slots.len();
        for index in 0..slots {
            let key = format!("w{index}");
            let start = set.arena.len() as u32;
            set.arena.extend_from_slice(key.as_bytes());
            let end = set.arena.len() as u32;
            set.entries.push((word_hash(key.as_bytes()), start, end));
            set.slots[index] = (index + 1) as u32;
        }
        assert!(set.insert(b"newcomer"));
    }

    #[test]
    fn the_index_gets_each_body_word_once() {
        assert_eq!(
            distinct_words("Hallo Welt, hallo Müller!\n> Hallo Welt"),
            "Hallo Welt Müller"
        );
        assert_eq!(distinct_words("  "), "");
    }

    /// The first version of [`distinct_words`]: what the fast one must equal.
    fn distinct_words_reference(text: &str) -> String {
        let mut seen = std::collections::HashSet::new();
        let mut out = String::new();
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let key = if word.chars().any(char::is_uppercase) {
                word.to_lowercase()
            } else {
                word.to_string()
            };
            if seen.insert(key) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(word);
            }
        }
        out
    }

    #[test]
    fn latin_fast_paths_agree_with_the_standard_library() {
        for ch in ('\0'..='\u{24f}').chain(['a', 'Z', '0', ' ', '_', 'Σ', 'ǅ', '日']) {
            assert_eq!(is_alphanumeric(ch), ch.is_alphanumeric(), "{ch:?}");
            assert_eq!(is_uppercase(ch), ch.is_uppercase(), "{ch:?}");
            let mut lowered = String::new();
            lowercase_into(&ch.to_string(), &mut lowered);
            assert_eq!(lowered, ch.to_lowercase().to_string(), "{ch:?}");
        }
    }

    #[test]
    fn distinct_words_matches_the_reference() {
        let texts = [
            "Hallo Welt, hallo Müller!\n> Hallo Welt",
            "ΟΔΟΣ οδος ΟΔΟΣΟΣ Σ σ ς ΣΑ οδοσ",
            "ǅemal ǆemal ǄEMAL İstanbul istanbul i̇stanbul",
            "x\u{200b}y a_b c-d 1²³ ½ ×÷ ÀÖØÞß ÿŸ straße STRASSE Straße",
            "日本語のテキスト、日本語。 Ⓐⓐ ﬁ ﬀ",
            "a\tb\r\nc\u{0}d  \u{fffd}e",
            "",
            "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz",
        ];
        for text in texts {
            assert_eq!(
                distinct_words(text),
                distinct_words_reference(text),
                "{text:?}"
            );
        }
        // Enough words to grow the set several times, with repeats in other cases.
        let many: String = (0..5000)
            .map(|i| format!("w{} W{} Ä{i} ä{} ", i % 3000, i % 1000, i / 2))
            .collect();
        assert_eq!(distinct_words(&many), distinct_words_reference(&many));
    }

    proptest::proptest! {
        #[test]
        fn distinct_words_matches_the_reference_on_any_text(text in "(?s).{0,200}") {
            proptest::prop_assert_eq!(distinct_words(&text), distinct_words_reference(&text));
        }

        #[test]
        fn distinct_words_matches_the_reference_on_mixed_case_words(
            text in "([a-zA-ZäÄöÖßẞσΣςİıǅ0-9²]{1,6}[ ,.\n]){0,60}"
        ) {
            proptest::prop_assert_eq!(distinct_words(&text), distinct_words_reference(&text));
        }
    }
}
