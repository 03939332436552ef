//! Short texts for the window: dates, sizes, counts.
//!
//! Dates are shown in the user's time zone (the system's, through jiff) and in the
//! interface's language: the store keeps UTC seconds, only what is shown changes. The
//! patterns and the names of days and months are in the catalogues (`date-*`, `weekday-*`,
//! `month-*`); the calendar is jiff's.

use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use crate::i18n::{FluentArgs, FluentValue, Language, message_in};

/// The system's time zone, read once (`TZ`, else `/etc/localtime`; UTC where neither says).
pub fn local_zone() -> &'static TimeZone {
    static ZONE: OnceLock<TimeZone> = OnceLock::new();
    ZONE.get_or_init(TimeZone::system)
}

fn civil(unix: i64, zone: &TimeZone) -> DateTime {
    zone.to_datetime(Timestamp::from_second(unix).unwrap_or(Timestamp::UNIX_EPOCH))
}

fn clock(at: DateTime) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

/// The arguments every date pattern may use.
fn date_args(language: Language, at: DateTime) -> FluentArgs<'static> {
    let mut args = FluentArgs::new();
    let weekday = i64::from(at.weekday().to_monday_one_offset());
    let month = i64::from(at.month());
    let name = |id: &str, n: i64| {
        let mut a = FluentArgs::new();
        a.set("n", FluentValue::from(n));
        message_in(language, id, Some(&a))
    };
    args.set("day", FluentValue::from(i64::from(at.day())));
    args.set("dd", FluentValue::from(format!("{:02}", at.day())));
    args.set("mm", FluentValue::from(format!("{month:02}")));
    args.set("year", FluentValue::from(format!("{}", at.year())));
    args.set("time", FluentValue::from(clock(at)));
    args.set(
        "weekday_short",
        FluentValue::from(name("weekday-short", weekday)),
    );
    args.set(
        "weekday_long",
        FluentValue::from(name("weekday-long", weekday)),
    );
    args.set("month_short", FluentValue::from(name("month-short", month)));
    args.set("month_long", FluentValue::from(name("month-long", month)));
    args
}

fn pattern(language: Language, id: &str, at: DateTime) -> String {
    message_in(language, id, Some(&date_args(language, at)))
}

/// The date column of the list: the time today, the weekday this past week, day and month
/// this year, the whole date before (in `zone`, in `language`).
pub fn list_date_in(unix: i64, now: i64, zone: &TimeZone, language: Language) -> String {
    let at = civil(unix, zone);
    let today: Date = civil(now, zone).date();
    let day = at.date();
    if day == today {
        return clock(at);
    }
    let days_ago = day.duration_until(today).as_hours() / 24;
    if (1..7).contains(&days_ago) {
        return pattern(language, "date-weekday", at);
    }
    if day.year() == today.year() {
        pattern(language, "date-this-year", at)
    } else {
        pattern(language, "date-older", at)
    }
}

/// [`list_date_in`] in the system's zone and the interface's language.
pub fn list_date(unix: i64, now: i64) -> String {
    list_date_in(unix, now, local_zone(), crate::i18n::language())
}

/// The date in the message header block, in full: "Thursday, 26 November 2026, 08:15".
pub fn full_date_in(unix: i64, zone: &TimeZone, language: Language) -> String {
    pattern(language, "date-full", civil(unix, zone))
}

/// [`full_date_in`] in the system's zone and the interface's language.
pub fn full_date(unix: i64) -> String {
    full_date_in(unix, local_zone(), crate::i18n::language())
}

/// When an account was last checked: the time today, else the list's date and the time.
pub fn check_time_in(unix: i64, now: i64, zone: &TimeZone, language: Language) -> String {
    let at = civil(unix, zone);
    if at.date() == civil(now, zone).date() {
        clock(at)
    } else {
        format!("{} {}", list_date_in(unix, now, zone, language), clock(at))
    }
}

/// [`check_time_in`] in the system's zone and the interface's language.
pub fn check_time(unix: i64, now: i64) -> String {
    check_time_in(unix, now, local_zone(), crate::i18n::language())
}

/// A size in bytes, short: `812 B`, `12 KB`, `3.4 MB`.
pub fn size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    if bytes < KB {
        format!("{bytes} B")
    } else if bytes < MB {
        format!("{} KB", bytes.div_ceil(KB))
    } else if bytes < 10 * MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{} MB", bytes / MB)
    }
}

/// A sender for the list: the display name, or the address when there is none.
pub fn sender(name: &str, addr: &str) -> String {
    if !name.trim().is_empty() {
        name.to_owned()
    } else if !addr.is_empty() {
        addr.to_owned()
    } else {
        crate::tr!("unknown-sender")
    }
}

/// A sender for the header block: `Name <addr>`.
pub fn sender_full(name: &str, addr: &str) -> String {
    match (name.trim().is_empty(), addr.is_empty()) {
        (false, false) => format!("{name} <{addr}>"),
        (false, true) => name.to_owned(),
        (true, false) => addr.to_owned(),
        (true, true) => crate::tr!("unknown-sender"),
    }
}

/// A subject for the list.
pub fn subject(subject: &str) -> String {
    if subject.trim().is_empty() {
        crate::tr!("notify-no-subject")
    } else {
        subject.to_owned()
    }
}

