#!/usr/bin/python3
"""sql_scan_test: no SQL built from strings in storage/ except reviewed sites.

Scans storage/**/*.cc and *.h (comments stripped, string literals --
including raw R"sql(...)sql" strings -- understood) for two kinds of site:

  concat  SQL text assembled at run time: absl::StrCat / StrAppend /
          StrFormat / Substitute / StrJoin, `+`, `+=` or `<<`
          (std::ostringstream) where a piece is SQL (a string literal that
          looks like SQL, or a named constant whose literal value does) and
          another piece is not a literal or a named constant. Concatenations
          of constants only (e.g. StrCat(kCableColumns, kScanCables)) are
          fixed text and pass without review.
  exec    a libpqxx call whose SQL argument is neither a string literal nor
          a named constant (optionally wrapped in S(...) / std::string(...)):
          .exec / exec0 / exec1 / exec_n / exec_params[0|1|_n] /
          exec_prepared / prepare (every argument up to the SQL text) and
          pqxx::stream_to's table argument. `kX.name` counts as a named
          constant when kX is a `PreparedStatement kX = {"name", kSql}`
          whose kSql is an SQL constant.

Every site found must be covered by ALLOWLIST below: (file, function, number
of sites, digest of their statements, why it is safe). Count and digest are
exact, so a new or changed site inside an allowlisted function fails the
test until someone re-reviews that function and updates the entry (the
failure prints the new digest); an entry that matches nothing fails too
(stale). "Safe" means: user input
reaches the database ONLY as a bind parameter ($n); the SQL text is made of
fixed fragments of this repository.

  sql_scan_test.py [--root DIR] [--verbose] [--self-test]

--root: the source tree (default: two levels above this file).
--self-test: runs the detector on embedded bad examples (each must be
flagged) and good ones (none may be); the ctest runs it before the scan.
Exit status 0 when clean, 1 on findings, 2 on usage errors.

Limits (a heuristic, not a C++ parser): "looks like SQL" means an
upper-case SQL keyword as a word, or SQL punctuation (`$1`, `::type`,
` = `, ` <> `, ` @@ `, ` && `, ` @> `, `ARRAY[`, `c.column`). SQL
assembled from pieces none of which matches escapes the concat rule -- but
still trips the exec rule where it is executed, unless it passes through a
wrapper (as pg_search_repository's Exec does; Exec itself is allowlisted
and its callers are caught by the concat rule).
"""

import argparse
import hashlib
import os
import re
import sys

