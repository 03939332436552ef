//! What the benchmarks measure besides wall time: CPU time of this thread, this process, its
//! children and the whole machine, read from Linux's /proc; and the median of some runs.
#![allow(dead_code)]

use std::time::Instant;

/// Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux).
const USER_HZ: f64 = 100.0;

/// CPU time this thread has run, from Linux's schedstat: unlike wall time, it hardly moves
/// when other work shares the machine. Elsewhere, wall time since the first call.
pub fn thread_cpu_seconds() -> f64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse::<f64>().ok())
        .map_or_else(
            || START.get_or_init(Instant::now).elapsed().as_secs_f64(),
            |ns| ns / 1e9,
        )
}

/// This process's CPU time (utime + stime of /proc/self/stat), seconds; None where /proc is
/// not Linux's.
pub fn process_cpu_seconds() -> Option<f64> {
    self_stat_seconds(14, 15)
}

/// CPU time of this process's waited-for children so far (cutime + cstime of
/// /proc/self/stat), seconds; None where /proc is not Linux's.
pub fn children_cpu_seconds() -> Option<f64> {
    self_stat_seconds(16, 17)
}

/// The sum of two time fields of /proc/self/stat (numbered as in proc(5)), seconds.
fn self_stat_seconds(first: usize, second: usize) -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which ends with the last ')': state is field 3.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |field: usize| fields.get(field - 3)?.parse::<f64>().ok();
    Some((ticks(first)? + ticks(second)?) / USER_HZ)
}

/// CPU time all processors have spent not idle since boot (user, nice, system, irq,
/// softirq and steal of /proc/stat), seconds; None where /proc is not Linux's.
pub fn machine_busy_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let ticks: Vec<f64> = line
        .split_whitespace()
        .map(|t| t.parse().ok())
        .collect::<Option<_>>()?;
    let busy = [0, 1, 2, 5, 6, 7]
        .iter()
        .map(|&i| ticks.get(i).copied())
        .sum::<Option<f64>>()?;
    Some(busy / USER_HZ)
}

/// The median of some runs' figures (the upper one of an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}
