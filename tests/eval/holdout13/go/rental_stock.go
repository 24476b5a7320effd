// is this safe if two farmers try to rent the last baler at the same time?
// (gorm, postgres)
func ReserveUnit(ctx context.Context, db *gorm.DB, equipmentID, renterID uint, from, to time.Time) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Equipment{}).
			Where("id = ? AND available_units > 0", equipmentID).
			Update("available_units", gorm.Expr("available_units - 1"))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNoUnitsLeft
		}
		return tx.Create(&Rental{EquipmentID: equipmentID, RenterID: renterID, From: from, To: to}).Error
	})
}
