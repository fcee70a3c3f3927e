"""Lab values: a number with an optional qualifier and an optional uncertainty, parsed in one place.

The value cell of the grid, pasted rows and imported tables all go through ``parse_lab_value``, and
everything that shows or exports a value goes through ``format_lab_value``, so a value reads the
same everywhere and ``parse_lab_value(format_lab_value(v)) == v`` for every value (floats exactly).

Design (what release 2.2 stores in ``measurement``):

* ``value REAL`` — the number. For ``<0.05`` and ``>100`` it is the **limit** (0.05, 100): that is
  what the lab reported, it sorts and plots next to the measured values (drawn as an open marker),
  and dropping it would lose the one number the instrument gave. For ``~3`` it is 3.
* ``qualifier TEXT`` — NULL (a plain measurement), ``'<'`` below the limit, ``'>'`` above it,
  ``'~'`` approximate, or ``'nd'`` not detected. Codes, not words: they are what the table shows,
  and export files carry them as they are.
* ``uncertainty REAL`` — the ± part, zero or positive, only on a plain value: a limit has no
  uncertainty of its own, and ``~`` already says the value is not exact.
* "Not detected" has **no value** (NULL): a lab that writes n.d. reported no number, and inventing
  one (0, or half a limit nobody gave) would put a fake measurement into averages and plots. A
  result below a *known* limit is ``<limit``, not n.d.
* ``<LOD``, ``<LOQ`` and the like are refused: they name a limit without giving it. The person is
  asked to enter the limit (``<0.05``) or ``n.d.``; LOQ ("detected, not quantified") is not
  "not detected", so mapping either silently would record something the lab did not say.
* ``≤`` and ``≥`` are refused rather than read as ``<`` and ``>``: Samplebook stores one kind of
  limit, and the person should choose it.
* Minus zero is stored as 0: SQLite's REAL columns drop the sign of zero, so a value must not depend on it.

Decimal commas are accepted only when the caller says so (the user's locale, or an import's
``--decimal-comma``); then a point in a number is refused, because ``1.234`` in such a file is a
thousands separator as often as a mistake. Without the flag every comma is refused: ``1,234``
could be 1234 or 1.234 and Samplebook never guesses.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import InvalidInput


class Qualifier(StrEnum):
    """How a value relates to the true amount; the member values are the stored codes."""

    BELOW = "<"
    ABOVE = ">"
    APPROXIMATE = "~"
    NOT_DETECTED = "nd"


@dataclass(frozen=True)
class LabValue:
    """A measured value as a lab reports it. Build it with ``parse_lab_value`` or directly.

    ``value`` is ``None`` exactly when ``qualifier`` is ``NOT_DETECTED``; ``uncertainty`` is only
    set on a plain value (no qualifier) and is zero or positive. The constructor refuses anything
    else with ``ValueError`` (a bug: code that builds values must build valid ones).
    """

    value: float | None
    qualifier: Qualifier | None = None
    uncertainty: float | None = None

    def __post_init__(self) -> None:
        if (self.value is None) != (self.qualifier is Qualifier.NOT_DETECTED):
            raise ValueError("a lab value has no number exactly when it is not detected")
        for number in (self.value, self.uncertainty):
            if number is not None and (isinstance(number, bool) or not math.isfinite(number)):
                raise ValueError(f"not a finite number: {number!r}")
        if self.uncertainty is not None:
            if self.qualifier is not None:
                raise ValueError("only a plain value has an uncertainty")
            if not self.uncertainty >= 0:
                raise ValueError("an uncertainty is zero or positive")
        # Normalise ints and -0.0 so equal values compare, hash and store alike.
        if self.value is not None:
            object.__setattr__(self, "value", float(self.value) + 0.0)
        if self.uncertainty is not None:
            object.__setattr__(self, "uncertainty", float(self.uncertainty) + 0.0)

    @property
    def detected(self) -> bool:
        return self.qualifier is not Qualifier.NOT_DETECTED

    def columns(self) -> tuple[float | None, str | None, float | None]:
        """``(value, qualifier, uncertainty)`` as stored in ``measurement`` (and export tables)."""
        code = None if self.qualifier is None else self.qualifier.value
        return self.value, code, self.uncertainty

    @classmethod
    def from_columns(
        cls, value: float | None, qualifier: str | None, uncertainty: float | None
    ) -> LabValue:
        """The value stored in a row; ``ValueError`` if the row breaks the rules (see ``CHECKS``)."""
        return cls(value, None if qualifier is None else Qualifier(qualifier), uncertainty)


#: The storage rules as SQLite CHECK expressions for release 2.2's ``measurement`` table. ``IS``,
#: not ``=``: a CHECK passes when its expression is NULL, so ``value IS NOT NULL OR qualifier =
#: 'nd'`` would let a row with neither a value nor a qualifier through.
CHECKS = {
    "qualifier_code": "qualifier IS NULL OR qualifier IN ('<', '>', '~', 'nd')",
    "value_unless_nd": "(value IS NULL) = (qualifier IS 'nd')",
    "uncertainty_plain": (
        "uncertainty IS NULL OR (uncertainty >= 0 AND qualifier IS NULL AND value IS NOT NULL)"
    ),
}


class InvalidLabValue(InvalidInput):
    """Text that is not a lab value; ``reason`` is the sentence (also under ``problems[field]``)."""

    def __init__(self, reason: str, field: str = "value") -> None:
        super().__init__({field: reason})
        self.reason = reason
        self.field = field


# ---------------------------------------------------------------------------------------------
# Parsing

_ND_WORDS = frozenset({"nd", "n.d.", "n.d", "n. d.", "not detected"})
# Escapes, not the characters: several look exactly like ASCII ones in an editor.
_ALMOST_EQUAL, _TILDE_OPERATOR = "\u2248", "\u223c"  # from word processors and lab reports
_QUALIFIERS = {
    "<": Qualifier.BELOW,
    ">": Qualifier.ABOVE,
    "~": Qualifier.APPROXIMATE,
    _ALMOST_EQUAL: Qualifier.APPROXIMATE,
    _TILDE_OPERATOR: Qualifier.APPROXIMATE,
}
_QUALIFIER_CHARS = "".join(_QUALIFIERS)
_PLUS_MINUS = ("\u00b1", "+/-", "+-")
# MINUS SIGN and SMALL HYPHEN-MINUS, which spreadsheets and typesetting paste.
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\ufe63": "-"})

# After normalising: optional qualifier, the number, optional "± number". The number is any run
# of non-space text so each way it can be wrong gets its own sentence (see _number).
_SHAPE = re.compile(
    rf"(?P<qualifier>[{_QUALIFIER_CHARS}])?[ ]?(?P<value>[^ \u00b1]+?)"
    r"(?:[ ]?(?P<pm>\u00b1|\+/-|\+-)[ ]?(?P<unc>[^ ]+))?"
)
_ASCII_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# Digits grouped by threes with a mark: "1,234" (ambiguous) and "1,234,567" (two or more
# groups: a thousands separator whatever the decimal mark).
_GROUPS = {mark: re.compile(rf"[+-]?[0-9]{{1,3}}(?:\{mark}[0-9]{{3}})+") for mark in ".,"}
_MANY_GROUPS = {mark: re.compile(rf"[+-]?[0-9]{{1,3}}(?:\{mark}[0-9]{{3}}){{2,}}") for mark in ".,"}
_NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
# A digit 1-9 before any exponent: "0.0e5" is zero, "1e-400" only rounds to it.
_NONZERO_DIGIT = re.compile(r"^[^eE]*[1-9]")
_LIMIT_NAME = re.compile(r"[<>]\s*[A-Za-z]")
# <=, >=, =<, =>, and the signs LESS-/GREATER-THAN OR EQUAL TO (plain and slanted).
_INCLUSIVE = re.compile(r"(?:<=|>=|=<|=>|[\u2264\u2265\u2a7d\u2a7e])")
_SEPARATORS = "Write numbers without thousands separators, like {example}."
_DIGIT_GROUPS = re.compile(r"[0-9][ '][0-9]{3}(?![0-9])")
# "0.05 mg/L", "7.2pH": a number followed by letters (an exponent's e excepted).
_NUMBER_THEN_WORDS = re.compile(
    rf"[{_QUALIFIER_CHARS}]?[ ]?[+-]?[0-9.,]+(?:[eE][+-]?[0-9]+)? ?(?![eE][+-]?[0-9])[^\W\d_]"
)


def usage(decimal_comma: bool = False) -> str:
    """The sentence that says what a value may look like."""
    if decimal_comma:
        return (
            "Value must be a number like 7,25, optionally with <, >, ~ or ± "
            "(e.g. <0,05, 1,2 ± 0,1), or n.d."
        )
    return (
        "Value must be a number like 7.25, optionally with <, >, ~ or ± "
        "(e.g. <0.05, 1.2 ± 0.1), or n.d."
    )


def _normalise(text: str) -> str:
    """Unicode minus to '-', every run of whitespace (thin, no-break, tabs) to one space."""
    return " ".join(text.translate(_MINUS_SIGNS).split())


def parse_qualifier(text: str | None) -> Qualifier | None:
    """A qualifier column's cell: blank, ``<``, ``>``, ``~``/``≈``, or nd/n.d./not detected."""
    clean = _normalise(text or "")
    if not clean:
        return None
    if clean.lower() in _ND_WORDS:
        return Qualifier.NOT_DETECTED
    if clean in _QUALIFIERS:
        return _QUALIFIERS[clean]
    raise InvalidLabValue(
        f"“{clean}” is not a qualifier: use <, >, ~ or nd (not detected), or leave it empty.",
        "qualifier",
    )


