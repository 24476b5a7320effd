//! Bounded recording for the queueing models: journeys for the animation, a gauge for the
//! series, and reading a leading number out of a finding's text.
//!
//! A run that is not traced records nothing, so the sweep pays only for its figures.

use crate::sim::model::{Fate, Hop, Journey, Point, Stage, MAX_JOURNEYS};

/// Hops kept per journey. A retrying request can make hundreds of attempts; the animation
/// only needs the first few to show the pattern, and a traced run must stay small.
pub const MAX_HOPS: usize = 64;

/// Points kept in a series; more are merged pairwise (keeping the peak of each pair).
pub const MAX_POINTS: usize = 1_000;

/// Journeys of the first [`MAX_JOURNEYS`] requests, indexed by request id.
pub struct Journal {
    on: bool,
    list: Vec<Journey>,
}

impl Journal {
    pub fn new(on: bool) -> Self {
        Journal {
            on,
            list: Vec::new(),
        }
    }

    fn get(&mut self, id: u32) -> Option<&mut Journey> {
        if !self.on || id as usize >= MAX_JOURNEYS {
            return None;
        }
        let i = id as usize;
        while self.list.len() <= i {
            let next = self.list.len() as u32;
            self.list.push(Journey {
                id: next,
                hops: Vec::new(),
                fate: Fate::Ok,
            });
        }
        self.list.get_mut(i)
    }

    /// Adds a hop; ignored when not tracing, for ids past the cap, or past [`MAX_HOPS`].
    pub fn hop(&mut self, id: u32, stage: Stage, lane: u32, start_us: u64, end_us: u64) {
        if let Some(j) = self.get(id) {
            if j.hops.len() < MAX_HOPS {
                j.hops.push(Hop {
                    stage,
                    lane,
                    start_us,
                    end_us: end_us.max(start_us),
                });
            }
        }
    }

    pub fn fate(&mut self, id: u32, fate: Fate) {
        if let Some(j) = self.get(id) {
            j.fate = fate;
        }
    }

    pub fn finish(self) -> Vec<Journey> {
        self.list
    }
}

/// A value over time, recorded when it changes.
pub struct Gauge {
    on: bool,
    points: Vec<Point>,
}

impl Gauge {
    pub fn new(on: bool) -> Self {
        Gauge {
            on,
            points: Vec::new(),
        }
    }

    pub fn set(&mut self, t_us: u64, value: u64) {
        if !self.on {
            return;
        }
        match self.points.last_mut() {
            Some(p) if p.value == value => {}
            Some(p) if p.t_us == t_us => p.value = value,
            _ => self.points.push(Point { t_us, value }),
        }
        if self.points.len() > 2 * MAX_POINTS {
            self.points = halve(&self.points);
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

/// Merges neighbours pairwise: the earlier time, the larger value (a peak must not vanish
/// from the chart because it was short).
fn halve(points: &[Point]) -> Vec<Point> {
    points
        .chunks(2)
        .map(|pair| Point {
            t_us: pair.first().map_or(0, |p| p.t_us),
            value: pair.iter().map(|p| p.value).max().unwrap_or(0),
        })
        .collect()
}

/// The whole number a finding's parameter starts with (defined beside `Finding`).
pub use crate::analyzer::leading_number;

/// Counts per fixed-width time bucket (attempts per second …), growing as time goes on.
pub struct Buckets {
    width_us: u64,
    counts: Vec<u64>,
    /// Buckets past this many are not kept (the run's horizon bounds it in practice).
    limit: usize,
}

impl Buckets {
    pub fn new(width_us: u64, limit: usize) -> Self {
        Buckets {
            width_us: width_us.max(1),
            counts: Vec::new(),
            limit,
        }
    }

    pub fn add(&mut self, t_us: u64) {
        let i = (t_us / self.width_us) as usize;
        if i >= self.limit {
            return;
        }
        if self.counts.len() <= i {
            self.counts.resize(i + 1, 0);
        }
        if let Some(c) = self.counts.get_mut(i) {
            *c += 1;
        }
    }

    pub fn peak(&self) -> u64 {
        self.counts.iter().copied().max().unwrap_or(0)
    }

    /// One point per bucket, at the bucket's start.
    pub fn points(&self) -> Vec<Point> {
        self.counts
            .iter()
            .enumerate()
            .map(|(i, &value)| Point {
                t_us: i as u64 * self.width_us,
                value,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_numbers() {
        assert_eq!(leading_number("600 s, the SDK default"), Some(600));
        assert_eq!(leading_number(" 30"), Some(30));
        assert_eq!(leading_number("2.5"), Some(2));
        assert_eq!(leading_number("1_000"), Some(1000));
        assert_eq!(leading_number("none"), None);
        assert_eq!(leading_number(""), None);
        assert_eq!(leading_number("99999999999999999999999"), None);
    }

    #[test]
    fn gauge_keeps_changes_and_peaks() {
        let mut g = Gauge::new(true);
        g.set(0, 1);
        g.set(5, 1);
        g.set(5, 2);
        g.set(9, 3);
        assert_eq!(
            g.finish(),
            [
                Point { t_us: 0, value: 1 },
                Point { t_us: 5, value: 2 },
                Point { t_us: 9, value: 3 }
            ]
        );
        let mut g = Gauge::new(true);
        for t in 0..5_000u64 {
            g.set(t, if t == 3_333 { 99 } else { t % 2 });
        }
        let points = g.finish();
        assert!(points.len() <= MAX_POINTS);
        assert_eq!(points.iter().map(|p| p.value).max(), Some(99));
        assert!(Gauge::new(false).finish().is_empty());
    }

    #[test]
    fn journal_is_bounded() {
        let mut j = Journal::new(true);
        for i in 0..100 {
            j.hop(2, Stage::Client, 0, i, i + 1);
        }
        j.hop(MAX_JOURNEYS as u32, Stage::Client, 0, 0, 1);
        j.fate(1, Fate::Failed);
        let list = j.finish();
        assert_eq!(list.len(), 3);
        assert_eq!(list[2].hops.len(), MAX_HOPS);
        assert_eq!(list[1].fate, Fate::Failed);
        let mut off = Journal::new(false);
        off.hop(0, Stage::Client, 0, 0, 1);
        assert!(off.finish().is_empty());
    }

    #[test]
    fn buckets_count_per_width() {
        let mut b = Buckets::new(1_000_000, 10);
        for t in [0, 10, 999_999, 1_000_000, 50_000_000] {
            b.add(t);
        }
        assert_eq!(b.peak(), 3);
        assert_eq!(b.points().len(), 2);
        assert_eq!(
            b.points()[1],
            Point {
                t_us: 1_000_000,
                value: 1
            }
        );
    }
}
