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
            row = await conn.fetchrow(
                "SELECT balance FROM wallets WHERE id = $1", wallet_id
            )
            if row is None:
                raise HTTPException(404, "Wallet not found")
            if row["balance"] < body.amount:
                raise HTTPException(402, "Insufficient funds")
            new_balance = row["balance"] - body.amount
            await conn.execute(
                "UPDATE wallets SET balance = $1 WHERE id = $2", new_balance, wallet_id
            )
            await conn.execute(
                "INSERT INTO purchases (wallet_id, amount) VALUES ($1, $2)",
                wallet_id, body.amount,
            )
    return {"balance": str(new_balance)}
