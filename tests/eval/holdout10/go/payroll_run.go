// You're right — the previous version read gross_ytd into Go, added the
// period's pay and wrote it back, so two pay runs overlapping (e.g. a
// correction run started while the regular run is still going) could
// overwrite each other's totals. The fix below does the increment in SQL,
// which is atomic per row. Everything runs in one transaction so a failure
// rolls back the whole run.

package payroll

import (
	"context"
	"database/sql"
	"fmt"
)

type Employee struct {
	ID         int64
	HourlyRate int64 // cents
}

// RunPayroll is called by the payroll worker when a pay period closes.
func RunPayroll(ctx context.Context, db *sql.DB, companyID, periodID int64) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	rows, err := tx.QueryContext(ctx,
		`SELECT id, hourly_rate_cents FROM employees WHERE company_id = $1 AND active`, companyID)
	if err != nil {
		return fmt.Errorf("load employees: %w", err)
	}
	var emps []Employee
	for rows.Next() {
		var e Employee
		if err := rows.Scan(&e.ID, &e.HourlyRate); err != nil {
			rows.Close()
			return err
		}
		emps = append(emps, e)
	}
	rows.Close()

	for _, e := range emps {
		var minutes int64
		err := tx.QueryRowContext(ctx,
			`SELECT coalesce(sum(minutes_worked), 0) FROM timesheet_entries WHERE employee_id = $1 AND period_id = $2`,
			e.ID, periodID).Scan(&minutes)
		if err != nil {
			return fmt.Errorf("timesheets for %d: %w", e.ID, err)
		}
		gross := minutes * e.HourlyRate / 60

		if _, err := tx.ExecContext(ctx,
			`INSERT INTO payslips (employee_id, period_id, gross_cents) VALUES ($1, $2, $3)
			 ON CONFLICT (employee_id, period_id) DO UPDATE SET gross_cents = EXCLUDED.gross_cents`,
			e.ID, periodID, gross); err != nil {
			return fmt.Errorf("payslip for %d: %w", e.ID, err)
		}
		// atomic increment instead of read-modify-write
		if _, err := tx.ExecContext(ctx,
			`UPDATE employee_ytd SET gross_ytd_cents = gross_ytd_cents + $1 WHERE employee_id = $2 AND tax_year = extract(year FROM now())`,
			gross, e.ID); err != nil {
			return fmt.Errorf("ytd for %d: %w", e.ID, err)
		}
	}
	return tx.Commit()
}
