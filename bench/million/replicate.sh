#!/bin/sh
# replicate.sh DB COPIES: makes a generated OneWindow SQLite database COPIES
# times as large by copying its cases (with their events, documents, ledger
# rows, timed steps, holding time and folded records) COPIES-1 times under
# new ids and numbers, and multiplying the rollup counts by COPIES (every
# copy falls on the same days under the same groupings, so the counts are
# exactly those COPIES times the cases would have written). The copies'
# event hash chains do not verify (the number is part of each hash) and
# ratings are not copied. With FULL=1 the events, documents and holding
# rows are copied too; without it (the default, several times faster on a
# busy machine) only what the figures and the case ledger read: cases,
# case_ledger, sv_cases, sv_steps and sv_rollup. Measurement tooling for the 1,000,000-case
# figures (bench/million/README.md), not part of the product.
set -eu
db=$1
copies=$2
off=10000000 # case and document id offset per copy
full="--" # comments the full copy's statements out
[ "${FULL:-}" = 1 ] && full=""

cols() { sqlite3 "$db" "SELECT group_concat(name, ', ') FROM pragma_table_info('$1')"; }
# the SELECT list of table $1 with the expressions in $2 (name=expr;...) replacing columns
select_list() {
	sqlite3 "$db" "SELECT group_concat(name, ', ') FROM pragma_table_info('$1')" | tr ',' '\n' | sed 's/^ //' |
		while read -r c; do
			e=$(printf '%s\n' "$2" | tr ';' '\n' | sed -n "s/^$c=//p")
			if [ -n "$e" ]; then printf '%s, ' "$e"; else printf '%s, ' "$c"; fi
		done | sed 's/, $//'
}

max=$(sqlite3 "$db" "SELECT MAX(id) FROM cases")
maxdoc=$(sqlite3 "$db" "SELECT MAX(id) FROM case_documents")
[ "$max" -lt $off ] && [ "$maxdoc" -lt $off ] || { echo "ids too large for the offset"; exit 1; }
num="substr(number, 1, 8) || printf('%06d', K * 100000 + CAST(substr(number, 9) AS INTEGER))"
k=1
while [ $k -lt "$copies" ]; do
	echo "copy $k: $(date +%T)"
	n=$(echo "$num" | sed "s/K/$k/")
	sqlite3 "$db" <<SQL
PRAGMA synchronous = OFF;
PRAGMA cache_size = -400000;
BEGIN;
INSERT INTO cases ($(cols cases)) SELECT $(select_list cases "id=id + $k * $off;number=$n") FROM cases WHERE id <= $max;
$full INSERT INTO case_events ($(cols case_events)) SELECT $(select_list case_events "case_id=case_id + $k * $off") FROM case_events WHERE case_id <= $max;
INSERT INTO case_ledger ($(cols case_ledger)) SELECT $(select_list case_ledger "case_id=case_id + $k * $off") FROM case_ledger WHERE case_id <= $max;
$full INSERT INTO case_documents ($(cols case_documents)) SELECT $(select_list case_documents "id=id + $k * $off;case_id=case_id + $k * $off;number=CASE WHEN number IS NULL THEN NULL ELSE number || '-$k' END") FROM case_documents WHERE id <= $maxdoc;
INSERT INTO sv_cases ($(cols sv_cases)) SELECT $(select_list sv_cases "case_id=case_id + $k * $off;number=$n") FROM sv_cases WHERE case_id <= $max;
INSERT INTO sv_steps ($(cols sv_steps)) SELECT $(select_list sv_steps "case_id=case_id + $k * $off;number=$n") FROM sv_steps WHERE case_id <= $max;
$full INSERT INTO sv_hold ($(cols sv_hold)) SELECT $(select_list sv_hold "case_id=case_id + $k * $off;number=$n") FROM sv_hold WHERE case_id <= $max;
COMMIT;
SQL
	k=$((k + 1))
done
sqlite3 "$db" "UPDATE sv_rollup SET n = n * $copies; PRAGMA optimize;"
echo "done: $(date +%T)"; sqlite3 "$db" "SELECT COUNT(*) FROM cases; SELECT COUNT(*) FROM case_events;"
