-- Multi-tenant isolation with row-level security: the app sets app.tenant_id per transaction.
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE documents FORCE ROW LEVEL SECURITY;

CREATE POLICY documents_tenant ON documents
    USING (tenant_id = current_setting('app.tenant_id')::bigint)
    WITH CHECK (tenant_id = current_setting('app.tenant_id')::bigint);

-- name: GetDocument :one
SELECT id, title, body, updated_at FROM documents WHERE id = $1;

-- name: RecentDocuments :many
SELECT id, title, updated_at FROM documents ORDER BY updated_at DESC LIMIT 20;