# --- The reviewed sites ------------------------------------------------------
# Each entry: file (relative to the root), function (Class::Method for
# methods, as written in the definition), sites (exact count), digest (of
# the sites' statements, see digest()), why.
# Reviewed by reading the code: in every one, values that can come from a
# request (filter text, query words, ids, page-token fields, sources,
# reasons) are appended to a params vector and only their placeholder "$n"
# enters the SQL text.
ALLOWLIST = [
    # storage/filter_sql.cc: CompileCableFilter (filter_sql.h) turns a parsed
    # AIP-160 filter (services/metadata/filter_parser.cc: a fixed grammar,
    # depth <= 32, <= 200 restrictions) into a WHERE expression. Column names
    # and operators are string constants chosen by switch statements on enum
    # values; every user value goes through Compiler::Param (push_back into
    # params, returns "$n"); LIKE patterns are escaped (LikeEscaped) before
    # they become parameters, so they cannot widen a match either.
    ("storage/filter_sql.cc", "Compiler::Expr", 3, "877c22fec868",
     "joins sub-expressions compiled by this class with (NOT ...), AND, OR; "
     "no user text"),
    ("storage/filter_sql.cc", "Compiler::Condition", 2, "2ccfabe5ed71",
     "classification has/flag comparisons: values via Param(), columns are "
     "literals of this function"),
    ("storage/filter_sql.cc", "Compiler::Text", 3, "6f8558f48b93",
     "`column` is a literal passed by Condition(); the value via Param()"),
    ("storage/filter_sql.cc", "Compiler::Member", 3, "8d0e1cf295b7",
     "`column` is a literal passed by Condition(); the text[] value (built "
     "by TextArrayLiteral, which escapes \" and \\) via Param()"),
    ("storage/filter_sql.cc", "Compiler::Time", 1, "46e27d5723ff",
     "operator from a switch over the enum; the time via Param()"),
    ("storage/filter_sql.cc", "CompileCableFilter", 7, "c24f986886aa",
     "the structured fields (origin, classification, tags, caveats, dates) "
     "via compiler.Param(); joins the compiled parts with AND"),
    # storage/search/search_planner.cc: PlanQuery (search_planner.h) turns a
    # parsed query (services/search/query_parser.cc: <= 4096 bytes, depth
    # <= 32, <= 64 atoms) into SQL; every word, phrase, tag, id and date goes
    # through Planner::Param; prefix lexemes are reduced to [a-z0-9] and
    # still passed as parameters.
    ("storage/search/search_planner.cc", "Planner::Plan", 1, "5e78832d89db",
     "ORs the highlight atoms compiled by this class"),
    ("storage/search/search_planner.cc", "Planner::AtomTsQuery", 6, "9e3e43ff5078",
     "tsquery functions around Param() placeholders; &&, ||, !! of "
     "compiled atoms"),
    ("storage/search/search_planner.cc", "Planner::Where", 12, "0eb422ec359b",
     "joins compiled sub-expressions; dates via Param(); one site is an "
     "error message (\"... OR and NOT\"), not SQL"),
    ("storage/search/search_planner.cc", "Planner::Field", 11, "739cf13d6017",
     "field predicates around Param() placeholders (cites: an array of "
     "cable_references); id prefixes through PrefixRange"),
    ("storage/search/search_planner.cc", "Planner::PrefixRange", 1, "f33c2301d620",
     "a range over a column the callers name as a literal (r.cited_id, "
     "c.canonical_id); both bounds are Param() placeholders"),
    ("storage/search/search_planner.cc", "Planner::WordsQuery", 2, "0a1d00377da8",
     "to_tsquery/phraseto_tsquery of Param() placeholders"),
    ("storage/search/search_planner.cc", "Planner::Positive", 2, "466c001f4fd1",
     "joins compiled tsquery expressions"),
    ("storage/search/search_query.cc", "QueryNode::DebugString", 3, "6169b04e6541",
     "not SQL: the AST's debug text \"(AND ...)\" for tests and logs"),
    # storage/prepared_statement.h: RegisterPrepared prepares the
    # PreparedStatement constants a repository lists (e.g. kPreparedReads in
    # pg_cable_repository.cc): each {"name", sql::kX} pairs a literal name
    # with an SQL constant, so only fixed text is prepared; the callers'
    # exec_prepared(kX.name, ...) sites pass because of collect_prepared.
    ("storage/prepared_statement.h", "RegisterPrepared", 1, "42749a0b7021",
     "prepares PreparedStatement constants: literal names, SQL constants"),
    # storage/search/pg_search_repository.cc: assembles the statements around
    # the SqlPlan (fixed fragments + "$n" only). Page-token fields
    # (cursor->key, cursor->id), the pinned id and the limits are added with
    # Params::Add and bound; the token key is cast by PostgreSQL
    # ($k::real / $k::timestamptz), so a forged key is a data error
    # (SQLSTATE 22xxx -> INVALID_ARGUMENT), not SQL.
    ("storage/search/pg_search_repository.cc", "Exec", 1, "d378f2f0b169",
     "the exec_params wrapper; its callers pass SQL built by the functions "
     "below and their Params"),
    ("storage/search/pg_search_repository.cc", "WithAllParams", 1, "b8404b2e9664",
     "a CTE listing $1::text..$n::text (loop numbers only)"),
    ("storage/search/pg_search_repository.cc", "BuildPageQuery", 6, "73684492360b",
     "the plan's WHERE/rank tsquery; the pinned id, the cursor's key and id "
     "and the limit via Params::Add"),
    ("storage/search/pg_search_repository.cc", "AddSnippets", 2, "80bcd3ef8ace",
     "the plan's highlight tsquery (fixed fragments + $n); the ids as one "
     "text[] parameter via Params::Add"),
    ("storage/search/pg_search_repository.cc", "CountMatches", 2, "4c6a712196ee",
     "the plan's WHERE; the limit is a compile-time constant"),
    ("storage/search/pg_search_repository.cc", "ComputeFacets", 1, "6d761062e007",
     "the plan's WHERE; the facet limit via Params::Add"),
    ("storage/search/pg_search_repository.cc", "PgSearchRepository::Search", 1, "a9d30ff51f48",
     "OR of the pinned id, added with Params::Add"),
    # storage/pg_cable_repository.cc
    ("storage/pg_cable_repository.cc", "ListQuery", 1, "aeef1c51379e",
     "sql:: constants chosen by enum + the compiled filter (filter_sql.cc, "
     "placeholders from $5)"),
    ("storage/pg_cable_repository.cc", "PgCableRepository::ListCables", 1, "a67fe3c295fa",
     "executes ListQuery(); the page-token fields (sort key, id) and the "
     "filter values are bound ($1..$4, $5..)"),
    ("storage/pg_cable_repository.cc", "PgCableRepository::GetFacetCounts", 2, "2025b248ce94",
     "kFacetCountsHead + compiled filter (placeholders from $2) + "
     "kFacetCountsTail, executed with its params"),
    ("storage/deferred_indexes.cc", "DeferIndexes", 1, "271c1608846a",
     "DROP INDEX of a name from kDeferredIndexes (a constant array of this "
     "file) quoted with quote_name; identifiers cannot be parameters"),
    ("storage/deferred_indexes.cc", "RestoreDeferredIndexes", 1,
     "fc7b76ed48d4",
     "runs the index definitions DeferIndexes saved from "
     "pg_indexes.indexdef for those constant names (table deferred_indexes); "
     "no request data. Whoever can write deferred_indexes can make the "
     "service run SQL: the table must stay writable only by the service "
     "role"),
    ("storage/migrator.cc", "Migrator::Migrate", 1, "8c25e687da9e",
     "runs the migration files compiled into the binary "
     "(embedded_migrations.h), checksummed"),
    # storage/metadata/pg_month_counts.cc
    ("storage/metadata/pg_month_counts.cc", "PgMonthCounts::CountByMonth", 2, "df30b52da830",
     "kCountByMonthHead + compiled filter (placeholders from $1) + Tail, "
     "executed with its params"),
    # Test code (never linked into a service; no request data).
    ("storage/testing/test_database.cc", "TestDatabase::Create", 3, "449971335193",
     "test helper: CREATE/DROP DATABASE of a generated name "
     "(t_<[a-z0-9_]>_<pid>_<n>) quoted with quote_name"),
    ("storage/testing/test_database.cc", "TestDatabase::~TestDatabase", 2, "7ed5d02a0336",
     "test helper: DROP DATABASE of that name, quoted with quote_name"),
    ("storage/testing/test_database.cc", "TestDatabase::Query", 1, "a3e5a68f6a60",
     "test helper: runs the SQL a test wrote"),
    ("storage/connection_pool_pgtest.cc",
     "TEST_F(ConnectionPoolPgTest,ReplacesConnectionsKilledWhileIdle)", 1, "af1ec61f82a6",
     "test: pg_terminate_backend of an integer pid"),
    ("storage/pg_cable_repository_pgtest.cc", "ListTest::Expected", 2, "bcfd73a80113",
     "test: expected ids via SQL conditions written in the test"),
]

