"""Development split, context guards (issue 12, item 4): real tools of the dev
ecosystems printing failure words where nothing failed.

- a passing or skipped test whose NAME says "segmentation fault", "connection
  refused", "no space left on device", ... in each runner's listing (pytest -v,
  node --test, cargo test, gtest under ctest -V, bats);
- text printed inside a test's output when that test then passes (a caught
  ECONNREFUSED, a child killed by SIGSEGV, an ENOSPC error object);
- a handled error a program prints and recovers from (a refused connection
  retried until the server is up);
and failing logs where such a passing test or handled error sits next to the
real failure, which must win (and one where the retries give up: that one IS
the failure).

Every connection goes to 127.0.0.1 (a port just closed, or a server the
program starts itself)."""
from textwrap import dedent

from framework import Case

C = []
add = C.append
G = []
g = G.append

CARGO = '[package]\nname = "netio"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'

# A free loopback port with nothing listening on it (connecting gets ECONNREFUSED).
PY_CLOSED_PORT = '''
import socket

def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
'''

PY_TESTS = PY_CLOSED_PORT + '''
import errno, os, signal, subprocess, sys

def test_connection_refused_is_retried():
    port = closed_port()
    refused = 0
    for attempt in (1, 2):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2)
        except ConnectionRefusedError as e:
            refused += 1
            print("attempt %d: %s" % (attempt, e))
    assert refused == 2

def test_segmentation_fault_in_child_is_reported():
    rc = subprocess.run([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"]).returncode
    print("child exited with", signal.Signals(-rc).name, "(Segmentation fault)")
    assert rc == -signal.SIGSEGV

def test_no_space_left_on_device_is_reported():
    e = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    print("write failed:", e)
    assert e.errno == 28
'''

NODE_PKG = '{"name": "netio", "version": "1.0.0", "scripts": {"test": "node --test"}}\n'
NODE_TESTS = '''
const test = require('node:test');
const assert = require('node:assert');
const net = require('node:net');

function closedPort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

test('maps ECONNREFUSED to a retryable error', async () => {
  const port = await closedPort();
  const err = await new Promise((resolve) => net.connect(port, '127.0.0.1').on('error', resolve));
  console.log('caught', err.message);
  assert.strictEqual(err.code, 'ECONNREFUSED');
});

test('reports ENOSPC: no space left on device', () => {
  const e = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  assert.strictEqual(e.code, 'ENOSPC');
});
'''

RUST_TESTS = '''
pub fn is_refused(e: &std::io::Error) -> bool { e.kind() == std::io::ErrorKind::ConnectionRefused }

#[cfg(test)]
mod tests {
    use std::net::{TcpListener, TcpStream};

    fn closed_port() -> u16 {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    }

    #[test]
    fn connection_refused_is_retried() {
        let port = closed_port();
        for attempt in 1..=2 {
            let e = TcpStream::connect(("127.0.0.1", port)).unwrap_err();
            println!("attempt {}: {}", attempt, e);
            assert!(super::is_refused(&e));
        }
    }

    #[test]
    fn no_space_left_on_device_maps_to_enospc() {
        let e = std::io::Error::from_raw_os_error(28);
        println!("write failed: {}", e);
        assert_eq!(e.raw_os_error(), Some(28));
    }

    #[test]
    #[ignore]
    fn segmentation_fault_regression() {}
'''

GTEST_CMAKE = '''
cmake_minimum_required(VERSION 3.16)
project(netio CXX)
set(CMAKE_CXX_STANDARD 17)
enable_testing()
find_package(GTest REQUIRED)
add_executable(netio_test netio_test.cc)
target_link_libraries(netio_test GTest::gtest GTest::gtest_main pthread)
add_test(NAME netio_test COMMAND netio_test)
'''
GTEST_TESTS = '''
#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <gtest/gtest.h>

static int ConnectToClosedPort() {
  int l = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t n = sizeof a;
  bind(l, reinterpret_cast<sockaddr*>(&a), n);
  getsockname(l, reinterpret_cast<sockaddr*>(&a), &n);
  close(l);
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int rc = connect(s, reinterpret_cast<sockaddr*>(&a), n);
  int err = rc == 0 ? 0 : errno;
  if (rc != 0) std::perror("connect");
  close(s);
  return err;
}

TEST(Net, ConnectionRefusedIsRetried) { EXPECT_EQ(ConnectToClosedPort(), ECONNREFUSED); }
TEST(Disk, NoSpaceLeftOnDeviceIsReported) {
  std::fprintf(stderr, "write: %s\\n", std::strerror(ENOSPC));
  EXPECT_EQ(ENOSPC, 28);
}
TEST(CrashDeathTest, SegmentationFaultKillsTheChild) {
  EXPECT_EXIT(std::raise(SIGSEGV), testing::KilledBySignal(SIGSEGV), "");
}
'''

