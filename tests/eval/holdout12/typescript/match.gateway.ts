import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayDisconnect,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { Server, Socket } from 'socket.io';
import { PlayerProfile, PlayersService } from '../players/players.service';
import { MatchesService } from './matches.service';

// Live match rooms for spectators and casters.
// Deployed on k8s with `replicas: 4` (deploy/esports-api.yaml), sticky sessions on the ingress.

const profileCache = new Map<string, PlayerProfile>();

interface RoomState {
  matchId: string;
  spectators: Set<string>;
  scoreA: number;
  scoreB: number;
  paused: boolean;
}

@WebSocketGateway({ namespace: '/live', cors: { origin: process.env.WEB_ORIGIN } })
export class MatchGateway implements OnGatewayDisconnect {
  @WebSocketServer() server!: Server;

  private readonly logger = new Logger(MatchGateway.name);
  private readonly rooms = new Map<string, RoomState>();

  constructor(
    private readonly players: PlayersService,
    private readonly matches: MatchesService,
  ) {}

  private async profile(playerId: string): Promise<PlayerProfile> {
    let p = profileCache.get(playerId);
    if (!p) {
      p = await this.players.getProfile(playerId);
      profileCache.set(playerId, p);
    }
    return p;
  }

  @SubscribeMessage('join')
  async join(@ConnectedSocket() client: Socket, @MessageBody() body: { matchId: string }) {
    let room = this.rooms.get(body.matchId);
    if (!room) {
      const match = await this.matches.get(body.matchId);
      room = { matchId: match.id, spectators: new Set(), scoreA: match.scoreA, scoreB: match.scoreB, paused: false };
      this.rooms.set(body.matchId, room);
    }
    room.spectators.add(client.id);
    await client.join(body.matchId);
    client.emit('state', { ...room, spectators: room.spectators.size });
  }

  // referees only
  @SubscribeMessage('score')
  async score(
    @ConnectedSocket() client: Socket,
    @MessageBody() body: { matchId: string; side: 'A' | 'B'; playerId: string },
  ) {
    if (client.data.role !== 'referee') return;
    const room = this.rooms.get(body.matchId);
    if (!room || room.paused) return;

    if (body.side === 'A') room.scoreA++;
    else room.scoreB++;
    await this.matches.saveScore(room.matchId, room.scoreA, room.scoreB);

    const scorer = await this.profile(body.playerId);
    this.server.to(body.matchId).emit('score', {
      scoreA: room.scoreA,
      scoreB: room.scoreB,
      scorer: scorer.handle,
      team: scorer.teamTag,
    });
  }

  @SubscribeMessage('pause')
  pause(@ConnectedSocket() client: Socket, @MessageBody() body: { matchId: string; paused: boolean }) {
    if (client.data.role !== 'referee') return;
    const room = this.rooms.get(body.matchId);
    if (!room) return;
    room.paused = body.paused;
    this.server.to(body.matchId).emit('paused', { paused: room.paused });
    this.logger.log(`match ${body.matchId} ${room.paused ? 'paused' : 'resumed'} by ${client.data.userId}`);
  }

  handleDisconnect(client: Socket) {
    for (const room of this.rooms.values()) {
      room.spectators.delete(client.id);
    }
  }
}
