package payroll

import (
	"archive/zip"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/jung-kurt/gofpdf"
	"github.com/labstack/echo/v4"
	_ "github.com/lib/pq"
)

type Payslip struct {
	EmployeeID   string
	FullName     string
	Department   string
	GrossCents   int64
	TaxCents     int64
	PensionCents int64
	NetCents     int64
	PeriodEnd    time.Time
}

// RegisterExportRoutes wires the payslip export endpoints.
// Bigger customers run payroll for 20k+ employees per cycle.
func RegisterExportRoutes(e *echo.Echo) {
	e.GET("/companies/:companyID/payroll-runs/:runID/payslips.zip", exportPayslips)
}

// exportPayslips renders one PDF per employee and streams them back as a zip.
func exportPayslips(c echo.Context) error {
	companyID := c.Param("companyID")
	runID := c.Param("runID")

	db, err := sql.Open("postgres", os.Getenv("PAYROLL_DATABASE_URL"))
	if err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "database unavailable")
	}
	defer db.Close()

	rows, err := db.QueryContext(c.Request().Context(), `
		SELECT e.external_id, e.full_name, e.department,
		       p.gross_cents, p.tax_cents, p.pension_cents, p.net_cents, r.period_end
		  FROM payslips p
		  JOIN employees e ON e.id = p.employee_id
		  JOIN payroll_runs r ON r.id = p.run_id
		 WHERE r.company_id = $1 AND p.run_id = $2
		 ORDER BY e.full_name`, companyID, runID)
	if err != nil {
		return err
	}
	defer rows.Close()

	c.Response().Header().Set(echo.HeaderContentType, "application/zip")
	c.Response().Header().Set(echo.HeaderContentDisposition,
		fmt.Sprintf(`attachment; filename="payslips-%s.zip"`, runID))
	c.Response().WriteHeader(http.StatusOK)

	zw := zip.NewWriter(c.Response())
	defer zw.Close()

	for rows.Next() {
		var p Payslip
		if err := rows.Scan(&p.EmployeeID, &p.FullName, &p.Department, &p.GrossCents,
			&p.TaxCents, &p.PensionCents, &p.NetCents, &p.PeriodEnd); err != nil {
			return err
		}
		f, err := zw.Create(fmt.Sprintf("%s-%s.pdf", p.EmployeeID, p.PeriodEnd.Format("2006-01")))
		if err != nil {
			return err
		}
		if err := writePayslipPDF(f, p); err != nil {
			continue
		}
	}
	return rows.Err()
}

func writePayslipPDF(w interface{ Write([]byte) (int, error) }, p Payslip) error {
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 16)
	pdf.Cell(0, 10, "Payslip - "+p.FullName)
	pdf.Ln(12)
	pdf.SetFont("Helvetica", "", 11)
	lines := [][2]string{
		{"Employee ID", p.EmployeeID},
		{"Department", p.Department},
		{"Period ending", p.PeriodEnd.Format("02 Jan 2006")},
		{"Gross pay", money(p.GrossCents)},
		{"Income tax", money(p.TaxCents)},
		{"Pension", money(p.PensionCents)},
		{"Net pay", money(p.NetCents)},
	}
	for _, l := range lines {
		pdf.CellFormat(60, 8, l[0], "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 8, l[1], "", 1, "R", false, 0, "")
	}
	return pdf.Output(w)
}

func money(cents int64) string {
	return fmt.Sprintf("£%d.%02d", cents/100, cents%100)
}