# --- Lexing ------------------------------------------------------------------

SQL_KEYWORDS = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|JOIN|ORDER\s+BY|GROUP\s+BY|"
    r"LIMIT|OFFSET|VALUES|RETURNING|UNION|DROP|CREATE|ALTER|TRUNCATE|GRANT|"
    r"SET|WITH|AND|OR|NOT|IN|EXISTS|LIKE|ILIKE|BETWEEN|CASE|WHEN|THEN|ELSE|"
    r"END|IS\s+NULL|IS\s+NOT|ANY|ARRAY|DESC|ASC|INTO|COPY|EXECUTE|PREPARE|"
    r"ANALYZE|VACUUM|INDEX|TABLE)\b")
SQL_PUNCT = re.compile(
    r"\$\d|::[a-z]|\s=\s|\s<>\s|\s@@\s|\s&&\s|\s@>\s|\|\||\bARRAY\[|"
    r"(?<![%\w.])[a-z]\.[a-z_]+\b|\(!!\s|\s!!\s|\s[<>]=?\s|"
    r"\b(to_tsquery|plainto_tsquery|phraseto_tsquery|websearch_to_tsquery|"
    r"to_tsvector|ts_rank|ts_headline|coalesce|unnest|string_agg|starts_with|"
    r"set_config|quote_ident|quote_literal|nextval)\s*\(")


def looks_like_sql(text):
    return bool(SQL_KEYWORDS.search(text) or SQL_PUNCT.search(text))


