"""Shapes of APEC identifiers: publication numbers, ISBNs, project numbers.

The Secretariat assigns publication numbers; we only check their shape
(``APEC#219-CT-01.12``: 2 + two-digit year, forum code, type, running number) and
accept "to be provided" until then. We never invent one.
"""

from __future__ import annotations

import re

PUBLICATION_NUMBER = re.compile(r"^APEC#2(\d\d)-([A-Z]{2})-(\d\d)\.(\d+)$")
TO_BE_PROVIDED = re.compile(r"^(APEC#)?\[?to be provided\]?$", re.IGNORECASE)
PROJECT_NUMBER = re.compile(r"^[A-Z]{2,6} \d{2} \d{4}[A-Z]?$")


def publication_number_problem(value: str, year: int | None = None) -> str | None:
    """Why ``value`` is not a publication number, or None when it is fine."""
    value = value.strip()
    if TO_BE_PROVIDED.match(value):
        return None
    match = PUBLICATION_NUMBER.match(value)
    if not match:
        return (f"publication number '{value}' does not have the shape APEC#2YY-CC-TT.N "
                "(e.g. APEC#219-CT-01.12)")
    if year is not None and int(match.group(1)) != year % 100:
        return (f"publication number '{value}' says 20{match.group(1)} but the publication "
                f"year is {year}")
    return None


def isbn13_problem(value: str) -> str | None:
    """Why ``value`` is not a valid ISBN-13 (check digit included), or None."""
    digits = re.sub(r"[\s-]", "", value.removeprefix("ISBN").removeprefix(":").strip())
    if not re.fullmatch(r"97[89]\d{10}", digits):
        return f"ISBN '{value}' is not 13 digits starting 978 or 979"
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
    check = (10 - total % 10) % 10
    if check != int(digits[12]):
        return f"ISBN '{value}' has check digit {digits[12]}, expected {check}"
    return None


def project_number_problem(value: str) -> str | None:
    if PROJECT_NUMBER.match(value.strip()):
        return None
    return f"project number '{value}' does not have the shape 'ECSG 02 2018' (forum, number, year)"
