"""Development split, third round (coverage): linters, formatters, static
analysers and documentation checks of the dev ecosystems; uncaught
exceptions, panics and aborts of programs (not test runners) in the dev
ecosystems and in ecosystems that are in no other list (OCaml, Clojure,
Groovy, Kotlin); missing dependencies as compilers and build systems report
them; build-configuration errors (make, CMake, Meson, Ninja, Cargo, tsc,
ESLint). Rules may be written against these logs; none of them comes from
the eval split's ecosystems or tools.

Debian packages beyond generate.sh's first list: PKGS below (generate.sh
checks them too); from npm, markdownlint-cli 0.41.0 (into the same node-tools
cache as eslint)."""
from framework import Case

PKGS = ('shfmt pycodestyle pyflakes3 isort bandit pydocstyle yapf3 python3-restructuredtext-lint cpplint clang-tidy '
        'checkstyle meson ninja-build ocaml-nox clojure groovy kotlin')

C = []
add = C.append

CARGO = '[package]\nname = "geo"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'
PY_MESSY = '''
import os, sys
import json


def load(path):
    unused = 1
    with open(path) as f:
        return json.loads(f.read())+missing_name
'''

# ------------------------------------------------------- Python: linters, formatters, analysers
add(Case('py-pyflakes', 'python', 'pyflakes', 'lint_error', 'python3 -m pyflakes src',
         {'src/loader.py': PY_MESSY}, ci='gha', block=r'\.py:\d+:\d+:', end='$'))
add(Case('py-pycodestyle', 'python', 'pycodestyle', 'lint_error', ['pycodestyle --version', 'pycodestyle --max-line-length=100 src'],
         {'src/loader.py': PY_MESSY}, ci='jenkins', block=r'\.py:\d+:\d+: [EW]\d', end='$'))
add(Case('py-isort-check', 'python', 'isort', 'lint_error', 'isort --check-only --diff src',
         {'src/loader.py': 'import sys\nimport os\nimport json\n\nprint(os, sys, json)\n'}, ci='gitlab'))
add(Case('py-bandit', 'python', 'bandit', 'lint_error', 'bandit -q -r src',
         {'src/run.py': 'import subprocess\n\n\ndef run(cmd):\n    return subprocess.call("sh -c " + cmd, shell=True)\n'},
         ci='travis', block=r'>> Issue:', end=r'^Code scanned'))
add(Case('py-pydocstyle', 'python', 'pydocstyle', 'lint_error', 'pydocstyle src',
         {'src/loader.py': 'def load(path):\n    return open(path).read()\n\n\nclass Store:\n    pass\n'},
         ci='buildkite', block=r'\.py:\d+ ', end='$'))
add(Case('py-yapf-diff', 'python', 'yapf', 'lint_error', 'yapf3 --diff -r src',
         {'src/loader.py': 'def load( path ):\n  return open(path).read()\n'}, ci='gha', block=r'\(original\)', end='$'))
add(Case('py-pylint-score', 'python', 'pylint', 'lint_error', 'pylint --disable=C,R src/cache.py',
         {'src/cache.py': '"""Cache."""\nimport os\n\n\ndef get(key, default=[]):\n    """Get."""\n    value = None\n    try:\n        return default[key]\n    except:\n        return default\n'},
         ci='gitlab', block=r'\*+ Module', end=r'^-{5,}'))
add(Case('py-mypy-strict', 'python', 'mypy', 'lint_error', 'mypy --strict src',
         {'src/prices.py': 'from typing import Optional\n\n\ndef parse(s):\n    return float(s)\n\n\ndef total(xs: list[float]) -> int:\n    return sum(xs)\n\n\nx: Optional[str] = None\nprint(x.upper())\n'},
         ci='travis', block=r'error:', end=r'Found \d+ error'))
add(Case('py-black-check-quiet', 'python', 'black', 'lint_error', 'black --check src',
         {'src/a.py': 'x = {  "a":1 }\n', 'src/b.py': 'y = 2\n'}, ci='buildkite', block=r'would reformat', end=r'would be reformatted'))
