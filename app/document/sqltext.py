"""SQL text as SQLite reads it: tokens, and a canonical form that ignores how the text was rendered.

Schema objects are compared by what they mean, not by how a library spelled them: spacing, comments,
keyword case and identifier quoting do not matter, so a future SQLAlchemy or Alembic that renders the
same DDL differently does not make every document look changed outside Samplebook.

The tokenizer follows SQLite's own rules (tokenize.c) where they differ from Python's: only space,
tab, newline, form feed and carriage return separate tokens, and every character above U+007F is part
of an identifier (a no-break space inside a type name is *not* white space to SQLite). Anything it does
not recognise becomes an "illegal" token that no reference contains, so odd text can only make two
statements differ, never look alike. Identifiers are folded to upper case in ASCII only, as SQLite
compares them; ``str.upper`` would turn a dotless i (U+0131) or a long s (U+017F) into ASCII letters.
"""

from __future__ import annotations

import functools
import re

#: (kind, text); kinds: w word, q quoted name, s string, n number, b blob, v variable, p punctuation,
#: x illegal.
Token = tuple[str, str]
Tokens = tuple[Token, ...]

_ID_START = "A-Za-z_\u0080-\U0010ffff"
_ID_CHAR = "A-Za-z0-9_$\u0080-\U0010ffff"

# The patterns compile on first use: their character classes span all of Unicode, which takes
# re ~20 ms (far more without cached bytecode) — paid by the first schema check, not by start-up.


@functools.cache
def _token_pattern() -> re.Pattern[str]:
    return re.compile(
        rf"""
          (?P<space>[ \t\n\f\r]+)
        | (?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))
        | (?P<string>'(?:[^']|'')*')
        | (?P<blob>[xX]'[0-9A-Fa-f]*')
        | (?P<dquoted>"(?:[^"]|"")*")
        | (?P<bquoted>`(?:[^`]|``)*`)
        | (?P<bracketed>\[[^\]]*\])
        | (?P<number>0[xX][0-9A-Fa-f]+|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
        | (?P<word>[{_ID_START}][{_ID_CHAR}]*)
        | (?P<variable>\?[0-9]*|[:@$][{_ID_CHAR}]+)
        | (?P<operator>\|\||<=|>=|<>|!=|==|<<|>>|->>|->|[-+*/%&|~<>=(),;.])
        | (?P<illegal>.)
        """,
        re.VERBOSE | re.DOTALL,
    )


@functools.cache
def _plain_name() -> re.Pattern[str]:
    return re.compile(rf"[{_ID_START}][{_ID_CHAR}]*\Z")


_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_OPERATOR_SYNONYMS = {"==": "=", "!=": "<>"}

#: SQLite's keywords (https://sqlite.org/lang_keywords.html). A quoted keyword stays quoted in the
#: canonical form: ``"current_time"`` names a column (or is a string), ``current_time`` is the clock.
_KEYWORD_TEXT = """
    ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN
    BETWEEN BY CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT
    CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRABLE DEFERRED DELETE DESC
    DETACH DISTINCT DO DROP EACH ELSE END ESCAPE EXCEPT EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER
    FIRST FOLLOWING FOR FOREIGN FROM FULL GENERATED GLOB GROUP GROUPS HAVING IF IGNORE IMMEDIATE IN
    INDEX INDEXED INITIALLY INNER INSERT INSTEAD INTERSECT INTO IS ISNULL JOIN KEY LAST LEFT LIKE
    LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING NOTNULL NULL NULLS OF OFFSET ON OR ORDER OTHERS
    OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE RANGE RECURSIVE REFERENCES REGEXP
    REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW ROWS SAVEPOINT SELECT SET
    TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE UPDATE USING VACUUM
    VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT
"""
KEYWORDS = frozenset(_KEYWORD_TEXT.split())


def fold(name: str) -> str:
    """``name`` as SQLite compares identifiers: ASCII letters upper-cased, everything else kept."""
    return name.translate(_ASCII_UPPER)


def _name_token(name: str) -> Token:
    folded = fold(name)
    if _plain_name().match(name) and folded not in KEYWORDS:
        return ("w", folded)
    return ("q", folded)


