//! # per-user-cache-key
//!
//! ## What it does
//! Flags a cache entry (Redis, memcached, Django's cache, node-cache, a dict or a Go `sync.Map`
//! used as a cache) whose key contains the user or session id
//! (`f"dashboard:{request.user.id}:{metric}"`) while the cached value is computed the same way for
//! everyone: the query or call that produces it never uses the user (no `WHERE user_id = …`, no
//! `filter(owner=request.user)`, no auth token passed on). Silent when the computation does use the
//! user, and for keys made of the query or metric only. Reads go-redis
//! (`rdb.Set(ctx, fmt.Sprintf("dash:%s", userID), b, ttl)`, with `Scan(&rows)` /
//! `SelectContext(ctx, &rows, …)` out-parameters), Spring `RedisTemplate.opsForValue()`, Caffeine
//! and cache-manager the same way, and Spring `@Cacheable(key = "#userId + ':revenue'")` (or a user
//! parameter as the default key) on a method whose query never uses the user, and Next.js
//! `unstable_cache(fn, [..., userId])` whose function never sees the user. A value computed only
//! from the user's group (`user.orgId()`, `request.user.org_id`) is the same for the whole group: a
//! key per user still splits it.
//!
//! ## Why is this bad at scale
//! Every user gets a private copy of the same value. 155 users × 4 metrics is 620 entries of
//! the same "monthly revenue trend", each computed once per user per TTL: the hit ratio stays
//! near zero while the database does the expensive aggregate again for every new user, and
//! the cache's memory grows with the user count instead of the number of distinct values.
//!
//! ## Example
//! ```python
//! key = f"dashboard:{request.user.id}:{metric}"
//! data = cache.get(key)
//! if data is None:
//!     data = Order.objects.values("month").annotate(total=Sum("amount"))
//!     cache.set(key, list(data), 900)
//! ```
//!
//! ## Use instead
//! Key the entry by what the value depends on, so all users share one entry:
//! ```python
//! key = f"dashboard:{metric}"
//! ```
//! If part of the value is per user (permissions, a greeting), cache the shared part under a
//! shared key and add the per-user part after the cache lookup.
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java.

use super::cache_calls::{
    cache_ops, cache_receiver, expensive, hands_loader, incidental, key_index, local_function, ttl,
    CacheKind, CacheOp,
};
use super::process_state::fn_text;
use super::queries::{code_parts, mentions};
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{Call, Function, Loc};
use crate::analyzer::find::Has;
use crate::analyzer::{Finding, Language, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "per-user-cache-key";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Cache keyed by user for data that is the same for everyone",
    what_it_does: "Flags a cache entry (Redis, memcached, Django cache, node-cache, a dict or Go sync.Map used as a cache) whose key contains the user or session id while the cached value is computed the same way for everyone: the query or call producing it never uses the user. Also Spring @Cacheable whose key (or default parameter key) holds the user id, and Next.js unstable_cache key parts holding the user. A value computed only from the user's organisation is shared by the organisation, so a per-user key still splits it. Silent when the computation uses the user (a user filter, the user's token) and for keys made of the query or metric only.",
    why_bad_at_scale: "Every user gets a private copy of the same value. 155 users × 4 metrics is 620 entries of the same \"monthly revenue trend\", each computed once per user per TTL: the hit ratio stays near zero, the database runs the expensive aggregate again for every new user, and cache memory grows with the user count instead of the number of distinct values.",
    example: "key = f\"dashboard:{request.user.id}:{metric}\"\ndata = cache.get(key)\nif data is None:\n    data = Order.objects.values(\"month\").annotate(total=Sum(\"amount\"))\n    cache.set(key, list(data), 900)",
    use_instead: "key = f\"dashboard:{metric}\"  # what the value depends on: one entry shared by all users\n\nIf part of the value is per user, cache the shared part under a shared key and add the per-user part after the lookup.",
    languages: &["python", "javascript", "typescript", "go", "java"],
};

/// A segment that names a user or a session: `user`, `user_id`, `userId`, `current_user`,
/// `uid`, `session_id`, `sessionId`, `viewer`.
fn user_segment(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    let s = s.trim_start_matches('$');
    matches!(
        s,
        "user" | "uid" | "sid" | "me" | "viewer" | "viewer_id" | "viewerid" | "principal"
    ) || (s.starts_with("user")
        && !s.starts_with("users")
        && !s.starts_with("useragent")
        && !s.starts_with("user_agent"))
        || s.ends_with("user")
        || s.ends_with("userid")
        || s.ends_with("user_id")
        // (A count of `sessions` is not the caller's session.)
        || s.starts_with("session") && !s.starts_with("sessions")
        || s.ends_with("sessionid")
        || s.ends_with("session_id")
        || person_segment(s)
}

/// A field naming the group a user belongs to (`orgId`, `workspace_id`, `tenant`, `teamId`).
fn group_segment(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    [
        "org",
        "workspace",
        "tenant",
        "team",
        "account",
        "company",
        "store",
        "shop",
        "clinic",
        "school",
        "society",
        "club",
        "association",
        "league",
        // Where the user is: everyone in the county sees the same callouts.
        "county",
        "region",
        "district",
        "parish",
        "city",
        "country",
        "locale",
    ]
    .iter()
    .any(|g| s.starts_with(g))
}

