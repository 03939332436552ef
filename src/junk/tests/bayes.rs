//! The trained filter: its tokens, its training and its scores.

use proptest::prelude::*;

use super::*;

/// (subject, sender address, body words) of junk the user marked, in English and German.
const JUNK: [(&str, &str, &str); 20] = [
    (
        "You have won a FREE prize",
        "promo@win-big.example",
        "Congratulations winner claim your free prize now click here limited offer",
    ),
    (
        "Gewinnspiel: Sie haben gewonnen!",
        "info@gewinn-jetzt.example",
        "Herzlichen Glückwunsch Sie haben einen Gutschein gewonnen jetzt klicken und Gewinn sichern",
    ),
    (
        "Cheap meds online",
        "sales@pharma-deals.example",
        "Buy cheap viagra cialis online pharmacy no prescription discount",
    ),
    (
        "Kredit ohne Schufa",
        "kredit@sofortgeld.example",
        "Sofortkredit ohne Schufa Auszahlung in 24 Stunden jetzt Antrag stellen kostenlos",
    ),
    (
        "Urgent: verify your account",
        "security@paypa1-support.example",
        "Your account has been suspended verify your password now click here to restore access",
    ),
    (
        "Ihr Konto wurde gesperrt",
        "service@sparkasse-sicherheit.example",
        "Ihr Konto wurde gesperrt bestätigen Sie Ihre Daten sofort hier klicken Passwort eingeben",
    ),
    (
        "Make money from home",
        "jobs@easy-cash.example",
        "Earn money fast work from home thousands dollars per week guaranteed income click",
    ),
    (
        "Geld verdienen von zu Hause",
        "job@reich-werden.example",
        "Verdienen Sie Geld von zu Hause tausende Euro pro Woche garantiert kostenlos anmelden",
    ),
    (
        "Limited time offer 90% discount",
        "deals@mega-sale.example",
        "Exclusive discount offer limited time buy now cheap price free shipping click here",
    ),
    (
        "Nur heute: 90% Rabatt",
        "angebot@super-rabatt.example",
        "Exklusives Angebot nur heute Rabatt kaufen jetzt billig gratis Versand hier klicken",
    ),
    (
        "Hot singles in your area",
        "dating@meet-now.example",
        "Meet hot singles tonight free registration click here now",
    ),
    (
        "Bitcoin investment opportunity",
        "crypto@profit-fast.example",
        "Invest in bitcoin guaranteed profit double your money crypto investment click now",
    ),
    (
        "Krypto Investition garantiert",
        "krypto@gewinn-sicher.example",
        "Investieren Sie in Bitcoin garantierter Gewinn verdoppeln Sie Ihr Geld jetzt klicken",
    ),
    (
        "Your package could not be delivered",
        "noreply@paket-zustellung.example",
        "Your package is waiting pay the customs fee now click here to confirm delivery",
    ),
    (
        "Ihr Paket wartet",
        "paket@zustellung-info.example",
        "Ihr Paket wartet auf Zustellung zahlen Sie die Gebühr jetzt hier klicken bestätigen",
    ),
    (
        "Lose weight fast",
        "diet@slim-quick.example",
        "Lose weight fast miracle pill guaranteed results order now discount free trial",
    ),
    (
        "Abnehmen ohne Diät",
        "diaet@schlank-schnell.example",
        "Schnell abnehmen mit Wunderpille garantiert Ergebnisse jetzt bestellen gratis testen",
    ),
    (
        "Replica watches cheap",
        "watches@luxury-replica.example",
        "Luxury replica watches cheap price buy now free shipping discount offer",
    ),
    (
        "Inheritance transfer",
        "barrister@transfer-fund.example",
        "Dear friend I have an inheritance fund transfer million dollars urgent reply with your bank details",
    ),
    (
        "Erbschaft Überweisung",
        "anwalt@erbe-fonds.example",
        "Lieber Freund Erbschaft Millionen Dollar Überweisung dringend antworten mit Ihren Bankdaten",
    ),
];

