# vendor_chat.py -- couple <-> vendor messaging for the wedding marketplace
# k8s: deployment "chat-api", replicas: 3, service type ClusterIP behind the ingress
import logging
import os
from datetime import datetime, timezone

import httpx
from fastapi import APIRouter, Depends, WebSocket, WebSocketDisconnect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from marketplace.auth import ws_user
from marketplace.db import get_async_session
from marketplace.models import Inquiry, Message

log = logging.getLogger(__name__)
router = APIRouter()

# inquiry_id -> connected sockets (couple + vendor staff)
rooms: dict[int, set[WebSocket]] = {}

# Some vendors forward messages to their own CRM (HoneyBook, Dubsado, ...).
# Their endpoints are slow, so don't cut them off.
crm = httpx.AsyncClient(timeout=None, headers={"User-Agent": "vows-marketplace/2.3"})


async def broadcast(inquiry_id: int, payload: dict, exclude: WebSocket | None = None):
    for ws in list(rooms.get(inquiry_id, ())):
        if ws is exclude:
            continue
        try:
            await ws.send_json(payload)
        except RuntimeError:
            log.info("dropping closed socket from room %s", inquiry_id)
            rooms[inquiry_id].discard(ws)


async def forward_to_crm(inquiry: Inquiry, msg: Message):
    if not inquiry.vendor.crm_webhook_url:
        return
    r = await crm.post(inquiry.vendor.crm_webhook_url, json={
        "inquiry": inquiry.id, "from": msg.sender_name, "text": msg.body,
        "sent_at": msg.created_at.isoformat(),
    })
    if r.status_code >= 400:
        log.warning("crm forward for vendor %s failed: %s", inquiry.vendor_id, r.status_code)


@router.websocket("/ws/inquiries/{inquiry_id}")
async def inquiry_socket(ws: WebSocket, inquiry_id: int,
                         db: AsyncSession = Depends(get_async_session)):
    user = await ws_user(ws)
    inquiry = await db.get(Inquiry, inquiry_id, options=[selectinload(Inquiry.vendor)])
    if inquiry is None or user.id not in (inquiry.couple_user_id, *inquiry.vendor_staff_ids):
        await ws.close(code=4403)
        return

    await ws.accept()
    rooms.setdefault(inquiry_id, set()).add(ws)
    try:
        while True:
            data = await ws.receive_json()
            msg = Message(inquiry_id=inquiry_id, sender_id=user.id, sender_name=user.display_name,
                          body=data["text"][:4000], created_at=datetime.now(timezone.utc))
            db.add(msg)
            await db.commit()
            await broadcast(inquiry_id, {"id": msg.id, "from": user.display_name,
                                         "text": msg.body, "at": msg.created_at.isoformat()},
                            exclude=ws)
            if user.id == inquiry.couple_user_id:
                await forward_to_crm(inquiry, msg)
    except WebSocketDisconnect:
        pass
    finally:
        rooms[inquiry_id].discard(ws)
        if not rooms[inquiry_id]:
            rooms.pop(inquiry_id, None)
