"""Development split: C, C++, Python, Node, Java, shell, Rust. Rules may be
written against these logs."""
from framework import Case
import signal

C = []
add = C.append

CMAKE = '''
cmake_minimum_required(VERSION 3.16)
project(calc CXX)
set(CMAKE_CXX_STANDARD 17)
enable_testing()
add_library(calc src/calc.cc)
target_include_directories(calc PUBLIC include)
add_executable(calc_test tests/calc_test.cc)
target_link_libraries(calc_test calc)
add_test(NAME calc_test COMMAND calc_test)
'''
CALC_H = 'int add(int a, int b);\nint divide(int a, int b);\n'
CALC_CC = '#include "calc.h"\nint add(int a, int b) { return a + b; }\nint divide(int a, int b) { return a / b; }\n'
CALC_TEST_OK = '''
#include <cstdio>
#include <cstdlib>
#include "calc.h"
#define CHECK(c) do { if (!(c)) { std::fprintf(stderr, "%s:%d: CHECK failed: %s\\n", __FILE__, __LINE__, #c); std::abort(); } } while (0)
int main() {
  CHECK(add(2, 2) == 4);
  CHECK(divide(9, 3) == 3);
  std::puts("all calc checks passed");
  return 0;
}
'''

# ------------------------------------------------------------------ C / C++
add(Case('cpp-cmake-gcc-undeclared', 'cpp', 'g++', 'compilation_error',
         ['cmake -S . -B build -DCMAKE_BUILD_TYPE=Release', 'cmake --build build -j2'],
         {'CMakeLists.txt': CMAKE, 'include/calc.h': CALC_H,
          'src/calc.cc': '#include "calc.h"\nint add(int a, int b) { return a + b; }\nint divide(int a, int b) { return a / dvisor; }\n',
          'tests/calc_test.cc': CALC_TEST_OK}, ci='gha', block=r'In function', end=r'\^'))
add(Case('cpp-cmake-clang-type-error', 'cpp', 'clang++', 'compilation_error',
         ['cmake -S . -B build -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS=-fcolor-diagnostics', 'cmake --build build'],
         {'CMakeLists.txt': CMAKE, 'include/calc.h': CALC_H, 'src/calc.cc': CALC_CC,
          'tests/calc_test.cc': '#include <string>\n#include "calc.h"\nint main() {\n  std::string s = add(1, 2);\n  return s.empty();\n}\n'},
         ci='travis', block=r'error:', end=r'\^'))
add(Case('c-make-gcc-syntax', 'c', 'gcc', 'compilation_error', 'make CFLAGS="-Wall -O2"',
         {'Makefile': 'app: main.o parse.o\n\t$(CC) -o $@ $^\n', 'main.c': 'int parse(const char*);\nint main(void) { return parse("x"); }\n',
          'parse.c': '#include <string.h>\nint parse(const char *s) {\n  int n = strlen(s)\n  return n;\n}\n'},
         ci='jenkins', block=r'error:', end=r'\|\s+\^|^\s+\|'))
add(Case('c-gcc-warning-as-error', 'c', 'gcc', 'compilation_error', 'gcc -Wall -Werror -c util.c -o util.o',
         {'util.c': 'int scale(int x) {\n  int unused = 3;\n  return x * 2;\n}\n'}, ci='gitlab', block=r'error:', end=r'\^'))
add(Case('c-link-undefined', 'c', 'ld', 'compilation_error', ['gcc -c main.c', 'gcc -o app main.o'],
         {'main.c': 'int checksum(const char *);\nint main(void) { return checksum("abc"); }\n'}, ci='gha',
         block=r'undefined reference', end=r'collect2'))
add(Case('cpp-missing-header-dep', 'cpp', 'g++', 'dependency_error', 'g++ -std=c++17 -c src/http.cc -o http.o',
         {'src/http.cc': '#include <curl/curl.h>\nint fetch() { return curl_global_init(0); }\n'}, ci='travis',
         block=r'fatal error', end=r'compilation terminated'))
add(Case('cpp-cmake-find-package', 'cpp', 'cmake', 'dependency_error', 'cmake -S . -B build',
         {'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.16)\nproject(app CXX)\nfind_package(Protobuf 3.21 REQUIRED)\nadd_executable(app main.cc)\n',
          'main.cc': 'int main(){}\n'}, ci='gha', block=r'CMake Error', end=r'^-- Configuring incomplete'))
add(Case('c-pkgconfig-missing', 'c', 'pkg-config', 'dependency_error',
         'FLAGS=$(pkg-config --cflags --libs libzstd-nonexistent) && gcc $FLAGS -o app main.c', {'main.c': 'int main(void){return 0;}\n'},
         ci='jenkins', block=r'pkg-config search path', end=r'not found$'))
add(Case('cpp-cmake-unknown-target', 'cpp', 'cmake', 'config_error',
         ['cmake -S . -B build', 'cmake --build build --target install-docs'],
         {'CMakeLists.txt': CMAKE, 'include/calc.h': CALC_H, 'src/calc.cc': CALC_CC, 'tests/calc_test.cc': CALC_TEST_OK},
         ci='gitlab', block=r'unknown target|No rule to make target'))
