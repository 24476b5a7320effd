// schedule cache for the walker app's "My day" screen. each walker only ever
// sees their own walks, so the key is the walker id.
// (pasted from walkers/schedule.go — Store is the sqlx repo)

var (
	schedCache = expirable.NewLRU[int64, []Walk](20_000, nil, 45*time.Second)
	schedGroup singleflight.Group
)

func (s *ScheduleService) MyDay(ctx context.Context, walkerID int64) ([]Walk, error) {
	if walks, ok := schedCache.Get(walkerID); ok {
		return walks, nil
	}
	v, err, _ := schedGroup.Do(strconv.FormatInt(walkerID, 10), func() (any, error) {
		walks, err := s.Store.WalksForWalker(ctx, walkerID, time.Now().Truncate(24*time.Hour))
		if err != nil {
			return nil, err
		}
		schedCache.Add(walkerID, walks)
		return walks, nil
	})
	if err != nil {
		return nil, fmt.Errorf("load schedule for walker %d: %w", walkerID, err)
	}
	return v.([]Walk), nil
}

// called after a booking/cancel touches this walker's day
func (s *ScheduleService) Invalidate(walkerID int64) {
	schedCache.Remove(walkerID)
}
