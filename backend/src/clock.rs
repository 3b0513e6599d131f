//! The server's clock. Everything that asks "what time is it" asks this, so tests can move time forward.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, DurationRound, NaiveDateTime, Utc};

#[derive(Clone, Default)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    /// A clock that reads `at` now and runs on from there, for tests written on a named day (the server itself always
    /// starts on the real time: its clock is not a setting anyone can change).
    pub fn starting_at(at: DateTime<Utc>) -> Clock {
        let clock = Clock::default();
        clock.advance(at - Utc::now());
        clock
    }

    /// Now, to the microsecond: what both databases store, so a time read back equals the time written.
    pub fn now(&self) -> DateTime<Utc> {
        let now = Utc::now() + Duration::seconds(self.offset_seconds.load(Ordering::Relaxed));
        now.duration_trunc(Duration::microseconds(1)).unwrap_or(now)
    }

    /// Now, as stored in the database (UTC without a zone).
    pub fn now_naive(&self) -> NaiveDateTime {
        self.now().naive_utc()
    }

    /// How far this clock runs from the machine's (zero but in tests), so a test browser can be set the same way.
    pub fn offset(&self) -> Duration {
        Duration::seconds(self.offset_seconds.load(Ordering::Relaxed))
    }

    /// Moves this clock by `by`, forward or back (tests only have a reason to).
    pub fn advance(&self, by: Duration) {
        self.offset_seconds.fetch_add(by.num_seconds(), Ordering::Relaxed);
    }
}
