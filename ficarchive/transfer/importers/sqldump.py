"""A reader for MySQL dumps (mysqldump and phpMyAdmin styles), with no MySQL server.

Understands `CREATE TABLE` (for column order) and `INSERT [IGNORE] INTO` with or without a
column list, multi-row VALUES, backquoted names, '...' and "..." strings with backslash
escapes or doubled quotes, NULL and numbers. Everything else (SET, LOCK, comments) is
skipped. Rows come back as dicts keyed by column name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import ImportRejected

_CREATE_RE = re.compile(
    r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?[`\"]?([\w$]+)[`\"]?\s*\(", re.I
)
_INSERT_RE = re.compile(
    r"(?:INSERT|REPLACE)\s+(?:LOW_PRIORITY\s+|DELAYED\s+|HIGH_PRIORITY\s+)?(?:IGNORE\s+)?INTO\s+[`\"]?([\w$]+)[`\"]?\s*(\([^)]*\))?\s*VALUES\s*",
    re.I,
)
_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<s>'(?:[^'\\]|\\.|'')*')
      | (?P<d>"(?:[^"\\]|\\.|"")*")
      | (?P<null>NULL)\b
      | (?P<num>[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
      | (?P<punct>[(),;])
      | (?P<word>[A-Za-z_][\w.]*(?:\([^)]*\))?)
    )""",
    re.X | re.S,
)
_ESCAPES = {"0": "\0", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a", "b": "\b"}
_ESCAPE_RE = re.compile(r"\\(.)", re.S)


def _unquote(raw: str) -> str:
    quote = raw[0]
    body = raw[1:-1].replace(quote * 2, quote)
    return _ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def _columns_of_create(sql: str, start: int) -> tuple[list[str], int]:
    depth = 1
    i = start
    while i < len(sql) and depth:
        ch = sql[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch in "'\"":
            # Skip the literal; MySQL escapes a quote inside it with a backslash
            # (`default 'It\\'s ...'` in eFiction's settings table), so a quote after a
            # backslash does not end it. A doubled quote ('') reads as two literals: same end.
            i += 1
            while i < len(sql) and sql[i] != ch:
                i += 2 if sql[i] == "\\" else 1
        i += 1
    body = sql[start : i - 1]
    columns = []
    for line in re.split(r",\s*\n", body):
        line = line.strip()
        m = re.match(r"[`\"]?([\w$]+)[`\"]?\s+\w", line)
        if m and m.group(1).upper() not in {
            "PRIMARY",
            "KEY",
            "UNIQUE",
            "INDEX",
            "CONSTRAINT",
            "FULLTEXT",
            "FOREIGN",
        }:
            columns.append(m.group(1))
    return columns, i


class SqlDump:
    """Tables of a dump: `rows(name)` yields dicts; names are matched without prefix."""

    def __init__(self, sql: str) -> None:
        self.tables: dict[str, list[dict]] = {}
        self.columns: dict[str, list[str]] = {}
        self._parse(sql)

    def _parse(self, sql: str) -> None:
        pos = 0
        while True:
            create = _CREATE_RE.search(sql, pos)
            insert = _INSERT_RE.search(sql, pos)
            if create and (not insert or create.start() < insert.start()):
                cols, pos = _columns_of_create(sql, create.end())
                self.columns[create.group(1)] = cols
                continue
            if not insert:
                break
            table = insert.group(1)
            if insert.group(2):
                cols = [c.strip(' `"') for c in insert.group(2)[1:-1].split(",")]
            else:
                cols = self.columns.get(table, [])
            pos = self._values(sql, insert.end(), table, cols)

    def _values(self, sql: str, pos: int, table: str, cols: list[str]) -> int:
        rows = self.tables.setdefault(table, [])
        row: list | None = None
        while True:
            m = _TOKEN_RE.match(sql, pos)
            if not m:
                raise ImportRejected(
                    f"the dump cannot be read near character {pos}: {sql[pos : pos + 40]!r}"
                )
            pos = m.end()
            if m.group("punct") == "(":
                row = []
            elif m.group("punct") == ")":
                if row is not None:
                    names = cols if len(cols) == len(row) else [f"col{i}" for i in range(len(row))]
                    if len(cols) >= len(row):
                        names = cols[: len(row)]
                    rows.append(dict(zip(names, row, strict=False)))
                row = None
            elif m.group("punct") == ";":
                return pos
            elif m.group("punct") == ",":
                continue
            elif row is None:
                return pos  # no terminating semicolon (last statement)
            elif m.group("s") is not None or m.group("d") is not None:
                row.append(_unquote(m.group("s") or m.group("d")))
            elif m.group("null"):
                row.append(None)
            elif m.group("num") is not None:
                num = m.group("num")
                row.append(int(num) if re.fullmatch(r"[-+]?\d+", num) else float(num))
            else:
                row.append(m.group("word"))
            if pos >= len(sql):
                return pos

    def find(self, name: str) -> str | None:
        """The dump's table for an eFiction table name, whatever its prefix."""
        if name in self.tables:
            return name
        candidates = [
            t
            for t in list(self.tables) + list(self.columns)
            if t.lower().endswith("_" + name) or t.lower() == name
        ]
        return candidates[0] if candidates else None

    def rows(self, name: str) -> Iterator[dict]:
        table = self.find(name)
        return iter(self.tables.get(table, []) if table else [])