# ------------------------------------------------------------------ green
g(Case('green-guard-py-pytest-names', 'python', 'pytest', 'success', 'python3 -m pytest -v -s -p no:cacheprovider tests',
       {'tests/test_netio.py': PY_TESTS}, ci='gha',
       note='passing tests named after failures, printing the caught errors (-s)'))
g(Case('green-guard-py-retry', 'python', 'python3', 'success', 'python3 client.py',
       {'client.py': PY_CLOSED_PORT + dedent('''
            import sys, threading, time

            port = closed_port()
            def serve():
                time.sleep(0.5)
                srv = socket.create_server(("127.0.0.1", port))
                conn, _ = srv.accept()
                conn.sendall(b"ready")
                conn.close()
            threading.Thread(target=serve, daemon=True).start()
            print("connecting to the fixture server on 127.0.0.1:%d" % port, flush=True)
            for attempt in range(1, 30):
                try:
                    c = socket.create_connection(("127.0.0.1", port), timeout=2)
                    break
                except ConnectionRefusedError as e:
                    if attempt == 1:
                        print("connect to 127.0.0.1:%d failed: %s" % (port, e), flush=True)
                        print("the server is not up yet, retrying in 0.2s", flush=True)
                    else:
                        print("connect to 127.0.0.1:%d failed: %s (attempt %d), retrying in 0.2s" % (port, e, attempt), flush=True)
                    time.sleep(0.2)
            print("connected: server says", c.recv(16).decode(), flush=True)
            try:
                socket.create_connection(("127.0.0.1", closed_port()), timeout=2)
            except ConnectionRefusedError as e:
                print("metrics endpoint unavailable (%s), falling back to the log exporter" % e, flush=True)
            print("seeded 12 rows")
            ''')}, ci='travis', note='a refused connection retried until the server is up; a fallback'))
g(Case('green-guard-node-test-names', 'node', 'node --test', 'success', 'npm test',
       {'package.json': NODE_PKG, 'test/netio.test.js': NODE_TESTS}, ci='gitlab',
       note='node --test: a passing test that catches ECONNREFUSED and logs it; test names with failure words'))
g(Case('green-guard-rust-cargo-nocapture', 'rust', 'cargo test', 'success',
       'cargo test --offline -- --nocapture --test-threads=1 --include-ignored',
       {'Cargo.toml': CARGO, 'src/lib.rs': RUST_TESTS + '}\n'}, ci='jenkins',
       note='cargo test --nocapture: passing tests print refused connections and ENOSPC'))
g(Case('green-guard-cpp-gtest-ctest', 'cpp', 'gtest', 'success',
       ['cmake -S . -B build', 'cmake --build build', 'ctest --test-dir build -V'],
       {'CMakeLists.txt': GTEST_CMAKE, 'netio_test.cc': GTEST_TESTS}, ci='gha',
       note='gtest under ctest -V (output prefixed "1: "): a passing death test and perror output'))
g(Case('green-guard-shell-bats-names', 'shell', 'bats', 'success', 'bats test',
       {'test/netio.bats': '''
            @test "reports a segmentation fault of a child" {
              run bash -c 'kill -SEGV $$'
              [ "$status" -eq 139 ]
            }
            @test "retries after connection refused" {
              run bash -c 'echo > /dev/tcp/127.0.0.1/1'
              [ "$status" -ne 0 ]
              [[ "$output" == *"Connection refused"* ]]
            }
            @test "detects no space left on device" {
              run bash -c 'echo x > /dev/full'
              [[ "$output" == *"No space left on device"* ]]
            }
            '''}, ci='travis', note='bats TAP: ok lines whose names are failure words'))
