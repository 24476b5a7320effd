import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';

/** Documents belong to a workspace; every query must be scoped by workspaceId. */
@Injectable()
export class DocumentsRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(workspaceId: string, cursor?: string) {
    return this.prisma.document.findMany({
      where: { workspaceId, deletedAt: null },
      orderBy: { updatedAt: 'desc' },
      take: 50,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
  }

  get(workspaceId: string, id: string) {
    return this.prisma.document.findFirst({ where: { id, workspaceId } });
  }

  findBySlug(slug: string) {
    return this.prisma.document.findFirst({ where: { slug } });
  }

  rename(workspaceId: string, id: string, title: string) {
    return this.prisma.document.updateMany({ where: { id, workspaceId }, data: { title } });
  }

  remove(id: string) {
    return this.prisma.document.delete({ where: { id } });
  }
}