add(Case('py-flake8-pylint-format', 'python', 'flake8', 'lint_error', 'flake8 --format=pylint --max-complexity 3 src',
         {'src/route.py': 'def route(a, b, c):\n    if a:\n        if b:\n            if c:\n                return 1\n    return 2\nimport os\n'},
         ci='jenkins', block=r'\.py:\d+:', end='$'))
add(Case('py-rst-lint', 'python', 'rst-lint', 'lint_error', 'rst-lint README.rst docs/usage.rst',
         {'README.rst': 'Widget\n======\n\nSee :unknownrole:`install`.\n',
          'docs/usage.rst': 'Usage\n==\n\nRun it.\n'}, ci='gitlab', block=r'^(?:ERROR|WARNING|INFO|SEVERE) ', end='$'))

# ------------------------------------------------------- shell
SH_MESSY = '#!/bin/bash\nset -e\nif [ -n "$1" ]\nthen\n        echo $1\nfi\nfor f in $(ls *.log); do rm $f; done\n'
add(Case('sh-shfmt-diff', 'shell', 'shfmt', 'lint_error', 'shfmt -d -i 2 scripts',
         {'scripts/clean.sh': SH_MESSY}, ci='gha', block=r'^---', end='$'))
add(Case('sh-shellcheck-gcc', 'shell', 'shellcheck', 'lint_error', 'shellcheck -f gcc scripts/*.sh',
         {'scripts/clean.sh': SH_MESSY}, ci='gitlab', block=r'\.sh:\d+:\d+:', end='$'))
add(Case('sh-shellcheck-parse', 'shell', 'shellcheck', 'lint_error', 'shellcheck scripts/release.sh',
         {'scripts/release.sh': '#!/bin/sh\nif [ "$1" = "x" ]; then\n  echo yes\nelse\n  echo no\n'},
         ci='jenkins', block=r'^In scripts/release.sh line', end='$'))

# ------------------------------------------------------- C / C++ analysers
add(Case('c-cppcheck-gcc-template', 'c', 'cppcheck', 'lint_error',
         'cppcheck --error-exitcode=2 --template=gcc --enable=warning,style --quiet src',
         {'src/ring.c': '#include <stdlib.h>\nint head(void) {\n  int a[4];\n  a[4] = 1;\n  return a[0];\n}\nint *mk(void) { int *p = malloc(4); return 0; }\n'},
         ci='travis', block=r'\.c:\d+:\d+:', end='$'))
add(Case('cpp-clang-tidy', 'cpp', 'clang-tidy', 'lint_error',
         "clang-tidy --quiet -warnings-as-errors='*' -checks='-*,bugprone-*,readability-braces-around-statements' src/parse.cc -- -std=c++17",
         {'src/parse.cc': 'int sign(int x) {\n  if (x < 0)\n    return -1;\n  return 1;\n}\n'},
         ci='gha', block=r'\.cc:\d+:\d+: error', end='$'))
add(Case('cpp-cpplint', 'cpp', 'cpplint', 'lint_error', 'cpplint --quiet src/*.cc',
         {'src/util.cc': 'using namespace std;\nint f(int x){return x;}\n'}, ci='jenkins',
         block=r'\[\w+/[\w,+-]+\] \[\d\]', end='$'))
add(Case('c-clang-format-dry-run', 'c', 'clang-format', 'lint_error', 'clang-format --dry-run -Werror --style=LLVM src/*.c',
         {'src/io.c': '#include <stdio.h>\nint put(const char*s){ return puts( s ); }\n'}, ci='buildkite',
         block=r'error:', end='$'))

# ------------------------------------------------------- Java
add(Case('java-checkstyle', 'java', 'checkstyle', 'lint_error',
         'checkstyle -c /usr/share/checkstyle/sun_checks.xml src/App.java',
         {'src/App.java': 'public class App {\n  public static void main(String[] args) { int x=1; System.out.println(x); }\n}\n'},
         ci='gitlab', block=r'^\[ERROR\]', end=r'Checkstyle ends'))

# ------------------------------------------------------- Node / TypeScript
ESL = 'eslint --no-eslintrc --env node --parser-options ecmaVersion:2022 --rule "no-unused-vars: error" --rule "no-undef: error" --rule "eqeqeq: error"'
JS_MESSY = 'const unused = 1;\nfunction f(x) { if (x == 1) return missing; return x; }\nmodule.exports = f;\n'
add(Case('node-eslint-unix', 'node', 'eslint', 'lint_error', ESL + ' -f unix src', {'src/a.js': JS_MESSY}, ci='jenkins',
         block=r'src/a\.js:\d+', end=r'problems?'))
