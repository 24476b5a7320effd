// loans/loans.service.ts
// Community tool libraries share one platform; every tool, member and loan row carries
// libraryId. The API is deployed as 3 replicas on Fly.io behind their proxy.
import { ConflictException, Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';

const HOLD_MINUTES = 20;

interface PendingHold {
  memberId: string;
  libraryId: string;
  until: number;
}

@Injectable()
export class LoansService {
  // A member who scans a tool at the counter gets a short hold while the volunteer
  // checks their deposit; other members see the tool as "on hold".
  private readonly pendingHolds = new Map<string, PendingHold>();

  constructor(private readonly prisma: PrismaService) {}

  placeHold(libraryId: string, toolId: string, memberId: string): PendingHold {
    const existing = this.pendingHolds.get(toolId);
    if (existing && existing.until > Date.now() && existing.memberId !== memberId) {
      throw new ConflictException('tool is on hold for another member');
    }
    const hold = { memberId, libraryId, until: Date.now() + HOLD_MINUTES * 60_000 };
    this.pendingHolds.set(toolId, hold);
    return hold;
  }

  async checkout(libraryId: string, toolId: string, memberId: string, dueOn: Date) {
    const hold = this.pendingHolds.get(toolId);
    if (hold && hold.until > Date.now() && hold.memberId !== memberId) {
      throw new ConflictException('tool is on hold for another member');
    }

    const loan = await this.prisma.$transaction(async (tx) => {
      const updated = await tx.tool.updateMany({
        where: { id: toolId, libraryId, status: 'AVAILABLE' },
        data: { status: 'ON_LOAN' },
      });
      if (updated.count !== 1) throw new ConflictException('tool is not available');
      return tx.loan.create({ data: { libraryId, toolId, memberId, dueOn } });
    });
    this.pendingHolds.delete(toolId);
    return loan;
  }

  async memberLoans(libraryId: string, memberId: string, cursor?: string) {
    return this.prisma.loan.findMany({
      where: { libraryId, memberId },
      orderBy: { createdAt: 'desc' },
      take: 25,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
  }

  // Counter search box: volunteers type part of a tool name ("hedge trim", "sds drill").
  async searchTools(libraryId: string, q: string) {
    const term = q.trim().slice(0, 60);
    if (term.length < 2) return [];
    const tools = await this.prisma.tool.findMany({
      where: { name: { contains: term, mode: 'insensitive' } },
      select: { id: true, name: true, status: true, shelf: true },
      orderBy: { name: 'asc' },
      take: 30,
    });
    return tools.map((t) => ({ ...t, onHold: this.isHeld(t.id) }));
  }

  private isHeld(toolId: string): boolean {
    const hold = this.pendingHolds.get(toolId);
    return !!hold && hold.until > Date.now();
  }

  async overdue(libraryId: string, page = 1) {
    return this.prisma.loan.findMany({
      where: { libraryId, returnedAt: null, dueOn: { lt: new Date() } },
      include: { tool: { select: { name: true } }, member: { select: { displayName: true } } },
      orderBy: { dueOn: 'asc' },
      take: 50,
      skip: (page - 1) * 50,
    });
  }
}
