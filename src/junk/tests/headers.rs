//! The provider marks: what each check reads, what it refuses, and the settings' JSON.

use super::*;

/// The check that calls a message with these fields junk under `settings`, if any.
fn verdict_with(pairs: &[(&str, &str)], settings: &JunkHeaderSettings) -> Option<SpamCheck> {
    provider_verdict(&fields(pairs), settings).map(|verdict| verdict.check)
}

/// Whether `check` alone calls a message with this one field junk.
fn matches(check: SpamCheck, name: &str, value: &str) -> bool {
    verdict_with(&[(name, value)], &only(check)) == Some(check)
}

#[test]
fn a_spam_flag_of_yes_or_true_is_junk_in_any_case() {
    for value in ["YES", "yes", "Yes", " YES ", "true", "TRUE"] {
        assert!(
            matches(SpamCheck::SpamFlag, "X-Spam-Flag", value),
            "{value:?}"
        );
    }
}

#[test]
fn a_spam_flag_of_no_or_of_another_word_is_not_junk() {
    for value in ["NO", "no", "", "Yesterday", "YESS", "maybe yes", "Y", "1"] {
        assert!(
            !matches(SpamCheck::SpamFlag, "X-Spam-Flag", value),
            "{value:?}"
        );
    }
}

#[test]
fn only_the_leading_yes_of_the_spam_status_counts() {
    let status = "X-Spam-Status";
    assert!(matches(
        SpamCheck::SpamStatus,
        status,
        "Yes, score=7.9 required=5.0 tests=A,B"
    ));
    assert!(matches(SpamCheck::SpamStatus, status, "Yes"));
    assert!(matches(SpamCheck::SpamStatus, status, "YES,score=35.20"));
    assert!(!matches(
        SpamCheck::SpamStatus,
        status,
        "No, score=9.1 tests=YES_RULE"
    ));
    assert!(!matches(SpamCheck::SpamStatus, status, "No, hits=yes"));
    assert!(!matches(
        SpamCheck::SpamStatus,
        status,
        "Yesterday, score=1"
    ));
    assert!(!matches(SpamCheck::SpamStatus, status, ""));
}

#[test]
fn rspamds_x_spam_yes_is_junk_and_its_no_is_not() {
    assert!(matches(SpamCheck::XSpam, "X-Spam", "Yes"));
    assert!(matches(SpamCheck::XSpam, "X-Spam", "yes"));
    assert!(!matches(SpamCheck::XSpam, "X-Spam", "No"));
    assert!(!matches(SpamCheck::XSpam, "X-Spam-Flag", "No"));
}

#[test]
fn a_score_at_the_threshold_is_junk_and_below_it_is_not() {
    let score = SpamCheck::SpamScore;
    assert!(matches(
        score,
        "X-Spam-Status",
        "No, score=5.0 required=6.0"
    ));
    assert!(matches(
        score,
        "X-Spam-Status",
        "Yes, score=9.31 required=5"
    ));
    assert!(!matches(
        score,
        "X-Spam-Status",
        "No, score=4.99 required=5.0"
    ));
    assert!(!matches(
        score,
        "X-Spam-Status",
        "No, score=-1 tagged_above=-1000 required=7"
    ));
    assert!(matches(score, "X-Spam-Score", "5"));
    assert!(matches(score, "X-Spam-Score", "+12.5"));
    assert!(!matches(score, "X-Spam-Score", "-6.901"));
    assert!(matches(score, "X-Rspamd-Score", "12.314971"));
    assert!(!matches(score, "X-Rspamd-Score", "-0.889991"));
}

#[test]
fn the_status_score_decides_before_the_separate_score_field() {
    // A host that writes X-Spam-Score in tenths: -41 beside score=-4.1, so 12 is 1.2.
    let tenths = [("X-Spam-Score", "12"), ("X-Spam-Status", "No, score=1.2")];
    assert_eq!(verdict_with(&tenths, &only(SpamCheck::SpamScore)), None);
    // Without a readable status score, the separate field counts.
    let unreadable = [("X-Spam-Status", "No"), ("X-Spam-Score", "7.5")];
    assert_eq!(
        verdict_with(&unreadable, &only(SpamCheck::SpamScore)),
        Some(SpamCheck::SpamScore)
    );
}