add(Case('node-eslint-compact', 'node', 'eslint', 'lint_error', ESL + ' -f compact src', {'src/a.js': JS_MESSY}, ci='buildkite',
         block=r'a\.js: line', end=r'problems?'))
add(Case('node-markdownlint', 'node', 'markdownlint', 'lint_error', 'markdownlint docs',
         {'docs/guide.md': 'Intro text\n# Guide\nSome   text.\n## Steps\n* one\n+ two\n'}, ci='travis',
         block=r'guide\.md:\d+', end='$'))
add(Case('node-tsc-missing-module', 'node', 'tsc', 'dependency_error', 'tsc --noEmit --strict src/server.ts',
         {'src/server.ts': 'import express from "express";\nconst app = express();\napp.listen(3000);\n'},
         ci='gitlab', block=r'TS2307', end=r'TS2307'))
add(Case('node-tsc-bad-option', 'node', 'tsc', 'config_error', 'tsc -p .',
         {'tsconfig.json': '{\n  "compilerOptions": {\n    "strictest": true,\n    "target": "es2022"\n  }\n}\n',
          'src/a.ts': 'export const x = 1;\n'}, ci='jenkins', block=r'TS50\d\d', end=r'TS50\d\d'))
add(Case('node-eslint-no-config', 'node', 'eslint', 'config_error', 'eslint src',
         {'src/a.js': 'module.exports = 1;\n', 'package.json': '{"name": "w", "version": "1.0.0"}\n'}, ci='gha',
         block=r"couldn't find a configuration file", end=r"couldn't find"))
add(Case('node-unhandled-rejection', 'node', 'node', 'crash', 'node migrate.js',
         {'migrate.js': 'async function migrate(v) {\n  console.log("applying migration", v);\n  throw new Error(`migration ${v} failed: column "email" already exists`);\n}\nmigrate("0007");\n'},
         ci='travis', block=r'node:internal|^Error: migration', end=r'^Error: migration'))
add(Case('node-stack-overflow', 'node', 'node', 'crash', 'node tree.js',
         {'tree.js': 'function depth(n) { return n.parent ? 1 + depth(n.parent) : 0; }\nconst a = {}; a.parent = a;\nconsole.log("walking tree");\nconsole.log(depth(a));\n'},
         ci='buildkite', block=r'RangeError', end=r'RangeError'))
add(Case('node-throw-invariant', 'node', 'node', 'crash', 'node queue.js',
         {'queue.js': 'const q = [];\nconsole.log("draining", q.length);\nif (q.length === 0) {\n  throw new Error("invariant violated: queue head is null");\n}\n'},
         ci='gitlab', block=r'queue\.js:\d+', end=r'^Error: invariant'))

# ------------------------------------------------------- Python runtime crashes
add(Case('py-uncaught-valueerror', 'python', 'python3', 'crash', 'python3 import_rates.py',
         {'import_rates.py': 'rows = ["1.5", "2.0", "n/a"]\nprint("importing", len(rows), "rates")\ntotal = sum(float(r) for r in rows)\nprint(total)\n'},
         ci='gha', block=r'Traceback', end=r'ValueError'))
add(Case('py-recursion-error', 'python', 'python3', 'crash', 'python3 walk.py',
         {'walk.py': 'def depth(node):\n    return 1 + depth(node["parent"])\n\nn = {}\nn["parent"] = n\nprint("walking")\nprint(depth(n))\n'},
         ci='jenkins', block=r'Traceback', end=r'RecursionError'))
add(Case('py-chained-custom-error', 'python', 'python3', 'crash', 'python3 settings.py',
         {'settings.py': '''
            class SettingsError(Exception):
                pass

            def port(raw):
                try:
                    return int(raw)
                except ValueError as e:
                    raise SettingsError("PORT must be a number, got %r" % raw) from e

            print("reading settings")
            print(port("eighty"))
            '''}, ci='buildkite', block=r'Traceback', end=r'^(?:__main__\.)?SettingsError'))