add(Case('cpp-cmake-missing-file', 'cpp', 'cmake', 'config_error', 'cmake -S . -B build',
         {'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.16)\nproject(app CXX)\ninclude(cmake/Toolchain.cmake)\n'},
         ci='travis', block=r'CMake Error', end=r'include could not find'))
add(Case('c-make-no-rule', 'c', 'make', 'config_error', 'make check',
         {'Makefile': 'all: app\napp: main.c\n\tcc -o app main.c\n', 'main.c': 'int main(void){return 0;}\n'}, ci='jenkins',
         block=r'No rule to make target'))
add(Case('cpp-ctest-failure', 'cpp', 'ctest', 'test_failure',
         ['cmake -S . -B build', 'cmake --build build', 'ctest --test-dir build --output-on-failure'],
         {'CMakeLists.txt': CMAKE.replace('add_test(NAME calc_test COMMAND calc_test)',
                                          'add_test(NAME calc_add COMMAND calc_test add)\nadd_test(NAME calc_div COMMAND calc_test div)'),
          'include/calc.h': CALC_H, 'src/calc.cc': CALC_CC.replace('a + b', 'a - b'),
          'tests/calc_test.cc': '''
            #include <cstdio>
            #include <cstring>
            #include "calc.h"
            int main(int argc, char** argv) {
              if (argc > 1 && std::strcmp(argv[1], "add") == 0) {
                int got = add(2, 3);
                if (got != 5) { std::printf("calc_test.cc:7: expected add(2, 3) == 5, got %d\\n", got); return 1; }
              }
              std::puts("ok");
              return 0;
            }
            '''}, ci='gha', block=r'\*\*\*Failed', end=r'Errors while running CTest'))
add(Case('c-assert-abort', 'c', 'gcc', 'crash', ['gcc -o queue queue.c', './queue'],
         {'queue.c': '#include <assert.h>\n#include <stdio.h>\nint pop(int *n) { assert(*n > 0 && "pop on empty queue"); return --*n; }\nint main(void) { int n = 0; puts("draining queue"); pop(&n); return 0; }\n'},
         ci='travis', block=r'Assertion', end=r'Aborted|core dumped|Assertion'))
add(Case('c-segfault', 'c', 'gcc', 'crash', ['gcc -O0 -o parse parse.c', './parse config.ini'],
         {'parse.c': '#include <stdio.h>\n#include <string.h>\nint main(int c, char **v) { char *p = NULL; printf("parsing %s\\n", v[1]); fflush(stdout); return strlen(p); }\n',
          'config.ini': '[x]\n'}, ci='jenkins', block=r'Segmentation fault|core dumped'))
add(Case('cpp-asan-heap-overflow', 'cpp', 'clang++', 'crash',
         ['clang++ -g -fsanitize=address -o vec vec.cc', './vec'],
         {'vec.cc': '#include <vector>\n#include <cstdio>\nint main() { int *a = new int[4]; for (int i = 0; i <= 4; ++i) a[i] = i; std::printf("%d\\n", a[0]); delete[] a; }\n'},
         ci='gha', block=r'ERROR: AddressSanitizer', end=r'SUMMARY: AddressSanitizer'))
add(Case('cpp-uncaught-exception', 'cpp', 'g++', 'crash', ['g++ -o load load.cc', './load'],
         {'load.cc': '#include <stdexcept>\n#include <cstdio>\nint main() { std::puts("loading settings"); throw std::runtime_error("settings.json: unexpected end of input"); }\n'},
         ci='gitlab', block=r'terminate called', end=r'what\(\)'))
add(Case('c-dev-full', 'c', 'gcc', 'disk_full', ['gcc -o export export.c', './export /dev/full'],
         {'export.c': '''
            #include <stdio.h>
            #include <string.h>
            #include <errno.h>
            int main(int argc, char **argv) {
              FILE *f = fopen(argv[1], "w");
              for (int i = 0; i < 100000; i++) fprintf(f, "row %d\\n", i);
              if (fclose(f) != 0) { fprintf(stderr, "export: write %s: %s\\n", argv[1], strerror(errno)); return 1; }
              return 0;
            }
            '''}, ci='jenkins', block=r'No space left'))
add(Case('c-ulimit-v-oom', 'c', 'gcc', 'out_of_memory', ['gcc -o cache cache.c', '(ulimit -v 200000; ./cache)'],
         {'cache.c': '''
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            int main(void) {
              for (int i = 1;; i++) {
                void *p = malloc(64 << 20);
                if (!p) { fprintf(stderr, "cache: out of memory after %d blocks (malloc failed)\\n", i); abort(); }
                memset(p, 1, 64 << 20);
              }
            }
            '''}, ci='gha', block=r'out of memory', end=r'Aborted|out of memory'))
add(Case('cpp-bad-alloc', 'cpp', 'g++', 'out_of_memory', ['g++ -O0 -o index index.cc', '(ulimit -v 300000; ./index)'],
         {'index.cc': '#include <vector>\n#include <cstdio>\nint main() { std::puts("building index"); std::vector<std::vector<char>> v; for (;;) v.emplace_back(50u << 20, 1); }\n'},
         ci='travis', block=r'terminate called', end=r'what\(\)'))
