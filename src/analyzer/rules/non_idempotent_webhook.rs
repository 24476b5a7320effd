//! # non-idempotent-webhook
//!
//! ## What it does
//! Flags a webhook handler (a route or function named for webhooks / Stripe / GitHub / hooks,
//! or one that verifies a signature with `stripe.Webhook.construct_event` /
//! `stripe.webhooks.constructEvent` / stripe-go `webhook.ConstructEvent` / stripe-java
//! `Webhook.constructEvent`, or reads a `Stripe-Signature` / `X-Hub-Signature` header; Go
//! handlers and closures registered on a webhook path, Spring `@PostMapping("/webhooks/…")`
//! methods) that applies effects (database writes, emails, charges,
//! fulfilment, credits) without first deduplicating the event id: no lookup or insert of
//! `event.id` into a processed-events table with a unique constraint, no
//! `ON CONFLICT (event_id) DO NOTHING`, no Redis `SET … NX` on the id, no idempotency key.
//!
//! ## Why is this bad at scale
//! Providers deliver at least once: Stripe, GitHub and Shopify retry when your answer is slow
//! or lost, and sometimes send the same event twice in parallel. Each delivery runs the
//! effects again: two orders fulfilled, two welcome emails, a balance credited twice. At low
//! volume it happens once a month; at scale it is a daily support ticket.
//!
//! ## Example
//! ```python
//! @app.post("/webhooks/stripe")
//! async def stripe_webhook(request: Request):
//!     event = stripe.Webhook.construct_event(await request.body(), sig, secret)
//!     if event["type"] == "checkout.session.completed":
//!         order = Order(user_id=..., amount=...)
//!         db.add(order)
//!         db.commit()
//!         send_receipt(order)
//! ```
//!
//! ## Use instead
//! Record the event id under a unique constraint first, and skip it if it is already there:
//! ```python
//! inserted = db.execute(text(
//!     "INSERT INTO processed_events (id) VALUES (:id) ON CONFLICT (id) DO NOTHING RETURNING id"),
//!     {"id": event["id"]}).first()
//! if inserted is None:
//!     return {"status": "duplicate"}
//! ```
//! (in the same transaction as the effects), or `SET webhook:<event id> 1 NX EX 86400` in Redis.
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java.

use super::process_state::{class_annotations, fn_text};
use super::queries::mentions;
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{Call, Function};
use crate::analyzer::find;
use crate::analyzer::find::Has;
use crate::analyzer::{Finding, Language, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "non-idempotent-webhook";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Webhook handler without event deduplication",
    what_it_does: "Flags a webhook handler (route or function named for webhooks / Stripe / GitHub / hooks, or one that verifies a signature with construct_event / constructEvent / webhook.ConstructEvent, in Python, JavaScript, TypeScript, Go handlers and Spring controllers) that writes to the database, sends email, charges or fulfils without first deduplicating the event id (processed-events table with a unique constraint, ON CONFLICT (event_id) DO NOTHING, Redis SET NX / setIfAbsent on the id, a unique-violation catch, an idempotency key).",
    why_bad_at_scale: "Providers deliver at least once: Stripe, GitHub and Shopify retry when the answer is slow or lost, and sometimes deliver the same event twice in parallel. Each delivery runs the effects again: two orders fulfilled, two emails, a balance credited twice.",
    example: "@app.post(\"/webhooks/stripe\")\nasync def stripe_webhook(request: Request):\n    event = stripe.Webhook.construct_event(await request.body(), sig, secret)\n    if event[\"type\"] == \"checkout.session.completed\":\n        order = Order(user_id=..., amount=...)\n        db.add(order)\n        db.commit()\n        send_receipt(order)",
    use_instead: "inserted = db.execute(text(\n    \"INSERT INTO processed_events (id) VALUES (:id) ON CONFLICT (id) DO NOTHING RETURNING id\"),\n    {\"id\": event[\"id\"]}).first()\nif inserted is None:\n    return {\"status\": \"duplicate\"}\n\nin the same transaction as the effects; or SET webhook:<event id> 1 NX EX 86400 in Redis.",
    languages: &["python", "javascript", "typescript", "go", "java"],
};

