"""The devstack's extension points, without servers: scheduled jobs run on their timer in-process
(chalice local runs no schedules), a failing job does not stop the next tick, steps resolve by name."""
from __future__ import annotations

import time

from chalice import Chalice, Rate

from infra.local import devstack


def test_jobs_invoke_scheduled_functions_on_their_timer_and_survive_failures():
    app = Chalice(app_name="jobs-probe")
    seen = []

    @app.schedule(Rate(1, unit=Rate.MINUTES))
    def remind(event):
        seen.append(event.to_dict()["detail-type"])
        if len(seen) == 1:
            raise RuntimeError("first run fails")

    jobs = devstack._Jobs([("remind", 1)], app=app)
    jobs.start()
    deadline = time.monotonic() + 20
    while len(jobs.runs) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # polling with a deadline: the job thread ticks every second
    jobs.stop()
    assert not jobs.thread.is_alive()
    assert seen[:2] == ["Scheduled Event", "Scheduled Event"]
    assert jobs.runs[0] == ("remind", "RuntimeError: first run fails") and jobs.runs[1] == ("remind", "ok")


def test_no_jobs_means_no_thread():
    jobs = devstack._Jobs([])
    jobs.start()
    assert not jobs.thread.is_alive()
    jobs.stop()


def test_steps_are_functions_or_module_colon_function_strings():
    assert devstack.resolve("infra.local.devstack:seed_demo_step") is devstack.seed_demo_step
    assert devstack.resolve(devstack.create_tables_step) is devstack.create_tables_step
    assert [devstack.resolve(s) for s in devstack.STEPS][:2] == [devstack.create_tables_step, devstack.seed_demo_step]


def test_demo_salon_has_what_the_issue_asks_for():
    from datetime import date

    business, services, staff = devstack.demo_salon(date(2026, 3, 23))
    assert (business.slug, business.timezone, business.locale, business.currency) == \
        ("demo", "Europe/Madrid", "es", "EUR")
    assert len(staff) >= 3 and len({m.hours for m in staff}) == len(staff)  # different weekly hours
    assert all(any(len(day) > 1 for day in m.hours.days) for m in staff)  # a break in every week
    assert any(m.time_off for m in staff)  # one day off
    active = [s for s in services if s.status.value == "active"]
    assert len(active) >= 5
    assert len({s.duration_minutes for s in active}) >= 4 and len({s.price for s in active}) >= 4
    offered = {s.id for s in services}
    assert all(m.service_ids < offered for m in staff)  # each one a subset
    assert all(any(s.id in m.service_ids for m in staff) for s in active)  # and every service bookable


def test_idle_job_runs_print_nothing_and_a_run_that_did_work_prints_one_line(capsys):
    app = Chalice(app_name="jobs-quiet")
    reports = [{"sent": 0, "failed": 0, "skipped": 0}, {"sent": 2, "failed": 0, "skipped": 1}, None]

    @app.schedule(Rate(1, unit=Rate.MINUTES))
    def deliver(event):
        return reports[min(len(jobs.runs), 2)]

    jobs = devstack._Jobs([("deliver", 1)], app=app)
    jobs.start()
    deadline = time.monotonic() + 20
    while len(jobs.runs) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    jobs.stop()
    printed = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert printed == ["[jobs] deliver: sent 2, skipped 1"]


def test_the_ready_message_gives_the_booking_page_and_the_sign_in_route():
    text = devstack.ready_message("http://127.0.0.1:8101", {"AWS_ENDPOINT_URL": "http://127.0.0.1:2"},
                                  "http://127.0.0.1:1", None, 3.0, {"servers": 1.0, "steps": 1.0, "api": 1.0})
    assert "http://127.0.0.1:8101/b/demo" in text
    assert "http://127.0.0.1:8101/admin-app/" in text and "reception@demo.turno.example" in text
    assert "POST http://127.0.0.1:8101/auth/login" in text and "manager@demo.turno.example" in text
    assert "8000" not in text
