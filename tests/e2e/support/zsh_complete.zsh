#!/usr/bin/env zsh
# zsh_complete.zsh FPATH_DIR 'LINE': the completions zsh offers for LINE (the
# cursor at its end), one a line. Runs a real interactive zsh in a pseudo
# terminal with compinit and FPATH_DIR on fpath, presses TAB, and captures
# what the completion system passes to compadd.
zmodload zsh/zpty || exit 77
fpath_dir=$1 line=$2
init=$(mktemp)
trap 'rm -f $init; zpty -d z 2>/dev/null' EXIT
cat >$init <<INIT
PROMPT=
fpath=($fpath_dir \$fpath)
autoload -U compinit && compinit -u -D
bindkey '^M' undefined
bindkey '^J' undefined
bindkey '^I' complete-word
null-line() { echo -E - \$'\\0' }
compprefuncs=(null-line)
comppostfuncs=(null-line exit)
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
compadd() {
  # Calls that only collect matches into arrays go to the builtin unchanged.
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "\$@"
    return \$?
  fi
  typeset -a __hits
  builtin compadd -A __hits "\$@"
  local hit
  for hit in \$__hits; do echo -E - "\$hit"; done
}
INIT
zpty z zsh -f -i
zpty -w z "source $init"
zpty -w z "$line"$'\t'
# Output between the two NUL lines is the list of matches.
integer seen=0
local chunk
while zpty -r z chunk; do
  [[ $chunk == *$'\0'* ]] && (( seen++ ))
  (( seen == 2 )) && break
  (( seen == 1 )) && [[ $chunk != *$'\0'* ]] && print -rn -- "${chunk//$'\r'/}"
done
