package registrations

// Youth league portal: each club (club_id) manages its own players and teams.
// Deployed on Cloud Run (request timeout 30s), min instances 2.

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jung-kurt/gofpdf"
	"gorm.io/gorm"

	"league/internal/mailer"
)

type Registration struct {
	ID          uint      `json:"id"`
	ClubID      uint      `json:"club_id"`
	SeasonID    uint      `json:"season_id"`
	PlayerName  string    `json:"player_name"`
	BirthDate   time.Time `json:"birth_date"`
	GuardianEml string    `json:"guardian_email"`
	Status      string    `json:"status"`
}

// ---- repository ----

type Repo struct{ db *gorm.DB }

func (r *Repo) ListBySeason(clubID, seasonID uint, limit, offset int) ([]Registration, error) {
	var regs []Registration
	err := r.db.Where("club_id = ? AND season_id = ?", clubID, seasonID).
		Order("player_name").Limit(limit).Offset(offset).Find(&regs).Error
	return regs, err
}

func (r *Repo) AllPaid(clubID, seasonID uint) ([]Registration, error) {
	var regs []Registration
	err := r.db.Where("club_id = ? AND season_id = ? AND status = 'paid'", clubID, seasonID).
		Find(&regs).Error
	return regs, err
}

func (r *Repo) Get(id uint) (*Registration, error) {
	var reg Registration
	if err := r.db.First(&reg, id).Error; err != nil {
		return nil, err
	}
	return &reg, nil
}

// ---- service ----

type Service struct {
	repo *Repo
	mail *mailer.Client
}

// SendWelcomePackets renders a packet (schedule, code of conduct, medical form)
// for every paid player and emails it to the guardian.
func (s *Service) SendWelcomePackets(clubID, seasonID uint) (int, error) {
	regs, err := s.repo.AllPaid(clubID, seasonID)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, reg := range regs {
		pdf := gofpdf.New("P", "mm", "Letter", "")
		pdf.AddPage()
		pdf.SetFont("Helvetica", "B", 18)
		pdf.Cell(0, 12, fmt.Sprintf("Welcome, %s!", reg.PlayerName))
		pdf.SetFont("Helvetica", "", 11)
		pdf.ImageOptions("assets/club-crest.png", 170, 10, 25, 0, false, gofpdf.ImageOptions{}, 0, "")
		var buf bytes.Buffer
		if err := pdf.Output(&buf); err != nil {
			return sent, err
		}
		if err := s.mail.Send(reg.GuardianEml, "Your season welcome packet", buf.Bytes()); err != nil {
			return sent, fmt.Errorf("mail %d: %w", reg.ID, err)
		}
		sent++
	}
	return sent, nil
}

// ---- handlers ----

type Handler struct{ svc *Service }

func (h *Handler) Mount(r *gin.RouterGroup) {
	r.GET("/clubs/:club/seasons/:season/registrations", h.list)
	r.GET("/clubs/:club/registrations/:id", h.get)
	r.POST("/clubs/:club/seasons/:season/welcome-packets", h.welcomePackets)
}

func (h *Handler) list(c *gin.Context) {
	club, season := uintParam(c, "club"), uintParam(c, "season")
	page, _ := strconv.Atoi(c.DefaultQuery("page", "0"))
	regs, err := h.svc.repo.ListBySeason(club, season, 50, page*50)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	c.JSON(http.StatusOK, regs)
}

func (h *Handler) get(c *gin.Context) {
	reg, err := h.svc.repo.Get(uintParam(c, "id"))
	if err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "registration not found"})
		return
	}
	c.JSON(http.StatusOK, reg)
}

func (h *Handler) welcomePackets(c *gin.Context) {
	n, err := h.svc.SendWelcomePackets(uintParam(c, "club"), uintParam(c, "season"))
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error(), "sent": n})
		return
	}
	c.JSON(http.StatusOK, gin.H{"sent": n})
}

func uintParam(c *gin.Context, name string) uint {
	v, _ := strconv.ParseUint(c.Param(name), 10, 64)
	return uint(v)
}
