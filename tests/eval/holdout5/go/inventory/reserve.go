// reserve stock for a cart line + apply coupon. pasted from internal/checkout/inventory.go

var ErrOutOfStock = errors.New("out of stock")
var ErrCouponExhausted = errors.New("coupon no longer available")

func (s *Service) Reserve(ctx context.Context, productID int64, qty int) error {
	res, err := s.db.ExecContext(ctx,
		`UPDATE products SET stock = stock - $1 WHERE id = $2 AND stock >= $1`, qty, productID)
	if err != nil {
		return fmt.Errorf("reserve %d: %w", productID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrOutOfStock
	}
	return nil
}

func (s *Service) ApplyCoupon(ctx context.Context, tx *sqlx.Tx, code string, orderID int64) error {
	var c struct {
		ID       int64 `db:"id"`
		Uses     int   `db:"uses"`
		MaxUses  int   `db:"max_uses"`
	}
	err := tx.GetContext(ctx, &c, `SELECT id, uses, max_uses FROM coupons WHERE code = $1 FOR UPDATE`, code)
	if err != nil {
		return err
	}
	if c.Uses >= c.MaxUses {
		return ErrCouponExhausted
	}
	if _, err := tx.ExecContext(ctx, `UPDATE coupons SET uses = uses + 1 WHERE id = $1`, c.ID); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE orders SET coupon_id = $1 WHERE id = $2`, c.ID, orderID)
	return err
}
