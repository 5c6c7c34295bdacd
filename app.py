"""Turno's API: the Chalice app, its middleware, its blueprints, and nothing else."""
from chalice import Chalice

from chalicelib import observability
from chalicelib.api.admin_agenda import admin_agenda
from chalicelib.api.admin_app import admin_app
from chalicelib.api.admin_business import admin
from chalicelib.api.admin_notifications import notifications
from chalicelib.api.admin_clients import admin_clients
from chalicelib.api.auth import auth
from chalicelib.api.http import error_shape
from chalicelib.api.pages import pages
from chalicelib.api.public import public
from chalicelib.api.signup import signups
from chalicelib.auth.authorizer import gate
from chalicelib.jobs.handlers import jobs
from chalicelib.api.admin_messages import admin_messages
from chalicelib.api.admin_reports import admin_reports
from chalicelib.api.admin_privacy import admin_privacy
from chalicelib.api.admin_plans import admin_plans
from chalicelib.api.public_plans import public_plans
from chalicelib.jobs.plan_jobs import plan_jobs
from chalicelib.api.admin_desks import admin_desks
from chalicelib.api.admin_calendar import admin_calendar
from chalicelib.api.admin_waitlist import admin_waitlist
from chalicelib.api.public_waitlist import public_waitlist
from chalicelib.api.admin_marketing import admin_marketing
from chalicelib.api.unsubscribe import unsubscribe
from chalicelib.api.offer_page import offer_page

app = Chalice(app_name="turno", configure_logs=False)  # its log is the JSON logger of chalicelib/observability.py
app.register_middleware(observability.middleware, "all")  # every function: log keys, metrics flushed per invocation
app.register_middleware(error_shape, "http")  # Chalice's own errors (405, 415, 500) in our error shape
app.register_blueprint(public)
app.register_blueprint(pages)
app.register_blueprint(admin_app)
app.register_blueprint(gate)
app.register_blueprint(auth)
app.register_blueprint(admin)
app.register_blueprint(admin_clients)
app.register_blueprint(admin_agenda)
app.register_blueprint(notifications)
app.register_blueprint(jobs)
app.register_blueprint(admin_messages)
app.register_blueprint(admin_reports)
app.register_blueprint(signups)
app.register_blueprint(admin_privacy)
app.register_blueprint(admin_plans)
app.register_blueprint(public_plans)
app.register_blueprint(plan_jobs)
app.register_blueprint(admin_desks)
app.register_blueprint(admin_calendar)
app.register_blueprint(admin_waitlist)  # the waiting list (README "Waiting list")
app.register_blueprint(public_waitlist)
app.register_blueprint(admin_marketing)
app.register_blueprint(unsubscribe)
app.register_blueprint(offer_page)
