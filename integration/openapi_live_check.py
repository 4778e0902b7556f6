#!/usr/bin/env python3
"""Targeted conformance run: requests fuzzing rarely reaches (recording 302/202/410, the signed
download, idempotent replay and conflict, 405, 413, PATCH clearing, rotate-secret, paging),
each response checked against openapi.json: status documented for the operation, body valid
against the documented schema, X-Request-Id present, plus the documented response headers.

  check_live.py BASE_URL API_KEY [openapi.json]

Prints one line per request and exits 1 when any check failed. Stdlib + jsonschema only.
"""
import json
import re
import sys
import urllib.error
import urllib.request
import uuid

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

BASE, KEY = sys.argv[1].rstrip("/"), sys.argv[2]
DOC = json.load(open(sys.argv[3] if len(sys.argv) > 3 else __file__.rsplit("/", 1)[0] + "/openapi.json"))
REGISTRY = Registry().with_resource("urn:doc", DRAFT202012.create_resource(DOC))
failures = []


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def resolve(obj):
    while isinstance(obj, dict) and "$ref" in obj:
        path = obj["$ref"].lstrip("#/").split("/")
        obj = DOC
        for p in path:
            obj = obj[p]
    return obj


def template_for(method, path):
    for tpl, item in DOC["paths"].items():
        rx = "^" + re.sub(r"\{[^}]+\}", "[^/]+", tpl) + "$"
        if re.match(rx, path) and method.lower() in item:
            # Literal paths win over templated ones, as in the route table.
            if "{" in tpl and path.split("?")[0] in DOC["paths"]:
                continue
            return tpl, item[method.lower()]
    return None, None


def call(method, path, body=None, key=KEY, headers=None, raw=None, expect=None, label="", component=None):
    url = BASE + path
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    h = {"Content-Type": "application/json"}
    if key:
        h["Authorization"] = "Bearer " + key
    h.update(headers or {})
    req = urllib.request.Request(url, data=data, method=method, headers=h)
    try:
        resp = OPENER.open(req, timeout=10)
    except urllib.error.HTTPError as e:
        resp = e
    status, rh, payload = resp.status if hasattr(resp, "status") else resp.code, resp.headers, resp.read()
    problems = []
    tpl, op = template_for(method, path.split("?")[0])
    if component:  # a response no operation of this method documents (404 without a route, 405)
        tpl, op = "", {"responses": {str(status): {"$ref": f"#/components/responses/{component}"}}}
    if op is None:
        problems.append("no such operation in the document")
    else:
        r = op["responses"].get(str(status))
        if r is None:
            problems.append(f"status {status} not documented ({sorted(op['responses'])})")
        else:
            r = resolve(r)
            for name, hdr in r.get("headers", {}).items():
                hdr = resolve(hdr)
                if hdr.get("required") and rh.get(name) is None:
                    problems.append(f"missing header {name}")
            content = r.get("content", {})
            if "application/json" in content:
                try:
                    value = json.loads(payload)
                except ValueError:
                    problems.append("body is not JSON")
                else:
                    schema = dict(content["application/json"]["schema"])
                    schema = json.loads(json.dumps(schema).replace('"#/components', '"urn:doc#/components'))
                    errs = list(Draft202012Validator(schema, registry=REGISTRY).iter_errors(value))
                    problems += [f"schema: {e.message[:160]} at {list(e.absolute_path)}" for e in errs[:3]]
    if rh.get("X-Request-Id") is None:
        problems.append("no X-Request-Id")
    if expect is not None and status != expect:
        problems.append(f"expected {expect}")
    mark = "ok  " if not problems else "FAIL"
    print(f"{mark} {method:6} {path[:70]:70} {status} {label} {'; '.join(problems)}")
    if problems:
        failures.append((method, path, status, problems))
    try:
        return status, rh, json.loads(payload) if payload else None
    except ValueError:
        return status, rh, payload