def parse_lab_value(
    value: str | float, *, decimal_comma: bool = False, field: str = "value"
) -> LabValue:
    """What a person typed (or a cell held) as a ``LabValue``; ``InvalidLabValue`` says why not.

    Numbers (a spreadsheet's numeric cells) are taken as they are, if finite.
    """
    if isinstance(value, bool):
        raise InvalidLabValue(usage(decimal_comma), field)
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise InvalidLabValue(_not_finite(str(value)), field)
        return LabValue(float(value))
    if _ASCII_NUMBER.fullmatch(value) and not (decimal_comma and "." in value):
        # A plain number, by far the most common cell of an imported table: what the full
        # parse below gives for it, without its checks (none of which such text can fail,
        # except a number too large or too close to zero to store, left to the full parse).
        number = float(value)
        if math.isfinite(number) and (number != 0 or not _NONZERO_DIGIT.search(value)):
            return LabValue(number + 0.0)
    text = _normalise(value)
    if not text:
        raise InvalidLabValue(
            "Enter a value, like 7.25, <0.05 or n.d."
            if not decimal_comma
            else "Enter a value, like 7,25, <0,05 or n.d.",
            field,
        )
    if text.lower() in _ND_WORDS:
        return LabValue(None, Qualifier.NOT_DETECTED)
    _refuse_known_forms(text, decimal_comma, field)
    match = _SHAPE.fullmatch(text)
    if match is None:
        raise InvalidLabValue(usage(decimal_comma), field)
    qualifier = None if match["qualifier"] is None else _QUALIFIERS[match["qualifier"]]
    number = _number(match["value"], decimal_comma, field)
    if match["pm"] is None:
        return LabValue(number, qualifier)
    if qualifier is Qualifier.APPROXIMATE:
        raise InvalidLabValue(
            "Use either ~ or ± (e.g. ~3 or 3 ± 0.5): both say how exact the value is.", field
        )
    if qualifier is not None:
        raise InvalidLabValue(
            f"A value {'below' if qualifier is Qualifier.BELOW else 'above'} a limit has no ± "
            "uncertainty: write the limit alone, like <0.05.",
            field,
        )
    uncertainty = _number(match["unc"], decimal_comma, field)
    if uncertainty < 0:
        raise InvalidLabValue(
            "The uncertainty after ± must be zero or positive, like 1.2 ± 0.1.", field
        )
    return LabValue(number, None, uncertainty)