fn webhook_fn(cx: &Ctx, f: &Function) -> bool {
    let named = |s: &str| {
        let s = s.to_ascii_lowercase();
        s.has("webhook")
            || s.has("stripe")
            || s.has("/hook")
            || s.has("_hook")
            || s.has("github")
            || s.has("shopify")
            || s.has("paddle")
            || s.has("lemonsqueezy")
            || s.has("twilio")
            || s.has("razorpay")
    };
    if named(&f.name) || f.decorators.iter().any(|d| named(d)) {
        return true;
    }
    // A Java handler in a webhook controller: `@RequestMapping("/hooks/lab") public class
    // LabResultWebhookController { @PostMapping("/results") … }`.
    if cx.language == Language::Java && f.is_handler() {
        let head = cx.source.get(..f.loc.start).unwrap_or("");
        // Its annotations, not the comments above them, and its declaration.
        let annotations: String = class_annotations(cx.source, f.loc.start)
            .lines()
            .map(str::trim_start)
            .filter(|l| l.starts_with('@'))
            .collect();
        let declaration = head.rfind("class ").map_or("", |ci| {
            let end = head[ci..].find('{').map_or(head.len(), |e| ci + e);
            &head[ci..end]
        });
        if named(&annotations) || named(declaration) {
            return true;
        }
    }
    // A Go method of a webhook type: `func (h *WebhookHandler) DeliveryCompleted(…)`.
    if cx.language == Language::Go {
        let decl = cx.lines.line_text(f.loc.span.start_line).trim_start();
        if let Some(receiver) = decl
            .strip_prefix("func (")
            .and_then(|r| r.split(')').next())
        {
            if named(receiver) {
                return true;
            }
        }
    }
    // A handler documented with the webhook route it serves: `// POST
    // /hooks/haulier/delivery-completed`.
    if f.is_handler() {
        let doc = cx.comment_above(f.loc.span.start_line).to_ascii_lowercase();
        if doc.has("post /") && (doc.has("/hooks/") || doc.has("/webhooks/")) {
            return true;
        }
    }
    // A Go / Express closure registered on a webhook path: `r.POST("/webhooks/stripe", func…`.
    if f.name.starts_with("callback of ") && named(cx.lines.line_text(f.loc.span.start_line)) {
        return true;
    }
    let t = fn_text(cx, f);
    // A Next.js route file whose path or comment says webhook.
    if matches!(f.name.as_str(), "POST" | "PUT") && find::has(cx.lower(), "webhook") {
        return true;
    }
    let t = t.to_ascii_lowercase();
    // A handler that takes an event a sender pushes and, by the snippet's own words on the 40
    // lines above it, retries ("The VTS retries until it receives a 2xx", "delivered at least
    // once").
    if f.is_handler() && t.has("event") && {
        let from = cx
            .lines
            .line_start(f.loc.span.start_line.saturating_sub(40).max(1))
            .unwrap_or(0);
        says_sender_retries(cx.lower().get(from..f.loc.end).unwrap_or(""))
    } {
        return true;
    }
    // stripe-python `construct_event`, stripe-node / stripe-java `constructEvent`, stripe-go
    // `webhook.ConstructEvent`; signature headers.
    t.has("construct_event")
        || t.has("constructevent")
        // Any provider's signature header (`X-Signature`, `x-parcelhop-signature`,
        // `X-DockLink-Signature`) is checked on deliveries a sender pushes and retries.
        || t.has("-signature")
        || t.has("x-shopify-hmac")
}

/// The snippet says its sender delivers again until it gets an answer.
fn says_sender_retries(lower: &str) -> bool {
    [
        "retries until",
        "at least once",
        "at-least-once",
        "retries on any",
        "retries the delivery",
        "retries delivery",
    ]
    .iter()
    .any(|k| lower.has(k))
}

/// Signs that the handler deduplicates deliveries.
fn deduplicates(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [
        "idempot",
        "processed_event",
        "processedevent",
        "processed_webhook",
        "webhook_event",
        "webhookevent",
        "processed_stripe",
        "processedstripe",
        "get_or_create",
        "nx=true",
        "\"nx\"",
        "'nx'",
        "setnx",
        "nx: true",
        "already processed",
        "already_processed",
        "alreadyprocessed",
        "p2002",
        "integrityerror",
        "uniqueconstraint",
        "unique_violation",
        "duplicate",
        "seen_events",
        "event_exists",
        "is_processed",
        "isprocessed",
        // Java / Go spellings.
        "dataintegrityviolation",
        "setifabsent",
        "byeventid",
        "23505",
        "uniqueviolation",
    ]
    .iter()
    .any(|w| t.has(w))
        || ignored_insert_decides(&t)
}

