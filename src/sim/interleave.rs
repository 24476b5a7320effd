//! The interleaving explorer: every order in which two or three concurrent requests can run
//! their statements, and which orders break.
//!
//! A request is a short sequence of the user's own statements, taken from a finding's
//! evidence (read, check, write, effect, each with its line and code), or a generic sequence
//! when the evidence lacks a step. Each interleaving keeps every request's program order; it is
//! run on the shared value (the seat's holder, the balance, the effects applied for one event),
//! and it breaks when it ends in the anomaly: two buyers told the same seat is theirs, a write
//! computed from a stale balance, an effect applied twice.
//!
//! The fixed variant replaces the check and the write by one indivisible conditional write
//! (`UPDATE … WHERE status = 'free'`, `… WHERE balance >= :x`), and for webhooks inserts the
//! event id atomically before the effect: no order breaks.
//!
//! Enumeration stops at [`MAX_INTERLEAVINGS`]; `capped` says so and `possible` gives the full
//! count.

use super::Variant;
use crate::analyzer::Evidence;
use serde::Serialize;

/// Interleavings enumerated and returned at most (three requests of three steps give 1,680).
pub const MAX_INTERLEAVINGS: usize = 2_000;
/// Steps kept per request; evidence beyond this is ignored.
const MAX_STEPS: usize = 6;

/// What a statement does to the shared value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A webhook delivery reaches the handler.
    Receive,
    /// Reads the shared value into the request.
    Read,
    /// Decides on the value the request read.
    Check,
    /// Writes a value computed from what the request read.
    Write,
    /// Applies a side effect (fulfil, credit, send).
    Effect,
    /// Fixed: checks and writes on the current value in one indivisible statement.
    ConditionalWrite,
    /// Fixed: inserts the event id if absent, in one indivisible statement.
    Claim,
}

/// One statement of a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub kind: StepKind,
    /// The user's line; 0 when the step is not in the user's code (generic or the fix).
    pub line: usize,
    pub code: String,
}

/// One request's statements.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequestSteps {
    /// "A", "B", "C".
    pub name: String,
    /// What the request wants, e.g. "withdraws $50", "holds the seat", "delivery 2 of evt_1".
    pub intent: String,
    pub steps: Vec<Step>,
}

/// One step taken in an interleaving.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Move {
    /// Index into [`Exploration::requests`].
    pub request: usize,
    /// Index into that request's steps.
    pub step: usize,
    /// The shared value after the step, e.g. "balance = 25", "holder = B".
    pub state: String,
}

/// One order of all the requests' steps and its result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InterleavingRun {
    pub moves: Vec<Move>,
    pub broken: bool,
    /// Why it breaks, or what it ends with when it does not.
    pub why: String,
}

/// All interleavings of one hazard's requests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Exploration {
    pub hazard: String,
    pub variant: Variant,
    pub requests: Vec<RequestSteps>,
    pub interleavings: Vec<InterleavingRun>,
    /// Broken interleavings among those enumerated.
    pub broken: usize,
    /// Interleavings enumerated.
    pub total: usize,
    /// Interleavings that exist (saturating).
    pub possible: u64,
    /// True when enumeration stopped before `possible`.
    pub capped: bool,
}

/// The shared value a hazard fights over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Subject {
    Seat,
    Balance,
    Webhook,
}

impl Subject {
    fn of(hazard: &str) -> Subject {
        match hazard {
            "lost-update" => Subject::Balance,
            "non-idempotent-webhook" => Subject::Webhook,
            _ => Subject::Seat,
        }
    }
}

/// The story's balance and withdrawals ($100; $50, $75, $50 …).
const BALANCE: u64 = 100;
const AMOUNTS: [u64; 2] = [50, 75];

/// Two concurrent requests of `hazard` (check-then-act, lost-update, non-idempotent-webhook;
/// any other id is explored as check-then-act).
pub fn explore(hazard: &str, evidence: &[Evidence], variant: Variant) -> Exploration {
    explore_requests(hazard, evidence, variant, 2)
}

