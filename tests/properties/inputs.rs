//! Generators of structured input shaped like what each parser really
//! receives, so that properties are tested deep inside the parsers and not
//! only at their first refusal: callback JSON with every field present,
//! absent or of the wrong type, roster CSV with columns in any order, quiz
//! banks built field by field (and the default bank, cut), and DingTalk
//! ciphertexts of chosen plaintext layouts.

use base64::Engine as _;
use dingwarden::dingtalk::crypto::EventCrypto;
use dingwarden::domain::quiz::DEFAULT_BANK_TOML;
use dingwarden::domain::roster::COLUMNS;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select, subsequence};
use serde_json::{Map, Value};

use crate::checks::crypto::{AES_KEY, OWNER, TOKEN};
use crate::texts::{command_text, junk};

/// Any JSON scalar: what a field of the wrong type holds.
fn scalar() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        junk().prop_map(Value::from),
    ]
    .boxed()
}

fn string_or(strategy: &'static str) -> BoxedStrategy<Value> {
    prop_oneof![3 => strategy.prop_map(Value::from), 1 => scalar()].boxed()
}

/// A field of a callback body: absent, or a value of the right type or not.
fn field(key: &'static str, value: BoxedStrategy<Value>) -> BoxedStrategy<Option<(String, Value)>> {
    prop::option::weighted(0.8, value.prop_map(move |v| (key.to_owned(), v))).boxed()
}

/// A robot callback body, sometimes cut short.
pub fn callback_body() -> impl Strategy<Value = Vec<u8>> {
    let text = prop_oneof![
        4 => command_text().prop_map(|t| serde_json::json!({ "content": t })),
        1 => Just(serde_json::json!({})),
        1 => scalar(),
    ];
    let millis = prop_oneof![
        any::<i64>().prop_map(Value::from),
        "[ ]?[0-9]{1,19}[ ]?".prop_map(Value::from),
        scalar(),
    ];
    let at_user = (
        prop::option::of("\\$:[a-z]{1,3}"),
        prop::option::of("[a-z]{0,3}"),
    )
        .prop_map(|(d, s)| serde_json::json!({ "dingtalkId": d, "staffId": s }));
    let fields = vec![
        field(
            "msgtype",
            prop_oneof![
                select(vec!["text", "picture", ""]).prop_map(Value::from),
                scalar()
            ]
            .boxed(),
        ),
        field("text", text.boxed()),
        field("msgId", string_or("[a-zA-Z0-9=]{0,6}")),
        field("conversationType", string_or("[0-3]{0,2}")),
        field("conversationId", string_or("cid[a-z]{0,3}")),
        field("conversationTitle", string_or("\\PC{0,6}")),
        field("senderStaffId", string_or("[a-z0-9]{0,4}")),
        field("senderNick", string_or("\\PC{0,6}")),
        field("chatbotUserId", string_or("\\$:[a-z]{1,3}")),
        field("robotCode", string_or("ding[a-z]{0,4}")),
        field("isAdmin", scalar()),
        field("sessionWebhook", string_or("https?://[a-z.:/?=]{0,30}")),
        field("sessionWebhookExpiredTime", millis.clone().boxed()),
        field("createAt", millis.boxed()),
        field(
            "atUsers",
            prop_oneof![vec(at_user, 0..4).prop_map(Value::from), scalar()].boxed(),
        ),
    ];
    (fields, any::<Option<Index>>()).prop_map(|(fields, cut)| {
        let map: Map<String, Value> = fields.into_iter().flatten().collect();
        let mut body = serde_json::to_vec(&Value::Object(map)).expect("JSON");
        if let Some(cut) = cut {
            body.truncate(cut.index(body.len() + 1));
        }
        body
    })
}

/// One roster cell, shaped by its column.
fn cell(column: &str) -> BoxedStrategy<String> {
    let id = || -> BoxedStrategy<String> {
        prop_oneof![
            4 => select(vec!["u1", "u2", "u3", "zhang.san"]).prop_map(str::to_owned),
            2 => "[a-z0-9._-]{1,10}",
            1 => "[a-z]{65}",
            1 => " ?[a-z]{1,3}[ \t\n\u{3000}]?[a-z]{0,3} ?",
            1 => junk(),
        ]
        .boxed()
    };
    let picks = |v: Vec<&'static str>| -> BoxedStrategy<String> {
        prop_oneof![4 => select(v).prop_map(str::to_owned), 1 => junk()].boxed()
    };
    match column.trim().to_ascii_lowercase().as_str() {
        "staff_id" | "manager_staff_id" => id(),
        "name" => prop_oneof![
            picks(vec!["张三", "Zhang, San", "\"Li\" Si", " 王五 ", ""]),
            "\\PC{95,105}",
            "[a-z]{1,3}[\u{0}-\u{1f}\u{7f}][a-z]{0,3}",
        ]
        .boxed(),
        "department" => prop_oneof![
            picks(vec![
                "总部/研发部",
                "／总部／销售部／",
                "a//b",
                "/",
                " a / b ",
                ""
            ]),
            "([a-z]{1,2}/){15,25}[a-z]",
        ]
        .boxed(),
        "role" => picks(vec!["admin", "hr", "ADMIN", "管理员", "人事", "", "root"]),
        "password_changed_at" => picks(vec![
            "2026-01-05",
            "2026-11-30",
            "2026-12-01",
            "2026-02-30",
            "26-1-5",
            "2026/01/05",
            "",
        ]),
        "active" => picks(vec!["true", "false", "1", "0", "TRUE", "", "yes"]),
        _ => junk(),
    }
}

