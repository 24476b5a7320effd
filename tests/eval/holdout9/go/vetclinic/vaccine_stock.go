// is this safe under concurrent requests? two nurses sometimes hit "administer" at the same time
func (s *StockService) Administer(ctx context.Context, clinicID, vaccineID int64) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE vaccine_stock
		   SET doses_left = doses_left - 1, updated_at = now()
		 WHERE clinic_id = $1 AND vaccine_id = $2 AND doses_left > 0`,
		clinicID, vaccineID)
	if err != nil {
		return fmt.Errorf("administer vaccine %d: %w", vaccineID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrOutOfStock
	}
	return nil
}
