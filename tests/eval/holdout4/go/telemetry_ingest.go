// Command ingest receives sensor batches from the greenhouse gateways and
// writes them to Postgres.
//
// Deployment: k8s Deployment "telemetry-ingest", replicas: 3, behind the
// nginx ingress (see deploy/ingest.yaml).
package main

import (
	"context"
	"log"
	"os"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

type Reading struct {
	SensorID  string    `json:"sensor_id"`
	Metric    string    `json:"metric"` // temp_c, humidity, co2_ppm, soil_moisture
	Value     float64   `json:"value"`
	Timestamp time.Time `json:"ts"`
}

type window struct {
	start time.Time
	count int
}

const maxBatchesPerMinute = 60

var (
	limitMu sync.Mutex
	windows = make(map[string]*window) // gateway id -> current minute window
)

func allowGateway(id string) bool {
	limitMu.Lock()
	defer limitMu.Unlock()
	now := time.Now()
	w, ok := windows[id]
	if !ok || now.Sub(w.start) > time.Minute {
		windows[id] = &window{start: now, count: 1}
		return true
	}
	w.count++
	return w.count <= maxBatchesPerMinute
}

// Ops laptops on the VPN.
var adminIPs = map[string]bool{"10.40.0.12": true, "10.40.0.13": true}

func main() {
	pool, err := pgxpool.New(context.Background(), os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()

	app := fiber.New(fiber.Config{BodyLimit: 2 * 1024 * 1024})

	app.Post("/v1/gateways/:gatewayID/readings", func(c *fiber.Ctx) error {
		gatewayID := c.Params("gatewayID")
		if !allowGateway(gatewayID) {
			return c.SendStatus(fiber.StatusTooManyRequests)
		}
		var batch []Reading
		if err := c.BodyParser(&batch); err != nil {
			return fiber.NewError(fiber.StatusBadRequest, "malformed batch")
		}
		rows := make([][]any, 0, len(batch))
		for _, r := range batch {
			rows = append(rows, []any{gatewayID, r.SensorID, r.Metric, r.Value, r.Timestamp})
		}
		_, err := pool.CopyFrom(c.UserContext(), pgx.Identifier{"sensor_readings"},
			[]string{"gateway_id", "sensor_id", "metric", "value", "recorded_at"},
			pgx.CopyFromRows(rows))
		if err != nil {
			log.Printf("copy failed for gateway %s: %v", gatewayID, err)
			return fiber.ErrInternalServerError
		}
		return c.SendStatus(fiber.StatusAccepted)
	})

	// Push new calibration offsets to a gateway. Only reachable from the ops VPN.
	app.Post("/admin/gateways/:gatewayID/calibration", func(c *fiber.Ctx) error {
		caller := c.Get("X-Real-IP")
		if !adminIPs[caller] {
			return c.SendStatus(fiber.StatusForbidden)
		}
		var offsets map[string]float64
		if err := c.BodyParser(&offsets); err != nil {
			return fiber.ErrBadRequest
		}
		_, err := pool.Exec(c.UserContext(),
			`UPDATE gateways SET calibration = $1, calibration_updated_at = now() WHERE id = $2`,
			offsets, c.Params("gatewayID"))
		if err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	})

	log.Fatal(app.Listen(":8080"))
}
