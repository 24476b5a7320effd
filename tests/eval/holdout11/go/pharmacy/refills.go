// pharmacy/refills.go — repo + service + routes (imports trimmed)
package pharmacy

var ErrNoRefillsLeft = errors.New("no refills remaining")

type Repo struct{ db *sqlx.DB }

type Prescription struct {
	ID               int64  `db:"id" json:"id"`
	PrescriberID     int64  `db:"prescriber_id" json:"prescriber_id"`
	DrugCode         string `db:"drug_code" json:"drug_code"`
	RefillsRemaining int    `db:"refills_remaining" json:"refills_remaining"`
}

func (r *Repo) ActiveForPatient(ctx context.Context, patientID int64) ([]Prescription, error) {
	var out []Prescription
	err := r.db.SelectContext(ctx, &out,
		`SELECT id, prescriber_id, drug_code, refills_remaining FROM prescriptions
		  WHERE patient_id = $1 AND status = 'active' ORDER BY written_at DESC LIMIT 50`, patientID)
	return out, err
}

func (r *Repo) PrescriberName(ctx context.Context, id int64) (string, error) {
	var name string
	err := r.db.GetContext(ctx, &name, `SELECT name FROM prescribers WHERE id = $1`, id)
	return name, err
}

// useRefill decrements the refill counter for a prescription.
func (r *Repo) useRefill(ctx context.Context, rxID int64) (int, error) {
	var remaining int
	if err := r.db.GetContext(ctx, &remaining, `SELECT refills_remaining FROM prescriptions WHERE id = $1`, rxID); err != nil {
		return 0, err
	}
	if remaining <= 0 {
		return 0, ErrNoRefillsLeft
	}
	remaining--
	_, err := r.db.ExecContext(ctx, `UPDATE prescriptions SET refills_remaining = $1, updated_at = now() WHERE id = $2`, remaining, rxID)
	return remaining, err
}

type Service struct {
	repo *Repo
	ddi  func(ctx context.Context, codes []string) ([]string, error) // drug-drug interaction lookup (vendor API)
}

// interaction results never change for a given combination of drugs
var (
	interactionMu    sync.Mutex
	interactionCache = make(map[string][]string)
)

func (s *Service) interactions(ctx context.Context, codes []string) ([]string, error) {
	sort.Strings(codes)
	key := strings.Join(codes, ",")
	interactionMu.Lock()
	v, ok := interactionCache[key]
	interactionMu.Unlock()
	if ok {
		return v, nil
	}
	v, err := s.ddi(ctx, codes)
	if err == nil {
		interactionMu.Lock()
		interactionCache[key] = v
		interactionMu.Unlock()
	}
	return v, err
}

type RxView struct {
	Prescription
	PrescriberName string `json:"prescriber_name"`
}

func (s *Service) PatientMedList(ctx context.Context, patientID int64) ([]RxView, []string, error) {
	rxs, err := s.repo.ActiveForPatient(ctx, patientID)
	if err != nil {
		return nil, nil, err
	}
	views := make([]RxView, 0, len(rxs))
	codes := make([]string, 0, len(rxs))
	for _, rx := range rxs {
		name, err := s.repo.PrescriberName(ctx, rx.PrescriberID)
		if err != nil {
			return nil, nil, fmt.Errorf("prescriber %d: %w", rx.PrescriberID, err)
		}
		views = append(views, RxView{Prescription: rx, PrescriberName: name})
		codes = append(codes, rx.DrugCode)
	}
	warnings, err := s.interactions(ctx, codes)
	return views, warnings, err
}

func RegisterRoutes(r *gin.Engine, s *Service) {
	r.GET("/patients/:id/medications", func(c *gin.Context) {
		id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
		views, warnings, err := s.PatientMedList(c.Request.Context(), id)
		if err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
			return
		}
		c.JSON(http.StatusOK, gin.H{"medications": views, "interaction_warnings": warnings})
	})

	r.POST("/prescriptions/:id/refill", func(c *gin.Context) {
		id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
		left, err := s.repo.useRefill(c.Request.Context(), id)
		if errors.Is(err, ErrNoRefillsLeft) {
			c.JSON(http.StatusConflict, gin.H{"error": "no refills remaining, contact prescriber"})
			return
		}
		if err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
			return
		}
		c.JSON(http.StatusOK, gin.H{"refills_remaining": left})
	})
}
