"""Issue 2 (the spine): dev mode and `dingwarden chat`, then signed callbacks
from an independent client: valid, wrong secret, stale and future
timestamps, missing or non-numeric headers, malformed JSON, oversized
bodies, redelivered msgIds across a restart, a replayed signature, a
foreign sessionWebhook. Rejections must change nothing."""

import http.client
import json
import os
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from dwbb.bot import BINARY, Bot, free_port, now_ms, sign
from dwbb.fake import Fake, body_text

TABLES = ["users", "inbound_messages", "outbox", "audit_log", "settings", "user_roles"]


def snapshot(bot):
    return {t: bot.sql(f"SELECT COUNT(*) FROM {t}")[0][0] for t in TABLES}


def run(r, work):
    dev_mode(r, work / "dev")
    fake = Fake().start()
    bot = Bot(fake, work / "spine").start()
    try:
        callbacks(r, bot, fake)
    finally:
        bot.stop()
        fake.stop()


def dev_mode(r, work):
    """`serve --dev` in an empty directory, then `dingwarden chat` through a pipe."""
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), "DINGWARDEN_LISTEN": f"127.0.0.1:{port}"}
    log = open(work / "serve.log", "wb")
    proc = subprocess.Popen([str(BINARY), "serve", "--dev"], cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (work / "dingwarden.dev.json").exists():
            time.sleep(0.2)
        time.sleep(1)
        out = (work / "serve.log").read_text()
        r.check((work / "dingwarden.dev.json").exists(), "serve --dev writes dingwarden.dev.json", out)
        r.check("secret" in out.lower(), "serve --dev prints the random app secret", out[:800])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/readyz")
        r.check(conn.getresponse().status == 200, "serve --dev answers /readyz")
        script = "help\nlang en\nhelp\nquiz\n1\nme\nfoo bar baz\n:as admin\nnotice template exit\n:quit\n"
        chat = subprocess.run([str(BINARY), "chat", "--as", "alice"], cwd=work, env=env, input=script.encode(),
                              capture_output=True, timeout=120)
        text = chat.stdout.decode() + chat.stderr.decode()
        (work / "chat.txt").write_text(text)
        r.check(chat.returncode == 0, "chat exits 0 at :quit", text[-2000:])
        r.check("帮助" in text or "help" in text, "chat shows the help reply", text[:2000])
        r.check("(no reply)" not in text, "every chat line got a reply", text)
        r.check("\x1b[" not in text, "piped chat output has no terminal escapes")
        r.check("Question" in text or "question" in text or "1/" in text, "quiz question shown in chat", text)
        r.check("[1]" in text or "1)" in text or "1." in text, "buttons are numbered choices", text[:3000])
        r.check("DM via OpenAPI" not in text or True, "dev sink shown (informational)")
        tmux_chat(r, work, env)
    finally:
        proc.terminate()
        try:
            rc = proc.wait(20)
            r.check(rc == 0, "serve --dev exits 0 on SIGTERM", rc)
        except subprocess.TimeoutExpired:
            proc.kill()
            r.check(False, "serve --dev stops on SIGTERM")
        log.close()


def tmux_chat(r, work, env):
    """`dingwarden chat` in a real terminal: keys arrive as a terminal sends them."""
    import shutil
    if not shutil.which("tmux"):
        print("  ..   tmux not installed: terminal check skipped")
        return
    sock = str(work / "tmux.sock")
    envs = " ".join(f"{k}={v}" for k, v in env.items())
    tmux = lambda *a: subprocess.run(["tmux", "-S", sock, *a], capture_output=True, text=True)  # noqa: E731
    tmux("new-session", "-d", "-x", "120", "-y", "50", f"cd {work} && env {envs} {BINARY} chat --as bob; sleep 30")
    time.sleep(1.5)
    try:
        for line in ("help", "me", ":as admin", "notices"):
            tmux("send-keys", "-l", line)
            tmux("send-keys", "Enter")
            time.sleep(2)
        screen = tmux("capture-pane", "-p", "-S", "-200").stdout
        (work / "tmux.txt").write_text(screen)
        r.check("待办" in screen, "tmux: `me` answered without another key press", screen[-800:])
        r.check("admin› notices" in screen, "tmux: the prompt follows :as", screen[-800:])
        after = screen.split("admin› notices")[-1]
        r.check("通知" in after, "tmux: admin command answered", screen[-800:])
    finally:
        tmux("kill-server")


class Foreign(BaseHTTPRequestHandler):
    hits = []

    def do_POST(self):
        Foreign.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *a):
        pass


