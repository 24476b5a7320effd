import { Resolver, Query, Args, Context } from '@nestjs/graphql';
import { DataSource } from 'typeorm';

@Resolver()
export class ReportsResolver {
  constructor(private readonly ds: DataSource) {}

  @Query(() => [Object])
  async salesByRegion(@Context() ctx: { orgId: string }) {
    return this.ds.query(
      `SELECT r.name AS region, SUM(o.total) AS total, COUNT(*) AS orders
         FROM orders o JOIN regions r ON r.id = o.region_id
        WHERE o.org_id = $1
        GROUP BY r.name
        ORDER BY total DESC`,
      [ctx.orgId],
    );
  }

  @Query(() => [Object])
  async invoice(@Args('id') id: string, @Context() ctx: { orgId: string }) {
    const [inv] = await this.ds.query('SELECT * FROM invoices WHERE id = $1', [id]);
    return inv;
  }

  @Query(() => [Object])
  async invoices(@Context() ctx: { orgId: string }) {
    return this.ds.query('SELECT id, number, total FROM invoices WHERE org_id = $1 ORDER BY id DESC LIMIT 100', [ctx.orgId]);
  }
}
