// draws/plot-draw.service.ts
// Ploughing match plot draws. Each class (horse, vintage trailed, reversible, etc.) has a
// fixed run of numbered plots in the field. When a competitor enters, they draw a plot at
// random; the draw stays provisional until the entry fee is paid, then it is confirmed.
//
// Prisma model (excerpt):
//   model PlotDraw {
//     id           String   @id @default(uuid())
//     matchId      String
//     classId      String
//     competitorId String
//     plotNumber   Int
//     status       String   // 'provisional' | 'confirmed'
//     expiresAt    DateTime?
//     createdAt    DateTime @default(now())
//     @@unique([matchId, competitorId])
//   }
import { Injectable, BadRequestException, ConflictException } from '@nestjs/common';
import { randomInt } from 'crypto';
import { PrismaService } from '../prisma/prisma.service';

const PROVISIONAL_HOLD_MS = 48 * 60 * 60 * 1000;

@Injectable()
export class PlotDrawService {
  constructor(private readonly prisma: PrismaService) {}

  async draw(matchId: string, classId: string, competitorId: string) {
    const matchClass = await this.prisma.matchClass.findFirst({
      where: { id: classId, matchId },
      select: { firstPlot: true, lastPlot: true, drawOpen: true },
    });
    if (!matchClass?.drawOpen) throw new BadRequestException('draw is not open for this class');

    const now = new Date();
    const occupied = await this.prisma.plotDraw.findMany({
      where: {
        matchId,
        classId,
        OR: [{ status: 'confirmed' }, { status: 'provisional', expiresAt: { gt: now } }],
      },
      select: { plotNumber: true },
      take: matchClass.lastPlot - matchClass.firstPlot + 1,
    });

    const taken = new Set(occupied.map((d) => d.plotNumber));
    const free: number[] = [];
    for (let plot = matchClass.firstPlot; plot <= matchClass.lastPlot; plot++) {
      if (!taken.has(plot)) free.push(plot);
    }
    if (free.length === 0) throw new ConflictException('all plots in this class have been drawn');

    const plotNumber = free[randomInt(free.length)];
    try {
      return await this.prisma.plotDraw.create({
        data: {
          matchId,
          classId,
          competitorId,
          plotNumber,
          status: 'provisional',
          expiresAt: new Date(now.getTime() + PROVISIONAL_HOLD_MS),
        },
        select: { id: true, plotNumber: true, expiresAt: true },
      });
    } catch (err: any) {
      if (err?.code === 'P2002') throw new ConflictException('you have already drawn a plot for this match');
      throw err;
    }
  }

  // Called by the entry-fee payment handler once the fee has cleared.
  async confirm(drawId: string, competitorId: string) {
    const { count } = await this.prisma.plotDraw.updateMany({
      where: { id: drawId, competitorId, status: 'provisional', expiresAt: { gt: new Date() } },
      data: { status: 'confirmed', expiresAt: null },
    });
    if (count !== 1) throw new ConflictException('draw has lapsed; please draw again');
  }

  async drawSheet(matchId: string, classId: string) {
    return this.prisma.plotDraw.findMany({
      where: { matchId, classId, status: 'confirmed' },
      orderBy: { plotNumber: 'asc' },
      select: { plotNumber: true, competitor: { select: { name: true, club: true } } },
      take: 200,
    });
  }
}