/// Like [`explore`] with 2 or 3 requests (other counts are clamped).
pub fn explore_requests(
    hazard: &str,
    evidence: &[Evidence],
    variant: Variant,
    requests: usize,
) -> Exploration {
    let subject = Subject::of(hazard);
    let n = requests.clamp(2, 3);
    let steps = steps_for(subject, evidence, variant);
    let requests: Vec<RequestSteps> = (0..n)
        .map(|i| RequestSteps {
            name: name(i),
            intent: intent(subject, i),
            steps: steps.clone(),
        })
        .collect();
    let lens: Vec<usize> = requests.iter().map(|r| r.steps.len()).collect();
    let possible = multinomial(&lens);
    let mut orders: Vec<Vec<usize>> = Vec::new();
    let mut progress = vec![0usize; n];
    let mut order = Vec::new();
    enumerate(&lens, &mut progress, &mut order, &mut orders);
    let interleavings: Vec<InterleavingRun> =
        orders.iter().map(|o| run(subject, &requests, o)).collect();
    let broken = interleavings.iter().filter(|r| r.broken).count();
    let total = interleavings.len();
    Exploration {
        hazard: hazard.to_string(),
        variant,
        requests,
        interleavings,
        broken,
        total,
        possible,
        capped: (total as u64) < possible,
    }
}

fn name(i: usize) -> String {
    ["A", "B", "C"].get(i).copied().unwrap_or("?").to_string()
}

fn amount(i: usize) -> u64 {
    AMOUNTS.get(i % AMOUNTS.len()).copied().unwrap_or(50)
}

fn intent(subject: Subject, i: usize) -> String {
    match subject {
        Subject::Seat => "holds the seat".to_string(),
        Subject::Balance => format!("withdraws ${}", amount(i)),
        Subject::Webhook => format!("delivery {} of event evt_1", i + 1),
    }
}

fn user_step(kind: StepKind, e: &Evidence) -> Step {
    Step {
        kind,
        line: e.line,
        code: e.code.clone(),
    }
}

fn generic(kind: StepKind, code: &str) -> Step {
    Step {
        kind,
        line: 0,
        code: code.to_string(),
    }
}

fn find<'a>(evidence: &'a [Evidence], role: &str) -> Option<&'a Evidence> {
    evidence.iter().find(|e| e.role == role)
}

/// One request's statements, from the evidence where it has them.
fn steps_for(subject: Subject, evidence: &[Evidence], variant: Variant) -> Vec<Step> {
    let mut steps = match subject {
        Subject::Seat | Subject::Balance => {
            let (read_code, check_code, write_code, atomic) = if subject == Subject::Seat {
                (
                    "SELECT status FROM seats WHERE id = :seat",
                    "if status != 'free': refuse",
                    "UPDATE seats SET status = 'held', held_by = :user WHERE id = :seat",
                    "UPDATE seats SET status = 'held', held_by = :user WHERE id = :seat AND status = 'free'",
                )
            } else {
                (
                    "SELECT balance FROM accounts WHERE id = :id",
                    "if balance < amount: refuse",
                    "UPDATE accounts SET balance = :new_balance WHERE id = :id",
                    "UPDATE accounts SET balance = balance - :x WHERE id = :id AND balance >= :x",
                )
            };
            let read = find(evidence, "read")
                .map(|e| user_step(StepKind::Read, e))
                .unwrap_or_else(|| generic(StepKind::Read, read_code));
            let check = find(evidence, "check")
                .map(|e| user_step(StepKind::Check, e))
                .unwrap_or_else(|| generic(StepKind::Check, check_code));
            let write = find(evidence, "write");
            match variant {
                Variant::Naive => vec![
                    read,
                    check,
                    write
                        .map(|e| user_step(StepKind::Write, e))
                        .unwrap_or_else(|| generic(StepKind::Write, write_code)),
                ],
                Variant::Fixed => vec![
                    read,
                    Step {
                        kind: StepKind::ConditionalWrite,
                        line: write.map_or(0, |e| e.line),
                        code: atomic.to_string(),
                    },
                ],
            }
        }
        Subject::Webhook => {
            let receive = find(evidence, "handler")
                .map(|e| user_step(StepKind::Receive, e))
                .unwrap_or_else(|| generic(StepKind::Receive, "def handle_webhook(event):"));
            let effect = find(evidence, "effect");
            let effect_step = effect
                .map(|e| user_step(StepKind::Effect, e))
                .unwrap_or_else(|| generic(StepKind::Effect, "fulfil_order(event.order_id)"));
            match variant {
                Variant::Naive => vec![receive, effect_step],
                Variant::Fixed => vec![
                    receive,
                    Step {
                        kind: StepKind::Claim,
                        line: effect.map_or(0, |e| e.line),
                        code: "INSERT INTO processed_events (event_id) VALUES (:id) ON CONFLICT DO NOTHING"
                            .to_string(),
                    },
                    effect_step,
                ],
            }
        }
    };
    steps.truncate(MAX_STEPS);
    steps
}

