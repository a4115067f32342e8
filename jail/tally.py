#!/usr/bin/env python3
"""Tally an order list: one NAME,QTY,PRICE record per line on stdin.

The legacy tool: prints one line per item (sorted by name, or by total with
`--sort total`), then the grand total. `--top N` keeps the first N items,
`-q` prints the total only. Names may hold commas: QTY and PRICE are the last
two fields. Money is rounded half up to cents, per line.
"""
import re
import sys
from decimal import ROUND_HALF_UP, Decimal

QTY = re.compile(r"[0-9]+\Z")
PRICE = re.compile(r"[0-9]+(\.[0-9]+)?\Z")
CENT = Decimal("0.01")


def fail(message):
    sys.stderr.write("tally: " + message + "\n")
    sys.exit(2)


def options(argv):
    sort_by, top, quiet = "name", None, False
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--sort":
            if i + 1 >= len(argv) or argv[i + 1] not in ("name", "total"):
                fail("--sort takes name or total")
            sort_by = argv[i + 1]
            i += 2
        elif arg == "--top":
            if i + 1 >= len(argv) or not QTY.match(argv[i + 1]):
                fail("--top takes a number")
            top = int(argv[i + 1])
            i += 2
        elif arg == "-q":
            quiet = True
            i += 1
        else:
            fail("unknown option " + arg)
    return sort_by, top, quiet


def records(text):
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r")
        if line.strip(" \t") == "":
            continue
        fields = line.rsplit(",", 2)
        if len(fields) != 3 or not QTY.match(fields[1]) or not PRICE.match(fields[2]):
            sys.stderr.write("tally: line %d: not NAME,QTY,PRICE\n" % number)
            continue
        name, qty, price = fields
        total = (int(qty) * Decimal(price)).quantize(CENT, rounding=ROUND_HALF_UP)
        yield name, qty, price, total


def main():
    sort_by, top, quiet = options(sys.argv[1:])
    text = sys.stdin.buffer.read().decode("latin-1")
    items = list(records(text))
    if sort_by == "total":
        items.sort(key=lambda item: (-item[3], item[0]))
    else:
        items.sort(key=lambda item: item[0])
    if top is not None:
        items = items[:top]
    out = []
    if not items:
        out.append("no items\n")
    else:
        if not quiet:
            for name, qty, price, total in items:
                out.append("%-12s %4s x %8s = %9s\n" % (name, qty, price, total))
        out.append("total: %s\n" % sum((item[3] for item in items), Decimal("0.00")))
    sys.stdout.buffer.write("".join(out).encode("latin-1"))


main()
