"""A fake DingTalk on loopback that checks request shapes the way DingTalk
does (PROTOCOL.md §2-§4) and records everything.

Served paths:
  POST /v1.0/oauth2/accessToken            new-style token
  POST /v1.0/robot/oToMessages/batchSend   1:1 robot messages
  POST /v1.0/robot/groupMessages/send      group robot messages
  POST /robot/sendBySession?session=...    sessionWebhook replies
  GET  /gettoken?appkey=&appsecret=        legacy token
  POST /topapi/...                         contacts (department tree, users)

Shape violations are appended to `fake.violations` (a scenario asserts it
stays empty) and answered with DingTalk's error. Faults are injected with
`fake.inject(...)`.
"""

import json
import secrets
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

ACTION_CARD_BUTTONS = {
    "sampleActionCard2": 2,
    "sampleActionCard3": 3,
    "sampleActionCard4": 4,
    "sampleActionCard5": 5,
}
MSG_KEYS = {
    "sampleText": {"content"},
    "sampleMarkdown": {"title", "text"},
    "sampleImageMsg": {"photoURL"},
    "sampleLink": {"text", "title", "picUrl", "messageUrl"},
    "sampleActionCard": {"title", "text", "singleTitle", "singleURL"},
    "sampleActionCard6": {"title", "text", "buttonTitle1", "buttonUrl1", "buttonTitle2", "buttonUrl2"},
}
for _k, _n in ACTION_CARD_BUTTONS.items():
    MSG_KEYS[_k] = {"title", "text"} | {f"actionTitle{i}" for i in range(1, _n + 1)} | {
        f"actionURL{i}" for i in range(1, _n + 1)
    }


class Fault:
    """One injected fault: applies to the next `count` matching requests."""

    def __init__(self, api, kind, count=1, users=None, delay=0.0):
        self.api, self.kind, self.count, self.users, self.delay = api, kind, count, users, delay