/// Number of interleavings of sequences of these lengths: (Σn)! / Π(n!), saturating.
fn multinomial(lens: &[usize]) -> u64 {
    let mut result: u64 = 1;
    let mut placed: u64 = 0;
    for &len in lens {
        // Multiply by C(placed + len, len) one factor at a time; each partial product is a
        // binomial coefficient, so the division is exact.
        let mut c: u128 = 1;
        for k in 1..=len as u64 {
            c = c * (placed + k) as u128 / k as u128;
        }
        placed += len as u64;
        result = result.saturating_mul(c.min(u64::MAX as u128) as u64);
    }
    result
}

/// Depth-first over the next request to step, stopping at [`MAX_INTERLEAVINGS`].
fn enumerate(
    lens: &[usize],
    progress: &mut [usize],
    order: &mut Vec<usize>,
    out: &mut Vec<Vec<usize>>,
) {
    if out.len() >= MAX_INTERLEAVINGS {
        return;
    }
    let mut moved = false;
    for r in 0..lens.len() {
        let (Some(&done), Some(&len)) = (progress.get(r), lens.get(r)) else {
            continue;
        };
        if done < len {
            moved = true;
            if let Some(p) = progress.get_mut(r) {
                *p += 1;
            }
            order.push(r);
            enumerate(lens, progress, order, out);
            order.pop();
            if let Some(p) = progress.get_mut(r) {
                *p -= 1;
            }
        }
    }
    if !moved {
        out.push(order.clone());
    }
}

/// What one request holds while it runs.
#[derive(Clone, Copy, Default)]
struct Local {
    seen: Option<u64>,
    seen_version: u64,
    passed: bool,
    checked: bool,
    claimed: bool,
    succeeded: bool,
    lost_write: bool,
}

/// Runs one order of steps on the shared value.
fn run(subject: Subject, requests: &[RequestSteps], order: &[usize]) -> InterleavingRun {
    // Seat: holder index + 1 (0 = free); balance: dollars; webhook: effects applied.
    let mut value: u64 = match subject {
        Subject::Balance => BALANCE,
        _ => 0,
    };
    let mut version: u64 = 0;
    let mut claimed_id = false;
    let mut paid: u64 = 0;
    let mut locals = vec![Local::default(); requests.len()];
    let mut next = vec![0usize; requests.len()];
    let mut moves = Vec::with_capacity(order.len());
    for &r in order {
        let Some(step_index) = next.get(r).copied() else {
            continue;
        };
        if let Some(n) = next.get_mut(r) {
            *n += 1;
        }
        let Some(step) = requests.get(r).and_then(|q| q.steps.get(step_index)) else {
            continue;
        };
        let Some(me) = locals.get_mut(r) else {
            continue;
        };
        let want = amount(r);
        let fits = |v: u64| match subject {
            Subject::Seat => v == 0,
            _ => v >= want,
        };
        match step.kind {
            StepKind::Receive => {}
            StepKind::Read => {
                me.seen = Some(value);
                me.seen_version = version;
            }
            StepKind::Check => {
                me.checked = true;
                me.passed = me.seen.is_some_and(fits);
            }
            StepKind::Write => {
                // A write without a check before it still acts on what was read.
                let go = if me.checked {
                    me.passed
                } else {
                    me.seen.is_some_and(fits)
                };
                if go {
                    me.lost_write = version != me.seen_version;
                    value = match subject {
                        Subject::Seat => r as u64 + 1,
                        _ => me.seen.unwrap_or(value).saturating_sub(want),
                    };
                    version += 1;
                    paid += want;
                    me.succeeded = true;
                }
            }
            StepKind::ConditionalWrite => {
                if fits(value) {
                    value = match subject {
                        Subject::Seat => r as u64 + 1,
                        _ => value - want,
                    };
                    version += 1;
                    paid += want;
                    me.succeeded = true;
                }
            }
            StepKind::Claim => {
                if !claimed_id {
                    claimed_id = true;
                    me.claimed = true;
                }
            }
            StepKind::Effect => {
                let guarded = requests
                    .get(r)
                    .is_some_and(|q| q.steps.iter().any(|s| s.kind == StepKind::Claim));
                if !guarded || me.claimed {
                    value += 1;
                    me.succeeded = true;
                }
            }
        }
        moves.push(Move {
            request: r,
            step: step_index,
            state: state_text(subject, value, requests),
        });
    }
    let (broken, why) = verdict(subject, value, paid, &locals, requests);
    InterleavingRun { moves, broken, why }
}