# ------------------------------------------------------- Java / JVM runtime crashes
add(Case('java-stack-overflow', 'java', 'java', 'crash', ['javac -d out src/Walk.java', 'java -Xss512k -cp out Walk'],
         {'src/Walk.java': 'public class Walk {\n  static int depth(int n) { return 1 + depth(n + 1); }\n  public static void main(String[] a) {\n    System.out.println("walking");\n    System.out.println(depth(0));\n  }\n}\n'},
         ci='jenkins', block=r'Exception in thread', end=r'at Walk\.depth'))
add(Case('java-caused-by', 'java', 'java', 'crash', ['javac -d out src/Conf.java', 'java -cp out Conf'],
         {'src/Conf.java': '''
            public class Conf {
              static int port(String raw) {
                try { return Integer.parseInt(raw); }
                catch (NumberFormatException e) { throw new IllegalStateException("invalid server.port: " + raw, e); }
              }
              public static void main(String[] a) {
                System.out.println("loading configuration");
                System.out.println(port("80a"));
              }
            }
            '''}, ci='gitlab', block=r'Exception in thread', end=r'^Caused by'))
add(Case('groovy-npe', 'groovy', 'groovy', 'crash', 'groovy deploy.groovy',
         {'deploy.groovy': 'def cfg = [name: "api"]\nprintln "starting ${cfg.name}"\nprintln cfg.listen.port.toInteger()\n'},
         ci='travis', block=r'^Caught:', end=r'at deploy\.run'))
add(Case('groovy-throw', 'groovy', 'groovy', 'crash', 'groovy region.groovy',
         {'region.groovy': 'def region = System.getenv("REGION") ?: "mars-1"\nprintln "deploying to $region"\nif (!(region in ["eu-1", "us-1"])) throw new IllegalArgumentException("unsupported region: $region")\n'},
         ci='gha', block=r'^Caught:', end=r'at region\.run'))
add(Case('groovy-unable-to-resolve', 'groovy', 'groovy', 'dependency_error', 'groovy fmt.groovy',
         {'fmt.groovy': 'import org.apache.commons.lang3.StringUtils\nprintln StringUtils.capitalize("x")\n'},
         ci='buildkite', block=r'startup failed|unable to resolve class', end=r'unable to resolve class'))
add(Case('kotlin-no-such-element', 'kotlin', 'kotlin', 'crash',
         ['kotlinc src/Main.kt -include-runtime -d main.jar 2>/dev/null', 'kotlin -cp main.jar MainKt'],
         {'src/Main.kt': 'fun main() {\n    println("parsing manifest")\n    val items = listOf<String>()\n    println(items.first())\n}\n'},
         ci='gitlab', block=r'Exception in thread', end=r'at MainKt\.main\(Main\.kt'))
add(Case('kotlin-require', 'kotlin', 'kotlin', 'crash',
         ['kotlinc src/Main.kt -include-runtime -d main.jar 2>/dev/null', 'kotlin -cp main.jar MainKt'],
         {'src/Main.kt': 'fun port(raw: String): Int {\n    val p = raw.toInt()\n    require(p in 1..65535) { "port out of range: $p" }\n    return p\n}\n\nfun main() {\n    println("binding")\n    println(port("70000"))\n}\n'},
         ci='jenkins', block=r'Exception in thread', end=r'at MainKt\.main\(Main\.kt'))
add(Case('kotlin-unresolved-import', 'kotlin', 'kotlinc', 'dependency_error', 'kotlinc src/Client.kt -d out',
         {'src/Client.kt': 'import okhttp3.OkHttpClient\n\nfun main() {\n    val c = OkHttpClient()\n    println(c)\n}\n'},
         ci='travis', block=r'unresolved reference: okhttp3', end=r'unresolved reference'))

# ------------------------------------------------------- C / C++ runtime crashes
add(Case('c-double-free', 'c', 'gcc', 'crash', ['gcc -O0 -o cache cache.c', './cache'],
         {'cache.c': '#include <stdio.h>\n#include <stdlib.h>\nint main(void) {\n  char *p = malloc(16);\n  puts("evicting entry");\n  fflush(stdout);\n  free(p);\n  free(p);\n  return 0;\n}\n'},
         ci='gha', block=r'double free', end=r'Aborted|double free'))