add(Case('c-cppcheck', 'c', 'cppcheck', 'lint_error', 'cppcheck --error-exitcode=1 --enable=warning src/',
         {'src/buf.c': '#include <stdlib.h>\nint f(void) {\n  char buf[8];\n  buf[8] = 0;\n  return buf[0];\n}\nvoid g(void) { char *p = malloc(4); p[0] = 1; }\n'},
         ci='gha', block=r'error:|warning:', end=r'\^'))
add(Case('c-clang-format-check', 'cpp', 'clang-format', 'lint_error',
         'clang-format --dry-run --Werror src/main.cc', {'src/main.cc': 'int main( ){int x=1;\n  if(x){return   0;}\n return 1;}\n'},
         ci='gitlab', block=r'error:', end='$'))

# ----------------------------------------------------------------- Python
PYPROJ = '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n'
add(Case('py-pytest-assert', 'python', 'pytest', 'test_failure', ['python3 -m pip --version', 'python3 -m pytest -q'],
         {'pyproject.toml': PYPROJ, 'pricing.py': 'def total(items, tax=0.2):\n    return round(sum(items) * (1 + tax), 1)\n',
          'tests/test_pricing.py': '''
            from pricing import total

            def test_empty():
                assert total([]) == 0

            def test_total_with_tax():
                assert total([10, 20]) == 36.01

            def test_total_no_tax():
                assert total([1, 2], tax=0) == 3
            '''}, ci='gha', block=r'^_+ test_total_with_tax', end=r'short test summary|FAILED'))
add(Case('py-pytest-color-travis', 'python', 'pytest', 'test_failure', 'python3 -m pytest --color=yes -v tests',
         {'slug.py': 'import re\n\ndef slugify(s):\n    return re.sub(r"[^a-z]+", "-", s.lower()).strip("-")\n',
          'tests/test_slug.py': '''
            import pytest
            from slug import slugify

            @pytest.mark.parametrize("raw,want", [("Hello World", "hello-world"), ("Déjà vu", "deja-vu"), ("a_b", "a-b")])
            def test_slugify(raw, want):
                assert slugify(raw) == want

            def test_handles_permission_denied_message():
                assert slugify("Permission denied") == "permission-denied"
            ''', 'conftest.py': 'import sys, os\nsys.path.insert(0, os.path.dirname(__file__))\n'},
         ci='travis', block=r'_+ test_slugify\[', end=r'short test summary'))
add(Case('py-unittest-fail', 'python', 'unittest', 'test_failure', 'python3 -m unittest -v',
         {'test_cache.py': '''
            import unittest

            class LRU:
                def __init__(self, n): self.n, self.d = n, {}
                def put(self, k, v):
                    self.d[k] = v
                    if len(self.d) > self.n: self.d.pop(next(iter(self.d)))
                def get(self, k): return self.d.get(k)

            class CacheTest(unittest.TestCase):
                def test_put_get(self):
                    c = LRU(2); c.put("a", 1); self.assertEqual(c.get("a"), 1)
                def test_eviction_order(self):
                    c = LRU(2); c.put("a", 1); c.put("b", 2); c.get("a"); c.put("c", 3)
                    self.assertEqual(c.get("a"), 1, "recently used key was evicted")
                @unittest.skip("flaky on CI: timeout connecting to redis")
                def test_redis_backend(self):
                    pass

            if __name__ == "__main__":
                unittest.main()
            '''}, ci='jenkins', block=r'^FAIL: test_eviction_order', end=r'AssertionError'))
add(Case('py-pytest-import-error', 'python', 'pytest', 'dependency_error', 'python3 -m pytest -q tests',
         {'tests/test_api.py': 'import requests_oauthlib_missing_pkg\n\ndef test_ok():\n    assert True\n'},
         ci='gitlab', block=r'ModuleNotFoundError|ImportError while importing', end=r'ModuleNotFoundError'))
add(Case('py-pip-no-version', 'python', 'pip', 'dependency_error',
         'python3 -m pip download --no-index --find-links ./wheels -d wheels "flask-sentinel-missing>=9.1"',
         {'wheels/README': 'empty wheelhouse\n'}, ci='gha', block=r'ERROR: Could not find a version', end=r'ERROR: No matching'))
add(Case('py-syntax-error', 'python', 'python3', 'compilation_error', 'python3 -m compileall -q src',
         {'src/app.py': 'def handler(event):\n    if event["type"] == "push"\n        return 1\n'}, ci='travis',
         block=r'File ".*app.py"', end=r'SyntaxError'))
add(Case('py-dns-urllib', 'python', 'python3', 'network_dns', 'python3 fetch.py',
         {'fetch.py': 'import urllib.request\nprint("fetching schema")\nurllib.request.urlopen("http://schemas.example.invalid/v1.json", timeout=5)\n'},
         ci='gha', block=r'socket.gaierror', end=r'URLError'))
add(Case('py-conn-refused-requests', 'python', 'python3', 'network_error', 'python3 health.py',
         {'health.py': 'import socket\nprint("waiting for db on 127.0.0.1:1")\ns = socket.create_connection(("127.0.0.1", 1), timeout=3)\n'},
         ci='jenkins', block=r'Traceback', end=r'ConnectionRefusedError'))
