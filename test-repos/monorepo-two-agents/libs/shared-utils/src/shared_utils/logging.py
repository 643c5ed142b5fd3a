from __future__ import annotations

import logging
import os

from pythonjsonlogger.json import JsonFormatter

_configured = False


def get_logger(name: str) -> logging.Logger:
    global _configured
    if not _configured:
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        root = logging.getLogger()
        root.addHandler(handler)
        root.setLevel(os.getenv("LOG_LEVEL", "INFO"))
        _configured = True
    return logging.getLogger(name)