/// The people a product calls its users: `learner`, `customerId`, `player_id`.
fn person_segment(s: &str) -> bool {
    let base = s
        .strip_suffix("_id")
        .or_else(|| s.strip_suffix("id"))
        .unwrap_or(s);
    // `viewerMemberId`, `requesting_customer_id`: a person named with a qualifier.
    let base = match base.rfind('_') {
        Some(i) if i + 1 < base.len() => &base[i + 1..],
        _ => ["viewer", "requesting", "current", "logged", "signed"]
            .iter()
            .find_map(|q| base.strip_prefix(q).filter(|r| r.len() > 3))
            .unwrap_or(base),
    };
    // `ticketHolderId`, `cardholder_id`, `account_holder`: the person who holds it.
    if base.ends_with("holder") {
        return true;
    }
    matches!(
        base,
        "learner"
            | "student"
            | "member"
            | "customer"
            | "player"
            | "patient"
            | "buyer"
            | "shopper"
            | "subscriber"
            | "visitor"
            | "rider"
            | "passenger"
            | "guest"
            | "listener"
            | "reader"
            | "owner"
            | "employee"
            | "driver"
            | "volunteer"
            | "borrower"
            | "renter"
            | "forager"
            | "applicant"
            | "attendee"
            | "participant"
            | "requester"
            | "donor"
            | "athlete"
            | "climber"
            | "hiker"
            | "angler"
            | "traveller"
            | "traveler"
            | "teacher"
            | "tutor"
            | "coach"
            | "parent"
            | "resident"
            | "citizen"
            | "voter"
            | "musician"
            | "observer"
            | "beekeeper"
            | "trader"
            | "diver"
    )
}

/// Dotted identifier chains in code text: `request.user.id`, `user_id`.
fn chains(code: &str) -> Vec<String> {
    code.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '.'))
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty() && !w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

/// For each user-ish chain of a key, the prefix up to its first user segment
/// (`request.user.id` → `request.user`, `user_id` → `user_id`) and the chain itself.
pub(crate) fn user_tokens(key_expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    for ch in chains(&code_parts(key_expr)) {
        let segs: Vec<&str> = ch.split('.').collect();
        if let Some(i) = segs.iter().position(|s| user_segment(s)) {
            // `me.workspaceId`, `request.user.org_id`: the user's tenant, shared by everyone in it.
            if segs[i + 1..].iter().any(|s| group_segment(s)) {
                continue;
            }
            for t in [segs[..=i].join("."), ch.clone()] {
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
    }
    out
}

/// The parameters that hold the caller, whatever they are called: FastAPI's `aud: Audiologist =
/// Depends(current_audiologist)`, Spring's `@AuthenticationPrincipal Staff me`.
fn caller_params(cx: &Ctx, f: &Function) -> Vec<String> {
    let text = cx.text(&f.loc);
    // The signature, over several lines if it runs on (`seating(@PathVariable long id,\n
    // @AuthenticationPrincipal ChoirAccount account) {`).
    let header = if cx.language == Language::Python {
        text.find(['{', '\n']).map_or(text, |i| {
            &text[..i.max(text.find("):").map_or(0, |j| j + 2))]
        })
    } else {
        // The body's `{`, after the parameter list: not a `{` of a route in an annotation
        // (`@GetMapping("/{concertId}/seating")`).
        text.match_indices('{')
            .map(|(i, _)| &text[..i])
            .find(|before| {
                before.contains(')')
                    && !before
                        .rsplit(')')
                        .next()
                        .is_some_and(|tail| tail.contains(['"', '(', '\'']))
            })
            .unwrap_or(text)
    };
    f.params
        .iter()
        .filter(|p| {
            header.match_indices(p.as_str()).any(|(i, _)| {
                let after = header[i + p.len()..].split(',').next().unwrap_or("");
                let before = header[..i].rsplit([',', '(']).next().unwrap_or("");
                [
                    "Depends(current",
                    "Depends(get_current",
                    "Security(get_current",
                ]
                .iter()
                .any(|k| after.has(k))
                    || ["@AuthenticationPrincipal", "@CurrentUser"]
                        .iter()
                        .any(|k| before.has(k))
            })
        })
        .cloned()
        .collect()
}

/// Locals that hold the signed-in caller, whatever they are called: `ringer :=
/// currentRinger(r)`, `me = get_current_member(request)`, `const steward = await
/// getCurrentSteward()`.
fn caller_objects(f: &Function) -> impl Iterator<Item = String> + '_ {
    f.assigns
        .iter()
        // The caller as an object: `museumId = MuseumContext.currentMuseumId()` is the tenant.
        .filter(|a| {
            a.names.len() == 1 && {
                let n = a.names[0].to_ascii_lowercase();
                !n.ends_with("id") && !group_segment(&n)
            }
        })
        .filter(|a| {
            let v = a.value.trim_start();
            let v = v.strip_prefix("await ").unwrap_or(v);
            let Some((callee, _)) = v.split_once('(') else {
                return false;
            };
            let last = callee.rsplit('.').next().unwrap_or(callee);
            callee
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
                && [
                    "current",
                    "getCurrent",
                    "get_current",
                    "Current",
                    "GetCurrent",
                ]
                .iter()
                .any(|p| last.starts_with(p) && last.len() > p.len())
        })
        .flat_map(|a| a.names.iter())
        .cloned()
}

/// Ids of the signed-in caller taken from the request's user: `const { hospitalId, id:
/// staffId } = req.user!` binds the user's own id, renamed.
fn caller_ids(f: &Function) -> impl Iterator<Item = String> + '_ {
    f.assigns.iter().flat_map(|a| {
        let v = a.value.trim().trim_end_matches('!');
        let from_user = ["req.user", "request.user", "ctx.state.user", "session.user"]
            .iter()
            .any(|u| v == *u || v.ends_with(&format!(".{u}")));
        let t = a.target.trim();
        let fields = if from_user && t.starts_with('{') {
            t.trim_matches(|c| c == '{' || c == '}')
        } else {
            ""
        };
        fields
            .split(',')
            .filter_map(|e| {
                let (k, n) = e.split_once(':').unwrap_or((e, e));
                (k.trim() == "id").then(|| n.trim().to_string())
            })
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>()
    })
}

