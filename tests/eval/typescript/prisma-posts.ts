import { Router } from 'express';
import { prisma } from './prisma';

export const posts = Router();

posts.get('/feed', async (req, res) => {
  const recent = await prisma.post.findMany({
    where: { published: true },
    orderBy: { publishedAt: 'desc' },
    take: 20,
  });
  const withAuthors = await Promise.all(
    recent.map(async (p) => ({
      ...p,
      author: await prisma.user.findUnique({ where: { id: p.authorId }, select: { name: true, avatar: true } }),
    })),
  );
  res.json(withAuthors);
});

posts.get('/posts/:id', async (req, res) => {
  const post = await prisma.post.findUnique({
    where: { id: req.params.id },
    include: { author: { select: { name: true } }, comments: { take: 50, orderBy: { createdAt: 'asc' } } },
  });
  if (!post) return res.sendStatus(404);
  res.json(post);
});
