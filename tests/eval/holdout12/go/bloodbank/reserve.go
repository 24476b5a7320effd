// is this safe if two hospitals try to reserve the same unit at the same moment?
// (Store.db is the *sql.DB created in main, pgx stdlib driver)

func (s *Store) ReserveUnit(ctx context.Context, unitID, orderID int64) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE blood_units
		   SET status = 'reserved', order_id = $2, reserved_at = now()
		 WHERE id = $1 AND status = 'available' AND expires_on > current_date`,
		unitID, orderID)
	if err != nil {
		return fmt.Errorf("reserve unit %d: %w", unitID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("reserve unit %d: %w", unitID, err)
	}
	if n == 1 {
		return nil
	}

	// nothing updated: find out why so the portal can show a useful message
	var status string
	err = s.db.QueryRowContext(ctx, `SELECT status FROM blood_units WHERE id = $1`, unitID).Scan(&status)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ErrUnitNotFound
	case err != nil:
		return fmt.Errorf("reserve unit %d: %w", unitID, err)
	case status == "available":
		return ErrUnitExpired
	default:
		return ErrUnitTaken
	}
}
