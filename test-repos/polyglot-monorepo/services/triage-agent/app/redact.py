"""PII redaction on the self-hosted model, so ticket text never leaves the cluster
before it is cleaned. vLLM serves an OpenAI-compatible API."""

import os

from openai import OpenAI

local = OpenAI(
    base_url=os.environ.get(
        "REDACTOR_BASE_URL", "http://vllm.ml-platform.svc.cluster.local:8000/v1"
    ),
    api_key="not-needed",
)
REDACTOR_MODEL = "meta-llama/Llama-3.1-8B-Instruct"


def redact_pii(text: str) -> str:
    resp = local.chat.completions.create(
        model=REDACTOR_MODEL,
        temperature=0,
        messages=[
            {"role": "system", "content": "Replace names, emails and phone numbers with [REDACTED]."},
            {"role": "user", "content": text},
        ],
    )
    return resp.choices[0].message.content
