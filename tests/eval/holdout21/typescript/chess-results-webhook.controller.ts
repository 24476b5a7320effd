// src/webhooks/pairing-results.controller.ts
// The tournament pairing service calls us when a round's results are confirmed.
// It retries on any non-2xx and may deliver the same event more than once.
import {
  Controller, Post, Headers, Req, HttpCode, UnauthorizedException, Logger,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createHmac, timingSafeEqual } from 'crypto';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';

interface RoundResultsEvent {
  id: string;
  clubId: string;
  round: number;
  games: Array<{ whiteId: string; blackId: string; score: 1 | 0.5 | 0 }>;
}

const K = 20;
const expected = (a: number, b: number) => 1 / (1 + 10 ** ((b - a) / 400));

@Controller('webhooks/pairing')
export class PairingResultsController {
  private readonly logger = new Logger(PairingResultsController.name);

  constructor(private readonly dataSource: DataSource) {}

  private verify(raw: Buffer, signature?: string) {
    const mac = createHmac('sha256', process.env.PAIRING_WEBHOOK_SECRET!).update(raw).digest('hex');
    return !!signature && signature.length === mac.length && timingSafeEqual(Buffer.from(mac), Buffer.from(signature));
  }

  @Post('results')
  @HttpCode(200)
  async roundResults(
    @Req() req: RawBodyRequest<Request>,
    @Headers('x-pairing-signature') signature?: string,
  ) {
    if (!req.rawBody || !this.verify(req.rawBody, signature)) throw new UnauthorizedException();
    const event = JSON.parse(req.rawBody.toString('utf8')) as RoundResultsEvent;

    return this.dataSource.transaction(async (em) => {
      // first delivery inserts the row; a redelivery hits the primary key and stops here
      const inserted = await em.query(
        `INSERT INTO processed_webhook_events (event_id, source, received_at)
         VALUES ($1, 'pairing', now())
         ON CONFLICT (event_id) DO NOTHING
         RETURNING event_id`,
        [event.id],
      );
      if (inserted.length === 0) {
        this.logger.log(`duplicate pairing event ${event.id} ignored`);
        return { status: 'duplicate' };
      }

      const playerIds = [...new Set(event.games.flatMap((g) => [g.whiteId, g.blackId]))];
      // lock all players of the round in one statement, in id order to avoid deadlocks
      const players: Array<{ id: string; rating: number }> = await em.query(
        `SELECT id, rating FROM club_players
          WHERE club_id = $1 AND id = ANY($2::uuid[])
          ORDER BY id
          FOR UPDATE`,
        [event.clubId, playerIds],
      );
      const rating = new Map(players.map((p) => [p.id, p.rating]));

      for (const g of event.games) {
        const w = rating.get(g.whiteId)!;
        const b = rating.get(g.blackId)!;
        const e = expected(w, b);
        rating.set(g.whiteId, Math.round(w + K * (g.score - e)));
        rating.set(g.blackId, Math.round(b + K * (e - g.score)));
      }

      await em.query(
        `UPDATE club_players p SET rating = v.rating, games_played = p.games_played + v.games
           FROM unnest($2::uuid[], $3::int[], $4::int[]) AS v(id, rating, games)
          WHERE p.id = v.id AND p.club_id = $1`,
        [
          event.clubId,
          [...rating.keys()],
          [...rating.values()],
          [...rating.keys()].map((id) => event.games.filter((g) => g.whiteId === id || g.blackId === id).length),
        ],
      );
      return { status: 'applied', games: event.games.length };
    });
  }
}
