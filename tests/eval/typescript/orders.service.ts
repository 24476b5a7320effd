import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { Order } from './order.entity';
import { Product } from './product.entity';

@Injectable()
export class OrdersService {
  constructor(
    @InjectRepository(Order) private readonly orders: Repository<Order>,
    @InjectRepository(Product) private readonly products: Repository<Product>,
    private readonly dataSource: DataSource,
  ) {}

  page(customerId: number, page = 0) {
    return this.orders.find({
      where: { customerId },
      relations: { lines: true },
      order: { createdAt: 'DESC' },
      take: 25,
      skip: page * 25,
    });
  }

  async productsFor(orderIds: number[]) {
    const orders = await this.orders.find({ where: { id: In(orderIds) }, relations: { lines: true } });
    const ids = [...new Set(orders.flatMap((o) => o.lines.map((l) => l.productId)))];
    const products = await this.products.findBy({ id: In(ids) });
    return new Map(products.map((p) => [p.id, p]));
  }

  async place(customerId: number, productId: number, qty: number) {
    return this.dataSource.transaction(async (m) => {
      const product = await m.findOne(Product, { where: { id: productId }, lock: { mode: 'pessimistic_write' } });
      if (!product) throw new NotFoundException();
      if (product.stock < qty) throw new Error('insufficient stock');
      product.stock -= qty;
      await m.save(product);
      return m.save(Order, { customerId, lines: [{ productId, qty }] });
    });
  }
}
