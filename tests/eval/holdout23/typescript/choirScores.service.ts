import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, ILike, IsNull, Repository } from 'typeorm';
import { SheetMusic } from './entities/sheet-music.entity';
import { ScoreCheckout } from './entities/score-checkout.entity';

// Sheet-music library for the choirs on the platform. Every choir has its own
// library; choirId always comes from the signed-in librarian's JWT (ChoirGuard).
@Injectable()
export class ChoirScoresService {
  constructor(
    @InjectRepository(SheetMusic) private readonly scores: Repository<SheetMusic>,
    @InjectRepository(ScoreCheckout) private readonly checkouts: Repository<ScoreCheckout>,
    private readonly dataSource: DataSource,
  ) {}

  /** Library browser: all titles of the choir, optionally filtered by title. */
  async listLibrary(choirId: string, search?: string): Promise<SheetMusic[]> {
    return this.scores.find({
      where: search ? { choirId, title: ILike(`%${search}%`) } : { choirId },
      order: { composer: 'ASC', title: 'ASC' },
      relations: { arrangements: true },
    });
  }

  async getScore(choirId: string, scoreId: string): Promise<SheetMusic> {
    const score = await this.scores.findOne({ where: { id: scoreId }, relations: { arrangements: true } });
    if (!score) {
      throw new NotFoundException('score not found');
    }
    return score;
  }

  /**
   * Hand out physical copies to a singer for the term. The shelf count is
   * decremented in one conditional UPDATE, so two librarians can't both hand
   * out the last copy.
   */
  async checkOutCopies(choirId: string, scoreId: string, singerId: string, copies: number): Promise<ScoreCheckout> {
    if (!Number.isInteger(copies) || copies < 1 || copies > 10) {
      throw new ConflictException('copies must be between 1 and 10');
    }
    return this.dataSource.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(SheetMusic)
        .set({ copiesAvailable: () => 'copies_available - :copies' })
        .where('id = :scoreId AND choir_id = :choirId AND copies_available >= :copies', {
          scoreId,
          choirId,
          copies,
        })
        .execute();
      if (!result.affected) {
        throw new ConflictException('not enough copies on the shelf');
      }
      const checkout = manager.create(ScoreCheckout, {
        choirId,
        scoreId,
        singerId,
        copies,
        checkedOutAt: new Date(),
      });
      return manager.save(checkout);
    });
  }

  async outstandingForSinger(choirId: string, singerId: string, page = 1): Promise<ScoreCheckout[]> {
    return this.checkouts.find({
      where: { choirId, singerId, returnedAt: IsNull() },
      order: { checkedOutAt: 'DESC' },
      relations: { score: true },
      take: 25,
      skip: (Math.max(page, 1) - 1) * 25,
    });
  }
}
