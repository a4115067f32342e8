#!/bin/sh
# Makes docs/report.png: the invoice demo (jail/report.yaml) copied to a temp dir, two small
# slips made in jail/report.py, `kaizen verify --format html`, and headless Chromium's
# screenshot of the page. Run from the repository root after `cargo build --features cli`.
set -eu
root=$(pwd)
kaizen="$root/target/debug/kaizen"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp -r jail snapshots "$dir/"
# A renamed CSV column (7 cases change the same way) and the 100.00 boundary "fixed" (1 case).
sed -i "s/print('sku,qty,unit_price,line_total')/print('sku,qty,price,line_total')/" "$dir/jail/report.py"
sed -i 's/if subtotal > 100.00:/if subtotal >= 100.00:/' "$dir/jail/report.py"
KAIZEN_UPDATE=no "$kaizen" --root "$dir" verify report --format html > "$dir/report.html" || true
chromium --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
  --user-data-dir="$dir/profile" --window-size=1280,1400 \
  --screenshot="$root/docs/report.png" "file://$dir/report.html"
