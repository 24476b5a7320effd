// internal/invoices/repo.go (excerpt)

type Invoice struct {
	ID           int64      `db:"id" json:"id"`
	TenantID     int64      `db:"tenant_id" json:"-"`
	Number       string     `db:"number" json:"number"`
	CustomerName string     `db:"customer_name" json:"customer_name"`
	TotalCents   int64      `db:"total_cents" json:"total_cents"`
	Status       string     `db:"status" json:"status"`
	IssuedAt     time.Time  `db:"issued_at" json:"issued_at"`
	PaidAt       *time.Time `db:"paid_at" json:"paid_at,omitempty"`
	Lines        []Line     `db:"-" json:"lines"`
}

type Line struct {
	ID          int64  `db:"id" json:"id"`
	InvoiceID   int64  `db:"invoice_id" json:"-"`
	Description string `db:"description" json:"description"`
	Quantity    int32  `db:"quantity" json:"quantity"`
	UnitCents   int64  `db:"unit_cents" json:"unit_cents"`
}

type Repo struct {
	pool *pgxpool.Pool
}

func NewRepo(pool *pgxpool.Pool) *Repo { return &Repo{pool: pool} }

// List returns one page of a tenant's invoices, newest first, with their lines.
func (r *Repo) List(ctx context.Context, tenantID int64, limit, offset int) ([]Invoice, error) {
	rows, err := r.pool.Query(ctx, `
		SELECT id, tenant_id, number, customer_name, total_cents, status, issued_at, paid_at
		FROM invoices
		WHERE tenant_id = $1
		ORDER BY issued_at DESC
		LIMIT $2 OFFSET $3`, tenantID, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("list invoices: %w", err)
	}
	invs, err := pgx.CollectRows(rows, pgx.RowToStructByName[Invoice])
	if err != nil {
		return nil, err
	}

	for i := range invs {
		lines, err := r.lines(ctx, invs[i].ID)
		if err != nil {
			return nil, err
		}
		invs[i].Lines = lines
	}
	return invs, nil
}

func (r *Repo) lines(ctx context.Context, invoiceID int64) ([]Line, error) {
	rows, err := r.pool.Query(ctx, `
		SELECT id, invoice_id, description, quantity, unit_cents
		FROM invoice_lines
		WHERE invoice_id = $1
		ORDER BY position`, invoiceID)
	if err != nil {
		return nil, fmt.Errorf("invoice lines: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[Line])
}

// Get loads a single invoice for the tenant.
func (r *Repo) Get(ctx context.Context, tenantID, id int64) (*Invoice, error) {
	rows, err := r.pool.Query(ctx, `
		SELECT id, tenant_id, number, customer_name, total_cents, status, issued_at, paid_at
		FROM invoices
		WHERE tenant_id = $1 AND id = $2`, tenantID, id)
	if err != nil {
		return nil, err
	}
	inv, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Invoice])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &inv, err
}

// PDFKey returns the object-storage key of the rendered PDF.
// Used by GET /invoices/{id}/pdf to build a presigned download URL.
func (r *Repo) PDFKey(ctx context.Context, id int64) (string, error) {
	var key string
	err := r.pool.QueryRow(ctx, `SELECT pdf_object_key FROM invoices WHERE id = $1`, id).Scan(&key)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	return key, err
}

// MarkPaid is called from the payments consumer.
func (r *Repo) MarkPaid(ctx context.Context, tenantID, id int64, paidAt time.Time) error {
	tag, err := r.pool.Exec(ctx,
		`UPDATE invoices SET status = 'paid', paid_at = $3
		 WHERE tenant_id = $1 AND id = $2 AND status <> 'paid'`, tenantID, id, paidAt)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}
