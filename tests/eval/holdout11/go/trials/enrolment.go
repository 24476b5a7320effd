// internal/enrolment/enrolment.go (imports omitted)
package trials

// All trial data is partitioned by sponsor organisation (org_id). Reference
// tables (icd10_codes) are global and have no org column.

var (
	ErrSiteFull    = errors.New("site enrolment cap reached")
	ErrNotScreened = errors.New("participant not in screened state")
)

type Repo struct{ db *sqlx.DB }

type Participant struct {
	ID        int64  `db:"id" json:"id"`
	SiteID    int64  `db:"site_id" json:"site_id"`
	Arm       string `db:"arm" json:"arm"`
	Condition string `db:"condition_code" json:"condition_code"`
}

func (r *Repo) Page(ctx context.Context, orgID, trialID, afterID int64, limit int) ([]Participant, error) {
	var out []Participant
	err := r.db.SelectContext(ctx, &out, `
		SELECT id, site_id, arm, condition_code FROM participants
		 WHERE org_id = $1 AND trial_id = $2 AND id > $3
		 ORDER BY id LIMIT $4`, orgID, trialID, afterID, limit)
	return out, err
}

func (r *Repo) ConditionNames(ctx context.Context, codes []string) (map[string]string, error) {
	var rows []struct{ Code, Title string }
	if err := r.db.SelectContext(ctx, &rows, `SELECT code, title FROM icd10_codes WHERE code = ANY($1)`, pq.Array(codes)); err != nil {
		return nil, err
	}
	names := make(map[string]string, len(rows))
	for _, row := range rows {
		names[row.Code] = row.Title
	}
	return names, nil
}

func (r *Repo) ConditionByCode(ctx context.Context, code string) (string, error) {
	var title string
	err := r.db.GetContext(ctx, &title, `SELECT title FROM icd10_codes WHERE code = $1`, code)
	return title, err
}

// Enrol claims a slot at the site; the cap is enforced by the UPDATE itself.
func (r *Repo) Enrol(ctx context.Context, orgID, siteID, participantID int64) error {
	tx, err := r.db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `
		UPDATE participants SET status = 'enrolled', site_id = $3, enrolled_at = now()
		 WHERE id = $1 AND org_id = $2 AND status = 'screened'`, participantID, orgID, siteID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotScreened
	}
	res, err = tx.ExecContext(ctx, `
		UPDATE trial_sites SET enrolled = enrolled + 1
		 WHERE id = $1 AND org_id = $2 AND enrolled < enrolment_cap`, siteID, orgID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrSiteFull
	}
	return tx.Commit()
}

func RegisterRoutes(rg *gin.RouterGroup, repo *Repo) {
	rg.GET("/trials/:trialID/participants", func(c *gin.Context) {
		orgID := authz.OrgID(c)
		trialID, _ := strconv.ParseInt(c.Param("trialID"), 10, 64)
		after, _ := strconv.ParseInt(c.DefaultQuery("after", "0"), 10, 64)
		page, err := repo.Page(c, orgID, trialID, after, 100)
		if err != nil {
			c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "lookup failed"})
			return
		}
		codes := make([]string, 0, len(page))
		for _, p := range page {
			codes = append(codes, p.Condition)
		}
		names, err := repo.ConditionNames(c, codes)
		if err != nil {
			c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "lookup failed"})
			return
		}
		c.JSON(http.StatusOK, gin.H{"items": page, "condition_names": names})
	})

	rg.GET("/conditions/:code", func(c *gin.Context) {
		title, err := repo.ConditionByCode(c, c.Param("code"))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			c.AbortWithStatus(http.StatusNotFound)
		case err != nil:
			c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "lookup failed"})
		default:
			c.JSON(http.StatusOK, gin.H{"code": c.Param("code"), "title": title})
		}
	})

	rg.POST("/sites/:siteID/participants/:pid/enrol", func(c *gin.Context) {
		siteID, _ := strconv.ParseInt(c.Param("siteID"), 10, 64)
		pid, _ := strconv.ParseInt(c.Param("pid"), 10, 64)
		switch err := repo.Enrol(c, authz.OrgID(c), siteID, pid); {
		case errors.Is(err, ErrSiteFull), errors.Is(err, ErrNotScreened):
			c.AbortWithStatusJSON(http.StatusConflict, gin.H{"error": err.Error()})
		case err != nil:
			c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "enrol failed"})
		default:
			c.Status(http.StatusNoContent)
		}
	})
}