/// `INSERT … ON CONFLICT DO NOTHING` (or `INSERT IGNORE`, `ON DUPLICATE KEY`) deduplicates when
/// it is keyed by the event or its outcome is read (`RETURNING`, rows affected) before the
/// effects run; an enrolment upserted quietly while the payout below it runs on every
/// redelivery does not.
fn ignored_insert_decides(t: &str) -> bool {
    let markers = [
        "on conflict",
        "onconflict",
        "on duplicate key",
        "insert ignore",
    ];
    let Some(at) = markers.iter().filter_map(|m| t.find(m)).min() else {
        return false;
    };
    let near: String = t[at..].chars().take(60).collect();
    // `int recorded = jdbc.update("… ON CONFLICT (pos_txn_id) DO NOTHING", …); if (recorded
    // == 0) return …`: the count of the insert, tested just after it.
    let after: String = t[at..].chars().take(400).collect();
    let count_tested = ["== 0", "=== 0", "!= 1", "!== 1", "< 1"]
        .iter()
        .any(|k| after.has(k));
    near.has("event")
        || count_tested
        || [
            "returning",
            "rowsaffected",
            "rowcount",
            "affectedrows",
            "rows_affected",
            "changes",
        ]
        .iter()
        .any(|k| t.has(k))
}

/// What effect a call applies, if any.
fn effect(c: &Call) -> Option<&'static str> {
    let m = c.method.to_ascii_lowercase();
    let r = c.receiver.to_ascii_lowercase();
    let response = ["res", "response", "reply", "ctx", "socket", "ws", "c"].contains(&r.as_str());
    if response {
        return None;
    }
    let args = c.args_text().to_ascii_lowercase();
    let dbish = r.has("db")
        || r.has("session")
        || r.has("objects")
        || r.has("prisma")
        || r.has("repo")
        || r.has("model")
        || r.has("collection")
        || r.has("knex")
        || r.has("pool")
        || r.has("client")
        || r.has("conn")
        || r.has("cursor")
        || c.receiver
            .chars()
            .next()
            .is_some_and(|ch| ch.is_ascii_uppercase());
    Some(match m.as_str() {
        "execute" | "query" | "run" | "exec" | "execcontext" | "executeupdate" | "update"
            if args.has("insert") || args.has("update ") =>
        {
            "a database write"
        }
        "save" | "saveandflush" | "saveall" | "insert" | "insert_one" | "insertone"
        | "insertmany" | "bulk_create" | "createmany" | "upsert" | "persist" => "a database write",
        // bun `tx.NewInsert()…`, Objection `.patch({…})`, JDBC `prepareStatement("UPDATE …")`
        // then `executeUpdate()`, Peewee `Model.update(…).execute()`.
        "newinsert" | "newupdate" | "newdelete" | "patch" | "patchandfetchbyid"
        | "executeupdate" | "executebatch" => "a database write",
        "preparestatement" | "prepare"
            if args.has("insert ") || args.has("update ") || args.has("delete ") =>
        {
            "a database write"
        }
        "execute" if r.has(".update(") || r.has(".insert(") || r.has(".delete(") => {
            "a database write"
        }
        "create" | "update" | "update_one" | "updateone" | "increment" | "add" | "commit"
            if dbish =>
        {
            "a database write"
        }
        "send_mail" | "sendmail" | "send_email" | "sendemail" | "send_receipt" | "sendreceipt"
        | "send_welcome_email" => "an email",
        "send" if r.has("mail") || r.has("sgmail") || r.has("resend") => "an email",
        _ if m.starts_with("send") && (m.has("email") || m.has("receipt") || m.has("invoice")) => {
            "an email"
        }
        _ if m.starts_with("fulfill")
            || m.starts_with("fulfil")
            || m.starts_with("provision")
            || m.starts_with("grant")
            || m.starts_with("credit")
            || m.starts_with("ship")
            || m.starts_with("activate")
            || m.starts_with("upgrade")
            // Domain services: `credits.addCredits(…)`, `subscriptions.extendPeriod(…)`.
            || [
                "addcredit", "addpoint", "addbalance", "addfunds", "extend", "renew", "award",
                "deduct", "topup", "markpaid", "markcancel", "enroll",
            ]
            .iter()
            .any(|p| m.starts_with(p)) =>
        {
            "fulfilment"
        }
        _ if m.starts_with("charge")
            || m == "refund"
            || (r.has("stripe")
                && m == "create"
                && (r.has("charge")
                    || r.has("payment")
                    || r.has("refund")
                    || r.has("transfer"))) =>
        {
            "a charge"
        }
        _ => return None,
    })
}