/// A folder's name as the window shows it: the kind's name in the interface's language, or
/// for a removed account's kept mail the account's name.
pub fn folder_name(folder: &crate::store::Folder) -> String {
    use crate::store::FolderKind;
    match folder.kind {
        FolderKind::Inbox if folder.account_id.is_none() => folder.name.clone(),
        FolderKind::Inbox => crate::tr!("folder-inbox"),
        FolderKind::Trash => crate::tr!("folder-trash"),
        FolderKind::Imported => crate::tr!("folder-imported"),
        FolderKind::Junk => crate::tr!("folder-junk"),
        FolderKind::User => folder.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> TimeZone {
        TimeZone::get(name).expect("the bundled time-zone database has it")
    }

    /// Unix seconds of a wall-clock time in a zone.
    fn at(zone_name: &str, text: &str) -> i64 {
        let civil: DateTime = text.parse().expect("a civil date-time");
        zone(zone_name)
            .to_timestamp(civil)
            .expect("exists in the zone")
            .as_second()
    }

    #[test]
    fn list_dates_shorten_with_age_in_each_language() {
        let berlin = zone("Europe/Berlin");
        let now = at("Europe/Berlin", "2026-11-26T10:00");
        let de = |t: &str| list_date_in(at("Europe/Berlin", t), now, &berlin, Language::German);
        let en = |t: &str| list_date_in(at("Europe/Berlin", t), now, &berlin, Language::English);
        assert_eq!(de("2026-11-26T08:15"), "08:15");
        assert_eq!(en("2026-11-26T08:15"), "08:15");
        assert_eq!(de("2026-11-23T09:00"), "Mo.");
        assert_eq!(en("2026-11-23T09:00"), "Mon");
        assert_eq!(de("2026-03-12T09:00"), "12.03.");
        assert_eq!(en("2026-03-12T09:00"), "Mar 12");
        assert_eq!(de("2024-03-12T09:00"), "12.03.2024");
        assert_eq!(en("2024-03-12T09:00"), "Mar 12, 2024");
        // A week ago is no longer "this week".
        assert_eq!(de("2026-11-19T09:00"), "19.11.");
    }

    #[test]
    fn today_ends_at_local_midnight_not_at_utc_midnight() {
        let berlin = zone("Europe/Berlin");
        // 00:30 in Berlin is still the day before in UTC: it is today here.
        let now = at("Europe/Berlin", "2026-07-01T09:00");
        let early = at("Europe/Berlin", "2026-07-01T00:30");
        assert_eq!(list_date_in(early, now, &berlin, Language::German), "00:30");
        // 23:30 the evening before is yesterday, shown by its weekday.
        let late = at("Europe/Berlin", "2026-06-30T23:30");
        assert_eq!(list_date_in(late, now, &berlin, Language::German), "Di.");
        // The same instants in UTC fall on other days.
        assert_eq!(
            list_date_in(early, now, &TimeZone::UTC, Language::English),
            "Tue"
        );
    }

    #[test]
    fn summer_time_moves_the_clock_and_the_header_says_the_local_time() {
        let berlin = zone("Europe/Berlin");
        // 2026-03-29: at 02:00 the clocks jump to 03:00 (CET to CEST).
        let before = at("Europe/Berlin", "2026-03-29T01:30");
        let after = before + 3600;
        assert_eq!(
            full_date_in(before, &berlin, Language::German),
            "Sonntag, 29. März 2026, 01:30"
        );
        assert_eq!(
            full_date_in(after, &berlin, Language::German),
            "Sonntag, 29. März 2026, 03:30"
        );
        // 2026-10-25: 03:00 CEST falls back to 02:00 CET; an hour later is 02:xx again.
        let first = at("Europe/Berlin", "2026-10-25T01:45") + 3600;
        assert_eq!(
            full_date_in(first, &berlin, Language::English),
            "Sunday, 25 October 2026, 02:45"
        );
        assert_eq!(
            full_date_in(first + 3600, &berlin, Language::English),
            "Sunday, 25 October 2026, 02:45"
        );
        assert_eq!(
            full_date_in(
                at("America/New_York", "2026-11-26T08:15"),
                &zone("America/New_York"),
                Language::German
            ),
            "Donnerstag, 26. November 2026, 08:15"
        );
    }

    #[test]
    fn a_check_time_is_the_clock_today_and_the_date_before() {
        let berlin = zone("Europe/Berlin");
        let now = at("Europe/Berlin", "2026-11-26T10:00");
        assert_eq!(
            check_time_in(
                at("Europe/Berlin", "2026-11-26T09:05"),
                now,
                &berlin,
                Language::German
            ),
            "09:05"
        );
        assert_eq!(
            check_time_in(
                at("Europe/Berlin", "2026-11-02T09:05"),
                now,
                &berlin,
                Language::German
            ),
            "02.11. 09:05"
        );
    }

    #[test]
    fn sizes_are_short() {
        assert_eq!(size(812), "812 B");
        assert_eq!(size(1025), "2 KB");
        assert_eq!(size(3_500_000), "3.3 MB");
        assert_eq!(size(50 * 1024 * 1024), "50 MB");
    }

    #[test]
    fn senders_fall_back_to_the_address() {
        assert_eq!(sender("", "a@b.de"), "a@b.de");
        assert_eq!(sender_full("Anna", "a@b.de"), "Anna <a@b.de>");
        let _turn = crate::i18n::language_lock();
        crate::i18n::set_language(Language::English);
        assert_eq!(sender("", ""), "(unknown sender)");
    }
}