/// Good mail the user marked as not junk, in English and German.
const HAM: [(&str, &str, &str); 20] = [
    (
        "Meeting tomorrow at ten",
        "anna@work.example",
        "Hi Tom can we move the project meeting tomorrow to ten the agenda is attached thanks Anna",
    ),
    (
        "Treffen morgen um zehn",
        "karl@firma.example",
        "Hallo Petra können wir das Projekttreffen morgen auf zehn Uhr verschieben die Tagesordnung hängt an Gruß Karl",
    ),
    (
        "Dinner on Saturday",
        "mum@family.example",
        "Dear Tom would you and Lisa like to come for dinner on Saturday dad is cooking love mum",
    ),
    (
        "Abendessen am Samstag",
        "mama@familie.example",
        "Lieber Tom kommt ihr am Samstag zum Abendessen Papa kocht liebe Grüße Mama",
    ),
    (
        "Re: code review",
        "ben@work.example",
        "I looked at your pull request the tests pass but the function needs a comment please fix the naming",
    ),
    (
        "Re: Code-Review",
        "jana@firma.example",
        "Ich habe deinen Pull Request angesehen die Tests laufen aber die Funktion braucht einen Kommentar bitte Namen anpassen",
    ),
    (
        "Invoice for March",
        "billing@isp.example",
        "Your invoice for March is attached the amount will be debited from your account on the fifth",
    ),
    (
        "Rechnung für März",
        "rechnung@stadtwerke.example",
        "Ihre Rechnung für März liegt bei der Betrag wird am fünften von Ihrem Konto abgebucht",
    ),
    (
        "Holiday photos",
        "lisa@friends.example",
        "Here are the photos from our holiday at the lake the kids loved the boat trip",
    ),
    (
        "Urlaubsfotos",
        "jonas@freunde.example",
        "Hier sind die Fotos vom Urlaub am See die Kinder fanden die Bootsfahrt toll",
    ),
    (
        "Train times for the trip",
        "tom@friends.example",
        "The train leaves at eight from platform two I booked the seats for the trip",
    ),
    (
        "Zugzeiten für die Reise",
        "maria@freunde.example",
        "Der Zug fährt um acht von Gleis zwei ich habe die Plätze für die Reise reserviert",
    ),
    (
        "Minutes of the board meeting",
        "secretary@club.example",
        "Attached are the minutes of the board meeting please read them before the next meeting",
    ),
    (
        "Protokoll der Vorstandssitzung",
        "schriftfuehrer@verein.example",
        "Anbei das Protokoll der Vorstandssitzung bitte vor der nächsten Sitzung lesen",
    ),
    (
        "Birthday party",
        "sarah@friends.example",
        "We are having a birthday party for Emma next Sunday in the garden bring the kids",
    ),
    (
        "Geburtstagsfeier",
        "lena@freunde.example",
        "Wir feiern Emmas Geburtstag nächsten Sonntag im Garten bringt die Kinder mit",
    ),
    (
        "Question about the report",
        "ben@work.example",
        "Could you check the numbers in chapter three of the report before Friday",
    ),
    (
        "Frage zum Bericht",
        "jana@firma.example",
        "Kannst du die Zahlen in Kapitel drei des Berichts vor Freitag prüfen",
    ),
    (
        "School trip",
        "teacher@school.example",
        "The class trip to the museum is on Thursday please sign the form for your child",
    ),
    (
        "Klassenfahrt",
        "lehrerin@schule.example",
        "Die Klassenfahrt ins Museum ist am Donnerstag bitte unterschreiben Sie das Formular für Ihr Kind",
    ),
];

fn tokens_of((subject, from, body): (&str, &str, &str)) -> Vec<String> {
    tokens(subject, from, body)
}

/// A model trained on [`JUNK`] and [`HAM`].
fn trained() -> Model {
    let mut model = Model::new();
    for message in JUNK {
        model.train(&tokens_of(message), true);
    }
    for message in HAM {
        model.train(&tokens_of(message), false);
    }
    model
}

const NEW_JUNK: [(&str, &str, &str); 2] = [
    (
        "Claim your free prize now",
        "winner@prize-claim.example",
        "Congratulations you won click here to claim your free prize limited offer buy now discount",
    ),
    (
        "Jetzt Gewinn sichern",
        "gewinn@jetzt-gratis.example",
        "Herzlichen Glückwunsch Gewinn jetzt klicken gratis Gutschein sichern kostenlos",
    ),
];

const NEW_HAM: [(&str, &str, &str); 2] = [
    (
        "Meeting about the report",
        "anna@work.example",
        "Hi Ben can we discuss the report at the meeting on Friday the agenda is attached thanks",
    ),
    (
        "Treffen am Freitag",
        "karl@firma.example",
        "Hallo Jana können wir den Bericht am Freitag besprechen Gruß Karl",
    ),
];

