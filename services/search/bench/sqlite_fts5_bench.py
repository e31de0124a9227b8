#!/usr/bin/python3
"""SQLite FTS5 baseline for the search benchmark.

  sqlite_fts5_bench.py build CABLES_CSV DB       # index subject + body
  sqlite_fts5_bench.py run DB QUERIES CLIENTS SECONDS [WARMUP_PASSES=1]

The index holds the same text as cables.search (subject, body) plus the
columns the field qualifiers need. Queries of bench/search-queries.txt are
translated to FTS5 MATCH syntax (words, "phrases", OR, NOT, prefix*, groups)
and SQL conditions (tag:, origin:, classification:, caveat:, created, id:);
each query does what SearchCables does for one page: top 20 by bm25
(subject weighted 4x body), a snippet of each, and the total count.
Like search_bench: one untimed pass over the mix, then each client walks
its own shuffled order of the mix. Prints the same key=value lines as
search_bench.
"""
import csv
import random
import re
import sqlite3
import sys
import threading
import time

csv.field_size_limit(1 << 30)


def build(csv_path, db_path):
    db = sqlite3.connect(db_path)
    db.executescript("""
      PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
      DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS fts;
      CREATE TABLE meta(id INTEGER PRIMARY KEY, ref TEXT, created TEXT,
                        origin TEXT, classification TEXT, tags TEXT);
      CREATE VIRTUAL TABLE fts USING fts5(subject, body,
                        tokenize='porter unicode61');
    """)
    n = 0
    with open(csv_path, newline='', encoding='utf-8', errors='replace') as f:
        for row in csv.reader(f, escapechar='\\'):
            if len(row) < 8:
                continue
            _, created, ref, origin, cls, _, _, body = row[:8]
            m = re.search(r'SUBJECT:([^\n]*)', body)
            subject = m.group(1).strip() if m else ''
            t = re.search(r'TAGS:([^\n]*)', body)
            tags = ' ' + ' '.join(t.group(1).split()) + ' ' if t else ''
            # created "MM/DD/YYYY HH:MM" -> "YYYY-MM-DD"
            d = re.match(r'(\d\d)/(\d\d)/(\d{4})', created)
            iso = f'{d.group(3)}-{d.group(1)}-{d.group(2)}' if d else ''
            n += 1
            db.execute('INSERT INTO meta VALUES (?,?,?,?,?,?)',
                       (n, ref, iso, origin, cls, tags))
            db.execute('INSERT INTO fts(rowid, subject, body) VALUES (?,?,?)',
                       (n, subject, body))
    db.execute("INSERT INTO fts(fts) VALUES('optimize')")
    db.commit()
    print(f'rows={n}')


TOKEN = re.compile(r'\s*(\(|\)|"[^"]*"|[^\s()"]+)')


def translate(q):
    """Returns (match_expression or None, [sql conditions], [params])."""
    conds, params, parts = [], [], []
    toks = TOKEN.findall(q)
    i = 0
    while i < len(toks):
        t = toks[i]
        low = t.lower()
        if low.startswith('tag:'):
            conds.append('m.tags LIKE ?')
            params.append('% ' + t[4:].upper() + ' %')
        elif low.startswith('origin:'):
            conds.append('m.origin LIKE ?')
            params.append('%' + t[7:].strip('"') + '%')
        elif low.startswith('classification:'):
            conds.append('(m.classification = ? OR m.classification LIKE ?)')
            v = t[15:].upper()
            params += [v, v + '//%']
        elif low.startswith('caveat:'):
            conds.append('m.classification LIKE ?')
            params.append('%' + t[7:].upper() + '%')
        elif low.startswith('id:'):
            conds.append('m.ref LIKE ?')
            params.append(t[3:].rstrip('*').upper() + '%')
        elif low.startswith('created'):
            m = re.match(r'created(>=|:)(\d{4})(?:\.\.(\d{4}))?', low)
            if m:
                conds.append('m.created >= ?')
                params.append(m.group(2))
                if m.group(3):
                    conds.append('m.created < ?')
                    params.append(str(int(m.group(3)) + 1))
        elif low.startswith('signer:'):
            parts.append(t[7:])
        elif low.startswith('subject:'):
            inner = t[8:]
            if inner == '(':
                j = i + 1
                words = []
                while j < len(toks) and toks[j] != ')':
                    words.append(toks[j])
                    j += 1
                i = j
                parts.append('subject : (' + ' '.join(words) + ')')
            else:
                parts.append('subject : ' + inner)
        elif t in ('OR', '(', ')'):
            parts.append(t)
        elif t == 'NOT' or (t.startswith('-') and len(t) > 1):
            parts.append('NOT')
            if t != 'NOT':
                parts.append(clean(t[1:]))
        else:
            parts.append(clean(t))
        i += 1
    expr = ' '.join(p for p in parts if p)
    expr = re.sub(r'^\s*NOT\s+', '', expr)
    return (expr or None), conds, params


