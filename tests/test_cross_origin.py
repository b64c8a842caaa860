"""Without a token, a web page cannot drive the service: state-changing requests from another origin, under
a rebinding host name, or with a content type a plain form can send are refused; scripts are unaffected."""

from __future__ import annotations

import pytest

from test_service import TOKEN, assert_error, make_app, serving

ARTICLE = b"Officials said on Monday that twelve drones were shot down over Kyiv overnight."


@pytest.fixture(scope="module")
def open_client(tmp_path_factory):
    with serving(make_app(tmp_path_factory.mktemp("xorigin") / "data")) as c:
        yield c


def upload(c, **headers):
    return c.post("/v1/documents", files={"file": ("a.txt", ARTICLE, "text/plain")}, headers=headers)


def test_a_foreign_origin_cannot_upload_or_ask(open_client):
    c = open_client
    assert_error(upload(c, Origin="http://evil.example"), 403, "cross-origin")
    assert_error(upload(c, Origin="null"), 403, "cross-origin")
    assert_error(
        c.post("/v1/ask", json={"question": "drones over Kyiv?"}, headers={"Origin": "http://evil.example"}), 403
    )
    assert_error(c.post("/v1/briefs", json={}, headers={"Sec-Fetch-Site": "cross-site"}), 403, "Sec-Fetch-Site")


def test_a_rebinding_host_name_is_refused(open_client):
    c = open_client
    assert_error(upload(c, Host="evil.example:8000", Origin="http://evil.example:8000"), 403, "evil.example")


def test_form_content_types_are_refused(open_client):
    c = open_client
    for ctype in ("text/plain", "application/x-www-form-urlencoded"):
        r = c.post("/v1/ask", content=b'{"question": "drones over Kyiv?"}', headers={"Content-Type": ctype})
        assert_error(r, 415, "content type")


def test_same_origin_and_scripts_still_work(open_client):
    c = open_client
    assert upload(c).status_code == 200  # curl-like: no Origin
    same = str(c.base_url).rstrip("/")
    r = c.post(
        "/v1/documents",
        json={"text": ARTICLE.decode() + " Again on Tuesday.", "name": "b.txt"},
        headers={"Origin": same},
    )
    assert r.status_code == 200, r.text
    assert (
        c.get("/v1/documents", headers={"Origin": "http://evil.example"}).status_code == 200
    )  # reads are not state-changing


def test_with_a_token_the_token_decides(tmp_path):
    with serving(make_app(tmp_path / "data", api_token=TOKEN)) as c:
        r = upload(c, Origin="http://evil.example", Authorization=f"Bearer {TOKEN}")
        assert r.status_code == 200, r.text
        assert_error(upload(c, Origin="http://evil.example"), 401)
