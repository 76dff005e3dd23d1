"""Issue 5 (notices): a roster, an exit notice with a checklist written in
an admin's chat, sent to everyone (each employee once, batches of <= 20),
acks, ticks, HR status, `me`, the CSV export; then a 3,000-user broadcast
killed with SIGKILL midway and finished after a restart."""

import csv
import datetime as dt
import io
import json
import re
import time
from collections import Counter
from urllib.parse import unquote

from dwbb.bot import Bot
from dwbb.fake import Fake, param_buttons


def roster(n, path, prefix="e"):
    lines = ["staff_id,name,department,manager_staff_id,role"]
    lines.append("boss,老板,总部,,admin")
    lines.append("hrx,人事小王,总部/人事部,boss,hr")
    for i in range(1, n + 1):
        dept = "总部/研发部" if i % 2 else "总部/市场部"
        lines.append(f"{prefix}{i:04d},员工{i},{dept},boss,")
    path.write_text("\n".join(lines) + "\n", "utf-8")


def run(r, work):
    fake = Fake().start()
    bot = Bot(fake, work / "notices", admins="boss", hr="hrx").start()
    try:
        lifecycle(r, bot, fake, work)
    finally:
        bot.stop()
        fake.stop()
    fake = Fake().start()
    bot = Bot(fake, work / "crash", admins="boss", hr="hrx").start()
    try:
        crash(r, bot, fake, work)
    finally:
        bot.stop()
        fake.stop()


def batch_calls(fake, needle):
    return [json.loads(x["raw"]) for x in fake.log
            if x["path"].endswith("batchSend") and x["status"] == 200 and needle.encode() in x["raw"]]


