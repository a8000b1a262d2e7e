#!/usr/bin/env python3
"""check_man.py MAN_PAGE < `sp __commands`: names every registered command and
flag the man page does not document, and every long flag it gives a
registered command that the command does not take; exits 1 when there is any.

A command is documented by a `.SS` heading such as
`.SS "sp job show JOB | history JOB"` (alternatives after ` | ` share the
group of the first), its flags by appearing in the text under that heading;
global flags by appearing under GLOBAL OPTIONS. -h/--help is described once.
"""
import itertools
import re
import sys

ALWAYS = {"-h", "--help"}


def plain(roff):
    text = roff.replace("\\-", "-").replace("\\(aq", "'")
    text = re.sub(r"\\f[BIRP]", "", text)
    return text


def sections(lines):
    """(heading kind, heading text, body text) for each .SH/.SS."""
    current = None
    for line in lines:
        match = re.match(r'^\.(SH|SS)\s+"?(.*?)"?\s*$', line)
        if match:
            if current:
                yield current
            current = [match.group(1), plain(match.group(2)), ""]
        elif current:
            current[2] += plain(line) + "\n"
    if current:
        yield current


def commands_of(heading):
    """The command paths a .SS heading documents."""
    alternatives = heading.split(" | ")
    first = list(itertools.takewhile(lambda w: re.fullmatch(r"[a-z][a-z-]*", w), alternatives[0].split()))
    if not first or first[0] != "sp":
        return []
    paths = [" ".join(first[1:])]
    group = first[1:-1]
    for alternative in alternatives[1:]:
        words = alternative.split()
        if words and re.fullmatch(r"[a-z][a-z-]*", words[0]):
            paths.append(" ".join(group + [words[0]]))
    return paths


def main():
    global LINES
    LINES = sys.stdin.read().splitlines()
    with open(sys.argv[1], encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    documented = {}  # command path -> text of its section(s)
    shared = []  # (the paths one heading documents, its text)
    global_text = ""
    for kind, heading, body in sections(lines):
        if kind == "SH" and heading == "GLOBAL OPTIONS":
            global_text = body
        if kind == "SS":
            paths = commands_of(heading)
            shared.append((paths, heading + "\n" + body))
            for path in paths:
                documented[path] = documented.get(path, "") + heading + "\n" + body
    missing = []
    registered = {}  # command path -> its flags
    for line in LINES:
        words = line.split()
        if words and words[-1].startswith("-"):
            registered.setdefault(" ".join(words[:-1]), set()).add(words[-1])
        else:
            registered.setdefault(" ".join(words), set())
    # A long flag the page gives a registered command that it does not take:
    # a renamed or removed flag leaves no stale line behind.
    for paths, text in shared:
        known = [path for path in paths if path in registered]
        if not known:
            continue  # documented ahead of its code
        allowed = set().union(*(registered[path] for path in known)) | registered.get("", set())
        for flag in sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text))):
            if flag not in allowed:
                where = " | ".join(known)
                missing.append(f"man page names {flag} under `sp {where}`, which takes no such flag")
    for line in LINES:
        words = line.split()
        if words and words[-1].startswith("-"):
            flag, path = words[-1], " ".join(words[:-1])
            if flag in ALWAYS:
                continue
            text = global_text if path == "" else documented.get(path)
            if text is None:
                continue  # the command itself is reported below
            if not re.search(r"(?<![\w-])" + re.escape(flag) + r"(?![\w-])", text):
                missing.append(f"man page lacks flag {flag} of `sp {path}`".replace("`sp `", "`sp`"))
        elif words:
            path = " ".join(words)
            is_group = any(p.startswith(path + " ") for p in documented)
            if path not in documented and not is_group:
                missing.append(f"man page lacks command `sp {path}`")
    for item in missing:
        print(item)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
