package beaters

import (
	"context"
	"database/sql"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"
	_ "github.com/jackc/pgx/v5/stdlib"

	"moorland.example/shoots/rota"
)

// RebuildRota serves POST /estates/:estate/seasons/:season/rota/rebuild.
// The head keeper presses "Rebuild" after changing shoot days or beater
// availability; the new rota replaces the old one for that season.
func RebuildRota(c *gin.Context) {
	estateID, season := c.Param("estate"), c.Param("season")

	db, err := sql.Open("pgx", os.Getenv("ROTA_DATABASE_URL"))
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "database unavailable"})
		return
	}
	defer db.Close()

	ctx, cancel := context.WithTimeout(c.Request.Context(), 10*time.Minute)
	defer cancel()

	days, err := loadShootDays(ctx, db, estateID, season)
	if err != nil {
		log.Printf("estate %s: shoot days: %v", estateID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load shoot days"})
		return
	}
	team, err := loadBeaters(ctx, db, estateID)
	if err != nil {
		log.Printf("estate %s: beaters: %v", estateID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load beaters"})
		return
	}

	// Annealing over every drive of every shoot day: balances days per beater,
	// keeps the flag men on the ends and spreads the dog handlers out.
	// A full 60-day season with ~40 beaters takes a few minutes on the VM.
	plan := rota.Anneal(days, team, rota.Options{Iterations: 2_000_000, Restarts: 8})

	if err := savePlan(ctx, db, estateID, season, plan); err != nil {
		log.Printf("estate %s: save rota: %v", estateID, err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not save rota"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"assignments": len(plan.Assignments), "score": plan.Score})
}

func loadShootDays(ctx context.Context, db *sql.DB, estateID, season string) ([]rota.Day, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT id, shoot_date, drives
		FROM shoot_days
		WHERE estate_id = $1 AND season = $2
		ORDER BY shoot_date
		LIMIT 120`, estateID, season)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var days []rota.Day
	for rows.Next() {
		var d rota.Day
		if err := rows.Scan(&d.ID, &d.Date, &d.Drives); err != nil {
			return nil, err
		}
		days = append(days, d)
	}
	return days, rows.Err()
}

func loadBeaters(ctx context.Context, db *sql.DB, estateID string) ([]rota.Beater, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT id, name, has_dog, can_flag
		FROM beaters
		WHERE estate_id = $1 AND active
		ORDER BY id
		LIMIT 500`, estateID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var team []rota.Beater
	for rows.Next() {
		var b rota.Beater
		if err := rows.Scan(&b.ID, &b.Name, &b.HasDog, &b.CanFlag); err != nil {
			return nil, err
		}
		team = append(team, b)
	}
	return team, rows.Err()
}

func savePlan(ctx context.Context, db *sql.DB, estateID, season string, plan rota.Plan) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx,
		`DELETE FROM rota_assignments WHERE estate_id = $1 AND season = $2`, estateID, season); err != nil {
		return err
	}
	dayIDs, beaterIDs, drives := plan.Columns()
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO rota_assignments (estate_id, season, shoot_day_id, beater_id, drive_no)
		SELECT $1, $2, d, b, n FROM unnest($3::bigint[], $4::bigint[], $5::int[]) AS t(d, b, n)`,
		estateID, season, dayIDs, beaterIDs, drives); err != nil {
		return err
	}
	return tx.Commit()
}