add(Case('py-memoryerror', 'python', 'python3', 'out_of_memory', '(ulimit -v 400000; python3 load.py)',
         {'load.py': 'rows = []\nprint("loading rows")\nwhile True:\n    rows.append(bytearray(64 * 1024 * 1024))\n'},
         ci='gitlab', block=r'Traceback', end=r'MemoryError'))
add(Case('py-enospc-tmpfs', 'python', 'python3', 'disk_full', 'python3 dump.py',
         {'dump.py': 'print("writing snapshot")\nwith open("/dev/full", "w") as f:\n    f.write("x" * 100000)\n'},
         ci='travis', block=r'Traceback', end=r'OSError|No space'))
add(Case('py-pytest-timeout', 'python', 'pytest', 'timeout', 'python3 -m pytest -q --timeout=2 tests',
         {'tests/test_poll.py': 'import time\n\ndef test_fast():\n    assert 1\n\ndef test_poll_queue():\n    while True:\n        time.sleep(0.1)\n'},
         ci='gha', block=r'Timeout', end=r'^FAILED|Failed: Timeout'))
add(Case('py-timeout1', 'python', 'timeout', 'timeout', 'timeout 3 python3 -u migrate.py',
         {'migrate.py': 'import time\nprint("applying migration 0042_add_index")\nwhile True:\n    time.sleep(1)\n'},
         ci='travis', block='EXIT'))
add(Case('py-uncaught-keyerror', 'python', 'python3', 'crash', 'python3 build_index.py',
         {'build_index.py': 'import json\ncfg = {"paths": ["a", "b"]}\n\ndef main():\n    print("indexing", len(cfg["paths"]), "paths")\n    return cfg["output_dir"]\n\nmain()\n'},
         ci='gitlab', block=r'Traceback', end=r'KeyError'))
add(Case('py-permission-denied', 'python', 'python3', 'permission_denied', 'python3 publish.py',
         {'publish.py': 'import os\nprint("publishing to /var/cache/publish")\nos.makedirs("/root/.publish-out/x", exist_ok=True)\n'},
         ci='jenkins', user='nobody', block=r'Traceback', end=r'PermissionError'))
add(Case('py-flake8', 'python', 'flake8', 'lint_error', 'flake8 --max-line-length=100 src',
         {'src/util.py': 'import os, sys\n\ndef f(x):\n    y = 1\n    return x+undefined_name\n'}, ci='gha',
         block=r'\.py:\d+:\d+:', end='$'))
add(Case('py-pylint', 'python', 'pylint', 'lint_error', 'pylint --disable=C src/store.py',
         {'src/store.py': '"""Store."""\nimport json\n\n\ndef load(path):\n    """Load."""\n    data = open(path).read()\n    return jsn.loads(data)\n'},
         ci='travis', block=r'\*+ Module', end=r'E\d{4}|W\d{4}'))
add(Case('py-black-check', 'python', 'black', 'lint_error', 'black --check --diff src',
         {'src/m.py': 'def f( a,b ):\n  return {"a":a,"b" : b}\n', 'src/ok.py': 'X = 1\n'}, ci='gitlab',
         block=r'would reformat', end=r'would be reformatted'))
add(Case('py-mypy', 'python', 'mypy', 'lint_error', 'mypy --no-error-summary src || mypy src',
         {'src/conv.py': 'def to_int(s: str) -> int:\n    return s.strip()\n\nx: int = to_int(3)\n'}, ci='jenkins',
         block=r'error:', end=r'Found \d+ error'))
add(Case('py-pytest-unknown-option', 'python', 'pytest', 'config_error', 'python3 -m pytest --cov=src tests',
         {'tests/test_a.py': 'def test_a():\n    assert True\n'}, ci='gha', block=r'error: unrecognized arguments', end=r'inifile|rootdir'))
add(Case('py-bad-yaml-config', 'python', 'python3', 'config_error', 'python3 deploy.py deploy.yml',
         {'deploy.py': 'import sys, yaml\ncfg = yaml.safe_load(open(sys.argv[1]))\nprint(cfg)\n',
          'deploy.yml': 'stages:\n  - build\n  - test\n deploy:\n    script: make\n'}, ci='travis',
         block=r'Traceback', end=r'expected <block end>|while parsing|yaml\.'))

# ----------------------------------------------------------------- Node
PKG = '{"name": "widget", "version": "1.0.0", "scripts": {"test": "node --test", "build": "node build.js"}}\n'
add(Case('node-test-fail', 'node', 'node --test', 'test_failure', ['node --version', 'npm test'],
         {'package.json': PKG, 'sum.js': 'exports.sum = (a, b) => a + b + (a > 10 ? 1 : 0);\n',
          'test/sum.test.js': '''
            const test = require('node:test');
            const assert = require('node:assert');
            const { sum } = require('../sum');
            test('adds small numbers', () => { assert.strictEqual(sum(1, 2), 3); });
            test('adds large numbers', () => { assert.strictEqual(sum(20, 22), 42); });
            test('skips on windows: EACCES permission denied', { skip: true }, () => {});
            '''}, ci='gha', block=r'not ok \d+ - adds large|✖ adds large', end=r'^\s*\.\.\.$|stack:|code:'))