#[test]
fn the_score_threshold_is_the_users() {
    let fields = [("X-Spam-Status", "No, score=4.2 required=5.0")];
    let mut settings = only(SpamCheck::SpamScore);
    assert_eq!(verdict_with(&fields, &settings), None);
    settings.score_threshold = 3.0;
    assert_eq!(verdict_with(&fields, &settings), Some(SpamCheck::SpamScore));
    settings.score_threshold = 4.2;
    assert_eq!(verdict_with(&fields, &settings), Some(SpamCheck::SpamScore));
}

#[test]
fn a_threshold_that_is_not_a_finite_number_turns_the_score_check_off() {
    let fields = [("X-Spam-Score", "9000")];
    for threshold in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let settings = JunkHeaderSettings {
            score_threshold: threshold,
            ..only(SpamCheck::SpamScore)
        };
        assert_eq!(verdict_with(&fields, &settings), None, "{threshold}");
    }
}

#[test]
fn scores_that_are_not_plain_numbers_never_match() {
    let nonsense = [
        "NaN",
        "nan",
        "inf",
        "+inf",
        "-inf",
        "infinity",
        "1e9",
        "1E3",
        "0x10",
        "5,2",
        "--7",
        "+-7",
        "7.",
        ".7",
        "7.5.1",
        "",
        " ",
        "seven",
        "ham, score=3.30",
        "spam, score=5.01",
        "99999999",
        "10001",
        "1000000000000000000000000000",
    ];
    for value in nonsense {
        assert!(
            !matches(SpamCheck::SpamScore, "X-Spam-Score", value),
            "{value:?}"
        );
        let status = format!("Yes, score={value} required=5.0");
        assert!(
            !matches(SpamCheck::SpamScore, "X-Spam-Status", &status),
            "{status:?}"
        );
    }
    // "score=" only on its own: not the end of a longer name.
    assert!(!matches(
        SpamCheck::SpamScore,
        "X-Spam-Status",
        "No, xscore=9 score=1"
    ));
    assert!(matches(
        SpamCheck::SpamScore,
        "X-Spam-Status",
        "No, xscore=1 score=9"
    ));
}

#[test]
fn gmx_and_web_de_junk_results_are_junk_under_both_names() {
    let united = SpamCheck::UnitedInternet;
    assert!(matches(
        united,
        "X-UI-Filterresults",
        "junk:10;V03:K0:cdojl5YHfkg=:jhTb"
    ));
    assert!(matches(united, "X-UI-Filterresults", " JUNK:1;V03:K0:x"));
    assert!(matches(
        united,
        "UI-InboundReport",
        "junk:2;M01:P0:KBHYSPmQwK8=;oojt"
    ));
}

#[test]
fn gmx_notjunk_and_unknown_results_are_not_junk() {
    let united = SpamCheck::UnitedInternet;
    for value in [
        "notjunk:1;V03:K0:QcE43EBhMmU=",
        "unknown:5;V01:K0:/npY",
        "junk",
        "",
        "xjunk:1",
    ] {
        assert!(!matches(united, "X-UI-Filterresults", value), "{value:?}");
        assert!(!matches(united, "UI-InboundReport", value), "{value:?}");
    }
}

#[test]
fn the_outgoing_filter_results_of_gmx_are_never_read() {
    let out = [
        ("X-UI-Out-Filterresults", "junk:1;V03:K0:pksZU4GoRZI="),
        ("UI-OutboundReport", "junk:1;M01:P0:abc"),
    ];
    assert_eq!(verdict_with(&out, &JunkHeaderSettings::default()), None);
}

#[test]
fn t_onlines_spam_category_is_junk_and_its_other_categories_are_not() {
    let t_online = SpamCheck::TOnline;
    let field = "X-TOI-EXPURGATEID";
    assert!(matches(
        t_online,
        field,
        "150726::1612114241-0000F1CF-7DD36653/0/0 SPAM NORMAL"
    ));
    assert!(matches(
        t_online,
        field,
        "149288::1767080332-9F7F14FD-F2085298/3/8 spam"
    ));
    for category in ["CLEAN", "BULK", "SUSPECT", "DANGEROUS", "SPAMMY", ""] {
        let value = format!("149288::1767080332-9F7F14FD-F2085298/3/8621109840 {category} NORMAL");
        assert!(!matches(t_online, field, &value), "{value:?}");
    }
    // The category is the second word, after an id of eXpurgate's form.
    assert!(!matches(t_online, field, "SPAM"));
    assert!(!matches(t_online, field, "noid SPAM NORMAL"));
}

