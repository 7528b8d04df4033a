#!/usr/bin/env python3
"""WAL pages per committed message for the message table as it is and for three storage changes.

Counts the frames each commit appends to SQLite's WAL (page size 4 KiB) after 200,000 messages,
for one message per commit (the (b)/(d) rates, where a batch holds one command) and for 20 or 50
per commit (the closed loop of (c)). Variants: `now` (the schema of V58, without the columns a
relayed message leaves NULL), `worowid` (a WITHOUT ROWID table keyed by (conversation, seq)),
`intkey` (an integer conversation key in messages and conversations), and each with the
conversation's row not rewritten per message. Python's sqlite3 and checkpoints by hand; pages, not
times, are what it measures (docs/benchmarks.md, "What the storage levers left are worth").

    python3 bench/sqlite-pages.py      # ~3 minutes, writes under /tmp/sodam-sqlite-pages
"""
import sqlite3, os, random
def ulid(i): return '01J' + format(i, '023d')
SCHEMAS = {
 'now': """CREATE TABLE conversations(id TEXT PRIMARY KEY, last_seq INTEGER, preview TEXT, updated_at INTEGER, state TEXT, site TEXT, visitor TEXT, created_at INTEGER);
 CREATE TABLE messages(id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, client_msg_id TEXT, from_kind TEXT, from_id TEXT, from_name TEXT, body TEXT, extras TEXT, created_at INTEGER,
   UNIQUE(conversation_id, seq), UNIQUE(conversation_id, client_msg_id));""",
 'worowid': """CREATE TABLE conversations(id TEXT PRIMARY KEY, last_seq INTEGER, preview TEXT, updated_at INTEGER, state TEXT, site TEXT, visitor TEXT, created_at INTEGER);
 CREATE TABLE messages(id TEXT NOT NULL UNIQUE, conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, client_msg_id TEXT, from_kind TEXT, from_id TEXT, from_name TEXT, body TEXT, extras TEXT, created_at INTEGER,
   PRIMARY KEY(conversation_id, seq), UNIQUE(conversation_id, client_msg_id)) WITHOUT ROWID;""",
 'intkey': """CREATE TABLE conversations(cid INTEGER PRIMARY KEY, id TEXT UNIQUE, last_seq INTEGER, preview TEXT, updated_at INTEGER, state TEXT, site TEXT, visitor TEXT, created_at INTEGER);
 CREATE TABLE messages(id TEXT PRIMARY KEY, conversation_id INTEGER NOT NULL, seq INTEGER NOT NULL, client_msg_id TEXT, from_kind TEXT, from_id TEXT, from_name TEXT, body TEXT, extras TEXT, created_at INTEGER,
   UNIQUE(conversation_id, seq), UNIQUE(conversation_id, client_msg_id));""",
}
def run(variant, convs, batch, commits, noconvupdate=False):
    os.makedirs('/tmp/sodam-sqlite-pages', exist_ok=True)
    path = f'/tmp/sodam-sqlite-pages/{variant}.db'
    for s in ('', '-wal', '-shm'):
        if os.path.exists(path + s): os.remove(path + s)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute('PRAGMA journal_mode=WAL'); db.execute('PRAGMA wal_autocheckpoint=0'); db.execute('PRAGMA synchronous=OFF'); db.execute('PRAGMA cache_size=-64000')
    db.executescript(SCHEMAS[variant])
    intk = variant == 'intkey'
    db.execute('BEGIN')
    for c in range(convs):
        if intk: db.execute('INSERT INTO conversations(cid,id,last_seq,preview,updated_at,state,site,visitor,created_at) VALUES (?,?,?,?,?,?,?,?,?)', (c+1, ulid(10**9+c), 0, '', 0, 'ASSIGNED', 'site1', ulid(2*10**9+c), 0))
        else: db.execute('INSERT INTO conversations VALUES (?,?,?,?,?,?,?,?)', (ulid(10**9+c), 0, '', 0, 'ASSIGNED', 'site1', ulid(2*10**9+c), 0))
    db.execute('COMMIT')
    seqs = [0]*convs; mid = [0]
    body = '안녕하세요, 주문한 상품이 아직 도착하지 않았어요. 배송 조회 부탁드립니다.'
    def commit_batch():
        db.execute('BEGIN')
        for c in random.sample(range(convs), batch):
            seqs[c] += 1; mid[0] += 1
            cid = (c+1) if intk else ulid(10**9+c)
            db.execute('INSERT INTO messages(id,conversation_id,seq,client_msg_id,from_kind,from_id,from_name,body,extras,created_at) VALUES (?,?,?,?,?,?,?,?,?,?)',
                       (ulid(mid[0]), cid, seqs[c], 'c-%08x-%d' % (c, seqs[c]), 'visitor', ulid(2*10**9+c), 'Visitor', body, None, mid[0]))
            if not noconvupdate:
                if intk: db.execute('UPDATE conversations SET last_seq=?, preview=?, updated_at=? WHERE cid=?', (seqs[c], body[:80], mid[0], cid))
                else: db.execute('UPDATE conversations SET last_seq=?, preview=?, updated_at=? WHERE id=?', (seqs[c], body[:80], mid[0], cid))
        db.execute('COMMIT')
    # warm: fill 200k messages, then checkpoint
    for _ in range(200000 // batch): commit_batch()
    db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    frames = 0
    for _ in range(commits):
        before = os.path.getsize(path + '-wal')
        commit_batch()
        frames += (os.path.getsize(path + '-wal') - before) // (4096 + 24)
        if os.path.getsize(path + '-wal') > 4_000_000: db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    print(f'{variant:8s} conversation row {"kept" if noconvupdate else "written"} | {convs:5d} chats | {batch:3d} per commit | {frames/commits:7.2f} pages/commit | {frames/commits/batch:5.2f} pages/message', flush=True)
    db.close()
random.seed(1)
for convs, batch in ((200, 1), (200, 20), (5000, 1), (5000, 50)):
    for v, nc in (('now', False), ('worowid', False), ('intkey', False), ('now', True), ('intkey', True)):
        run(v, convs, batch, 2000 if batch == 1 else 200, nc)
