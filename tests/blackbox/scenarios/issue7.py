"""Issue 7 (passwords): a roster with change dates relative to today, a
policy set from an admin's chat, and the fake watched: due-soon and overdue
users reminded exactly once per threshold, the not-yet-due user left alone,
`password done` confirmed, a pasted password warned about, and
`password status` listing the overdue user."""

import datetime as dt
import re
import time
from zoneinfo import ZoneInfo

from dwbb.bot import Bot
from dwbb.fake import Fake

PASTED = "我的邮箱密码是 Xk9#mP2$vLq7，帮我看看够不够强"


def run(r, work):
    fake = Fake().start()
    bot = Bot(fake, work / "passwords", admins="boss", hr="hrx").start()
    try:
        scenario(r, bot, fake, work)
    finally:
        bot.stop()
        fake.stop()


def reminders(fake, user):
    return [t for t in fake.dm_texts(user) if "密码" in t or "password" in t.lower()]


def scenario(r, bot, fake, work):
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    ago = lambda days: (today - dt.timedelta(days=days)).isoformat()  # noqa: E731
    # Policy will be 30 days, remind 7,3,1. Due = changed + 30.
    rows = [
        "staff_id,name,department,manager_staff_id,role,password_changed_at",
        "boss,老板,总部,,admin,",
        f"soon3,三天后到期,总部/研发部,boss,,{ago(27)}",   # due in 3 days -> threshold 3
        f"soon7,七天后到期,总部/研发部,boss,,{ago(23)}",   # due in 7 days -> threshold 7
        f"late,已逾期,总部/研发部,boss,,{ago(35)}",        # 5 days overdue
        f"verylate,逾期很久,总部/市场部,boss,,{ago(40)}",  # 10 days overdue: a first reminder, manager not told yet
        f"fresh,刚改过,总部/研发部,boss,,{ago(2)}",         # due in 28 days: nothing
        f"nine,九天后到期,总部/研发部,boss,,{ago(21)}",     # due in 9 days: nothing yet
    ]
    p = work / "roster.csv"
    p.write_text("\n".join(rows) + "\n", "utf-8")
    res = bot.cli("roster", "import", str(p))
    r.check(res.returncode == 0, "roster with change dates imported", res.err)
    t = bot.say_text("boss", "password policy")
    print("       policy before:", t[:200].replace("\n", " / "))
    res = bot.cli("password", "forecast", "--days", "3")
    print("       forecast (default policy):", res.out[:400].replace("\n", " / "))
    t = bot.say_text("boss", "password policy 30 remind 7,3,1")
    print("       policy set:", t[:300].replace("\n", " / "))
    r.check("30" in t, "policy set from an admin's chat", t)
    t = bot.say_text("soon3", "password policy 10")
    r.check("仅限" in t, "employee cannot set the policy", t)
    res = bot.cli("password", "forecast", "--days", "4")
    print("       forecast:\n       " + res.out[:1200].replace("\n", "\n       "))
    r.check(res.returncode == 0 and "soon3" in res.out, "forecast lists who is reminded", res.out + res.err)

    users = ["soon3", "soon7", "late", "verylate"]
    fake.wait_for(lambda: all(reminders(fake, u) for u in users), 20)
    time.sleep(5)  # several more ticks
    for u in users:
        got = reminders(fake, u)
        r.check(len(got) == 1, f"{u} reminded exactly once", got)
    for u in ("fresh", "nine"):
        r.check(not fake.dm_texts(u), f"{u} (not yet due) left alone", fake.dm_texts(u))
    boss = [t for t in fake.dm_texts("boss") if "逾期很久" in t or "verylate" in t]
    # Issue 18.5: the first reminder of a password found overdue on day one
    # starts the escalation clock; the manager hears only days later.
    r.check(len(boss) == 0, "day one: manager not told before any reminder", fake.dm_texts("boss"))
    if reminders(fake, "soon3"):
        print("       reminder soon3:", reminders(fake, "soon3")[0][:500].replace("\n", " / "))
    if reminders(fake, "late"):
        print("       reminder late:", reminders(fake, "late")[0][:500].replace("\n", " / "))

    # Restart: nothing is sent again.
    bot.restart()
    time.sleep(4)
    for u in users:
        r.check(len(reminders(fake, u)) == 1, f"{u}: no repeat after a restart", reminders(fake, u))

    t = bot.say_text("soon3", "已改密")
    r.check("确认" in t or "记录" in t, "`password done` confirmed", t)
    t = bot.say_text("soon3", "me")
    due = (today + dt.timedelta(days=30)).isoformat()
    r.check(due in t, f"`me` shows the next due date {due}", t)

    # Pasted password.
    before = bot.sql("SELECT COUNT(*) FROM audit_log")[0][0]
    t = bot.say_text("late", PASTED)
    r.check("密码" in t and ("修改" in t or "更改" in t), "pasted password: warned to change it", t)
    print("       warning:", t[:300].replace("\n", " / "))
    bodies = bot.say("late", PASTED, group="G7")
    r.check(bodies and "Xk9#mP2$vLq7" not in str(bodies), "group warning does not echo the password")
    dump = "\n".join(str(x) for tbl in ("audit_log", "users", "inbound_messages", "outbox")
                     for x in bot.sql(f"SELECT * FROM {tbl}"))
    r.check("Xk9#mP2$vLq7" not in dump, "the pasted password is stored nowhere")
    r.check("Xk9#mP2$vLq7" not in bot.log_text(), "the pasted password is not logged")
    for ok_text in ("我的密码快到期了，怎么改？", "password done", "How do I reset my password?", "密码 123"):
        t = bot.say_text("fresh", ok_text)
        r.check(not t.startswith("⚠️"), f"no false alarm for {ok_text!r}", t[:200])

    t = bot.say_text("hrx", "password status")
    print("       status:\n       " + t[:1200].replace("\n", "\n       "))
    r.check("已逾期" in t or "late" in t, "password status lists the overdue user", t)
    t = bot.say_text("boss", "password reset-required users late 邮箱泄露")
    r.check(re.search(r"\d", t) is not None, "forced change sent", t)
    ok = fake.wait_for(lambda: any("邮箱泄露" in x for x in fake.dm_texts("late")), 10)
    r.check(bool(ok), "forced-change notice DMed", fake.dm_texts("late")[-1:])
    t = bot.say_text("late", "password done")
    t2 = bot.say_text("late", "me")
    r.check("邮箱泄露" not in t2, "forced change cleared by password done", t2)
    t = bot.say_text("boss", "password policy nist")
    r.check("NIST" in t, "nist profile", t)
    r.check(not fake.violations, "fake DingTalk saw no malformed requests", fake.violations)
