import {
  WebSocketGateway,
  WebSocketServer,
  SubscribeMessage,
  MessageBody,
  ConnectedSocket,
  OnGatewayDisconnect,
} from '@nestjs/websockets';
import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { Server, Socket } from 'socket.io';
import { Client } from 'pg';
import { WsAuthGuard, HttpAuthGuard } from '../auth/guards';

// chat-service: k8s Deployment with replicas: 4 behind the ingress (sticky sessions off)

interface Presence {
  userId: string;
  displayName: string;
  joinedAt: number;
}

@WebSocketGateway({ namespace: '/chat', cors: { origin: process.env.WEB_ORIGIN } })
@UseGuards(WsAuthGuard)
export class ChatGateway implements OnGatewayDisconnect {
  @WebSocketServer() server: Server;

  // roomId -> socketId -> presence
  private readonly rooms = new Map<string, Map<string, Presence>>();

  @SubscribeMessage('join')
  handleJoin(@ConnectedSocket() socket: Socket, @MessageBody() body: { roomId: string }) {
    const user = socket.data.user;
    let members = this.rooms.get(body.roomId);
    if (!members) {
      members = new Map();
      this.rooms.set(body.roomId, members);
    }
    members.set(socket.id, { userId: user.id, displayName: user.name, joinedAt: Date.now() });
    socket.join(body.roomId);

    this.server.to(body.roomId).emit('presence', [...members.values()]);
  }

  @SubscribeMessage('message')
  handleMessage(@ConnectedSocket() socket: Socket, @MessageBody() body: { roomId: string; text: string }) {
    const members = this.rooms.get(body.roomId);
    if (!members?.has(socket.id)) return { error: 'not in room' };

    this.server.to(body.roomId).emit('message', {
      from: socket.data.user.id,
      text: body.text.slice(0, 4000),
      at: new Date().toISOString(),
    });
  }

  handleDisconnect(socket: Socket) {
    for (const [roomId, members] of this.rooms) {
      if (members.delete(socket.id)) {
        this.server.to(roomId).emit('presence', [...members.values()]);
      }
    }
  }
}

@Controller('rooms')
@UseGuards(HttpAuthGuard)
export class RoomHistoryController {
  @Get(':roomId/messages')
  async history(@Param('roomId') roomId: string, @Query('before') before?: string) {
    const client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT id, sender_id, body, created_at
           FROM chat_messages
          WHERE room_id = $1 AND created_at < COALESCE($2::timestamptz, now())
          ORDER BY created_at DESC
          LIMIT 50`,
        [roomId, before ?? null],
      );
      return rows;
    } finally {
      await client.end();
    }
  }
}
