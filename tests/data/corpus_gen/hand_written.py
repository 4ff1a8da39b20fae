"""Corpus cases for tools that are not installed on this machine (go, gradle,
jest, mocha, MSVC, tsc, bundler) or failures that cannot be produced safely
here (a kernel OOM kill, a runner shutdown, a job timeout, an expired token).
Each body is modelled on the real tool's output; make_corpus.py wraps it in
the same CI noise as the real cases.
(name, category, signature, root regex, exit code, command, body)
"""

HAND = [
('go-build-error', 'compilation_error', 'go-compile-error', r'main\.go:14:2: undefined', 1, 'go build ./...', '''
go: downloading github.com/spf13/cobra v1.8.0
go: downloading github.com/inconshreveable/mousetrap v1.1.0
# example.com/ci/cmd/server
./main.go:14:2: undefined: loadConfigg
./main.go:21:9: cannot use port (variable of type string) as int value in argument to listen
'''),
('go-test-failure', 'test_failure', 'go-test-failure', r'--- FAIL: TestParseDuration', 1, 'go test ./...', '''
ok  	example.com/ci/internal/queue	0.412s
=== RUN   TestParseDuration
=== RUN   TestParseDuration/minutes
    duration_test.go:27: ParseDuration("5m") = 5s, want 5m0s
=== RUN   TestParseDuration/hours
--- FAIL: TestParseDuration (0.00s)
    --- FAIL: TestParseDuration/minutes (0.00s)
    --- PASS: TestParseDuration/hours (0.00s)
FAIL
FAIL	example.com/ci/internal/config	0.019s
?   	example.com/ci/cmd/server	[no test files]
FAIL
'''),
('go-module-missing', 'dependency_error', 'go-module-missing', r'no required module provides package', 1, 'go build ./...', '''
internal/store/pg.go:9:2: no required module provides package github.com/jackc/pgx/v5; to add it:
	go get github.com/jackc/pgx/v5
'''),
('go-proxy-dns', 'network_dns', 'go-dns-lookup', r'dial tcp: lookup', 1, 'go mod download', '''
go: github.com/spf13/cobra@v1.8.0: Get "https://proxy.golang.org/github.com/spf13/cobra/@v/v1.8.0.mod": dial tcp: lookup proxy.golang.org on 10.0.0.2:53: no such host
'''),
('go-test-timeout', 'timeout', 'test-timeout', r'panic: test timed out after', 2, 'go test -timeout 30s ./internal/queue', '''
=== RUN   TestConsumerDrains
panic: test timed out after 30s
	running tests:
		TestConsumerDrains (30s)

goroutine 23 [chan receive]:
example.com/ci/internal/queue.(*Consumer).Drain(0xc0000b6000)
	/work/internal/queue/consumer.go:88 +0x4d
FAIL	example.com/ci/internal/queue	30.021s
FAIL
'''),
('go-nil-panic', 'crash', 'go-panic', r'^(\S+ )?panic: runtime error', 2, './bin/migrate --dry-run', '''
2026/11/27 10:12:01 connecting to database
panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6d2f1a]

goroutine 1 [running]:
main.run(0x0)
	/work/cmd/migrate/main.go:42 +0x3a
main.main()
	/work/cmd/migrate/main.go:17 +0x25
'''),
('gradle-test-failure', 'test_failure', 'gradle-test-failure', r'FAILED$', 1, './gradlew test', '''
> Task :compileJava UP-TO-DATE
> Task :processResources NO-SOURCE
> Task :classes UP-TO-DATE
> Task :compileTestJava
> Task :test

InvoiceTest > totalIncludesTax() FAILED
    org.opentest4j.AssertionFailedError: expected: <119.0> but was: <100.0>
        at app//org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)
        at app//com.example.InvoiceTest.totalIncludesTax(InvoiceTest.java:18)

12 tests completed, 1 failed

> Task :test FAILED

FAILURE: Build failed with an exception.

* What went wrong:
Execution failed for task ':test'.
> There were failing tests. See the report at: file:///work/build/reports/tests/test/index.html

BUILD FAILED in 14s
4 actionable tasks: 2 executed, 2 up-to-date
'''),
('gradle-dependency', 'dependency_error', 'gradle-dependency-resolution', r'Could not resolve all files|Could not find com\.example', 1, './gradlew build', '''
> Task :compileJava FAILED

FAILURE: Build failed with an exception.

* What went wrong:
Execution failed for task ':compileJava'.
> Could not resolve all files for configuration ':compileClasspath'.
   > Could not find com.example:billing-client:3.4.1.
     Searched in the following locations:
       - https://repo.maven.apache.org/maven2/com/example/billing-client/3.4.1/billing-client-3.4.1.pom
     Required by:
         project :

* Try:
> Run with --stacktrace option to get the stack trace.

BUILD FAILED in 3s
'''),
('jest-failure', 'test_failure', 'jest-failure', r'● cart › applies discount|^(\S+ )?FAIL src/cart\.test\.js', 1, 'npx jest --ci', '''
PASS src/utils/format.test.js
FAIL src/cart.test.js
  ● cart › applies discount

    expect(received).toBe(expected) // Object.is equality

    Expected: 90
    Received: 100

      12 |   const cart = new Cart([{ price: 100 }]);
      13 |   cart.applyDiscount(0.1);
    > 14 |   expect(cart.total()).toBe(90);
         |                        ^
      15 | });

      at Object.toBe (src/cart.test.js:14:24)

Test Suites: 1 failed, 1 passed, 2 total
Tests:       1 failed, 7 passed, 8 total
Snapshots:   0 total
Time:        1.204 s
Ran all test suites.
'''),
('mocha-failure', 'test_failure', 'mocha-failure', r'^(\S+ )?\s+1 failing', 1, 'npx mocha', '''

  Router
    ✔ matches static routes
    ✔ matches params
    1) rejects unknown methods


  2 passing (12ms)
  1 failing

  1) Router
       rejects unknown methods:

      AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:

405 !== 404

      at Context.<anonymous> (test/router.test.js:31:12)
      at process.processImmediate (node:internal/timers:476:21)

'''),
('maven-surefire-failure', 'test_failure', 'junit-surefire-failure', r'Tests run: .*Failures: 1', 1, 'mvn -B test', '''
[INFO] -------------------------------------------------------
[INFO]  T E S T S
[INFO] -------------------------------------------------------
[INFO] Running com.example.InvoiceTest
[ERROR] Tests run: 4, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.061 s <<< FAILURE! - in com.example.InvoiceTest
[ERROR] com.example.InvoiceTest.totalIncludesTax  Time elapsed: 0.012 s  <<< FAILURE!
org.opentest4j.AssertionFailedError: expected: <119.0> but was: <100.0>
	at com.example.InvoiceTest.totalIncludesTax(InvoiceTest.java:18)

[INFO]
[INFO] Results:
[INFO]
[ERROR] Failures:
[ERROR]   InvoiceTest.totalIncludesTax:18 expected: <119.0> but was: <100.0>
[INFO]
[ERROR] Tests run: 9, Failures: 1, Errors: 0, Skipped: 0
[INFO]
[INFO] ------------------------------------------------------------------------
[INFO] BUILD FAILURE
[INFO] ------------------------------------------------------------------------
[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.2:test (default-test) on project billing: There are test failures.
'''),
('maven-compile-failure', 'compilation_error', 'javac-error', r'\[ERROR\] /work/src/main/java/com/example/Invoice\.java:\[22,16\]', 1, 'mvn -B package', '''
[INFO] --- maven-compiler-plugin:3.11.0:compile (default-compile) @ billing ---
[INFO] Changes detected - recompiling the module! :source
[INFO] Compiling 14 source files with javac [debug target 17] to target/classes
[INFO] -------------------------------------------------------------
[ERROR] COMPILATION ERROR :
[INFO] -------------------------------------------------------------
[ERROR] /work/src/main/java/com/example/Invoice.java:[22,16] cannot find symbol
  symbol:   variable taxRatee
  location: class com.example.Invoice
[INFO] 1 error
[INFO] -------------------------------------------------------------
[INFO] BUILD FAILURE
[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.11.0:compile (default-compile) on project billing: Compilation failure
'''),
('msvc-compile-error', 'compilation_error', 'msvc-compile-error', r'error C2065', 1, 'cmake --build build --config Release', '''
MSBuild version 17.8.3+195e7f5a3 for .NET Framework
  Checking Build System
  Building Custom Rule C:/a/app/app/CMakeLists.txt
  main.cpp
C:\\a\\app\\app\\src\\main.cpp(27,5): error C2065: 'configPath': undeclared identifier [C:\\a\\app\\app\\build\\app.vcxproj]
C:\\a\\app\\app\\src\\main.cpp(31,12): error C3861: 'loadConfig': identifier not found [C:\\a\\app\\app\\build\\app.vcxproj]
'''),
('typescript-error', 'compilation_error', 'typescript-error', r'error TS2322', 2, 'npx tsc --noEmit', '''
src/api/client.ts(42,7): error TS2322: Type 'string | undefined' is not assignable to type 'string'.
  Type 'undefined' is not assignable to type 'string'.
src/api/client.ts(58,19): error TS2339: Property 'retries' does not exist on type 'Options'.

Found 2 errors in the same file, starting at: src/api/client.ts:42
'''),
('npm-e404', 'dependency_error', 'npm-package-not-found', r'npm (ERR!|error) (code E404|404)', 1, 'npm ci', '''
npm ERR! code E404
npm ERR! 404 Not Found - GET https://registry.npmjs.org/@acme%2fui-kitt - Not found
npm ERR! 404
npm ERR! 404  '@acme/ui-kitt@^2.1.0' is not in this registry.
npm ERR! 404
npm ERR! 404 Note that you can also install from a
npm ERR! 404 tarball, folder, http url, or git url.

npm ERR! A complete log of this run can be found in:
npm ERR!     /home/runner/.npm/_logs/2026-11-27T10_11_42_118Z-debug-0.log
'''),
('npm-eresolve', 'dependency_error', 'npm-eresolve', r'ERESOLVE', 1, 'npm install', '''
npm ERR! code ERESOLVE
npm ERR! ERESOLVE unable to resolve dependency tree
npm ERR!
npm ERR! While resolving: dashboard@0.4.0
npm ERR! Found: react@18.2.0
npm ERR! node_modules/react
npm ERR!   react@"^18.2.0" from the root project
npm ERR!
npm ERR! Could not resolve dependency:
npm ERR! peer react@"^16.8.0" from react-chart-lite@1.9.2
'''),
('npm-lockfile-out-of-sync', 'dependency_error', 'npm-lockfile-out-of-sync', r'can only install packages when|code EUSAGE', 1, 'npm ci', '''
npm ERR! code EUSAGE
npm ERR!
npm ERR! `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync. Please update your lock file with `npm install` before continuing.
npm ERR!
npm ERR! Missing: left-pad@1.3.0 from lock file
'''),
('k8s-oomkilled', 'out_of_memory', 'oom-killer', r'OOMKilled', 137, 'kubectl logs job/integration --follow', '''
[integration] starting 8 workers
[integration] loading fixtures (2.1 GiB)
job "integration" container "runner" terminated: reason=OOMKilled exitCode=137
'''),
('dmesg-oom-kill', 'out_of_memory', 'oom-killer', r'Out of memory: Killed process', 137, 'make -j16 && dmesg | tail -3', '''
[ 62%] Building CXX object src/CMakeFiles/engine.dir/planner.cc.o
[ 63%] Building CXX object src/CMakeFiles/engine.dir/optimizer.cc.o
c++: fatal error: Killed signal terminated program cc1plus
compilation terminated.
make[2]: *** [src/CMakeFiles/engine.dir/build.make:132: src/CMakeFiles/engine.dir/optimizer.cc.o] Error 1
[812345.118273] Out of memory: Killed process 48213 (cc1plus) total-vm:3581240kB, anon-rss:3297116kB, file-rss:0kB, shmem-rss:0kB, UID:1001 pgtables:6812kB oom_score_adj:0
'''),
('cc1plus-killed', 'out_of_memory', 'compiler-killed-signal', r'Killed signal terminated program', 1, 'cmake --build build -j 8', '''
[ 41%] Building CXX object src/CMakeFiles/engine.dir/codegen.cc.o
[ 42%] Building CXX object src/CMakeFiles/engine.dir/lower.cc.o
c++: fatal error: Killed signal terminated program cc1plus
compilation terminated.
gmake[2]: *** [src/CMakeFiles/engine.dir/build.make:104: src/CMakeFiles/engine.dir/codegen.cc.o] Error 1
gmake[1]: *** [CMakeFiles/Makefile2:212: src/CMakeFiles/engine.dir/all] Error 2
gmake: *** [Makefile:136: all] Error 2
'''),
('gha-job-timeout', 'timeout', 'ci-job-timeout', r'exceeded the maximum execution time', 1, 'npm run e2e', '''
Running 212 tests using 2 workers
  [chromium] › checkout.spec.ts:14:5 › pays with saved card
##[error]The job running on runner GitHub Actions 12 has exceeded the maximum execution time of 60 minutes.
##[error]The operation was canceled.
'''),
('runner-shutdown', 'infrastructure', 'runner-lost', r'received a shutdown signal', 1, 'make test', '''
collected 1422 items
tests/test_api.py ............................................ [  3%]
##[error]The runner has received a shutdown signal. This can happen when the runner service is stopped, or a manually started runner is canceled.
##[error]The operation was canceled.
'''),
('git-auth-failed', 'permission_denied', 'git-auth-failed', r'Authentication failed', 128, 'git clone https://git.example.com/platform/deploy-config.git', '''
Cloning into 'deploy-config'...
remote: HTTP Basic: Access denied. The provided password or token is incorrect or your account has 2FA enabled.
fatal: Authentication failed for 'https://git.example.com/platform/deploy-config.git/'
'''),
('docker-socket-permission', 'permission_denied', 'docker-socket-permission', r'permission denied while trying to connect', 1, 'docker build -t api:ci .', '''
ERROR: permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Head "http://%2Fvar%2Frun%2Fdocker.sock/_ping": dial unix /var/run/docker.sock: connect: permission denied
'''),
('disk-quota', 'disk_full', 'disk-quota-exceeded', r'Disk quota exceeded', 1, 'ccache -s && cmake --build build', '''
[ 12%] Building C object deps/zlib/CMakeFiles/zlib.dir/deflate.c.o
ccache: error: Failed to create temporary file for /home/ci/.ccache/tmp/deflate.stdout: Disk quota exceeded
make[2]: *** [deps/zlib/CMakeFiles/zlib.dir/build.make:90: deps/zlib/CMakeFiles/zlib.dir/deflate.c.o] Error 1
'''),
('curl-connect-timeout', 'network_error', 'network-timeout', r'Connection timed out|Timeout was reached', 28, 'curl -fsSL --retry 2 https://artifacts.internal.example.com/toolchain.tar.xz -o tc.tar.xz', '''
Warning: Problem : timeout. Will retry in 1 seconds. 2 retries left.
Warning: Problem : timeout. Will retry in 2 seconds. 1 retries left.
curl: (28) Failed to connect to artifacts.internal.example.com port 443 after 130914 ms: Connection timed out
'''),
('network-unreachable', 'network_error', 'network-unreachable', r'Network is unreachable', 128, 'git fetch --depth 1 origin main', '''
fatal: unable to access 'https://github.com/acme/api.git/': Failed to connect to github.com port 443 after 3 ms: Network is unreachable
'''),
('apt-dns', 'network_dns', 'apt-temporary-failure-resolving', r"Temporary failure resolving", 100, 'apt-get update && apt-get install -y libpq-dev', '''
Err:1 http://deb.debian.org/debian bookworm InRelease
  Temporary failure resolving 'deb.debian.org'
Err:2 http://deb.debian.org/debian-security bookworm-security InRelease
  Temporary failure resolving 'deb.debian.org'
Reading package lists...
W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'
W: Some index files failed to download. They have been ignored, or old ones used instead.
Reading package lists...
Building dependency tree...
E: Unable to locate package libpq-dev
'''),
('pytest-timeout', 'timeout', 'test-timeout', r'Timeout >|Timeout \(', 1, 'pytest -q --timeout=5 tests', '''
........F.
=================================== FAILURES ===================================
_____________________________ test_worker_drains _____________________________
    def test_worker_drains(queue):
>       queue.join()
E       Failed: Timeout >5.0s

tests/test_worker.py:41: Failed
=========================== short test summary info ============================
FAILED tests/test_worker.py::test_worker_drains - Failed: Timeout >5.0s
1 failed, 9 passed in 6.31s
'''),
('sentinel-invalid-pipeline', 'config_error', 'sentinel-invalid-pipeline', r'invalid pipeline file', 1, '(pipeline)', '''
sentinel: invalid pipeline file .sentinel.yml: line 7: steps[1].timeout: "5 minutes" is not a duration (use 300s or 5m)
'''),
('rspec-failure', 'test_failure', 'rspec-failure', r'examples?, 1 failure|rspec \./spec', 1, 'bundle exec rspec', '''
Randomized with seed 51234
..F.

Failures:

  1) Cart#total applies the discount
     Failure/Error: expect(cart.total).to eq(90)

       expected: 90
            got: 100

     # ./spec/cart_spec.rb:14:in `block (3 levels) in <top (required)>'

Finished in 0.02341 seconds (files took 0.1881 seconds to load)
4 examples, 1 failure

Failed examples:

rspec ./spec/cart_spec.rb:11 # Cart#total applies the discount
'''),
('pip-resolution-impossible', 'dependency_error', 'pip-resolution-impossible', r'ResolutionImpossible|conflicting dependencies', 1, 'pip install -r requirements.txt', '''
Collecting flask==2.0.3
  Downloading Flask-2.0.3-py3-none-any.whl (95 kB)
Collecting werkzeug==3.0.1
  Downloading werkzeug-3.0.1-py3-none-any.whl (226 kB)
INFO: pip is looking at multiple versions of flask to determine which version is compatible with other requirements. This could take a while.
ERROR: Cannot install -r requirements.txt (line 1) and werkzeug==3.0.1 because these package versions have conflicting dependencies.

The conflict is caused by:
    The user requested werkzeug==3.0.1
    flask 2.0.3 depends on Werkzeug>=2.0

ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/#dealing-with-dependency-conflicts
'''),
('bundler-gem-missing', 'dependency_error', 'bundler-gem-not-found', r'Could not find', 7, 'bundle exec rake test', '''
Could not find nokogiri-1.16.0-x86_64-linux in locally installed gems
Run `bundle install` to install missing gems.
'''),
('tsan-data-race', 'crash', 'thread-sanitizer', r'WARNING: ThreadSanitizer', 66, './build-tsan/queue_test', '''
[==========] Running 3 tests from 1 test suite.
[ RUN      ] Queue.ConcurrentPush
==================
WARNING: ThreadSanitizer: data race (pid=31337)
  Write of size 8 at 0x7b0c00000018 by thread T2:
    #0 Queue::Push(int) /work/src/queue.cc:21 (queue_test+0x4f1a2)
  Previous read of size 8 at 0x7b0c00000018 by thread T1:
    #0 Queue::Size() const /work/src/queue.cc:30 (queue_test+0x4f2b8)
SUMMARY: ThreadSanitizer: data race /work/src/queue.cc:21 in Queue::Push(int)
==================
[       OK ] Queue.ConcurrentPush (12 ms)
ThreadSanitizer: reported 1 warnings
'''),
('fork-unavailable', 'infrastructure', 'resource-temporarily-unavailable', r'fork: .*Resource temporarily unavailable', 254, 'make -j64 test', '''
make[3]: fork: Resource temporarily unavailable
/bin/sh: fork: retry: Resource temporarily unavailable
'''),
('sentinel-start-failed', 'infrastructure', 'sentinel-step-start-failed', r"could not start", 1, '(worker)', '''
sentinel: step 'build' could not start: workspace /data/workspaces/run-812: No space left for checkout lock (EROFS: read-only file system)
'''),
('node-heap-jest', 'out_of_memory', 'node-heap-out-of-memory', r'heap out of memory|Reached heap limit', 134, 'npx jest --ci', '''
PASS src/parser.test.ts (6.1 s)

<--- Last few GCs --->

[2811:0x6b3c2a0]    61219 ms: Mark-Compact 2043.1 (2083.5) -> 2041.9 (2084.2) MB, 1672.06 / 0.00 ms  (average mu = 0.102, current mu = 0.011) allocation failure; scavenge might not succeed

<--- JS stacktrace --->

FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory
 1: 0xb8ced1 node::Abort() [node]
 2: 0xa96845  [node]
'''),
]