def clean(word):
    if word.startswith('"'):
        return word
    star = word.endswith('*')
    w = re.sub(r'[^0-9A-Za-z]', '', word)
    if not w:
        return ''
    return '"' + w + '"' + ('*' if star else '')


def run_query(db, q):
    expr, conds, params = translate(q)
    where = ' AND '.join(conds) if conds else '1'
    if expr:
        top = db.execute(
            f"SELECT f.rowid, bm25(fts, 4.0, 1.0) AS r, "
            f"snippet(fts, 1, '[[', ']]', ' ... ', 32) FROM fts f "
            f"JOIN meta m ON m.id = f.rowid WHERE fts MATCH ? AND {where} "
            f"ORDER BY r LIMIT 20", [expr] + params).fetchall()
        total = db.execute(
            f"SELECT count(*) FROM fts f JOIN meta m ON m.id = f.rowid "
            f"WHERE fts MATCH ? AND {where}", [expr] + params).fetchone()
    else:
        top = db.execute(f"SELECT m.id FROM meta m WHERE {where} "
                         f"ORDER BY m.created DESC LIMIT 20", params).fetchall()
        total = db.execute(f"SELECT count(*) FROM meta m WHERE {where}",
                           params).fetchone()
    return len(top), total[0]


def run(db_path, queries_path, clients, seconds, warmup=1):
    queries = [l.strip() for l in open(queries_path)
               if l.strip() and not l.startswith('#')]
    lat, per, errors = [], {}, [0]
    lock = threading.Lock()

    # One untimed pass over the mix (caches warm), as search_bench does.
    warm = sqlite3.connect(db_path, check_same_thread=False)
    for q in queries * warmup:
        try:
            run_query(warm, q)
        except sqlite3.Error:
            pass

    def client(c):
        db = sqlite3.connect(db_path, check_same_thread=False)
        order = list(range(len(queries)))
        random.Random(c + 1).shuffle(order)
        mine = []
        begin = time.monotonic()
        i = 0
        while time.monotonic() - begin < seconds:
            q = queries[order[i % len(order)]]
            t0 = time.monotonic()
            try:
                run_query(db, q)
            except sqlite3.Error as e:
                with lock:
                    errors[0] += 1
                    print('error', q, e, file=sys.stderr)
            mine.append((q, (time.monotonic() - t0) * 1000))
            i += 1
        with lock:
            for q, ms in mine:
                lat.append(ms)
                per.setdefault(q, []).append(ms)

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lat.sort()
    pct = lambda v, p: sorted(v)[min(len(v) - 1, int(p * len(v)))] if v else 0
    print(f'mode=sqlite-fts5 clients={clients} queries={len(queries)} '
          f'calls={len(lat)} errors={errors[0]}')
    print(f'p50_ms={pct(lat, .5):.2f} p99_ms={pct(lat, .99):.2f} '
          f'qps={len(lat) / seconds:.1f}')
    for q, v in sorted(per.items()):
        print(f'query={q} n={len(v)} mean_ms={sum(v) / len(v):.2f} '
              f'p99_ms={pct(v, .99):.2f}')


if __name__ == '__main__':
    if sys.argv[1] == 'build':
        build(sys.argv[2], sys.argv[3])
    else:
        run(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]),
            int(sys.argv[6]) if len(sys.argv) > 6 else 1)