/// Effects of the snippet's functions that webhook function `i` calls by name or reaches
/// through a module-level table of handlers it indexes.
fn helper_effects<'a>(cx: &'a Ctx, i: usize) -> Vec<(&'a Call, &'static str)> {
    let fns = &cx.program.functions;
    let f = &fns[i];
    let text = fn_text(cx, f);
    let tables: Vec<&str> = cx
        .program
        .globals()
        .iter()
        .filter(|a| {
            a.names.len() == 1
                && (text.has(&format!("{}.get(", a.names[0]))
                    || text.has(&format!("{}[", a.names[0])))
        })
        .map(|a| a.value.as_str())
        .collect();
    fns.iter()
        .enumerate()
        .skip(1)
        .filter(|(j, g)| {
            *j != i
                && !g.name.is_empty()
                && (f.calls.iter().any(|c| c.method == g.name)
                    || tables.iter().any(|t| mentions(t, &g.name)))
        })
        .map(|(_, g)| g)
        .collect::<Vec<_>>()
        .into_iter()
        // A helper that records the event id first (`processor.process(event)`) is the fix.
        .try_fold(Vec::new(), |mut acc, g| {
            if deduplicates(fn_text(cx, g)) {
                return None;
            }
            acc.extend(g.calls.iter().filter_map(|c| effect(c).map(|e| (c, e))));
            Some(acc)
        })
        .unwrap_or_default()
}

fn in_function(fns: &[Function], mut i: usize, root: usize) -> bool {
    for _ in 0..32 {
        if i == root {
            return true;
        }
        match fns[i].parent {
            Some(p) => i = p,
            None => return false,
        }
    }
    false
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let fns = &cx.program.functions;
    let mut flagged: Vec<usize> = Vec::new();
    for (i, f) in fns.iter().enumerate().skip(1) {
        if !webhook_fn(cx, f) || !f.is_handler() && !f.name.to_ascii_lowercase().has("webhook") {
            continue;
        }
        // An enclosing webhook function already reported covers this one.
        if flagged.iter().any(|&o| in_function(fns, i, o)) {
            continue;
        }
        let text = fn_text(cx, f);
        if deduplicates(text) {
            continue;
        }
        // Effects in the function and in callbacks nested in it.
        let effects: Vec<(&Call, &str)> = fns
            .iter()
            .enumerate()
            .filter(|(j, _)| in_function(fns, *j, i))
            .flat_map(|(_, g)| g.calls.iter())
            .filter_map(|c| effect(c).map(|e| (c, e)))
            .collect();
        // One level into the snippet's own helpers: `handle_invoice_paid(obj)`, and the
        // functions of a dispatch table the handler indexes (`HANDLERS.get(event["type"])`).
        let effects = if effects.is_empty() {
            helper_effects(cx, i)
        } else {
            effects
        };
        let Some(&(first, kind)) = effects.iter().min_by_key(|(c, _)| c.loc.start) else {
            continue;
        };
        flagged.push(i);
        let line = f.loc.span.start_line;
        let mut kinds: Vec<&str> = effects.iter().map(|(_, k)| *k).collect();
        kinds.dedup();
        kinds.sort();
        kinds.dedup();
        let mut params = BTreeMap::new();
        params.insert("handler".to_string(), f.name.clone());
        params.insert("effects".to_string(), effects.len().to_string());
        params.insert(
            "first_effect_line".to_string(),
            first.loc.span.start_line.to_string(),
        );
        let who = match f.name.strip_prefix("callback of ") {
            Some(reg) if reg.len() <= 40 => format!("passed to `{reg}`"),
            _ => format!("`{}`", f.name),
        };
        let message = format!(
            "Webhook handler {who} (line {line}) applies {kind} with `{}` at line {}{} without recording the event id first: a redelivered or concurrent duplicate event runs them again.",
            first.callee,
            first.loc.span.start_line,
            if effects.len() > 1 {
                format!(" ({} effect calls in all: {})", effects.len(), kinds.join(", "))
            } else {
                String::new()
            }
        );
        let fix = "Insert the event id into a `processed_events` table with a unique constraint (`INSERT … ON CONFLICT (event_id) DO NOTHING`) in the same transaction as the effects, and return 200 early when it was already there; or `SET webhook:<event id> 1 NX EX 86400` in Redis.".to_string();
        let evidence = vec![
            cx.evidence(&f.loc, "handler"),
            cx.evidence(&first.loc, "effect"),
        ];
        out.push(finding(
            ID,
            Severity::Error,
            &f.loc,
            message,
            fix,
            evidence,
            params,
        ));
    }
}
