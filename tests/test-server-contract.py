#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The OpenAPI document of API v1 (data/tessera-api.yaml) against a running tessera-server.

Checks, printed as TAP:
  * the document describes every operation of DESIGN §4, and every $ref in it resolves;
  * each documented operation, called with right and wrong credentials and inputs, answers
    only statuses the document lists for it (and its success status at least once); JSON
    bodies match the documented schema, errors are application/problem+json Problems;
  * the server answers no route or method the document leaves out: every other method on a
    documented path is 405 with an Allow header naming exactly the documented methods, and
    paths next to the documented ones are 404.

Usage: test-server-contract.py DOCUMENT  (TESSERA_SERVER_PATH names the executable)
Needs python3-yaml (Debian).
"""

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import yaml

HTTP_METHODS = ["GET", "PUT", "POST", "DELETE", "PATCH"]

# DESIGN §4, the table: every operation the document must describe.
DESIGN_OPERATIONS = [
    ("get", "/healthz"),
    ("post", "/api/v1/sessions"),
    ("delete", "/api/v1/sessions/current"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/accounts"),
    ("get", "/api/v1/accounts/{id}"),
    ("post", "/api/v1/otp-batches"),
    ("post", "/api/v1/otps/{id}/revoke"),
    ("get", "/api/v1/requests"),
    ("get", "/api/v1/requests/{id}"),
    ("post", "/api/v1/requests/{id}/resolution"),
    ("get", "/api/v1/settings"),
    ("put", "/api/v1/settings"),
    ("get", "/api/v1/audit"),
    ("get", "/api/v1/events"),
    ("post", "/api/v1/device/redemptions"),
    ("get", "/api/v1/device/redemptions/{id}"),
]


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def result(self, ok, name, diagnostics=()):
        self.count += 1
        if not ok:
            self.failed += 1
        print(f"{'ok' if ok else 'not ok'} {self.count} - {name}", flush=True)
        for line in diagnostics:
            for part in str(line).splitlines():
                print(f"# {part}", flush=True)

    def bail(self, reason):
        print(f"Bail out! {reason}", flush=True)
        sys.exit(1)

    def finish(self):
        print(f"1..{self.count}", flush=True)
        return 1 if self.failed else 0


# --- The document ---------------------------------------------------------------------------

def resolve(document, node):
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise KeyError(f"external reference {ref}")
        target = document
        for part in ref[2:].split("/"):
            target = target[part]
        node = target
    return node


def all_refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from all_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from all_refs(value)


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method.upper() in HTTP_METHODS:
                yield path, method, operation


def documented_statuses(document, operation):
    return {int(status) for status in operation["responses"]}


def response_schema(document, operation, status):
    response = resolve(document, operation["responses"].get(str(status), {}))
    content = response.get("content", {})
    for media in ("application/json", "application/problem+json"):
        if media in content:
            return media, content[media].get("schema")
    return None, None


# A small JSON Schema checker: the keywords the document uses.
def check_schema(document, schema, value, where="$"):
    errors = []
    schema = resolve(document, schema)
    if schema is None or schema is True:
        return errors
    for sub in schema.get("allOf", []):
        errors += check_schema(document, sub, value, where)
    if "oneOf" in schema:
        matches = [s for s in schema["oneOf"] if not check_schema(document, s, value, where)]
        if len(matches) != 1:
            errors.append(f"{where}: matches {len(matches)} of the oneOf alternatives")
    if "const" in schema and value != schema["const"]:
        errors.append(f"{where}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} is not one of {schema['enum']}")
    types = schema.get("type")
    if types is not None:
        types = types if isinstance(types, list) else [types]
        python_types = {
            "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
            "integer": int, "number": (int, float),
        }
        ok = False
        for t in types:
            if t in ("integer", "number") and isinstance(value, bool):
                continue
            if isinstance(value, python_types[t]):
                ok = True
        if not ok:
            errors.append(f"{where}: {type(value).__name__} is not {types}")
            return errors
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{where}: member {name!r} is missing")
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                errors += check_schema(document, sub, value[name], f"{where}.{name}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += check_schema(document, schema["items"], item, f"{where}[{i}]")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{where}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{where}: {value} > {schema['maximum']}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
        if schema.get("format") == "date-time" and not re.match(
                r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", value):
            errors.append(f"{where}: {value!r} is not an RFC 3339 timestamp")
    return errors


# --- The server -----------------------------------------------------------------------------

class Server:
    def __init__(self, executable):
        self.executable = executable
        self.dir = tempfile.mkdtemp(prefix="tessera-contract-")
        self.db = os.path.join(self.dir, "tessera.db")
        self.passwords = {}
        self.process = None
        self.port = None
        self.output = []

    def cli(self, args, stdin_text=""):
        result = subprocess.run([self.executable, *args, "--db", self.db],
                                input=stdin_text, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"tessera-server {' '.join(args)} exited with "
                               f"{result.returncode}: {result.stdout}{result.stderr}")

    def add_user(self, name, role):
        password = "pw-" + secrets.token_hex(16)
        self.cli(["user", "add", name, "--role", role], password + "\n")
        self.passwords[name] = password

    def start(self):
        self.process = subprocess.Popen(
            [self.executable, "serve", "--listen", "127.0.0.1:0", "--db", self.db],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        found = threading.Event()

        def read():
            for line in self.process.stdout:
                self.output.append(line)
                match = re.match(r"^Listening on http://127\.0\.0\.1:(\d+)/\s*$", line)
                if match and self.port is None:
                    self.port = int(match.group(1))
                    found.set()
            found.set()

        threading.Thread(target=read, daemon=True).start()
        if not found.wait(30) or self.port is None:
            self.stop()
            raise RuntimeError("no 'Listening on' line; output:\n" + "".join(self.output))

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def request(self, method, path, token=None, body=None, content_type="application/json",
                headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        all_headers = dict(headers or {})
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            if isinstance(data, str):
                data = data.encode()
            all_headers["Content-Type"] = content_type
        connection.request(method, path, body=data, headers=all_headers)
        response = connection.getresponse()
        raw = response.read()
        connection.close()
        parsed = None
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            pass
        media = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        return response.status, media, dict(response.getheaders()), parsed, raw

    def websocket_status(self, path, token):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "Upgrade": "websocket", "Connection": "Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13",
        }
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        connection.request("GET", path, headers=headers)
        connection.sock.settimeout(60)
        stream = connection.sock.makefile("rb")
        status = int(stream.readline().decode().split()[1])
        media = None
        length = 0
        while True:
            line = stream.readline().decode().strip()
            if not line:
                break
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-type":
                media = value.split(";")[0].strip().lower()
            elif name.strip().lower() == "content-length":
                length = int(value.strip())
        body = stream.read(length) if status != 101 and length > 0 else b""
        connection.close()
        return status, media, body


# --- The calls ------------------------------------------------------------------------------

def device_body(code):
    return {"code": code, "device": {"make": "Contoso", "model": "Panel", "serial_number": "SN1"}}


def probe(server, tap_record):
    """Calls every documented operation; tap_record(method, template, status, media, body)."""
    s = server

    def call(method, template, path, token=None, body=None, **kwargs):
        status, media, headers, parsed, raw = s.request(method, path, token, body, **kwargs)
        tap_record(method, template, status, media, parsed, raw, path)
        return status, parsed

    def sign_in(name):
        status, body = call("POST", "/api/v1/sessions", "/api/v1/sessions",
                            body={"username": name, "password": s.passwords[name]})
        return body["token"]

    bad = "A" * 43
    admin = sign_in("admin")
    admin2 = sign_in("admin2")
    viewer = sign_in("viewer")
    tokens = {"none": None, "bad": bad, "viewer": viewer, "admin": admin}

    call("GET", "/healthz", "/healthz")

    # sessions
    call("POST", "/api/v1/sessions", "/api/v1/sessions",
         body={"username": "admin", "password": "wrong"})
    call("POST", "/api/v1/sessions", "/api/v1/sessions", body={"username": "admin"})
    call("POST", "/api/v1/sessions", "/api/v1/sessions", body="{", )
    call("POST", "/api/v1/sessions", "/api/v1/sessions", body="{}", content_type="text/plain")
    throwaway = sign_in("viewer")
    for token in (None, bad, throwaway, throwaway):
        call("DELETE", "/api/v1/sessions/current", "/api/v1/sessions/current", token)

    for name, token in tokens.items():
        call("GET", "/api/v1/me", "/api/v1/me", token)

    # accounts
    status, page = call("GET", "/api/v1/accounts", "/api/v1/accounts?limit=1000", admin)
    accounts = page["items"]
    ready = [a["id"] for a in accounts
             if a["readiness"] == "ready" and a["provisioning"]["state"] == "not_started"]
    not_ready = [a["id"] for a in accounts if a["readiness"] != "ready"]
    if len(ready) < 6 or not not_ready:
        raise RuntimeError("demo data has too few ready or not-ready accounts")
    for name, token in tokens.items():
        call("GET", "/api/v1/accounts", "/api/v1/accounts?limit=5", token)
    for query in ("q=a", "readiness=ready", "provisioning=not_started,otp_issued",
                  "updated_since=2000-01-01T00:00:00Z", "limit=1001", "limit=0",
                  "readiness=bogus", "updated_since=yesterday", "cursor=%00garbage"):
        call("GET", "/api/v1/accounts", "/api/v1/accounts?" + query, viewer)
    for name, token in tokens.items():
        call("GET", "/api/v1/accounts/{id}", f"/api/v1/accounts/{ready[0]}", token)
    call("GET", "/api/v1/accounts/{id}", "/api/v1/accounts/no-such-account", viewer)

    # otp-batches
    def batch(ids, **extra):
        return {"account_ids": ids, "password_mode": "generate", "return_passwords": True, **extra}

    for name, token in tokens.items():
        call("POST", "/api/v1/otp-batches", "/api/v1/otp-batches", token,
             batch([ready[5]]) if name == "admin" else batch([ready[4]]))
    status, issued = call("POST", "/api/v1/otp-batches", "/api/v1/otp-batches", admin,
                          batch(ready[0:4] + not_ready[0:1] + ["no-such-account"]))
    codes = [r["otp"]["code"] for r in issued["results"] if r["status"] == "issued"]
    otp_ids = [r["otp"]["id"] for r in issued["results"] if r["status"] == "issued"]
    call("POST", "/api/v1/otp-batches", "/api/v1/otp-batches", admin, batch([]))
    call("POST", "/api/v1/otp-batches", "/api/v1/otp-batches", admin,
         batch([f"x{i}" for i in range(1001)]))
    call("POST", "/api/v1/otp-batches", "/api/v1/otp-batches", admin,
         {"account_ids": [ready[4]], "password_mode": "sometimes"})
    call("POST", "/api/v1/otp-batches", "/api/v1/otp-batches", admin, "[", )
    call("POST", "/api/v1/otp-batches", "/api/v1/otp-batches", admin, "{}",
         content_type="text/plain")
    key = {"Idempotency-Key": "contract-" + secrets.token_hex(8)}
    for _ in range(2):
        call("POST", "/api/v1/otp-batches", "/api/v1/otp-batches", admin, batch([ready[4]]),
             headers=key)

    # revoke
    for name, token in tokens.items():
        call("POST", "/api/v1/otps/{id}/revoke", f"/api/v1/otps/{otp_ids[3]}/revoke", token)
    call("POST", "/api/v1/otps/{id}/revoke", f"/api/v1/otps/{otp_ids[3]}/revoke", admin)
    call("POST", "/api/v1/otps/{id}/revoke", "/api/v1/otps/no-such-otp/revoke", admin)

    # device redemptions
    redemptions = []
    for code in codes[0:3]:
        status, body = call("POST", "/api/v1/device/redemptions", "/api/v1/device/redemptions",
                            None, device_body(code))
        redemptions.append(body)
    call("POST", "/api/v1/device/redemptions", "/api/v1/device/redemptions", None,
         device_body(codes[0]))
    call("POST", "/api/v1/device/redemptions", "/api/v1/device/redemptions", None,
         {"code": codes[1]})
    call("POST", "/api/v1/device/redemptions", "/api/v1/device/redemptions", None, "{",
         content_type="text/plain")
    for r in redemptions[0:1]:
        for token in (None, bad, admin, r["poll_token"], redemptions[1]["poll_token"]):
            call("GET", "/api/v1/device/redemptions/{id}",
                 f"/api/v1/device/redemptions/{r['id']}", token)
    call("GET", "/api/v1/device/redemptions/{id}", "/api/v1/device/redemptions/nope",
         redemptions[0]["poll_token"])

    # requests
    for name, token in tokens.items():
        call("GET", "/api/v1/requests", "/api/v1/requests", token)
    for query in ("state=pending,approved", "state=bogus", "limit=1001", "limit=2"):
        call("GET", "/api/v1/requests", "/api/v1/requests?" + query, viewer)
    status, page = call("GET", "/api/v1/requests", "/api/v1/requests?state=pending", admin)
    request_ids = [r["id"] for r in page["items"]]
    for name, token in tokens.items():
        call("GET", "/api/v1/requests/{id}", f"/api/v1/requests/{request_ids[0]}", token)
    call("GET", "/api/v1/requests/{id}", "/api/v1/requests/no-such-request", viewer)

    resolution = "/api/v1/requests/{id}/resolution"
    for name, token in tokens.items():
        if name != "admin":
            call("POST", resolution, f"/api/v1/requests/{request_ids[0]}/resolution", token,
                 {"decision": "approve"})
    call("POST", resolution, f"/api/v1/requests/{request_ids[0]}/resolution", admin,
         {"decision": "reject"})
    call("POST", resolution, f"/api/v1/requests/{request_ids[0]}/resolution", admin,
         {"decision": "maybe"})
    call("POST", resolution, f"/api/v1/requests/{request_ids[0]}/resolution", admin, "{",
         content_type="text/plain")
    call("POST", resolution, f"/api/v1/requests/{request_ids[0]}/resolution", admin,
         {"decision": "approve"})
    call("POST", resolution, f"/api/v1/requests/{request_ids[0]}/resolution", admin2,
         {"decision": "reject", "reason": "wrong_room"})
    call("POST", resolution, f"/api/v1/requests/{request_ids[1]}/resolution", admin,
         {"decision": "reject", "reason": "wrong_room", "comment": "not this one"})
    call("POST", resolution, "/api/v1/requests/no-such-request/resolution", admin,
         {"decision": "approve"})
    for r in redemptions:
        for _ in range(2):
            call("GET", "/api/v1/device/redemptions/{id}",
                 f"/api/v1/device/redemptions/{r['id']}", r["poll_token"])

    # settings
    for name, token in tokens.items():
        call("GET", "/api/v1/settings", "/api/v1/settings", token)
        call("PUT", "/api/v1/settings", "/api/v1/settings", token, {"otp_validity_hours": 9})
    for body in ({"otp_validity_hours": 0}, {"otp_validity_hours": 337},
                 {"auto_approve": "yes"}, "{", {}):
        call("PUT", "/api/v1/settings", "/api/v1/settings", admin, body)
    call("PUT", "/api/v1/settings", "/api/v1/settings", admin, "{}", content_type="text/plain")

    # separation of duties: admin issued, admin approves → 403
    call("PUT", "/api/v1/settings", "/api/v1/settings", admin, {"separation_of_duties": True})
    call("POST", resolution, f"/api/v1/requests/{request_ids[2]}/resolution", admin,
         {"decision": "approve"})

    # audit
    for name, token in tokens.items():
        call("GET", "/api/v1/audit", "/api/v1/audit", token)
    call("GET", "/api/v1/audit", "/api/v1/audit?limit=1001", admin)
    status, page = call("GET", "/api/v1/audit", "/api/v1/audit?limit=1", admin)
    if page and page.get("next_cursor"):
        cursor = urllib.parse.quote(page["next_cursor"], safe="")
        call("GET", "/api/v1/audit", f"/api/v1/audit?limit=1&cursor={cursor}", admin)

    # events: a WebSocket upgrade, and a plain GET
    for name, token in tokens.items():
        status, media, raw = s.websocket_status("/api/v1/events", token)
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        tap_record("GET", "/api/v1/events", status, media, parsed, raw, "/api/v1/events (upgrade)")
    call("GET", "/api/v1/events", "/api/v1/events", viewer)

    # Sign-in throttling from this address: the 11th failure is 429.
    for _ in range(11):
        call("POST", "/api/v1/sessions", "/api/v1/sessions",
             body={"username": "nobody", "password": "wrong"})
    for _ in range(11):
        call("POST", "/api/v1/device/redemptions", "/api/v1/device/redemptions", None,
             device_body("0000-0000-0000-0000"))

    return admin


def main():
    if len(sys.argv) != 2:
        print("usage: test-server-contract.py DOCUMENT", file=sys.stderr)
        return 2
    tap = Tap()
    with open(sys.argv[1], encoding="utf-8") as f:
        document = yaml.safe_load(f)

    # 1. The document itself
    tap.result(str(document.get("openapi", "")).startswith("3.1"), "the document is OpenAPI 3.1")
    missing = [f"{m.upper()} {p}" for m, p in DESIGN_OPERATIONS
               if m not in document.get("paths", {}).get(p, {})]
    tap.result(not missing, "the document describes every operation of DESIGN §4", missing)
    broken = []
    for ref in set(all_refs(document)):
        try:
            resolve(document, {"$ref": ref})
        except (KeyError, TypeError) as e:
            broken.append(f"{ref}: {e}")
    tap.result(not broken, "every $ref resolves", broken)
    schemes = document.get("components", {}).get("securitySchemes", {})
    tap.result(any(s.get("type") == "http" and s.get("scheme") == "bearer"
                   for s in schemes.values()), "bearer security schemes are described")
    problem = document.get("components", {}).get("schemas", {}).get("Problem", {})
    tap.result(set(["type", "title", "status", "code"]) <= set(problem.get("required", [])),
               "the Problem schema requires type, title, status and code")
    incomplete = []
    for path, method, operation in operations(document):
        if not operation.get("responses"):
            incomplete.append(f"{method.upper()} {path}: no responses")
        body = operation.get("requestBody")
        if body is not None and "application/json" not in resolve(document, body).get("content", {}):
            incomplete.append(f"{method.upper()} {path}: request body is not application/json")
        for status, response in operation.get("responses", {}).items():
            response = resolve(document, response)
            if int(status) >= 400 and "application/problem+json" not in response.get("content", {}):
                incomplete.append(f"{method.upper()} {path} {status}: not a problem+json answer")
    tap.result(not incomplete, "every operation has responses; every error is problem+json",
               incomplete)

    # 2. The server
    executable = os.environ.get("TESSERA_SERVER_PATH")
    if not executable:
        tap.bail("TESSERA_SERVER_PATH is not set")
    server = Server(executable)
    try:
        for name, role in (("admin", "admin"), ("admin2", "admin"), ("viewer", "viewer")):
            server.add_user(name, role)
        server.cli(["demo-data", "--accounts", "40"])
        server.start()

        observed = {}   # (method, template) → list of (status, problems)
        def record(method, template, status, media, parsed, raw, path):
            operation = document["paths"][template][method.lower()]
            problems = []
            if status not in documented_statuses(document, operation):
                problems.append(f"{method} {path} answered {status}, not documented")
            else:
                expected_media, schema = response_schema(document, operation, status)
                if expected_media is not None and status != 101:
                    if media != expected_media:
                        problems.append(f"{method} {path} {status}: Content-Type {media!r}, "
                                        f"documented {expected_media!r}")
                    elif schema is not None:
                        if parsed is None:
                            problems.append(f"{method} {path} {status}: body is not JSON")
                        else:
                            problems += [f"{method} {path} {status}: {e}"
                                         for e in check_schema(document, schema, parsed)]
            if problems:
                problems.append(f"body: {raw[:500]!r}")
            observed.setdefault((method, template), []).append((status, problems))

        token = None
        try:
            token = probe(server, record)
        except Exception as e:  # the probe itself broke: report it, then what was seen
            tap.result(False, "every documented operation could be called",
                       [f"{type(e).__name__}: {e}", "server output:", "".join(server.output[-40:])])

        for path, method, operation in operations(document):
            seen = observed.get((method.upper(), path), [])
            statuses = sorted({s for s, _ in seen})
            problems = [p for _, ps in seen for p in ps]
            success = [s for s in documented_statuses(document, operation) if 200 <= s < 300 or s == 101]
            if seen and not any(s in success for s in statuses):
                problems.append(f"never answered a success status {success}")
            tap.result(bool(seen) and not problems,
                       f"{method.upper()} {path} answers only documented statuses "
                       f"(saw {', '.join(map(str, statuses)) or 'nothing'})", problems)

        # 3. Nothing undocumented
        for path, item in document["paths"].items():
            concrete = path.replace("{id}", "some-id")
            documented = {m.upper() for m in item if m.upper() in HTTP_METHODS}
            problems = []
            for method in HTTP_METHODS:
                if method in documented:
                    continue
                status, media, headers, parsed, raw = server.request(
                    method, concrete, token, {} if method in ("POST", "PUT", "PATCH") else None)
                allow = {m.strip().upper() for m in headers.get("Allow", "").split(",") if m.strip()}
                allow -= {"HEAD", "OPTIONS"}
                if status != 405:
                    problems.append(f"{method} {concrete} answered {status}, expected 405")
                elif allow != documented:
                    problems.append(f"{method} {concrete}: Allow {sorted(allow)}, "
                                    f"documented {sorted(documented)}")
                elif media != "application/problem+json":
                    problems.append(f"{method} {concrete}: 405 is {media!r}, not a problem")
            tap.result(not problems, f"{path}: undocumented methods answer 405 with Allow",
                       problems)

        neighbours = ["/api/v1", "/api/v1/", "/api/v1/users", "/api/v1/otps",
                      "/api/v1/otps/some-id", "/api/v1/sessions/some-id",
                      "/api/v1/accounts/some-id/otps", "/api/v1/requests/some-id/extra",
                      "/api/v1/device", "/api/v1/device/redemptions/some-id/extra",
                      "/api/v1/settings/extra", "/api/v2/accounts", "/healthz/extra",
                      "/api/v1/ACCOUNTS"]
        problems = []
        for path in neighbours:
            status, media, headers, parsed, raw = server.request("GET", path, token)
            if status != 404 or media != "application/problem+json":
                problems.append(f"GET {path} answered {status} {media!r}, expected a 404 problem")
        tap.result(not problems, "paths the document does not list answer 404", problems)
    finally:
        server.stop()

    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
