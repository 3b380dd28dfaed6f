#!/usr/bin/env bash
# Fails unless every function declared in include/gamecrypt.h is called somewhere in the C tests
# (tests/c/*.c). The list is read from the header at run time, so exports added later (e.g. the
# session API) are checked as soon as they appear in the header.
#
# Comments are stripped from the header and from the tests first: a name mentioned in a doc
# comment is not a declaration, and a name mentioned in a test comment is not a call.
set -euo pipefail
cd "$(dirname "$0")/../.."

header=include/gamecrypt.h
strip_comments() {
    # Removes /* ... */ (also across lines) and // ... comments. String literals in the tests
    # that contain "/*" or "//" would confuse this; the tests have none.
    perl -0777 -pe 's{/\*.*?\*/}{ }gs; s{//[^\n]*}{}g' "$@"
}

# A declaration is a gamecrypt_* identifier followed by "(" outside comments. (Types such as
# gamecrypt_result are never followed by "(", macros are upper case.)
mapfile -t functions < <(strip_comments "$header" | grep -oE '\bgamecrypt_[a-z0-9_]+[[:space:]]*\(' \
    | sed -E 's/[[:space:]]*\($//' | sort -u)
if [ "${#functions[@]}" -eq 0 ]; then
    echo "check_coverage: no functions found in $header" >&2
    exit 1
fi

tests_text=$(strip_comments tests/c/*.c)
missing=()
for f in "${functions[@]}"; do
    if ! grep -qE "\\b${f}[[:space:]]*\\(" <<<"$tests_text"; then
        missing+=("$f")
    fi
done

if [ "${#missing[@]}" -ne 0 ]; then
    echo "check_coverage: ${#missing[@]} of ${#functions[@]} functions in $header are not called by any tests/c/*.c:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    exit 1
fi
echo "check_coverage: all ${#functions[@]} functions in $header are called by the C tests"