class Fake:
    def __init__(self, app_key="dingbbappkey", app_secret="bb-secret", robot_code=None, token_ttl=7200):
        self.app_key = app_key
        self.app_secret = app_secret
        self.robot_code = robot_code or app_key
        self.token_ttl = token_ttl
        self.lock = threading.RLock()
        self.cond = threading.Condition(self.lock)
        self.log = []  # every request: dict(method, path, query, headers, body, status)
        self.violations = []
        self.tokens = {}  # token -> expiry (monotonic)
        self.token_grants = 0
        self.legacy_tokens = set()
        self.oto = []  # accepted batchSend deliveries: dict(users, msgKey, param, pqk)
        self.groups = []  # accepted group sends: dict(cid, msgKey, param)
        self.sessions = defaultdict(list)  # session -> accepted webhook bodies
        self.dead_sessions = set()  # answer 300001
        self.faults = []
        self.invalid_users = set()
        self.latency = {}  # api ('oto', 'group', 'session') -> seconds every answer takes
        # contacts directory for roster sync: dept id -> (name, parent); users: id -> dict
        self.depts = {1: ("总部", None)}
        self.users = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # ---- lifecycle -------------------------------------------------------
    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # ---- scenario helpers -------------------------------------------------
    def inject(self, api, kind, count=1, users=None, delay=0.0):
        """api: 'token', 'oto', 'group', 'session', 'legacy'. kind: 500, 'timeout',
        'flow' (users flow-controlled), 'throttle' (HTTP 429 / send.too.fast),
        'expire_tokens' (all issued tokens become invalid), 300001 (session)."""
        with self.lock:
            if kind == "expire_tokens":
                self.tokens.clear()
                return
            self.faults.append(Fault(api, kind, count, users, delay))

    def _take_fault(self, api):
        for f in self.faults:
            if f.api == api and f.count > 0:
                f.count -= 1
                return f
        return None

    def session_url(self, session):
        return f"{self.base}/robot/sendBySession?session={session}"

    def wait_session(self, session, n=1, timeout=10.0):
        """Waits until `n` bodies arrived at the session; returns them all."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.sessions[session]) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.cond.wait(left)
            return list(self.sessions[session])

    def wait_for(self, pred, timeout=10.0):
        """Waits until pred() (called under the lock) is truthy."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                v = pred()
                if v:
                    return v
                left = deadline - time.monotonic()
                if left <= 0:
                    return v
                self.cond.wait(min(left, 0.5))

    def dms(self, user):
        """Accepted 1:1 messages for a user: list of (msgKey, param dict)."""
        with self.lock:
            return [(d["msgKey"], d["param"]) for d in self.oto if user in d["users"]]

    def dm_texts(self, user):
        return [param_text(k, p) for k, p in self.dms(user)]

    def group_texts(self, cid):
        with self.lock:
            return [param_text(d["msgKey"], d["param"]) for d in self.groups if d["cid"] == cid]

    def count(self, path_suffix):
        with self.lock:
            return sum(1 for r in self.log if r["path"].endswith(path_suffix))

    def violate(self, what):
        self.violations.append(what)

    # ---- HTTP ------------------------------------------------------------
    def _handler(self):
        fake = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _send(self, status, obj):
                data = json.dumps(obj, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json;charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _body(self):
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n) if n else b""

            def do_GET(self):
                self._dispatch("GET")

            def do_POST(self):
                self._dispatch("POST")

            def _dispatch(self, method):
                u = urlparse(self.path)
                q = {k: v[0] for k, v in parse_qs(u.query).items()}
                raw = self._body() if method == "POST" else b""
                rec = {
                    "method": method,
                    "path": u.path,
                    "query": q,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "raw": raw,
                    "t": time.time(),
                }
                status, obj, delay = fake._route(method, u.path, q, rec, raw)
                rec["status"] = status
                with fake.cond:
                    fake.log.append(rec)
                    fake.cond.notify_all()
                if delay:
                    time.sleep(delay)
                self._send(status, obj)

        return H

    def _json(self, raw, api):
        try:
            return json.loads(raw.decode("utf-8"))
        except Exception:
            self.violate(f"{api}: body is not UTF-8 JSON")
            return None

    def _route(self, method, path, q, rec, raw):
        """Returns (status, body, delay_seconds)."""
        with self.lock:
            if path == "/v1.0/oauth2/accessToken" and method == "POST":
                return self._token(rec, raw)
            if path == "/v1.0/robot/oToMessages/batchSend" and method == "POST":
                st, obj, delay = self._robot(rec, raw, "oto")
                return st, obj, delay + self.latency.get("oto", 0)
            if path == "/v1.0/robot/groupMessages/send" and method == "POST":
                st, obj, delay = self._robot(rec, raw, "group")
                return st, obj, delay + self.latency.get("group", 0)
            if path == "/robot/sendBySession" and method == "POST":
                return self._session(q, rec, raw)
            if path == "/gettoken" and method == "GET":
                return self._gettoken(q)
            if path.startswith("/topapi/") and method == "POST":
                return self._contacts(path, q, raw)
            self.violate(f"unexpected request {method} {path}")
            return 404, {"code": "NotFound", "message": "no such API"}, 0

    def _fault_answer(self, api, users=None):
        f = self._take_fault(api)
        if f is None:
            return None
        if f.kind == 500:
            return 500, {"code": "ServiceUnavailable", "message": "injected 500"}, f.delay
        if f.kind == "timeout":
            return 500, {"code": "Timeout", "message": "injected slow answer"}, f.delay or 15.0
        if f.kind == "throttle":
            return 429, {"code": "send.too.fast", "message": "injected throttling"}, f.delay
        if f.kind == 300001:
            return 200, {"errcode": 300001, "errmsg": "session 不存在"}, f.delay
        if f.kind == "flow":
            return ("flow", f.users or [], f.delay)
        raise ValueError(f.kind)

    def _token(self, rec, raw):
        body = self._json(raw, "accessToken")
        if not isinstance(body, dict) or set(body) != {"appKey", "appSecret"}:
            self.violate(f"accessToken: body keys {sorted(body) if isinstance(body, dict) else body}")
            return 400, {"code": "MissingappKey", "message": "appKey is mandatory"}, 0
        if body["appKey"] != self.app_key or body["appSecret"] != self.app_secret:
            self.violate("accessToken: wrong appKey/appSecret")
            return 400, {"code": "invalidClientIdOrSecret", "message": "无效的clientId或者clientSecret"}, 0
        fault = self._fault_answer("token")
        if fault and fault[0] != "flow":
            return fault
        tok = secrets.token_hex(16)
        self.tokens[tok] = time.monotonic() + self.token_ttl
        self.token_grants += 1
        return 200, {"accessToken": tok, "expireIn": self.token_ttl}, 0

    def _check_token(self, rec):
        tok = rec["headers"].get("x-acs-dingtalk-access-token")
        if tok is None:
            self.violate(f"{rec['path']}: no x-acs-dingtalk-access-token header")
            return False
        exp = self.tokens.get(tok)
        return exp is not None and exp > time.monotonic()

    def _robot(self, rec, raw, api):
        ctype = rec["headers"].get("content-type", "")
        if "application/json" not in ctype:
            self.violate(f"{api}: Content-Type {ctype!r}")
        if not self._check_token(rec):
            return 401, {"code": "InvalidAuthentication", "message": "不合法的access_token"}, 0
        body = self._json(raw, api)
        if not isinstance(body, dict):
            return 400, {"code": "invalidParameter.param.invalid", "message": "bad body"}, 0
        err = self._check_robot_body(api, body)
        if err:
            self.violate(f"{api}: {err[1]}")
            return 400, {"code": err[0], "message": err[1]}, 0
        param = json.loads(body["msgParam"])
        fault = self._fault_answer(api)
        users = list(body.get("userIds", []))
        flow = []
        if fault:
            if fault[0] != "flow":
                return fault
            flow = [u for u in users if u in fault[1]]
        pqk = secrets.token_urlsafe(12)
        if api == "oto":
            invalid = [u for u in users if u in self.invalid_users]
            ok = [u for u in users if u not in invalid and u not in flow]
            if ok:
                self.oto.append({"users": ok, "msgKey": body["msgKey"], "param": param, "pqk": pqk})
            return 200, {
                "processQueryKey": pqk,
                "invalidStaffIdList": invalid,
                "flowControlledStaffIdList": flow,
            }, 0
        self.groups.append({"cid": body["openConversationId"], "msgKey": body["msgKey"], "param": param})
        return 200, {"processQueryKey": pqk}, 0

    def _check_robot_body(self, api, body):
        if not body.get("robotCode"):
            return "invalidParameter.robotCode.empty", "robotCode is empty"
        if body["robotCode"] != self.robot_code:
            return "invalidParameter.robotCode.auth", f"robotCode {body['robotCode']} does not match"
        if api == "oto":
            ids = body.get("userIds")
            if not isinstance(ids, list) or not ids:
                return "invalidParameter.userIds.empty", "userIds empty"
            if len(ids) > 20:
                return "invalidParameter.userIds.overMax", f"{len(ids)} userIds"
            if not all(isinstance(u, str) and u for u in ids):
                return "invalidParameter.userIds.invalid", "userIds must be strings"
            if len(set(ids)) != len(ids):
                return "invalidParameter.userIds.invalid", "duplicate userIds"
        else:
            if not isinstance(body.get("openConversationId"), str) or not body["openConversationId"]:
                return "invalidParameter.openConversationId.empty", "openConversationId empty"
        key = body.get("msgKey")
        if key not in MSG_KEYS:
            return "invalidParameter.msgKey.invalid", f"msgKey {key!r}"
        p = body.get("msgParam")
        if not isinstance(p, str):
            return "invalidParameter.msgParam.invalid", "msgParam must be a JSON string"
        if api == "group" and len(p.encode()) > 15000:
            return "invalidParameter.msgParam.invalid", "msgParam over 15000 bytes"
        try:
            param = json.loads(p)
        except ValueError:
            return "invalidParameter.msgParam.invalid", "msgParam must be in JSON format"
        if not isinstance(param, dict) or set(param) != MSG_KEYS[key]:
            return "invalidParameter.msgParam.invalid", f"{key} keys {sorted(param)}"
        if not all(isinstance(v, str) and v for v in param.values()):
            return "invalidParameter.msgParam.invalid", f"{key} has empty or non-string values"
        extra = set(body) - {"robotCode", "userIds", "openConversationId", "msgKey", "msgParam", "coolAppCode", "token"}
        if extra:
            return "invalidParameter.param.invalid", f"unknown fields {sorted(extra)}"
        return None

    def _session(self, q, rec, raw):
        session = q.get("session")
        body = self._json(raw, "sendBySession")
        if not session:
            self.violate("sendBySession without session")
            return 200, {"errcode": 300001, "errmsg": "session 不存在"}, 0
        if session in self.dead_sessions:
            return 200, {"errcode": 300001, "errmsg": "session 不存在"}, 0
        err = check_webhook_body(body)
        if err:
            self.violate(f"sendBySession: {err}")
            return 200, {"errcode": 400105, "errmsg": err}, 0
        fault = self._fault_answer("session")
        if fault and fault[0] != "flow":
            return fault
        self.sessions[session].append(body)
        return 200, {"errcode": 0, "errmsg": "ok"}, 0

    # ---- legacy oapi: token and contacts ----------------------------------
    def _gettoken(self, q):
        if q.get("appkey") != self.app_key or q.get("appsecret") != self.app_secret:
            self.violate("gettoken: wrong appkey/appsecret")
            return 200, {"errcode": 40089, "errmsg": "不合法的corpid或corpsecret"}, 0
        tok = "legacy-" + secrets.token_hex(8)
        self.legacy_tokens.add(tok)
        return 200, {"errcode": 0, "errmsg": "ok", "access_token": tok, "expires_in": 7200}, 0

    def _contacts(self, path, q, raw):
        if q.get("access_token") not in self.legacy_tokens:
            return 200, {"errcode": 88, "sub_code": "40014", "errmsg": "不合法的access_token"}, 0
        body = self._json(raw, path) or {}
        api = path[len("/topapi/"):]
        ok = lambda result: (200, {"errcode": 0, "errmsg": "ok", "request_id": "r", "result": result}, 0)  # noqa: E731
        dept = body.get("dept_id")
        if api in ("v2/department/listsubid", "v2/department/listsub", "v2/department/get", "user/listid"):
            if not isinstance(dept, int) or dept not in self.depts:
                return 200, {"errcode": 60003, "errmsg": "部门不存在"}, 0
        if api == "v2/department/get":
            name, parent = self.depts[dept]
            r = {"dept_id": dept, "name": name}
            if parent:
                r["parent_id"] = parent
            return ok(r)
        if api == "v2/department/listsubid":
            return ok({"dept_id_list": [d for d, (_, p) in self.depts.items() if p == dept]})
        if api == "v2/department/listsub":
            return ok([{"dept_id": d, "name": n, "parent_id": p} for d, (n, p) in self.depts.items() if p == dept])
        if api == "user/listid":
            return ok({"userid_list": [u for u, info in self.users.items() if dept in info["dept_id_list"]]})
        if api == "v2/user/get":
            u = self.users.get(body.get("userid"))
            if u is None:
                return 200, {"errcode": 60121, "errmsg": "找不到该用户"}, 0
            return ok(dict(u, userid=body["userid"]))
        self.violate(f"unknown contacts API {api}")
        return 200, {"errcode": 404, "errmsg": "no such API"}, 0


