import { Injectable, NotFoundException, GoneException } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { InjectRedis } from '@nestjs-modules/ioredis';
import Redis from 'ioredis';
import { LobbyInvite, Player } from './entities';

export interface LeaderboardRow {
  playerId: string;
  handle: string;
  wins: number;
  rating: number;
}

export interface PlayerCard {
  id: string;
  handle: string;
  avatarUrl: string | null;
  rating: number;
}

const INVITE_TTL_MS = 5 * 60 * 1000;

// player cards are requested on every lobby render, keep them in memory
const playerCards = new Map<string, PlayerCard>();

@Injectable()
export class LobbyService {
  constructor(
    private readonly em: EntityManager,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  async getPlayerCard(playerId: string): Promise<PlayerCard> {
    const cached = playerCards.get(playerId);
    if (cached) return cached;
    const p = await this.em.findOne(Player, playerId, { fields: ['id', 'handle', 'avatarUrl', 'rating'] });
    if (!p) throw new NotFoundException('player not found');
    const card = { id: p.id, handle: p.handle, avatarUrl: p.avatarUrl ?? null, rating: p.rating };
    playerCards.set(playerId, card);
    return card;
  }

  async getSeasonLeaderboard(seasonId: number): Promise<LeaderboardRow[]> {
    const key = `lb:season:${seasonId}`;
    const cached = await this.redis.get(key);
    if (cached) return JSON.parse(cached);

    // ~40M match_results rows per season; takes 4-6 s on the replica
    const rows: LeaderboardRow[] = await this.em.getConnection('read').execute(
      `SELECT p.id AS "playerId", p.handle, COUNT(*) FILTER (WHERE mr.won) AS wins, MAX(mr.rating_after) AS rating
         FROM match_results mr
         JOIN players p ON p.id = mr.player_id
        WHERE mr.season_id = ?
        GROUP BY p.id, p.handle
        ORDER BY rating DESC
        LIMIT 100`,
      [seasonId],
    );
    await this.redis.set(key, JSON.stringify(rows), 'EX', 120);
    return rows;
  }

  async invite(lobbyId: string, fromId: string, toId: string): Promise<LobbyInvite> {
    const invite = this.em.create(LobbyInvite, {
      lobby: lobbyId, from: fromId, to: toId,
      expiresAt: new Date(Date.now() + INVITE_TTL_MS),
    });
    await this.em.persistAndFlush(invite);
    return invite;
  }

  async acceptInvite(inviteId: string, playerId: string): Promise<string> {
    // single conditional update: only one accept can win, expired invites are rejected
    const affected = await this.em.nativeUpdate(
      LobbyInvite,
      { id: inviteId, to: playerId, acceptedAt: null, expiresAt: { $gt: new Date() } },
      { acceptedAt: new Date() },
    );
    if (affected === 0) throw new GoneException('invite expired or already used');
    const invite = await this.em.findOneOrFail(LobbyInvite, inviteId, { fields: ['lobby'] });
    return invite.lobby.id;
  }

  async pendingInvites(playerId: string): Promise<LobbyInvite[]> {
    return this.em.find(
      LobbyInvite,
      { to: playerId, acceptedAt: null, expiresAt: { $gt: new Date() } },
      { orderBy: { expiresAt: 'asc' }, limit: 20 },
    );
  }
}
