//! The account form's tests: validation, provider presets, what a save builds.
use super::*;

fn typed(email: &str) -> AccountForm {
    let mut form = AccountForm {
        email: email.into(),
        password: "secret".into(),
        ..AccountForm::default()
    };
    form.email_changed();
    form
}

#[test]
fn a_gmx_address_fills_the_preset() {
    let form = typed("anna@gmx.de");
    assert_eq!(form.name, "GMX");
    assert_eq!(form.host, "pop.gmx.net");
    assert_eq!((form.port.as_str(), form.security), ("995", Security::Tls));
    assert_eq!(form.user, "anna@gmx.de");
    assert!(form.validate([]).is_ok(), "{:?}", form.validate([]));
    let (settings, password) = form.settings().expect("valid");
    assert_eq!(settings.host, "pop.gmx.net");
    assert_eq!(
        password.map(|p| p.expose().to_owned()),
        Some("secret".into())
    );
}

#[test]
fn an_unknown_provider_is_named_after_its_domain_until_named() {
    let mut form = typed("lena@example.de");
    assert_eq!(form.name, "example.de");
    assert!(form.host.is_empty(), "no server is guessed into the field");
    form.email = "lena@mail.example.org".into();
    form.email_changed();
    assert_eq!(form.name, "mail.example.org", "it follows the address");
    form.name = "Work".into();
    form.email = "lena@example.net".into();
    form.email_changed();
    assert_eq!(form.name, "Work", "what was typed stays");
}

#[test]
fn webde_takes_the_local_part_and_its_fifteen_minutes() {
    let form = typed("anna.m@web.de");
    assert_eq!(form.user, "anna.m");
    assert_eq!(form.interval, "15");
    let mut too_often = form.clone();
    too_often.interval = "5".into();
    assert!(
        too_often
            .validate([])
            .error(Field::Interval)
            .is_some_and(|e| e.contains("15 minutes"))
    );
}

#[test]
fn presets_follow_the_address_but_never_replace_what_was_typed() {
    let mut form = typed("anna@gmx.de");
    form.email = "anna@web.de".into();
    form.email_changed();
    assert_eq!(
        (form.name.as_str(), form.host.as_str()),
        ("WEB.DE", "pop3.web.de")
    );
    form.host = "pop.mine.example".into();
    form.name = "Mine".into();
    form.email = "anna@gmx.de".into();
    form.email_changed();
    assert_eq!(
        (form.name.as_str(), form.host.as_str()),
        ("Mine", "pop.mine.example")
    );
    // An unknown domain takes back a preset's server and offers guesses.
    let mut form = typed("anna@gmx.de");
    form.email = "anna@example-isp.de".into();
    form.email_changed();
    assert_eq!(form.host, "");
    assert!(matches!(&form.lookup, Lookup::Guesses(g) if g[0] == "pop.example-isp.de"));
    form.use_guess("pop3.example-isp.de");
    assert_eq!(form.host, "pop3.example-isp.de");
}

#[test]
fn the_port_follows_security_until_edited() {
    let mut form = typed("anna@gmx.de");
    form.set_security(Security::StartTls);
    assert_eq!(form.port, "110");
    form.port = "1110".into();
    form.set_security(Security::Tls);
    assert_eq!(form.port, "1110");
}

#[test]
fn every_bad_value_has_its_reason_beside_its_field() {
    let form = typed("anna@gmx.de");
    type Change = fn(&mut AccountForm);
    let cases: Vec<(Field, Change, &str)> = vec![
        (Field::Port, |f| f.port = "99999".into(), "1 to 65535"),
        (Field::Port, |f| f.port = "0".into(), "1 to 65535"),
        (Field::Port, |f| f.port = "pop".into(), "1 to 65535"),
        (
            Field::Host,
            |f| f.host = "pop gmx".into(),
            "not a server name",
        ),
        (Field::Host, |f| f.host = "pop3://x.de".into(), "without"),
        (Field::Host, |f| f.host = "x.de:995".into(), "port"),
        (Field::User, |f| f.user = "a\nb".into(), "user name"),
        (
            Field::Password,
            |f| f.password = "a\r\nDELE 1".into(),
            "password",
        ),
        (Field::Password, |f| f.password = "a\0".into(), "password"),
        (Field::Email, |f| f.email = "anna".into(), "anna@example.de"),
        (Field::Interval, |f| f.interval = "0".into(), "interval"),
        (
            Field::CaFile,
            |f| f.ca_file = "/no/such/ca.pem".into(),
            "no file",
        ),
    ];
    for (field, change, words) in cases {
        let mut bad = form.clone();
        change(&mut bad);
        let validation = bad.validate([]);
        assert!(!validation.is_ok());
        let reason = validation.error(field).unwrap_or_default();
        assert!(reason.contains(words), "{field:?}: {reason:?}");
    }
    assert!(
        form.validate(["gmx"]).error(Field::Name).is_some(),
        "duplicate"
    );
    assert!(form.validate(["WEB.DE"]).is_ok());
    assert_eq!(
        AccountForm::default().validate([]).missing,
        [
            "account name",
            "email address",
            "server",
            "user name",
            "password"
        ]
    );
}

#[test]
fn the_ca_file_is_looked_up_when_it_changes_not_at_every_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, b"PEM").expect("write");
    let mut form = typed("anna@gmx.de");
    form.ca_file = ca.display().to_string();
    form.ca_file_changed();
    assert!(form.validate([]).is_ok());
    std::fs::remove_file(&ca).expect("remove");
    assert!(
        form.validate([]).is_ok(),
        "the checks of each frame use what was looked up"
    );
    form.ca_file_changed();
    assert!(form.validate([]).error(Field::CaFile).is_some());
}

#[test]
fn settings_round_trip_through_the_form() {
    let mut settings = AccountSettings::new("Home", "me@example.de", "pop.example.de", "me");
    settings.security = Security::StartTls;
    settings.port = 110;
    settings.auth = AuthMethod::CramMd5;
    settings.server_policy = ServerPolicy::DeleteAfterDays(7);
    settings.delete_when_deleted_locally = true;
    settings.size_limit_kb = Some(512);
    settings.first_sync = FirstSync::LastDays(3);
    settings.pin_sha256 = Some([7; 32]);
    settings.interval_minutes = 25;
    settings.check_on_start = false;
    let form = AccountForm::from_settings(&settings);
    assert!(form.validate([]).is_ok(), "{:?}", form.validate([]));
    let (again, password) = form.settings().expect("valid");
    assert_eq!(again, settings);
    assert!(
        password.is_none(),
        "an empty field keeps the stored password"
    );
    let mut command = settings.clone();
    command.password_source = PasswordSource::Command("pass show mail".into());
    command.server_policy = ServerPolicy::Keep;
    let form = AccountForm::from_settings(&command);
    assert_eq!(form.leave, LeaveChoice::UntilDeletedHere);
    assert_eq!(form.settings().expect("valid").0, command);
}

#[test]
fn an_address_at_a_local_server_without_a_dot_is_accepted_and_nonsense_is_not() {
    for good in ["user1@localhost", "anna@homeserver", "anna@gmx.de"] {
        assert!(plausible_address(good), "{good}");
    }
    for bad in [
        "anna",
        "@gmx.de",
        "anna@",
        "anna@.de",
        "anna@gmx.",
        "an na@gmx.de",
        "a@b..de",
    ] {
        assert!(!plausible_address(bad), "{bad}");
    }
    let mut form = typed("user1@localhost");
    form.name = "Dovecot".into();
    form.host = "localhost".into();
    form.user = "user1".into();
    assert_eq!(form.validate([]).error(Field::Email), None);
}
