'use server';

// app/(dashboard)/projects/actions.ts
// Server actions for the projects board. Every project belongs to a workspace;
// the current workspace comes from the session.

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { prisma } from '@/lib/db';
import { requireWorkspaceMember } from '@/lib/session';

const ProjectInput = z.object({
  name: z.string().min(1).max(120),
  description: z.string().max(2000).optional(),
});

export async function createProject(formData: FormData) {
  const { user, workspaceId } = await requireWorkspaceMember();
  const input = ProjectInput.parse({
    name: formData.get('name'),
    description: formData.get('description') ?? undefined,
  });

  await prisma.project.create({
    data: { ...input, workspaceId, createdById: user.id },
  });
  revalidatePath('/projects');
}

export async function renameProject(projectId: string, name: string) {
  const { workspaceId } = await requireWorkspaceMember();
  const parsed = ProjectInput.shape.name.parse(name);

  await prisma.project.updateMany({
    where: { id: projectId, workspaceId },
    data: { name: parsed },
  });
  revalidatePath('/projects');
}

export async function archiveProject(projectId: string) {
  await requireWorkspaceMember();

  await prisma.project.update({
    where: { id: projectId },
    data: { archivedAt: new Date() },
  });
  revalidatePath('/projects');
}

export async function toggleFavorite(projectId: string) {
  const { user, workspaceId } = await requireWorkspaceMember();

  try {
    await prisma.favorite.create({
      data: { userId: user.id, projectId, workspaceId },
    });
  } catch {
    return { ok: true };
  }
  revalidatePath('/projects');
  return { ok: true };
}

export async function listProjects(cursor?: string) {
  const { workspaceId } = await requireWorkspaceMember();
  return prisma.project.findMany({
    where: { workspaceId, archivedAt: null },
    orderBy: { updatedAt: 'desc' },
    take: 50,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
}
