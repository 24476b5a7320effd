from decimal import Decimal

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI()


class Purchase(BaseModel):
    amount: Decimal


@app.post("/wallets/{wallet_id}/purchases")
async def purchase(wallet_id: int, body: Purchase):
    async with pool.acquire() as conn:
        async with conn.transaction():
            # Validate and debit in one statement: a second purchase sees the first one's
            # debit, and matches no row if the money is gone.
            new_balance = await conn.fetchval(
                "UPDATE wallets SET balance = balance - $1 "
                "WHERE id = $2 AND balance >= $1 RETURNING balance",
                body.amount, wallet_id,
            )
            if new_balance is None:
                raise HTTPException(402, "Insufficient funds")
            await conn.execute(
                "INSERT INTO purchases (wallet_id, amount) VALUES ($1, $2)",
                wallet_id, body.amount,
            )
    return {"balance": str(new_balance)}