/// [`user_tokens`], plus chains rooted at a parameter or local that holds the caller.
pub(crate) fn user_tokens_in(cx: &Ctx, f: &Function, key_expr: &str) -> Vec<String> {
    let mut out = user_tokens(key_expr);
    let mut callers = caller_params(cx, f);
    // A local from `currentX()` counts through a field (`ringer.ID`), not bare: `seasonStart
    // = currentSeasonStart()` is no caller.
    let objects: Vec<String> = caller_objects(f).collect();
    callers.extend(caller_ids(f));
    if callers.is_empty() && objects.is_empty() {
        return out;
    }
    for ch in chains(&code_parts(key_expr)) {
        let segs: Vec<&str> = ch.split('.').collect();
        if (callers.iter().any(|c| c == segs[0])
            || segs.len() > 1 && objects.iter().any(|c| c == segs[0]))
            && !segs[1..].iter().any(|s| group_segment(s))
            && !out.contains(&ch)
        {
            out.push(segs[0].to_string());
            out.push(ch.clone());
        }
    }
    out
}

/// True when text (code) mentions any user or auth identifier at all.
fn user_or_auth(text: &str) -> bool {
    let code = code_parts(text);
    if chains(&code)
        .iter()
        .any(|ch| ch.split('.').any(user_segment))
    {
        return true;
    }
    let l = text.to_ascii_lowercase();
    [
        "authorization",
        "token",
        "cookie",
        "bearer",
        "jwt",
        "credential",
        "/me",
        "owner",
        "tenant",
    ]
    .iter()
    .any(|w| l.has(w))
}

/// Names that carry the user: the key's tokens plus locals assigned from them.
fn aliases(f: &Function, tokens: &[String], skip: &[String]) -> Vec<String> {
    let mut names: Vec<String> = tokens.to_vec();
    for _ in 0..3 {
        for a in &f.assigns {
            if a.names.iter().any(|n| skip.contains(n)) {
                continue;
            }
            // `s := compute(member.SocietyID)` holds the member's group, not the member.
            let value = without_group_reads(&a.value, &names);
            if names.iter().any(|t| mentions(&value, t)) {
                for n in &a.names {
                    if !names.contains(n) {
                        names.push(n.clone());
                    }
                }
            }
        }
    }
    names
}

/// True when call `c` (the computation) uses the user: an argument or the callee mentions a
/// user name, or it calls a helper in the snippet that reads the user itself.
fn uses_user(cx: &Ctx, c: &Call, names: &[String]) -> bool {
    // `user.orgId()` is the user's organisation: a value computed from it is the same for
    // everyone in the organisation, so a key per user still splits it.
    let args = without_group_reads(&c.args_text(), names);
    let callee = without_group_reads(&c.callee, names);
    if callee.is_empty() {
        return false; // the call is the group read itself
    }
    if names
        .iter()
        .any(|n| mentions(&args, n) || mentions(&callee, n))
    {
        return true;
    }
    // The whole request or user object is handed over: `build_dashboard(request)`.
    let roots: Vec<&str> = names.iter().filter_map(|n| n.split('.').next()).collect();
    if c.args.iter().any(|a| roots.contains(&a.text.trim())) {
        return true;
    }
    if user_or_auth(&args) || user_or_auth(&without_group_reads(&c.receiver, names)) {
        return true;
    }
    if let Some(g) = local_function(cx, &c.method) {
        let body = fn_text(cx, g);
        if body.has("current_user") || body.has("g.user") || body.has("request.user") {
            return true;
        }
    }
    false
}