def _refuse_known_forms(text: str, decimal_comma: bool, field: str) -> None:
    """Sentences for the mistakes people actually make, before the generic one."""
    inclusive = _INCLUSIVE.match(text)
    if inclusive:
        sign = "<" if "<" in inclusive[0] or inclusive[0] in "\u2264\u2a7d" else ">"
        rest = text[inclusive.end() :].strip()
        raise InvalidLabValue(
            f"Samplebook records limits with < or > only: write {sign}{rest} rather than {text}.",
            field,
        )
    if _LIMIT_NAME.match(text):
        raise InvalidLabValue(
            f"“{text}” names a limit without its value: enter the limit as a number, "
            "like <0.05, or n.d. if nothing was detected.",
            field,
        )
    if _DIGIT_GROUPS.search(text):
        raise InvalidLabValue(
            _SEPARATORS.format(example="1234,5" if decimal_comma else "1234.5"), field
        )
    if _NUMBER_THEN_WORDS.match(text) and not any(pm in text for pm in _PLUS_MINUS):
        raise InvalidLabValue(
            f"“{text}” is more than a value: enter only the number here "
            "(the unit has its own field).",
            field,
        )


def _not_finite(token: str) -> str:
    return f"“{token}” is not a number a measurement can have: enter a number, or n.d."


