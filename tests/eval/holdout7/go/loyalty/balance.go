// Balance returns a member's points balance. Cached per member for 5 minutes;
// Accrue deletes the entry whenever the balance changes.
func (s *Store) Balance(ctx context.Context, memberID int64) (int64, error) {
	key := fmt.Sprintf("loyalty:balance:%d", memberID)
	if pts, err := s.rdb.Get(ctx, key).Int64(); err == nil {
		return pts, nil
	}
	var pts int64
	if err := s.db.QueryRowContext(ctx, `SELECT points FROM loyalty_accounts WHERE member_id = $1`, memberID).Scan(&pts); err != nil {
		return 0, fmt.Errorf("load balance for member %d: %w", memberID, err)
	}
	s.rdb.Set(ctx, key, pts, 5*time.Minute)
	return pts, nil
}

// Accrue credits points for an order; the ledger's unique order_ref makes it safe to retry.
func (s *Store) Accrue(ctx context.Context, memberID int64, orderRef string, points int64) error {
	_, err := s.db.ExecContext(ctx, `
		WITH ins AS (
			INSERT INTO points_ledger (member_id, order_ref, points) VALUES ($1, $2, $3)
			ON CONFLICT (order_ref) DO NOTHING
			RETURNING points
		)
		UPDATE loyalty_accounts a SET points = a.points + ins.points
		  FROM ins WHERE a.member_id = $1`, memberID, orderRef, points)
	if err != nil {
		return fmt.Errorf("accrue %s: %w", orderRef, err)
	}
	return s.rdb.Del(ctx, fmt.Sprintf("loyalty:balance:%d", memberID)).Err()
}