def lifecycle(r, bot, fake, work):
    csvp = work / "roster.csv"
    roster(45, csvp)
    res = bot.cli("roster", "import", str(csvp))
    r.check(res.returncode == 0, "roster of 45 imported", res.err)
    deadline = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    text = (
        "notice new exit 停用旧网盘\n"
        "旧网盘将于下周停用，请在截止日期前完成迁移。\n"
        "- [ ] 备份个人文件\n"
        "- [ ] 导出共享链接清单\n"
        "- [ ] 在新网盘确认账号可用\n"
        f"deadline: {deadline}"
    )
    t = bot.say_text("boss", text)
    m = re.search(r"#(\d+)", t)
    r.check(m is not None, "notice new answers #N", t)
    nid = m.group(1) if m else "1"
    print("      ", t.replace("\n", "\n       ")[:600])
    t = bot.say_text("boss", f"notice send {nid} to all")
    print("      ", t[:300])
    r.check("47" in t or "46" in t or "45" in t, "notice send says how many were queued", t)
    users = [f"e{i:04d}" for i in range(1, 46)]
    fake.wait_for(lambda: all(fake.dms(u) for u in users), 60)
    time.sleep(2)
    counts = {u: sum(1 for k, p in fake.dms(u) if "停用旧网盘" in p.get("title", "") + p.get("text", "")) for u in users}
    r.check(all(c == 1 for c in counts.values()), "each employee got the notice exactly once",
            {u: c for u, c in counts.items() if c != 1})
    calls = batch_calls(fake, "停用旧网盘")
    r.check(calls and max(len(c["userIds"]) for c in calls) <= 20, "batches of <= 20 userIds",
            [len(c["userIds"]) for c in calls])
    k, p = next((k, p) for k, p in fake.dms("e0001") if "停用旧网盘" in p.get("title", "") + p.get("text", ""))
    btns = param_buttons(k, p)
    print("       card:", k, [b[0] for b in btns])
    r.check(len(btns) >= 4 or "dtmd://" in p.get("text", ""), "card has ack + one button per checklist item", (k, p))
    r.check(all(u.startswith("dtmd://dingtalkclient/sendMessage?content=") for _, u in btns), "buttons are dtmd links")

    # Acks: by button, plain text, duplicate; ticks; unknown notice.
    ack_reply = unquote(btns[0][1].split("content=", 1)[1])
    t = bot.say_text("e0001", ack_reply)
    r.check("确认" in t or "ack" in t.lower(), f"button ack ({ack_reply!r}) acknowledged", t)
    t = bot.say_text("e0001", ack_reply)
    r.check("已" in t and re.search(r"\d{1,2}:\d{2}", t), "second ack: already acknowledged at <time>", t)
    t = bot.say_text("e0002", "ack")
    r.check("#" + nid in t, "plain ack with one pending notice", t)
    t = bot.say_text("e0002", f"done {nid} 1")
    r.check("1" in t, "done N 1 ticks item 1", t)
    if len(btns) > 2:
        tick = unquote(btns[2][1].split("content=", 1)[1])
        t = bot.say_text("e0003", tick)
        r.check("✅" in t or "完成" in t or "勾" in t, f"tick button ({tick!r})", t)
    t = bot.say_text("e0003", "确认 #999")
    r.check("999" in t, "ack of an unknown notice: clear answer", t)
    t = bot.say_text("e0004", "我的")
    r.check(f"#{nid}" in t, "`me` lists the pending notice", t)
    t = bot.say_text("e0001", "me")
    print("       me after ack:", t[:400].replace("\n", " / "))
    t = bot.say_text("outsider", f"ack {nid}")
    r.check(f"#{nid}" in t or "没有" in t, "ack by someone not addressed: clear answer", t)

    # HR status; HR cannot send.
    t = bot.say_text("hrx", f"notice status {nid}")
    print("      ", t.replace("\n", "\n       ")[:900])
    r.check("2/" in t, "HR sees acked/total", t)
    t = bot.say_text("hrx", f"notice send {nid} to all")
    r.check("仅限" in t, "HR cannot send", t)
    t = bot.say_text("hrx", "notices")
    r.check(f"#{nid}" in t, "HR lists notices", t)

    res = bot.cli("export", "acks", nid, "--format", "csv")
    r.check(res.returncode == 0, "export acks csv", res.err)
    raw = res.stdout
    r.check(raw.startswith(b"\xef\xbb\xbf"), "CSV starts with a BOM")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    want = "notice_id,staff_id,name,department,delivered_at,acked_at,ack_via,checklist_done,checklist_total,reminders_sent,status,name_at_send,department_at_send"
    r.check(raw.decode("utf-8-sig").splitlines()[0] == want, "CSV header as DESIGN.md", raw[:200])
    byid = {x["staff_id"]: x for x in rows}
    r.check(byid.get("e0001", {}).get("status") == "acked" and byid.get("e0004", {}).get("status") == "pending",
            "statuses acked / pending", [byid.get("e0001"), byid.get("e0004")])
    r.check(byid.get("e0002", {}).get("checklist_done") == "1", "checklist_done counted", byid.get("e0002"))
    r.check(all(x["delivered_at"] for x in rows if x["staff_id"].startswith("e")), "delivered_at filled")
    ts = byid.get("e0001", {}).get("acked_at", "")
    r.check(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", ts) is not None, "RFC 3339 times", ts)
    res = bot.cli("export", "acks", nid, "--format", "json")
    r.check(res.returncode == 0 and isinstance(json.loads(res.out), list), "export acks json")
    res = bot.cli("export", "acks", "999")
    r.check(res.returncode != 0 and res.err.startswith("dingwarden:"), "export of unknown notice: one-line error",
            res.err)

    # Template, remind, close.
    t = bot.say_text("boss", "notice template exit")
    r.check("- [ ]" in t, "notice template exit has a checklist", t[:300])
    t = bot.say_text("boss", f"notice remind {nid}")
    r.check(re.search(r"\d+", t) is not None, "notice remind answers", t)
    t = bot.say_text("boss", f"notice close {nid}")
    t = bot.say_text("e0005", f"ack {nid}")
    r.check("关闭" in t or "closed" in t, "ack of a closed notice: clear answer", t)
    r.check(not fake.violations, "fake DingTalk saw no malformed requests", fake.violations)


def crash(r, bot, fake, work):
    csvp = work / "big.csv"
    roster(3000, csvp, prefix="b")
    res = bot.cli("roster", "import", str(csvp))
    r.check(res.returncode == 0, "roster of 3,000 imported", res.err)
    t = bot.say_text("boss", "notice new policy 新版安全制度\n请阅读新版信息安全制度。")
    nid = re.search(r"#(\d+)", t).group(1)
    t = bot.say_text("boss", f"notice send {nid} to all")
    r.check("3002" in t or "3,002" in t or "3001" in t or "3000" in t, "3,000 queued", t)
    fake.wait_for(lambda: sum(len(d["users"]) for d in fake.oto) >= 600, 60)
    bot.kill()
    got = sum(len(d["users"]) for d in fake.oto)
    print(f"       SIGKILL after {got} recipients delivered")
    r.check(got < 3000, "killed midway", got)
    bot.start()
    users = [f"b{i:04d}" for i in range(1, 3001)]

    def delivered():
        c = Counter(u for d in fake.oto for u in d["users"])
        return all(c[u] for u in users)

    fake.wait_for(delivered, 240)
    time.sleep(3)
    c = Counter(u for d in fake.oto for u in d["users"])
    missing = [u for u in users if not c[u]]
    dups = [u for u in users if c[u] > 1]
    r.check(not missing, "after restart everyone got the notice", len(missing))
    r.check(len(dups) <= 20, f"at most one batch repeated ({len(dups)} users got it twice)", len(dups))
    r.check(all(c[u] <= 2 for u in users), "nobody got it three times")
    r.check(not fake.violations, "fake DingTalk saw no malformed requests", fake.violations)
