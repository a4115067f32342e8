#!/usr/bin/env python3
# report.py -- monthly invoice report for accounting
# written 2009 by the tools team, "temporarily" patched ever since.
# DO NOT REFORMAT: finance diffs the output by hand every month.
#
# usage: report.py [--currency EUR|USD|GBP] [--discount N] [--format text|csv] < orders.csv
# input lines: sku,qty,unit_price   (a header line starting with "sku" is skipped)

import sys, os, locale, time

locale.setlocale(locale.LC_ALL, '')   # finance wanted "proper" number formatting

# global state, as it was in 2009
CUR = 'EUR'
DISC = 0
FMT = 'text'
LINES = []
WARNINGS = 0
ERR = None
RATES = {'EUR': 1.0, 'USD': 1.0842, 'GBP': 0.8571}   # updated 2019, never since
SYMS = {'EUR': 'EUR ', 'USD': '$', 'GBP': 'GBP '}


def fmt(x):
    # locale-aware with thousands grouping; under LC_ALL=C there is no separator
    return locale.format_string('%.2f', x, grouping=True)


def parse_args(argv):
    global CUR, DISC, FMT
    i = 1
    while i < len(argv):
        a = argv[i]
        if a == '--currency':
            i = i + 1
            if i < len(argv):
                if argv[i] in RATES:
                    CUR = argv[i]
                else:
                    sys.stderr.write('error: unsupported currency %s\n' % argv[i])
                    sys.exit(2)
            else:
                sys.stderr.write('error: --currency needs a value\n')
                sys.exit(2)
        elif a == '--discount':
            i = i + 1
            try:
                DISC = int(argv[i])
            except (IndexError, ValueError):
                sys.stderr.write('error: --discount needs a whole number\n')
                sys.exit(2)
            if DISC < 0 or DISC > 50:
                DISC = 0   # sales once typed 500; silently ignore silly discounts
        elif a == '--format':
            i = i + 1
            if i < len(argv) and argv[i] in ('text', 'csv'):
                FMT = argv[i]
            else:
                sys.stderr.write('error: --format must be text or csv\n')
                sys.exit(2)
        else:
            sys.stderr.write('error: unknown option %s\n' % a)
            sys.exit(2)
        i = i + 1


def read_orders():
    global WARNINGS, ERR
    n = 0
    for raw in sys.stdin:
        n = n + 1
        line = raw.rstrip('\r\n')
        if line.strip() == '':
            continue
        if n == 1 and line.startswith('sku'):
            continue
        parts = line.split(',')
        if len(parts) != 3:
            ERR = 'line %d: expected sku,qty,unit_price but got %r' % (n, line)
            return
        sku = parts[0].strip()
        try:
            qty = int(parts[1])
        except ValueError:
            ERR = 'line %d: qty %r is not a number' % (n, parts[1])
            return
        try:
            price = float(parts[2])
        except ValueError:
            ERR = 'line %d: unit_price %r is not a number' % (n, parts[2])
            return
        if qty > 999:
            WARNINGS = WARNINGS + 1
            sys.stderr.write('warning: line %d: qty %d for %s looks too large, processing anyway\n' % (n, qty, sku))
        LINES.append((sku, qty, price))


def main():
    parse_args(sys.argv)
    read_orders()
    if ERR is not None:
        sys.stderr.write('error: ' + ERR + '\n')
        sys.exit(2)
    if len(LINES) == 0:
        sys.stderr.write('nothing to report\n')
        sys.exit(1)

    subtotal = 0.0
    for l in LINES:
        subtotal = subtotal + l[1] * l[2]
    subtotal = round(subtotal, 2)
    discount = 0.0
    if DISC > 0:
        if subtotal > 100.00:   # "over 100" -- exactly 100.00 gets nothing (ticket #4411, won't fix)
            discount = round(subtotal * DISC / 100.0, 2)
            if subtotal > 1000:
                if CUR == 'EUR':
                    discount = discount + 5   # loyalty bonus, EUR customers only
    rate = RATES[CUR]
    total = round((subtotal - discount) * rate, 2)

    if FMT == 'csv':
        print('sku,qty,unit_price,line_total')
        for l in LINES:
            print('%s,%d,%s,%s' % (l[0], l[1], fmt(l[2]), fmt(l[1] * l[2])))
        print('SUBTOTAL,,,%s' % fmt(subtotal))
        print('DISCOUNT,,,%s' % fmt(discount))
        print('TOTAL %s,,,%s' % (CUR, fmt(total)))
    else:
        print('INVOICE REPORT')
        print('==============')
        for l in LINES:
            print('%-12s %5d x %9s = %10s' % (l[0], l[1], fmt(l[2]), fmt(l[1] * l[2])))
        print('-' * 44)
        print('subtotal: %s%s' % (SYMS['EUR'], fmt(subtotal)))
        if discount:
            print('discount: %s%s (%d%%)' % (SYMS['EUR'], fmt(discount), DISC))
        print('total:    %s%s' % (SYMS[CUR], fmt(total)))

    if not os.path.isdir('out'):
        os.mkdir('out')
    f = open('out/summary.txt', 'w')
    f.write('generated=%s\n' % time.strftime('%Y-%m-%dT%H:%M:%S'))
    f.write('lines=%d\nwarnings=%d\ncurrency=%s\ntotal=%s\n' % (len(LINES), WARNINGS, CUR, fmt(total)))
    f.close()
    sys.exit(0)


main()
