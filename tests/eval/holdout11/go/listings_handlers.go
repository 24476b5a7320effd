// internal/listings/handlers.go (excerpt)

type ListingHandlers struct {
	pool  *pgxpool.Pool
	rdb   *redis.Client
	log   *slog.Logger
}

type Listing struct {
	ID        int64   `json:"id"`
	Address   string  `json:"address"`
	City      string  `json:"city"`
	PriceUSD  int64   `json:"price_usd"`
	Beds      int     `json:"beds"`
	Baths     float32 `json:"baths"`
	PhotoURL  string  `json:"photo_url"`
	Score     float64 `json:"score,omitempty"`
}

// Featured returns the "hot in your city" carousel: top listings by views and
// saves over the last 7 days. Identical for every visitor in a city.
func (h *ListingHandlers) Featured(w http.ResponseWriter, r *http.Request) {
	city := chi.URLParam(r, "city")
	user := auth.UserFrom(r.Context())
	cacheKey := fmt.Sprintf("featured:%s:%d", city, user.ID)

	if cached, err := h.rdb.Get(r.Context(), cacheKey).Bytes(); err == nil {
		w.Header().Set("Content-Type", "application/json")
		w.Write(cached)
		return
	}

	rows, err := h.pool.Query(r.Context(), `
		SELECT l.id, l.address, l.city, l.price_usd, l.beds, l.baths, l.photo_url,
		       COUNT(DISTINCT v.id) + 3 * COUNT(DISTINCT s.id) AS score
		  FROM listings l
		  LEFT JOIN listing_views v ON v.listing_id = l.id AND v.viewed_at > now() - interval '7 days'
		  LEFT JOIN listing_saves s ON s.listing_id = l.id AND s.saved_at > now() - interval '7 days'
		 WHERE l.city = $1 AND l.status = 'active'
		 GROUP BY l.id
		 ORDER BY score DESC
		 LIMIT 12`, city)
	if err != nil {
		h.log.Error("featured query", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	items, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Listing])
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	body, _ := json.Marshal(items)
	h.rdb.Set(r.Context(), cacheKey, body, 10*time.Minute)
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

// Search powers the map view: every active listing inside the price/bed filter.
func (h *ListingHandlers) Search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	minPrice, _ := strconv.ParseInt(q.Get("min_price"), 10, 64)
	maxPrice, err := strconv.ParseInt(q.Get("max_price"), 10, 64)
	if err != nil {
		maxPrice = math.MaxInt64
	}
	beds, _ := strconv.Atoi(q.Get("beds"))

	rows, err := h.pool.Query(r.Context(), `
		SELECT id, address, city, price_usd, beds, baths, photo_url, 0::float8
		  FROM listings
		 WHERE status = 'active' AND price_usd BETWEEN $1 AND $2 AND beds >= $3
		 ORDER BY listed_at DESC`, minPrice, maxPrice, beds)
	if err != nil {
		h.log.Error("search query", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	items, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Listing])
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(items)
}