#[test]
fn an_untrained_model_decides_nothing() {
    let junk = tokens_of(NEW_JUNK[0]);
    assert_eq!(Model::new().score(&junk), None);
    // Nine junk messages and a hundred good ones are still too few of one kind.
    let mut model = Model::new();
    for message in JUNK.iter().take(9) {
        model.train(&tokens_of(*message), true);
    }
    for _ in 0..5 {
        for message in HAM {
            model.train(&tokens_of(message), false);
        }
    }
    assert_eq!(model.score(&junk), None);
    model.train(&tokens_of(JUNK[9]), true);
    assert!(model.score(&junk).is_some());
}

#[test]
fn a_model_trained_on_clear_examples_scores_new_junk_high_and_new_mail_low() {
    let model = trained();
    for message in NEW_JUNK {
        let score = model.score(&tokens_of(message)).unwrap_or(0.0);
        assert!(score > 0.9 && is_junk(score), "{score} for {message:?}");
    }
    for message in NEW_HAM {
        let score = model.score(&tokens_of(message)).unwrap_or(1.0);
        assert!(score < 0.5 && !is_junk(score), "{score} for {message:?}");
    }
}

#[test]
fn one_token_alone_scores_its_smoothed_probability() {
    let totals = MessageTotals {
        junk_messages: 10,
        ham_messages: 10,
    };
    let one = ["word".to_string()];
    let score_of = |junk, ham| {
        let Ok(score) = score(&Fixed(totals, TokenCounts { junk, ham }), &one);
        score.unwrap_or(f64::NAN)
    };
    // Robinson: (s·x + n·p) / (s + n) with s = 1, x = 0.5; Fisher's method gives one
    // token's f(w) back unchanged.
    assert!((score_of(10, 0) - 10.5 / 11.0).abs() < 1e-12);
    assert!((score_of(1, 0) - 0.75).abs() < 1e-12);
    assert!((score_of(0, 3) - 0.5 / 4.0).abs() < 1e-12);
    // Seen as often in both kinds, or too weak (|f - 0.5| < 0.1): no evidence.
    assert_eq!(score_of(4, 4), 0.5);
    assert_eq!(score_of(6, 5), 0.5);
}

#[test]
fn a_message_with_no_known_token_scores_one_half() {
    let model = trained();
    let unknown = tokens("Zzyzx quorbl", "nobody@nowhere.example", "flimflam wibble");
    assert_eq!(model.score(&unknown), Some(0.5));
    assert_eq!(model.score(&[]), Some(0.5));
}

#[test]
fn untraining_restores_the_earlier_model_and_score_exactly() {
    let mut model = trained();
    let before = model.clone();
    let probe = tokens_of(NEW_HAM[0]);
    let score_before = model.score(&probe);
    // The user marks a meeting mail as junk by mistake, then takes it back.
    let mistake = tokens_of(HAM[0]);
    model.train(&mistake, true);
    assert_ne!(model.score(&probe), score_before);
    model.untrain(&mistake, true);
    assert_eq!(model, before);
    assert_eq!(
        model.score(&probe).map(f64::to_bits),
        score_before.map(f64::to_bits)
    );
}

#[test]
fn untraining_what_was_never_trained_stops_at_zero() {
    let mut model = Model::new();
    model.untrain(&tokens_of(JUNK[0]), true);
    assert_eq!(model, Model::new());
    model.train(&tokens_of(HAM[0]), false);
    model.untrain(&tokens_of(HAM[0]), true);
    model.untrain(&tokens_of(HAM[0]), false);
    assert_eq!(model, Model::new());
}

#[test]
fn case_and_accents_fold_to_the_same_token() {
    assert_eq!(
        tokens("", "", "Müller CAFÉ Straße"),
        tokens("", "", "muller cafe straße")
    );
    assert_eq!(tokens("", "", "MÜLLER"), vec!["muller".to_string()]);
    assert_eq!(tokens("Grüße", "", ""), vec!["s:gruße".to_string()]);
}

#[test]
fn subject_words_and_the_senders_domain_are_tokens_of_their_own() {
    let got = tokens(
        "Free offer",
        "Promo <Deals@Mega-Sale.Example>",
        "free offer",
    );
    let expected = [
        "from:mega-sale.example",
        "s:free",
        "s:offer",
        "free",
        "offer",
    ];
    assert_eq!(got, expected.map(String::from));
    assert_eq!(tokens("", "no address", ""), Vec::<String>::new());
    assert_eq!(tokens("", "a@b c.example", ""), Vec::<String>::new());
}

#[test]
fn short_and_long_words_and_long_numbers_are_left_out_and_each_token_is_kept_once() {
    let body = "an the abc 123456 1234567 ok x12 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \
                aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab the ABC zwölf";
    let thirty = "a".repeat(30);
    let expected = ["the", "abc", "123456", "x12", thirty.as_str(), "zwolf"];
    assert_eq!(tokens("", "", body), expected.map(String::from));
}

