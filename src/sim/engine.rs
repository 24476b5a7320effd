//! The discrete-event core: a virtual clock and a queue of future events.
//!
//! Events at the same instant come out in the order they were scheduled, which (with a seeded
//! RNG) makes every run reproducible.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

struct Entry<E> {
    time_us: u64,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time_us == other.time_us && self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    // BinaryHeap is a max-heap: reverse so the earliest (then first scheduled) pops first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time_us, other.seq).cmp(&(self.time_us, self.seq))
    }
}

/// A virtual clock plus the pending events.
pub struct EventQueue<E> {
    now_us: u64,
    seq: u64,
    processed: u64,
    heap: BinaryHeap<Entry<E>>,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        EventQueue {
            now_us: 0,
            seq: 0,
            processed: 0,
            heap: BinaryHeap::new(),
        }
    }

    /// Current virtual time in microseconds.
    pub fn now(&self) -> u64 {
        self.now_us
    }

    /// Events popped so far.
    pub fn processed(&self) -> u64 {
        self.processed
    }

    /// Schedules `event` to happen `delay_us` after now.
    pub fn schedule(&mut self, delay_us: u64, event: E) {
        self.schedule_at(self.now_us.saturating_add(delay_us), event);
    }

    /// Schedules `event` at an absolute time (never earlier than now).
    pub fn schedule_at(&mut self, time_us: u64, event: E) {
        let time_us = time_us.max(self.now_us);
        self.seq += 1;
        self.heap.push(Entry {
            time_us,
            seq: self.seq,
            event,
        });
    }

    /// Advances the clock to the next event and returns it.
    pub fn pop(&mut self) -> Option<E> {
        let entry = self.heap.pop()?;
        self.now_us = entry.time_us;
        self.processed += 1;
        Some(entry.event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_then_insertion_order() {
        let mut q = EventQueue::new();
        q.schedule(30, "c");
        q.schedule(10, "a");
        q.schedule(10, "b");
        assert_eq!(q.pop(), Some("a"));
        assert_eq!(q.now(), 10);
        q.schedule(0, "now");
        assert_eq!(q.pop(), Some("b"));
        assert_eq!(q.pop(), Some("now"));
        assert_eq!(q.pop(), Some("c"));
        assert_eq!(q.now(), 30);
        assert_eq!(q.pop(), None);
        assert_eq!(q.processed(), 4);
    }

    #[test]
    fn never_schedules_in_the_past() {
        let mut q = EventQueue::new();
        q.schedule(50, 1);
        q.pop();
        q.schedule_at(10, 2);
        q.pop();
        assert_eq!(q.now(), 50);
    }
}