/// `text` with each read of a user's group (`user.orgId()`, `me.getWorkspaceId()`,
/// `request.user.org_id`) blanked out, for the names in `names`.
fn without_group_reads(text: &str, names: &[String]) -> String {
    let mut out = text.to_string();
    for n in names.iter().filter(|n| !n.is_empty()) {
        let pat = format!("{n}.");
        let mut from = 0;
        while let Some(i) = out[from..].find(&pat).map(|i| from + i) {
            let start_ok = i == 0 || !out[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_');
            let rest = &out[i + pat.len()..];
            let mut field: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            // Through the session's user: `session.user.county`.
            if field == "user" && rest[4..].starts_with('.') {
                let inner: String = rest[5..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !inner.is_empty() {
                    field = format!("user.{inner}");
                }
            }
            let bare = field.strip_prefix("user.").unwrap_or(&field);
            let bare = bare.strip_prefix("get").unwrap_or(bare);
            // Or another record the user points at (`user.schemeId`, `me.region_id`): shared
            // by everyone who points at it. Not the user's own id (`user.id`, `me.userId`).
            let foreign_key = {
                let l = bare.to_ascii_lowercase();
                let stem = l.strip_suffix("_id").or_else(|| l.strip_suffix("id"));
                stem.is_some_and(|s| s.len() > 2 && !user_segment(s) && !user_segment(&l))
            };
            if start_ok && !field.is_empty() && (group_segment(bare) || foreign_key) {
                let mut end = i + pat.len() + field.len();
                if out[end..].starts_with("()") {
                    end += 2;
                }
                out.replace_range(i..end, "");
                from = i;
            } else {
                from = i + pat.len();
            }
        }
    }
    out
}

fn idents(text: &str) -> Vec<String> {
    chains(&code_parts(text))
        .into_iter()
        .map(|c| c.split('.').next().unwrap_or("").to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

/// Django's lookup shortcuts.
fn django_lookup(c: &Call) -> bool {
    matches!(c.callee.as_str(), "get_object_or_404" | "get_list_or_404")
}

/// The calls that compute the value written by `op` (followed back through local
/// assignments and cursor receivers), the expensive one among them, and the texts of the
/// assignments on the way. Falls back to every call before the write when the flow is lost
/// (syntax errors, helpers).
fn computation<'a>(
    cx: &Ctx<'a>,
    f: &'a Function,
    op: &CacheOp<'a>,
) -> Option<(&'a Call, Vec<&'a Call>, Vec<String>)> {
    let set = op.call;
    let k = key_index(set);
    let mut deps: Vec<String> = set
        .args
        .iter()
        .skip(k + 1)
        .flat_map(|a| idents(&a.text))
        .collect();
    let mut values = Vec::new();
    let mut regions = vec![set.loc];
    for a in f.assigns.iter().rev() {
        if a.loc.start >= set.loc.start || a.loc == op.key_loc {
            continue;
        }
        if a.names.iter().any(|n| deps.contains(n)) {
            deps.extend(idents(&a.value));
            values.push(a.value.clone());
            regions.push(a.loc);
        }
    }
    let usable = |c: &&'a Call| {
        c.loc.end <= set.loc.end
            && !std::ptr::eq(*c, set)
            && !op.key_loc.contains(&c.loc)
            && !cache_receiver(&c.receiver, cx)
            && (!incidental(c) || django_lookup(c))
            && !matches!(
                c.method.as_str(),
                "Depends" | "Security" | "Query" | "Header"
            )
    };
    // A loader handed to the cache (`cache.get(key, k -> jdbc.query(…))`) is a function of its
    // own: its calls compute the value too.
    let loaders = cx
        .program
        .functions
        .iter()
        .filter(|g| !std::ptr::eq(*g, f) && set.loc.contains(&g.loc));
    let feeding: Vec<&Call> = f
        .calls
        .iter()
        .chain(loaders.flat_map(|g| g.calls.iter()))
        .filter(usable)
        .filter(|c| {
            regions.iter().any(|r| r.contains(&c.loc))
                || deps
                    .iter()
                    .any(|d| c.receiver == *d || c.callee.starts_with(&format!("{d}.")))
                // Go out-parameters: `db.SelectContext(ctx, &stats, …)`, `Scan(&rows)`.
                || c.args.iter().any(|a| {
                    a.text
                        .strip_prefix('&')
                        .is_some_and(|t| deps.iter().any(|d| d == t.trim()))
                })
        })
        .collect();
    // A row cached per user is still a private copy of shared data: Django's lookup shortcuts
    // (incidental to the other cache rules) count here.
    let expensive = |cx: &Ctx, f: &Function, c: &Call| {
        super::cache_calls::expensive(cx, f, c) || django_lookup(c)
    };
    if let Some(h) = feeding
        .iter()
        .filter(|c| expensive(cx, f, c))
        .min_by_key(|c| (c.loc.start, c.callee.len()))
    {
        return Some((h, feeding.clone(), values));
    }
    // The value stored comes straight from a loader the snippet imports (`const list = await
    // loadGlassPriceList()` between the read and the write): what the cache exists to save.
    if let Some(h) = feeding.iter().find(|c| {
        let m = c.method.to_ascii_lowercase();
        ["load", "fetch", "compute", "calculate", "build", "generate"]
            .iter()
            .any(|p| m.starts_with(p) && m.len() > p.len() + 2)
            && cx.function_named(&c.method).is_none()
            && regions[1..].iter().any(|r| r.contains(&c.loc))
    }) {
        return Some((h, feeding.clone(), values));
    }
    let all: Vec<&Call> = f.calls.iter().filter(usable).collect();
    let h = all.iter().rev().find(|c| expensive(cx, f, c))?;
    Some((h, all.clone(), values))
}

/// The expensive call whose result a cache write `op` keyed by the user (`tokens`) stores,
/// when that result does not depend on the user: every user gets a private copy of shared
/// data. Also the names the user's id goes by.
pub(crate) fn shared_under_user_key<'a>(
    cx: &Ctx<'a>,
    f: &'a Function,
    ops: &[CacheOp<'a>],
    op: &CacheOp<'a>,
    tokens: &[String],
) -> Option<(Vec<String>, &'a Call)> {
    let key_vars: Vec<String> = f
        .assigns
        .iter()
        .filter(|a| a.loc == op.key_loc || ops.iter().any(|o| a.loc.contains(&o.call.loc)))
        .flat_map(|a| a.names.iter().cloned())
        .collect();
    let names = aliases(f, tokens, &key_vars);
    let (heavy, feeding, feeding_values) = computation(cx, f, op)?;
    // Where the user id itself comes from (`userID := c.GetInt64("userID")`) is not
    // what the cached value is computed from.
    let user_sources: Vec<&crate::analyzer::facts::Assign> = f
        .assigns
        .iter()
        .filter(|a| {
            !a.names.is_empty() && a.names.iter().all(|n| tokens.contains(n))
                // `const { hospitalId, id: staffId } = req.user!`: the user's id and groups.
                || a.names.iter().any(|n| tokens.contains(n)) && a.target.trim().starts_with('{')
        })
        .collect();
    let mut feeding_calls = feeding
        .iter()
        .filter(|c| !user_sources.iter().any(|a| a.loc.contains(&c.loc)));
    let mut values = feeding_values
        .iter()
        .filter(|v| !user_sources.iter().any(|a| a.value == **v));
    if feeding_calls.any(|c| uses_user(cx, c, &names))
        || values.any(|v| {
            let v = without_group_reads(v, &names);
            names.iter().any(|n| mentions(&v, n)) || user_or_auth(&v)
        })
    {
        return None;
    }
    Some((names, heavy))
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let mut lines: Vec<usize> = Vec::new();
    cacheable(cx, out, &mut lines);
    if matches!(cx.language, Language::JavaScript | Language::TypeScript) {
        next_cache(cx, out, &mut lines);
    }
    subscript_caches(cx, out, &mut lines);
    for f in cx.program.functions.iter().skip(1) {
        let ops = cache_ops(cx, f);
        // A read handed its loader (Caffeine `cache.get(key, k -> load())`) fills the entry too.
        let fills = |o: &&CacheOp| o.kind == CacheKind::Set || hands_loader(o.call);
        for op in ops.iter().filter(fills) {
            let tokens = user_tokens_in(cx, f, &op.key_expr);
            if tokens.is_empty() {
                continue;
            }
            let line = op.key_loc.span.start_line;
            if lines.contains(&line) {
                continue;
            }
            let Some((_, heavy)) = shared_under_user_key(cx, f, &ops, op, &tokens) else {
                continue;
            };
            let set_line = op.call.loc.span.start_line;
            let key_where = if line == set_line {
                format!("`{}` at line {set_line}", op.call.callee)
            } else {
                format!(
                    "the key built at line {line} and written by `{}` at line {set_line}",
                    op.call.callee
                )
            };
            lines.push(line);
            report(
                cx,
                out,
                UserKeyed {
                    key_loc: op.key_loc,
                    key_expr: &op.key_expr,
                    shape: op.key_shape.clone().unwrap_or_else(|| op.key_expr.clone()),
                    tokens: &tokens,
                    cache: op.call.receiver.clone(),
                    write: op.call.loc,
                    key_where,
                    ttl: ttl(cx, op.call),
                    heavy,
                },
            );
        }
    }
}

/// A cache entry keyed by the user that holds a value computed the same way for everyone, as
/// one of the cache readers found it.
struct UserKeyed<'a> {
    key_loc: Loc,
    /// The key expression as built, and its literal shape (`dash:?:?`) for the parameters.
    key_expr: &'a str,
    shape: String,
    tokens: &'a [String],
    cache: String,
    write: Loc,
    /// Where the key is built and written, for the message.
    key_where: String,
    /// The TTL as written, and in seconds when known.
    ttl: Option<(String, Option<u64>)>,
    heavy: &'a Call,
}

fn report(cx: &Ctx, out: &mut Vec<Finding>, e: UserKeyed) {
    let user = named_user(e.tokens);
    let heavy_line = e.heavy.loc.span.start_line;
    let computation = super::cache_calls::short_callee(&e.heavy.callee);
    let mut params = BTreeMap::new();
    params.insert("key".to_string(), e.shape);
    params.insert("user_key".to_string(), user.clone());
    params.insert("cache".to_string(), e.cache);
    params.insert("computation".to_string(), computation.clone());
    params.insert("computation_line".to_string(), heavy_line.to_string());
    let mut ttl_note = String::new();
    if let Some((raw, secs)) = e.ttl {
        params.insert("ttl".to_string(), raw);
        if let Some(s) = secs {
            params.insert("ttl_s".to_string(), s.to_string());
            ttl_note = format!(" (TTL {s} s)");
        }
    }
    let message = format!(
        "Cache entry keyed by `{user}` ({}{ttl_note}) holds the result of `{computation}` at line {heavy_line}, which does not depend on the user: every user gets a private copy of the same value, so each new user misses and recomputes it and the cache grows with the user count.",
        e.key_where
    );
    let fix = format!(
        "Drop `{user}` from the key ({}) so all users share one entry; keep per-user parts out of the cached value.",
        shared_key(e.key_expr, e.tokens)
    );
    let mut evidence = vec![cx.evidence(&e.key_loc, "key")];
    if e.write.span.start_line != e.key_loc.span.start_line {
        evidence.push(cx.evidence(&e.write, "write"));
    }
    evidence.push(cx.evidence(&e.heavy.loc, "compute"));
    out.push(finding(
        ID,
        Severity::Warning,
        &e.key_loc,
        message,
        fix,
        evidence,
        params,
    ));
}

/// A process-level map used as a cache by index (`_lounge_cache[key] = rows`, Go
/// `cardCache[key] = cachedCard{…}`) under a key that holds the user, filled from a query or
/// request that does not use the user.
fn subscript_caches(cx: &Ctx, out: &mut Vec<Finding>, lines: &mut Vec<usize>) {
    if !cx
        .program
        .functions
        .iter()
        .any(|f| f.subscripts.iter().any(|s| s.is_write))
    {
        return;
    }
    let vars = super::process_state::state_vars(cx);
    for f in cx.program.functions.iter().skip(1) {
        for w in f.subscripts.iter().filter(|s| s.is_write) {
            let Some(var) = vars
                .iter()
                .find(|v| v.name == w.object || v.bare == w.object)
            else {
                continue;
            };
            if !super::unbounded_cache::cache_like(cx, var) {
                continue;
            }
            // The key, through a local `key = f"…"` built before the write.
            let key_var = w.key.trim();
            // In a closure (`group.Do(key, func() …)`), the key may be built by the function
            // around it.
            let mut scopes = vec![f];
            let mut up = f.parent;
            while let Some(p) = up.filter(|p| *p > 0) {
                scopes.push(&cx.program.functions[p]);
                up = cx.program.functions[p].parent;
            }
            let built = scopes.iter().find_map(|g| {
                g.assigns
                    .iter()
                    .filter(|a| a.loc.start < w.loc.start && a.names.iter().any(|n| n == key_var))
                    .max_by_key(|a| a.loc.start)
            });
            let (key_expr, mut key_loc) =
                built.map_or((w.key.as_str(), w.loc), |a| (a.value.as_str(), a.loc));
            // Built by the snippet's own helper (`key := cacheKey(viewerID, showID)`): the key
            // is shaped where that helper formats it.
            if let Some(g) = key_expr
                .trim()
                .split_once('(')
                .and_then(|(name, _)| cx.function_named(name.trim()))
            {
                if let Some(i) = cx.text(&g.loc).find("return ") {
                    key_loc = super::process_state::line_loc(cx, g.loc.start + i);
                }
            }
            let tokens = user_tokens(key_expr);
            let line = key_loc.span.start_line;
            if tokens.is_empty() || lines.contains(&line) {
                continue;
            }
            let names = aliases(f, &tokens, &[key_var.to_string()]);
            // A query here, or a call of the snippet's own helper that queries
            // (`stats, err = h.computeStats(ctx, season)`).
            let queries = |c: &Call| {
                super::queries::classify(f, c).is_some()
                    || cx.function_named(&c.method).is_some_and(|g| {
                        !std::ptr::eq(g, f)
                            && g.calls
                                .iter()
                                .any(|d| super::queries::classify(g, d).is_some())
                    })
            };
            let mut fills: Vec<&Call> = f
                .calls
                .iter()
                .filter(|c| c.loc.end <= w.loc.start && queries(c))
                .collect();
            // Or a data store's aggregate (`h.store.Standings(ctx, leagueID)`).
            if fills.is_empty() {
                fills = f
                    .calls
                    .iter()
                    .filter(|c| c.loc.end <= w.loc.start && super::cache_calls::expensive(cx, f, c))
                    .collect();
            }
            let Some(heavy) = fills.first() else { continue };
            let value_uses_user = f
                .assigns
                .iter()
                .filter(|a| a.loc.contains(&w.loc))
                .any(|a| names.iter().any(|n| mentions(&a.value, n)));
            if value_uses_user || fills.iter().any(|c| uses_user(cx, c, &names)) {
                continue;
            }
            lines.push(line);
            report(
                cx,
                out,
                UserKeyed {
                    key_loc,
                    key_expr,
                    shape: key_expr.trim().to_string(),
                    tokens: &tokens,
                    cache: var.name.clone(),
                    write: w.loc,
                    key_where: format!(
                        "the key built at line {line} and written into `{}` at line {}",
                        var.name, w.loc.span.start_line
                    ),
                    ttl: None,
                    heavy,
                },
            );
        }
    }
}

/// A Python memoising decorator: `functools.lru_cache` / `cache`, cachetools `cached`, a
/// `memoize`.
fn python_memo(cx: &Ctx, deco: &str) -> bool {
    let name = deco.split('(').next().unwrap_or("");
    cx.language == Language::Python
        && (matches!(
            name,
            "lru_cache" | "cache" | "functools.lru_cache" | "functools.cache" | "cached"
        ) || name.ends_with("memoize")
            || name.ends_with(".cached"))
}

/// Spring `@Cacheable` whose key (the `key` SpEL, or the parameters by default) holds the user
/// while the method computes the same value for everyone.
fn cacheable(cx: &Ctx, out: &mut Vec<Finding>, lines: &mut Vec<usize>) {
    for f in cx.program.functions.iter().skip(1) {
        let Some(deco) = f
            .decorators
            .iter()
            .find(|d| d.starts_with("Cacheable") || python_memo(cx, d))
        else {
            continue;
        };
        let compact: String = deco.chars().filter(|c| !c.is_whitespace()).collect();
        // `key="#userId+':revenue'"` → `userId+':revenue'`; cachetools
        // `key=lambda t, u: hashkey(t, u)` → `t, u)`.
        let key_spel = compact
            .split_once("key=\"")
            .map(|(_, k)| k.split('"').next().unwrap_or("").replace('#', ""))
            .or_else(|| {
                compact
                    .split_once("hashkey(")
                    .map(|(_, k)| k.split(')').next().unwrap_or("").to_string())
            });
        let key_text = key_spel.clone().unwrap_or_else(|| f.params.join(", "));
        let deco_name: String = deco
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
            .collect();
        let tokens = user_tokens(&key_text);
        if tokens.is_empty() {
            continue;
        }
        let names = aliases(f, &tokens, &[]);
        let calls: Vec<&Call> = f
            .calls
            .iter()
            .filter(|c| !incidental(c) && !cache_receiver(&c.receiver, cx))
            .collect();
        // The method is cached because someone found it worth caching: its first real call
        // stands for the work when none is recognisably a query.
        let Some(heavy) = calls
            .iter()
            .find(|c| expensive(cx, f, c))
            .or_else(|| calls.iter().find(|c| !c.receiver.is_empty()))
        else {
            continue;
        };
        if calls.iter().any(|c| uses_user(cx, c, &names))
            || f.assigns.iter().any(|a| {
                let value = without_group_reads(&a.value, &names);
                names.iter().any(|n| mentions(&value, n))
            })
        {
            continue;
        }
        let at = super::process_state::line_loc(cx, f.loc.start);
        let at = cx
            .source
            .get(f.loc.start..f.loc.end)
            .and_then(|t| t.find("@Cacheable"))
            .map_or(at, |i| super::process_state::line_loc(cx, f.loc.start + i));
        // A Python decorator sits above the `def`: point at its key (or the decorator).
        let at = if cx.language == Language::Python {
            let from = f.loc.start.saturating_sub(600);
            let above = cx.source.get(from..f.loc.start).unwrap_or("");
            above
                .rfind("key=")
                .filter(|&k| above[..k].has(&format!("@{deco_name}")))
                .or_else(|| above.rfind(&format!("@{deco_name}")))
                .map_or(at, |i| super::process_state::line_loc(cx, from + i))
        } else {
            at
        };
        let line = at.span.start_line;
        if lines.contains(&line) {
            continue;
        }
        lines.push(line);
        let user = named_user(&tokens);
        let hl = heavy.loc.span.start_line;
        let computation = super::cache_calls::short_callee(&heavy.callee);
        let mut params = BTreeMap::new();
        params.insert("key".to_string(), key_text.clone());
        params.insert("user_key".to_string(), user.clone());
        params.insert("cache".to_string(), format!("@{deco_name}"));
        params.insert("computation".to_string(), computation.clone());
        params.insert("computation_line".to_string(), hl.to_string());
        let key_where = match &key_spel {
            Some(k) if deco_name == "Cacheable" => {
                format!("`@Cacheable(key = \"{k}\")` on `{}` at line {line}", f.name)
            }
            Some(_) => format!(
                "`@{deco_name}` on `{}` at line {line}, with a key of `{}`",
                f.name,
                tokens.join("`, `")
            ),
            None => format!(
                "`@{deco_name}` on `{}` at line {line}, keyed by its parameters",
                f.name
            ),
        };
        let body = fn_text(cx, f);
        let (depends, copies) = if without_group_reads(body, &names) != body {
            (
                "which depends only on the user's group (organisation, workspace), not on the user",
                "every user of a group",
            )
        } else {
            ("which does not depend on the user", "every user")
        };
        let message = format!(
            "Cache entry keyed by `{user}` ({key_where}) holds the result of `{computation}` at line {hl}, {depends}: {copies} gets a private copy of the same value, so each new user misses and recomputes it and the cache grows with the user count."
        );
        let fix = format!(
            "Drop `{user}` from the key (e.g. `key = \"'{}'\"`, or move the parameter out of the cached method) so all users share one entry.",
            f.name
        );
        let evidence = vec![cx.evidence(&at, "key"), cx.evidence(&heavy.loc, "compute")];
        out.push(finding(
            ID,
            Severity::Warning,
            &at,
            message,
            fix,
            evidence,
            params,
        ));
    }
}

/// Next.js `unstable_cache(() => computeLeaderboard(courseId), ['board', courseId,
/// session.user.id], { revalidate: 300 })`: key parts holding the user while the function
/// never sees the user.
fn next_cache(cx: &Ctx, out: &mut Vec<Finding>, lines: &mut Vec<usize>) {
    for f in &cx.program.functions {
        for c in f.calls.iter().filter(|c| c.callee == "unstable_cache") {
            let (Some(work), Some(keys)) = (c.args.first(), c.args.get(1)) else {
                continue;
            };
            let tokens = user_tokens(&keys.text);
            if tokens.is_empty() || user_or_auth(&without_group_reads(&work.text, &tokens)) {
                continue;
            }
            let roots: Vec<&str> = tokens.iter().filter_map(|t| t.split('.').next()).collect();
            if roots.iter().any(|r| mentions(&work.text, r)) {
                continue;
            }
            let call_text = cx.text(&c.loc);
            let at = call_text.find(keys.text.as_str()).map_or(c.loc, |i| {
                super::process_state::line_loc(cx, c.loc.start + i)
            });
            let line = at.span.start_line;
            if lines.contains(&line) {
                continue;
            }
            lines.push(line);
            let user = named_user(&tokens);
            let work_text = one_line_text(&work.text);
            let mut params = BTreeMap::new();
            params.insert("key".to_string(), keys.text.clone());
            params.insert("user_key".to_string(), user.clone());
            params.insert("cache".to_string(), "unstable_cache".to_string());
            params.insert("computation".to_string(), work_text.clone());
            let message = format!(
                "`unstable_cache` at line {line} keys its entry by `{user}`, but the cached function `{work_text}` never uses the user: every user gets a private copy of the same value, so each new user misses and recomputes it and the cache grows with the user count."
            );
            let fix = format!(
                "Drop `{user}` from the key parts so all users share one entry; keep per-user parts out of the cached value."
            );
            out.push(finding(
                ID,
                Severity::Warning,
                &at,
                message,
                fix,
                vec![cx.evidence(&at, "key")],
                params,
            ));
        }
    }
}

/// The user part a message names: the longest token (`request.user.id` over `request.user`).
fn named_user(tokens: &[String]) -> String {
    tokens
        .iter()
        .max_by_key(|t| t.len())
        .cloned()
        .unwrap_or_default()
}

/// A short one-line rendering of code for messages.
fn one_line_text(code: &str) -> String {
    let flat: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 60 {
        flat.chars().take(57).collect::<String>() + "…"
    } else {
        flat
    }
}

/// The key expression without its user part: `f"dashboard:{request.user.id}:{metric}"` →
/// `f"dashboard:{metric}"`; a generic phrase when the key is not a template.
fn shared_key(expr: &str, tokens: &[String]) -> String {
    let mut s = expr.trim().to_string();
    let mut changed = false;
    for _ in 0..4 {
        let Some(open) = s.find('{') else { break };
        let Some(close) = s[open..].find('}').map(|i| open + i) else {
            break;
        };
        let inner = &s[open + 1..close];
        if !tokens.iter().any(|t| mentions(inner, t)) {
            // Look further along for a user interpolation.
            let rest = &s[close + 1..];
            let Some(next) = rest.find('{') else { break };
            let next_open = close + 1 + next;
            let Some(next_close) = s[next_open..].find('}').map(|i| next_open + i) else {
                break;
            };
            if tokens
                .iter()
                .any(|t| mentions(&s[next_open + 1..next_close], t))
            {
                let start = if s[..next_open].ends_with('$') {
                    next_open - 1
                } else {
                    next_open
                };
                let start = if s[..start].ends_with([':', '-', '_', '/']) {
                    start - 1
                } else {
                    start
                };
                s.replace_range(start..=next_close, "");
                changed = true;
                continue;
            }
            break;
        }
        let start = if s[..open].ends_with('$') {
            open - 1
        } else {
            open
        };
        let mut end = close + 1;
        let start = if s[..start].ends_with([':', '-', '_', '/']) {
            start - 1
        } else {
            if s[end..].starts_with([':', '-', '_', '/']) {
                end += 1;
            }
            start
        };
        s.replace_range(start..end, "");
        changed = true;
    }
    if changed {
        format!("`{s}`")
    } else {
        "a key without the user id".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_from_keys() {
        assert_eq!(
            user_tokens("f\"dashboard:{request.user.id}:{metric}\""),
            vec!["request.user".to_string(), "request.user.id".to_string()]
        );
        assert_eq!(
            user_tokens("`dash:${userId}:${metric}`"),
            vec!["userId".to_string()]
        );
        assert!(user_tokens("f\"users:count:{metric}\"").is_empty());
        assert!(user_tokens("\"user:all\"").is_empty());
        let t = user_tokens("f\"dashboard:{request.user.id}:{metric}\"");
        assert_eq!(
            shared_key("f\"dashboard:{request.user.id}:{metric}\"", &t),
            "`f\"dashboard:{metric}\"`"
        );
        let t = user_tokens("`dash:${metric}:${req.user.id}`");
        assert_eq!(
            shared_key("`dash:${metric}:${req.user.id}`", &t),
            "``dash:${metric}``"
        );
    }
}