def tokens(sql: str) -> Tokens:
    """The canonical tokens of ``sql``: no white space or comments, names unquoted and folded."""
    # The same column types and statements come back in every document: remember the short ones.
    return _tokens_cached(sql) if len(sql) <= _CACHED_CHARACTERS else _tokens(sql)


_CACHED_CHARACTERS = 2048


@functools.lru_cache(maxsize=512)
def _tokens_cached(sql: str) -> Tokens:
    return _tokens(sql)


def _tokens(sql: str) -> Tokens:
    found: list[Token] = []
    for match in _token_pattern().finditer(sql):
        kind = match.lastgroup
        text = match.group()
        if kind in ("space", "comment"):
            continue
        if kind == "word":
            found.append(("w", fold(text)))
        elif kind == "dquoted":
            found.append(_name_token(text[1:-1].replace('""', '"')))
        elif kind == "bquoted":
            found.append(_name_token(text[1:-1].replace("``", "`")))
        elif kind == "bracketed":
            found.append(_name_token(text[1:-1]))
        elif kind == "string":
            found.append(("s", text[1:-1].replace("''", "'")))
        elif kind == "blob":
            found.append(("b", text[2:-1].lower()))
        elif kind == "number":
            found.append(("n", text.lower()))
        elif kind == "variable":
            found.append(("v", text))
        elif kind == "operator":
            found.append(("p", _OPERATOR_SYNONYMS.get(text, text)))
        else:
            found.append(("x", text))
    return tuple(found)


def word(token: Token | None, *texts: str) -> bool:
    """Whether ``token`` is the bare word (keyword) ``texts[0]`` or one of the others."""
    return token is not None and token[0] == "w" and token[1] in texts


def closing(items: Tokens, start: int) -> int:
    """The index of the ``)`` that closes the ``(`` at ``start``; ``len(items)`` when unbalanced."""
    depth = 0
    for index in range(start, len(items)):
        if items[index] == ("p", "("):
            depth += 1
        elif items[index] == ("p", ")"):
            depth -= 1
            if depth == 0:
                return index
    return len(items)


def split_top_level(items: Tokens, separator: Token = ("p", ",")) -> list[Tokens]:
    """``items`` cut at each ``separator`` outside parentheses."""
    parts: list[Tokens] = []
    depth = 0
    begin = 0
    for index, token in enumerate(items):
        if token == ("p", "("):
            depth += 1
        elif token == ("p", ")"):
            depth -= 1
        elif token == separator and depth == 0:
            parts.append(items[begin:index])
            begin = index + 1
    parts.append(items[begin:])
    return parts


def without_redundant_parentheses(expression: Tokens) -> Tokens:
    """``((x = 1))`` → ``x = 1``: parentheses around a whole expression change nothing."""
    while (
        len(expression) >= 2
        and expression[0] == ("p", "(")
        and closing(expression, 0) == len(expression) - 1
    ):
        expression = expression[1:-1]
    return expression


#: Keywords followed by a parenthesised expression whose outer parentheses do not matter.
_EXPRESSION_AFTER = frozenset({"CHECK", "DEFAULT", "AS"})


def canonical_clauses(items: Tokens) -> Tokens:
    """``items`` with each ``CHECK (…)``, ``DEFAULT (…)`` and ``AS (…)`` operand in one canonical form.

    ``CHECK (id = 1)``, ``CHECK ((id=1))`` and ``CHECK ("id" = 1)`` all become the same tokens.
    """
    result: list[Token] = []
    index = 0
    while index < len(items):
        token = items[index]
        result.append(token)
        index += 1
        if word(token, *_EXPRESSION_AFTER) and index < len(items) and items[index] == ("p", "("):
            end = closing(items, index)
            inner = without_redundant_parentheses(items[index + 1 : end])
            result.extend((("p", "("), *canonical_clauses(inner), ("p", ")")))
            index = end + 1
    return tuple(result)


def without_if_not_exists(items: Tokens) -> Tokens:
    """``CREATE TABLE IF NOT EXISTS x`` → ``CREATE TABLE x`` (the same object once it exists)."""
    for index in range(min(len(items), 6)):
        if (
            word(items[index], "IF")
            and index + 2 < len(items)
            and word(items[index + 1], "NOT")
            and word(items[index + 2], "EXISTS")
        ):
            return items[:index] + items[index + 3 :]
    return items
