"""Runs the release binary and talks to it as DingTalk would: signed robot
callbacks (PROTOCOL.md §1.2) whose replies land at a sessionWebhook on the
fake, plus the CLI commands of DESIGN.md."""

import base64
import hashlib
import hmac
import itertools
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from .fake import body_buttons, body_text

ROOT = Path(__file__).resolve().parents[3]
BINARY = ROOT / "target" / "release" / "dingwarden"
_seq = itertools.count(1)


def sign(secret, timestamp):
    """base64(HMAC-SHA256(secret, timestamp + "\\n" + secret)), raw base64."""
    msg = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(secret.encode(), msg, hashlib.sha256).digest()).decode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def now_ms():
    return int(time.time() * 1000)


class Bot:
    """One dingwarden process (restartable) with its own SQLite file."""

    def __init__(self, fake, workdir, env=None, admins="admin1", hr="hr1"):
        self.fake = fake
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db = self.workdir / "dw.db"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/root"),
            "RUST_LOG": "info",
            "DINGWARDEN_LISTEN": f"127.0.0.1:{self.port}",
            "DINGWARDEN_DATABASE_URL": f"sqlite://{self.db}?mode=rwc",
            "DINGTALK_APP_KEY": fake.app_key,
            "DINGTALK_APP_SECRET": fake.app_secret,
            "DINGTALK_API_BASE": fake.base,
            "DINGTALK_OAPI_BASE": fake.base,
            "DINGWARDEN_ADMINS": admins,
            "DINGWARDEN_HR": hr,
            "DINGWARDEN_SCHEDULER_TICK_SECS": "1",
            "DINGWARDEN_QUIET_HOURS": "off",
            "DINGWARDEN_OPENAPI_TIMEOUT_MS": "2000",
        }
        self.env.update(env or {})
        self.proc = None
        self.logfile = None
        self.secret = fake.app_secret

    # ---- process ---------------------------------------------------------
    def start(self, args=("serve",), wait=True):
        self.logfile = open(self.workdir / "bot.log", "ab")
        self.proc = subprocess.Popen(
            [str(BINARY), *args], env=self.env, cwd=self.workdir, stdout=self.logfile, stderr=subprocess.STDOUT
        )
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"dingwarden exited with {self.proc.returncode}; see {self.workdir}/bot.log")
            try:
                if self.get("/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("dingwarden did not become ready")

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise RuntimeError("dingwarden did not stop on SIGTERM")
        if self.logfile:
            self.logfile.close()
        return self.proc.returncode if self.proc else None

    def kill(self):
        return self.stop(signal.SIGKILL)

    def restart(self):
        self.stop()
        return self.start()

    def cli(self, *args, input=None, check=False, timeout=120):
        r = subprocess.run(
            [str(BINARY), *args],
            env=self.env,
            cwd=self.workdir,
            input=input,
            capture_output=True,
            timeout=timeout,
        )
        r.out = r.stdout.decode("utf-8", "replace")
        r.err = r.stderr.decode("utf-8", "replace")
        if check and r.returncode != 0:
            raise AssertionError(f"dingwarden {' '.join(args)} failed: {r.err}")
        return r

    def sql(self, query, params=()):
        c = sqlite3.connect(self.db, timeout=10)
        try:
            with c:
                return c.execute(query, params).fetchall()
        finally:
            c.close()

    def log_text(self):
        return (self.workdir / "bot.log").read_text("utf-8", "replace")

    # ---- HTTP ------------------------------------------------------------
    def get(self, path):
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def post_raw(self, body, headers, path="/dingtalk/robot"):
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        req = urllib.request.Request(self.url + path, data=data, method="POST")
        req.add_header("Content-Type", "application/json; charset=utf-8")
        for k, v in headers.items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                txt = r.read().decode()
                return r.status, (json.loads(txt) if txt else None)
        except urllib.error.HTTPError as e:
            txt = e.read().decode()
            try:
                return e.code, json.loads(txt)
            except ValueError:
                return e.code, txt

    def signed_headers(self, ts=None, secret=None):
        ts = str(now_ms() if ts is None else ts)
        return {"timestamp": ts, "sign": sign(secret or self.secret, ts)}

    def callback(self, staff, text, group=None, nick=None, msg_id=None, session=None, expires_in_ms=90 * 60_000,
                 webhook=None, at_staff=(), is_admin=False, msgtype="text", ts=None):
        """The JSON body DingTalk posts for a text message. Returns (body, session)."""
        n = next(_seq)
        session = session or f"s{n}-{staff}"
        created = now_ms()
        body = {
            "conversationId": f"cid{group}" if group else f"cidDM{staff}",
            "chatbotCorpId": "dingbbcorp",
            "chatbotUserId": "$:LWCP_v1:$bbbot",
            "msgId": msg_id or f"msgBB{n}x{created}",
            "senderNick": nick or staff,
            "isAdmin": is_admin,
            "senderStaffId": staff,
            "sessionWebhookExpiredTime": created + expires_in_ms,
            "createAt": created,
            "senderCorpId": "dingbbcorp",
            "conversationType": "2" if group else "1",
            "senderId": f"$:LWCP_v1:${staff}",
            "sessionWebhook": webhook or self.fake.session_url(session),
            "robotCode": self.fake.robot_code,
            "msgtype": msgtype,
        }
        if msgtype == "text":
            body["text"] = {"content": (" " + text) if group else text}
        else:
            body["content"] = {"downloadCode": "x"}
        if group:
            body["conversationTitle"] = f"群{group}"
            body["isInAtList"] = True
            body["atUsers"] = [{"dingtalkId": "$:LWCP_v1:$bbbot"}] + [
                {"dingtalkId": f"$:LWCP_v1:${s}", "staffId": s} for s in at_staff
            ]
        return body, session

    def send(self, staff, text, **kw):
        """Posts a signed callback; returns (status, json, session)."""
        ts = kw.pop("ts", None)
        body, session = self.callback(staff, text, **kw)
        status, resp = self.post_raw(body, self.signed_headers(ts))
        return status, resp, session

    def say(self, staff, text, n=1, timeout=10, **kw):
        """Sends and waits for `n` replies at the sessionWebhook; returns their bodies."""
        status, resp, session = self.send(staff, text, **kw)
        assert status == 200 and resp == {"msgtype": "empty"}, (status, resp)
        bodies = self.fake.wait_session(session, n, timeout)
        # Give a moment for more messages of the same reply.
        time.sleep(0.15)
        return self.fake.wait_session(session, 0, 0)

    def say_text(self, staff, text, **kw):
        return "\n---\n".join(body_text(b) for b in self.say(staff, text, **kw))

    def say_confirmed(self, staff, text, **kw):
        """A role change or offboarding, confirmed with the code its reply
        gave (issue 12 point 2); the first reply when it gave none."""
        asked = self.say_text(staff, text, **kw)
        m = re.search(r"^(?:确认执行|confirm) ([A-Z2-9]{6})$", asked, re.M)
        return self.say_text(staff, f"confirm {m.group(1)}", **kw) if m else asked


def buttons(bodies):
    return [b for body in bodies for b in body_buttons(body)]
