import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { ArtistWallet } from './entities/artist-wallet.entity';
import { Payout } from './entities/payout.entity';
import { Track } from '../catalog/entities/track.entity';

/**
 * Artist payouts for the distribution SaaS. Every wallet/payout row carries
 * account_id (the distributor account); the Track catalog is global and has no
 * account column.
 */
@Injectable()
export class PayoutsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @InjectRepository(Payout) private readonly payouts: Repository<Payout>,
    @InjectRepository(Track) private readonly tracks: Repository<Track>,
  ) {}

  async requestPayout(accountId: string, artistId: string, amountCents: number) {
    if (amountCents < 1000) throw new BadRequestException('Minimum payout is $10');

    return this.ds.transaction(async (em) => {
      // SELECT ... FOR UPDATE: two payout requests for the same artist serialize here
      const wallet = await em.getRepository(ArtistWallet).findOne({
        where: { accountId, artistId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!wallet) throw new NotFoundException('wallet');
      if (wallet.availableCents < amountCents) {
        throw new BadRequestException('Insufficient balance');
      }

      wallet.availableCents -= amountCents;
      wallet.pendingCents += amountCents;
      await em.save(wallet);

      return em.getRepository(Payout).save({
        accountId,
        artistId,
        amountCents,
        status: 'requested',
      });
    });
  }

  listPayouts(accountId: string, artistId: string, page = 0) {
    return this.payouts.find({
      where: { accountId, artistId },
      order: { createdAt: 'DESC' },
      skip: page * 50,
      take: 50,
    });
  }

  async getPayout(accountId: string, payoutId: string) {
    const payout = await this.payouts.findOneBy({ id: payoutId, accountId });
    if (!payout) throw new NotFoundException();
    return payout;
  }

  /** Track metadata shown next to each statement line. Catalog is shared by all accounts. */
  async trackInfo(trackId: string) {
    const track = await this.tracks.findOne({
      where: { id: trackId },
      select: { id: true, title: true, isrc: true, durationMs: true },
    });
    if (!track) throw new NotFoundException();
    return track;
  }
}
