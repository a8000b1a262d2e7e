# bash completion for sp. Thin on purpose: `sp __complete WORDS...` walks
# sp's own command tree and database, so this file never falls behind.
# Lines it prints are `word<TAB>help`, then `:files` or `:dirs` when paths fit.

_sp() {
  local cur cword
  local -a words
  if declare -F _get_comp_words_by_ref >/dev/null; then
    # Keep --flag=value and host:port as one word, as sp sees them.
    _get_comp_words_by_ref -n =: cur words cword
  else
    # COMP_WORDS splits at '=' and ':'; split the line at blanks instead.
    local line=${COMP_LINE:0:COMP_POINT}
    read -ra words <<<"$line"
    [[ -z $line || $line == *[[:space:]] ]] && words+=("")
    cword=$((${#words[@]} - 1))
    cur=${words[cword]}
  fi

  local output
  output=$("${words[0]}" __complete "${words[@]:1:cword-1}" "$cur" 2>/dev/null) || return 0

  # Readline replaces only what follows the last '=' or ':' of the word.
  local lead=""
  [[ $cur == *[=:]* ]] && lead=${cur%"${cur##*[=:]}"}

  COMPREPLY=()
  local line word
  while IFS= read -r line; do
    case $line in
    :files)
      compopt -o filenames 2>/dev/null
      COMPREPLY+=($(compgen -f -- "$cur"))
      ;;
    :dirs)
      compopt -o filenames 2>/dev/null
      COMPREPLY+=($(compgen -d -- "$cur"))
      ;;
    ?*)
      word=${line%%$'\t'*}
      COMPREPLY+=("${word#"$lead"}")
      ;;
    esac
  done <<<"$output"
}

complete -F _sp sp
