#!/usr/bin/env bash
# bash_complete.sh SCRIPT [--bare] LINE...: loads the completion SCRIPT in
# bash (after bash-completion's own library unless --bare) and, for each LINE
# with the cursor at its end, prints "== LINE" and then COMPREPLY, one a line.
script=$1
shift
if [ "${1:-}" = --bare ]; then
  shift
else
  source /usr/share/bash-completion/bash_completion || exit 1
fi
source "$script" || exit 1
spec=$(complete -p sp) || exit 1
function=$(sed -n 's/.*-F \([^ ]*\) .*/\1/p' <<<"$spec")

for line in "$@"; do
  # As readline sets them: the whole line, the cursor, and the words.
  COMP_LINE=$line
  COMP_POINT=${#line}
  # readline also ends words at '=' and ':', which become words of their own.
  spaced=${line//=/ = }
  spaced=${spaced//:/ : }
  read -ra COMP_WORDS <<<"$spaced"
  [[ $line == *[\ =:] ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  "$function" sp "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  echo "== $line"
  ((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}"
done
exit 0