JUNIT = '/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar'
g(Case('green-guard-java-junit-caught', 'java', 'junit4', 'success',
       ['javac -d out -cp %s test/ClientTest.java' % JUNIT, 'java -cp out:%s org.junit.runner.JUnitCore ClientTest' % JUNIT],
       {'test/ClientTest.java': '''
            import static org.junit.Assert.*;
            import java.net.ConnectException;
            import java.net.ServerSocket;
            import java.net.Socket;
            import org.junit.Test;

            public class ClientTest {
              @Test public void refusedConnectionIsReported() throws Exception {
                int port;
                try (ServerSocket s = new ServerSocket(0)) { port = s.getLocalPort(); }
                try (Socket c = new Socket("127.0.0.1", port)) {
                  fail("connected");
                } catch (ConnectException e) {
                  e.printStackTrace();
                  assertTrue(e.getMessage().contains("refused"));
                }
              }
              @Test public void outOfMemoryErrorIsNotThrown() { assertEquals(4, 2 + 2); }
            }
            '''}, ci='gha', note='JUnit 4: a caught ConnectException stack trace, then OK'))

# ------------------------------------------------------------------ failing next to them
add(Case('guard-py-pytest-names-next-to-failure', 'python', 'pytest', 'test_failure',
         'python3 -m pytest -v -s -p no:cacheprovider tests',
         {'tests/test_netio.py': PY_TESTS + dedent('''
            def test_totals():
                rows = [3, 4]
                assert sum(rows) == 8
            ''')}, ci='gha', block=r'^_+ test_totals _+$', end=r'^E\s+assert',
         note='passing tests print Connection refused / ENOSPC; the failing assertion is the block'))
add(Case('guard-node-test-econnrefused-next-to-failure', 'node', 'node --test', 'test_failure', 'npm test',
         {'package.json': NODE_PKG, 'test/netio.test.js': NODE_TESTS + '''
            test('sums the batch', () => { assert.strictEqual([3, 4].reduce((a, b) => a + b), 8); });
            '''}, ci='travis', block=r'not ok \d+ - sums the batch', end=r'^\s*\.\.\.$|stack:|code:',
         note='a passing test logs a caught ECONNREFUSED; another test fails'))
add(Case('guard-rust-cargo-nocapture-next-to-failure', 'rust', 'cargo test', 'test_failure',
         'cargo test --offline -- --nocapture --test-threads=1',
         {'Cargo.toml': CARGO, 'src/lib.rs': RUST_TESTS + '''
                #[test]
                fn sums_the_batch() { assert_eq!([3, 4].iter().sum::<i32>(), 8); }
            }
            '''}, ci='gitlab', block=r"panicked at", end=r'right:|note: run with',
         note='cargo test --nocapture: passing tests print refused connections; an assertion fails'))
add(Case('guard-cpp-gtest-next-to-failure', 'cpp', 'gtest', 'test_failure',
         ['cmake -S . -B build', 'cmake --build build', './build/netio_test'],
         {'CMakeLists.txt': GTEST_CMAKE, 'netio_test.cc': GTEST_TESTS + '''
            TEST(Batch, Sums) { EXPECT_EQ(3 + 4, 8); }
            '''}, ci='jenkins', block=r'netio_test\.cc:\d+: Failure', end=r'Which is: 7|^\s+8$|\[  FAILED  \] Batch\.Sums \(',
         note='gtest: a passing test perrors "connect: Connection refused"; another test fails'))
add(Case('guard-shell-bats-names-next-to-failure', 'shell', 'bats', 'test_failure', 'bats test',
         {'test/netio.bats': '''
            @test "detects no space left on device" {
              run bash -c 'echo x > /dev/full'
              [[ "$output" == *"No space left on device"* ]]
            }
            @test "adds numbers" {
              result="$(( 3 + 4 ))"
              [ "$result" -eq 8 ]
            }
            '''}, ci='gha', block=r'^not ok 2', end=r'failed$',
         note='bats: an ok line names a failure word; the next test fails'))