def check_webhook_body(body):
    """None if `body` is a valid §2 webhook message, else why not."""
    if not isinstance(body, dict):
        return "not a JSON object"
    t = body.get("msgtype")
    if t == "text":
        c = body.get("text", {}).get("content") if isinstance(body.get("text"), dict) else None
        if not isinstance(c, str) or not c:
            return "text.content missing"
    elif t == "markdown":
        m = body.get("markdown")
        if not isinstance(m, dict) or not m.get("title") or not m.get("text"):
            return "markdown needs title and text"
    elif t == "actionCard":
        a = body.get("actionCard")
        if not isinstance(a, dict) or not a.get("title") or not a.get("text"):
            return "actionCard needs title and text"
        single = "singleTitle" in a or "singleURL" in a
        if single:
            if not a.get("singleTitle") or not a.get("singleURL"):
                return "actionCard singleTitle/singleURL incomplete"
        else:
            btns = a.get("btns")
            if not isinstance(btns, list) or not btns:
                return "actionCard without buttons"
            for b in btns:
                if not isinstance(b, dict) or not b.get("title") or not b.get("actionURL"):
                    return "actionCard button needs title and actionURL"
    elif t in ("link", "feedCard"):
        pass
    else:
        return f"unsupported msgtype {t!r}"
    at = body.get("at")
    if at is not None:
        if not isinstance(at, dict) or not isinstance(at.get("atUserIds", []), list):
            return "bad at object"
    return None


