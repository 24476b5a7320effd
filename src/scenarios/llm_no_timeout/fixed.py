import os

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
LLM_URL = "https://api.openai.com/v1/chat/completions"


@app.post("/tickets/<int:ticket_id>/summary")
def summarize_ticket(ticket_id):
    body = request.get_json()["body"]
    try:
        resp = requests.post(
            LLM_URL,
            headers={"Authorization": f"Bearer {os.environ['OPENAI_API_KEY']}"},
            json={
                "model": "gpt-4o-mini",
                "messages": [{"role": "user", "content": f"Summarize this ticket:\n{body}"}],
            },
            # Model calls can stall for minutes: give up well before the 30 s gateway does.
            timeout=(3, 10),
        )
    except requests.Timeout:
        app.logger.warning("summary for ticket %s timed out", ticket_id)
        return jsonify({"error": "summary service is slow, try again shortly"}), 504
    resp.raise_for_status()
    summary = resp.json()["choices"][0]["message"]["content"]
    return jsonify({"ticket": ticket_id, "summary": summary})
