import json


def test_public_profile_and_booking(client, salon):
    profile = client.http.get("/public/salon")
    assert profile.status_code == 200, profile.body
    assert profile.json_body["timezone"] == "Europe/Madrid"
    slots = client.http.get("/public/salon/availability?service=svc_cut&staff=any&from=2026-03-23&to=2026-03-23")
    assert slots.status_code == 200, slots.body
    first = slots.json_body["slots"][0]
    body = {"service": "svc_cut", "staff": "any", "start": first["start"],
            "client": {"first_name": "Eva", "last_name": "Ruiz", "email": "eva@example.com", "phone": "+34612345678"}}
    made = client.http.post("/public/salon/bookings", body=json.dumps(body), headers={"Content-Type": "application/json"})
    assert made.status_code == 201, made.body
    again = client.http.post("/public/salon/bookings", body=json.dumps(body), headers={"Content-Type": "application/json"})
    print(first, made.json_body, again.status_code, again.body)