add(Case('c-stack-smashing', 'c', 'gcc', 'crash', ['gcc -O0 -fstack-protector-all -o name name.c', './name'],
         {'name.c': '#include <stdio.h>\n#include <string.h>\nint main(void) {\n  char buf[8];\n  puts("copying name");\n  fflush(stdout);\n  strcpy(buf, "a-much-longer-host-name-than-eight");\n  return buf[0] == 0;\n}\n'},
         ci='jenkins', block=r'stack smashing', end=r'Aborted|stack smashing'))
add(Case('c-sigfpe', 'c', 'gcc', 'crash', ['gcc -O0 -o ratio ratio.c', './ratio'],
         {'ratio.c': '#include <stdio.h>\nint main(int argc, char **argv) {\n  int total = 10, n = argc - 1;\n  puts("computing ratio");\n  fflush(stdout);\n  printf("%d\\n", total / n);\n  return 0;\n}\n'},
         ci='gitlab', block=r'Floating point exception'))
add(Case('c-abort-invariant', 'c', 'gcc', 'crash', ['gcc -O0 -o ring ring.c', './ring'],
         {'ring.c': '#include <stdio.h>\n#include <stdlib.h>\nint main(void) {\n  int head = 5, tail = 3;\n  if (head > tail) {\n    fprintf(stderr, "ring.c:5: fatal: ring buffer corrupted (head %d > tail %d)\\n", head, tail);\n    abort();\n  }\n  return 0;\n}\n'},
         ci='buildkite', block=r'ring buffer corrupted', end=r'Aborted|corrupted'))
add(Case('c-ubsan-overflow', 'c', 'gcc', 'crash',
         ['gcc -O0 -fsanitize=undefined -fno-sanitize-recover=all -o sum sum.c', './sum'],
         {'sum.c': '#include <limits.h>\n#include <stdio.h>\nint main(void) {\n  int x = INT_MAX;\n  puts("summing");\n  fflush(stdout);\n  x = x + 1;\n  printf("%d\\n", x);\n  return 0;\n}\n'},
         ci='travis', block=r'runtime error', end=r'runtime error'))
add(Case('cpp-out-of-range', 'cpp', 'g++', 'crash', ['g++ -O0 -o pick pick.cc', './pick'],
         {'pick.cc': '#include <vector>\n#include <cstdio>\nint main() {\n  std::vector<int> v{1, 2, 3};\n  std::puts("picking the fifth element");\n  std::fflush(stdout);\n  return v.at(5);\n}\n'},
         ci='gha', block=r'terminate called', end=r'what\(\)'))

# ------------------------------------------------------- Rust runtime crashes
add(Case('rust-unwrap-err', 'rust', 'cargo run', 'crash', 'cargo run --offline -q',
         {'Cargo.toml': CARGO, 'src/main.rs': 'fn main() {\n    println!("reading port");\n    let port: u16 = "80a".parse().unwrap();\n    println!("{}", port);\n}\n'},
         ci='gitlab', block=r'panicked at', end=r'unwrap|RUST_BACKTRACE'))
add(Case('rust-stack-overflow', 'rust', 'cargo run', 'crash', 'cargo run --offline -q',
         {'Cargo.toml': CARGO, 'src/main.rs': 'fn depth(n: u64) -> u64 { if n == u64::MAX { 0 } else { 1 + depth(n + 1) } }\nfn main() {\n    println!("walking");\n    println!("{}", depth(std::env::args().count() as u64));\n}\n'},
         ci='travis', block=r'overflowed its stack', end=r'fatal runtime error|overflowed'))
add(Case('rust-expect', 'rust', 'cargo run', 'crash', 'cargo run --offline -q',
         {'Cargo.toml': CARGO, 'src/main.rs': 'fn main() {\n    println!("connecting");\n    let url = std::env::var("SENTINEL_DATABASE_URL_UNSET").expect("SENTINEL_DATABASE_URL_UNSET must be set");\n    println!("{}", url);\n}\n'},
         ci='buildkite', block=r'panicked at', end=r'must be set|RUST_BACKTRACE'))

