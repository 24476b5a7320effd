//! Small parts the cache and replica models share: a database connection pool that serves
//! queries first come, first served, a sliding-window log for rate limiters, and a gauge that
//! keeps a series short enough to draw.

use crate::analyzer::Finding;
use crate::sim::model::Point;
use std::collections::VecDeque;

/// Points a series keeps; more are merged pairwise, keeping each pair's larger value so a
/// short peak (memory just before an OOM kill, a burst of queries) stays on the chart.
pub const MAX_POINTS: usize = 1_000;

/// Connections that each run one query at a time, handed out first come, first served.
///
/// Queries must be offered in the order they are issued (the models issue them while
/// processing events in time order), so "the connection free soonest" is exactly what a FIFO
/// wait queue in front of the pool would give, without an event per queued query.
pub struct Pool {
    free_at_us: Vec<u64>,
}

/// Where and when a query ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    pub lane: u32,
    pub start_us: u64,
    pub end_us: u64,
}

impl Pool {
    pub fn new(connections: u64) -> Pool {
        Pool {
            free_at_us: vec![0; connections.clamp(1, 10_000) as usize],
        }
    }

    /// Runs a query issued at `at_us` that needs `work_us` on a connection.
    pub fn run(&mut self, at_us: u64, work_us: u64) -> Slot {
        let mut best = 0usize;
        let mut best_free = u64::MAX;
        for (i, &free) in self.free_at_us.iter().enumerate() {
            // An idle connection: the lowest-numbered one, so traces are stable.
            if free <= at_us {
                best = i;
                best_free = free;
                break;
            }
            if free < best_free {
                best = i;
                best_free = free;
            }
        }
        let start_us = at_us.max(best_free);
        let end_us = start_us.saturating_add(work_us);
        if let Some(f) = self.free_at_us.get_mut(best) {
            *f = end_us;
        }
        Slot {
            lane: best as u32,
            start_us,
            end_us,
        }
    }
}

/// How long a rate-limiter run lasts: three windows, at least three minutes, at most ten (a
/// longer window shows its first ten minutes: enough to see who gets through).
pub fn limiter_run_us(window_us: u64) -> u64 {
    window_us.saturating_mul(3).clamp(180_000_000, 600_000_000)
}

/// The whole number a finding parameter starts with (`"100"`, `"1_000"`, `"5 per minute"`);
/// `None` for a word or an expression that does not start with digits.
pub fn leading_number(finding: &Finding, key: &str) -> Option<u64> {
    super::record::leading_number(finding.params.get(key)?)
}

/// The times of the requests one limiter admitted for one key, within the last window: the
/// sliding-log limiter (exact, no fixed-window edge bursts).
#[derive(Default)]
pub struct SlidingLog {
    admitted_us: VecDeque<u64>,
}

impl SlidingLog {
    /// Requests admitted in `(now - window, now]`.
    pub fn count(&mut self, now_us: u64, window_us: u64) -> u64 {
        while self
            .admitted_us
            .front()
            .is_some_and(|&t| t.saturating_add(window_us) <= now_us)
        {
            self.admitted_us.pop_front();
        }
        self.admitted_us.len() as u64
    }

    /// Admits a request at `now_us` if fewer than `limit` were admitted in the window.
    pub fn try_admit(&mut self, now_us: u64, window_us: u64, limit: u64) -> bool {
        let ok = self.count(now_us, window_us) < limit;
        if ok {
            self.admitted_us.push_back(now_us);
        }
        ok
    }

    /// Records a request admitted elsewhere (the ground truth kept next to per-process logs).
    pub fn record(&mut self, now_us: u64) {
        self.admitted_us.push_back(now_us);
    }
}

/// A value over time, recorded only in traced runs, at most [`MAX_POINTS`] points.
pub struct Gauge {
    on: bool,
    points: Vec<Point>,
}

impl Gauge {
    pub fn new(on: bool) -> Gauge {
        Gauge {
            on,
            points: Vec::new(),
        }
    }

    /// Records `value` at `t_us` (times must not go backwards; repeats of the last value are
    /// skipped).
    pub fn set(&mut self, t_us: u64, value: u64) {
        if !self.on {
            return;
        }
        match self.points.last_mut() {
            Some(p) if p.value == value => return,
            Some(p) if p.t_us == t_us => p.value = value,
            _ => self.points.push(Point { t_us, value }),
        }
        if self.points.len() >= 2 * MAX_POINTS {
            self.points = halve(&self.points);
        }
    }

    /// Records `value` at `t_us` even when it equals the last one (the end of a run, so the
    /// line reaches the right edge).
    pub fn close(&mut self, t_us: u64, value: u64) {
        if self.on && self.points.last().is_none_or(|p| p.t_us < t_us) {
            self.points.push(Point { t_us, value });
        }
    }

    pub fn finish(self) -> Vec<Point> {
        let mut points = self.points;
        while points.len() > MAX_POINTS {
            points = halve(&points);
        }
        points
    }
}

fn halve(points: &[Point]) -> Vec<Point> {
    points
        .chunks(2)
        .map(|pair| Point {
            t_us: pair.first().map_or(0, |p| p.t_us),
            value: pair.iter().map(|p| p.value).max().unwrap_or(0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_serves_first_come_first_served() {
        let mut p = Pool::new(2);
        assert_eq!(
            p.run(0, 100),
            Slot {
                lane: 0,
                start_us: 0,
                end_us: 100
            }
        );
        assert_eq!(p.run(10, 100).lane, 1);
        // Both busy: waits for connection 0, free at 100.
        assert_eq!(
            p.run(20, 50),
            Slot {
                lane: 0,
                start_us: 100,
                end_us: 150
            }
        );
        assert_eq!(p.run(200, 1).start_us, 200);
    }

    #[test]
    fn sliding_log_admits_limit_per_window() {
        let mut log = SlidingLog::default();
        assert!(log.try_admit(0, 10, 2));
        assert!(log.try_admit(5, 10, 2));
        assert!(!log.try_admit(9, 10, 2));
        // The request at 0 leaves the window at 10.
        assert!(log.try_admit(10, 10, 2));
        assert_eq!(log.count(15, 10), 1);
    }

    #[test]
    fn gauge_keeps_peaks_when_it_shrinks() {
        let mut g = Gauge::new(true);
        for t in 0..5_000u64 {
            g.set(t, if t == 2_501 { 1_000_000 } else { t % 7 });
        }
        g.close(6_000, 0);
        let pts = g.finish();
        assert!(pts.len() <= MAX_POINTS);
        assert!(pts.iter().any(|p| p.value == 1_000_000));
        assert!(pts.windows(2).all(|w| w[0].t_us < w[1].t_us));
        let mut off = Gauge::new(false);
        off.set(1, 1);
        assert!(off.finish().is_empty());
    }
}