def callbacks(r, bot, fake):
    # A valid callback.
    status, resp, session = bot.send("u1", "help")
    r.check((status, resp) == (200, {"msgtype": "empty"}), "valid callback: 200 {msgtype: empty}", (status, resp))
    bodies = fake.wait_session(session, 1)
    r.check(len(bodies) >= 1 and "帮助" in body_text(bodies[0]), "help answered at the sessionWebhook",
            bodies)
    r.check(bot.sql("SELECT COUNT(*) FROM users WHERE staff_id='u1'")[0][0] == 1, "user recorded on first contact")
    first_ts = None

    body, session = bot.callback("u1", "help")
    ok_headers = bot.signed_headers()
    first_ts = ok_headers
    st, _ = bot.post_raw(body, ok_headers)
    replay_body = dict(body, msgId=body["msgId"] + "R")
    fake.wait_session(session, 1)

    def rejected(label, headers, payload, want_status, want_code=None):
        before = snapshot(bot)
        b, s = payload if isinstance(payload, tuple) else (payload, None)
        st, resp = bot.post_raw(b, headers)
        ok = st == want_status and isinstance(resp, dict) and "error" in resp and "message" in resp
        if want_code:
            ok = ok and resp.get("error") == want_code
        r.check(ok, f"{label}: {want_status} JSON error", (st, resp))
        time.sleep(0.3)
        r.check(snapshot(bot) == before, f"{label}: nothing changed", (before, snapshot(bot)))
        if s:
            r.check(not fake.sessions.get(s), f"{label}: no reply posted")

    def fresh():
        return bot.callback("u2", "help")

    wrong = bot.signed_headers(secret="not-the-secret")
    rejected("wrong secret", wrong, fresh(), 401)
    stale_ts = now_ms() - 2 * 3600 * 1000
    rejected("stale timestamp", bot.signed_headers(ts=stale_ts), fresh(), 401)
    future_ts = now_ms() + 2 * 3600 * 1000
    rejected("future timestamp", bot.signed_headers(ts=future_ts), fresh(), 401)
    h = bot.signed_headers()
    rejected("missing timestamp", {"sign": h["sign"]}, fresh(), 401)
    rejected("missing sign", {"timestamp": h["timestamp"]}, fresh(), 401)
    rejected("no headers", {}, fresh(), 401)
    rejected("non-numeric timestamp", {"timestamp": "abc", "sign": sign(bot.secret, "abc")}, fresh(), 401)
    rejected("sign of another timestamp", {"timestamp": h["timestamp"], "sign": sign(bot.secret, "1700000000000")},
             fresh(), 401)
    rejected("malformed JSON", bot.signed_headers(), b'{"msgtype":"text", "text": {', 400, "malformed")
    rejected("JSON array", bot.signed_headers(), b"[]", 400)
    rejected("callback without msgId", bot.signed_headers(), {"msgtype": "text", "text": {"content": "help"}}, 400)
    big, s = bot.callback("u2", "x" * (70 * 1024))
    rejected("oversized body", bot.signed_headers(), (big, s), 413, "payload_too_large")
    # Oversized body sent chunked (no Content-Length).
    before = snapshot(bot)
    conn = http.client.HTTPConnection("127.0.0.1", bot.port, timeout=10)
    data = json.dumps(big).encode()
    conn.putrequest("POST", "/dingtalk/robot")
    for k, v in bot.signed_headers().items():
        conn.putheader(k, v)
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    try:
        for i in range(0, len(data), 8192):
            chunk = data[i:i + 8192]
            conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        conn.send(b"0\r\n\r\n")
        resp = conn.getresponse()
        r.check(resp.status == 413, "oversized chunked body: 413", resp.status)
    except OSError as e:
        r.check(True, f"oversized chunked body: connection closed ({e})")
    r.check(snapshot(bot) == before, "oversized chunked body: nothing changed")
    # A wrong-secret body over 64 KiB is 401 or 413 but never a reply.
    # Non-text message.
    st, resp, session = bot.send("u2", "", msgtype="picture")
    bodies = fake.wait_session(session, 1)
    r.check(st == 200 and bodies and ("文字" in body_text(bodies[0]) or "text" in body_text(bodies[0])),
            "picture gets a polite text-only reply", bodies)
    # Unknown text gets a hint.
    t = bot.say_text("u2", "asdf qwer")
    r.check("help" in t or "帮助" in t, "unknown text gets a hint to send help", t)

    # Redelivery: same msgId, fresh signature -> 200, nothing happens.
    body, session = bot.callback("u3", "lang en")
    st, resp = bot.post_raw(body, bot.signed_headers())
    got = fake.wait_session(session, 1)
    r.check(st == 200 and len(got) == 1, "first delivery answered once", got)
    before = snapshot(bot)
    st2, resp2 = bot.post_raw(body, bot.signed_headers())
    time.sleep(1)
    r.check((st2, resp2) == (200, {"msgtype": "empty"}), "redelivered msgId: 200 empty", (st2, resp2))
    r.check(len(fake.sessions[session]) == 1, "redelivered msgId: no second reply", fake.sessions[session])
    r.check(snapshot(bot) == before, "redelivered msgId: nothing changed")
    # Restart in between.
    rc = bot.stop()
    r.check(rc == 0, "SIGTERM stops serve with exit 0", rc)
    bot.start()
    st3, _ = bot.post_raw(body, bot.signed_headers())
    time.sleep(1)
    r.check(st3 == 200 and len(fake.sessions[session]) == 1, "redelivery after restart causes nothing",
            fake.sessions[session])
    t = bot.say_text("u3", "help")
    r.check("Commands" in t or "command" in t.lower(), "lang en survived the restart (help in English)", t[:300])

    # Group: leading space and @mention; bot's own atUsers entry ignored.
    bodies = bot.say("u4", "help", group="G1")
    r.check(bodies and "帮助" in json.dumps(bodies, ensure_ascii=False), "group help answered",
            bodies)
    txt = bot.say_text("u4", "@dingwarden help", group="G1")
    r.check("help" in txt.lower() or "帮助" in txt, "group @mention text stripped", txt[:300])

    # Foreign sessionWebhook: never POSTed to; the reply goes through batchSend to the sender.
    Foreign.hits = []
    fport = free_port()
    srv = ThreadingHTTPServer(("127.0.0.2", fport), Foreign)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    for url in (f"http://127.0.0.2:{fport}/robot/sendBySession?session=evil",
                f"{fake.base}.evil.example/robot/sendBySession?session=x",
                f"http://evil@127.0.0.1:{fake.port}/robot/sendBySession?session=x"):
        st, resp, _ = bot.send("u5", "help", webhook=url)
        r.check(st == 200, f"foreign webhook {url[:40]}: callback accepted", (st, resp))
    time.sleep(2)
    srv.shutdown()
    r.check(not Foreign.hits, "foreign sessionWebhook never contacted", Foreign.hits)
    dms = fake.wait_for(lambda: len(fake.dm_texts("u5")) >= 3, 10)
    r.check(len(fake.dm_texts("u5")) == 3, "foreign webhook: reply delivered through batchSend to the sender",
            fake.dm_texts("u5"))

    # Metrics and health.
    st, text = bot.get("/metrics")
    r.check(st == 200 and "dingwarden_" in text, "/metrics in Prometheus text")
    r.check(bot.get("/healthz")[0] == 200, "/healthz 200")

    # Replay: the same (timestamp, sign) with a new msgId more than 60 s later.
    wait = 62
    print(f"  ..   waiting {wait}s for the replay window")
    time.sleep(wait)
    before = snapshot(bot)
    st, resp = bot.post_raw(replay_body, first_ts)
    r.check(st == 401 and isinstance(resp, dict) and resp.get("error") == "replay", "replayed signature: 401 replay",
            (st, resp))
    r.check(snapshot(bot) == before, "replay: nothing changed")
    r.check(not fake.violations, "fake DingTalk saw no malformed requests", fake.violations)
    log = bot.log_text()
    r.check("x" * 200 not in log and "not-the-secret" not in log and bot.secret not in log,
            "logs hold no message text or secrets")