# ------------------------------------------------------- OCaml
add(Case('ocaml-not-found', 'ocaml', 'ocaml', 'crash', ['ocamlfind ocamlopt -version 2>/dev/null || ocamlc -version', 'ocamlc -g -o routes routes.ml', 'OCAMLRUNPARAM=b ./routes'],
         {'routes.ml': 'let tbl : (string, string) Hashtbl.t = Hashtbl.create 8\nlet () = print_endline "loading routes"; print_endline (Hashtbl.find tbl "root")\n'},
         ci='gha', block=r'Fatal error: exception', end=r'Called from|Fatal error'))
add(Case('ocaml-toplevel-failure', 'ocaml', 'ocaml', 'crash', 'ocaml config.ml',
         {'config.ml': 'let () = print_endline "reading config"\nlet port = match Sys.getenv_opt "PORT_UNSET" with Some p -> p | None -> failwith "config: missing key port"\nlet () = print_endline port\n'},
         ci='jenkins', block=r'^Exception:'))
add(Case('ocaml-invalid-argument', 'ocaml', 'ocamlopt', 'crash', ['ocamlopt -o grid grid.ml', './grid'],
         {'grid.ml': 'let () =\n  let a = Array.make 3 0 in\n  print_endline "filling grid";\n  for i = 0 to 3 do a.(i) <- i done;\n  print_int a.(0)\n'},
         ci='gitlab', block=r'Fatal error: exception'))
add(Case('ocaml-unbound-module', 'ocaml', 'ocamlc', 'dependency_error', 'ocamlc -o app app.ml',
         {'app.ml': 'let () = print_endline (Yojson.Safe.to_string (`Assoc []))\n'}, ci='travis',
         block=r'^File "app\.ml"', end=r'Unbound module'))
add(Case('ocaml-type-error', 'ocaml', 'ocamlc', 'compilation_error', 'ocamlc -o app app.ml',
         {'app.ml': 'let greet name = "hello " ^ name\nlet () = print_endline (greet 42)\n'}, ci='buildkite',
         block=r'^File "app\.ml"', end=r'^Error'))

# ------------------------------------------------------- Clojure
add(Case('clojure-divide-by-zero', 'clojure', 'clojure', 'crash', 'clojure ratio.clj',
         {'ratio.clj': '(println "computing ratio")\n(println (/ 10 (count [])))\n'}, ci='gha',
         block=r'Execution error', end=r'Divide by zero'))
add(Case('clojure-ex-info', 'clojure', 'clojure', 'crash', 'clojure config.clj',
         {'config.clj': '(println "validating config")\n(let [port -1]\n  (when (neg? port)\n    (throw (ex-info "invalid config: port must be positive" {:port port}))))\n'},
         ci='jenkins', block=r'Execution error', end=r'invalid config'))
add(Case('clojure-missing-namespace', 'clojure', 'clojure', 'dependency_error', 'clojure app.clj',
         {'app.clj': "(require '[cheshire.core :as json])\n(println (json/generate-string {:a 1}))\n"}, ci='gitlab',
         block=r'Execution error|Could not locate', end=r'Could not locate'))

# ------------------------------------------------------- missing dependencies reported by compilers and linkers
add(Case('c-ld-missing-library', 'c', 'ld', 'dependency_error', 'gcc -o app main.c -lyaml_sentinel_missing',
         {'main.c': 'int main(void) { return 0; }\n'}, ci='gha', block=r'cannot find -l', end=r'collect2|cannot find'))
add(Case('c-clang-missing-header', 'c', 'clang', 'dependency_error', 'clang -c src/conf.c -o conf.o',
         {'src/conf.c': '#include <stdio.h>\n#include <sodium.h>\nint init(void) { return sodium_init(); }\n'},
         ci='jenkins', block=r'fatal error', end=r'error generated|\^'))
add(Case('rust-unresolved-crate', 'rust', 'cargo', 'dependency_error', 'cargo build --offline',
         {'Cargo.toml': CARGO, 'src/main.rs': 'use serde::Deserialize;\n\n#[derive(Deserialize)]\nstruct Point { x: u32 }\n\nfn main() {}\n'},
         ci='buildkite', block=r'^error\[E0432\]', end=r'could not compile'))
