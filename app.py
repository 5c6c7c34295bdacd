"""Turno's API: the Chalice app, its blueprints, and nothing else."""
from chalice import Chalice

from chalicelib.api.public import public

app = Chalice(app_name="turno")
app.register_blueprint(public)
