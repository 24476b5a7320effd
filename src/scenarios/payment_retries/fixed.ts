// payments/gateway.ts: one interface over the card provider, used by checkout.
export interface ChargeRequest {
  orderId: string;
  customerId: string;
  amountCents: number;
  currency: string;
}

export interface ChargeResult {
  chargeId: string;
  status: "succeeded" | "pending";
}

const MAX_ATTEMPTS = 3;
const BASE_DELAY_MS = 200;
const MAX_DELAY_MS = 5_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class PaymentGateway {
  constructor(private readonly baseUrl: string, private readonly apiKey: string) {}

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        const res = await fetch(`${this.baseUrl}/v1/charges`, {
          method: "POST",
          headers: {
            Authorization: `Bearer ${this.apiKey}`,
            "Content-Type": "application/json",
            "Idempotency-Key": request.orderId,
          },
          body: JSON.stringify(request),
          signal: AbortSignal.timeout(2000),
        });
        if (!res.ok) throw new Error(`charge failed: provider answered ${res.status}`);
        return (await res.json()) as ChargeResult;
      } catch (err) {
        lastError = err;
        if (attempt === MAX_ATTEMPTS) break;
        // Exponential backoff with full jitter: retries spread out instead of arriving together.
        await sleep(Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));
      }
    }
    throw lastError;
  }
}
