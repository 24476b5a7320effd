package exporter

import (
	"context"
	"database/sql"
	"log"
	"time"
)

type Exporter struct {
	DB     *sql.DB
	Upload func(ctx context.Context, name string, data []byte) error
}

// Run exports yesterday's orders every night; called by main in a time.Ticker loop.
func (e *Exporter) Run(ctx context.Context) {
	rows, err := e.DB.QueryContext(ctx, `SELECT id, customer_id, total_cents FROM orders WHERE created_at >= now() - interval '1 day'`)
	if err != nil {
		log.Printf("export query: %v", err)
		return
	}
	defer rows.Close()
	var buf []byte
	for rows.Next() {
		var id, customer, total int64
		if err := rows.Scan(&id, &customer, &total); err != nil {
			log.Printf("scan: %v", err)
			return
		}
		var email string
		if err := e.DB.QueryRowContext(ctx, `SELECT email FROM customers WHERE id = $1`, customer).Scan(&email); err != nil {
			continue
		}
		buf = append(buf, []byte(email+"\n")...)
	}
	name := "orders-" + time.Now().Format("2006-01-02") + ".csv"
	if err := e.Upload(ctx, name, buf); err != nil {
		log.Printf("upload %s: %v", name, err)
	}
}