add(Case('c-meson-dependency', 'c', 'meson', 'dependency_error', 'meson setup build',
         {'meson.build': "project('conf', 'c')\nyaml = dependency('yaml-sentinel-missing-0.1')\nexecutable('conf', 'main.c', dependencies: yaml)\n",
          'main.c': 'int main(void) { return 0; }\n'}, ci='gitlab', block=r'ERROR: Dependency', end=r'ERROR: Dependency'))

# ------------------------------------------------------- build configuration
add(Case('c-make-no-rule-source', 'c', 'make', 'config_error', 'make',
         {'Makefile': 'app: main.o util.o\n\t$(CC) -o $@ $^\nutil.o: src/util.c\n\t$(CC) -c -o $@ $<\n', 'main.c': 'int main(void){return 0;}\n'},
         ci='gha', block=r'No rule to make target'))
add(Case('c-make-missing-separator', 'c', 'make', 'config_error', 'make',
         {'Makefile': 'app: main.c\n    cc -o app main.c\n', 'main.c': 'int main(void){return 0;}\n'}, ci='travis',
         block=r'missing separator'))
add(Case('c-make-no-makefile', 'c', 'make', 'config_error', ['ls', 'make -j2'], {'src/main.c': 'int main(void){return 0;}\n'},
         ci='buildkite', block=r'No targets specified'))
add(Case('cpp-cmake-missing-source', 'cpp', 'cmake', 'config_error', 'cmake -S . -B build',
         {'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.16)\nproject(app CXX)\nadd_executable(app src/main.cc src/net.cc)\n',
          'src/main.cc': 'int main(){}\n'}, ci='jenkins', block=r'CMake Error', end=r'Cannot find source file|No SOURCES'))
add(Case('cpp-cmake-unknown-command', 'cpp', 'cmake', 'config_error', 'cmake -S . -B build',
         {'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.16)\nproject(app CXX)\nadd_compile_flags(-Wall)\nadd_executable(app main.cc)\n',
          'main.cc': 'int main(){}\n'}, ci='gitlab', block=r'CMake Error', end=r'Unknown CMake command'))
add(Case('cpp-cmake-min-version', 'cpp', 'cmake', 'config_error', 'cmake -S . -B build',
         {'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.99)\nproject(app CXX)\nadd_executable(app main.cc)\n',
          'main.cc': 'int main(){}\n'}, ci='gha', block=r'CMake Error', end=r'or higher is required'))
add(Case('c-meson-unknown-option', 'c', 'meson', 'config_error', 'meson setup build -Dwith_tls=true',
         {'meson.build': "project('conf', 'c')\nexecutable('conf', 'main.c')\n", 'main.c': 'int main(void) { return 0; }\n'},
         ci='travis', block=r'ERROR:', end=r'ERROR:'))
add(Case('c-meson-no-build-file', 'c', 'meson', 'config_error', 'meson setup build',
         {'src/main.c': 'int main(void) { return 0; }\n'}, ci='jenkins', block=r'ERROR:', end=r'ERROR:'))
add(Case('cpp-ninja-unknown-target', 'cpp', 'ninja', 'config_error',
         ['cmake -S . -B build -G Ninja', 'ninja -C build docs'],
         {'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.16)\nproject(app CXX)\nadd_executable(app main.cc)\n',
          'main.cc': 'int main(){}\n'}, ci='buildkite', block=r'unknown target'))
add(Case('rust-bad-manifest', 'rust', 'cargo', 'config_error', 'cargo build --offline',
         {'Cargo.toml': '[package]\nversion = "0.1.0"\nedition = "2021"\n', 'src/main.rs': 'fn main() {}\n'},
         ci='gha', block=r'^error: failed to parse manifest', end='$'))

# ------------------------------------------------------- documentation checks
add(Case('rust-doc-broken-link', 'rust', 'rustdoc', 'lint_error', 'RUSTDOCFLAGS="-D warnings" cargo doc --offline --no-deps',
         {'Cargo.toml': CARGO, 'src/lib.rs': '//! Geometry.\n\n/// The area, see [`Shape::area`] and [`Polygon`].\npub fn area(w: f64, h: f64) -> f64 { w * h }\n'},
         ci='gitlab', block=r'^error: unresolved link', end=r'could not document|^error: could not'))

G = []
