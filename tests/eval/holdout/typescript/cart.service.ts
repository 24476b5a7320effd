import { Injectable } from '@nestjs/common';
import { PrismaService } from './prisma.service';

@Injectable()
export class CartService {
  constructor(private readonly prisma: PrismaService) {}

  async addItem(cartId: string, productId: string, qty: number) {
    const existing = await this.prisma.cartItem.findUnique({
      where: { cartId_productId: { cartId, productId } },
    });
    if (existing) {
      return this.prisma.cartItem.update({
        where: { id: existing.id },
        data: { quantity: existing.quantity + qty },
      });
    }
    return this.prisma.cartItem.create({ data: { cartId, productId, quantity: qty } });
  }

  async total(cartId: string) {
    const items = await this.prisma.cartItem.findMany({ where: { cartId }, include: { product: true } });
    return items.reduce((sum, i) => sum + i.quantity * i.product.priceCents, 0);
  }
}
