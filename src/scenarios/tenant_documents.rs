//! Tenant documents: one query of a shared table forgets the tenant filter.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "tenant-documents",
        title: "Knowledge base: one query forgets the workspace",
        hazard: "missing-tenant-filter",
        story: "A multitenant knowledge base keeps every customer's documents in one table, and \
                each query adds the workspace filter by hand. The category view, written later, \
                left it out; with a single workspace in staging every row was the caller's own. \
                With 20 customers in production, 19 of every 20 documents that page listed \
                belonged to another company.",
        lesson: "Scope every query of a shared table to the tenant, or let the database or a scoped repository do it for you.",
        snippets: &[
            Snippet {
                language: Language::TypeScript,
                naive: include_str!("tenant_documents/naive.ts"),
                fixed: include_str!("tenant_documents/fixed.ts"),
            },
            Snippet {
                language: Language::Java,
                naive: include_str!("tenant_documents/naive.java"),
                fixed: include_str!("tenant_documents/fixed.java"),
            },
        ],
        preset: Preset {
            load: 20,
            seed: 42,
            params: &[
                ("requests", 200),
                ("rows_per_tenant", 100),
                ("categories", 20),
                ("page_size", 20),
            ],
        },
    }
}
