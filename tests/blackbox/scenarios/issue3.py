"""Issue 3 (delivery): expired and failing sessionWebhooks fall back to the
right OpenAPI call with a valid token; tokens are reused; injected failures
are retried until delivered exactly once; groups are answered in the group."""

import time

from dwbb.bot import Bot
from dwbb.fake import Fake


def run(r, work):
    fake = Fake().start()
    bot = Bot(fake, work / "delivery", admins="admin1,admin2").start()
    try:
        scenario(r, bot, fake)
    finally:
        bot.stop()
        fake.stop()


def oto_count(fake, user, needle):
    return sum(1 for t in fake.dm_texts(user) if needle in t)


def scenario(r, bot, fake):
    # Everyone writes once so the bot knows them.
    for u in ("u1", "u2", "admin1", "admin2"):
        bot.say("u1" if u == "u1" else u, "lang en")

    # 1:1 reply with an expired sessionWebhook -> batchSend to the sender.
    st, _, session = bot.send("u1", "help", expires_in_ms=-60_000)
    r.check(st == 200, "expired webhook callback accepted")
    ok = fake.wait_for(lambda: any("help" in t for t in fake.dm_texts("u1")), 15)
    r.check(ok, "expired 1:1 webhook: reply via oToMessages/batchSend to the sender", fake.dm_texts("u1"))
    r.check(not fake.sessions.get(session), "expired webhook was not POSTed to")

    # Group reply with an expired sessionWebhook -> groupMessages/send to that conversation.
    st, _, session = bot.send("u1", "help", group="GX", expires_in_ms=-60_000)
    ok = fake.wait_for(lambda: fake.group_texts("cidGX"), 15)
    r.check(bool(ok), "expired group webhook: reply via groupMessages/send to openConversationId", fake.groups)

    # Webhook answering 300001 -> fallback.
    fake.dead_sessions.add("dead1")
    st, _, _ = bot.send("u2", "help", session="dead1")
    ok = fake.wait_for(lambda: any("help" in t for t in fake.dm_texts("u2")), 15)
    r.check(ok, "300001 from the sessionWebhook: reply via batchSend", fake.dm_texts("u2"))

    # Webhook failing with 500 (twice: the immediate retry too) -> fallback.
    fake.inject("session", 500, count=2)
    before = len(fake.dm_texts("u2"))
    bot.send("u2", "help")
    ok = fake.wait_for(lambda: len(fake.dm_texts("u2")) > before, 15)
    r.check(ok, "failing sessionWebhook: reply via batchSend", fake.dm_texts("u2"))

    # A group webhook failing -> group send.
    fake.inject("session", 500, count=2)
    before = len(fake.group_texts("cidGY"))
    bot.send("u2", "help", group="GY")
    ok = fake.wait_for(lambda: len(fake.group_texts("cidGY")) > before, 15)
    r.check(ok, "failing group webhook: reply via group send", fake.groups[-1:] if fake.groups else None)

    # Group conversation answered in the group (normal path).
    bodies = bot.say("u2", "help", group="GZ")
    r.check(bool(bodies), "group message answered at the group's sessionWebhook")
    txt = str(bodies)
    r.check("atUserIds" not in txt or "u2" in txt, "group reply @-mentions only the sender")

    r.check(fake.token_grants == 1, "one access token for all sends (reused)", fake.token_grants)

    # Proactive: incident reports to the two admins; inject a 500 then 200.
    fake.inject("oto", 500, count=2)
    bot.say("u1", "report phishing mail from ceo-lookalike")
    ok = fake.wait_for(lambda: oto_count(fake, "admin1", "#1") >= 1 and oto_count(fake, "admin2", "#1") >= 1, 40)
    time.sleep(3)
    r.check(oto_count(fake, "admin1", "#1") == 1 and oto_count(fake, "admin2", "#1") == 1,
            "500,500 then 200: each admin notified exactly once",
            (fake.dm_texts("admin1"), fake.dm_texts("admin2")))

    # Timeout (slower than DINGWARDEN_OPENAPI_TIMEOUT_MS=2000) then OK.
    fake.inject("oto", "timeout", count=1, delay=4)
    bot.say("u1", "report second incident")
    ok = fake.wait_for(lambda: oto_count(fake, "admin1", "#2") >= 1, 40)
    time.sleep(3)
    r.check(oto_count(fake, "admin1", "#2") == 1 and oto_count(fake, "admin2", "#2") == 1,
            "timeout then OK: delivered exactly once", fake.dm_texts("admin1"))

    # Token expired mid-run: one refresh, then delivered once.
    grants = fake.token_grants
    fake.inject("oto", "expire_tokens")
    bot.say("u1", "report third incident")
    fake.wait_for(lambda: oto_count(fake, "admin1", "#3") >= 1, 30)
    time.sleep(2)
    r.check(oto_count(fake, "admin1", "#3") == 1, "expired token: delivered once after refresh")
    r.check(fake.token_grants == grants + 1, "expired token: exactly one refresh", fake.token_grants - grants)

    # Flow control for one user: retried alone.
    fake.inject("oto", "flow", count=1, users=["admin2"])
    n_before = len(fake.log)
    bot.say("u1", "report fourth incident")
    fake.wait_for(lambda: oto_count(fake, "admin2", "#4") >= 1, 40)
    time.sleep(3)
    r.check(oto_count(fake, "admin1", "#4") == 1 and oto_count(fake, "admin2", "#4") == 1,
            "flow-controlled user retried: each once", (fake.dm_texts("admin1"), fake.dm_texts("admin2")))
    retry_calls = [x for x in fake.log[n_before:] if x["path"].endswith("batchSend")]
    import json as _j
    users_per_call = [_j.loads(x["raw"])["userIds"] for x in retry_calls]
    r.check(users_per_call[-1] == ["admin2"], "the retry carries only the flow-controlled user", users_per_call)

    # Throttled (429).
    fake.inject("oto", "throttle", count=2)
    bot.say("u1", "report fifth incident")
    fake.wait_for(lambda: oto_count(fake, "admin1", "#5") >= 1, 40)
    time.sleep(3)
    r.check(oto_count(fake, "admin1", "#5") == 1, "throttled then OK: delivered once")

    # Unknown user: recorded as undeliverable, never retried.
    fake.invalid_users.add("admin2")
    bot.say("u1", "report sixth incident")
    fake.wait_for(lambda: oto_count(fake, "admin1", "#6") >= 1, 30)
    time.sleep(4)
    calls = [x for x in fake.log if x["path"].endswith("batchSend") and b"#6" in x["raw"]]
    r.check(len(calls) == 1, "invalidStaffIdList: not retried", len(calls))
    fake.invalid_users.clear()

    # Permanent error (400) -> dead letter, visible with `outbox`, retry works.
    fake.robot_code_saved = fake.robot_code
    fake.robot_code = "other-robot"
    bot.say("u1", "report seventh incident")
    time.sleep(4)
    fake.robot_code = fake.robot_code_saved
    fake.violations = [v for v in fake.violations if "robotCode" not in v]
    txt = bot.say_text("admin1", "outbox")
    r.check("dead" in txt.lower() or "死信" in txt, "`outbox` lists the dead letter", txt)
    import re
    ids = re.findall(r"#(\d+)", txt)
    if ids:
        t2 = bot.say_text("admin1", f"outbox retry {ids[-1]}")
        ok = fake.wait_for(lambda: oto_count(fake, "admin1", "#7") >= 1, 20)
        r.check(ok, "`outbox retry ID` sends the dead letter", t2)

    st, metrics = bot.get("/metrics")
    for m in ("dingwarden_outbox_depth", "dingwarden_dingtalk_token_refreshes_total", "dingwarden_outbox_retries_total"):
        r.check(m in metrics, f"metric {m}")
    r.check(not fake.violations, "every OpenAPI request had DingTalk's shape", fake.violations)
