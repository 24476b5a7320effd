package lobby

// Lobby service for matchmaking rooms. Deployed as a Deployment with
// replicas: 3 behind the game gateway. Room membership, host and player
// counts live in Redis; the only thing kept in memory is the set of
// websocket connections attached to *this* pod, which is by definition
// local. Broadcasts go through Redis pub/sub so every pod delivers to its
// own sockets.

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/redis/go-redis/v9"
)

const maxPlayers = 8

type Hub struct {
	rdb *redis.Client
	log *slog.Logger

	mu    sync.RWMutex
	local map[string]map[*websocket.Conn]struct{} // lobbyID -> sockets on this pod
}

func NewHub(rdb *redis.Client, log *slog.Logger) *Hub {
	return &Hub{rdb: rdb, log: log, local: make(map[string]map[*websocket.Conn]struct{})}
}

// Join reserves a seat in the lobby. The counter is incremented atomically
// and rolled back if the lobby was already full.
func (h *Hub) Join(ctx context.Context, lobbyID, playerID string, conn *websocket.Conn) error {
	countKey := "lobby:" + lobbyID + ":count"
	added, err := h.rdb.SAdd(ctx, "lobby:"+lobbyID+":players", playerID).Result()
	if err != nil {
		return fmt.Errorf("add player: %w", err)
	}
	if added == 1 { // reconnects keep their seat
		n, err := h.rdb.Incr(ctx, countKey).Result()
		if err != nil {
			return fmt.Errorf("incr player count: %w", err)
		}
		if n > maxPlayers {
			h.rdb.Decr(ctx, countKey)
			h.rdb.SRem(ctx, "lobby:"+lobbyID+":players", playerID)
			return fmt.Errorf("lobby %s is full", lobbyID)
		}
	}
	// First player in becomes host; SET NX makes this race-free across pods.
	if _, err := h.rdb.SetNX(ctx, "lobby:"+lobbyID+":host", playerID, 2*time.Hour).Result(); err != nil {
		h.log.Warn("host election failed", "lobby", lobbyID, "err", err)
	}

	h.mu.Lock()
	if h.local[lobbyID] == nil {
		h.local[lobbyID] = make(map[*websocket.Conn]struct{})
	}
	h.local[lobbyID][conn] = struct{}{}
	h.mu.Unlock()
	return h.rdb.Publish(ctx, "lobby-events:"+lobbyID, "joined:"+playerID).Err()
}

// Leave releases the seat and detaches the socket from this pod.
func (h *Hub) Leave(ctx context.Context, lobbyID, playerID string, conn *websocket.Conn) {
	removed, err := h.rdb.SRem(ctx, "lobby:"+lobbyID+":players", playerID).Result()
	if err != nil {
		h.log.Error("leave lobby", "lobby", lobbyID, "player", playerID, "err", err)
	} else if removed == 1 {
		h.rdb.Decr(ctx, "lobby:"+lobbyID+":count")
	}
	h.mu.Lock()
	delete(h.local[lobbyID], conn)
	if len(h.local[lobbyID]) == 0 {
		delete(h.local, lobbyID)
	}
	h.mu.Unlock()
	h.rdb.Publish(ctx, "lobby-events:"+lobbyID, "left:"+playerID)
}

// Run relays pub/sub messages to the sockets connected to this pod.
func (h *Hub) Run(ctx context.Context) error {
	sub := h.rdb.PSubscribe(ctx, "lobby-events:*")
	defer sub.Close()
	for msg := range sub.Channel() {
		lobbyID := msg.Channel[len("lobby-events:"):]
		h.mu.RLock()
		for conn := range h.local[lobbyID] {
			conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if err := conn.WriteMessage(websocket.TextMessage, []byte(msg.Payload)); err != nil {
				h.log.Debug("drop slow socket", "lobby", lobbyID, "err", err)
				go conn.Close()
			}
		}
		h.mu.RUnlock()
	}
	return ctx.Err()
}