def _number(token: str, decimal_comma: bool, field: str) -> float:
    """One number of a value, with the decimal mark the caller declared."""
    if _NOT_FINITE.fullmatch(token):
        raise InvalidLabValue(_not_finite(token), field)
    if "_" in token:
        raise InvalidLabValue(f"Write numbers without “_”, like 1000 rather than {token}.", field)
    if any(not char.isascii() and unicodedata.category(char) == "Nd" for char in token):
        raise InvalidLabValue(
            f"“{token}” uses digits other than 0 to 9: type the number with 0 to 9.", field
        )
    point, comma = (",", ".") if decimal_comma else (".", ",")
    if ("." in token and "," in token) or any(
        groups.fullmatch(token) for groups in _MANY_GROUPS.values()
    ):
        # 1,234.5 / 1.234,5 / 1.234.567: thousands separators, whichever mark is decimal.
        raise InvalidLabValue(_SEPARATORS.format(example=f"1234{point}5"), field)
    if token.count(comma) == 1:
        grouped = _GROUPS[comma]
        if decimal_comma:
            hint = f"write {token.replace('.', ',')}"
            if grouped.fullmatch(token):
                hint = f"write {token.replace('.', '')} or {token.replace('.', ',')}"
            raise InvalidLabValue(
                f"“{token}” has a point, but decimal commas are in use: {hint}.", field
            )
        if grouped.fullmatch(token):
            raise InvalidLabValue(
                f"“{token}” is ambiguous: is the comma a thousands separator or a decimal "
                f"comma? Write {token.replace(',', '')} or {token.replace(',', '.')}, "
                "or choose decimal commas.",
                field,
            )
        raise InvalidLabValue(
            f"“{token}” has a decimal comma: write {token.replace(',', '.')}, "
            "or choose decimal commas.",
            field,
        )
    if decimal_comma:
        token = token.replace(",", ".")
    if not _ASCII_NUMBER.fullmatch(token):
        raise InvalidLabValue(usage(decimal_comma), field)
    number = float(token)
    if not math.isfinite(number):
        raise InvalidLabValue(f"“{token}” is too large to store.", field)
    if number == 0 and any(char in "123456789" for char in token.lower().partition("e")[0]):
        raise InvalidLabValue(f"“{token}” is too close to zero to store.", field)
    return number + 0.0  # -0.0 → 0.0


