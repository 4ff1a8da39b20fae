#!/usr/bin/env python3
"""Regenerates the labeled triage corpus (tests/data/logs) and the green logs
(tests/data/green) by running the real tools and letting them fail for real
(compilers, test runners, package managers, curl/git/wget to .invalid hosts,
/dev/full, ulimit -f, sanitizers, ...). Each log is wrapped in the noise a CI
log has (worker header, timestamps or colours, the exit line) and labeled with
its expected category, signature and root-error lines.

Cases whose tool is not installed here (go, gradle, jest, MSVC, a real OOM
killer) are written by hand in hand_written.py, modelled on real output.

Usage: make_corpus.py [--only NAME] (from the repository root)
"""
import json, os, random, re, shutil, subprocess, sys, tempfile, textwrap

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
LOGS = os.path.join(ROOT, 'tests', 'data', 'logs')
GREEN = os.path.join(ROOT, 'tests', 'data', 'green')
ANSI = re.compile(r'\x1b\[[0-9;]*[A-Za-z]')
rng = random.Random(20261127)

CLOCK = [36000.0]
def ts(i):
    CLOCK[0] += rng.random() * 0.8
    t = CLOCK[0]
    return f"2026-11-27T{int(t // 3600):02d}:{int(t // 60 % 60):02d}:{int(t % 60):02d}.{int(t % 1 * 1e7):07d}Z"

def wrap(name, cmd, body, rc, style):
    """The CI noise around the tool output."""
    head = [f"Sentinel worker w-{rng.randint(1, 9)} picked run {rng.randint(100, 999)} (attempt 1)",
            f"Checking out {''.join(rng.choice('0123456789abcdef') for _ in range(40))}",
            f"Step '{rng.choice(['build', 'test', 'check', 'ci', 'verify'])}' started",
            f"$ {cmd}"]
    tail = [f"Step finished in {rng.randint(1, 900)}.{rng.randint(0, 99):02d}s"]
    if rc != 0:
        tail.append(f"##[error]Process completed with exit code {rc}.")
    lines = head + body.rstrip('\n').split('\n') + tail
    if style == 'ts':
        lines = [f"{ts(i)} {l}" for i, l in enumerate(lines)]
    elif style == 'ansi':
        lines[0] = f"\x1b[1;34m{lines[0]}\x1b[0m"
        lines[3] = f"\x1b[36m{lines[3]}\x1b[0m"
    return '\n'.join(lines) + '\n'

def write_case(name, log, category, signature, root, rc, junit=None):
    os.makedirs(LOGS, exist_ok=True)
    path = os.path.join(LOGS, name + '.log')
    with open(path, 'w', encoding='utf-8', errors='surrogateescape') as f:
        f.write(log)
    lines = log.split('\n')
    ev = [i + 1 for i, l in enumerate(lines) if root and re.search(root, ANSI.sub('', l))]
    if root and not ev:
        print(f"  !! {name}: root regex {root!r} matches no line", file=sys.stderr)
    exp = {"category": category, "signature": signature, "evidence": ev}
    if rc is not None:
        exp["exit_code"] = rc
    if junit:
        jname = name + '.junit.xml'
        shutil.copy(junit, os.path.join(LOGS, jname))
        exp["junit"] = [jname]
    with open(os.path.join(LOGS, name + '.expected.json'), 'w') as f:
        json.dump(exp, f, indent=1)
        f.write('\n')

