//! Calendar dates and the clock: the few conversions the core needs (cookie `Expires`, default
//! run names), in UTC, and the one clock it reads (cookie expiry).
//!
//! The core has no JavaScript imports, and `std::time::SystemTime::now` panics on
//! wasm32-unknown-unknown, so the wasm binding registers `Date.now` with [`set_clock`] when the
//! module starts. Elsewhere (`cargo test`) the clock is the system's.

use std::sync::OnceLock;

static CLOCK: OnceLock<fn() -> i64> = OnceLock::new();

/// Sets the clock [`now_ms`] reads: a function giving milliseconds since the Unix epoch. The
/// first call wins; later ones are ignored.
pub fn set_clock(now: fn() -> i64) {
    let _ = CLOCK.set(now);
}

/// Milliseconds since the Unix epoch, by the clock given to [`set_clock`]; without one, the
/// system clock, or 0 on wasm (where cookies then never expire by time, only by deletion).
pub fn now_ms() -> i64 {
    match CLOCK.get() {
        Some(now) => now(),
        None => system_ms(),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn system_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(target_arch = "wasm32")]
fn system_ms() -> i64 {
    0
}

/// The civil date `(year, month 1-12, day 1-31)` of a day number (days since 1970-01-01), by
/// H. Hinnant's `civil_from_days` ("chrono-Compatible Low-Level Date Algorithms").
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The day number (days since 1970-01-01) of a civil date, month 1-12, by H. Hinnant's
/// `days_from_civil`; the inverse of [`civil_from_days`]. Days past the end of the month
/// run into the next one: check with [`civil_from_days`] that the date exists.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn days_from_civil_inverts_civil_from_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 2, 29), 11_016);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(1601, 1, 1), -134_774);
        for days in (-150_000..3_000_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn the_default_clock_is_the_system_clock() {
        let system = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis();
        assert!((now_ms() - i64::try_from(system).unwrap()).abs() < 5_000);
    }
}
