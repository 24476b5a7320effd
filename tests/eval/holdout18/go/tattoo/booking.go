// Yes — the version below is safe against two clients grabbing the same artist
// slot. The SELECT ... FOR UPDATE locks the slot row for the rest of the
// transaction, so a concurrent booking waits, then sees status = 'booked'.
func (s *Store) BookSlot(ctx context.Context, slotID, clientID int64, depositRef string) error {
	tx, err := s.db.BeginTx(ctx, pgx.TxOptions{})
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(ctx) // no-op after Commit

	var status string
	var artistID int64
	err = tx.QueryRow(ctx,
		`SELECT status, artist_id FROM artist_slots WHERE id = $1 FOR UPDATE`, slotID).Scan(&status, &artistID)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrSlotNotFound
	}
	if err != nil {
		return fmt.Errorf("lock slot: %w", err)
	}
	if status != "open" {
		return ErrSlotTaken
	}
	if _, err := tx.Exec(ctx,
		`UPDATE artist_slots SET status = 'booked', client_id = $2, deposit_ref = $3 WHERE id = $1`,
		slotID, clientID, depositRef); err != nil {
		return fmt.Errorf("book slot: %w", err)
	}
	if _, err := tx.Exec(ctx,
		`INSERT INTO booking_events (slot_id, artist_id, client_id, kind) VALUES ($1, $2, $3, 'booked')`,
		slotID, artistID, clientID); err != nil {
		return fmt.Errorf("event: %w", err)
	}
	return tx.Commit(ctx)
}