fn state_text(subject: Subject, value: u64, requests: &[RequestSteps]) -> String {
    match subject {
        Subject::Seat => match value {
            0 => "holder = none".to_string(),
            v => format!("holder = {}", holder_name(v, requests)),
        },
        Subject::Balance => format!("balance = {value}"),
        Subject::Webhook => format!("effects applied = {value}"),
    }
}

fn holder_name(value: u64, requests: &[RequestSteps]) -> String {
    requests
        .get((value as usize).saturating_sub(1))
        .map_or_else(|| "?".to_string(), |q| q.name.clone())
}

fn names(locals: &[Local], requests: &[RequestSteps], pick: impl Fn(&Local) -> bool) -> String {
    let list: Vec<&str> = locals
        .iter()
        .zip(requests)
        .filter(|(l, _)| pick(l))
        .map(|(_, q)| q.name.as_str())
        .collect();
    match list.as_slice() {
        [] => "none".to_string(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn verdict(
    subject: Subject,
    value: u64,
    paid: u64,
    locals: &[Local],
    requests: &[RequestSteps],
) -> (bool, String) {
    let winners = locals.iter().filter(|l| l.succeeded).count();
    let who = names(locals, requests, |l| l.succeeded);
    match subject {
        Subject::Seat => {
            if winners > 1 {
                (
                    true,
                    format!(
                        "{who} each read the seat as free before the other's write and were all told it is theirs; it ends held by {}.",
                        holder_name(value, requests)
                    ),
                )
            } else {
                (
                    false,
                    format!("Only {who} holds the seat; the others were told it is taken."),
                )
            }
        }
        Subject::Balance => {
            let lost = names(locals, requests, |l| l.lost_write);
            if paid > BALANCE || locals.iter().any(|l| l.lost_write) {
                (
                    true,
                    format!(
                        "{lost} wrote a balance computed from a value read before another withdrawal, erasing it: {who} succeeded, ${paid} paid out from ${BALANCE}, balance = {value}."
                    ),
                )
            } else {
                (
                    false,
                    format!("{who} succeeded: ${paid} paid out, balance = {value}; the rest were refused."),
                )
            }
        }
        Subject::Webhook => {
            if value > 1 {
                (
                    true,
                    format!("The effect was applied {value} times for one event (by {who})."),
                )
            } else {
                (
                    false,
                    format!("The effect was applied once (by {who}); the other deliveries were acknowledged without it."),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(e: &Exploration) -> Vec<StepKind> {
        e.requests[0].steps.iter().map(|s| s.kind).collect()
    }

    #[test]
    fn check_then_act_two_requests() {
        let e = explore("check-then-act", &[], Variant::Naive);
        assert_eq!(
            kinds(&e),
            [StepKind::Read, StepKind::Check, StepKind::Write]
        );
        assert_eq!((e.total, e.possible, e.capped), (20, 20, false));
        // Only the two serial orders are safe.
        assert_eq!(e.broken, 18);
        let safe: Vec<&InterleavingRun> = e.interleavings.iter().filter(|r| !r.broken).collect();
        assert_eq!(safe.len(), 2);
        let first = &e.interleavings[0];
        assert!(!first.broken);
        assert_eq!(
            first.moves.last().map(|m| m.state.as_str()),
            Some("holder = A")
        );
        let broken = e.interleavings.iter().find(|r| r.broken).unwrap();
        assert!(broken.why.contains("A and B"), "{}", broken.why);
        let fixed = explore("check-then-act", &[], Variant::Fixed);
        assert_eq!((fixed.total, fixed.broken), (6, 0));
    }

    #[test]
    fn lost_update_50_and_75_from_100() {
        let e = explore("lost-update", &[], Variant::Naive);
        assert_eq!(e.requests[1].intent, "withdraws $75");
        assert_eq!((e.total, e.broken), (20, 18));
        // A reads, B reads, A checks, B checks, A writes 50, B writes 25.
        let order = [0, 1, 0, 1, 0, 1];
        let run = e
            .interleavings
            .iter()
            .find(|r| r.moves.iter().map(|m| m.request).eq(order))
            .unwrap();
        assert!(run.broken);
        let states: Vec<&str> = run.moves.iter().map(|m| m.state.as_str()).collect();
        assert_eq!(states[4], "balance = 50");
        assert_eq!(states[5], "balance = 25");
        assert!(run.why.contains("$125 paid out from $100"), "{}", run.why);
        let fixed = explore("lost-update", &[], Variant::Fixed);
        assert_eq!((fixed.total, fixed.broken), (6, 0));
        // Exactly one withdrawal goes through in every order.
        assert!(fixed
            .interleavings
            .iter()
            .all(|r| !r.why.contains(" and ") && r.why.contains("succeeded")));
    }

    #[test]
    fn webhook_deliveries() {
        let e = explore("non-idempotent-webhook", &[], Variant::Naive);
        assert_eq!(kinds(&e), [StepKind::Receive, StepKind::Effect]);
        // No check at all: every order applies the effect twice.
        assert_eq!((e.total, e.broken), (6, 6));
        let fixed = explore("non-idempotent-webhook", &[], Variant::Fixed);
        assert_eq!((fixed.total, fixed.broken), (20, 0));
        assert!(fixed
            .interleavings
            .iter()
            .all(|r| r.moves.last().map(|m| m.state.as_str()) == Some("effects applied = 1")));
    }

    #[test]
    fn three_requests() {
        let e = explore_requests("lost-update", &[], Variant::Naive, 3);
        assert_eq!((e.total, e.possible, e.capped), (1680, 1680, false));
        assert_eq!(e.requests[2].intent, "withdraws $50");
        // $50, $75, $50 on $100: only 60 orders (near-serial ones) stay correct.
        assert_eq!(e.broken, 1620);
        for hazard in ["check-then-act", "lost-update", "non-idempotent-webhook"] {
            let f = explore_requests(hazard, &[], Variant::Fixed, 3);
            assert_eq!(f.broken, 0, "{hazard}");
            assert!(f.total > 0);
        }
        // Clamped to 3.
        assert_eq!(
            explore_requests("lost-update", &[], Variant::Fixed, 99)
                .requests
                .len(),
            3
        );
    }

    #[test]
    fn long_sequences_are_capped() {
        let lens = [6, 6, 6];
        assert_eq!(multinomial(&lens), 17_153_136);
        let mut out = Vec::new();
        enumerate(&lens, &mut [0, 0, 0], &mut Vec::new(), &mut out);
        assert_eq!(out.len(), MAX_INTERLEAVINGS);
        assert!(out.iter().all(|o| o.len() == 18));
    }

    #[test]
    fn steps_carry_the_users_lines() {
        let src = include_str!("../scenarios/seat_booking/naive.py");
        let analysis = crate::analyzer::analyze(src, None).unwrap();
        let finding = analysis
            .findings
            .iter()
            .find(|f| f.hazard == "check-then-act")
            .unwrap();
        let e = explore("check-then-act", &finding.evidence, Variant::Naive);
        let lines: Vec<usize> = e.requests[0].steps.iter().map(|s| s.line).collect();
        assert_eq!(lines, [12, 16, 19]);
        assert_eq!(lines.last(), Some(&19));
        assert!(e.requests[0].steps[0].code.contains("fetchrow"));
        assert_eq!((e.total, e.broken), (20, 18));
        let fixed = explore("check-then-act", &finding.evidence, Variant::Fixed);
        assert_eq!(fixed.requests[0].steps[1].line, 19);
        assert_eq!(fixed.broken, 0);
        assert!(serde_json::to_string(&e).unwrap().contains("\"line\":19"));
    }
}