#[test]
fn a_microsoft_scl_of_five_or_more_is_junk() {
    let scl = "X-MS-Exchange-Organization-SCL";
    for level in ["5", "6", "8", "9", "10", " 9 "] {
        assert!(matches(SpamCheck::Microsoft, scl, level), "{level:?}");
    }
    for level in [
        "-1", "0", "1", "4", "11", "99", "5a", "5.5", "", "-5", "0005",
    ] {
        assert!(!matches(SpamCheck::Microsoft, scl, level), "{level:?}");
    }
}

#[test]
fn a_forefront_report_of_sfv_spm_is_junk_and_nspm_is_not() {
    let report = "X-Forefront-Antispam-Report";
    let spam = "CIP:203.0.113.5;CTRY:;LANG:en;SCL:5;SRV:;IPV:NLI;SFV:SPM;H:x;PTR:;CAT:SPM;";
    assert!(matches(SpamCheck::Microsoft, report, spam));
    let clean = "CIP:203.0.113.5;CTRY:;LANG:en;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:x;";
    assert!(!matches(SpamCheck::Microsoft, report, clean));
    assert!(!matches(SpamCheck::Microsoft, report, "SFV:SPMX;SFV:SKS"));
}

#[test]
fn header_names_match_in_any_case() {
    assert!(matches(SpamCheck::SpamFlag, "x-spam-flag", "YES"));
    assert!(matches(
        SpamCheck::UnitedInternet,
        "X-UI-FILTERRESULTS",
        "junk:1"
    ));
    assert!(matches(
        SpamCheck::Microsoft,
        "x-ms-exchange-organization-scl",
        "9"
    ));
}

#[test]
fn a_disabled_check_is_never_looked_at() {
    let flagged = [("X-Spam-Flag", "YES")];
    let settings = JunkHeaderSettings {
        enabled: SpamCheck::ALL
            .into_iter()
            .filter(|check| *check != SpamCheck::SpamFlag)
            .collect(),
        ..JunkHeaderSettings::default()
    };
    assert_eq!(verdict_with(&flagged, &settings), None);
    let nothing = JunkHeaderSettings {
        enabled: Default::default(),
        ..JunkHeaderSettings::default()
    };
    assert_eq!(verdict_with(&flagged, &nothing), None);
}

#[test]
fn checks_are_tried_in_their_fixed_order_whatever_the_field_order() {
    let fields = [
        ("X-UI-Filterresults", "junk:10;V03:K0:x"),
        ("X-Spam-Status", "Yes, score=8.0"),
        ("X-Spam-Flag", "YES"),
    ];
    let verdict = provider_verdict(&super::fields(&fields), &JunkHeaderSettings::default());
    assert_eq!(
        verdict,
        Some(ProviderVerdict {
            check: SpamCheck::SpamFlag,
            field: "X-Spam-Flag: YES".to_string(),
        })
    );
}

#[test]
fn every_occurrence_of_a_field_counts_and_the_first_matching_one_is_quoted() {
    let fields = [
        ("X-Spam-Flag", "NO"),
        ("X-Spam-Flag", "YES"),
        ("X-Spam-Flag", "true"),
    ];
    let verdict = provider_verdict(&super::fields(&fields), &only(SpamCheck::SpamFlag));
    assert_eq!(
        verdict.map(|v| v.field).as_deref(),
        Some("X-Spam-Flag: YES")
    );
}

#[test]
fn the_verdict_quotes_the_field_and_cuts_a_long_one_at_200_characters() {
    let long = format!("junk:10;{}", "ü".repeat(500));
    let verdict = provider_verdict(
        &fields(&[("X-UI-Filterresults", &long)]),
        &only(SpamCheck::UnitedInternet),
    );
    let field = verdict.map(|v| v.field).unwrap_or_default();
    assert!(
        field.starts_with("X-UI-Filterresults: junk:10;üü"),
        "{field}"
    );
    assert!(field.ends_with('…'), "{field}");
    assert_eq!(
        field.chars().count(),
        "X-UI-Filterresults: ".len() + 200 + 1
    );
}

