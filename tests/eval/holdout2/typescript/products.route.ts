import { NextResponse } from 'next/server';
import { prisma } from '@/lib/prisma';

export const revalidate = 300;

export async function GET() {
  const products = await prisma.product.findMany({
    where: { published: true },
    select: { id: true, name: true, priceCents: true },
    orderBy: { name: 'asc' },
    take: 48,
  });
  return NextResponse.json(products);
}