add(Case('node-test-uncaught', 'node', 'node', 'crash', 'node server.js',
         {'server.js': 'const cfg = require("./config.json");\nconsole.log("starting", cfg.name);\nconsole.log(cfg.listen.port.toFixed(0));\n',
          'config.json': '{"name": "api"}\n'}, ci='travis', block=r'TypeError|server.js:\d+', end=r'TypeError'))
add(Case('node-missing-module', 'node', 'node', 'dependency_error', 'node index.js',
         {'index.js': 'const express = require("express-sentinel-missing");\nexpress();\n'}, ci='jenkins',
         block=r'Cannot find module|node:internal', end=r"code: 'MODULE_NOT_FOUND'|Cannot find module"))
add(Case('node-npm-missing-script', 'node', 'npm', 'config_error', 'npm run lint', {'package.json': PKG},
         ci='gitlab', block=r'Missing script', end=r'npm (ERR!|error) (To see|A complete log)|Missing script'))
add(Case('node-npm-syntax-json', 'node', 'npm', 'config_error', 'npm test',
         {'package.json': '{"name": "widget", "scripts": {"test": "node --test",}}\n'}, ci='gha',
         block=r'JSON|EJSONPARSE', end=r'package\.json|JSON'))
add(Case('node-npm-install-offline', 'node', 'npm', 'dependency_error', 'npm install --offline --no-audit',
         {'package.json': '{"name": "widget", "version": "1.0.0", "dependencies": {"left-pad-sentinel-nope": "^9.9.9"}}\n'},
         ci='travis', block=r'npm (ERR!|error) code', end=r'ENOTCACHED|offline|cache'))
add(Case('node-syntax-error', 'node', 'node', 'compilation_error', 'node --check src/app.js',
         {'src/app.js': 'function main() {\n  const x = {a: 1,, b: 2};\n  return x;\n}\n'}, ci='jenkins',
         block=r'app\.js:\d+', end=r'SyntaxError'))
add(Case('node-dns', 'node', 'node', 'network_dns', 'node fetch.js',
         {'fetch.js': 'const http = require("http");\nconsole.log("downloading fixtures");\nhttp.get("http://fixtures.example.invalid/data.json", r => r.resume());\n'},
         ci='gha', block=r'getaddrinfo|Error', end=r"hostname: 'fixtures|getaddrinfo ENOTFOUND"))
add(Case('node-econnrefused', 'node', 'node', 'network_error', 'node seed.js',
         {'seed.js': 'const net = require("net");\nconsole.log("connecting to postgres 127.0.0.1:1");\nnet.connect(1, "127.0.0.1");\n'},
         ci='gitlab', block=r'ECONNREFUSED|Error', end=r"port: 1|ECONNREFUSED"))
add(Case('node-heap-oom', 'node', 'node', 'out_of_memory', 'node --max-old-space-size=32 agg.js',
         {'agg.js': 'const a = [];\nconsole.log("aggregating");\nfor (;;) a.push(new Array(1e5).fill({x: 1}));\n'},
         ci='travis', block=r'FATAL ERROR|JavaScript heap', end=r'FATAL ERROR'))
add(Case('node-test-timeout', 'node', 'node --test', 'timeout', 'node --test --test-timeout=500',
         {'test/wait.test.js': '''
            const test = require('node:test');
            test('resolves fast', async () => {});
            test('waits for the queue to drain', async () => { await new Promise(r => setTimeout(r, 5000)); });
            '''}, ci='jenkins', block=r'not ok \d+ - .*wait\.test\.js', end=r'timed out'))
add(Case('node-eacces', 'node', 'node', 'permission_denied', 'node write.js',
         {'write.js': 'const fs = require("fs");\nconsole.log("writing coverage");\nfs.writeFileSync("/root/.coverage-out.json", "{}");\n'},
         ci='gha', user='nobody', block=r'EACCES|Error', end=r"syscall: 'open'|EACCES"))
add(Case('node-enospc', 'node', 'node', 'disk_full', 'node dump.js',
         {'dump.js': 'const fs = require("fs");\nconsole.log("writing bundle");\nfs.writeFileSync("/dev/full", "x".repeat(100000));\n'},
         ci='travis', block=r'ENOSPC|Error', end=r"syscall: 'write'|ENOSPC"))
add(Case('node-eslint', 'node', 'eslint', 'lint_error', 'eslint --no-eslintrc --env node --parser-options ecmaVersion:2022 --rule "no-unused-vars: error" --rule "no-undef: error" src',
         {'src/a.js': 'const unused = 1;\nfunction f() { return missing + 1; }\nmodule.exports = f;\n'}, ci='gitlab',
         block=r'src/a\.js', end=r'problems?'))

add(Case('node-prettier-check', 'node', 'prettier', 'lint_error', 'prettier --check "src/**/*.js"',
         {'src/a.js': 'const x = {a:1,\n  b:2}\nmodule.exports = x\n', 'src/b.js': 'module.exports = 1;\n'}, ci='travis',
         block=r'\[warn\] src/a\.js', end=r'Code style issues'))
add(Case('node-tsc-error', 'node', 'tsc', 'compilation_error', ['tsc --version', 'tsc --noEmit --strict src/index.ts'],
         {'src/index.ts': 'interface User { id: number; name: string }\nexport function greet(u: User): string {\n  return "hi " + u.nmae;\n}\ngreet({ id: "7", name: "x" });\n'},
         ci='gha', block=r'src/index\.ts\(\d+', end='$'))

