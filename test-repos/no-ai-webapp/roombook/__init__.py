from __future__ import annotations

import os

from dotenv import load_dotenv
from flask import Flask

from .models import db


def create_app() -> Flask:
    load_dotenv()
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("FLASK_SECRET_KEY", "dev-only-not-secret"),
        SQLALCHEMY_DATABASE_URI=os.environ.get("DATABASE_URL", "sqlite:///roombook.db"),
        SQLALCHEMY_TRACK_MODIFICATIONS=False,
    )
    db.init_app(app)

    from .views import bp

    app.register_blueprint(bp)

    with app.app_context():
        db.create_all()
    return app
