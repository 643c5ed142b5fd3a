"""Cloud Run entry point: POST /summarise {"object": "2025/01/standup.txt"}."""

from __future__ import annotations

import os

from flask import Flask, abort, jsonify, request
from google import genai
from google.genai import types

from storage import read_transcript, write_summary

MODEL = os.environ.get("GEMINI_MODEL", "gemini-2.0-flash")
SYSTEM = (
    "You summarise internal meeting transcripts. Output Markdown with sections "
    "'Summary', 'Decisions' and 'Action items' (owner: task). Do not invent owners."
)

app = Flask(__name__)
client = genai.Client(vertexai=True, location=os.environ.get("GOOGLE_CLOUD_LOCATION", "europe-west4"))


@app.post("/summarise")
def summarise():
    payload = request.get_json(silent=True) or {}
    name = payload.get("object")
    if not name:
        abort(400, "missing 'object'")
    try:
        transcript = read_transcript(name)
    except FileNotFoundError:
        abort(404, f"no such transcript: {name}")

    response = client.models.generate_content(
        model=MODEL,
        contents=transcript,
        config=types.GenerateContentConfig(
            system_instruction=SYSTEM,
            temperature=0.2,
            max_output_tokens=1024,
        ),
    )
    summary = response.text or ""
    target = write_summary(name, summary)
    return jsonify({"summary_object": target, "words": len(summary.split())})


@app.get("/healthz")
def healthz():
    return {"ok": True, "model": MODEL}
