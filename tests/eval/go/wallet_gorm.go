package wallet

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"
)

type Wallet struct {
	ID      uint
	UserID  uint
	Balance int64
}

type API struct {
	DB *gorm.DB
}

type amountReq struct {
	Amount int64 `json:"amount" binding:"required,gt=0"`
}

func (a *API) Withdraw(c *gin.Context) {
	var req amountReq
	if err := c.ShouldBindJSON(&req); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	var w Wallet
	if err := a.DB.First(&w, "user_id = ?", c.GetUint("userID")).Error; err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "no wallet"})
		return
	}
	if w.Balance < req.Amount {
		c.JSON(http.StatusConflict, gin.H{"error": "insufficient funds"})
		return
	}
	w.Balance -= req.Amount
	if err := a.DB.Save(&w).Error; err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	c.JSON(http.StatusOK, gin.H{"balance": w.Balance})
}

func (a *API) Deposit(c *gin.Context) {
	var req amountReq
	if err := c.ShouldBindJSON(&req); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	res := a.DB.Model(&Wallet{}).
		Where("user_id = ?", c.GetUint("userID")).
		Update("balance", gorm.Expr("balance + ?", req.Amount))
	if res.Error != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": res.Error.Error()})
		return
	}
	if res.RowsAffected == 0 {
		c.JSON(http.StatusNotFound, gin.H{"error": errors.New("no wallet").Error()})
		return
	}
	c.Status(http.StatusNoContent)
}