def run(script, files=None, env=None, timeout=120, user=None):
    d = tempfile.mkdtemp(prefix='ci-ws-')
    for rel, content in (files or {}).items():
        p = os.path.join(d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'w') as f:
            f.write(textwrap.dedent(content).lstrip('\n'))
    e = dict(os.environ)
    e['PATH'] = '/usr/bin:/bin:/usr/sbin:/sbin:/root/.cargo/bin:' + e.get('PATH', '')
    e.update(env or {})
    e.pop('SENTINEL_SOURCE_DIR', None)
    # As a CI runner's script: bash reports a signal death of the last command too.
    argv = ['bash', '-c', script + '\nrc=$?; exit $rc']
    if user:
        os.chmod(d, 0o777)
        argv = ['runuser', '-u', user, '--'] + argv
    try:
        p = subprocess.run(argv, cwd=d, env=e, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        out, rc = p.stdout.decode('utf-8', 'replace'), p.returncode
    except subprocess.TimeoutExpired as t:
        out, rc = (t.stdout or b'').decode('utf-8', 'replace'), 124
    return d, out, rc

CASES = []
def case(name, category, signature, root, cmd, files=None, style=None, junit=None, env=None, user=None, footer=None, rc=None):
    CASES.append(dict(name=name, category=category, signature=signature, root=root, cmd=cmd, files=files,
                      style=style, junit=junit, env=env, user=user, footer=footer, rc=rc))

# ---------------------------------------------------------------- compilation
CMAKE_APP = {'CMakeLists.txt': '''
    cmake_minimum_required(VERSION 3.16)
    project(app CXX)
    add_executable(app src/main.cc src/util.cc)
    ''', 'src/util.cc': 'int helper(int x) { return x * 2; }\n'}
case('build-gcc-undeclared-make', 'compilation_error', 'cxx-compile-error', r'main\.cc:\d+:\d+: error:',
     'cmake -S . -B build -DCMAKE_CXX_COMPILER=g++ >/dev/null && cmake --build build -- -j1',
     dict(CMAKE_APP, **{'src/main.cc': '''
        #include <cstdio>
        int helper(int);
        int main() {
          int total = helper(2);
          std::printf("%d\\n", totl);
          undeclared_fn(total);
          return 0;
        }
        '''}), style='ts')
case('build-clang-undeclared', 'compilation_error', 'cxx-compile-error', r'error: use of undeclared identifier',
     'clang++ -std=c++20 -fcolor-diagnostics -c src/main.cc -o main.o',
     {'src/main.cc': '''
        #include <vector>
        int main() {
          std::vector<int> v{1, 2, 3};
          return v.size() + missing_value;
        }
        '''}, style='ansi')
case('build-gcc-c-syntax', 'compilation_error', 'cxx-compile-error', r'parse\.c:\d+:\d+: error:',
     'gcc -fdiagnostics-color=always -Wall -c src/parse.c -o parse.o',
     {'src/parse.c': '''
        #include <stdio.h>
        int parse(const char *s) {
          int n = 0
          while (*s) n++, s++;
          return n;
        }
        '''}, style='plain')
case('build-gcc-missing-header', 'dependency_error', 'cxx-missing-header', r'fatal error: .*No such file',
     'g++ -std=c++17 -c src/main.cc -o main.o',
     {'src/main.cc': '#include <sentinel_missing/config.h>\nint main() { return SENTINEL_FLAG; }\n'}, style='ts')
case('build-clang-missing-header', 'dependency_error', 'cxx-missing-header', r"fatal error: '.*' file not found",
     'clang++ -c src/db.cc -o db.o', {'src/db.cc': '#include <orm/session.hpp>\nint f() { return 1; }\n'}, style='plain')
case('link-undefined-reference', 'compilation_error', 'linker-undefined-reference', r'undefined reference to',
     'g++ -o app src/main.cc', {'src/main.cc': 'int compute(int);\nint main() { return compute(3); }\n'}, style='ts')
case('link-clang-undefined-reference', 'compilation_error', 'linker-undefined-reference', r'undefined reference to',
     'clang++ -o app src/main.cc src/store.cc',
     {'src/main.cc': '#include <string>\nstd::string load(const std::string&);\nint main() { return load("x").size(); }\n',
      'src/store.cc': '#include <string>\nstd::string save(const std::string& s) { return s; }\n'}, style='plain')
case('link-missing-library', 'dependency_error', 'linker-library-not-found', r'cannot find -l',
     'g++ -o app src/main.cc -lsentinelmissing', {'src/main.cc': 'int main() { return 0; }\n'}, style='ansi')
case('make-no-rule', 'config_error', 'make-no-rule', r'No rule to make target',
     'make', {'Makefile': 'app: src/main.o src/gone.o\n\tcc -o $@ $^\n', 'src/main.c': 'int main(void){return 0;}\n'},
     style='plain')
case('cmake-fatal-error', 'config_error', 'cmake-configure-error', r'^(\S+ )?CMake Error at',
     'cmake -S . -B build', {'CMakeLists.txt': '''
        cmake_minimum_required(VERSION 3.16)
        project(app CXX)
        set(FLAVORS debug release)
        if(NOT BUILD_FLAVOR IN_LIST FLAVORS)
          message(FATAL_ERROR "BUILD_FLAVOR must be one of: ${FLAVORS}")
        endif()
        '''}, style='ts')
case('cmake-find-package', 'dependency_error', 'cmake-package-not-found', r'Could not find a package configuration file|By not providing',
     'cmake -S . -B build', {'CMakeLists.txt': '''
        cmake_minimum_required(VERSION 3.16)
        project(app CXX)
        find_package(SentinelFooLib 2.0 REQUIRED)
        '''}, style='plain')
case('cmake-pkg-config-missing', 'dependency_error', 'pkg-config-not-found', r"Package '.*', required by .*not found|No package '.*' found",
     'cmake -S . -B build', {'CMakeLists.txt': '''
        cmake_minimum_required(VERSION 3.16)
        project(app C)
        find_package(PkgConfig REQUIRED)
        pkg_check_modules(FOO REQUIRED libsentinelfoo)
        '''}, style='ansi')
case('pkg-config-missing', 'dependency_error', 'pkg-config-not-found', r'was not found in the pkg-config search path',
     'cc $(pkg-config --cflags --libs libsentinelbar) -o app main.c', {'main.c': 'int main(void){return 0;}\n'}, style='plain')
case('ninja-compile-error', 'compilation_error', 'cxx-compile-error', r'error:',
     'cmake -S . -B build -G Ninja >/dev/null && cmake --build build',
     dict(CMAKE_APP, **{'src/main.cc': '''
        #include <string>
        struct Config { std::string name; };
        int main() {
          Config c;
          c.nmae = "x";
          return 0;
        }
        '''}), style='ts')
case('cargo-build-error', 'compilation_error', 'rustc-error', r'^(\S+ )?error\[E',
     'cargo build --offline --color always 2>&1', {'Cargo.toml': '''
        [package]
        name = "app"
        version = "0.1.0"
        edition = "2021"
        ''', 'src/main.rs': '''
        fn main() {
            let total: u32 = 5;
            println!("{}", totl);
        }
        '''}, style='plain', env={'CARGO_TARGET_DIR': '/tmp/sentinel-corpus-cargo'})
case('javac-error', 'compilation_error', 'javac-error', r'\.java:\d+: error:',
     'javac -d out src/App.java', {'src/App.java': '''
        public class App {
          public static void main(String[] args) {
            int count = 3;
            System.out.println(cuont);
          }
        }
        '''}, style='ts')
case('python-syntax-error', 'compilation_error', 'python-syntax-error', r'SyntaxError:',
     'python3 -m compileall -q src', {'src/util.py': '''
        def parse(line):
            if line.startswith("#")
                return None
            return line.split("=")
        '''}, style='plain')
case('gcc-many-errors-cascade', 'compilation_error', 'cxx-compile-error', r'queue\.cc:3:\d+: error:',
     'g++ -std=c++17 -c src/queue.cc -o queue.o', {'src/queue.cc': '''
        #include <deque>
        struct Queue {
          std::deqeu<int> items;
          void Push(int v) { items.push_back(v); }
          int Pop() { int v = items.front(); items.pop_front(); return v; }
          bool Empty() const { return items.empty(); }
        };
        '''}, style='ansi')

# ---------------------------------------------------------------- tests
PYTEST_FILES = {'tests/test_math.py': '''
    def add(a, b):
        return a + b + (1 if a > 100 else 0)

    def test_add_small():
        assert add(1, 2) == 3

    def test_add_large():
        assert add(200, 1) == 201

    def test_sub():
        assert 5 - 3 == 2
    '''}
case('pytest-assertion', 'test_failure', 'pytest-failure', r'^(\S+ )?E\s+assert',
     'python3 -m pytest -q -p no:cacheprovider --junitxml=report.xml tests', PYTEST_FILES, style='ts', junit='report.xml')
case('pytest-assertion-color', 'test_failure', 'pytest-failure', r'E\s+assert',
     'python3 -m pytest --color=yes -p no:cacheprovider tests', PYTEST_FILES, style='plain')
case('pytest-exception', 'test_failure', 'pytest-failure', r'E\s+KeyError',
     'python3 -m pytest -p no:cacheprovider --junitxml=report.xml tests', {'tests/test_cfg.py': '''
        import pytest
        CONFIG = {"db": "sqlite"}

        def lookup(key):
            return CONFIG[key]

        @pytest.mark.parametrize("key", ["db", "cache"])
        def test_lookup(key):
            assert lookup(key)
        '''}, style='plain', junit='report.xml')
case('pytest-many-failures', 'test_failure', 'pytest-failure', r'E\s+(assert|AssertionError)',
     'python3 -m pytest -p no:cacheprovider -rf tests', {'tests/test_str.py': '''
        import pytest

        @pytest.mark.parametrize("s,expected", [("abc", "ABC"), ("Hello", "HELLO"), ("x", "Y"), ("ok", "OK"), ("q", "R")])
        def test_upper(s, expected):
            assert s.upper() == expected

        def test_strip():
            assert " a ".strip() == "a "
        '''}, style='ts')
case('unittest-failure', 'test_failure', 'unittest-failure', r'^(\S+ )?FAIL: test_',
     'python3 -m unittest -v test_strings', {'test_strings.py': '''
        import unittest

        class TestStrings(unittest.TestCase):
            def test_title(self):
                self.assertEqual("foo bar".title(), "Foo bar")

            def test_lower(self):
                self.assertEqual("ABC".lower(), "abc")

        if __name__ == "__main__":
            unittest.main()
        '''}, style='plain')
GTEST_SRC = {'math_test.cc': '''
    #include <gtest/gtest.h>
    int Add(int a, int b) { return a + b + (a > 10); }
    TEST(MathTest, AddsSmall) { EXPECT_EQ(Add(1, 2), 3); }
    TEST(MathTest, AddsLarge) { EXPECT_EQ(Add(20, 1), 21) << "carry bug"; }
    TEST(MathTest, Negative) { EXPECT_LT(Add(-1, -1), 0); }
    '''}
case('gtest-failure', 'test_failure', 'gtest-failure', r'math_test\.cc:\d+: Failure',
     'g++ -std=c++17 math_test.cc -lgtest -lgtest_main -pthread -o math_test && ./math_test --gtest_output=xml:report.xml',
     GTEST_SRC, style='ts', junit='report.xml')
case('gtest-failure-color', 'test_failure', 'gtest-failure', r'math_test\.cc:\d+: Failure',
     'g++ -std=c++17 math_test.cc -lgtest -lgtest_main -pthread -o math_test && ./math_test --gtest_color=yes',
     GTEST_SRC, style='plain')
case('ctest-failure', 'test_failure', 'ctest-failure', r'\*\*\*Failed|tests failed out of',
     'cmake -S . -B build >/dev/null && ctest --test-dir build', {'CMakeLists.txt': '''
        cmake_minimum_required(VERSION 3.16)
        project(t NONE)
        enable_testing()
        add_test(NAME smoke COMMAND true)
        add_test(NAME schema_check COMMAND sh -c "exit 3")
        '''}, style='plain')
NODE_TEST = {'test/math.test.mjs': '''
    import { test } from 'node:test';
    import assert from 'node:assert/strict';
    const add = (a, b) => a + b + (a > 10 ? 1 : 0);
    test('adds small numbers', () => { assert.equal(add(1, 2), 3); });
    test('adds large numbers', () => { assert.equal(add(20, 1), 21); });
    '''}
case('node-test-tap', 'test_failure', 'node-test-failure', r'not ok \d+ - adds large',
     'node --test --test-reporter=tap test/', NODE_TEST, style='ts')
case('node-test-spec', 'test_failure', 'node-test-failure', r'✖ adds large numbers',
     'node --test --test-reporter=spec test/', NODE_TEST, style='plain')
case('node-test-junit', 'test_failure', 'node-test-failure', r'not ok \d+ - adds large',
     'node --test --test-reporter=tap --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=report.xml test/',
     NODE_TEST, style='ansi', junit='report.xml')
case('cargo-test-failure', 'test_failure', 'cargo-test-failure', r'^(\S+ )?test tests::\w+ \.\.\. FAILED',
     'cargo test --offline 2>&1', {'Cargo.toml': '''
        [package]
        name = "calc"
        version = "0.1.0"
        edition = "2021"
        ''', 'src/lib.rs': '''
        pub fn add(a: u32, b: u32) -> u32 { a + b + if a > 10 { 1 } else { 0 } }
        #[cfg(test)]
        mod tests {
            use super::*;
            #[test]
            fn adds_small() { assert_eq!(add(1, 2), 3); }
            #[test]
            fn adds_large() { assert_eq!(add(20, 1), 21); }
        }
        '''}, style='ts', env={'CARGO_TARGET_DIR': '/tmp/sentinel-corpus-cargo'})

# ---------------------------------------------------------------- dependencies
case('pip-no-matching-distribution', 'dependency_error', 'pip-no-matching-distribution', r'Could not find a version|No matching distribution',
     'mkdir -p wheels && python3 -m pip download --no-index --find-links wheels -d deps "requets==2.99"', style='ts')
case('pytest-module-not-found', 'dependency_error', 'python-module-not-found', r"ModuleNotFoundError: No module named",
     'python3 -m pytest -p no:cacheprovider tests', {'tests/test_api.py': '''
        import sentinel_missing_client

        def test_ping():
            assert sentinel_missing_client.ping()
        '''}, style='plain')
case('python-module-not-found', 'dependency_error', 'python-module-not-found', r'ModuleNotFoundError',
     'python3 scripts/report.py', {'scripts/report.py': 'import yamlish\nprint(yamlish.load("a: 1"))\n'}, style='ansi')
case('node-cannot-find-module', 'dependency_error', 'node-cannot-find-module', r"Error: Cannot find module 'left-pad'",
     'node index.js', {'index.js': "const leftPad = require('left-pad');\nconsole.log(leftPad('5', 3, '0'));\n"}, style='ts')
case('node-esm-cannot-find-package', 'dependency_error', 'node-cannot-find-module', r"Cannot find package 'chalk'",
     'node index.mjs', {'index.mjs': "import chalk from 'chalk';\nconsole.log(chalk.green('ok'));\n"}, style='plain')
case('npm-ci-dns', 'network_dns', 'node-getaddrinfo', r'ENOTFOUND',
     'npm ci --no-audit --no-fund --fetch-retries=0 --registry https://registry.example.invalid', {'package.json': '{"name":"app","version":"1.0.0","dependencies":{"left-pad":"^1.3.0"}}\n',
      'package-lock.json': '{"name":"app","version":"1.0.0","lockfileVersion":3,"requires":true,"packages":{"":{"name":"app","version":"1.0.0"}}}\n'},
     style='ts')
case('apt-unable-to-locate', 'dependency_error', 'apt-package-not-found', r'Unable to locate package',
     'apt-get -s install -y libsentinel-nonexistent-dev', style='plain')
case('cargo-missing-crate', 'dependency_error', 'cargo-dependency-resolution', r'no matching package named',
     'cargo build --offline 2>&1', {'Cargo.toml': '''
        [package]
        name = "app"
        version = "0.1.0"
        edition = "2021"

        [dependencies]
        serde_jsonn = "1.0"
        ''', 'src/main.rs': 'fn main() {}\n'}, style='ts', env={'CARGO_TARGET_DIR': '/tmp/sentinel-corpus-cargo'})
case('maven-offline-plugin', 'dependency_error', 'maven-dependency-resolution', r'could not be resolved|Could not resolve',
     'mvn -o -q -B package', {'pom.xml': '''
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example</groupId><artifactId>app</artifactId><version>1.0</version>
          <dependencies>
            <dependency><groupId>com.example</groupId><artifactId>sentinel-missing</artifactId><version>9.9</version></dependency>
          </dependencies>
        </project>
        ''', 'src/main/java/App.java': 'public class App {}\n'}, style='plain',
     env={'MAVEN_OPTS': '-Dmaven.repo.local=/tmp/sentinel-corpus-m2'})

# ---------------------------------------------------------------- DNS
case('curl-dns', 'network_dns', 'curl-could-not-resolve', r'Could not resolve host',
     'curl -fsSL https://downloads.example.invalid/tool-1.2.3.tar.gz -o tool.tgz', style='ts')
case('git-clone-dns', 'network_dns', 'curl-could-not-resolve', r'Could not resolve host',
     'git clone https://git.example.invalid/org/app.git', style='plain')
case('git-ssh-dns', 'network_dns', 'ssh-could-not-resolve', r'Could not resolve hostname',
     'GIT_SSH_COMMAND="ssh -o BatchMode=yes" git clone git@git.example.invalid:org/app.git', style='ts')
case('wget-dns', 'network_dns', 'wget-resolve-failed', r'unable to resolve host address|failed: (Name|Temporary)',
     'wget -nv https://mirror.example.invalid/pkg.tgz', style='plain')
case('pip-dns', 'network_dns', 'python-name-resolution', r'Errno -\d|NameResolution|Failed to establish',
     'python3 -m pip download --no-cache-dir --retries 1 --timeout 3 --index-url https://pypi.example.invalid/simple requests',
     style='ts')
case('npm-dns', 'network_dns', 'node-getaddrinfo', r'ENOTFOUND',
     'npm install --no-audit --no-fund --fetch-retries=0 --fetch-timeout=5000 --registry https://registry.example.invalid left-pad',
     {'package.json': '{"name":"app","version":"1.0.0"}\n'}, style='plain', env={'npm_config_cache': '/tmp/sentinel-corpus-npm'})
case('node-getaddrinfo', 'network_dns', 'node-getaddrinfo', r'getaddrinfo ENOTFOUND',
     "node -e \"require('https').get('https://api.example.invalid/v1/health', r => console.log(r.statusCode))\"", style='ansi')
case('python-gaierror', 'network_dns', 'python-name-resolution', r'gaierror|Errno -\d',
     'python3 scripts/fetch.py', {'scripts/fetch.py': '''
        import urllib.request
        with urllib.request.urlopen("http://artifacts.example.invalid/build.zip", timeout=5) as r:
            print(len(r.read()))
        '''}, style='ts')
case('java-unknown-host', 'network_dns', 'java-unknown-host', r'UnknownHostException',
     'java Fetch.java', {'Fetch.java': '''
        public class Fetch {
          public static void main(String[] a) throws Exception {
            new java.net.URL("http://repo.example.invalid/maven2/").openStream().close();
          }
        }
        '''}, style='plain')
case('getent-dns', 'network_dns', 'generic-dns-failure', r'(?i)name or service not known|no such host|could not resolve|temporary failure',
     'python3 -c "import socket,sys; socket.getaddrinfo(\'db.ci.example.invalid\', 5432)" 2>/dev/null || { echo "wait-for-db: could not resolve host db.ci.example.invalid"; exit 2; }',
     style='ts')

# ---------------------------------------------------------------- network
case('curl-connection-refused', 'network_error', 'connection-refused', r"Couldn't connect to server|Connection refused",
     'curl -sS http://127.0.0.1:1/health', style='plain')
case('git-connection-refused', 'network_error', 'connection-refused', r"Couldn't connect to server",
     'git clone http://127.0.0.1:1/org/app.git', style='ts')
case('python-connection-refused', 'network_error', 'connection-refused', r'ConnectionRefusedError',
     'python3 -c "import socket; socket.create_connection((\'127.0.0.1\', 1))"', style='ansi')
case('node-econnrefused', 'network_error', 'connection-refused', r'ECONNREFUSED',
     "node -e \"require('http').get('http://127.0.0.1:1/api')\"", style='ts')
case('pytest-connection-refused', 'network_error', 'connection-refused', r'ConnectionRefusedError|Connection refused',
     'python3 -m pytest -p no:cacheprovider tests', {'tests/test_health.py': '''
        import socket

        def test_service_is_up():
            s = socket.create_connection(("127.0.0.1", 1), timeout=1)
            s.close()
        '''}, style='plain')
RESET_SERVER = '''
    import socket, struct, sys
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0)); s.listen(1)
    print(s.getsockname()[1], flush=True)
    c, _ = s.accept(); c.recv(1024)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)); c.close()
    '''
case('curl-connection-reset', 'network_error', 'connection-reset', r'Connection reset by peer',
     'python3 reset.py > port & sleep 0.5; curl -sS http://127.0.0.1:$(cat port)/artifact.tgz -o a.tgz; rc=$?; wait; exit $rc',
     {'reset.py': RESET_SERVER}, style='ts')
case('curl-tls-wrong-version', 'network_error', 'tls-certificate-error', r'SSL routines|SSL',
     'python3 -m http.server 0 --bind 127.0.0.1 > srv.log 2>&1 & sleep 0.7; port=$(grep -o "port [0-9]*" srv.log | cut -d" " -f2); curl -sS https://127.0.0.1:$port/; rc=$?; kill %1; exit $rc',
     style='plain')
SRV503 = '''
    import http.server, sys
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(503); self.end_headers(); self.wfile.write(b"maintenance")
        def log_message(self, *a): pass
    s = http.server.HTTPServer(("127.0.0.1", 0), H)
    print(s.server_address[1], flush=True)
    s.handle_request()
    '''
case('curl-http-503', 'network_error', 'http-server-error', r'returned error: 503',
     'python3 srv.py > port & sleep 0.5; curl -fsS http://127.0.0.1:$(cat port)/simple/ -o index.html; rc=$?; wait; exit $rc',
     {'srv.py': SRV503}, style='ansi')

# ---------------------------------------------------------------- disk
case('dd-dev-full', 'disk_full', 'no-space-left', r'No space left on device',
     'dd if=/dev/zero of=/dev/full bs=1M count=4', style='ts')
case('python-enospc', 'disk_full', 'no-space-left', r'No space left on device',
     'python3 scripts/export.py', {'scripts/export.py': '''
        with open("/dev/full", "w") as f:
            for i in range(1000):
                f.write("row %d\\n" % i)
        '''}, style='plain')
case('tar-dev-full', 'disk_full', 'no-space-left', r'No space left on device',
     'mkdir -p dist && head -c 200000 /dev/urandom > dist/app.bin && tar -cf /dev/full dist', style='ansi')
case('ulimit-file-size', 'disk_full', 'file-size-limit-exceeded', r'File size limit exceeded',
     'ulimit -f 64; dd if=/dev/zero of=cache.img bs=1k count=1024', style='ts')

# ---------------------------------------------------------------- memory
case('python-memory-error', 'out_of_memory', 'python-memory-error', r'^(\S+ )?MemoryError',
     'python3 scripts/load.py', {'scripts/load.py': 'import resource\nresource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))\nrows = bytearray(4 << 30)\n'},
     style='plain')
case('cxx-bad-alloc', 'out_of_memory', 'cxx-bad-alloc', r'std::bad_alloc',
     'g++ -O1 -o loader loader.cc && ulimit -v 1000000 && ./loader', {'loader.cc': '''
        #include <vector>
        #include <cstdio>
        int main() {
          std::vector<char> buf;
          buf.resize(std::size_t(8) << 30);
          std::printf("%zu\\n", buf.size());
        }
        '''}, style='ts')
case('java-heap-space', 'out_of_memory', 'java-out-of-memory', r'OutOfMemoryError',
     'java -Xmx24m Big.java', {'Big.java': '''
        import java.util.*;
        public class Big {
          public static void main(String[] a) {
            List<long[]> keep = new ArrayList<>();
            while (true) keep.add(new long[1 << 20]);
          }
        }
        '''}, style='plain')
case('node-heap-oom', 'out_of_memory', 'node-heap-out-of-memory', r'heap out of memory|Reached heap limit',
     'node --max-old-space-size=24 grow.js', {'grow.js': 'const keep = [];\nfor (;;) keep.push(new Array(100000).fill({a: 1}));\n'},
     style='ts')
case('bash-killed-137', 'out_of_memory', 'exit-137-killed', r'Killed|exit code 137',
     'python3 scripts/bulk_load.py', {'scripts/bulk_load.py': '''
        import os, signal
        print("loading 4 shards", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's OOM killer does
        '''}, style='plain')
case('rust-alloc-failed', 'out_of_memory', 'runtime-out-of-memory', r'memory allocation of \d+ bytes failed',
     'cargo run --offline -q 2>&1', {'Cargo.toml': '[package]\nname = "grow"\nversion = "0.1.0"\nedition = "2021"\n',
      'src/main.rs': 'fn main() {\n    let v: Vec<u8> = Vec::with_capacity(1usize << 46);\n    println!("{}", v.capacity());\n}\n'},
     style='ts', env={'CARGO_TARGET_DIR': '/tmp/sentinel-corpus-cargo'})

# ---------------------------------------------------------------- crash
case('segfault-c', 'crash', 'segmentation-fault', r'Segmentation fault',
     'gcc -O0 -o parser parser.c && ./parser', {'parser.c': '''
        #include <stdio.h>
        #include <string.h>
        int main(void) {
          char *p = NULL;
          printf("parsing...\\n"); fflush(stdout);
          return (int)strlen(p);
        }
        '''}, style='ts')
case('asan-heap-overflow', 'crash', 'address-sanitizer', r'ERROR: AddressSanitizer',
     'clang -g -fsanitize=address -o buf buf.c && ./buf', {'buf.c': '''
        #include <stdlib.h>
        int main(void) {
          int *a = malloc(4 * sizeof(int));
          a[4] = 1;
          int r = a[0];
          free(a);
          return r;
        }
        '''}, style='plain')
case('asan-use-after-free', 'crash', 'address-sanitizer', r'ERROR: AddressSanitizer',
     'clang++ -g -fsanitize=address -o uaf uaf.cc && ./uaf', {'uaf.cc': '''
        #include <cstdio>
        struct Session { int id; int refs; };
        int main() {
          Session* s = new Session{7, 1};
          delete s;
          std::printf("%d\\n", s->refs);
        }
        '''}, style='ts')
case('ubsan-overflow', 'crash', 'ubsan-runtime-error', r'runtime error:',
     'clang -g -fsanitize=undefined -fno-sanitize-recover=all -o ovf ovf.c && ./ovf', {'ovf.c': '''
        #include <limits.h>
        #include <stdio.h>
        int main(int argc, char **argv) {
          int x = INT_MAX - 1 + argc;
          x += 1;
          printf("%d\\n", x);
          return 0;
        }
        '''}, style='ansi')
case('lsan-leak', 'crash', 'leak-sanitizer', r'LeakSanitizer',
     'clang -g -fsanitize=address -o leak leak.c && ./leak', {'leak.c': '''
        #include <stdlib.h>
        #include <string.h>
        char *dup(const char *s) { char *d = malloc(strlen(s) + 1); strcpy(d, s); return d; }
        int main(void) { dup("leaked"); return 0; }
        '''}, style='plain')
case('assert-abort', 'crash', 'abort-core-dumped', r"Assertion .* failed",
     'gcc -g -o queue queue.c && ./queue', {'queue.c': '''
        #include <assert.h>
        #include <stdio.h>
        static int size = 0;
        int pop(void) { assert(size > 0 && "pop from empty queue"); return --size; }
        int main(void) { printf("draining\\n"); fflush(stdout); return pop(); }
        '''}, style='ts')
case('sigfpe', 'crash', 'fatal-signal', r'Floating point exception',
     'gcc -O0 -o avg avg.c && ./avg', {'avg.c': '''
        #include <stdio.h>
        int main(int argc, char **argv) { int n = argc - 1; printf("%d\\n", 100 / n); return 0; }
        '''}, style='plain')
case('python-faulthandler', 'crash', 'python-fatal-error', r'Fatal Python error',
     'python3 -X faulthandler -c "import ctypes; ctypes.string_at(0)"', style='ts')
case('java-uncaught', 'crash', 'java-uncaught-exception', r'Exception in thread "main"',
     'java App.java', {'App.java': '''
        public class App {
          static String env(String k) { String v = System.getenv(k); if (v == null) throw new IllegalStateException(k + " not configured"); return v; }
          public static void main(String[] a) { System.out.println(env("SENTINEL_APP_MODE")); }
        }
        '''}, style='plain')
case('python-uncaught', 'crash', 'python-uncaught-exception', r'^(\S+ )?Traceback|KeyError',
     'python3 scripts/release.py', {'scripts/release.py': '''
        import os
        def version():
            return os.environ["SENTINEL_RELEASE_VERSION"]
        print("releasing", version())
        '''}, style='ansi')
case('rust-panic-binary', 'crash', 'rust-panic', r"panicked at",
     'cargo run --offline -q 2>&1', {'Cargo.toml': '[package]\nname = "idx"\nversion = "0.1.0"\nedition = "2021"\n',
      'src/main.rs': 'fn main() {\n    let v = vec![1, 2, 3];\n    let i = std::env::args().count() + 6;\n    println!("{}", v[i]);\n}\n'},
     style='ts', env={'CARGO_TARGET_DIR': '/tmp/sentinel-corpus-cargo'})

# ---------------------------------------------------------------- permission
case('script-not-executable', 'permission_denied', 'permission-denied', r'Permission denied',
     './scripts/deploy.sh staging', {'scripts/deploy.sh': '#!/bin/sh\necho deploying "$1"\n'}, style='plain')
case('touch-permission-denied', 'permission_denied', 'permission-denied', r'Permission denied',
     'touch /root/.sentinel-cache-stamp', style='ts', user='nobody')
case('python-permission-error', 'permission_denied', 'permission-denied', r'PermissionError',
     'python3 -c "open(\'/root/.sentinel-cache.json\', \'w\').write(\'{}\')"', style='ansi', user='nobody')

# ---------------------------------------------------------------- config
case('command-not-found', 'config_error', 'command-not-found', r'command not found',
     'cmakee -S . -B build', style='ts')
case('sh-not-found', 'config_error', 'command-not-found', r'not found',
     'sh -c "yarnn install --frozen-lockfile"', style='plain')
case('python-yaml-invalid', 'config_error', 'yaml-python-error', r'yaml\.\w+\.\w+Error|mapping values are not allowed',
     'python3 -c "import yaml; yaml.safe_load(open(\'deploy.yml\'))"', {'deploy.yml': '''
        service:
          name: api
          image: registry/api:1.2
            replicas: 3
        '''}, style='ts')
case('yaml-cpp-invalid', 'config_error', 'yaml-cpp-error', r'yaml-cpp: error at line',
     'g++ -std=c++17 -o loadcfg loadcfg.cc -lyaml-cpp && ./loadcfg', {'loadcfg.cc': '''
        #include <yaml-cpp/yaml.h>
        #include <iostream>
        int main() {
          YAML::Node n = YAML::Load("steps:\\n  - name: build\\n    run: [make\\n");
          std::cout << n.size() << "\\n";
        }
        '''}, style='plain')
case('bash-unbound-variable', 'config_error', 'unbound-variable', r'unbound variable',
     'bash -u scripts/deploy.sh', {'scripts/deploy.sh': 'echo "deploying build"\necho "target: $DEPLOY_TARGET"\n'}, style='ansi')
case('python-json-invalid', 'config_error', 'invalid-json', r'JSONDecodeError',
     'python3 -c "import json; json.load(open(\'settings.json\'))"', {'settings.json': '{"db": "sqlite", "workers": 2,}\n'},
     style='ts')
case('node-json-invalid', 'config_error', 'invalid-json', r'SyntaxError: .*JSON',
     "node -e \"JSON.parse(require('fs').readFileSync('config.json', 'utf8'))\"", {'config.json': '{"port": 8000, // api\n}\n'},
     style='plain')
case('pytest-path-not-found', 'config_error', 'file-not-found-argument', r'file or directory not found',
     'python3 -m pytest -p no:cacheprovider tests/integration', style='ts')
case('python-script-not-found', 'config_error', 'file-not-found-argument', r"can't open file",
     'python3 tools/gen_schema.py', style='plain')
case('cargo-bad-manifest', 'config_error', 'toml-manifest-error', r'failed to parse manifest|Cargo\.toml:3',
     'cargo build --offline 2>&1', {'Cargo.toml': '[package]\nname = "app"\nversion = 0.1.0\n', 'src/main.rs': 'fn main() {}\n'},
     style='ansi', env={'CARGO_TARGET_DIR': '/tmp/sentinel-corpus-cargo'})
case('pytest-bad-option', 'config_error', 'invalid-option', r'unrecognized arguments',
     'python3 -m pytest -p no:cacheprovider --bogus-flag tests', style='ts')

# ---------------------------------------------------------------- timeout / infra
case('ctest-timeout', 'timeout', 'test-timeout', r'\*\*\*Timeout',
     'cmake -S . -B build >/dev/null && ctest --test-dir build', {'CMakeLists.txt': '''
        cmake_minimum_required(VERSION 3.16)
        project(t NONE)
        enable_testing()
        add_test(NAME quick COMMAND true)
        add_test(NAME waits_for_lock COMMAND sleep 30)
        set_tests_properties(waits_for_lock PROPERTIES TIMEOUT 1)
        '''}, style='plain')
case('pytest-step-timeout', 'timeout', 'sentinel-step-timeout', r"^(\S+ )?sentinel: step '.*' timed out",
     'timeout -s KILL 3 python3 -m pytest -p no:cacheprovider -v tests', {'tests/test_slow.py': '''
        import time

        def test_fast():
            assert True

        def test_waits_for_queue():
            time.sleep(60)
        '''}, style='ts', footer="sentinel: step 'test' timed out after 3s")
case('timeout-command', 'timeout', 'ci-job-timeout', None, 'timeout 1 sleep 5', style='plain')
case('docker-daemon-down', 'infrastructure', 'docker-daemon-unavailable', r'Cannot connect to the Docker daemon',
     'docker pull postgres:15-alpine', style='ts')
case('worker-lost', 'infrastructure', 'sentinel-worker-lost', r'^(\S+ )?sentinel: worker lost',
     'python3 -m pytest -p no:cacheprovider -q tests', {'tests/test_ok.py': 'def test_ok():\n    assert 1\n'}, style='plain',
     footer='sentinel: worker lost (lease expired after 30s without heartbeat)')

# ---------------------------------------------------------------- unknown
case('unknown-policy-check', 'unknown', '', None,
     'python3 scripts/policy.py', {'scripts/policy.py': '''
        import sys
        print("checking 14 manifests")
        print("manifest api.yaml: replicas below minimum for tier gold")
        print("policy check: 1 violation")
        sys.exit(3)
        '''}, style='ts')
case('unknown-silent-exit', 'unknown', '', None, 'echo "generating docs"; echo "wrote 12 pages"; exit 1', style='plain')

# ---------------------------------------------------------------- green logs
GREEN_CASES = [
    ('pytest-pass', 'python3 -m pytest -v -p no:cacheprovider tests', {'tests/test_ok.py': '''
        import pytest
        def test_add():
            assert 1 + 1 == 2
        @pytest.mark.parametrize("n", range(5))
        def test_even(n):
            assert (2 * n) % 2 == 0
        @pytest.mark.skip(reason="needs network")
        def test_remote():
            pass
        '''}),
    ('cmake-make-build', 'cmake -S . -B build && cmake --build build -- -j2 && ./build/app',
     dict(CMAKE_APP, **{'src/main.cc': '#include <cstdio>\nint helper(int);\nint main() { std::printf("%d\\n", helper(21)); }\n'})),
    ('cmake-ninja-build', 'cmake -S . -B build -G Ninja && cmake --build build',
     dict(CMAKE_APP, **{'src/main.cc': 'int helper(int);\nint main() { return helper(0); }\n'})),
    ('gtest-pass', 'g++ -std=c++17 t.cc -lgtest -lgtest_main -pthread -o t && ./t', {'t.cc': '''
        #include <gtest/gtest.h>
        TEST(ErrorHandling, ReturnsErrorOnFailure) { EXPECT_EQ(1, 1); }
        TEST(Parser, HandlesFailedInput) { EXPECT_TRUE(true); }
        '''}),
    ('ctest-pass', 'cmake -S . -B build >/dev/null && ctest --test-dir build --output-on-failure', {'CMakeLists.txt': '''
        cmake_minimum_required(VERSION 3.16)
        project(t NONE)
        enable_testing()
        add_test(NAME a COMMAND true)
        add_test(NAME b COMMAND true)
        '''}),
    ('node-test-pass', 'node --test --test-reporter=spec test/ && node --test --test-reporter=tap test/', {'test/a.test.mjs': '''
        import { test } from 'node:test';
        import assert from 'node:assert/strict';
        test('handles error objects', () => { assert.ok(new Error('x') instanceof Error); });
        test('rejects failed promises', async () => { await assert.rejects(Promise.reject(new Error('boom'))); });
        '''}),
    ('npm-test-pass', 'npm test', {'package.json': '{"name":"app","version":"1.0.0","scripts":{"test":"node --test"}}\n',
      'test/x.test.js': "const test = require('node:test');\ntest('ok', () => {});\n"}),
    ('git-clone-local', 'git init -q src && git -C src -c user.email=a@b -c user.name=ci commit -q --allow-empty -m init && git clone src copy && git -C copy log --oneline', None),
    ('apt-get-simulate', 'apt-get -s install -y make cmake', None),
    ('cargo-build-test-pass', 'cargo test --offline 2>&1', {'Cargo.toml': '[package]\nname = "okcrate"\nversion = "0.1.0"\nedition = "2021"\n',
      'src/lib.rs': 'pub fn add(a: u32, b: u32) -> u32 { a + b }\n#[cfg(test)]\nmod tests {\n  #[test]\n  fn adds() { assert_eq!(super::add(1, 2), 3); }\n  #[test]\n  fn handles_error_case() { assert!("error".len() == 5); }\n}\n'}),
    ('javac-run-pass', 'javac -d out App.java && java -cp out App', {'App.java': 'public class App { public static void main(String[] a) { System.out.println("errors: 0, failures: 0"); } }\n'}),
    ('pip-install-local', 'python3 -m pip --version && python3 -m pip list --format=columns 2>/dev/null | head -20', None),
    ('unittest-pass', 'python3 -m unittest -v test_ok', {'test_ok.py': 'import unittest\nclass T(unittest.TestCase):\n    def test_error_path(self):\n        with self.assertRaises(KeyError):\n            {}["x"]\n'}),
    ('make-c-build', 'make && ./app', {'Makefile': 'app: main.c\n\tcc -Wall -O2 -o app main.c\n', 'main.c': '#include <stdio.h>\nint main(void){puts("built");return 0;}\n'}),
    ('shell-script-pass', 'set -euo pipefail; echo "checking disk"; df -h / | tail -1 >/dev/null; echo "retrying connection (attempt 1/3)"; echo "connected"; echo "done"', None),
]

def main():
    only = set(sys.argv[2:]) if len(sys.argv) > 2 and sys.argv[1] == '--only' else None
    styles = ['ts', 'plain', 'ansi']
    for c in CASES:
        if only and c['name'] not in only:
            continue
        d, out, rc = run(c['cmd'], c['files'], c['env'], user=c['user'])
        if c['footer']:
            out = out.rstrip('\n') + '\n' + c['footer'] + '\n'
            rc = c['rc'] if c['rc'] is not None else (137 if 'worker lost' in c['footer'] else 124)
        junit = os.path.join(d, c['junit']) if c['junit'] and os.path.exists(os.path.join(d, c['junit'])) else None
        if c['junit'] and not junit:
            print(f"  !! {c['name']}: no junit file", file=sys.stderr)
        log = wrap(c['name'], c['cmd'], out, rc, c['style'] or rng.choice(styles))
        write_case(c['name'], log, c['category'], c['signature'], c['root'], rc, junit)
        shutil.rmtree(d, ignore_errors=True)
        print(f"{c['name']}: rc={rc} lines={log.count(chr(10))}")
    sys.path.insert(0, os.path.dirname(__file__))
    from hand_written import HAND
    for name, category, signature, root, rc, cmd, body in HAND:
        if only and name not in only:
            continue
        log = wrap(name, cmd, body.lstrip('\n'), rc, rng.choice(styles))
        write_case(name, log, category, signature, root, rc)
        print(f"{name}: hand-written")
    os.makedirs(GREEN, exist_ok=True)
    for name, cmd, files in GREEN_CASES:
        if only and name not in only:
            continue
        d, out, rc = run(cmd, files)
        if rc != 0:
            print(f"  !! green {name} failed rc={rc}:\n{out[-800:]}", file=sys.stderr)
            continue
        with open(os.path.join(GREEN, name + '.log'), 'w') as f:
            f.write(wrap(name, cmd, out, 0, 'ts'))
        shutil.rmtree(d, ignore_errors=True)
        print(f"green {name}: lines={out.count(chr(10))}")

if __name__ == '__main__':
    main()
