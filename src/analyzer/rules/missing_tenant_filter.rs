//! # missing-tenant-filter
//!
//! ## What it does
//! In code that is clearly multi-tenant (other queries filter by `tenant_id`, `org_id`,
//! `organization_id`, `workspace_id`, `account_id`, `team_id` or `company_id`, or the handler
//! has the caller's tenant in scope: `request.user.org_id`, `req.tenantId`,
//! `current_user.tenant_id`), flags a query on a table that carries the tenant column
//! elsewhere in the snippet but is missing the tenant condition: a SQL `WHERE` without it, a
//! Django `filter()`/`get()`, SQLAlchemy `filter`/`filter_by`/`where`, or a Prisma, Sequelize,
//! TypeORM or Mongoose `where` object without the tenant key, a GORM read (`db.First(&p, id)`)
//! or Spring Data finder (`findById` where `findByIdAndTenantId` was meant) without it, a lookup
//! by id with no ownership check after it, and a vector-store search (`index.query`, `similarity_search`,
//! `collection.query`) whose `filter=`/`where=` lacks the tenant key.
//!
//! ## Why is this bad at scale
//! With one customer in the demo every row belongs to the caller, so the page looks right.
//! With a hundred customers the same query returns, updates or deletes another customer's
//! invoices, documents or embeddings. Tenant filters passed by hand are forgotten once in a
//! while, and one forgotten filter is a data leak that no test with a single tenant catches.
//!
//! ## Example
//! ```python
//! @app.get("/invoices/open")
//! def open_invoices():
//!     org_id = current_user.org_id
//!     drafts = db.execute("SELECT * FROM invoices WHERE org_id = %s AND status = 'draft'", (org_id,))
//!     open_ = db.execute("SELECT * FROM invoices WHERE status = 'open'")   # every tenant's rows
//! ```
//!
//! ## Use instead
//! Put the tenant condition on every query of a tenant table, or let the database enforce it:
//! ```python
//! open_ = db.execute("SELECT * FROM invoices WHERE org_id = %s AND status = 'open'", (org_id,))
//! ```
//! Better still: row-level security (`CREATE POLICY … USING (org_id = current_setting('app.tenant_id'))`
//! with `SET app.current_tenant` per request), a tenant-scoped manager/repository, or a Prisma
//! extension that adds the tenant to every `where`. The rule is silent when every query on the
//! table has the tenant condition, when row-level security, a per-tenant schema or Hibernate's
//! `@TenantId`/`@Filter` is set up, and
//! when a lookup by a globally unique id is followed by an ownership check
//! (`if invoice.org_id != user.org_id: raise PermissionDenied`).
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java, and SQL (files and strings).

use super::queries::query_sql;
use super::queries::{gorm_read, ident_words, mentions, orm_site, spring_repo_read, statement_loc};
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{entity_key, Call, Function, Loc};
use crate::analyzer::find;
use crate::analyzer::find::Has;
use crate::analyzer::sql::{SqlKind, SqlStatement};
use crate::analyzer::{Finding, Language, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "missing-tenant-filter";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Query on a multi-tenant table without the tenant filter",
    what_it_does: "In code that is clearly multi-tenant (other queries filter by tenant_id/org_id/organization_id/workspace_id/account_id/team_id/company_id, or the handler has the caller's tenant in scope such as request.user.org_id or req.tenantId), flags a query on a table that carries the tenant column elsewhere in the snippet but lacks the tenant condition: SQL WHERE, Django filter/get, SQLAlchemy filter/where, Prisma/Sequelize/TypeORM/Mongoose where objects, GORM reads and Spring Data finders (findById where findByIdAndTenantId was meant), lookups by id with no ownership check, and vector-store searches whose filter/where lacks the tenant key.",
    why_bad_at_scale: "With one customer every row belongs to the caller and the page looks right. With a hundred customers the same query returns, updates or deletes another customer's invoices, documents or embeddings. Tenant filters passed by hand get forgotten once in a while, and one forgotten filter is a data leak that no single-tenant test catches.",
    example: "@app.get(\"/invoices/open\")\ndef open_invoices():\n    org_id = current_user.org_id\n    drafts = db.execute(\"SELECT * FROM invoices WHERE org_id = %s AND status = 'draft'\", (org_id,))\n    open_ = db.execute(\"SELECT * FROM invoices WHERE status = 'open'\")  # every tenant's rows",
    use_instead: "open_ = db.execute(\"SELECT * FROM invoices WHERE org_id = %s AND status = 'open'\", (org_id,))\n\nBetter: row-level security (CREATE POLICY … USING (org_id = current_setting('app.tenant_id')) with SET app.current_tenant per request), a tenant-scoped manager or repository, a GORM tenant scope, Hibernate @TenantId or an @Filter enabled per request, or a Prisma extension that adds the tenant to every where. A lookup by a globally unique id is fine when an ownership check follows it.",
    languages: &["python", "javascript", "typescript", "go", "java", "sql"],
};

/// Identifier words that name the tenant. `account`, `team` and `company` only count in code
/// that speaks of tenants or reads them from the current user (see [`weak_tenants`]).
const STRONG: [&str; 5] = ["tenant", "org", "organization", "organisation", "workspace"];
const WEAK: [&str; 3] = ["account", "team", "company"];

/// Words that scope a query to one user, which also keeps it inside one tenant.
const USER_SCOPE: [&str; 5] = ["user", "owner", "author", "creator", "member"];

/// People a product signs in under their own role: the caller, not a partition of the data.
const PEOPLE: [&str; 14] = [
    "driver",
    "volunteer",
    "customer",
    "patient",
    "student",
    "player",
    "employee",
    "staff",
    "rider",
    "guest",
    "visitor",
    "passenger",
    "learner",
    "courier",
];

/// Tables that are the tenants themselves (they have no tenant column).
const TENANT_TABLES: [&str; 8] = [
    "tenant",
    "org",
    "organization",
    "organisation",
    "workspace",
    "account",
    "team",
    "company",
];

/// Snippet-wide markers of row-level security or a schema per tenant.
const ENFORCED: [&str; 18] = [
    "set app.current",
    "set local app.",
    "set_config('app.",
    "set_config(\"app.",
    "current_setting('app.",
    "row level security",
    "create policy",
    "set_tenant(",
    "tenant_context(",
    "schema_context(",
    "set search_path",
    "with_loader_criteria",
    "tenantmanager",
    "$extends(",
    "@tenantid",
    "enablefilter(",
    "currenttenantidentifierresolver",
    "multitenantconnectionprovider",
];

struct Tenancy {
    weak: bool,
    /// Partition keys the snippet shows by use (`shop` of `self.shop_id`, see
    /// [`partition_stems`]).
    extra: Vec<String>,
}

impl Tenancy {
    fn word(&self, w: &str) -> bool {
        STRONG.contains(&w) || self.weak && WEAK.contains(&w) || self.extra.iter().any(|e| e == w)
    }

    /// True when `text` names the tenant (`org_id`, `orgId`, `project__org`, `tenant`).
    fn names_tenant(&self, text: &str) -> bool {
        ident_words(text).iter().any(|w| self.word(w))
    }

    /// A field that holds the tenant itself (`org_id`, `schoolId`, `currentTenant`), not
    /// something kept per tenant (`summaryByHolder`).
    fn field_holds_tenant(&self, name: &str) -> bool {
        let w = ident_words(name);
        let lead = match w.first().map(String::as_str) {
            Some("current") => w.get(1),
            _ => w.first(),
        };
        w.len() <= 3 && lead.is_some_and(|l| self.word(l))
    }

    /// The tenant column a text names, for messages (`org_id`, `tenantId`).
    fn column_in(&self, text: &str) -> Option<String> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .find(|t| {
                let w = ident_words(t);
                w.iter().any(|x| self.word(x)) && w.len() <= 3
            })
            .map(str::to_string)
    }
}

/// `account`, `team` and `company` name the tenant when the code says "tenant" or reads them
/// from the current user (`request.user.account_id`, `req.user.companyId`).
fn weak_tenants(l: &str) -> bool {
    l.has("tenant")
        || [
            "user.account",
            "user.company",
            "user.team",
            "current_account",
            "currentaccount",
            "current_company",
            "currentcompany",
            "current_team",
            "currentteam",
        ]
        .iter()
        .any(|k| l.has(k))
}

/// One query the rule judges.
struct Site {
    fi: usize,
    loc: Loc,
    /// Entity keys of the tables or models it touches.
    tables: Vec<String>,
    /// The same tables as written.
    names: Vec<String>,
    /// The table as written, for messages.
    shown: String,
    /// What it is, for messages (`SELECT … FROM invoices`, `Invoice.objects.filter`).
    what: String,
    /// The text that would hold its scope: SQL after FROM/UPDATE, ORM chain arguments.
    scope_text: String,
    /// The identifier words of `scope_text`, sorted, each once (several checks ask them).
    words: Vec<String>,
    /// An INSERT or create: the table carries the column, but nothing is read.
    write_only: bool,
    /// Looks up one row by a globally unique id.
    by_id: bool,
    /// A lookup by a credential or unique login (email, token, api key): global by design.
    /// Also a batched lookup by keys alone (`WHERE lesson_id = ANY(?)`): the keys come from
    /// rows the code already loaded, under whatever scope that load had; and a report grouped
    /// over every tenant's rows (no key lookup at all).
    global_lookup: bool,
    /// A vector-store search (index/collection name in `shown`).
    vector: bool,
    /// A vector call that writes (upsert/add): its metadata says which key holds the tenant.
    vector_write: bool,
    /// The vector search passes a filter of its own.
    filtered: bool,
    /// A fix in the site's own idiom (GORM, Spring Data), when the generic one would not fit.
    own_fix: Option<String>,
}

/// SQL text without comments, lower-case, on one line.
fn flat_sql(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("--") {
            rest = r.find('\n').map_or("", |e| &r[e..]);
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.find("*/").map_or("", |e| &r[e + 2..]);
        } else {
            let ch = rest.chars().next().unwrap_or(' ');
            out.push(if ch.is_whitespace() {
                ' '
            } else {
                ch.to_ascii_lowercase()
            });
            rest = &rest[ch.len_utf8()..];
        }
    }
    format!(" {out}")
}

