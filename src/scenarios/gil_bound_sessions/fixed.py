import asyncio
import math
import os
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

TOKEN = re.compile(r"[a-z0-9_]+")
# One process per core: ranking is pure Python, and threads would all queue on one GIL.
executor = ProcessPoolExecutor(max_workers=os.cpu_count())


def rank_tools(prompt: str, tools: list[dict]) -> list[str]:
    """Scores every tool description against the prompt (TF-IDF overlap), best five first."""
    docs = [Counter(TOKEN.findall(t["description"].lower())) for t in tools]
    wanted = Counter(TOKEN.findall(prompt.lower()))
    df = Counter(word for doc in docs for word in doc)
    scored = []
    for tool, doc in zip(tools, docs):
        score = 0.0
        for word, n in wanted.items():
            if word in doc:
                score += n * doc[word] * math.log(len(docs) / df[word] + 1)
        scored.append((score / (sum(doc.values()) or 1), tool["name"]))
    return [name for _, name in sorted(scored, reverse=True)[:5]]


async def handle_session(session, tools: list[dict]) -> None:
    """Routes each message of one MCP client session to the tools that fit it best."""
    loop = asyncio.get_running_loop()
    async for message in session.incoming():
        ranked = await loop.run_in_executor(executor, rank_tools, message.prompt, tools)
        await session.send({"id": message.id, "tools": ranked})
