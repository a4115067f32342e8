#!/bin/sh
# The port of tally.py to POSIX shell and awk: one NAME,QTY,PRICE record per
# line on stdin; one line per item (by name, or by total with `--sort total`),
# then the grand total. `--top N` keeps the first N items, `-q` prints the
# total only.

fail() {
  echo "tally: $1" >&2
  exit 2
}

sort_by=name
top=
quiet=
while [ $# -gt 0 ]; do
  case $1 in
    --sort)
      case ${2-} in name|total) sort_by=$2 ;; *) fail "--sort takes name or total" ;; esac
      shift 2 ;;
    --top)
      case ${2-} in ''|*[!0-9]*) fail "--top takes a number" ;; esac
      top=$2
      shift 2 ;;
    -q)
      quiet=1
      shift ;;
    *)
      fail "unknown option $1" ;;
  esac
done

sep=$(printf '\001')
if [ "$sort_by" = total ]; then
  keys="-k4,4nr -k1,1f"
else
  keys="-k1,1f"
fi

awk -F, -v sep="$sep" '
  { sub(/\r+$/, "") }
  /^[ \t]*$/ { next }
  {
    name = $1; qty = $2; price = $3
    if (NF < 3 || qty !~ /^[0-9]+$/ || price !~ /^[0-9]+(\.[0-9]+)?$/) {
      printf "tally: line %d: not NAME,QTY,PRICE\n", NR > "/dev/stderr"
      next
    }
    printf "%s%s%s%s%s%s%.2f\n", name, sep, qty, sep, price, sep, qty * price
  }
' | sort -s -t "$sep" $keys | {
  if [ -n "$top" ]; then head -n "$top"; else cat; fi
} | awk -F "$sep" -v quiet="$quiet" '
  {
    n++
    sum += $4
    if (!quiet) printf "%-12s %4s x %8s = %9s\n", $1, $2, $3, $4
  }
  END {
    if (n == 0) printf "no items"
    else printf "total: %.2f\n", sum
  }
'
