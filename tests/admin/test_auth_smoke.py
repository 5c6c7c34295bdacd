from chalicelib.auth.principal import Level


def test_every_level_can_sign_in_and_see_who_they_are(client, login):
    for level in Level:
        response = client.http.get("/admin/me", headers=login(level))
        assert response.status_code == 200, response.body
        assert response.json_body["level"] == int(level)
        assert response.json_body["staff"] == login.staff_id(level)