def body_text(body):
    """The human-readable text of a webhook body."""
    t = body.get("msgtype")
    if t == "text":
        return body["text"]["content"]
    if t == "markdown":
        return body["markdown"]["text"]
    if t == "actionCard":
        a = body["actionCard"]
        titles = [a.get("singleTitle")] if "singleTitle" in a else [b["title"] for b in a.get("btns", [])]
        return a["text"] + "\n" + " ".join(f"[{x}]" for x in titles)
    return json.dumps(body, ensure_ascii=False)


def body_buttons(body):
    """[(title, url)] of a webhook action card."""
    a = body.get("actionCard") or {}
    if "singleTitle" in a:
        return [(a["singleTitle"], a["singleURL"])]
    return [(b["title"], b["actionURL"]) for b in a.get("btns", [])]


def param_text(key, p):
    if key == "sampleText":
        return p["content"]
    if key == "sampleMarkdown":
        return p["text"]
    if key.startswith("sampleActionCard"):
        titles = [v for k, v in sorted(p.items()) if k.startswith("actionTitle") or k == "singleTitle"]
        return p["text"] + "\n" + " ".join(f"[{x}]" for x in titles)
    return json.dumps(p, ensure_ascii=False)


def param_buttons(key, p):
    if key == "sampleActionCard":
        return [(p["singleTitle"], p["singleURL"])]
    out = []
    i = 1
    while f"actionTitle{i}" in p:
        out.append((p[f"actionTitle{i}"], p[f"actionURL{i}"]))
        i += 1
    return out