def lab_value_from_columns(
    value: str | float | None,
    qualifier: str | None = None,
    uncertainty: str | float | None = None,
    *,
    decimal_comma: bool = False,
) -> LabValue:
    """An imported row's value, qualifier and uncertainty cells as one ``LabValue``.

    The value cell may carry its own qualifier and ± (``<0.05``, ``1.2 ± 0.1``); a separate
    column saying the same is fine, one saying something else is refused (never pick one).
    """
    code = parse_qualifier(qualifier)
    text = "" if value is None else value
    blank = isinstance(text, str) and not _normalise(text)
    if blank:
        if code is Qualifier.NOT_DETECTED:
            parsed = LabValue(None, Qualifier.NOT_DETECTED)
        else:
            raise InvalidLabValue(
                "Enter a value, like 7.25, <0.05 or n.d."
                if not decimal_comma
                else "Enter a value, like 7,25, <0,05 or n.d."
            )
    else:
        parsed = parse_lab_value(text, decimal_comma=decimal_comma)
    if code is not None and parsed.qualifier is None:
        if code is Qualifier.NOT_DETECTED:
            raise InvalidLabValue(
                "A value that was not detected has no number: leave the value empty, "
                "or write the limit with < (like <0.05).",
                "qualifier",
            )
        parsed = _with_qualifier(parsed, code)
    elif code is not None and code is not parsed.qualifier:
        raise InvalidLabValue(
            f"The qualifier “{code.value}” contradicts the value “{_text_of(value)}”.",
            "qualifier",
        )
    unc = _uncertainty_cell(uncertainty, decimal_comma)
    if unc is None:
        return parsed
    if parsed.uncertainty is not None:
        if parsed.uncertainty != unc:
            raise InvalidLabValue(
                f"The uncertainty {format_number(unc, decimal_comma=decimal_comma)} contradicts "
                f"the value “{_text_of(value)}”.",
                "uncertainty",
            )
        return parsed
    if parsed.qualifier is not None:
        raise InvalidLabValue(
            "Only a plain value has an uncertainty: a limit, an approximate or a not-detected "
            "value has none.",
            "uncertainty",
        )
    return LabValue(parsed.value, None, unc)


def _with_qualifier(parsed: LabValue, code: Qualifier) -> LabValue:
    if parsed.uncertainty is not None:
        raise InvalidLabValue(
            "Only a plain value has an uncertainty: a limit or an approximate value has none.",
            "qualifier",
        )
    return LabValue(parsed.value, code)


def _text_of(value: str | float | None) -> str:
    return _normalise(value) if isinstance(value, str) else str(value)


def _uncertainty_cell(cell: str | float | None, decimal_comma: bool) -> float | None:
    if cell is None or (isinstance(cell, str) and not _normalise(cell)):
        return None
    if isinstance(cell, bool):
        raise InvalidLabValue("The uncertainty must be a number, like 0.1.", "uncertainty")
    if isinstance(cell, int | float):
        if not math.isfinite(cell):
            raise InvalidLabValue(_not_finite(str(cell)), "uncertainty")
        number = float(cell) + 0.0
    else:
        text = _normalise(cell)
        if text.startswith("±"):
            text = text[1:].strip()
        number = _number(text, decimal_comma, "uncertainty")
    if number < 0:
        raise InvalidLabValue("The uncertainty must be zero or positive, like 0.1.", "uncertainty")
    return number


# ---------------------------------------------------------------------------------------------
# Formatting


def format_number(number: float, *, decimal_comma: bool = False) -> str:
    """The shortest text that parses back to exactly ``number`` (``repr``), tidied for people.

    ``100.0`` → ``100``, ``1e-05`` → ``1e-5``, ``1.5e+20`` → ``1.5e20``.
    """
    text = repr(float(number) + 0.0)
    mantissa, _, exponent = text.partition("e")
    if mantissa.endswith(".0"):
        mantissa = mantissa[:-2]
    if exponent:
        sign = "-" if exponent.startswith("-") else ""
        mantissa = f"{mantissa}e{sign}{exponent.lstrip('+-').lstrip('0') or '0'}"
    return mantissa.replace(".", ",") if decimal_comma else mantissa


def format_lab_value(lab_value: LabValue, *, decimal_comma: bool = False) -> str:
    """``<0.05``, ``>100``, ``~3``, ``1.2 ± 0.1``, ``n.d.``: what the table shows and copies."""
    if lab_value.value is None:
        return "n.d."
    text = format_number(lab_value.value, decimal_comma=decimal_comma)
    if lab_value.qualifier is not None:
        return f"{lab_value.qualifier.value}{text}"
    if lab_value.uncertainty is not None:
        return f"{text} ± {format_number(lab_value.uncertainty, decimal_comma=decimal_comma)}"
    return text
