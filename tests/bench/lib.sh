# Helpers the benchmarks share, sourced after they set $sp_bin.
# Times are integer milliseconds; medians of an even count are the mean of the middle two.
sp() { "$sp_bin" -q "$@"; }
now() { date +%s%N; }
elapsed_ms() { echo $((($(now) - $1) / 1000000)); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
# field EXPR: a Python subscript of the JSON on stdin, e.g. field "['savepoint']".
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
