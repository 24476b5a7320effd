"""Chat rooms over websockets. k8s: deployment `chat-api`, replicas: 3."""
from collections import defaultdict

from fastapi import FastAPI, WebSocket, WebSocketDisconnect

app = FastAPI()


class RoomManager:
    def __init__(self) -> None:
        self.rooms: dict[str, set[WebSocket]] = defaultdict(set)

    async def join(self, room: str, ws: WebSocket) -> None:
        await ws.accept()
        self.rooms[room].add(ws)

    def leave(self, room: str, ws: WebSocket) -> None:
        self.rooms[room].discard(ws)

    async def broadcast(self, room: str, message: dict) -> None:
        for ws in list(self.rooms[room]):
            await ws.send_json(message)


manager = RoomManager()


@app.websocket("/rooms/{room}")
async def room_socket(ws: WebSocket, room: str):
    await manager.join(room, ws)
    try:
        while True:
            msg = await ws.receive_json()
            await manager.broadcast(room, {"from": msg.get("user"), "text": msg.get("text")})
    except WebSocketDisconnect:
        manager.leave(room, ws)