def main():
    # Public routes.
    call("GET", "/healthz", key=None, expect=200)
    call("GET", "/readyz", key=None, expect=200)
    call("GET", "/metrics", key=None, expect=200)
    call("GET", "/openapi.json", key=None, expect=200)
    # Auth and envelope.
    call("GET", "/v1/wallet", key=None, expect=401, label="no key")
    call("GET", "/v1/wallet", key="sk_nope", expect=401, label="unknown key")
    call("PUT", "/v1/wallet", raw=b"{}", expect=405, component="MethodNotAllowed")
    call("GET", "/v1/nothing", expect=404, component="NotFound")
    # Workspaces and keys.
    s, _, b = call("POST", "/v1/workspaces", {"name": "ws " + uuid.uuid4().hex[:6], "billing_increment_seconds": 1.0}, expect=201)
    call("GET", f"/v1/workspaces/{b['workspace']['id']}", expect=200)
    call("GET", "/v1/workspaces/nope", expect=404)
    call("POST", "/v1/workspaces", {"name": ""}, expect=400)
    call("POST", "/v1/workspaces", raw=b"{not json", expect=400)
    call("POST", "/v1/workspaces", raw=b"x" * (70 * 1024), expect=400, label="> 64 KiB")
    call("POST", "/v1/workspaces", raw=b"x" * (1100 * 1024), expect=413, label="> 1 MiB")
    s, _, k = call("POST", "/v1/api-keys", {"name": "reader", "scopes": ["calls.read"]}, expect=201)
    reader = k["secret"]
    call("POST", "/v1/numbers", {"e164": "+254700000001", "voice_callback_url": "http://x/y"}, key=reader, expect=403)
    call("DELETE", f"/v1/api-keys/{k['api_key']['id']}", expect=200)
    call("DELETE", f"/v1/api-keys/{k['api_key']['id']}", expect=200, label="again (idempotent)")
    call("GET", "/v1/calls", key=reader, expect=401, label="revoked")
    call("GET", "/v1/api-keys?limit=1", expect=200)
    call("GET", "/v1/api-keys?limit=0", expect=400)
    call("GET", "/v1/api-keys?cursor=abc", expect=400)
    # Idempotency.
    ik = {"Idempotency-Key": "k-" + uuid.uuid4().hex}
    e164 = "+2547" + str(uuid.uuid4().int)[:8]
    s, h1, n = call("POST", "/v1/numbers", {"e164": e164, "voice_callback_url": "http://cb.example/x"}, headers=ik, expect=201)
    s, h2, _ = call("POST", "/v1/numbers", {"e164": e164, "voice_callback_url": "http://cb.example/x"}, headers=ik, expect=201, label="replay")
    if h2.get("Idempotent-Replayed") != "true":
        failures.append(("replay", "", 0, ["no Idempotent-Replayed"]))
    call("POST", "/v1/numbers", {"e164": e164, "voice_callback_url": "http://cb.example/z"}, headers=ik, expect=409, label="key reuse")
    call("POST", "/v1/numbers", {"e164": e164, "voice_callback_url": "http://cb.example/x"}, expect=409, label="already claimed")
    call("POST", "/v1/numbers", {"e164": "+1555", "voice_callback_url": "ftp://x"}, expect=400)
    call("POST", "/v1/numbers", {"e164": "+15551234567", "voice_callback_url": "http://x"}, headers={"Idempotency-Key": "x" * 300}, expect=400)
    nid = n["number"]["id"]
    call("PATCH", f"/v1/numbers/{nid}", {"fallback_url": "http://fb.example/", "events_url": None}, expect=200)
    call("PATCH", f"/v1/numbers/{nid}", {"fallback_url": None}, expect=200, label="clear")
    call("PATCH", f"/v1/numbers/{nid}", {"voice_callback_url": None}, expect=400)
    call("GET", f"/v1/numbers/{nid}", expect=200)
    call("DELETE", f"/v1/numbers/{nid}", expect=200)
    call("DELETE", f"/v1/numbers/{nid}", expect=409, label="retired")
    call("PATCH", f"/v1/numbers/{nid}", {}, expect=409, label="retired")
    call("GET", "/v1/numbers?limit=2", expect=200)
    # Calls.
    s, _, page = call("GET", "/v1/calls?limit=2", expect=200)
    if page and page.get("next_cursor"):
        call("GET", f"/v1/calls?limit=2&cursor={page['next_cursor']}", expect=200, label="page 2")
    call("GET", "/v1/calls?status=completed,%20failed&direction=outbound&from=0&to=2026-12-31T00:00:00Z&q=%25", expect=200)
    call("GET", "/v1/calls?status=bogus", expect=400)
    call("GET", "/v1/calls?from=yesterday", expect=400)
    call("GET", "/v1/calls/stats?since=7d&bucket=hour", expect=200)
    call("GET", "/v1/calls/stats?since=month", expect=200)
    call("GET", "/v1/calls/stats?since=week", expect=400)
    s, _, all_calls = call("GET", "/v1/calls?limit=100", expect=200)
    for c in (all_calls or {}).get("data", []):
        call("GET", f"/v1/calls/{c['id']}", expect=200)
        call("GET", f"/v1/calls/{c['session_id']}", expect=200, label="by session id")
        s, h, rec = call("GET", f"/v1/calls/{c['id']}/recording", label="recording")
        if s == 302:
            loc = h["Location"]
            path = loc[loc.index("/recordings/"):]
            call("GET", path, key=None, expect=200, label="signed download")
            call("GET", path.replace("sig=", "sig=x"), key=None, expect=403, label="bad signature")
        call("POST", f"/v1/calls/{c['id']}/hangup", expect=200)
    call("GET", "/v1/calls/nope", expect=404)
    call("GET", "/v1/calls/nope/recording", expect=404)
    call("POST", "/v1/calls/nope/hangup", expect=404)
    call("GET", "/recordings/nope?expires=1&sig=abc", key=None, expect=403)
    # Wallet.
    call("GET", "/v1/wallet", expect=200)
    call("POST", "/v1/wallet/topups", {"amount_minor": 500, "reference": "t"}, expect=201)
    call("POST", "/v1/wallet/topups", {"amount_minor": 0}, expect=400)
    call("POST", "/v1/wallet/topups", {"amount_minor": 1.5}, expect=400)
    call("GET", "/v1/wallet/ledger?limit=1", expect=200)
    # Webhooks.
    s, _, w = call("POST", "/v1/webhooks", {"url": "http://127.0.0.1:9/h", "events": ["wallet.top_up"]}, expect=201)
    call("POST", "/v1/webhooks", {"url": "http://127.0.0.1:9/h", "events": ["nope"]}, expect=400)
    wid = w["webhook"]["id"]
    call("POST", "/v1/wallet/topups", {"amount_minor": 1}, expect=201, label="makes a delivery")
    call("GET", f"/v1/webhooks/{wid}", expect=200)
    call("POST", f"/v1/webhooks/{wid}/rotate-secret", expect=200)
    s, _, d = call("GET", f"/v1/webhooks/{wid}/deliveries", expect=200)
    for dl in (d or {}).get("data", [])[:1]:
        call("POST", f"/v1/webhook-deliveries/{dl['id']}/retry", expect=200)
    call("GET", f"/v1/webhooks/{wid}/deliveries?cursor=zz.zz", expect=400)
    call("GET", "/v1/webhooks?limit=100", expect=200)
    call("DELETE", f"/v1/webhooks/{wid}", expect=200)
    call("DELETE", f"/v1/webhooks/{wid}", label="again")
    call("POST", "/v1/webhook-deliveries/nope/retry", expect=404)
    print(f"\n{len(failures)} failing request(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
