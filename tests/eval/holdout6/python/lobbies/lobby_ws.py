# lobby-api: party lobbies for the matchmaking flow
# k8s: Deployment "lobby-api", replicas: 3, nginx ingress (no sticky sessions)
# uvicorn app.lobby_ws:app --host 0.0.0.0 --port 8080
import time
import uuid
from collections import defaultdict

from fastapi import FastAPI, HTTPException, WebSocket, WebSocketDisconnect
from pydantic import BaseModel

app = FastAPI(title="lobby-api")

MAX_PLAYERS_DEFAULT = 4

# lobby_id -> {"host": str, "players": set[str], "max": int, "state": "open"|"starting"}
LOBBIES: dict[str, dict] = {}

# sockets currently subscribed to each lobby
CONNECTIONS: dict[str, list[WebSocket]] = defaultdict(list)

# anti-spam: at most JOIN_LIMIT create/join calls per player per minute
JOIN_LIMIT = 10
join_attempts: dict[str, list[float]] = defaultdict(list)


class CreateLobby(BaseModel):
    player_id: str
    max_players: int = MAX_PLAYERS_DEFAULT
    mode: str = "casual"


def throttle(player_id: str) -> None:
    now = time.time()
    recent = [t for t in join_attempts[player_id] if now - t < 60]
    if len(recent) >= JOIN_LIMIT:
        raise HTTPException(429, "slow down")
    recent.append(now)
    join_attempts[player_id] = recent


async def broadcast(lobby_id: str, message: dict) -> None:
    for ws in list(CONNECTIONS[lobby_id]):
        try:
            await ws.send_json(message)
        except RuntimeError:
            CONNECTIONS[lobby_id].remove(ws)


@app.post("/lobbies")
async def create_lobby(body: CreateLobby):
    throttle(body.player_id)
    lobby_id = uuid.uuid4().hex[:8]
    LOBBIES[lobby_id] = {
        "host": body.player_id,
        "players": {body.player_id},
        "max": max(2, min(body.max_players, 8)),
        "mode": body.mode,
        "state": "open",
    }
    return {"lobby_id": lobby_id}


@app.post("/lobbies/{lobby_id}/join")
async def join_lobby(lobby_id: str, player_id: str):
    throttle(player_id)
    lobby = LOBBIES.get(lobby_id)
    if lobby is None:
        raise HTTPException(404, "lobby not found")
    if lobby["state"] != "open" or len(lobby["players"]) >= lobby["max"]:
        raise HTTPException(409, "lobby full")
    lobby["players"].add(player_id)
    await broadcast(lobby_id, {"type": "player_joined", "player_id": player_id})
    return {"players": sorted(lobby["players"])}


@app.post("/lobbies/{lobby_id}/start")
async def start_match(lobby_id: str, player_id: str):
    lobby = LOBBIES.get(lobby_id)
    if lobby is None or lobby["host"] != player_id:
        raise HTTPException(403, "only the host can start")
    lobby["state"] = "starting"
    await broadcast(lobby_id, {"type": "match_starting", "in": 5})
    return {"ok": True}


@app.websocket("/ws/lobbies/{lobby_id}")
async def lobby_socket(ws: WebSocket, lobby_id: str):
    await ws.accept()
    CONNECTIONS[lobby_id].append(ws)
    try:
        while True:
            msg = await ws.receive_json()
            if msg.get("type") == "chat":
                await broadcast(lobby_id, {"type": "chat", "from": msg.get("from"), "text": msg.get("text", "")[:200]})
    except WebSocketDisconnect:
        CONNECTIONS[lobby_id].remove(ws)