/// A header: mostly valid (staff_id and other columns in any order), else anything.
fn header() -> BoxedStrategy<Vec<String>> {
    let valid = subsequence(&COLUMNS[1..], 0..=COLUMNS.len() - 1)
        .prop_map(|cols| {
            std::iter::once("staff_id")
                .chain(cols)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .prop_shuffle();
    let names: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .chain(["Staff_ID ", "email", ""])
        .collect();
    let any_header = vec(select(names).prop_map(str::to_owned), 0..8);
    prop_oneof![4 => valid, 1 => any_header].boxed()
}

/// A roster CSV: a header and rows of cells for its columns, quoted as a
/// spreadsheet would or joined raw, with CRLF, a BOM, blank lines, or cut.
pub fn roster_csv() -> impl Strategy<Value = Vec<u8>> {
    header()
        .prop_flat_map(|header| {
            let row = header.iter().map(|c| cell(c)).collect::<Vec<_>>();
            let rows = vec((row, 0..8u8), 0..6);
            (
                Just(header),
                rows,
                any::<(bool, bool, bool)>(),
                any::<Option<Index>>(),
            )
        })
        .prop_map(|(header, rows, (quoted, crlf, bom), cut)| {
            let mut lines = vec![header];
            for (mut row, shape) in rows {
                match shape {
                    0 => {
                        row.pop();
                    }
                    1 => row.push("extra".into()),
                    2 => row.iter_mut().for_each(String::clear),
                    _ => {}
                }
                lines.push(row);
            }
            let mut out = if bom {
                b"\xEF\xBB\xBF".to_vec()
            } else {
                Vec::new()
            };
            out.extend(csv_text(&lines, quoted, if crlf { "\r\n" } else { "\n" }));
            if let Some(cut) = cut {
                out.truncate(cut.index(out.len() + 1));
            }
            out
        })
}

fn csv_text(lines: &[Vec<String>], quoted: bool, eol: &str) -> Vec<u8> {
    if !quoted {
        return lines
            .iter()
            .map(|l| l.join(",") + eol)
            .collect::<String>()
            .into_bytes();
    }
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(if eol == "\n" {
            csv::Terminator::Any(b'\n')
        } else {
            csv::Terminator::CRLF
        })
        .from_writer(Vec::new());
    for l in lines {
        w.write_record(l).expect("in memory");
    }
    w.into_inner().expect("in memory")
}

/// A bilingual text table with each translation present, blank or odd.
fn text() -> BoxedStrategy<toml::Value> {
    let half = || prop::option::weighted(0.85, prop_oneof![4 => "[a-z钓鱼]{1,6}", 1 => junk()]);
    prop_oneof![
        8 => (half(), half()).prop_map(|(zh, en)| {
            let mut t = toml::Table::new();
            zh.map(|zh| t.insert("zh".into(), zh.into()));
            en.map(|en| t.insert("en".into(), en.into()));
            toml::Value::Table(t)
        }),
        1 => junk().prop_map(toml::Value::from),
        1 => any::<i64>().prop_map(toml::Value::from),
    ]
    .boxed()
}

fn key(keys: Vec<&'static str>) -> BoxedStrategy<toml::Value> {
    prop_oneof![6 => select(keys).prop_map(toml::Value::from), 1 => junk().prop_map(toml::Value::from)]
        .boxed()
}

/// A question table; each field present most of the time.
fn question() -> BoxedStrategy<toml::Value> {
    let correct = prop_oneof![
        4 => "[A-Da-d]".prop_map(toml::Value::from),
        1 => "[E-H]|AB| A |".prop_map(toml::Value::from),
        1 => vec("[A-C]".prop_map(toml::Value::from), 0..3).prop_map(toml::Value::from),
        1 => any::<i64>().prop_map(toml::Value::from),
    ];
    let source = prop_oneof![junk().prop_map(toml::Value::from), text()];
    let fields = vec![
        field_toml("id", key(vec!["q1", "q2", "q3", "Q 4", "review"])),
        field_toml("topic", key(vec!["phishing", "pw", "nope"])),
        field_toml("prompt", text()),
        field_toml(
            "options",
            vec(text(), 0..8).prop_map(toml::Value::from).boxed(),
        ),
        field_toml("correct", correct.boxed()),
        field_toml("explanation", text()),
        field_toml("source", source.boxed()),
        prop::option::weighted(0.05, Just(("hint".to_owned(), toml::Value::from("x")))).boxed(),
    ];
    fields
        .prop_map(|f| toml::Value::Table(f.into_iter().flatten().collect()))
        .boxed()
}

fn field_toml(
    name: &'static str,
    value: BoxedStrategy<toml::Value>,
) -> BoxedStrategy<Option<(String, toml::Value)>> {
    prop::option::weighted(0.9, value.prop_map(move |v| (name.to_owned(), v))).boxed()
}

/// A quiz bank built field by field, or the default bank cut at a line.
pub fn quiz_toml() -> impl Strategy<Value = String> {
    let number = || prop_oneof![4 => (-2i64..25).prop_map(toml::Value::from), 1 => junk().prop_map(toml::Value::from)];
    let topics = vec((key(vec!["phishing", "pw", "Bad Key"]), text()), 0..3).prop_map(|ts| {
        let table = ts
            .into_iter()
            .map(|(k, v)| (k.as_str().unwrap_or("k").to_owned(), v))
            .collect();
        toml::Value::Table(table)
    });
    let fields = vec![
        field_toml("id", key(vec!["default", "drill-1", "review", "Bad"])),
        field_toml("title", text()),
        field_toml("pass_percent", prop_oneof![4 => (-5i64..120).prop_map(toml::Value::from), 1 => junk().prop_map(toml::Value::from)].boxed()),
        field_toml("questions_per_attempt", number().boxed()),
        field_toml("followup_questions", number().boxed()),
        field_toml("topics", topics.boxed()),
        field_toml("questions", vec(question(), 0..5).prop_map(toml::Value::from).boxed()),
    ];
    let built = fields.prop_map(|f| {
        let table: toml::Table = f.into_iter().flatten().collect();
        toml::to_string(&table).unwrap_or_default()
    });
    let cut = any::<Index>().prop_map(|at| {
        let lines: Vec<&str> = DEFAULT_BANK_TOML.lines().collect();
        let n = at.index(lines.len());
        lines[..n]
            .iter()
            .chain(&lines[n + 1..])
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
    });
    prop_oneof![5 => built, 1 => cut]
}

/// A decrypted event's layout: random(16) ‖ u32be len ‖ msg ‖ owner ‖ pad,
/// with the length field, the owner and the padding right or wrong.
pub fn event_plaintext() -> impl Strategy<Value = Vec<u8>> {
    let len_field = prop_oneof![4 => Just(None), 1 => any::<u32>().prop_map(Some)];
    let owner = prop_oneof![
        4 => Just(OWNER.as_bytes().to_vec()),
        1 => vec(any::<u8>(), 0..24),
    ];
    let pad = prop_oneof![3 => Just(None), 1 => (0u8..=40, 0usize..40).prop_map(Some)];
    let msg = prop_oneof![4 => any::<String>().prop_map(String::into_bytes), 1 => vec(any::<u8>(), 0..40)];
    (any::<[u8; 16]>(), len_field, msg, owner, pad).prop_map(|(random, len, msg, owner, pad)| {
        let mut plain = random.to_vec();
        let len = len.unwrap_or(u32::try_from(msg.len()).unwrap_or(u32::MAX));
        plain.extend(len.to_be_bytes());
        plain.extend(msg);
        plain.extend(owner);
        let (byte, count) = pad.unwrap_or_else(|| {
            let n = 32 - plain.len() % 32;
            (u8::try_from(n).unwrap_or(32), n)
        });
        plain.extend(std::iter::repeat_n(byte, count));
        plain
    })
}

/// An event push: signature, timestamp, nonce and `encrypt`, one a line;
/// the ciphertext real or not, the signature right or not.
pub fn event_push() -> impl Strategy<Value = String> {
    let c = EventCrypto::new(TOKEN, AES_KEY, OWNER).expect("key");
    let b64 = base64::engine::general_purpose::STANDARD;
    let encrypt = prop_oneof![
        2 => any::<String>().prop_map(move |m| c.encrypt_with(&m, &[1; 16])),
        1 => vec(any::<u8>(), 0..96).prop_map(move |b| b64.encode(b)),
        1 => "[A-Za-z0-9+/= ]{0,90}",
        1 => junk(),
    ];
    let sign = prop_oneof![2 => Just(None), 1 => "[0-9a-fA-F]{40}| ?".prop_map(Some)];
    ("[0-9]{0,13}", "[A-Za-z0-9]{0,8}", encrypt, sign).prop_map(|(ts, nonce, encrypt, sign)| {
        let c = EventCrypto::new(TOKEN, AES_KEY, OWNER).expect("key");
        let sign = sign.unwrap_or_else(|| c.signature(&ts, &nonce, &encrypt).to_uppercase());
        format!("{sign}\n{ts}\n{nonce}\n{encrypt}")
    })
}