#[test]
fn hostile_fields_never_panic_and_never_match_on_nonsense() {
    let huge_yes = "Y".repeat(16 * 1024);
    let many_scores = "score=x ".repeat(10_000);
    let digits = "9".repeat(1_000_000);
    // A multi-byte character across every cut the checks make.
    let straddling = format!("{}€€€€ score=9", "a".repeat(254));
    let hostile: Vec<(&str, &str)> = vec![
        ("X-Spam-Flag", &huge_yes),
        ("X-Spam-Status", &many_scores),
        ("X-Spam-Status", &straddling),
        ("X-Spam-Score", &digits),
        ("X-Rspamd-Score", "\u{0}\u{202E}9"),
        ("X-UI-Filterresults", "\u{FEFF}junk:1"),
        ("X-TOI-EXPURGATEID", &digits),
        ("X-MS-Exchange-Organization-SCL", &digits),
        ("X-Forefront-Antispam-Report", &many_scores),
        ("", ""),
    ];
    assert_eq!(verdict_with(&hostile, &JunkHeaderSettings::default()), None);
    let started = std::time::Instant::now();
    let long = "score=x ".repeat(256);
    let many: Vec<(&str, &str)> = (0..20_000)
        .map(|_| ("X-Spam-Status", long.as_str()))
        .collect();
    assert_eq!(verdict_with(&many, &JunkHeaderSettings::default()), None);
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

#[test]
fn every_check_has_a_stable_id_that_is_its_json_form_and_a_label() {
    let mut labels = std::collections::HashSet::new();
    for check in SpamCheck::ALL {
        assert_eq!(SpamCheck::from_id(check.id()), Some(check));
        let json = serde_json::to_string(&check).unwrap_or_default();
        assert_eq!(json, format!("\"{}\"", check.id()));
        assert!(labels.insert(check.label()), "{:?} shares its label", check);
    }
    assert_eq!(SpamCheck::from_id("no_such_check"), None);
}

/// The stored form of the settings. A change here needs a migration of what users have
/// stored, not a new expected string.
#[test]
fn the_json_of_the_default_settings_is_pinned() {
    let json = serde_json::to_value(JunkHeaderSettings::default()).unwrap_or_default();
    let expected = serde_json::json!({
        "enabled": [
            "spam_flag", "spam_status", "x_spam", "spam_score",
            "united_internet", "t_online", "microsoft"
        ],
        "score_threshold": 5.0
    });
    assert_eq!(json, expected);
    let back: Option<JunkHeaderSettings> = serde_json::from_value(json).ok();
    assert_eq!(back, Some(JunkHeaderSettings::default()));
}

#[test]
fn settings_json_keeps_the_known_checks_and_drops_unknown_ones() {
    let json = r#"{"enabled": ["t_online", "from_the_future", "spam_flag", "t_online"], "score_threshold": 7.5}"#;
    let settings: Option<JunkHeaderSettings> = serde_json::from_str(json).ok();
    let expected = JunkHeaderSettings {
        enabled: [SpamCheck::SpamFlag, SpamCheck::TOnline]
            .into_iter()
            .collect(),
        score_threshold: 7.5,
    };
    assert_eq!(settings, Some(expected));
}

#[test]
fn settings_json_without_a_field_takes_its_default_and_malformed_json_is_refused() {
    let empty: Option<JunkHeaderSettings> = serde_json::from_str("{}").ok();
    assert_eq!(empty, Some(JunkHeaderSettings::default()));
    let threshold_only: Option<JunkHeaderSettings> =
        serde_json::from_str(r#"{"score_threshold": 3.0}"#).ok();
    assert_eq!(
        threshold_only.map(|s| s.enabled),
        Some(JunkHeaderSettings::default().enabled)
    );
    for bad in [
        r#"{"enabled": "spam_flag"}"#,
        r#"{"enabled": [1]}"#,
        r#"{"score_threshold": "5"}"#,
    ] {
        assert!(
            serde_json::from_str::<JunkHeaderSettings>(bad).is_err(),
            "{bad}"
        );
    }
}