# ----------------------------------------------------------------- Java
JUNIT = '/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar'
add(Case('java-javac-symbol', 'java', 'javac', 'compilation_error', ['javac -version', 'javac -d out src/App.java'],
         {'src/App.java': 'public class App {\n  public static void main(String[] a) {\n    String name = "x";\n    System.out.println(nmae.length());\n  }\n}\n'},
         ci='gha', block=r'error:', end=r'\d+ error'))
add(Case('java-junit-fail', 'java', 'junit4', 'test_failure',
         ['javac -d out -cp %s src/Money.java test/MoneyTest.java' % JUNIT, 'java -cp out:%s org.junit.runner.JUnitCore MoneyTest' % JUNIT],
         {'src/Money.java': 'public class Money {\n  public static long cents(double d) { return (long) (d * 100); }\n}\n',
          'test/MoneyTest.java': '''
            import static org.junit.Assert.*;
            import org.junit.Test;
            public class MoneyTest {
              @Test public void wholeUnits() { assertEquals(300, Money.cents(3.0)); }
              @Test public void roundsHalfUp() { assertEquals(116, Money.cents(1.155)); }
              @Test public void handlesTimeoutValues() { assertEquals(0, Money.cents(0)); }
            }
            '''}, ci='jenkins', block=r'^\d+\) roundsHalfUp', end=r'^Tests run:.*Failures'))
add(Case('java-npe', 'java', 'java', 'crash', ['javac -d out src/Main.java', 'java -cp out Main'],
         {'src/Main.java': 'import java.util.*;\npublic class Main {\n  public static void main(String[] a) {\n    Map<String, String> env = new HashMap<>();\n    System.out.println("resolving profile");\n    System.out.println(env.get("PROFILE").toUpperCase());\n  }\n}\n'},
         ci='travis', block=r'Exception in thread', end=r'at Main\.main'))
add(Case('java-oom', 'java', 'java', 'out_of_memory', ['javac -d out src/Grow.java', 'java -Xmx32m -cp out Grow'],
         {'src/Grow.java': 'import java.util.*;\npublic class Grow {\n  public static void main(String[] a) {\n    List<long[]> l = new ArrayList<>();\n    while (true) l.add(new long[1 << 20]);\n  }\n}\n'},
         ci='gitlab', block=r'OutOfMemoryError', end=r'at Grow\.main|OutOfMemoryError'))
add(Case('java-classpath-missing', 'java', 'javac', 'dependency_error', 'javac -d out src/Json.java',
         {'src/Json.java': 'import com.fasterxml.jackson.databind.ObjectMapper;\npublic class Json {\n  ObjectMapper m = new ObjectMapper();\n}\n'},
         ci='gha', block=r'error: package', end=r'\d+ errors?'))
add(Case('java-unknown-host', 'java', 'java', 'network_dns', ['javac -d out src/Ping.java', 'java -cp out Ping'],
         {'src/Ping.java': 'import java.net.*;\npublic class Ping {\n  public static void main(String[] a) throws Exception {\n    System.out.println("resolving artifacts host");\n    new URL("http://repo.example.invalid/maven2/").openStream();\n  }\n}\n'},
         ci='jenkins', block=r'UnknownHostException', end=r'at Ping\.main'))
add(Case('java-conn-refused', 'java', 'java', 'network_error', ['javac -d out src/Db.java', 'java -cp out Db'],
         {'src/Db.java': 'import java.net.*;\npublic class Db {\n  public static void main(String[] a) throws Exception {\n    new Socket("127.0.0.1", 1);\n  }\n}\n'},
         ci='travis', block=r'ConnectException', end=r'at Db\.main'))

# ----------------------------------------------------------------- shell
add(Case('sh-curl-dns', 'shell', 'curl', 'network_dns', 'curl -fsS https://artifacts.example.invalid/tool.tar.gz -o tool.tar.gz',
         {}, ci='gha'))
add(Case('sh-curl-refused', 'shell', 'curl', 'network_error', ['echo "waiting for api"', 'curl -fsS --retry 2 --retry-delay 1 http://127.0.0.1:1/health'],
         {}, ci='jenkins', block=r'curl: \(7\)'))
add(Case('sh-wget-dns', 'shell', 'wget', 'network_dns', 'wget -q -O data.zip http://data.example.invalid/data.zip || wget -O data.zip http://data.example.invalid/data.zip',
         {}, ci='travis', block=r'unable to resolve|failed:', end=r'wget: unable|failed: '))
add(Case('sh-git-clone-dns', 'shell', 'git', 'network_dns', 'git clone https://git.example.invalid/acme/vendor.git vendor',
         {}, ci='gitlab', block=r'fatal:'))
add(Case('sh-dd-tmpfs-full', 'shell', 'dd', 'disk_full',
         ['df -h /tmp | tail -1', 'mkdir -p /tmp/realtools-tiny && (mountpoint -q /tmp/realtools-tiny || mount -t tmpfs -o size=1m tmpfs /tmp/realtools-tiny) && dd if=/dev/zero of=/tmp/realtools-tiny/artifact.bin bs=64k count=64'],
         {}, ci='gha', block=r'No space left', end=r'copied|No space'))
