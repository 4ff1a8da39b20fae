#!/usr/bin/env bash
# Regenerates the real-tool corpus (logs/, green/, manifest.tsv) by running real
# compilers, test runners, linters and runtimes on small broken and working
# projects. Run by hand, as root, on Debian 12 (it mounts a 1 MB tmpfs for the
# disk-full case and runs some cases as `nobody` for permission errors). Not part
# of `make test`: the generated files are committed.
#
#   bash tests/data/realtools/generate.sh            # everything
#   bash tests/data/realtools/generate.sh --only go- # cases whose name contains go-
#
# Debian packages it needs (not in scripts/install-deps.sh on purpose):
PKGS="gcc g++ clang clang-format cmake make pkg-config cppcheck python3 python3-pytest
python3-pytest-timeout python3-yaml flake8 pylint black mypy nodejs npm
openjdk-17-jdk-headless junit4 shellcheck curl wget git golang-go ruby ruby-rspec
ruby-minitest ruby-bundler rubocop php-cli phpunit perl libperl-critic-perl erlang-nox
erlang-dev erlang-eunit elixir ghc lua5.4 yamllint codespell
gfortran gnat fp-compiler fp-units-fcl mono-mcs mono-runtime sbcl guile-3.0 tcl nim
r-base-core r-cran-testthat r-cran-lintr scala gdc swi-prolog-nox valac lua-check
php-codesniffer composer hlint cabal-install perltidy tidy chktex libxml2-utils sqlfluff
puppet-lint crystal chicken-bin elm-compiler rebar3"
# the coverage round's cases (gen/cases_cov.py) list theirs there
PKGS="$PKGS $(/usr/bin/python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import cases_cov; print(cases_cov.PKGS)' "$(cd "$(dirname "$0")" && pwd)/gen")"
# plus Rust (cargo, clippy, rustfmt: rustup's default toolchain) and, from npm,
# eslint 8.57.0, prettier 3.3.3, typescript 5.6.3 and markdownlint-cli 0.41.0 (installed below into
# /tmp/realtools-cache/node-tools, never into the project).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "missing Debian packages:$missing" >&2
  echo "install them with: apt-get install -y --no-install-recommends$missing" >&2
  exit 2
fi
for t in cargo cargo-clippy rustfmt; do
  command -v "$t" >/dev/null || [ -x "/root/.cargo/bin/$t" ] || { echo "missing Rust tool: $t" >&2; exit 2; }
done
tools=/tmp/realtools-cache/node-tools
if [ ! -x "$tools/node_modules/.bin/eslint" ] || [ ! -x "$tools/node_modules/.bin/markdownlint" ]; then
  mkdir -p "$tools"
  (cd "$tools" && npm install --no-audit --no-fund eslint@8.57.0 prettier@3.3.3 typescript@5.6.3 markdownlint-cli@0.41.0)
fi
if [ "${1:-}" != "--only" ]; then rm -rf "$here/logs" "$here/green"; fi
exec /usr/bin/python3 "$here/gen/generate.py" "$@"