class Source:
    """A C++ file: `masked` has comments blanked and literal contents
    replaced by spaces (same length, newlines kept), `literals` maps the
    start offset of each literal to (end, value)."""

    def __init__(self, path, text):
        self.path = path
        self.text = text
        self.literals = {}
        out = list(text)
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if text.startswith("//", i):
                j = text.find("\n", i)
                j = n if j < 0 else j
                for k in range(i, j):
                    out[k] = " "
                i = j
            elif text.startswith("/*", i):
                j = text.find("*/", i + 2)
                j = n if j < 0 else j + 2
                for k in range(i, j):
                    if out[k] != "\n":
                        out[k] = " "
                i = j
            elif c == "R" and text.startswith('R"', i) and (
                    i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
                m = re.match(r'R"([^()\\ ]{0,16})\(', text[i:])
                if not m:
                    i += 1
                    continue
                delim = ")" + m.group(1) + '"'
                body_start = i + m.end()
                j = text.find(delim, body_start)
                j = n if j < 0 else j
                end = min(n, j + len(delim))
                self.literals[i] = (end, text[body_start:j])
                for k in range(i + 1, end - 1):
                    if out[k] != "\n":
                        out[k] = " "
                i = end
            elif c == '"':
                j = i + 1
                value = []
                while j < n and text[j] != '"':
                    if text[j] == "\\" and j + 1 < n:
                        value.append(text[j:j + 2])
                        j += 2
                    else:
                        value.append(text[j])
                        j += 1
                end = min(n, j + 1)
                self.literals[i] = (end, "".join(value))
                for k in range(i + 1, end - 1):
                    out[k] = " "
                i = end
            elif c == "'":
                # A character literal (digit separators like 1'000 are not
                # used in this code base).
                j = i + 1
                while j < n and text[j] != "'":
                    j += 2 if text[j] == "\\" else 1
                for k in range(i + 1, min(n, j)):
                    out[k] = " "
                i = j + 1
            else:
                i += 1
        self.masked = "".join(out)
        self.line_starts = [0]
        for m in re.finditer("\n", text):
            self.line_starts.append(m.end())
        self.functions = self._function_spans()

    def line_of(self, offset):
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    def statement(self, offset):
        """The code from the start of offset's line to the end of its
        statement (";" or "{" outside brackets), whitespace collapsed."""
        start = self.line_starts[self.line_of(offset) - 1]
        depth = 0
        i = start
        m = self.masked
        while i < len(m):
            c = m[i]
            if c in "([":
                depth += 1
            elif c in ")]":
                depth -= 1
                if depth < 0:
                    break
            elif c in ";{}" and depth <= 0:
                break
            i += 1
        return " ".join(self.text[start:i + 1].split())

    def line_text(self, offset):
        line = self.line_of(offset)
        start = self.line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start:end if end >= 0 else len(self.text)].strip()

    # Scopes: for every "{", the text before it (back to ; { or }) decides
    # whether it opens a namespace, a class/struct, a function or something
    # else (lambda, initializer, control statement).
    def _function_spans(self):
        spans = []  # (start, end, qualified name)
        stack = []  # (kind, name)
        m = self.masked
        last_stop = 0
        for i, c in enumerate(m):
            if c in ";":
                last_stop = i + 1
            elif c == "{":
                header = " ".join(m[last_stop:i].split())
                kind, name = self._classify(header)
                stack.append((kind, name, i))
                last_stop = i + 1
            elif c == "}":
                if stack:
                    kind, name, start = stack.pop()
                    if kind == "function":
                        classes = [s[1] for s in stack if s[0] == "class"]
                        qualified = name
                        if classes and "::" not in name:
                            qualified = classes[-1] + "::" + name
                        if not any(s[0] == "function" for s in stack):
                            spans.append((start, i, qualified))
                last_stop = i + 1
        return spans

    @staticmethod
    def _classify(header):
        if re.match(r"^(inline\s+)?namespace\b", header) or header.startswith(
                'extern "C"'):
            return "namespace", ""
        cm = re.match(r"^(template\s*<.*>\s*)?(class|struct|union)\s+(\w+)",
                      header)
        if cm and "(" not in header.split(":")[0]:
            return "class", cm.group(3)
        if header.startswith("[") or re.search(r"\]\s*(\(.*\))?\s*(mutable)?"
                                                r"\s*(->.*)?$", header) and \
                "[" in header and header.index("[") < header.find("(") + 1:
            return "other", ""
        first = re.match(r"^(if|for|while|switch|catch|do|else|try|return)\b",
                         header)
        if first or header.endswith("=") or header.endswith(",") or \
                header.endswith("(") or "(" not in header:
            return "other", ""
        # The name right before the first top-level "(".
        depth = 0
        for k, ch in enumerate(header):
            if ch == "<":
                depth += 1
            elif ch == ">":
                depth = max(0, depth - 1)
            elif ch == "(" and depth == 0:
                nm = re.search(r"([A-Za-z_~][\w:~]*)\s*$", header[:k])
                if not nm:
                    return "other", ""
                name = nm.group(1)
                if name in ("TEST", "TEST_F", "TEST_P"):
                    close = header.find(")", k)
                    return "function", name + header[k:close + 1].replace(
                        " ", "")
                if name.split("::")[-1] in ("if", "for", "while", "switch",
                                            "catch", "return", "sizeof"):
                    return "other", ""
                return "function", name
        return "other", ""

    def function_at(self, offset):
        for start, end, name in self.functions:
            if start <= offset <= end:
                return name
        return "<file scope>"