/// Where the SQL keyword `kw` first stands as a word: after a blank, or after the quote of a
/// string concatenated across lines (`"… let_from = :start " "WHERE id = :pid"`).
fn keyword_at(lower: &str, kw: &str) -> Option<usize> {
    find::find_all(lower, kw).find(|&i| {
        let before = lower[..i].chars().next_back();
        let after = lower[i + kw.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// Lower-case SQL with each join key of an `ON` clause (`t.id = p.team_id`: a column equal to
/// a column) blanked: it pairs rows, it filters nothing. A tenant condition in the clause
/// (`AND t.league_id = :leagueId`) stays.
fn without_join_keys(lower: &str, keep: &dyn Fn(&str) -> bool) -> String {
    let mut out = lower.to_string();
    let column = |s: &str| {
        let s = s.trim().trim_matches(|c| c == '(' || c == ')');
        s.contains('.')
            && s.split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    };
    let mut from = 0;
    while let Some(i) = keyword_at(&lower[from..], "on").map(|i| from + i) {
        let start = i + 2;
        let end = [
            "join", "where", "group", "order", "limit", "left", "inner", "right",
        ]
        .iter()
        .filter_map(|k| keyword_at(&lower[start..], k).map(|j| start + j))
        .min()
        .unwrap_or(lower.len());
        let mut at = start;
        for part in lower[start..end].split(" and ") {
            if let Some((a, b)) = part.split_once('=') {
                if column(a) && column(b) && !a.ends_with(['<', '>', '!']) && !keep(part) {
                    out.replace_range(at..at + part.len(), &" ".repeat(part.len()));
                }
            }
            at += part.len() + " and ".len();
        }
        from = end.max(start);
        if from >= lower.len() {
            break;
        }
    }
    out
}

fn sql_site(fi: usize, loc: Loc, s: &SqlStatement, text: &str) -> Site {
    let lower = flat_sql(text);
    // The scope may sit in a WHERE, a JOIN condition or a subquery: everything after the
    // first FROM (or after UPDATE's table), never the select list.
    let scope_text = match s.kind {
        SqlKind::Insert => s.insert_columns.join(" "),
        SqlKind::Select | SqlKind::Delete => {
            keyword_at(&lower, "from").map_or(lower.clone(), |i| lower[i..].to_string())
        }
        SqlKind::Update => {
            keyword_at(&lower, "where").map_or(lower.clone(), |i| lower[i..].to_string())
        }
    };
    let by_id = s
        .predicates
        .iter()
        .any(|p| p.op == "=" && matches!(p.column.as_str(), "id" | "uuid" | "pk" | "external_id"));
    let global_lookup = s.predicates.iter().any(|p| {
        p.op == "=" && {
            let c = p.column.as_str();
            matches!(
                c,
                "email" | "username" | "token" | "api_key" | "session_id" | "code"
            ) || c.ends_with("_token")
                || c.ends_with("token_hash")
                || c == "idempotency_key"
        }
    }) || (!s.predicates.is_empty() && s.predicates.iter().all(|p| p.batched))
        // A report grouped over every tenant's rows (`GROUP BY month, species` with only a
        // time window) is cross-tenant by design; a forgotten filter looks up rows by key.
        || (s.group_by
            && !s.aggregates.is_empty()
            && !s.predicates.iter().any(|p| p.op == "=" && p.column.ends_with("id")));
    let verb = match s.kind {
        SqlKind::Select => "SELECT … FROM",
        SqlKind::Update => "UPDATE",
        SqlKind::Delete => "DELETE FROM",
        SqlKind::Insert => "INSERT INTO",
    };
    Site {
        fi,
        loc,
        tables: s
            .tables
            .iter()
            .map(|t| entity_key(t))
            .filter(|k| !TENANT_TABLES.contains(&k.as_str()))
            .collect(),
        names: s
            .tables
            .iter()
            .filter(|t| !TENANT_TABLES.contains(&entity_key(t).as_str()))
            .cloned()
            .collect(),
        shown: s.table.clone(),
        what: format!("`{verb} {}`", s.table),
        scope_text,
        words: Vec::new(),
        write_only: s.kind == SqlKind::Insert,
        by_id,
        global_lookup,
        vector: false,
        vector_write: false,
        filtered: false,
        own_fix: None,
    }
}

fn orm_text_by_id(text: &str, method: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(
        method,
        "findByPk" | "findById" | "findByIdAndUpdate" | "findByIdAndDelete"
    ) || t.has(".id==") && matches!(method, "select" | "delete" | "update" | "query")
        || [
            "pk=",
            "(id=",
            ",id=",
            "{id:",
            "{id}",
            "{id,",
            "where:{id",
            "_id:",
        ]
        .iter()
        .any(|k| t.has(k))
            && [
                "get",
                "get_object_or_404",
                "findUnique",
                "findUniqueOrThrow",
                "findOneBy",
                "findOne",
                "findFirst",
                "update",
                "delete",
                "findOneOrFail",
            ]
            .contains(&method)
        || method == "get" && t.has("session.get(")
}

const VECTOR_SEARCH: [&str; 10] = [
    "similarity_search",
    "similarity_search_with_score",
    "similarity_search_by_vector",
    "max_marginal_relevance_search",
    "similaritySearch",
    "similaritySearchWithScore",
    "maxMarginalRelevanceSearch",
    "query_points",
    "asRetriever",
    "as_retriever",
];

const VECTOR_WRITE: [&str; 8] = [
    "upsert",
    "add",
    "add_texts",
    "add_documents",
    "addDocuments",
    "addVectors",
    "upsert_documents",
    "from_documents",
];

/// A vector-store call: a search or an upsert with metadata.
fn vector_site(fi: usize, c: &Call, callee_text: &str) -> Option<Site> {
    let args = c.args_text();
    let vectorish = [
        "top_k",
        "topK",
        "n_results",
        "nResults",
        "vector",
        "query_embeddings",
        "queryEmbeddings",
        "query_texts",
        "queryTexts",
        "include_metadata",
        "includeMetadata",
        "query_vector",
        "embedding",
        "metadata",
    ]
    .iter()
    .any(|k| args.has(k) || c.kwarg(k).is_some());
    let m = c.method.as_str();
    let search = VECTOR_SEARCH.contains(&m)
        || matches!(m, "query" | "search") && vectorish && !args.has("SELECT");
    let write = VECTOR_WRITE.contains(&m) && vectorish;
    if !search && !write {
        return None;
    }
    let filtered = ["filter", "where", "query_filter", "search_kwargs"]
        .iter()
        .any(|k| c.kwarg(k).is_some())
        || args.has("filter:")
        || args.has("where:")
        || args.has("filter=");
    let store = c
        .receiver
        .split('(')
        .next()
        .unwrap_or(&c.receiver)
        .to_string();
    Some(Site {
        fi,
        loc: c.loc,
        tables: vec!["<vector>".to_string()],
        names: vec![store.clone()],
        shown: store,
        what: format!("`{}`", c.callee),
        scope_text: format!("{callee_text} {args}"),
        words: Vec::new(),
        write_only: write,
        by_id: false,
        global_lookup: false,
        vector: true,
        vector_write: write,
        filtered,
        own_fix: None,
    })
}

/// A call's text on one line, shortened for messages.
fn short(text: &str) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 60 {
        format!("{}…", one.chars().take(59).collect::<String>())
    } else {
        one
    }
}

/// A GORM read (`db.First(&project, id)`, `db.Where("org_id = ?", org).Find(&rows)`): the
/// destination names the model, the whole chain holds its scope (`Where`, `Scopes`).
fn gorm_site(cx: &Ctx, fi: usize, c: &Call) -> Option<Site> {
    let (dest, method) = gorm_read(c)?;
    let dest_shown = dest.clone();
    let text = cx.text(&c.loc);
    // `var appt Appointment` / `appts := []Appointment{}`: the model is the variable's type.
    let dest = go_var_type(cx.text(&cx.program.functions[fi].loc), &dest).unwrap_or(dest);
    let key = entity_key(&dest);
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    // `First(&p, id)` looks up a primary key; so does `Where("id = ?", id)`.
    let by_id = matches!(method.as_str(), "First" | "Take" | "Last")
        && (c.args.len() >= 2 || compact.has("(\"id=?\""));
    // A chain that starts from the snippet's own scoping helper (`a.scoped(c).Find(&rows)`)
    // carries the helper's `Where`.
    let mut scope_text = text.to_string();
    for (i, _) in c.receiver.match_indices('(') {
        let name = c.receiver[..i]
            .rsplit(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
            .next()
            .unwrap_or("");
        if let Some(helper) = (!name.is_empty())
            .then(|| super::cache_calls::local_function(cx, name))
            .flatten()
        {
            scope_text.push(' ');
            scope_text.push_str(cx.text(&helper.loc));
        }
    }
    // A chain built up in a variable (`q := db.Where("agency_id = ?", a)`, `q = q.Where(…)`,
    // then `q.Order(…).Find(&rows)`) carries every `Where` added to it before.
    let root = c.receiver.split(['.', '(']).next().unwrap_or("");
    if !root.is_empty() {
        for a in &cx.program.functions[fi].assigns {
            if a.loc.start < c.loc.start && a.names.iter().any(|n| n == root) {
                scope_text.push(' ');
                scope_text.push_str(&a.value);
            }
        }
    }
    Some(Site {
        fi,
        loc: c.loc,
        tables: if TENANT_TABLES.contains(&key.as_str()) {
            Vec::new()
        } else {
            vec![key]
        },
        names: vec![dest.clone()],
        shown: dest,
        what: format!("`{}`", short(text)),
        scope_text,
        words: Vec::new(),
        write_only: false,
        by_id,
        global_lookup: ["email", "username", "token", "api_key", "apikey"]
            .iter()
            .any(|k| compact.to_ascii_lowercase().has(&format!("{k}=?"))),
        vector: false,
        vector_write: false,
        filtered: false,
        own_fix: Some(format!(
            "Scope the query to the caller's tenant: `db.Where(\"{{col}} = ?\", tenant).{method}(&{dest_shown}, …)`, or apply a tenant scope to every query (`db.Scopes(TenantScope(tenant))`)."
        )),
    })
}

/// The type a Go function declares a variable with: `var appt Appointment`,
/// `var rows []models.Invoice`, `inv := Invoice{}`, `p := &Product{}`.
fn go_var_type(body: &str, var: &str) -> Option<String> {
    let ty = |rest: &str| -> Option<String> {
        let rest = rest.trim_start().trim_start_matches(['[', ']', '*', '&']);
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
            .collect();
        let name = name.rsplit('.').next().unwrap_or("").to_string();
        name.chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase())
            .then_some(name)
    };
    if let Some(i) = body.find(&format!("var {var} ")) {
        return ty(&body[i + var.len() + 5..]);
    }
    let i = body.find(&format!("{var} := "))?;
    ty(&body[i + var.len() + 4..])
}

/// A Spring Data repository read (`invoiceRepository.findById(id)`,
/// `invoices.findAllByStatus(s)`) or `entityManager.find(Invoice.class, id)`: the derived
/// method's name and its arguments hold the scope (`findByIdAndTenantId`).
fn spring_site(cx: &Ctx, fi: usize, c: &Call) -> Option<Site> {
    let (repo, method) = spring_repo_read(cx, c).or_else(|| {
        let recv = c.receiver.rsplit('.').next().unwrap_or(&c.receiver);
        let lower = recv.to_ascii_lowercase();
        (lower.ends_with("repository") && matches!(c.method.as_str(), "deleteById" | "delete"))
            .then(|| (recv.to_string(), c.method.clone()))
    })?;
    let model = if repo.to_ascii_lowercase().ends_with("entitymanager") || repo == "em" {
        if method != "find" {
            return None;
        }
        c.args
            .first()?
            .text
            .trim()
            .strip_suffix(".class")?
            .to_string()
    } else {
        repo.clone()
    };
    let key = entity_key(&model);
    let by_id = matches!(
        method.as_str(),
        "findById" | "getById" | "getReferenceById" | "getOne" | "deleteById" | "existsById"
    ) || method == "find" && model != repo;
    let lower = method.to_ascii_lowercase();
    Some(Site {
        fi,
        loc: c.loc,
        tables: if key.is_empty() || TENANT_TABLES.contains(&key.as_str()) {
            Vec::new()
        } else {
            vec![key]
        },
        names: vec![model.clone()],
        shown: model,
        what: format!("`{}.{method}`", c.receiver),
        scope_text: format!("{} {method} {}", derived_columns(&method), c.args_text()),
        words: Vec::new(),
        write_only: false,
        by_id,
        global_lookup: ["email", "username", "token", "apikey"]
            .iter()
            .any(|k| lower.has(k)),
        vector: false,
        vector_write: false,
        filtered: false,
        own_fix: Some(spring_fix(&method)),
    })
}

/// The fix for a Spring Data repository call; `{col}`/`{Col}` are filled in by [`check`].
fn spring_fix(method: &str) -> String {
    format!(
        "Derive the tenant into the query (`{}And{{Col}}(…, {{col}})`), or let Hibernate add it to every query (`@TenantId` on the entity, or an `@Filter` enabled per request).",
        if method.has("By") { method } else { "findBy" }
    )
}

/// The properties a Spring Data derived query filters on, in lowerCamelCase:
/// `findAllByTenantIdAndStatusOrderByCreatedAtDesc` → `tenantId status`.
fn derived_columns(method: &str) -> String {
    let Some((_, rest)) = method.split_once("By") else {
        return String::new();
    };
    let rest = rest.split("OrderBy").next().unwrap_or(rest);
    rest.split("And")
        .flat_map(|p| p.split("Or"))
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut ch = p.chars();
            ch.next()
                .map(|c| c.to_ascii_lowercase().to_string() + ch.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn sites(cx: &Ctx) -> Vec<Site> {
    let mut out: Vec<Site> = Vec::new();
    for (fi, f) in cx.program.functions.iter().enumerate() {
        let mut seen: Vec<(usize, usize)> = Vec::new();
        for c in &f.calls {
            let site = if let Some(s) = query_sql(cx, f, c) {
                let text = c
                    .args
                    .iter()
                    .find_map(|a| a.string.clone())
                    .unwrap_or_else(|| cx.text(&c.loc).to_string());
                let mut site = sql_site(fi, statement_loc(cx, &c.loc), &s, &text);
                // Bound values read from the caller (`[req.user.id]`) scope the query too.
                let params: String = c
                    .args
                    .iter()
                    .filter(|a| a.string.is_none())
                    .map(|a| a.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let p = params.replace(' ', "");
                if [
                    "req.user",
                    "request.user",
                    "current_user",
                    "currentUser",
                    "session.user",
                    "ctx.state.user",
                    "claims.",
                ]
                .iter()
                .any(|k| p.has(k))
                {
                    site.scope_text.push(' ');
                    site.scope_text.push_str(&params);
                }
                Some(site)
            } else if let Some(o) = orm_site(f, c) {
                let chain = cx.text(&o.chain);
                // Drop the model's own name: `Organization.objects` is not a tenant filter.
                let mut scope = chain.replace(&o.model, " ");
                // `const where = { studioId: session.studioId }; findMany({ where, … })`: a
                // filter object built beforehand is part of the query.
                for a in f.assigns.iter().filter(|a| a.loc.end <= c.loc.start) {
                    if a.names.iter().any(|n| {
                        (n == "where" || n.ends_with("Where") || n.ends_with("_filter"))
                            && mentions(chain, n)
                    }) {
                        scope.push(' ');
                        scope.push_str(&a.value);
                    }
                }
                // `get_object_or_404(Day.objects.select_related(…), pk=…, orchard=orchard)`:
                // the shortcut's own arguments filter the queryset it is handed.
                if let Some(outer) = f.calls.iter().find(|g| {
                    matches!(g.method.as_str(), "get_object_or_404" | "get_list_or_404")
                        && g.loc.contains(&c.loc)
                        && g.loc != c.loc
                }) {
                    scope.push(' ');
                    scope.push_str(&cx.text(&outer.loc).replace(cx.text(&c.loc), " "));
                }
                let key = entity_key(&o.model);
                let write_only = matches!(
                    o.method.as_str(),
                    "create"
                        | "bulkCreate"
                        | "insertMany"
                        | "insert"
                        | "save"
                        | "createMany"
                        | "bulk_create"
                );
                Some(Site {
                    fi,
                    loc: c.loc,
                    tables: if TENANT_TABLES.contains(&key.as_str()) {
                        Vec::new()
                    } else {
                        vec![key]
                    },
                    names: vec![o.model.clone()],
                    shown: o.model.clone(),
                    what: {
                        let head = cx.text(&c.loc).split('(').next().unwrap_or("");
                        if head.contains('.') {
                            format!("`{head}`")
                        } else {
                            format!("`{head}({})`", o.model)
                        }
                    },
                    by_id: orm_text_by_id(chain, &o.method),
                    global_lookup: ["email", "username", "token", "api_key", "apiKey"]
                        .iter()
                        .any(|k| mentions(&scope, k)),
                    scope_text: scope,
                    words: Vec::new(),
                    write_only,
                    vector: false,
                    vector_write: false,
                    filtered: false,
                    own_fix: (cx.language == Language::Java).then(|| spring_fix(&o.method)),
                })
            } else if let Some(site) = gorm_site(cx, fi, c).or_else(|| spring_site(cx, fi, c)) {
                Some(site)
            } else {
                vector_site(fi, c, cx.text(&c.loc).split('(').next().unwrap_or("")).map(|mut s| {
                    // `index.namespace(orgId).query(…)`: the namespace is in the callee.
                    s.scope_text = format!("{} {}", c.callee, c.args_text());
                    s
                })
            };
            let Some(site) = site else { continue };
            if site.tables.is_empty() {
                continue;
            }
            let k = (site.loc.span.start_line, site.loc.start);
            if seen.iter().any(|(l, _)| *l == k.0)
                && out
                    .iter()
                    .any(|o| o.fi == fi && o.loc.span.start_line == k.0 && o.tables == site.tables)
            {
                continue;
            }
            seen.push(k);
            out.push(site);
        }
        if cx.language == Language::Java {
            out.extend(annotation_sites(cx, fi, f));
        }
    }
    for s in &mut out {
        s.words = ident_words(&s.scope_text);
        s.words.sort_unstable();
        s.words.dedup();
    }
    out
}

/// SQL in a MyBatis `@Select("…")` / `@Update` / `@Delete` or Spring Data `@Query("…")` on a
/// mapper or repository method: the method runs that statement.
fn annotation_sites(cx: &Ctx, fi: usize, f: &Function) -> Vec<Site> {
    let mut out = Vec::new();
    for d in &f.decorators {
        let name = d.split('(').next().unwrap_or("").trim();
        if !matches!(name, "Select" | "Update" | "Delete" | "Query") {
            continue;
        }
        // The lowered annotation lost its spaces: read the annotation from the source.
        let Some(body) = cx.source.get(f.loc.start..f.loc.end) else {
            continue;
        };
        let Some(at) = body.find(&format!("@{name}(")) else {
            continue;
        };
        let rest = &body[at..];
        // To the closing `"""` of a text block, else to the annotation's `)` at a line end.
        let end = match rest.find("\"\"\"") {
            Some(open) => rest[open + 3..]
                .find("\"\"\"")
                .map_or(rest.len(), |close| open + 3 + close + 3),
            None => rest
                .find(")\n")
                .or_else(|| rest.find(')'))
                .unwrap_or(rest.len()),
        };
        // A Spring Data method the snippet also calls is reported at the call (MyBatis mapper
        // calls are not recognisable as queries; their annotation is the place).
        if name == "Query" && !cx.positions_of(&format!(".{}(", f.name)).is_empty() {
            continue;
        }
        // MyBatis `#{orgId}` is a bind parameter (a `#` would read as a comment), and JPQL
        // names fields in camelCase (`p.workspaceId`): spell both the way SQL would.
        let sql_text = snake_case(&java_strings(&rest[..end]).replace("#{", ":{"));
        let Some(stmt) = crate::analyzer::sql::parse(&sql_text) else {
            continue;
        };
        let loc = super::process_state::line_loc(cx, f.loc.start + at);
        let site = sql_site(fi, loc, &stmt, &sql_text);
        if !site.tables.is_empty() {
            out.push(site);
        }
    }
    out
}

/// `p.workspaceId = :workspaceId` → `p.workspace_id = :workspace_id`.
fn snake_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev_lower = false;
    for ch in text.chars() {
        if ch.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        out.push(ch.to_ascii_lowercase());
    }
    out
}

/// The text of the string literals in an annotation: text blocks and `"a" + "b"` joined.
fn java_strings(d: &str) -> String {
    if let Some((_, rest)) = d.split_once("\"\"\"") {
        return rest.split("\"\"\"").next().unwrap_or("").to_string();
    }
    d.split('"')
        .skip(1)
        .step_by(2)
        .collect::<Vec<_>>()
        .join(" ")
}

/// True when the site's scope text filters by the tenant or by the current user.
fn scoped(t: &Tenancy, s: &Site) -> bool {
    s.words
        .iter()
        .any(|w| t.word(w) || USER_SCOPE.contains(&w.as_str()))
}

/// The caller's tenant is in scope in function `fi` or a function around it: a parameter named
/// after the tenant, or the tenant read from the request, user, session or token.
fn tenant_in_scope(
    cx: &Ctx,
    t: &Tenancy,
    fi: usize,
    helper_memo: &std::cell::RefCell<std::collections::HashMap<usize, bool>>,
) -> bool {
    let fns = &cx.program.functions;
    let mut i = Some(fi);
    while let Some(k) = i {
        if k == 0 && fi != 0 {
            break;
        }
        let f = &fns[k];
        if f.params.iter().any(|p| t.names_tenant(p)) {
            return true;
        }
        // The snippet's own scoping helper (`a.scoped(c)`, `self._tenant_query()`) names it.
        // Each helper's text is read once per analysis, not once per call of it.
        let scoping_helper = f.calls.iter().any(|c| {
            if c.receiver.contains(['.', '(']) || c.method == f.name {
                return false;
            }
            let Some(h) = super::cache_calls::local_function(cx, &c.method) else {
                return false;
            };
            let key = h.loc.start;
            if let Some(&known) = helper_memo.borrow().get(&key) {
                return known;
            }
            let names = t.names_tenant(cx.text(&h.loc));
            helper_memo.borrow_mut().insert(key, names);
            names
        });
        if scoping_helper {
            return true;
        }
        let body = cx.text(&f.loc);
        for path in body.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '$'))
        {
            let segs: Vec<&str> = path.split('.').collect();
            if segs.len() < 2 {
                continue;
            }
            let from_caller = segs[..segs.len() - 1].iter().any(|s| {
                matches!(
                    s.to_ascii_lowercase().as_str(),
                    "user"
                        | "request"
                        | "req"
                        | "session"
                        | "ctx"
                        | "auth"
                        | "claims"
                        | "g"
                        | "current_user"
                        | "currentuser"
                        | "principal"
                        | "locals"
                        | "token"
                        | "context"
                        | "me"
                        | "viewer"
                        | "jwt"
                        | "payload"
                )
            });
            if from_caller && t.names_tenant(segs[segs.len() - 1]) {
                return true;
            }
        }
        let l = body.to_ascii_lowercase();
        if [
            "current_tenant",
            "currenttenant",
            "current_org",
            "currentorg",
            "get_tenant",
            "gettenant",
        ]
        .iter()
        .any(|k| l.has(k))
        {
            return true;
        }
        i = f.parent;
    }
    false
}

/// Code that deliberately works across tenants: admin views, jobs, migrations.
fn cross_tenant(f: &Function) -> bool {
    let n = f.name.to_ascii_lowercase();
    [
        "admin",
        "cron",
        "job",
        "worker",
        "nightly",
        "migrat",
        "backfill",
        "all_tenants",
        "superuser",
        "internal",
        // Housekeeping over every tenant's rows.
        "purge",
        "cleanup",
        "clean_up",
        "sweep",
        "prune",
        "housekeep",
        // `deleteExpiredOffers`, `expire_stale_holds`
        "expire",
        "stale",
    ]
    .iter()
    .any(|k| n.has(k))
        // A Quartz job's `execute(JobExecutionContext ctx)`.
        || n == "execute" && f.params.iter().any(|p| p == "ctx" || p == "context")
        || f.decorators.iter().any(|d| {
            let d = d.to_ascii_lowercase();
            [
                "task",
                "schedul",
                "periodic",
                "staff",
                "admin",
                "superuser",
                "cron",
            ]
            .iter()
            .any(|k| d.has(k))
        })
}

/// The function (or the one its callback sits in) runs only for a provider's webhook: the
/// event names the row, and there is no caller's tenant to filter by.
fn for_webhooks_only(cx: &Ctx, fi: usize) -> bool {
    let fns = &cx.program.functions;
    let mut g = fi;
    while fns[g].name.starts_with("callback of ") {
        match fns[g].parent {
            Some(p) if p > 0 => g = p,
            _ => break,
        }
    }
    let hook = |name: &str| name.to_ascii_lowercase().has("webhook");
    let name = fns[g].name.as_str();
    if hook(name) {
        return true;
    }
    let callers: Vec<&Function> = fns
        .iter()
        .filter(|h| h.calls.iter().any(|c| c.method == name))
        .collect();
    !callers.is_empty() && callers.iter().all(|h| hook(&h.name))
}

/// A helper that every caller hands the id of a row it loaded under the tenant:
/// `const invoice = await loadInvoice(session.workspaceId, id)` then
/// `saveBalance(invoice.id, …)`. The id was checked where it was read.
fn ids_from_scoped_reads(cx: &Ctx, t: &Tenancy, fi: usize) -> bool {
    let fns = &cx.program.functions;
    let g = &fns[fi];
    if fi == 0 || g.is_handler() {
        return false;
    }
    let mut callers = 0;
    for f in fns {
        for c in f.calls.iter().filter(|c| c.method == g.name) {
            callers += 1;
            let scoped_row = c.args.iter().any(|a| {
                let Some((row, _)) = a.text.trim().split_once('.') else {
                    return false;
                };
                f.assigns.iter().any(|x| {
                    x.loc.start < c.loc.start
                        && x.names.iter().any(|n| n == row)
                        && t.names_tenant(&x.value)
                })
            });
            if !scoped_row {
                return false;
            }
        }
    }
    callers > 0
}

/// The loop variables of `f` that walk the result of a tenant-scoped read assigned earlier
/// (`adjusters = Adjuster.objects.filter(org_id=…)`, then `for adj in adjusters:`).
fn scoped_loop_vars(t: &Tenancy, f: &Function, go: bool) -> std::collections::HashSet<String> {
    // A row loaded under the tenant or the caller (`venue = get_object_or_404(Venue, slug=…,
    // planner_org=request.user.planner_org)`): a query keyed by it (`filter(venue=venue)`,
    // `pk=reservation.session_id`) reaches only that tenant's rows.
    let loaded: Vec<String> = f
        .assigns
        .iter()
        .filter(|a| a.value.contains('(') && a.names.len() == 1)
        .filter(|a| {
            t.names_tenant(&a.value)
                || ["request.user", "current_user", "req.user", "currentUser"]
                    .iter()
                    .any(|k| a.value.has(k))
        })
        .map(|a| a.names[0].clone())
        .collect();
    let mut known: std::collections::HashSet<String> = loaded.into_iter().collect();
    // Go out-parameters of a scoped read: `db.Where("trust_id = ?", id).Find(&tasks)`.
    if go {
        for c in f.calls.iter().filter(|c| t.names_tenant(&c.callee)) {
            for a in &c.args {
                if let Some(d) = a.text.trim().strip_prefix('&') {
                    if d.chars().all(|ch| ch.is_alphanumeric() || ch == '_') {
                        known.insert(d.to_string());
                    }
                }
            }
        }
    }
    let var_names = |l: &crate::analyzer::facts::Loop| -> Vec<String> {
        l.var
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty() && !matches!(*w, "const" | "let" | "var"))
            .map(str::to_string)
            .collect()
    };
    for l in &f.loop_facts {
        if l.var.is_empty() {
            continue;
        }
        let source = l.iterable.trim();
        if f.assigns.iter().any(|a| {
            a.loc.start < l.whole.start
                && a.names.iter().any(|n| n == source)
                && t.names_tenant(&a.value)
        }) {
            known.extend(var_names(l));
        }
    }
    // What was read by such a row, and the rows of loops over it, are the tenant's too:
    // `hives = Hive.objects.filter(apiary=apiary)` after the scoped `apiary`, then `for hive in
    // page.object_list` over `page = Paginator(hives, 25)`; `where = { apiaryId: apiary.id }`,
    // `inspections = Inspection.findAll({ where })`, `for (const inspection of inspections)`.
    // Each value's identifiers (not attribute names after a dot), split once; the rows known
    // so far in a set: a long function asked name by name was quadratic.
    let value_words: Vec<Vec<&str>> = f
        .assigns
        .iter()
        .map(|a| super::queries::identifiers(&a.value))
        .collect();
    for _ in 0..4 {
        let before = known.len();
        for (a, words) in f.assigns.iter().zip(&value_words) {
            if a.names.iter().all(|n| !known.contains(n))
                && words.iter().any(|w| known.contains(*w))
            {
                known.extend(a.names.iter().cloned());
            }
        }
        for l in &f.loop_facts {
            let head = l.iterable.trim();
            let first = head
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("");
            if !l.var.is_empty() && !first.is_empty() && known.contains(first) {
                let vars = var_names(l);
                // Go's `for i := range tasks` walks indexes: the rows are `tasks[i]`.
                if go && vars.len() == 1 && head == first {
                    known.insert(format!("{first}[{}]", vars[0]));
                }
                known.extend(vars);
            }
        }
        if known.len() == before {
            break;
        }
    }
    known
}

/// PL/pgSQL `FOR rt IN SELECT … WHERE account_id = p_account_id LOOP`: the row variables of
/// the tenant-scoped loops in `f` (lower-case). A query keyed by one (`room_type_id = rt.id`)
/// is keyed by a row the scoped loop produced.
fn scoped_loop_rows(cx: &Ctx, t: &Tenancy, f: &Function) -> Vec<String> {
    // The lower-cased text has the same byte offsets as the source.
    let lower = cx.lower().get(f.loc.start..f.loc.end).unwrap_or("");
    lower
        .match_indices("for ")
        .filter_map(|(i, _)| {
            let rest = &lower[i + 4..];
            let var: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let query = rest[var.len()..]
                .trim_start()
                .strip_prefix("in ")
                .and_then(|q| q.split(" loop").next())?;
            (!var.is_empty() && query.trim_start().starts_with("select") && t.names_tenant(query))
                .then_some(var)
        })
        // `SELECT * INTO v_loan FROM loans WHERE band_id = p_band_id …`: a row loaded under
        // the tenant, and `UPDATE loans … WHERE id = v_loan.id` keyed by it.
        .chain(lower.split(';').filter_map(|stmt| {
            let stmt = stmt.trim_start();
            let at = stmt.find("select ")?;
            if stmt[..at].has("insert") || !t.names_tenant(stmt) {
                return None;
            }
            let into = stmt[at..].find(" into ")? + at + " into ".len();
            let rest = stmt[into..].trim_start();
            let rest = rest.strip_prefix("strict ").unwrap_or(rest);
            let var: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (!var.is_empty()).then_some(var)
        }))
        .collect()
}

/// An ownership check after a lookup by id: a decision, exception or permission call that
/// names the tenant (or the owner) in the rest of the function.
fn ownership_checked(cx: &Ctx, t: &Tenancy, f: &Function, loc: &Loc) -> bool {
    let rest = cx.source.get(loc.end..f.loc.end).unwrap_or("");
    rest.lines().take(12).any(|l| {
        let low = l.to_ascii_lowercase();
        let decides = [
            "if ", "if(", "unless", "assert", "raise", "throw", "!=", "==", "require", "abort",
        ]
        .iter()
        .any(|k| low.has(k));
        let words = ident_words(l);
        decides
            && words
                .iter()
                .any(|w| t.word(w) || w == "owner" || w == "owns" || w == "belongs")
            || [
                "permission",
                "authoriz",
                "check_object",
                "can_access",
                "canaccess",
                "ensure_owner",
                "assert_owner",
            ]
            .iter()
            .any(|k| low.has(k))
    })
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let lower = cx.lower();
    if ENFORCED.iter().any(|k| lower.has(k)) {
        return;
    }
    let mut sites = sites(cx);
    let mut t = Tenancy {
        weak: weak_tenants(cx.lower()) || weak_column_partitions(&sites),
        extra: partition_stems(cx, &sites),
    };
    // Where the snippet states every table's tenant column ("every table below carries
    // league_id"), a SQL query's join keys on other columns pair rows and scope nothing
    // (`JOIN teams t ON t.id = p.team_id`).
    let stated = stated_every_table(cx);
    if let Some((_, col)) = &stated {
        // The stated column names the tenant (`club` of `club_id`), seen in use or not, and
        // no other partition the code shows by use (`resident_id` is a row's owner there).
        let stem = col.trim_end_matches("_id");
        t.extra.retain(|e| e == stem);
        if !t.word(stem) {
            t.extra.push(stem.to_string());
        }
    }
    if let Some((_, col)) = &stated {
        for s in sites
            .iter_mut()
            .filter(|s| s.what.starts_with("`SELECT") || s.what.starts_with("`DELETE"))
        {
            let keep = |part: &str| part.contains(col.as_str());
            let mut words = ident_words(&without_join_keys(&s.scope_text, &keep));
            words.sort_unstable();
            words.dedup();
            s.words = words;
        }
    }
    // The partition's own table (`shops` for `shop_id`) has no such column.
    for s in &mut sites {
        if s.tables.iter().any(|k| t.extra.contains(k)) {
            let pairs: Vec<(String, String)> = s
                .tables
                .iter()
                .cloned()
                .zip(
                    s.names
                        .iter()
                        .cloned()
                        .chain(std::iter::repeat(String::new())),
                )
                .filter(|(k, _)| !t.extra.contains(k))
                .collect();
            (s.tables, s.names) = pairs.into_iter().unzip();
        }
    }
    let bound = tenant_bound_classes(cx, &t, &sites);
    // Tables that carry the tenant column: filtered by it, inserted with it, or declared with it.
    let mut tenant_tables: Vec<(String, usize, String)> = Vec::new();
    let mut tenant_scoped_any = false;
    for s in &sites {
        let tenant_named = s.words.iter().any(|w| t.word(w));
        if tenant_named {
            if !s.write_only {
                tenant_scoped_any = true;
            }
            let col = t
                .column_in(&s.scope_text)
                .unwrap_or_else(|| "tenant".into());
            let owner = column_owner(s, &col);
            for (i, k) in s.tables.iter().enumerate() {
                // The owner of the tenant column, and the table the query is about when it
                // reaches the tenant through a join (`FROM water_tests t JOIN wells w … WHERE
                // w.parish_id = …`): its rows are the tenant's too. Other joined tables may be
                // shared lookups.
                if owner.is_some_and(|o| o != i && !(i == 0 && joined_to_owner(s, o))) {
                    continue;
                }
                if !tenant_tables.iter().any(|(x, _, _)| x == k) {
                    tenant_tables.push((k.clone(), s.loc.span.start_line, col.clone()));
                }
            }
        }
    }
    declared_tables(cx, &t, &mut tenant_tables);
    // "every table below carries league_id": each table the snippet queries is the tenant's.
    // (SQL text only: an ORM's related prefetches and nested querysets are scoped by the
    // query around them.)
    if let Some((line, col)) = stated {
        for s in sites
            .iter()
            .filter(|s| !s.write_only && !s.vector && s.what.starts_with("`SELECT"))
        {
            for k in &s.tables {
                if !TENANT_TABLES.contains(&k.as_str())
                    && !tenant_tables.iter().any(|(x, _, _)| x == k)
                {
                    tenant_tables.push((k.clone(), line, col.clone()));
                }
            }
        }
    }
    // A class that holds the caller's tenant (`self.org_id`) and scopes its queries by it is a
    // tenant-scoped repository: every table it queries is a tenant table.
    for s in &sites {
        if s.write_only || s.vector {
            continue;
        }
        if let Some((_, first_line, col)) = bound.iter().find(|(r, _, _)| r.contains(&s.loc)) {
            for k in &s.tables {
                if !tenant_tables.iter().any(|(x, _, _)| x == k) {
                    tenant_tables.push((k.clone(), *first_line, col.clone()));
                }
            }
        }
    }
    let sql_file = cx.language == Language::Sql;
    let helper_memo = std::cell::RefCell::new(std::collections::HashMap::new());
    let mut scoped_ids: std::collections::HashMap<usize, bool> = std::collections::HashMap::new();
    let mut loop_rows: std::collections::HashMap<usize, Vec<String>> =
        std::collections::HashMap::new();
    #[allow(clippy::type_complexity)]
    let mut loop_sets: std::collections::HashMap<
        usize,
        (std::collections::HashSet<String>, Vec<String>),
    > = std::collections::HashMap::new();
    let mut lines: Vec<usize> = Vec::new();
    let mut reported_rows: Vec<(usize, String)> = Vec::new();
    // Asked once per function: it looks at every function's calls.
    let mut webhook_only: std::collections::HashMap<usize, bool> = std::collections::HashMap::new();
    for (i, s) in sites.iter().enumerate() {
        if s.write_only || s.global_lookup || scoped(&t, s) {
            continue;
        }
        let f = &cx.program.functions[s.fi];
        // A job handed its row ids by the code that queued it: no caller chose them.
        if f.runs_in_background() {
            continue;
        }
        if sql_file {
            let rows = loop_rows
                .entry(s.fi)
                .or_insert_with(|| scoped_loop_rows(cx, &t, f));
            let scope = s.scope_text.to_ascii_lowercase();
            // `rt.id` of a scoped row, or a scoped id itself (`WHERE id = v_entry` after
            // `SELECT w.id INTO v_entry … WHERE w.council_id = …`).
            if rows.iter().any(|r| {
                scope.has(&format!("{r}.")) || r.len() > 2 && r.contains('_') && mentions(&scope, r)
            }) {
                continue;
            }
        } else {
            // `for adj in adjusters:` where `adjusters = Adjuster.objects.filter(org_id=…)`:
            // a query keyed by that row (`filter(adjuster=adj)`) reaches only the tenant's rows.
            // The row names as a set (plain identifiers) and the dotted rest: a long function
            // can hold thousands, asked of each of its queries.
            let (plain, dotted) = loop_sets.entry(s.fi).or_insert_with(|| {
                let rows = scoped_loop_vars(&t, f, cx.language == Language::Go);
                let (dotted, plain): (Vec<String>, Vec<String>) =
                    rows.into_iter().partition(|r| r.contains(['.', '[']));
                (plain.into_iter().collect(), dotted)
            });
            // Keyed by such a row, or asked of an object built for the tenant
            // (`repo = CatalogRepository(session, g.member.library_id)`, then `repo.search(…)`).
            let receiver = cx
                .text(&s.loc)
                .split(['.', '('])
                .next()
                .unwrap_or("")
                .trim();
            let keyed = s
                .scope_text
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
                .any(|w| !w.is_empty() && plain.contains(w));
            if keyed
                || plain.contains(receiver)
                || dotted
                    .iter()
                    .any(|r| mentions(&s.scope_text, r) || receiver == r.as_str())
            {
                continue;
            }
        }
        let Some((table, first_line, col)) = tenant_tables
            .iter()
            .find(|(k, _, _)| s.tables.contains(k))
            .cloned()
        else {
            continue;
        };
        if s.vector && !s.filtered && !tenant_scoped_any {
            continue;
        }
        let in_scope = tenant_in_scope(cx, &t, s.fi, &helper_memo)
            || bound.iter().any(|(r, _, _)| r.contains(&s.loc));
        // The snippet scopes this table by the tenant elsewhere: a query of it that does not
        // is the forgotten filter, in a handler or in the helper a handler calls.
        let tenant_code = in_scope || tenant_scoped_any;
        if !tenant_code
            || cross_tenant(f)
            || *webhook_only
                .entry(s.fi)
                .or_insert_with(|| for_webhooks_only(cx, s.fi))
        {
            continue;
        }
        // A vector search in a function that never sees the tenant, while the store's tenant
        // key only shows up in writes, could be a shared corpus: needs the tenant in scope.
        if s.vector
            && !in_scope
            && !sites
                .iter()
                .any(|o| o.vector && !o.vector_write && scoped(&t, o))
        {
            continue;
        }
        let shown = s
            .tables
            .iter()
            .position(|k| *k == table)
            .and_then(|i| s.names.get(i))
            .unwrap_or(&s.shown);
        if s.by_id && !sql_file {
            if ownership_checked(cx, &t, f, &s.loc) {
                continue;
            }
            // The same row was loaded with the tenant condition earlier in the function.
            if sites[..i].iter().any(|o| {
                o.fi == s.fi && !o.write_only && o.tables.contains(&table) && scoped(&t, o)
            }) {
                continue;
            }
            if *scoped_ids
                .entry(s.fi)
                .or_insert_with(|| ids_from_scoped_reads(cx, &t, s.fi))
            {
                continue;
            }
        }
        let line = s.loc.span.start_line;
        if lines.contains(&line) {
            continue;
        }
        // Keyed by the row an already reported lookup loaded (`update({ where: { id:
        // delivery.id } })` after the unscoped `findUnique`): the same problem, reported once.
        let text = cx.text(&s.loc);
        if reported_rows.iter().any(|(g, n): &(usize, String)| {
            let field = format!("{n}.");
            *g == s.fi
                && text.match_indices(&field).any(|(i, _)| {
                    !text[..i]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
                })
        }) {
            continue;
        }
        lines.push(line);
        reported_rows.extend(
            f.assigns
                .iter()
                .filter(|a| a.loc.contains(&s.loc) || s.loc.contains(&a.loc))
                .flat_map(|a| a.names.iter().map(|n| (s.fi, n.clone()))),
        );
        let elsewhere = match (s.vector, first_line != line) {
            (true, true) => format!("line {first_line} keys the store's entries by `{col}`"),
            (true, false) => format!("the store's entries are keyed by `{col}`"),
            (false, true) => format!("line {first_line} shows `{shown}` carries `{col}`"),
            (false, false) => format!("`{shown}` carries `{col}`"),
        };
        let on = if s.vector {
            "a tenant-partitioned vector store"
        } else {
            "a tenant table"
        };
        let what_missing = if s.vector {
            if s.filtered {
                format!("its filter has no `{col}` key")
            } else {
                format!("it passes no filter on `{col}`")
            }
        } else if s.by_id {
            format!("it looks the row up by id with no `{col}` condition and no ownership check after it")
        } else {
            format!("it has no `{col}` condition")
        };
        let within = if sql_file {
            String::new()
        } else {
            format!(" in `{}`", f.name)
        };
        let message = format!(
            "{} at line {line}{within} runs on {on} ({elsewhere}) but {what_missing}: any tenant can read or change another tenant's rows.",
            s.what
        );
        let fix = if let Some(own) = &s.own_fix {
            let mut cap = col.chars();
            let cap = cap
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + cap.as_str())
                .unwrap_or_default();
            own.replace("{col}", &col).replace("{Col}", &cap)
        } else if s.vector {
            format!("Add the tenant to the filter on every search (`filter={{\"{col}\": tenant_id, …}}`) or use a namespace/collection per tenant.")
        } else if s.by_id {
            format!("Look the row up with the tenant too (`WHERE id = $1 AND {col} = $2`), or check `row.{col}` against the caller's tenant and return 404.")
        } else {
            format!("Add `{col} = <current tenant>` to this query, or enforce it for every query with row-level security or a tenant-scoped manager.")
        };
        let mut params = BTreeMap::new();
        params.insert("table".to_string(), shown.clone());
        params.insert("tenant_column".to_string(), col.clone());
        params.insert("query_line".to_string(), line.to_string());
        params.insert("tenant_filter_line".to_string(), first_line.to_string());
        let mut evidence = vec![cx.evidence(&s.loc, "query")];
        if first_line != line {
            evidence.push(crate::analyzer::Evidence {
                line: first_line,
                column: 1,
                role: "tenant-filter".to_string(),
                code: cx.lines.line_text(first_line).trim().to_string(),
            });
        }
        out.push(finding(
            ID,
            Severity::Error,
            &s.loc,
            message,
            fix,
            evidence,
            params,
        ));
    }
}

/// `account`, `team` or `company` filter several queries of the snippet: that column is how
/// its data is partitioned (`WHERE account_id = $1` on most queries).
fn weak_column_partitions(sites: &[Site]) -> bool {
    let strong = Tenancy {
        weak: false,
        extra: Vec::new(),
    };
    // A SQL query's conditions only: a join key (`ON t.id = w.team_id`) or a grouping
    // (`GROUP BY w.team_id`) partitions nothing.
    let weak_only = |s: &Site| {
        let sql = s.what.starts_with("`SELECT") || s.what.starts_with("`DELETE");
        let filtered;
        let words = if sql {
            let text = without_join_keys(&s.scope_text, &|_| false);
            let cut = ["group by", "order by"]
                .iter()
                .filter_map(|k| keyword_at(&text, k))
                .min()
                .unwrap_or(text.len());
            filtered = ident_words(&text[..cut]);
            &filtered
        } else {
            &s.words
        };
        !words.iter().any(|w| strong.word(w)) && words.iter().any(|w| WEAK.contains(&w.as_str()))
    };
    sites
        .iter()
        .filter(|s| !s.write_only && !s.vector && weak_only(s))
        .count()
        >= 2
}

/// The identifier `text` starts with and its key stem: `shop_id = …` → (`shop_id`, `shop`),
/// `ClinicID(…)` → (`ClinicID`, `clinic`); the stem is empty for a name that is not an id.
fn field_and_stem(text: &str) -> (String, String) {
    let field: String = text
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let stem = field
        .strip_suffix("_id")
        .or_else(|| field.strip_suffix("ID"))
        .or_else(|| field.strip_suffix("Id"))
        .unwrap_or("")
        .to_ascii_lowercase();
    (field, stem)
}

/// Adds a partition stem found in use, unless it is compound (`order_item`), a user scope, or
/// already known.
fn admit_stem(out: &mut Vec<String>, stem: String, used_enough: bool) {
    if used_enough
        && !stem.contains('_')
        && !USER_SCOPE.contains(&stem.as_str())
        && !out.contains(&stem)
    {
        out.push(stem);
    }
}

/// Columns a class binds its instances to and scopes several of its queries by
/// (`self.shop_id = shop_id`, then `WHERE shop_id = $1` twice): the key its data is partitioned
/// by, whatever it is called. Returns the stems (`shop`). User scopes are left to
/// [`USER_SCOPE`].
fn partition_stems(cx: &Ctx, sites: &[Site]) -> Vec<String> {
    let src = cx.source;
    let mut out: Vec<String> = Vec::new();
    // How many reading sites name each word in their scope, counted once: the checks below
    // ask it per field, per identity root and per parameter (asking each site's words anew made
    // this quadratic: 59 ms on 10,000 lines of Python).
    let mut scoping: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for site in sites.iter().filter(|s| !s.write_only) {
        for w in &site.words {
            *scoping.entry(w.clone()).or_default() += 1;
        }
    }
    let scoped_by = |stem: &str| scoping.get(stem).copied().unwrap_or(0);
    for i in find::find_all(src, "self.").chain(find::find_all(src, "this.")) {
        let (field, stem) = field_and_stem(&src[i + 5..]);
        let rest = src[i + 5 + field.len()..].trim_start();
        let bound = rest.starts_with('=') && !rest.starts_with("==");
        if !stem.is_empty() && bound {
            let uses = scoped_by(&stem);
            admit_stem(&mut out, stem, uses >= 2);
        }
    }
    // A partition key read from the caller's identity: `auth.ClinicID(r.Context())`,
    // `req.user.clinicId`, `current_user.school_id`, `claims.StoreID`. Each distinct stem is
    // counted against the sites once: `user.` can occur thousands of times in a long paste.
    let mut tried: Vec<String> = Vec::new();
    for root in [
        "auth.",
        "claims.",
        "user.",
        "current_user.",
        "currentUser.",
        "principal.",
        // `const session = await getOperatorSession()` then `session.operatorId`.
        "session.",
    ] {
        for i in find::find_all(src, root) {
            if i > 0 && src[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue;
            }
            // The key may sit one or two hops down: `request.user.staffprofile.clinic_id`.
            let mut rest = &src[i + root.len()..];
            let mut stem = String::new();
            for hop in 0..3 {
                let (field, s) = field_and_stem(rest);
                if !s.is_empty() || field.is_empty() {
                    stem = s;
                    break;
                }
                match rest[field.len()..].strip_prefix('.') {
                    Some(r) => rest = r,
                    None => {
                        // A foreign key held by the user's profile, as Django writes it
                        // (`request.user.staff_profile.boutique`): the row, not its id.
                        let call = rest[field.len()..].starts_with('(');
                        if hop > 0 && !call && !field.contains('_') && field.len() >= 4 {
                            let one = field.to_ascii_lowercase();
                            if scoped_by(&one) >= 2 {
                                stem = one;
                            }
                        }
                        break;
                    }
                }
            }
            if stem.is_empty()
                || stem.contains('_')
                || USER_SCOPE.contains(&stem.as_str())
                || out.contains(&stem)
                || tried.contains(&stem)
            {
                continue;
            }
            if scoped_by(&stem) > 0 {
                out.push(stem);
            } else {
                tried.push(stem);
            }
        }
    }
    // A key the auth middleware put in the request context: gin `c.GetUint("marina_id")`,
    // `c.MustGet("clubID")`, fiber `c.Locals("orgId")`. It is the caller's partition.
    for getter in [
        ".GetUint(\"",
        ".GetInt(\"",
        ".GetInt64(\"",
        ".GetString(\"",
        ".MustGet(\"",
        ".Locals(\"",
    ] {
        for i in find::find_all(src, getter) {
            let (_, stem) = field_and_stem(&src[i + getter.len()..]);
            // The signed-in person (`c.GetInt64("driver_id")`), not a partition of the data:
            // a person's role, or a key rows are handed to (`UPDATE pens SET exhibitor_id =
            // $1`; rows never move between tenants).
            if stem.is_empty()
                || stem.contains('_')
                || USER_SCOPE.contains(&stem.as_str())
                || PEOPLE.contains(&stem.as_str())
                || find::has(cx.lower(), &format!("set {stem}_id ="))
            {
                continue;
            }
            let uses = scoped_by(&stem);
            admit_stem(&mut out, stem, uses >= 1);
        }
    }
    // The caller's key read from a context holder: `TenantContext.currentCouncilId()`,
    // `SecurityUtils.getCurrentOrgId()`, `current_school_id()`.
    for at in find::find_all(src, "urrent") {
        let Some(c) = at.checked_sub(1) else { continue };
        // `currentX` starting a word, or `getCurrentX` / `get_current_x` inside one.
        let starts = match src.as_bytes()[c] {
            b'C' => true,
            b'c' => !src[..c].ends_with(|ch: char| ch.is_ascii_alphanumeric()),
            _ => false,
        };
        let rest = &src[at + "urrent".len()..];
        let rest = rest.strip_prefix('_').unwrap_or(rest);
        let (field, stem) = field_and_stem(rest);
        if !starts || stem.is_empty() || !rest[field.len()..].starts_with('(') {
            continue;
        }
        let uses = scoped_by(&stem);
        admit_stem(&mut out, stem, uses >= 1);
    }
    // A key Django middleware puts on the request and queries filter by under its own name
    // (`filter(clinic=request.clinic)`): the request carries the caller's tenant.
    for i in find::find_all(src, "=request.") {
        let head = src[..i].trim_end_matches(|c: char| c.is_alphanumeric() || c == '_');
        let kwarg = &src[head.len()..i];
        let (field, _) = field_and_stem(&src[i + "=request.".len()..]);
        let stem = kwarg.to_ascii_lowercase();
        if !kwarg.is_empty() && field == kwarg {
            let uses = scoped_by(&stem);
            admit_stem(&mut out, stem, uses >= 2);
        }
    }
    // A `<stem>_id` that scopes the reads of three or more different tables (`marketplace_id` on
    // sellers, orders, payouts and ledger entries) partitions the data, whatever it is called;
    // a parent key (`order_id` on order items) scopes one table.
    let mut by_stem: Vec<(String, Vec<&str>)> = Vec::new();
    for site in sites.iter().filter(|s| !s.write_only) {
        let text = site.scope_text.as_str();
        for (at, w) in text
            .match_indices(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map(|(i, _)| i + 1)
            .chain([0])
            .filter_map(|i| {
                let w = text
                    .get(i..)?
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .next()?;
                Some((i, w))
            })
            .filter(|(_, w)| w.len() > 3 && w.to_ascii_lowercase().ends_with("_id"))
        {
            // `r.firing_id = f.id`: a join condition between two tables' columns, not a
            // partition the caller picks.
            let rhs = text[at + w.len()..].trim_start();
            let joined = text[..at].ends_with('.')
                && rhs.starts_with('=')
                && !rhs.starts_with("==")
                && rhs[1..]
                    .trim_start()
                    .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                    .next()
                    .is_some_and(|r| r.contains('.'));
            if joined {
                continue;
            }
            let stem = w[..w.len() - 3].to_ascii_lowercase();
            if stem.contains('_') || USER_SCOPE.contains(&stem.as_str()) || out.contains(&stem) {
                continue;
            }
            let Some(table) = site.tables.first() else {
                continue;
            };
            match by_stem.iter_mut().find(|(s, _)| *s == stem) {
                Some((_, tables)) if !tables.contains(&table.as_str()) => tables.push(table),
                Some(_) => {}
                None => by_stem.push((stem, vec![table.as_str()])),
            }
        }
    }
    // In a file of SQL, a stem whose own table is scoped by another partition (`firings … WHERE
    // f.studio_id = :studio_id`, then `firing_id` on readings and pieces) is a parent record
    // inside the tenant, not a partition of its own.
    let wide: Vec<String> = by_stem
        .into_iter()
        .filter(|(stem, tables)| tables.len() >= 3 && !out.contains(stem))
        .map(|(stem, _)| stem)
        .collect();
    let known: Vec<&String> = out.iter().chain(&wide).collect();
    let inside_partition = |stem: &str| {
        sites.iter().any(|s| {
            s.tables.iter().any(|t| t == stem)
                && known
                    .iter()
                    .any(|o| o.as_str() != stem && s.scope_text.has(&format!("{o}_id")))
        })
    };
    // Only in a file of queries: code scopes a parent's children through the parent's row
    // (`.in_(ids of scoped rows)`), which this test cannot see.
    let wide: Vec<String> = wide
        .iter()
        .filter(|s| cx.language != Language::Sql || !inside_partition(s))
        .cloned()
        .collect();
    out.extend(wide);
    // A handler that takes the partition key and never uses it (`order(@PathVariable long
    // pharmacyId, @PathVariable long orderId)` querying by `orderId` alone), while other
    // queries scope by it: the forgotten filter's own tell.
    for f in cx.program.functions.iter().skip(1) {
        // An interface or abstract method (`List<Note> findByClaimId(Long claimId);`) has no
        // body to use its parameters in.
        let text = cx.text(&f.loc);
        if cx.language != Language::Python && !text.contains('{') {
            continue;
        }
        for p in &f.params {
            let name = p.split([':', ' ', '=']).next().unwrap_or("").trim();
            let name = name.rsplit(' ').next().unwrap_or(name);
            let (_, stem) = field_and_stem(name);
            if stem.is_empty()
                || stem.contains('_')
                || USER_SCOPE.contains(&stem.as_str())
                || out.contains(&stem)
            {
                continue;
            }
            if scoped_by(&stem) >= 2 && text.matches(name).count() <= 1 {
                out.push(stem);
            }
        }
    }
    // Said in words ("every clinic is a tenant") and used as a column (`clinic_id`) somewhere:
    // the condition may sit in a scoping helper rather than in any one query.
    // Also said without the word: "multi-boutique SaaS", "shared by several GP clinics", "staff
    // see their own boutique's clients"; a Django foreign key (`filter(boutique=…)`) is a column.
    for stem in stated_tenants(cx.lower())
        .into_iter()
        .chain(stated_partitions(cx.lower()))
    {
        let column = ["_id", "Id", "ID"].iter().any(|suffix| {
            let upper = stem[..1].to_ascii_uppercase() + &stem[1..];
            find::has(src, &format!("{stem}{suffix}"))
                || find::has(src, &format!("{upper}{suffix}"))
        }) || ["(", ", "]
            .iter()
            .any(|lead| find::has(src, &format!("{lead}{stem}=")));
        if column && !out.contains(&stem) && !USER_SCOPE.contains(&stem.as_str()) {
            out.push(stem);
        }
    }
    out
}

/// Partitions named in words that never say "tenant": "multi-boutique" (not multi-thread or
/// multi-region), "shared by several GP clinics", "their own boutique's clients". Singular,
/// lower-case.
fn stated_partitions(lower: &str) -> Vec<String> {
    const NOT_PARTITIONS: [&str; 24] = [
        "tenant", "thread", "threaded", "process", "region", "step", "stage", "line", "user",
        "replica", "pod", "node", "worker", "core", "cloud", "zone", "instance", "level", "page",
        "part", "file", "column", "row", "select",
    ];
    const MANY: [&str; 6] = ["several", "many", "multiple", "all", "different", "dozens"];
    let singular = |w: &str| -> Option<String> {
        let one = if let Some(s) = w.strip_suffix("ies") {
            format!("{s}y")
        } else if w.ends_with("ches") || w.ends_with("shes") || w.ends_with("sses") {
            w[..w.len() - 2].to_string()
        } else {
            w.strip_suffix('s')?.to_string()
        };
        (one.len() >= 3 && !NOT_PARTITIONS.contains(&one.as_str())).then_some(one)
    };
    let mut out: Vec<String> = Vec::new();
    let mut push = |w: String| {
        if w.len() >= 3 && !NOT_PARTITIONS.contains(&w.as_str()) && !out.contains(&w) {
            out.push(w);
        }
    };
    for i in find::find_all(lower, "multi-") {
        if lower[..i].ends_with(|c: char| c.is_ascii_alphanumeric()) {
            continue;
        }
        let w: String = lower[i + 6..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase())
            .collect();
        push(w);
    }
    // "Several clubs share the same deployment", "many studios share one database", "several
    // regional guide-dog charities share this platform".
    for i in find::find_all(lower, " share ") {
        let mut from = i.saturating_sub(80);
        while !lower.is_char_boundary(from) {
            from += 1;
        }
        let before: Vec<&str> = lower[from..i]
            .rsplit(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(5)
            .collect();
        if before.iter().skip(1).any(|w| MANY.contains(w)) {
            if let Some(one) = before.first().and_then(|w| singular(w)) {
                push(one);
            }
        }
    }
    for phrase in ["shared by ", "their own "] {
        for i in find::find_all(lower, phrase) {
            let rest = &lower[i + phrase.len()..];
            let words: Vec<&str> = rest
                .split(|c: char| c != '\'' && !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .take(4)
                .collect();
            if phrase == "their own " {
                // A possessive: "their own boutique's clients" (not "their own orders").
                if let Some(w) = words.first().and_then(|w| w.strip_suffix("'s")) {
                    push(w.to_string());
                }
            } else if words.first().is_some_and(|w| MANY.contains(w)) {
                // "shared by several GP clinics": the first plural of the next three words.
                if let Some(one) = words[1..].iter().find_map(|w| singular(w)) {
                    push(one);
                }
            }
        }
    }
    out
}

/// What the text says the tenant is: "Every clinic is a tenant", "rows belong to a clinic
/// (tenant)", "schools are our tenants", "tenant = store". Singular, lower-case.
/// `lower` is the snippet lower-cased.
fn stated_tenants(lower: &str) -> Vec<String> {
    const FILLER: [&str; 9] = ["a", "an", "the", "is", "are", "our", "as", "per", "each"];
    let mut out: Vec<String> = Vec::new();
    // Only the lines that say "tenant" (found in the lower-cased text once; lower-casing every
    // line of a long file cost more than the rest of the rule), clause by clause: in "each
    // insurer is a tenant; claims carry tenant_id" the word after the first "tenant" belongs to
    // the next clause.
    let mut lines: Vec<&str> = Vec::new();
    let mut after = 0;
    for i in find::find_all(lower, "tenant") {
        if i < after {
            continue;
        }
        let start = lower[..i].rfind('\n').map_or(0, |j| j + 1);
        let end = lower[i..].find('\n').map_or(lower.len(), |j| i + j);
        lines.push(&lower[start..end]);
        after = end;
    }
    for line in lines
        .into_iter()
        .flat_map(|l| l.split([';', ',', '.', ':']))
        .filter(|l| l.has("tenant"))
    {
        let words: Vec<String> = line
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        for (i, w) in words.iter().enumerate() {
            if !w.starts_with("tenant") {
                continue;
            }
            let before_at = words[..i]
                .iter()
                .rposition(|w| !FILLER.contains(&w.as_str()));
            let before = before_at.map(|j| &words[j]);
            // A compound name right after "each" / "every" ("each parish council is a
            // tenant"): its first word too.
            let qualifier = before_at
                .and_then(|j| j.checked_sub(2))
                .filter(|&j| matches!(words[j].as_str(), "each" | "every"))
                .map(|j| &words[j + 1])
                .filter(|w| !FILLER.contains(&w.as_str()));
            let after = words[i + 1..]
                .iter()
                .find(|w| !FILLER.contains(&w.as_str()));
            for cand in [before, qualifier, after].into_iter().flatten() {
                let one = cand.strip_suffix('s').unwrap_or(cand);
                if one.len() >= 3 && !one.starts_with("tenant") && !out.iter().any(|o| o == one) {
                    out.push(one.to_string());
                }
            }
        }
    }
    out
}

/// Classes whose instances hold the caller's tenant (`self.org_id = org_id`,
/// `this.workspaceId = …`, a constructor parameter `private readonly orgId`) and scope at
/// least one of their queries by it: their text region, the first scoped query's line and the
/// tenant column.
fn tenant_bound_classes(cx: &Ctx, t: &Tenancy, sites: &[Site]) -> Vec<(Loc, usize, String)> {
    let src = cx.source;
    let mut out = Vec::new();
    let starts: Vec<usize> = src
        .match_indices("class ")
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || src[..i].ends_with(['\n', ' ', '\t']))
        .collect();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(src.len());
        let body = &src[start..end];
        let holds = body
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .any(|p| {
                let field = p
                    .strip_prefix("self.")
                    .or_else(|| p.strip_prefix("this."))
                    .unwrap_or("");
                !field.contains('.') && t.field_holds_tenant(field)
            })
            || body.lines().any(|l| {
                let l = l.trim_start();
                // The field's name (`private final long schoolId;`), not its type
                // (`LoadingCache<Long, Summary> summaryByHolder` names no tenant).
                (l.starts_with("private readonly ") || l.starts_with("private final "))
                    && l.split([':', '=', ';'])
                        .next()
                        .and_then(|d| d.split_whitespace().next_back())
                        .is_some_and(|name| t.field_holds_tenant(name))
            });
        if !holds {
            continue;
        }
        let region = Loc {
            start,
            end,
            span: cx.lines.span(start, end),
        };
        let scoped_site = sites.iter().find(|s| {
            region.contains(&s.loc) && !s.write_only && s.words.iter().any(|w| t.word(w))
        });
        if let Some(s) = scoped_site {
            let col = t
                .column_in(&s.scope_text)
                .unwrap_or_else(|| "tenant".into());
            out.push((region, s.loc.span.start_line, col));
        }
    }
    out
}

/// The query's FROM table is joined straight to table `owner` by the owner's id (`FROM
/// water_tests t JOIN wells w ON w.id = t.well_id`): each of its rows hangs off one owner row.
fn joined_to_owner(site: &Site, owner: usize) -> bool {
    let text = site.scope_text.to_ascii_lowercase();
    let alias = |i: usize| -> Option<String> {
        let name = site.names.get(i)?.to_ascii_lowercase();
        let at = text.find(&format!("{name} "))? + name.len() + 1;
        let rest = text[at..].trim_start();
        let rest = rest.strip_prefix("as ").unwrap_or(rest);
        let a: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        Some(
            if a.is_empty() || matches!(a.as_str(), "join" | "where" | "on" | "left" | "inner") {
                name
            } else {
                a
            },
        )
    };
    let (Some(from), Some(own)) = (alias(0), alias(owner)) else {
        return false;
    };
    let stem = site.names[owner]
        .to_ascii_lowercase()
        .trim_end_matches('s')
        .to_string();
    [
        format!("{own}.id = {from}.{stem}_id"),
        format!("{from}.{stem}_id = {own}.id"),
    ]
    .iter()
    .any(|k| text.contains(k.as_str()))
}

/// In a join, the table whose alias qualifies the tenant column (`FROM refill_orders o JOIN
/// prescriptions p … WHERE o.pharmacy_id = ?` → `refill_orders`), as an index into
/// `site.tables`; `None` when the column is unqualified or the alias is not found.
fn column_owner(site: &Site, col: &str) -> Option<usize> {
    if site.tables.len() < 2 {
        return None;
    }
    let text = site.scope_text.to_ascii_lowercase();
    let col = col.to_ascii_lowercase();
    let at = text.find(&format!(".{col}"))?;
    let alias = super::queries::trailing(&text[..at], |c| c.is_alphanumeric() || c == '_');
    if alias.is_empty() {
        return None;
    }
    site.names.iter().position(|name| {
        let name = name.to_ascii_lowercase();
        name == alias
            || text.has(&format!("{name} {alias} "))
            || text.has(&format!("{name} as {alias} "))
            || text.has(&format!("{name} {alias}\n"))
    })
}

/// A comment that says every table carries the tenant column ("every table below carries
/// league_id", "all tables have an org_id"): its line and the column.
fn stated_every_table(cx: &Ctx) -> Option<(usize, String)> {
    let lower = cx.lower();
    ["every table", "all tables", "each table", "all the tables"]
        .iter()
        .flat_map(|k| find::find_all(lower, k).map(move |i| (i, *k)))
        .find_map(|(i, k)| {
            let line = cx.lines.position(i).0;
            let text = cx.lines.line_text(line);
            let comment = text.find(['#', '/', '*', '-']).map(|c| &text[c..])?;
            // The rest of the sentence, which may run onto the next comment line.
            let after: String = lower
                .get(i + k.len()..)?
                .lines()
                .take(2)
                .collect::<Vec<_>>()
                .join(" ");
            let after = after.split('.').next().unwrap_or("");
            if !comment.to_ascii_lowercase().has(k) {
                return None;
            }
            after
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .find(|w| w.len() > 3 && w.ends_with("_id"))
                .map(|w| (line, w.to_string()))
        })
}

/// Tables declared with a tenant column: `CREATE TABLE invoices (… org_id …)`, a Django or
/// SQLAlchemy model class with an `org` field, a Prisma `model Invoice { orgId … }`.
fn declared_tables(cx: &Ctx, t: &Tenancy, out: &mut Vec<(String, usize, String)>) {
    let src = cx.source;
    let lower = cx.lower();
    let mut push = |name: &str, at: usize, body: &str| {
        let key = entity_key(name);
        if key.is_empty() || TENANT_TABLES.contains(&key.as_str()) {
            return;
        }
        let Some(col) = body
            .lines()
            .filter_map(|l| {
                let first = l
                    .trim()
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .next()?;
                (t.names_tenant(first) && ident_words(first).len() <= 3).then(|| first.to_string())
            })
            .next()
        else {
            return;
        };
        if !out.iter().any(|(k, _, _)| *k == key) {
            out.push((key, cx.lines.span(at, at).start_line, col));
        }
    };
    // Each body also ends where the next declaration starts: without a `;` (or a next
    // `class` at a line start) a body ran to the end of the text, and a paste repeating the
    // keyword made this rule quadratic (fuzzing: 5 s for 500 KB). Disjoint bodies keep it linear.
    let creates: Vec<usize> = lower
        .match_indices("create table")
        .map(|(i, _)| i)
        .collect();
    for (n, &i) in creates.iter().enumerate() {
        let next_create = creates.get(n + 1).copied().unwrap_or(src.len());
        let rest = &src[i + 12..];
        let rest_l = &lower[i + 12..];
        let rest_l = rest_l.trim_start();
        let skip = rest.len() - rest_l.len();
        let rest_l = rest_l
            .strip_prefix("if not exists")
            .unwrap_or(rest_l)
            .trim_start();
        let name: String = rest_l
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '"' | '`'))
            .collect();
        let name = name
            .rsplit('.')
            .next()
            .unwrap_or(&name)
            .replace(['"', '`'], "");
        let body_start = i + 12 + skip;
        let end = rest[skip..]
            .find(';')
            .map_or(src.len(), |e| body_start + e)
            .min(next_create.max(body_start));
        let body = src.get(body_start..end).unwrap_or("").replace(',', "\n");
        let body = body.split_once('(').map_or("", |(_, b)| b);
        push(&name, i, body);
    }
    // A migration that only indexes a table (`CREATE INDEX … ON reservations (account_id,
    // status)`) shows its columns too.
    if lower.has("create index") || lower.has("create unique index") {
        for i in find::find_all(lower, " index ") {
            let stmt = &lower[i..];
            let stmt = &stmt[..stmt.find(';').unwrap_or(stmt.len()).min(300)];
            let Some(on) = stmt.find(" on ") else {
                continue;
            };
            let after_on = stmt[on + 4..].trim_start();
            let after_on = after_on.strip_prefix("only ").unwrap_or(after_on);
            let name: String = after_on
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.'))
                .collect();
            let Some(cols) = after_on[name.len()..].split_once('(').map(|(_, c)| c) else {
                continue;
            };
            let cols = cols.split(')').next().unwrap_or("").replace(',', "\n");
            push(name.rsplit('.').next().unwrap_or(&name), i, &cols);
        }
    }
    let mut decls: Vec<usize> = ["class ", "model "]
        .iter()
        .flat_map(|kw| find::find_all(src, kw))
        .collect();
    decls.sort_unstable();
    for kw in ["class ", "model "] {
        for i in find::find_all(src, kw) {
            if i > 0 && !src[..i].ends_with(['\n', ' ', '\t']) {
                continue;
            }
            let name: String = src[i + kw.len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() || !name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                continue;
            }
            // The body runs to the next `class ` / `model ` anywhere (a declaration at a line
            // start is one of those too). Searching the rest of the text for the next one at a
            // line start, per class, made this quadratic: 50 ms for 10,000 lines of Java.
            let after = &src[i + kw.len()..];
            let next_decl = decls
                .get(decls.partition_point(|&d| d <= i))
                .map_or(after.len(), |&d| d.saturating_sub(i + kw.len()))
                .min(after.len());
            push(&name, i, &after[..next_decl]);
        }
    }
    // Go models: `type Appointment struct { … ClinicID uint … }`, the body up to its `}` line.
    if cx.language == Language::Go {
        for i in find::find_all(src, "type ") {
            if i > 0 && !src[..i].ends_with('\n') {
                continue;
            }
            let after = &src[i + 5..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let Some(body) = after[name.len()..].trim_start().strip_prefix("struct") else {
                continue;
            };
            let end = body.find("\n}").unwrap_or(body.len());
            if name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                push(&name, i, body.get(..end).unwrap_or(""));
            }
        }
    }
}