add(Case('sh-tar-full', 'shell', 'tar', 'disk_full', 'mkdir -p dist && seq 1 50000 > dist/big.txt && tar -cf /dev/full dist',
         {}, ci='jenkins', block=r'tar:', end=r'tar: Error'))
add(Case('sh-not-executable', 'shell', 'bash', 'permission_denied', ['ls -l scripts', './scripts/release.sh'],
         {'scripts/release.sh': ('#!/bin/sh\necho releasing\n', 0o644)}, ci='travis', block=r'Permission denied'))
add(Case('sh-cp-permission', 'shell', 'cp', 'permission_denied', 'cp build.txt /usr/local/lib/build.txt',
         {'build.txt': 'x\n'}, ci='gha', user='nobody', block=r'Permission denied'))
add(Case('sh-command-not-found', 'shell', 'bash', 'config_error', ['echo "running codegen"', 'protoc-gen-sentinel --version'],
         {}, ci='gitlab', block=r'command not found'))
add(Case('sh-missing-config-file', 'shell', 'bash', 'config_error', 'source ./ci/env.sh && make',
         {}, ci='jenkins', block=r'No such file'))
add(Case('sh-shellcheck', 'shell', 'shellcheck', 'lint_error', 'shellcheck scripts/*.sh',
         {'scripts/deploy.sh': '#!/bin/bash\nfor f in $(ls *.txt); do\n  echo $f\ndone\ncd $TARGET\n'}, ci='travis',
         block=r'^In scripts/deploy.sh line', end='$'))
add(Case('sh-timeout-sleep', 'shell', 'timeout', 'timeout', ['echo "starting integration env"', 'timeout 2 bash -c "echo waiting for services; while true; do sleep 0.5; done"'],
         {}, ci='gitlab', block='EXIT'))
add(Case('sh-killed-runner', 'shell', 'bash', 'infrastructure', ['echo "running long suite"', 'for i in $(seq 1 100); do echo "suite $i ok"; sleep 0.05; done; sleep 60'],
         {}, ci='gha', killer=(3, signal.SIGTERM), block='RUNNER'))
add(Case('sh-killed-runner-jenkins', 'shell', 'bash', 'infrastructure', 'echo "integration stage"; sleep 60',
         {}, ci='jenkins', killer=(1.5, signal.SIGKILL), block='RUNNER'))
add(Case('sh-ulimit-f', 'shell', 'bash', 'disk_full', 'ulimit -f 10; seq 1 100000 > out.txt',
         {}, ci='travis', block=r'File size limit'))

# ----------------------------------------------------------------- Rust
CARGO = '[package]\nname = "geo"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'
add(Case('rust-cargo-type-error', 'rust', 'cargo', 'compilation_error', 'cargo build --offline --color always',
         {'Cargo.toml': CARGO, 'src/main.rs': 'fn area(w: f64, h: f64) -> f64 { w * h }\nfn main() {\n    let a: u32 = area(2.0, 3.0);\n    println!("{}", a);\n}\n'},
         ci='gha', block=r'^error\[E', end=r'could not compile'))
add(Case('rust-cargo-test-fail', 'rust', 'cargo test', 'test_failure', 'cargo test --offline',
         {'Cargo.toml': CARGO, 'src/lib.rs': '''
            pub fn clamp(x: i32, lo: i32, hi: i32) -> i32 { if x < lo { lo } else if x > hi { lo } else { x } }
            #[cfg(test)]
            mod tests {
                use super::*;
                #[test] fn inside() { assert_eq!(clamp(5, 0, 10), 5); }
                #[test] fn above() { assert_eq!(clamp(15, 0, 10), 10); }
                #[test] #[ignore] fn segfault_regression_issue_42() {}
            }
            '''}, ci='travis', block=r"^---- tests::above stdout", end=r'^test result: FAILED'))
add(Case('rust-panic', 'rust', 'cargo run', 'crash', 'cargo run --offline -q',
         {'Cargo.toml': CARGO, 'src/main.rs': 'fn main() {\n    let v: Vec<u32> = vec![];\n    println!("reading first item");\n    let first = v[0];\n    println!("{}", first);\n}\n'},
         ci='jenkins', block=r"panicked at", end=r'index out of bounds|RUST_BACKTRACE'))
add(Case('rust-missing-crate', 'rust', 'cargo', 'dependency_error', 'cargo build --offline',
         {'Cargo.toml': CARGO + 'serde_sentinel_nope = "1.0"\n', 'src/main.rs': 'fn main() {}\n'}, ci='gitlab',
         block=r'error:', end='$'))
add(Case('rust-clippy', 'rust', 'clippy', 'lint_error', 'cargo clippy --offline -- -D warnings',
         {'Cargo.toml': CARGO, 'src/main.rs': 'fn main() {\n    let v = vec![1, 2, 3];\n    if v.len() == 0 { println!("empty"); }\n    let x = 5;\n    let _y = x == x;\n}\n'},
         ci='gha', block=r'^error:', end=r'could not compile'))
