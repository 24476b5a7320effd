import os

from anthropic import Anthropic
from fastapi import FastAPI
from openai import OpenAI
from pydantic import BaseModel

app = FastAPI()
openai_client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
claude = Anthropic(timeout=60.0, max_retries=2)


class Doc(BaseModel):
    text: str


@app.post("/summaries")
def summarize(doc: Doc):
    completion = openai_client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": "Summarise the user's document in five bullet points."},
            {"role": "user", "content": doc.text},
        ],
    )
    return {"summary": completion.choices[0].message.content}


@app.post("/titles")
def title(doc: Doc):
    msg = claude.messages.create(
        model="claude-3-5-haiku-latest",
        max_tokens=60,
        messages=[{"role": "user", "content": f"Give this a short title:\n\n{doc.text[:4000]}"}],
    )
    return {"title": msg.content[0].text.strip()}