add(Case('guard-py-retry-gives-up', 'python', 'python3', 'network_error', 'python3 client.py',
         {'client.py': PY_CLOSED_PORT + dedent('''
            import time

            port = closed_port()
            print("connecting to the fixture server on 127.0.0.1:%d" % port, flush=True)
            for attempt in range(1, 4):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=2)
                    break
                except ConnectionRefusedError as e:
                    print("connect failed: %s (attempt %d/3), retrying in 0.1s" % (e, attempt), flush=True)
                    time.sleep(0.1)
            else:
                print("giving up after 3 attempts", flush=True)
                socket.create_connection(("127.0.0.1", port), timeout=2)
            ''')}, ci='jenkins', block=r'^Traceback', end=r'^ConnectionRefusedError',
         note='the retries give up: the refused connection IS the failure'))

# ------------------------------------------------------------------ more handled errors
g(Case('green-guard-py-unittest-logged-error', 'python', 'unittest', 'success', 'python3 -m unittest -v',
       {'test_client.py': PY_CLOSED_PORT + dedent('''
            import logging, unittest
            logging.basicConfig(format="%(levelname)s:%(name)s:%(message)s")
            log = logging.getLogger("client")

            def fetch(port):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=2)
                    return "fresh"
                except ConnectionRefusedError:
                    log.exception("fetch from 127.0.0.1:%d failed, serving the cached copy", port)
                    return "cached"

            class FetchTest(unittest.TestCase):
                def test_serves_cache_when_the_server_is_down(self):
                    self.assertEqual(fetch(closed_port()), "cached")
            ''')}, ci='gha', note='unittest -v: a passing test logs a caught ConnectionRefusedError with its traceback'))
g(Case('green-guard-shell-curl-fallback', 'shell', 'curl', 'success',
       'curl -sS --retry 2 --retry-connrefused --retry-delay 0 http://127.0.0.1:1/metrics || echo "metrics server is down, falling back to the log exporter"',
       ci='jenkins', note='curl retries a refused connection, gives up, and the script falls back'))
add(Case('guard-sh-retry-then-config-error', 'shell', 'bash', 'config_error',
         ['bash scripts/wait-db.sh', 'python3 -c "import json; print(json.load(open(\'config.json\'))[\'db\'])"'],
         {'scripts/wait-db.sh': '''
            #!/bin/bash
            for i in 1 2; do
              if (echo > /dev/tcp/127.0.0.1/1) 2>/dev/null; then echo "db is up"; exit 0; fi
              echo "db 127.0.0.1:1: Connection refused, retrying in 0s (attempt $i)"
            done
            echo "db not reachable; continuing with the in-memory store"
            ''',
          'config.json': '{"db": "sqlite://x",}\n'}, ci='gitlab', block=r'^Traceback', end=r'json\.decoder\.JSONDecodeError',
         note='a refused connection retried and survived in one command, then a broken config file fails the next'))

# ------------------------------------------------------------------ suite names in a spec listing
NODE_SPEC_SUITES = '''
const { describe, it } = require('node:test');
const assert = require('node:assert');
describe('when the disk is full (ENOSPC: no space left on device)', () => {
  it('keeps the last good snapshot', () => { assert.ok(true); });
});
describe('Segmentation fault reports', () => {
  it('parses the faulting address', () => { assert.ok(true); });
});
'''
g(Case('green-guard-node-spec-suites', 'node', 'node --test', 'success', 'node --test --test-reporter=spec',
       {'test/suites.test.js': NODE_SPEC_SUITES}, ci='buildkite',
       note='node --test spec reporter: describe blocks named after failures ("▶ name" over passing tests)'))
add(Case('guard-node-spec-suites-next-to-failure', 'node', 'node --test', 'test_failure', 'node --test --test-reporter=spec',
         {'test/suites.test.js': NODE_SPEC_SUITES + '''
            describe('batch totals', () => {
              it('sums the batch', () => { assert.strictEqual([3, 4].reduce((a, b) => a + b), 8); });
            });
            '''}, ci='gha', block=r'^\s*✖ sums the batch', end=r'7 !== 8',
         note='node --test spec reporter: suites named after failures pass; another suite fails'))
