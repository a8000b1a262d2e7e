# fish completion for sp. Thin on purpose: `sp __complete WORDS...` walks
# sp's own command tree and database, so this file never falls behind.
# Lines it prints are `word<TAB>help` (fish's own format), then `:files` or
# `:dirs` when paths fit.

function __sp_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    for line in ($tokens[1] __complete $tokens[2..-1] $current 2>/dev/null)
        switch $line
            case :files
                __fish_complete_path $current
            case :dirs
                __fish_complete_directories $current
            case '*'
                printf '%s\n' $line
        end
    end
end

complete -c sp -f -a '(__sp_complete)'
