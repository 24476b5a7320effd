// lib/documents.ts: knowledge-base queries; every caller passes the session's workspace.
import { prisma } from "@/lib/prisma";

const PAGE_SIZE = 20;

const summary = { id: true, title: true, category: true, updatedAt: true } as const;

export async function createDocument(
  workspaceId: string,
  authorId: string,
  input: { title: string; body: string; category: string },
) {
  return prisma.document.create({ data: { ...input, workspaceId, authorId } });
}

export async function listRecentDocuments(workspaceId: string) {
  return prisma.document.findMany({
    where: { workspaceId },
    orderBy: { updatedAt: "desc" },
    take: PAGE_SIZE,
    select: summary,
  });
}

export async function listDocumentsByCategory(workspaceId: string, category: string, page = 0) {
  return prisma.document.findMany({
    where: { workspaceId, category },
    orderBy: { updatedAt: "desc" },
    skip: page * PAGE_SIZE,
    take: PAGE_SIZE,
    select: summary,
  });
}