add(Case('rust-fmt-check', 'rust', 'rustfmt', 'lint_error', 'cargo fmt -- --check',
         {'Cargo.toml': CARGO, 'src/main.rs': 'fn main(){let x=1;\nprintln!("{}",x);}\n'}, ci='travis',
         block=r'^Diff in', end='$'))
add(Case('rust-unknown-command', 'rust', 'cargo', 'config_error', 'cargo tarpaulin --out Xml',
         {'Cargo.toml': CARGO, 'src/main.rs': 'fn main() {}\n'}, ci='gitlab', block=r'error: no such (sub)?command'))


# ----------------------------------------------------------------- green (dev ecosystems)
G = []
g = G.append
g(Case('green-cpp-cmake-ctest', 'cpp', 'ctest', 'success',
       ['cmake -S . -B build', 'cmake --build build', 'ctest --test-dir build --output-on-failure'],
       {'CMakeLists.txt': CMAKE, 'include/calc.h': CALC_H, 'src/calc.cc': CALC_CC, 'tests/calc_test.cc': CALC_TEST_OK}, ci='gha'))
g(Case('green-c-make-warnings', 'c', 'make', 'success', 'make CFLAGS=-Wall',
       {'Makefile': 'app: main.o\n\t$(CC) -o $@ $^\n',
        'main.c': '#include <stdio.h>\nint main(void) { int unused; printf("error handling ok\\n"); return 0; }\n'}, ci='jenkins'))
g(Case('green-py-pytest', 'python', 'pytest', 'success', 'python3 -m pytest -v -rs tests',
       {'tests/test_net.py': '''
            import pytest

            def test_handles_connection_refused():
                assert "Connection refused".lower().startswith("connection")

            def test_permission_denied_message_is_parsed():
                assert "Permission denied" in "open: Permission denied"

            @pytest.mark.skip(reason="Segfault in libfoo 1.2 (upstream bug #4411)")
            def test_libfoo_segfault():
                pass

            def test_out_of_memory_guard():
                assert True
            '''}, ci='gha'))
g(Case('green-py-unittest-logging', 'python', 'unittest', 'success', 'python3 -m unittest -v',
       {'test_retry.py': '''
            import logging, unittest
            logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
            log = logging.getLogger("retry")

            class RetryTest(unittest.TestCase):
                def test_retries_after_timeout(self):
                    log.debug("attempt 1 failed: connection timed out after 5s; retrying")
                    log.info("attempt 2 ok")
                    self.assertTrue(True)
                def test_no_space_left_is_reported(self):
                    log.debug("simulated ENOSPC: No space left on device")
                    self.assertTrue(True)
            '''}, ci='travis'))
g(Case('green-py-flake8', 'python', 'flake8', 'success', ['flake8 src', 'echo "flake8: no issues"'],
       {'src/ok.py': 'def f(x):\n    return x + 1\n'}, ci='gitlab'))
g(Case('green-node-test', 'node', 'node --test', 'success', 'npm test',
       {'package.json': PKG, 'test/a.test.js': '''
            const test = require('node:test');
            const assert = require('node:assert');
            test('reports ECONNREFUSED as retryable', () => { assert.ok('ECONNREFUSED'.startsWith('ECONN')); });
            test('fatal error: heap limit parsing', () => { assert.equal(1, 1); });
            test('skipped on CI', { skip: 'needs a display' }, () => {});
            '''}, ci='gha'))
g(Case('green-node-eslint', 'node', 'eslint', 'success', 'eslint --no-eslintrc --env node --parser-options ecmaVersion:2022 src && prettier --check src',
       {'src/a.js': 'function f(x) {\n  return x + 1;\n}\nmodule.exports = f;\n'}, ci='jenkins'))
g(Case('green-java-junit', 'java', 'junit4', 'success',
       ['javac -d out -cp %s src/Money.java test/MoneyTest.java' % JUNIT, 'java -cp out:%s org.junit.runner.JUnitCore MoneyTest' % JUNIT],
       {'src/Money.java': 'public class Money {\n  public static long cents(double d) { return Math.round(d * 100); }\n}\n',
        'test/MoneyTest.java': 'import static org.junit.Assert.*;\nimport org.junit.Test;\npublic class MoneyTest {\n  @Test public void wholeUnits() { assertEquals(300, Money.cents(3.0)); }\n  @Test public void outOfMemoryErrorIsNotThrown() { assertEquals(0, Money.cents(0)); }\n}\n'},
       ci='travis'))
g(Case('green-shell-script', 'shell', 'bash', 'success', ['shellcheck scripts/ok.sh', 'bash scripts/ok.sh'],
       {'scripts/ok.sh': '#!/bin/bash\nset -euo pipefail\necho "checking: no errors, 0 failed, 0 timeouts"\necho "warning: cache miss (expected on first run)"\n'}, ci='gitlab'))
g(Case('green-rust-cargo-test', 'rust', 'cargo test', 'success', ['cargo build --offline', 'cargo test --offline'],
       {'Cargo.toml': CARGO, 'src/lib.rs': 'pub fn f() -> u8 { 1 }\n#[cfg(test)]\nmod tests {\n  #[test] fn panics_are_caught() { assert_eq!(super::f(), 1); }\n  #[test] #[ignore] fn segfault_regression() {}\n}\n'},
       ci='gha'))
