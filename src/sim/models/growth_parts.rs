//! A series recorder for the load-multiplier and growth models, whose gauges change hundreds
//! of thousands of times over runs from a second to two years.
//!
//! [`PeakSeries`] keeps at most [`MAX_POINTS`] buckets of equal width and doubles the width
//! (merging neighbours) when time outgrows them, so every point stands for the same span of
//! time and the chart's time axis stays true; each bucket keeps its peak, so a short spike
//! stays visible.

use crate::sim::model::Point;

/// Buckets a series keeps.
pub const MAX_POINTS: usize = 1_000;

/// The first bucket width; it doubles as the run goes on.
const FIRST_WIDTH_US: u64 = 1_000;

/// A gauge over time as equal-width buckets holding their peak, recorded only when `on`.
pub struct PeakSeries {
    on: bool,
    width_us: u64,
    peaks: Vec<u64>,
    /// The gauge's value since its last change (it holds between changes).
    last: u64,
}

impl PeakSeries {
    pub fn new(on: bool) -> PeakSeries {
        PeakSeries {
            on,
            width_us: FIRST_WIDTH_US,
            peaks: Vec::new(),
            last: 0,
        }
    }

    /// The gauge reads `value` from `t_us` on. Times must not go backwards.
    pub fn set(&mut self, t_us: u64, value: u64) {
        if !self.on {
            return;
        }
        let mut i = t_us / self.width_us;
        while i >= MAX_POINTS as u64 {
            self.peaks = self
                .peaks
                .chunks(2)
                .map(|pair| pair.iter().copied().max().unwrap_or(0))
                .collect();
            self.width_us = self.width_us.saturating_mul(2);
            i = t_us / self.width_us;
        }
        let i = i as usize;
        if self.peaks.len() <= i {
            self.peaks.resize(i + 1, self.last);
        }
        if let Some(p) = self.peaks.get_mut(i) {
            *p = (*p).max(value);
        }
        self.last = value;
    }

    /// One point per bucket, at the bucket's start.
    pub fn finish(self) -> Vec<Point> {
        let width = self.width_us;
        self.peaks
            .into_iter()
            .enumerate()
            .map(|(i, value)| Point {
                t_us: i as u64 * width,
                value,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_stay_equal_and_keep_peaks() {
        let mut s = PeakSeries::new(true);
        s.set(0, 1);
        s.set(2_500, 7);
        s.set(2_600, 2);
        s.set(5_000, 3);
        assert_eq!(
            s.finish().iter().map(|p| p.value).collect::<Vec<_>>(),
            [1, 1, 7, 2, 2, 3]
        );
        // A long run: still at most MAX_POINTS, evenly spaced, the spike kept, and a steady
        // climb still climbs from the first point (no late value moved to the start).
        let mut s = PeakSeries::new(true);
        for minute in 0..500_000u64 {
            let value = if minute == 123_457 {
                10_000_000
            } else {
                minute
            };
            s.set(minute * 60_000_000, value);
        }
        let points = s.finish();
        assert!(points.len() <= MAX_POINTS && points.len() > MAX_POINTS / 2);
        let width = points[1].t_us - points[0].t_us;
        assert!(points.windows(2).all(|w| w[1].t_us - w[0].t_us == width));
        assert!(points.iter().any(|p| p.value == 10_000_000));
        assert!(points[0].value < 1_000);
        assert!(PeakSeries::new(false).finish().is_empty());
    }
}
