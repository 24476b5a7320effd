// Running slots on the club's O gauge layout: who is driving which loco on
// which evening. Every club on the platform shares these tables, keyed by club_id.

type RunningSlot struct {
	ID         int64     `db:"id" json:"id"`
	StartsAt   time.Time `db:"starts_at" json:"starts_at"`
	Layout     string    `db:"layout" json:"layout"`
	OperatorID int64     `db:"operator_id" json:"-"`
	Operator   string    `db:"-" json:"operator"`
}

const maxPageSize = 50

// ListSlots returns the next page of running slots for the caller's club.
// GET /slots?after=<RFC3339>&limit=25
func (h *SlotsHandler) ListSlots(c *gin.Context) {
	claims := auth.MustClaims(c) // club comes from the signed session, not the request
	limit, err := strconv.Atoi(c.DefaultQuery("limit", "25"))
	if err != nil || limit < 1 || limit > maxPageSize {
		limit = 25
	}
	after := time.Now()
	if raw := c.Query("after"); raw != "" {
		if t, err := time.Parse(time.RFC3339, raw); err == nil {
			after = t
		}
	}

	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()

	var slots []RunningSlot
	err = h.db.SelectContext(ctx, &slots,
		`SELECT id, starts_at, layout, operator_id
		   FROM running_slots
		  WHERE club_id = $1 AND starts_at > $2
		  ORDER BY starts_at, id
		  LIMIT $3`, claims.ClubID, after, limit)
	if err != nil {
		h.log.Error("list running slots", "club", claims.ClubID, "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load slots"})
		return
	}

	if err := h.attachOperatorNames(ctx, claims.ClubID, slots); err != nil {
		h.log.Error("operator names", "club", claims.ClubID, "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load slots"})
		return
	}

	var next string
	if len(slots) == limit {
		next = slots[len(slots)-1].StartsAt.Format(time.RFC3339)
	}
	c.JSON(http.StatusOK, gin.H{"slots": slots, "next_after": next})
}

// attachOperatorNames loads all operators for the page in one query.
func (h *SlotsHandler) attachOperatorNames(ctx context.Context, clubID int64, slots []RunningSlot) error {
	if len(slots) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(slots))
	for _, s := range slots {
		ids = append(ids, s.OperatorID)
	}

	query, args, err := sqlx.In(
		`SELECT id, display_name FROM members WHERE club_id = ? AND id IN (?)`, clubID, ids)
	if err != nil {
		return err
	}
	var members []struct {
		ID   int64  `db:"id"`
		Name string `db:"display_name"`
	}
	if err := h.db.SelectContext(ctx, &members, h.db.Rebind(query), args...); err != nil {
		return err
	}

	names := make(map[int64]string, len(members))
	for _, m := range members {
		names[m.ID] = m.Name
	}
	for i := range slots {
		slots[i].Operator = names[slots[i].OperatorID]
	}
	return nil
}