# --- Expressions ---------------------------------------------------------------

def split_args(src, open_paren):
    """Top-level arguments of the call whose "(" is at open_paren: a list
    of (start, end) offsets, and the offset of the closing ")"."""
    m = src.masked
    depth = 0
    args = []
    start = open_paren + 1
    i = open_paren
    while i < len(m):
        c = m[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                if m[start:i].strip():
                    args.append((start, i))
                return args, i
        elif c == "," and depth == 1:
            args.append((start, i))
            start = i + 1
        i += 1
    return args, len(m)


CONST_NAME = re.compile(r"^(::)?(\w+::)*k[A-Z]\w*$")
NUMBER = re.compile(r"^[0-9][0-9a-fA-FxX'.]*[uUlL]*$")
WRAPPER = re.compile(
    r"^(S|std::string|std::string_view|absl::string_view|std::string\s*\{)"
    r"\s*[({]\s*(.*?)\s*[)}]$", re.S)


def literal_value(src, start, end):
    """The value of an expression that is only (adjacent) string literals,
    else None."""
    i = start
    values = []
    m = src.masked
    while i < end:
        if m[i].isspace():
            i += 1
            continue
        # Encoding prefixes u8"", L"", and raw strings start at R.
        lit = src.literals.get(i)
        if lit is None and m[i] in "uLU8":
            k = i
            while k < end and m[k] in "uLU8":
                k += 1
            lit = src.literals.get(k)
            if lit is not None:
                i = k
        if lit is None:
            return None
        values.append(lit[1])
        i = lit[0]
    return "".join(values) if values else None


class Classifier:
    def __init__(self, sql_constants, prepared=frozenset()):
        self.sql_constants = sql_constants
        # PreparedStatement constants whose SQL is an SQL constant: their
        # .name names fixed text (see collect_prepared).
        self.prepared = prepared

    def piece(self, src, start, end):
        """'sql' (SQL text: literal or SQL constant), 'const' (another
        literal or constant), or 'dynamic'."""
        m = src.masked
        while start < end and m[start].isspace():
            start += 1
        while end > start and m[end - 1].isspace():
            end -= 1
        value = literal_value(src, start, end)
        if value is not None:
            return "sql" if looks_like_sql(value) else "const"
        # A wrapper (S(x), std::string(x)) or StrCat of constants only.
        call = re.match(r"(S|std::string|std::string_view|absl::string_view|"
                        r"(?:absl::)?StrCat)\s*[({]", m[start:end])
        if call:
            args, close = split_args(src, start + call.end() - 1)
            if close == end - 1:
                kinds = [self.piece(src, a, b) for a, b in args]
                if call.group(1).endswith("StrCat") or len(args) == 1:
                    if kinds and "dynamic" not in kinds:
                        return "sql" if "sql" in kinds else "const"
                    return "dynamic"
        expr = " ".join(m[start:end].split())
        if expr.startswith("&"):
            expr = expr[1:].strip()
        if CONST_NAME.match(expr):
            return "sql" if self.const_name(expr) in self.sql_constants \
                else "const"
        prepared = re.match(r"^(\w+::)*(k[A-Z]\w*)\.name$", expr)
        if prepared and prepared.group(2) in self.prepared:
            return "sql"
        # Arithmetic of constants and numbers (e.g. kLimit + 1).
        tokens = re.split(r"\s*[-+*/%]\s*", expr)
        if tokens and all(CONST_NAME.match(t) or NUMBER.match(t)
                          for t in tokens if t):
            return "const"
        return "dynamic"

    @staticmethod
    def const_name(expr):
        return expr.split("::")[-1]


def collect_sql_constants(sources):
    names = set()
    pat = re.compile(r"\b(k[A-Z]\w*)\s*(\[\s*\])?\s*=\s*")
    for src in sources:
        for m in pat.finditer(src.masked):
            # The initializer: literals up to the terminating ";" or ",".
            i = m.end()
            end = i
            depth = 0
            while end < len(src.masked):
                ch = src.masked[end]
                if ch in "({[":
                    depth += 1
                elif ch in ")}]":
                    depth -= 1
                    if depth < 0:
                        break
                elif ch in ";" or (ch == "," and depth == 0):
                    break
                end += 1
            value = literal_value(src, i, end)
            if value is not None and looks_like_sql(value):
                names.add(m.group(1))
    return names


def collect_prepared(sources, sql_constants):
    """Names of `constexpr PreparedStatement kX = {"name", sql::kY}`
    constants whose kY is an SQL constant: exec_prepared(kX.name, ...) runs
    fixed text."""
    names = set()
    pat = re.compile(r"\bPreparedStatement\s+(k[A-Z]\w*)\s*=\s*\{([^{}]*)\}")
    for src in sources:
        for m in pat.finditer(src.masked):
            args = [a.strip() for a in m.group(2).split(",")]
            if len(args) != 2:
                continue
            start = m.start(2)
            name_end = start + m.group(2).index(",")
            if literal_value(src, start, name_end) is None:
                continue
            if Classifier.const_name(args[1]) in sql_constants:
                names.add(m.group(1))
    return names


CALLS = re.compile(
    r"\b(?:absl::)?(StrCat|StrAppend|StrFormat|Substitute|SubstituteAndAppend|"
    r"StrJoin)\s*\(")
EXEC = re.compile(
    r"(?:\.|->)\s*(exec|exec0|exec1|exec_n|exec_params|exec_params0|"
    r"exec_params1|exec_params_n|exec_prepared|prepare)\s*\(")
STREAM_TO = re.compile(r"\bpqxx::stream_to\s+\w+\s*[({]|\bpqxx::stream_to\s*[({]")


def scan_source(src, classifier):
    """Flagged sites: list of (offset, kind, detail)."""
    sites = []
    m = src.masked

    for call in CALLS.finditer(m):
        paren = call.end() - 1
        args, _ = split_args(src, paren)
        name = call.group(1)
        pieces = args
        if name in ("StrAppend", "SubstituteAndAppend"):
            pieces = args[1:]
        kinds = [classifier.piece(src, a, b) for a, b in pieces]
        # SQL literals inside a dynamic piece (c ? " AND " : " OR ").
        inner_sql = any(
            looks_like_sql(v) for a, b in pieces
            for o, (e, v) in src.literals.items() if a <= o < b)
        if "sql" not in kinds and not inner_sql:
            continue
        if name in ("StrAppend", "SubstituteAndAppend") or "dynamic" in kinds:
            sites.append((call.start(), "concat", name))

    for lit_start, (lit_end, value) in src.literals.items():
        if not looks_like_sql(value):
            continue
        before = m[:lit_start].rstrip()
        after = m[lit_end:].lstrip()
        if before.endswith("<<") or after.startswith("<<"):
            sites.append((lit_start, "concat", "<<"))
        elif before.endswith("+=") or (before.endswith("+") and
                                       not before.endswith("++")):
            sites.append((lit_start, "concat", "+"))
        elif after.startswith("+") and not after.startswith("++"):
            sites.append((lit_start, "concat", "+"))

    # SQL constants joined with "+" (kX + name).
    for cm in re.finditer(r"\b(\w+::)*(k[A-Z]\w*)\b", m):
        if cm.group(2) not in classifier.sql_constants:
            continue
        before = m[:cm.start()].rstrip()
        after = m[cm.end():].lstrip()
        while after.startswith(")"):
            after = after[1:].lstrip()
        if (before.endswith("+") and not before.endswith("++")) or (
                after.startswith("+") and not after.startswith("++")
                and not after.startswith("+=")):
            sites.append((cm.start(), "concat", "+"))

    for call in EXEC.finditer(m):
        paren = call.end() - 1
        args, _ = split_args(src, paren)
        if not args:
            continue
        checked = args[:2] if call.group(1) == "prepare" else args[:1]
        for a, b in checked:
            if classifier.piece(src, a, b) == "dynamic":
                sites.append((call.start(), "exec", call.group(1)))
                break

    for st in STREAM_TO.finditer(m):
        args, _ = split_args(src, st.end() - 1)
        if len(args) >= 2 and classifier.piece(src, *args[1]) == "dynamic":
            sites.append((st.start(), "exec", "stream_to"))

    # One site per line (an exec of a "+" is one site, kinds joined).
    by_line = {}
    for offset, kind, detail in sorted(sites):
        line = src.line_of(offset)
        if line in by_line:
            o, k, d = by_line[line]
            if kind not in k.split("+"):
                by_line[line] = (o, k + "+" + kind, d + "," + detail)
        else:
            by_line[line] = (offset, kind, detail)
    return [by_line[line] for line in sorted(by_line)]


def scan_tree(root, files=None):
    """Sites in storage/ under root: list of dicts."""
    storage = os.path.join(root, "storage")
    if files is None:
        files = []
        for dirpath, dirnames, filenames in os.walk(storage):
            dirnames.sort()
            for f in sorted(filenames):
                if f.endswith((".cc", ".h")):
                    files.append(os.path.join(dirpath, f))
    sources = []
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as fh:
            sources.append(Source(os.path.relpath(path, root), fh.read()))
    constants = collect_sql_constants(sources)
    classifier = Classifier(constants, collect_prepared(sources, constants))
    found = []
    for src in sources:
        for offset, kind, detail in scan_source(src, classifier):
            found.append({
                "file": src.path,
                "line": src.line_of(offset),
                "function": src.function_at(offset),
                "kind": kind,
                "detail": detail,
                "code": src.line_text(offset),
                "statement": src.statement(offset),
            })
    return found, len(sources), classifier.sql_constants


def digest(sites):
    """12 hex digits over the statements of `sites` (line numbers and
    formatting do not matter; any change of their code does)."""
    text = "\n".join(sorted(s["statement"] for s in sites))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def check(found, allowlist):
    """Problems (list of str) given the sites and the allowlist."""
    problems = []
    groups = {}
    for s in found:
        groups.setdefault((s["file"], s["function"]), []).append(s)
    allowed = {}
    for file, function, count, code_digest, why in allowlist:
        allowed[(file, function)] = (count, code_digest, why)
    for key, sites in sorted(groups.items()):
        if key not in allowed:
            for s in sites:
                problems.append(
                    "%s:%d: string-built SQL (%s %s) in %s, not allowlisted:"
                    "\n    %s" % (s["file"], s["line"], s["kind"], s["detail"],
                                  s["function"], s["code"]))
            continue
        count, code_digest, _ = allowed[key]
        now = digest(sites)
        if len(sites) != count or now != code_digest:
            problems.append(
                "%s: %s: its string-built SQL changed since review (%d sites, "
                "digest %s; reviewed: %d sites, digest %s) -- re-review the "
                "function, then update its ALLOWLIST entry:\n%s" % (
                    key[0], key[1], len(sites), now, count, code_digest,
                    "\n".join("    %s:%d: %s" % (s["file"], s["line"],
                                                  s["statement"][:160])
                              for s in sites)))
    for key in sorted(allowed):
        if key not in groups:
            problems.append("stale allowlist entry (no site any more): %s %s"
                            % key)
    return problems


# --- Self-test -------------------------------------------------------------------

SELF_TEST_BAD = [
    # (name, code)
    ("exec of a concatenation",
     'void F(pqxx::work& tx, const std::string& id) {\n'
     '  tx.exec("SELECT * FROM cables WHERE canonical_id = \'" + id + "\'");\n'
     '}\n'),
    ("StrCat with user text",
     'void F(pqxx::work& tx, absl::string_view origin) {\n'
     '  const std::string q = absl::StrCat("SELECT 1 FROM cables c WHERE '
     'c.origin = \'", origin, "\'");\n'
     '  tx.exec_params(q);\n'
     '}\n'),
    ("multi-line exec of a variable",
     'void F(pqxx::work& tx, std::string sql) {\n'
     '  tx.exec_params(\n      sql, 1);\n'
     '}\n'),
    ("ostringstream",
     'std::string F(int n, const std::string& name) {\n'
     '  std::ostringstream out;\n'
     '  out << "DELETE FROM cables WHERE canonical_id = \'" << name << "\'";\n'
     '  return out.str();\n'
     '}\n'),
    ("StrFormat",
     'std::string F(const std::string& t) {\n'
     '  return absl::StrFormat("DROP TABLE %s", t);\n'
     '}\n'),
    ("SQL constant + text",
     'constexpr absl::string_view kHead = "SELECT * FROM cables WHERE ";\n'
     'std::string F(const std::string& w) { return std::string(kHead) + w; }\n'),
    ("StrAppend of SQL",
     'void F(std::string* sql, const std::string& v) {\n'
     '  absl::StrAppend(sql, " AND c.origin = \'", v, "\'");\n'
     '}\n'),
    ("raw string concatenated",
     'std::string F(const std::string& v) {\n'
     '  return R"sql(SELECT 1 FROM t WHERE x = )sql" + v;\n'
     '}\n'),
    ("Substitute",
     'std::string F(const std::string& v) {\n'
     '  return absl::Substitute("UPDATE cables SET subject = \'$0\'", v);\n'
     '}\n'),
    ("prepare of built SQL",
     'void F(pqxx::connection& c, const std::string& sql) {\n'
     '  c.prepare("q", sql);\n'
     '}\n'),
    ("exec_prepared of a name from elsewhere",
     'void F(pqxx::work& tx, const std::string& name) {\n'
     '  tx.exec_prepared(name, 1);\n'
     '  tx.exec_prepared(kOther.name, 1);\n'
     '}\n'),
]

SELF_TEST_GOOD = [
    ("bound parameters",
     'void F(pqxx::work& tx, const std::string& id) {\n'
     '  tx.exec_params("SELECT 1 FROM cables WHERE canonical_id = $1", id);\n'
     '  tx.exec_params(S(sql::kSelectVersions), id);\n'
     '  tx.exec(std::string(sql::kPing));\n'
     '  tx.exec("SELECT set_config(\'TimeZone\', \'UTC\', true)");\n'
     '}\n'),
    ("constants only",
     'constexpr const char* kA = "SELECT c.canonical_id FROM cables c ";\n'
     'constexpr const char* kB = "WHERE c.canonical_id > $1";\n'
     'void F(pqxx::work& tx, int n) {\n'
     '  tx.exec_params(absl::StrCat(kA, kB), n);\n'
     '}\n'),
    ("prepared constant statements",
     'constexpr absl::string_view kGetSql =\n'
     '    "SELECT 1 FROM cables WHERE canonical_id = $1";\n'
     'constexpr PreparedStatement kGet = {"get", kGetSql};\n'
     'void F(pqxx::work& tx, const std::string& id) {\n'
     '  tx.exec_prepared(kGet.name, id);\n'
     '}\n'),
    ("messages",
     'absl::Status F(int n, absl::string_view id) {\n'
     '  // SELECT in a comment: "SELECT " + id\n'
     '  return absl::InvalidArgumentError(absl::StrCat("cable ", id, '
     '" not found, limit ", n));\n'
     '}\n'),
]


def self_test():
    failures = 0
    classifier_sources = []
    for name, code in SELF_TEST_BAD + SELF_TEST_GOOD:
        classifier_sources.append(Source("selftest.cc", code))
    constants = collect_sql_constants(classifier_sources)
    classifier = Classifier(constants,
                            collect_prepared(classifier_sources, constants))
    for name, code in SELF_TEST_BAD:
        sites = scan_source(Source("selftest.cc", code), classifier)
        ok = len(sites) > 0
        failures += not ok
        print("%-4s self-test: flags %s" % ("ok" if ok else "FAIL", name))
    for name, code in SELF_TEST_GOOD:
        sites = scan_source(Source("selftest.cc", code), classifier)
        ok = not sites
        failures += not ok
        print("%-4s self-test: passes %s%s" % (
            "ok" if ok else "FAIL", name,
            "" if ok else " (flagged: %s)" % sites))
    # Function names, and that an unreviewed site fails check().
    src = Source("selftest.cc",
                 "namespace a {\nclass C {\n int G(int x) {\n"
                 "  auto f = [&](int y) { return y; };\n"
                 '  return tx.exec("SELECT " + s);\n }\n};\n}\n')
    sites = scan_source(src, classifier)
    names = {src.function_at(o) for o, _, _ in sites}
    ok = names == {"C::G"}
    failures += not ok
    print("%-4s self-test: site attributed to its function (%s)" % (
        "ok" if ok else "FAIL", ",".join(sorted(names))))
    found = [{"file": "x.cc", "line": 1, "function": "F", "kind": "exec",
              "detail": "exec", "code": "tx.exec(q)",
              "statement": "tx.exec(q);"}]
    changed = [dict(found[0], statement="tx.exec(q + x);")]
    d = digest(found)
    ok = bool(check(found, [])) and \
        not check(found, [("x.cc", "F", 1, d, "")]) and \
        bool(check(found, [("x.cc", "F", 2, d, "")])) and \
        bool(check(changed, [("x.cc", "F", 1, d, "")])) and \
        bool(check([], [("x.cc", "F", 1, d, "")]))
    failures += not ok
    print("%-4s self-test: allowlist counts and digests are exact, stale entries fail" %
          ("ok" if ok else "FAIL"))
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(here)))
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    failures = 0
    if args.self_test:
        failures = self_test()
    if not os.path.isdir(os.path.join(args.root, "storage")):
        print("sql_scan_test: no storage/ under %s" % args.root)
        return 2
    found, files, constants = scan_tree(args.root)
    if args.verbose:
        for s in found:
            print("site %s:%d %s [%s %s] %s" % (s["file"], s["line"],
                                               s["function"], s["kind"],
                                               s["detail"], s["code"]))
    problems = check(found, ALLOWLIST)
    for p in problems:
        print("FAIL: " + p)
    print("scanned %d files under storage/ (%d SQL constants); %d "
          "string-built SQL sites in %d reviewed functions; %d problems%s" % (
              files, len(constants), len(found), len(ALLOWLIST), len(problems),
              ", %d self-test failures" % failures if args.self_test else ""))
    return 1 if problems or failures else 0


if __name__ == "__main__":
    sys.exit(main())
