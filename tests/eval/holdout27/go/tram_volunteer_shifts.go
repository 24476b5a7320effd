package tramshifts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"
)

// ShiftService backs the volunteer rota for the historic tram restoration
// workshops. Each museum (tenant) has its own depots, shifts and volunteers.

var ErrShiftGone = errors.New("shift already claimed or cancelled")

type Shift struct {
	ID          int64
	DepotID     int64
	TramFleetNo string
	Task        string // e.g. "truck overhaul", "lining out", "controller rewiring"
	StartsAt    time.Time
	VolunteerID sql.NullInt64
	Volunteer   *Volunteer
}

type Volunteer struct {
	ID        int64
	Name      string
	Skills    []string
	Inducted  bool
}

type ShiftService struct {
	DB *sql.DB
}

// Claim gives an open shift to a volunteer. The conditional UPDATE only
// matches while the shift is still unclaimed, so two volunteers tapping
// "take this shift" at the same moment cannot both get it.
func (s *ShiftService) Claim(ctx context.Context, museumID, shiftID, volunteerID int64) error {
	res, err := s.DB.ExecContext(ctx, `
		UPDATE restoration_shifts
		SET volunteer_id = $3, claimed_at = now()
		WHERE museum_id = $1 AND id = $2
		  AND volunteer_id IS NULL AND cancelled_at IS NULL`,
		museumID, shiftID, volunteerID)
	if err != nil {
		return fmt.Errorf("claim shift %d: %w", shiftID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrShiftGone
	}
	return nil
}

// WeekRoster returns a depot's shifts for one week with the volunteers filled
// in. Volunteers are fetched in one batched query rather than one per shift.
func (s *ShiftService) WeekRoster(ctx context.Context, museumID, depotID int64, weekStart time.Time) ([]Shift, error) {
	rows, err := s.DB.QueryContext(ctx, `
		SELECT id, depot_id, tram_fleet_no, task, starts_at, volunteer_id
		FROM restoration_shifts
		WHERE museum_id = $1 AND depot_id = $2
		  AND starts_at >= $3 AND starts_at < $3 + interval '7 days'
		  AND cancelled_at IS NULL
		ORDER BY starts_at
		LIMIT 500`, museumID, depotID, weekStart)
	if err != nil {
		return nil, fmt.Errorf("load roster: %w", err)
	}
	defer rows.Close()

	var shifts []Shift
	var volunteerIDs []int64
	for rows.Next() {
		var sh Shift
		if err := rows.Scan(&sh.ID, &sh.DepotID, &sh.TramFleetNo, &sh.Task, &sh.StartsAt, &sh.VolunteerID); err != nil {
			return nil, err
		}
		if sh.VolunteerID.Valid {
			volunteerIDs = append(volunteerIDs, sh.VolunteerID.Int64)
		}
		shifts = append(shifts, sh)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(volunteerIDs) == 0 {
		return shifts, nil
	}

	vrows, err := s.DB.QueryContext(ctx, `
		SELECT id, display_name, skills, inducted
		FROM volunteers
		WHERE museum_id = $1 AND id = ANY($2)`, museumID, pq.Array(volunteerIDs))
	if err != nil {
		return nil, fmt.Errorf("load volunteers: %w", err)
	}
	defer vrows.Close()
	byID := make(map[int64]*Volunteer, len(volunteerIDs))
	for vrows.Next() {
		v := &Volunteer{}
		if err := vrows.Scan(&v.ID, &v.Name, pq.Array(&v.Skills), &v.Inducted); err != nil {
			return nil, err
		}
		byID[v.ID] = v
	}
	if err := vrows.Err(); err != nil {
		return nil, err
	}
	for i := range shifts {
		if shifts[i].VolunteerID.Valid {
			shifts[i].Volunteer = byID[shifts[i].VolunteerID.Int64]
		}
	}
	return shifts, nil
}
