@Injectable()
export class CouponsService {
  private readonly logger = new Logger(CouponsService.name);

  constructor(
    @InjectRepository(Coupon) private readonly coupons: Repository<Coupon>,
    @InjectRepository(CouponRedemption) private readonly redemptions: Repository<CouponRedemption>,
    @InjectRepository(Customer) private readonly customers: Repository<Customer>,
  ) {}

  /**
   * Redeems a coupon for a customer and credits the customer's store balance.
   * Each coupon has a global max_redemptions and can only be used once per customer.
   */
  async redeem(code: string, customerId: string): Promise<RedeemResultDto> {
    const coupon = await this.coupons.findOne({ where: { code: code.toUpperCase(), active: true } });
    if (!coupon) {
      throw new NotFoundException('Coupon not found');
    }
    if (coupon.expiresAt && coupon.expiresAt < new Date()) {
      throw new BadRequestException('Coupon expired');
    }
    if (coupon.redemptionCount >= coupon.maxRedemptions) {
      throw new ConflictException('Coupon fully redeemed');
    }

    const alreadyUsed = await this.redemptions.exist({
      where: { couponId: coupon.id, customerId },
    });
    if (alreadyUsed) {
      throw new ConflictException('Coupon already used');
    }

    await this.redemptions.save(this.redemptions.create({ couponId: coupon.id, customerId }));

    coupon.redemptionCount += 1;
    await this.coupons.save(coupon);

    const customer = await this.customers.findOneByOrFail({ id: customerId });
    customer.storeCreditCents = customer.storeCreditCents + coupon.creditCents;
    await this.customers.save(customer);

    this.logger.log(`coupon ${coupon.code} redeemed by ${customerId}`);
    return {
      code: coupon.code,
      creditedCents: coupon.creditCents,
      balanceCents: customer.storeCreditCents,
    };
  }

  async listActive(page = 1, pageSize = 20): Promise<Coupon[]> {
    return this.coupons.find({
      where: { active: true },
      order: { createdAt: 'DESC' },
      skip: (page - 1) * pageSize,
      take: Math.min(pageSize, 100),
    });
  }
}
