//! Short texts for the window: dates, sizes, counts.
//!
//! Dates are shown in UTC for now: the standard library has no time zones, and a guessed
//! offset would be worse than an honest "UTC" in the header block.

use crate::calendar::civil_from_days;

/// Seconds in a day.
const DAY: i64 = 86_400;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

fn month_name(month: u32) -> &'static str {
    MONTHS
        .get(month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("?")
}

fn clock(unix: i64) -> String {
    let secs = unix.rem_euclid(DAY);
    format!("{:02}:{:02}", secs / 3600, secs % 3600 / 60)
}

/// The date column of the list: the time for today, day and month for this year, the full
/// date before that.
pub fn list_date(unix: i64, now: i64) -> String {
    let day = unix.div_euclid(DAY);
    if day == now.div_euclid(DAY) {
        return clock(unix);
    }
    let (year, month, d) = civil_from_days(day);
    let (this_year, _, _) = civil_from_days(now.div_euclid(DAY));
    if year == this_year {
        format!("{d} {}", month_name(month))
    } else {
        format!("{year:04}-{month:02}-{d:02}")
    }
}

/// The date in the message header block: `Tue, 14 Nov 2023 22:13 UTC`.
pub fn full_date(unix: i64) -> String {
    let day = unix.div_euclid(DAY);
    let (year, month, d) = civil_from_days(day);
    let weekday = WEEKDAYS[day.rem_euclid(7) as usize];
    format!(
        "{weekday}, {d} {} {year} {} UTC",
        month_name(month),
        clock(unix)
    )
}

/// When an account was last checked: the time today, else the date and time.
pub fn check_time(unix: i64, now: i64) -> String {
    if unix.div_euclid(DAY) == now.div_euclid(DAY) {
        clock(unix)
    } else {
        format!("{} {}", list_date(unix, now), clock(unix))
    }
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
        "(unknown sender)".to_owned()
    }
}

/// A sender for the header block: `Name <addr>`.
pub fn sender_full(name: &str, addr: &str) -> String {
    match (name.trim().is_empty(), addr.is_empty()) {
        (false, false) => format!("{name} <{addr}>"),
        (false, true) => name.to_owned(),
        (true, false) => addr.to_owned(),
        (true, true) => "(unknown sender)".to_owned(),
    }
}

/// A subject for the list.
pub fn subject(subject: &str) -> &str {
    if subject.trim().is_empty() {
        "(no subject)"
    } else {
        subject
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_dates_shorten_with_age() {
        let now = 1_700_000_000; // 2023-11-14 22:13 UTC
        assert_eq!(list_date(now - 3600, now), "21:13");
        assert_eq!(list_date(now - 30 * DAY, now), "15 Oct");
        assert_eq!(list_date(now - 400 * DAY, now), "2022-10-10");
    }

    #[test]
    fn full_dates_name_the_weekday() {
        assert_eq!(full_date(1_700_000_000), "Tue, 14 Nov 2023 22:13 UTC");
        assert_eq!(full_date(0), "Thu, 1 Jan 1970 00:00 UTC");
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
        assert_eq!(sender("", ""), "(unknown sender)");
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
    }
}