#[test]
fn a_message_gives_at_most_1500_tokens_the_first_ones() {
    let body: String = (0..5000).map(|i| format!("word{i} ")).collect();
    let got = tokens("subject words", "a@example.org", &body);
    assert_eq!(got.len(), MAX_TOKENS);
    assert_eq!(
        got[..4],
        ["from:example.org", "s:subject", "s:words", "word0"].map(String::from)
    );
    assert_eq!(got.last().map(String::as_str), Some("word1496"));
}

#[test]
fn hostile_input_stays_bounded_and_never_panics() {
    let started = std::time::Instant::now();
    let ten_mb_of_words: String = (0..1_200_000).map(|i| format!("w{i:07}\u{0}")).collect();
    assert!(ten_mb_of_words.len() >= 10_000_000);
    assert_eq!(
        tokens(&ten_mb_of_words, &ten_mb_of_words, &ten_mb_of_words).len(),
        MAX_TOKENS
    );
    let one_word = "x".repeat(10_000_000);
    assert_eq!(
        tokens(&one_word, &one_word, &one_word),
        Vec::<String>::new()
    );
    let one_word_again = "ab ".repeat(3_500_000);
    assert_eq!(
        tokens(&one_word_again, "", &one_word_again),
        Vec::<String>::new()
    );
    assert_eq!(tokens("", "", ""), Vec::<String>::new());
    let marks = format!("a{}", "\u{301}".repeat(100_000));
    assert!(tokens(&marks, "@", &marks).is_empty());
    // A caller's own token list, repeated millions of times, costs one pass.
    let model = trained();
    let repeated: Vec<String> = (0..3_000_000).map(|i| format!("t{}", i % 10)).collect();
    assert_eq!(model.score(&repeated), Some(0.5));
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

#[test]
fn the_junk_line_is_at_0_9() {
    assert!(is_junk(0.9) && is_junk(1.0));
    assert!(!is_junk(0.899_999) && !is_junk(0.5) && !is_junk(f64::NAN));
    assert_eq!(JUNK_THRESHOLD, 0.9);
}

/// Counts from a store that fails on one token.
struct Failing;

impl Counts for Failing {
    type Error = &'static str;

    fn totals(&self) -> Result<MessageTotals, &'static str> {
        Ok(MessageTotals {
            junk_messages: 50,
            ham_messages: 50,
        })
    }

    fn token(&self, token: &str) -> Result<TokenCounts, &'static str> {
        if token == "broken" {
            Err("disk I/O error")
        } else {
            Ok(TokenCounts { junk: 5, ham: 1 })
        }
    }
}

#[test]
fn a_failing_lookup_is_an_error_and_not_a_score() {
    let tokens = ["fine".to_string(), "broken".to_string()];
    assert_eq!(score(&Failing, &tokens), Err("disk I/O error"));
    assert!(matches!(score(&Failing, &tokens[..1]), Ok(Some(_))));
}

/// Counts as the test says, for any token.
struct Fixed(MessageTotals, TokenCounts);

impl Counts for Fixed {
    type Error = std::convert::Infallible;

    fn totals(&self) -> Result<MessageTotals, Self::Error> {
        Ok(self.0)
    }

    fn token(&self, _: &str) -> Result<TokenCounts, Self::Error> {
        Ok(self.1)
    }
}

proptest! {
    #[test]
    fn the_score_is_a_probability_and_never_nan_whatever_the_counts(
        junk_messages in prop_oneof![Just(u64::MAX), 0..1_000u64, any::<u64>()],
        ham_messages in prop_oneof![Just(u64::MAX), 0..1_000u64, any::<u64>()],
        junk in prop_oneof![Just(u64::MAX), Just(0u64), 0..2_000u64, any::<u64>()],
        ham in prop_oneof![Just(u64::MAX), Just(0u64), 0..2_000u64, any::<u64>()],
        count in 0..400usize,
    ) {
        let counts = Fixed(MessageTotals { junk_messages, ham_messages }, TokenCounts { junk, ham });
        let tokens: Vec<String> = (0..count).map(|i| format!("t{i}")).collect();
        let Ok(score) = score(&counts, &tokens);
        if let Some(score) = score {
            prop_assert!((0.0..=1.0).contains(&score), "{score}");
        } else {
            prop_assert!(junk_messages < MIN_TRAINED || ham_messages < MIN_TRAINED);
        }
    }
}
