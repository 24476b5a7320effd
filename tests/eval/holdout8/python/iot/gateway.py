"""
Smart-home device gateway.

Deployment: k8s Deployment `device-gateway`, replicas: 3, behind the nginx ingress
(websocket upgrade enabled). Phones open a websocket per home; devices push state
via the vendor cloud which calls our /vendor/events endpoint.
"""
import asyncio
import logging
import os
import time

import requests
from fastapi import FastAPI, Header, HTTPException, WebSocket, WebSocketDisconnect

log = logging.getLogger("gateway")
app = FastAPI()

VENDOR_API = os.environ["VENDOR_API"]
VENDOR_TOKEN = os.environ["VENDOR_TOKEN"]

# home_id -> connected app sockets
rooms: dict[str, set[WebSocket]] = {}


@app.websocket("/ws/homes/{home_id}")
async def home_socket(ws: WebSocket, home_id: str):
    await ws.accept()
    rooms.setdefault(home_id, set()).add(ws)
    try:
        while True:
            await ws.receive_text()  # keepalive pings from the app
    except WebSocketDisconnect:
        rooms[home_id].discard(ws)


@app.post("/vendor/events")
async def vendor_event(evt: dict, x_vendor_token: str = Header(...)):
    if x_vendor_token != VENDOR_TOKEN:
        raise HTTPException(401)
    home_id = evt["home_id"]
    for sock in list(rooms.get(home_id, ())):
        try:
            await sock.send_json({"device": evt["device_id"], "state": evt["state"]})
        except Exception:
            log.warning("dropping dead socket for home %s", home_id, exc_info=True)
            rooms[home_id].discard(sock)
    return {"ok": True}


def send_command(device_id: str, command: dict) -> dict:
    """Send a command to a device through the vendor cloud, retrying on failure."""
    last_exc = None
    while True:
        try:
            resp = requests.post(
                f"{VENDOR_API}/v2/devices/{device_id}/commands",
                json=command,
                headers={"Authorization": f"Bearer {VENDOR_TOKEN}"},
            )
            if resp.status_code < 500:
                resp.raise_for_status()
                return resp.json()
        except requests.ConnectionError as exc:
            last_exc = exc
            log.warning("vendor unreachable, retrying: %s", exc)
        time.sleep(0.5)


@app.post("/homes/{home_id}/devices/{device_id}/command")
async def device_command(home_id: str, device_id: str, command: dict):
    # run the blocking call off the event loop
    result = await asyncio.to_thread(send_command, device_id, command)
    return {"result": result}
