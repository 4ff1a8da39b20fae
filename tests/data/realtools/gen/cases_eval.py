"""Evaluation split: Go, Ruby, PHP, Perl, Erlang, Elixir, Haskell, Lua and the
YAML/spelling linters. Held out: nobody writes rules from these logs; they
measure how triage generalises to ecosystems the rules were not written on."""
from framework import Case
import signal

C = []
add = C.append

GOMOD = 'module example.com/inventory\n\ngo 1.19\n'

# ----------------------------------------------------------------- Go
add(Case('go-build-undefined', 'go', 'go build', 'compilation_error', ['go version', 'go build ./...'],
         {'go.mod': GOMOD, 'stock.go': 'package inventory\n\nfunc Count(items []string) int {\n\treturn len(itemz)\n}\n',
          'cmd/inv/main.go': 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("inv")\n\tvar n int = "three"\n\t_ = n\n}\n'},
         ci='gha', block=r'^# ', end=r'cannot use|undefined'))
add(Case('go-test-fail', 'go', 'go test', 'test_failure', 'go test ./...',
         {'go.mod': GOMOD, 'stock.go': 'package inventory\n\nfunc Reserve(have, want int) int {\n\tif want > have {\n\t\treturn have\n\t}\n\treturn have - want + 1\n}\n',
          'stock_test.go': '''
            package inventory

            import "testing"

            func TestReserveAll(t *testing.T) {
            	if got := Reserve(5, 5); got != 0 {
            		t.Errorf("Reserve(5, 5) = %d, want 0", got)
            	}
            }

            func TestReserveTooMany(t *testing.T) {
            	if got := Reserve(2, 9); got != 2 {
            		t.Fatalf("Reserve(2, 9) = %d, want 2", got)
            	}
            }

            func TestConnectionRefusedIsRetried(t *testing.T) {}
            '''}, ci='travis', block=r'--- FAIL: TestReserveAll', end=r'^FAIL\s+example'))
add(Case('go-test-verbose-jenkins', 'go', 'go test', 'crash', 'go test -v -count=1 ./...',
         {'go.mod': GOMOD, 'parse.go': 'package inventory\n\nimport "strings"\n\nfunc SKU(s string) string { return strings.ToUpper(strings.TrimSpace(s))[:3] }\n',
          'parse_test.go': '''
            package inventory

            import "testing"

            func TestSKU(t *testing.T) {
            	cases := []struct{ in, want string }{{" abc-1 ", "ABC"}, {"xy", "XY"}}
            	for _, c := range cases {
            		t.Run(c.in, func(t *testing.T) {
            			if got := SKU(c.in); got != c.want {
            				t.Errorf("SKU(%q) = %q, want %q", c.in, got, c.want)
            			}
            		})
            	}
            }
            '''}, ci='jenkins', block=r'panic: runtime error', end=r'^FAIL\s+example'))
add(Case('go-missing-module', 'go', 'go build', 'dependency_error', 'go build ./...',
         {'go.mod': GOMOD, 'db.go': 'package inventory\n\nimport _ "github.com/acme-sentinel/pgdriver"\n'},
         ci='gitlab', block=r'no required module|cannot find module|missing go.sum|module lookup disabled', end='$'))
add(Case('go-proxy-dns', 'go', 'go mod', 'network_dns', 'go mod download',
         {'go.mod': GOMOD + '\nrequire github.com/acme-sentinel/retry v1.4.0\n'}, ci='gha',
         env={'GOPROXY': 'https://goproxy.example.invalid', 'GOFLAGS': ''}, block=r'no such host|dial tcp', end='$'))
add(Case('go-http-dns', 'go', 'go run', 'network_dns', 'go run ./cmd/fetch',
         {'go.mod': GOMOD, 'cmd/fetch/main.go': 'package main\n\nimport (\n\t"log"\n\t"net/http"\n)\n\nfunc main() {\n\tlog.SetFlags(0)\n\tlog.Println("fetching price list")\n\tif _, err := http.Get("http://prices.example.invalid/v2/list"); err != nil {\n\t\tlog.Fatalf("fetch: %v", err)\n\t}\n}\n'},
         ci='travis', block=r'^fetch: '))
add(Case('go-conn-refused', 'go', 'go test', 'network_error', 'go test ./...',
         {'go.mod': GOMOD, 'db_test.go': '''
            package inventory

            import (
            	"net"
            	"testing"
            )

            func TestMain(m *testing.M) {
            	if _, err := net.Dial("tcp", "127.0.0.1:1"); err != nil {
            		panic("database not reachable: " + err.Error())
            	}
            	m.Run()
            }

            func TestNothing(t *testing.T) {}
            '''}, ci='jenkins', block=r'^panic: database not reachable', end=r'^FAIL\s+example'))
add(Case('go-disk-full', 'go', 'go run', 'disk_full', 'go run ./cmd/export',
         {'go.mod': GOMOD, 'cmd/export/main.go': 'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\tif err := os.WriteFile("/dev/full", make([]byte, 1<<16), 0o644); err != nil {\n\t\tfmt.Fprintln(os.Stderr, "export:", err)\n\t\tos.Exit(1)\n\t}\n}\n'},
         ci='gitlab', block=r'^export: '))
add(Case('go-oom', 'go', 'go run', 'out_of_memory', ['go build -o grow ./cmd/grow', '(ulimit -v 1000000; ./grow)'],
         {'go.mod': GOMOD, 'cmd/grow/main.go': 'package main\n\nimport "fmt"\n\nfunc main() {\n\tvar keep [][]byte\n\tfmt.Println("warming cache")\n\tfor {\n\t\tb := make([]byte, 64<<20)\n\t\tfor i := range b { b[i] = 1 }\n\t\tkeep = append(keep, b)\n\t}\n}\n'},
         ci='gha', block=r'^runtime: out of memory', end=r'^fatal error: out of memory'))
add(Case('go-test-timeout', 'go', 'go test', 'timeout', 'go test -timeout 2s ./...',
         {'go.mod': GOMOD, 'wait_test.go': 'package inventory\n\nimport (\n\t"testing"\n\t"time"\n)\n\nfunc TestDrain(t *testing.T) {\n\tfor {\n\t\ttime.Sleep(100 * time.Millisecond)\n\t}\n}\n'},
         ci='travis', block=r'panic: test timed out', end=r'^goroutine \d+ \[running\]'))
add(Case('go-nil-panic', 'go', 'go run', 'crash', 'go run ./cmd/serve',
         {'go.mod': GOMOD, 'cmd/serve/main.go': 'package main\n\nimport "fmt"\n\ntype Config struct{ Port int }\n\nfunc load() *Config { return nil }\n\nfunc main() {\n\tfmt.Println("starting server")\n\tfmt.Println(load().Port)\n}\n'},
         ci='gha', block=r'^panic: runtime error', end=r'^exit status|main\.main'))
add(Case('go-permission', 'go', 'go run', 'permission_denied', 'go run ./cmd/install',
         {'go.mod': GOMOD, 'cmd/install/main.go': 'package main\n\nimport (\n\t"log"\n\t"os"\n)\n\nfunc main() {\n\tif err := os.MkdirAll("/usr/local/share/inventory", 0o755); err != nil {\n\t\tlog.Fatal(err)\n\t}\n}\n'},
         ci='jenkins', user='nobody', env={'GOCACHE': '/tmp/realtools-cache/go-build-nobody', 'GOPATH': '/tmp/realtools-cache/gopath-nobody'},
         setup='mkdir -p /tmp/realtools-cache/go-build-nobody /tmp/realtools-cache/gopath-nobody && chown nobody /tmp/realtools-cache/go-build-nobody /tmp/realtools-cache/gopath-nobody',
         block=r'permission denied'))
add(Case('go-vet', 'go', 'go vet', 'lint_error', 'go vet ./...',
         {'go.mod': GOMOD, 'log.go': 'package inventory\n\nimport "fmt"\n\nfunc Report(n int) string {\n\treturn fmt.Sprintf("%s items", n)\n}\n'},
         ci='gitlab', block=r'^# |vet:', end=r'Sprintf|%s'))
add(Case('go-gofmt', 'go', 'gofmt', 'lint_error', 'test -z "$(gofmt -l .)" || { gofmt -d .; echo "files not gofmt-ed:"; gofmt -l .; exit 1; }',
         {'go.mod': GOMOD, 'a.go': 'package inventory\nfunc  A( ) int {\nreturn 1}\n'}, ci='gha',
         block=r'^diff ', end=r'^a\.go$'))
add(Case('go-unknown-flag', 'go', 'go test', 'config_error', 'go build -race-detector ./...',
         {'go.mod': GOMOD, 'a.go': 'package inventory\n'}, ci='travis', block=r'flag provided but not defined', end='$'))

# ----------------------------------------------------------------- Ruby
add(Case('ruby-rspec-fail', 'ruby', 'rspec', 'test_failure', ['ruby --version', 'rspec --no-color'],
         {'lib/cart.rb': 'class Cart\n  def initialize; @items = []; end\n  def add(price) = @items << price\n  def total = @items.sum.round(1)\nend\n',
          'spec/cart_spec.rb': '''
            require_relative "../lib/cart"
            RSpec.describe Cart do
              it "starts empty" do
                expect(Cart.new.total).to eq(0)
              end
              it "sums prices" do
                c = Cart.new
                c.add(1.25); c.add(2.5)
                expect(c.total).to eq(3.75)
              end
              it "handles Errno::ECONNREFUSED from the price service" do
                expect(1).to eq(1)
              end
            end
            '''}, ci='gha', block=r'^\s+1\) Cart sums prices', end=r'^rspec \./spec'))
add(Case('ruby-rspec-color-travis', 'ruby', 'rspec', 'test_failure', 'rspec --force-color --format documentation',
         {'spec/slug_spec.rb': '''
            def slug(s) = s.downcase.gsub(/\\s+/, "-")
            RSpec.describe "slug" do
              it("lowercases") { expect(slug("AB")).to eq("ab") }
              it("strips punctuation") { expect(slug("a, b!")).to eq("a-b") }
              it("is pending: timeout when the registry is slow") { pending("flaky"); raise "Timeout::Error" }
            end
            '''}, ci='travis', block=r'^\s+1\) slug strips punctuation', end=r'^rspec \./spec'))
add(Case('ruby-minitest-fail', 'ruby', 'minitest', 'test_failure', 'ruby -Ilib -e "Dir[\'test/*_test.rb\'].each { |f| require_relative f }"',
         {'test/money_test.rb': '''
            require "minitest/autorun"
            class MoneyTest < Minitest::Test
              def test_cents
                assert_equal 116, (1.155 * 100).to_i
              end
              def test_whole
                assert_equal 300, 3 * 100
              end
            end
            '''}, ci='jenkins', block=r'^\s+1\) Failure:', end=r'\d+ runs, \d+ assertions'))
add(Case('ruby-syntax', 'ruby', 'ruby -c', 'compilation_error', 'ruby -wc lib/report.rb',
         {'lib/report.rb': 'def render(rows)\n  rows.each do |r|\n    puts r\n  end\n'}, ci='gitlab',
         block=r'report\.rb', end='$'))
add(Case('ruby-load-error', 'ruby', 'ruby', 'dependency_error', 'ruby app.rb',
         {'app.rb': 'require "json"\nrequire "sidekiq_sentinel_missing"\nputs JSON.dump({ok: true})\n'}, ci='gha',
         block=r'cannot load such file', end=r'cannot load such file|from app\.rb'))
add(Case('ruby-bundler-missing-gem', 'ruby', 'bundler', 'dependency_error', 'bundle install --local',
         {'Gemfile': 'source "https://rubygems.org"\ngem "rack-sentinel-nope", "~> 9.2"\n'}, ci='travis',
         block=r'Could not find|could not find', end='$'))
add(Case('ruby-dns', 'ruby', 'ruby', 'network_dns', 'ruby fetch.rb',
         {'fetch.rb': 'require "net/http"\nputs "fetching exchange rates"\nNet::HTTP.get(URI("http://rates.example.invalid/today"))\n'},
         ci='jenkins', block=r'getaddrinfo|Failed to open TCP', end=r'SocketError|getaddrinfo'))
add(Case('ruby-conn-refused', 'ruby', 'ruby', 'network_error', 'ruby db.rb',
         {'db.rb': 'require "socket"\nputs "connecting to redis at 127.0.0.1:1"\nTCPSocket.new("127.0.0.1", 1)\n'},
         ci='gitlab', block=r'Connection refused', end=r'ECONNREFUSED|Connection refused'))
add(Case('ruby-enospc', 'ruby', 'ruby', 'disk_full', 'ruby dump.rb',
         {'dump.rb': 'puts "writing fixtures"\nFile.write("/dev/full", "x" * 100_000)\n'}, ci='gha',
         block=r'No space left', end=r'ENOSPC|No space left'))
add(Case('ruby-nomemory', 'ruby', 'ruby', 'out_of_memory', '(ulimit -v 500000; ruby grow.rb)',
         {'grow.rb': 'keep = []\nputs "loading catalog"\nloop { keep << ("x" * (64 * 1024 * 1024)) }\n'}, ci='travis',
         block=r'NoMemoryError|failed to allocate memory', end=r'NoMemoryError|failed to allocate|from grow'))
add(Case('ruby-uncaught', 'ruby', 'ruby', 'crash', 'ruby worker.rb',
         {'worker.rb': 'class Job\n  def run(payload) = payload.fetch(:user_id)\nend\nputs "processing job 17"\nJob.new.run({})\n'},
         ci='jenkins', block=r'key not found|KeyError', end=r'from worker\.rb:\d+:in .<main>.|KeyError'))
add(Case('ruby-permission', 'ruby', 'ruby', 'permission_denied', 'ruby publish.rb',
         {'publish.rb': 'require "fileutils"\nputs "publishing docs"\nFileUtils.mkdir_p("/var/www/docs-sentinel")\n'},
         ci='gha', user='nobody', block=r'Permission denied', end=r'EACCES|Permission denied'))
add(Case('ruby-rubocop', 'ruby', 'rubocop', 'lint_error', 'rubocop --no-color lib',
         {'lib/util.rb': "def Compute(x)\n  y = 1\n  return x+1\nend\n"}, ci='gitlab',
         block=r'^Offenses:', end=r'offenses? detected'))
add(Case('ruby-rubocop-bad-config', 'ruby', 'rubocop', 'config_error', 'rubocop lib',
         {'.rubocop.yml': 'AllCops:\n  TargetRubyVersion: 3.1\nStyle/NoSuchCop:\n  Enabled: true\nLayout/LineLength:\n  Max: [120\n',
          'lib/a.rb': 'x = 1\n'}, ci='travis', block=r'rubocop\.yml|Error|error', end='$'))
add(Case('ruby-rspec-timeout', 'ruby', 'rspec', 'timeout', 'timeout 3 rspec --no-color',
         {'spec/poll_spec.rb': 'RSpec.describe "poller" do\n  it("waits for the job") { puts "polling job status"; loop { sleep 0.2 } }\nend\n'},
         ci='gha', block='EXIT'))

# ----------------------------------------------------------------- PHP
add(Case('php-phpunit-fail', 'php', 'phpunit', 'test_failure', ['php --version', 'phpunit --colors=never tests'],
         {'src/Price.php': '<?php\nfunction net(float $gross): float { return round($gross / 1.2, 1); }\n',
          'tests/PriceTest.php': '''
            <?php
            use PHPUnit\\Framework\\TestCase;
            require_once __DIR__ . '/../src/Price.php';
            final class PriceTest extends TestCase {
                public function testNet(): void { $this->assertSame(10.0, net(12.0)); }
                public function testNetCents(): void { $this->assertSame(8.33, net(10.0)); }
                public function testPermissionDeniedMessage(): void { $this->assertStringContainsString('denied', 'Permission denied'); }
            }
            '''}, ci='gha', block=r'^1\) PriceTest::testNetCents', end=r'^Tests: \d+'))
add(Case('php-syntax', 'php', 'php -l', 'compilation_error', 'for f in src/*.php; do php -l "$f" || exit 1; done',
         {'src/A.php': '<?php\necho "ok";\n', 'src/B.php': '<?php\nfunction b() {\n  return [1, 2\n}\n'}, ci='travis',
         block=r'Parse error|PHP Parse error', end=r'Errors parsing|Parse error'))
add(Case('php-missing-autoload', 'php', 'php', 'dependency_error', 'php bin/console.php',
         {'bin/console.php': "<?php\nrequire __DIR__ . '/../vendor/autoload.php';\necho 'ok';\n"}, ci='jenkins',
         block=r'Failed opening required|failed to open stream|Failed to open stream', end='$'))
add(Case('php-dns', 'php', 'php', 'network_dns', 'php fetch.php',
         {'fetch.php': '<?php\necho "fetching feed\\n";\n$r = file_get_contents("http://feeds.example.invalid/rss");\nif ($r === false) { fwrite(STDERR, "feed download failed\\n"); exit(1); }\n'},
         ci='gitlab', block=r'getaddrinfo', end=r'feed download failed'))
add(Case('php-conn-refused', 'php', 'php', 'network_error', 'php db.php',
         {'db.php': '<?php\n$s = @fsockopen("127.0.0.1", 1, $errno, $errstr, 2);\nif (!$s) { fwrite(STDERR, "cannot connect to 127.0.0.1:1: $errstr ($errno)\\n"); exit(1); }\n'},
         ci='gha', block=r'cannot connect'))
add(Case('php-memory-limit', 'php', 'php', 'out_of_memory', 'php -d memory_limit=16M build.php',
         {'build.php': '<?php\necho "building sitemap\\n";\n$a = [];\nwhile (true) { $a[] = str_repeat("x", 1 << 20); }\n'},
         ci='travis', block=r'Allowed memory size'))
add(Case('php-disk-full', 'php', 'php', 'disk_full', 'php cache.php',
         {'cache.php': '<?php\nif (file_put_contents("/dev/full", str_repeat("x", 100000)) === false) { fwrite(STDERR, "cache: write failed\\n"); exit(1); }\n'},
         ci='jenkins', block=r'No space left|errno=28', end=r'write failed'))
add(Case('php-uncaught', 'php', 'php', 'crash', 'php import.php',
         {'import.php': '<?php\nfunction parse(string $s): array { $d = json_decode($s, true, 512, JSON_THROW_ON_ERROR); return $d; }\necho "importing users\\n";\nparse("{bad json");\n'},
         ci='gha', block=r'Fatal error: Uncaught|PHP Fatal error', end=r'thrown in'))
add(Case('php-phpunit-missing-config', 'php', 'phpunit', 'config_error', 'phpunit -c phpunit.ci.xml',
         {'tests/ATest.php': '<?php\nuse PHPUnit\\Framework\\TestCase;\nfinal class ATest extends TestCase { public function testA(): void { $this->assertTrue(true); } }\n'},
         ci='gitlab', block=r'Could not read|could not|does not exist', end='$'))
add(Case('php-permission', 'php', 'php', 'permission_denied', 'php deploy.php',
         {'deploy.php': '<?php\nif (!mkdir("/var/lib/deploy-sentinel/releases", 0755, true)) { fwrite(STDERR, "deploy: cannot create release dir\\n"); exit(1); }\n'},
         ci='travis', user='nobody', block=r'Permission denied', end=r'cannot create'))

# ----------------------------------------------------------------- Perl
add(Case('perl-prove-fail', 'perl', 'prove', 'test_failure', ['perl -v | head -2', 'prove -v t/'],
         {'lib/Calc.pm': 'package Calc;\nsub mean { my @x = @_; my $s = 0; $s += $_ for @x; return $s / (@x - 1) }\n1;\n',
          't/calc.t': 'use strict;\nuse warnings;\nuse lib "lib";\nuse Test::More tests => 2;\nuse Calc;\nis(Calc::mean(2, 4), 3, "mean of two");\nok(1, "handles timeout values");\n'},
         ci='gha', block=r'^not ok 1', end=r'^Result: FAIL'))
add(Case('perl-missing-module', 'perl', 'perl', 'dependency_error', 'perl -Ilib bin/report.pl',
         {'bin/report.pl': 'use strict;\nuse Text::CSV_Sentinel_Missing;\nprint "ok\\n";\n'}, ci='travis',
         block=r"Can't locate", end=r'BEGIN failed'))
add(Case('perl-syntax', 'perl', 'perl -c', 'compilation_error', 'perl -c lib/Parser.pm',
         {'lib/Parser.pm': 'package Parser;\nsub parse {\n  my ($s) = @_\n  return split /,/, $s;\n}\n1;\n'}, ci='jenkins',
         block=r'syntax error', end=r'had compilation errors'))
add(Case('perl-die', 'perl', 'perl', 'crash', 'perl migrate.pl',
         {'migrate.pl': 'use strict;\nprint "running migration 12\\n";\nmy $conn;\n$conn->do("ALTER TABLE t ADD COLUMN c");\n'},
         ci='gitlab', block=r"Can't call method"))
add(Case('perl-oom', 'perl', 'perl', 'out_of_memory', '(ulimit -v 300000; perl grow.pl)',
         {'grow.pl': 'my @k;\nprint "loading\\n";\npush @k, "x" x (32 * 1024 * 1024) while 1;\n'}, ci='gha',
         block=r'Out of memory'))
add(Case('perl-conn-refused', 'perl', 'perl', 'network_error', 'perl ping.pl',
         {'ping.pl': 'use IO::Socket::INET;\nmy $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => 1, Proto => "tcp")\n  or die "cannot connect to queue at 127.0.0.1:1: $@\\n";\n'},
         ci='travis', block=r'cannot connect'))
add(Case('perl-dns', 'perl', 'perl', 'network_dns', 'perl resolve.pl',
         {'resolve.pl': 'use IO::Socket::INET;\nprint "contacting mirror\\n";\nIO::Socket::INET->new(PeerAddr => "cpan.example.invalid", PeerPort => 80, Proto => "tcp")\n  or die "mirror cpan.example.invalid unreachable: $@\\n";\n'},
         ci='jenkins', block=r'unreachable'))
add(Case('perl-perlcritic', 'perl', 'perlcritic', 'lint_error', 'perlcritic --severity 4 lib',
         {'lib/Legacy.pm': 'package Legacy;\nsub load {\n  open(FH, "<", shift);\n  my @l = <FH>;\n  return @l;\n}\n1;\n'}, ci='gitlab',
         block=r'Legacy\.pm|at line', end='$'))
add(Case('perl-alarm-timeout', 'perl', 'prove', 'timeout', 'prove t/',
         {'t/slow.t': 'use Test::More;\n$SIG{ALRM} = sub { BAIL_OUT("test timed out after 2s waiting for the lock") };\nalarm 2;\nok(1, "setup");\nsleep 10;\nok(1, "got lock");\ndone_testing;\n'},
         ci='gha', block=r'Bailout called', end=r'^FAILED--'))

# ----------------------------------------------------------------- Erlang
add(Case('erlang-erlc-error', 'erlang', 'erlc', 'compilation_error', ['mkdir -p ebin', 'erlc -o ebin src/*.erl'],
         {'src/counter.erl': '-module(counter).\n-export([incr/1]).\nincr(N) ->\n    N + Step.\n'}, ci='gha',
         block=r'counter\.erl:\d+', end='$'))
add(Case('erlang-eunit-fail', 'erlang', 'eunit', 'test_failure',
         ['mkdir -p ebin', 'erlc -o ebin src/*.erl', 'erl -noshell -pa ebin -eval "case eunit:test(shop, [verbose]) of ok -> halt(0); _ -> halt(1) end."'],
         {'src/shop.erl': '-module(shop).\n-export([total/1]).\n-include_lib("eunit/include/eunit.hrl").\ntotal(L) -> lists:sum(L) + 1.\ntotal_test() -> ?assertEqual(6, total([1, 2, 3])).\nempty_test() -> ?assert(is_integer(total([]))).\n'},
         ci='travis', block=r'\*failed\*|::error:|assertEqual', end=r'Failed: \d+'))
add(Case('erlang-badarith-crash', 'erlang', 'escript', 'crash', 'escript report.escript',
         {'report.escript': '#!/usr/bin/env escript\nmain(_) ->\n    io:format("computing ratio~n"),\n    R = ratio(10, 0),\n    io:format("~p~n", [R]).\nratio(A, B) -> A div B.\n'},
         ci='jenkins', block=r'escript: exception', end='$'))
add(Case('erlang-econnrefused', 'erlang', 'escript', 'network_error', 'escript conn.escript',
         {'conn.escript': '#!/usr/bin/env escript\nmain(_) ->\n    io:format("connecting to broker~n"),\n    {ok, _} = gen_tcp:connect("127.0.0.1", 1, []).\n'},
         ci='gitlab', block=r'escript: exception|econnrefused', end='$'))
add(Case('erlang-nxdomain', 'erlang', 'escript', 'network_dns', 'escript dns.escript',
         {'dns.escript': '#!/usr/bin/env escript\nmain(_) ->\n    io:format("connecting to hex mirror~n"),\n    {ok, _} = gen_tcp:connect("hex.example.invalid", 443, []).\n'},
         ci='gha', block=r'escript: exception|nxdomain', end='$'))
add(Case('erlang-enospc', 'erlang', 'escript', 'disk_full', 'escript write.escript',
         {'write.escript': '#!/usr/bin/env escript\nmain(_) ->\n    ok = file:write_file("/dev/full", binary:copy(<<"x">>, 100000)).\n'},
         ci='travis', block=r'escript: exception|enospc', end='$'))
add(Case('erlang-undef-module', 'erlang', 'escript', 'dependency_error', 'escript json.escript',
         {'json.escript': '#!/usr/bin/env escript\nmain(_) ->\n    io:format("~s~n", [jsx:encode(#{ok => true})]).\n'},
         ci='gha', block=r'escript: exception|undef', end='$'))

# ----------------------------------------------------------------- Elixir
MIX = '''
defmodule Ledger.MixProject do
  use Mix.Project
  def project, do: [app: :ledger, version: "0.1.0", elixir: "~> 1.14", deps: deps()]
  def application, do: [extra_applications: [:logger]]
  defp deps, do: []
end
'''
add(Case('elixir-exunit-fail', 'elixir', 'mix test', 'test_failure', ['elixir --version | tail -1', 'mix test --color'],
         {'mix.exs': MIX, 'lib/ledger.ex': 'defmodule Ledger do\n  def balance(entries), do: Enum.sum(entries) - 1\nend\n',
          'test/test_helper.exs': 'ExUnit.start()\n',
          'test/ledger_test.exs': 'defmodule LedgerTest do\n  use ExUnit.Case\n  test "balance sums entries" do\n    assert Ledger.balance([10, -4]) == 6\n  end\n  test "connection refused is retried" do\n    assert true\n  end\nend\n'},
         ci='gha', block=r'^\s+1\) test balance sums entries', end=r'\d+ tests?, \d+ failures?'))
add(Case('elixir-compile-error', 'elixir', 'mix compile', 'compilation_error', 'mix compile',
         {'mix.exs': MIX, 'lib/ledger.ex': 'defmodule Ledger do\n  def balance(entries), do: Enum.sum(entrys)\nend\n'},
         ci='travis', block=r'error|CompileError', end='$'))
add(Case('elixir-unknown-task', 'elixir', 'mix', 'config_error', 'mix credo --strict',
         {'mix.exs': MIX, 'lib/ledger.ex': 'defmodule Ledger do\nend\n'}, ci='jenkins', block=r'could not be found', end='$'))
add(Case('elixir-format-check', 'elixir', 'mix format', 'lint_error', 'mix format --check-formatted',
         {'mix.exs': MIX, '.formatter.exs': '[inputs: ["lib/**/*.ex"]]\n', 'lib/ledger.ex': 'defmodule Ledger do\n  def balance( entries ),do: Enum.sum( entries )\nend\n'},
         ci='gitlab', block=r'mix format failed|not formatted', end='$'))
add(Case('elixir-raise', 'elixir', 'elixir', 'crash', 'elixir run.exs',
         {'run.exs': 'IO.puts("reconciling ledger")\nentries = %{a: 1}\nMap.fetch!(entries, :b)\n'}, ci='gha',
         block=r'\*\* \(KeyError\)', end='$'))
add(Case('elixir-test-timeout', 'elixir', 'mix test', 'timeout', 'mix test',
         {'mix.exs': MIX, 'lib/ledger.ex': 'defmodule Ledger do\nend\n', 'test/test_helper.exs': 'ExUnit.start()\n',
          'test/slow_test.exs': 'defmodule SlowTest do\n  use ExUnit.Case\n  @tag timeout: 300\n  test "waits for settlement" do\n    Process.sleep(5_000)\n  end\nend\n'},
         ci='travis', block=r'^\s+1\) test waits for settlement', end=r'\d+ tests?, \d+ failures?'))
add(Case('elixir-dep-missing', 'elixir', 'mix', 'dependency_error', 'mix compile',
         {'mix.exs': MIX.replace('defp deps, do: []', 'defp deps, do: [{:jason_sentinel_nope, "~> 1.4"}]'), 'lib/ledger.ex': 'defmodule Ledger do\nend\n'},
         ci='gitlab', block=r'Unchecked dependencies|not available|dependency|Could not', end='$'))

# ----------------------------------------------------------------- Haskell
add(Case('haskell-type-error', 'haskell', 'ghc', 'compilation_error', ['ghc --version', 'ghc -outputdir build -o app Main.hs'],
         {'Main.hs': 'module Main where\n\ntotal :: [Int] -> Int\ntotal = sum\n\nmain :: IO ()\nmain = putStrLn (total [1, 2, 3])\n'},
         ci='gha', block=r'Main\.hs:\d+:\d+: error', end='$'))
add(Case('haskell-missing-module', 'haskell', 'ghc', 'dependency_error', 'ghc -outputdir build -o app Main.hs',
         {'Main.hs': 'module Main where\nimport qualified Data.Aeson as A\nmain :: IO ()\nmain = print (A.encode ())\n'},
         ci='travis', block=r'Main\.hs:\d+:\d+: error', end='$'))
add(Case('haskell-head-crash', 'haskell', 'ghc', 'crash', ['ghc -outputdir build -o app Main.hs', './app'],
         {'Main.hs': 'module Main where\nmain :: IO ()\nmain = do\n  putStrLn "reading first record"\n  print (head ([] :: [Int]))\n'},
         ci='jenkins', block=r'Prelude\.head|app:', end='$'))
add(Case('haskell-heap-overflow', 'haskell', 'ghc', 'out_of_memory', ['ghc -rtsopts -outputdir build -o app Main.hs', './app +RTS -M32m -RTS'],
         {'Main.hs': 'module Main where\nimport qualified Data.Map.Strict as M\nmain :: IO ()\nmain = do\n  putStrLn "indexing"\n  let m = M.fromList [(i, show i) | i <- [1 :: Int ..]]\n  print (M.size m)\n'},
         ci='gitlab', block=r'heap overflow|Heap exhausted', end='$'))
add(Case('haskell-error-call', 'haskell', 'ghc', 'test_failure', ['ghc -outputdir build -o spec Spec.hs', './spec'],
         {'Spec.hs': 'module Main where\nimport Control.Monad (unless)\nimport System.Exit\nsq :: Int -> Int\nsq x = x * x + 1\nmain :: IO ()\nmain = do\n  putStrLn "spec: sq"\n  unless (sq 3 == 9) $ do\n    putStrLn ("FAIL: sq 3: expected 9, got " ++ show (sq 3))\n    exitFailure\n  putStrLn "all passed"\n'},
         ci='gha', block=r'^FAIL: '))

# ----------------------------------------------------------------- Lua
add(Case('lua-syntax', 'lua', 'luac', 'compilation_error', 'luac5.4 -p src/*.lua',
         {'src/a.lua': 'local M = {}\nfunction M.f(x)\n  if x then return 1\nend\nreturn M\n'}, ci='travis',
         block=r'luac', end='$'))
add(Case('lua-runtime-error', 'lua', 'lua', 'crash', 'lua5.4 main.lua',
         {'main.lua': 'print("loading plugins")\nlocal cfg = nil\nprint(cfg.plugins)\n'}, ci='gitlab',
         block=r'attempt to index', end=r'\[C\]: in \?'))
add(Case('lua-missing-module', 'lua', 'lua', 'dependency_error', 'lua5.4 app.lua',
         {'app.lua': 'local socket = require("socket_sentinel_missing")\nprint(socket)\n'}, ci='gha',
         block=r"module 'socket_sentinel_missing' not found", end=r"no file '.*'$"))
add(Case('lua-assert-test', 'lua', 'lua', 'test_failure', 'lua5.4 test/run.lua',
         {'test/run.lua': 'local function add(a, b) return a + b + 0.5 end\nlocal ok, err = pcall(function() assert(add(1, 2) == 3, "add(1, 2) should be 3") end)\nprint((ok and "ok" or "not ok") .. " 1 - add")\nif not ok then print("# " .. err); os.exit(1) end\n'},
         ci='jenkins', block=r'^not ok 1', end=r'should be 3'))
add(Case('lua-oom', 'lua', 'lua', 'out_of_memory', '(ulimit -v 200000; lua5.4 grow.lua)',
         {'grow.lua': 'local t = {}\nprint("growing")\nwhile true do t[#t + 1] = string.rep("x", 16 * 1024 * 1024) .. #t end\n'},
         ci='travis', block=r'not enough memory', end='$'))

# ----------------------------------------------------------------- YAML / spelling / docs linters
add(Case('yaml-yamllint', 'docs', 'yamllint', 'lint_error', 'yamllint -f parsable .',
         {'ci.yml': 'jobs:\n  build:\n    steps:\n      - run: make   \n      - run:    make test\n', 'ok.yml': '---\na: 1\n'},
         ci='gha', block=r'ci\.yml:\d+', end='$'))
add(Case('yaml-yamllint-syntax', 'docs', 'yamllint', 'config_error', 'yamllint deploy.yml',
         {'deploy.yml': 'stages:\n  - build\n   - deploy\nvars: {a: 1\n'}, ci='travis', block=r'deploy\.yml', end='$'))
add(Case('docs-codespell', 'docs', 'codespell', 'lint_error', 'codespell README.md docs/',
         {'README.md': '# Ledger\n\nThis libary recieves entries and seperates them.\n', 'docs/a.md': 'Teh end.\n'},
         ci='gitlab', block=r'README\.md:\d+|docs/a\.md:\d+', end='$'))
add(Case('docs-killed-runner-gitlab', 'docs', 'bash', 'infrastructure', 'echo "building docs site"; sleep 60',
         {}, ci='gitlab', killer=(1.5, signal.SIGKILL), block='RUNNER'))
add(Case('go-killed-runner-travis', 'go', 'go test', 'infrastructure', 'echo "=== RUN   TestIntegration"; sleep 60',
         {}, ci='travis', killer=(1.5, signal.SIGTERM), block='RUNNER'))


# ----------------------------------------------------------------- green (eval ecosystems)
G = []
g = G.append
g(Case('green-go-test', 'go', 'go test', 'success', ['go vet ./...', 'go test -v ./...'],
       {'go.mod': GOMOD, 'a.go': 'package inventory\n\nfunc Add(a, b int) int { return a + b }\n',
        'a_test.go': 'package inventory\n\nimport "testing"\n\nfunc TestAdd(t *testing.T) {\n\tt.Log("connection refused is retried by the client")\n\tif Add(1, 2) != 3 {\n\t\tt.Fatal("bad")\n\t}\n}\n\nfunc TestPanicRecovery(t *testing.T) {\n\tdefer func() { _ = recover() }()\n\tt.Skip("panic: runtime error handling covered elsewhere")\n}\n'},
       ci='gha'))
g(Case('green-ruby-rspec', 'ruby', 'rspec', 'success', 'rspec --format documentation',
       {'spec/a_spec.rb': 'RSpec.describe "errors" do\n  it("maps Errno::ENOSPC (No space left on device) to a retry") { expect(1).to eq(1) }\n  it("is pending: segfault in ffi", skip: "Segmentation fault in libffi 3.4") { }\n  it("raises on timeout") { expect { raise IOError, "read timeout" }.to raise_error(IOError) }\nend\n'},
       ci='travis'))
g(Case('green-ruby-minitest', 'ruby', 'minitest', 'success', 'ruby -Ilib test/a_test.rb -v',
       {'test/a_test.rb': 'require "minitest/autorun"\nclass ATest < Minitest::Test\n  def test_permission_denied_is_reported\n    assert_equal "denied", "Permission denied".split.last\n  end\nend\n'},
       ci='jenkins'))
g(Case('green-php-phpunit', 'php', 'phpunit', 'success', 'phpunit --colors=never --testdox tests',
       {'tests/ATest.php': '<?php\nuse PHPUnit\\Framework\\TestCase;\nfinal class ATest extends TestCase {\n  public function testFatalErrorMessageIsParsed(): void { $this->assertStringStartsWith("Fatal", "Fatal error: x"); }\n  public function testOutOfMemory(): void { $this->markTestSkipped("Allowed memory size exhausted on 32-bit"); }\n}\n'},
       ci='gitlab'))
g(Case('green-perl-prove', 'perl', 'prove', 'success', 'prove -v t/',
       {'t/a.t': 'use Test::More tests => 2;\nok(1, "connection refused is handled");\nSKIP: { skip "Out of memory on small runners", 1; ok(0) }\n'}, ci='gha'))
g(Case('green-erlang-eunit', 'erlang', 'eunit', 'success',
       ['mkdir -p ebin', 'erlc -o ebin src/*.erl', 'erl -noshell -pa ebin -eval "case eunit:test(shop, [verbose]) of ok -> halt(0); _ -> halt(1) end."'],
       {'src/shop.erl': '-module(shop).\n-export([total/1]).\n-include_lib("eunit/include/eunit.hrl").\ntotal(L) -> lists:sum(L).\ntotal_test() -> ?assertEqual(6, total([1, 2, 3])).\nerror_is_caught_test() -> ?assertError(badarith, 1 div zero()).\nzero() -> 0.\n'},
       ci='travis'))
g(Case('green-elixir-mix-test', 'elixir', 'mix test', 'success', ['mix compile', 'mix test --trace'],
       {'mix.exs': MIX, 'lib/ledger.ex': 'defmodule Ledger do\n  require Logger\n  def balance(e) do\n    Logger.debug("timeout while fetching rates, using cache")\n    Enum.sum(e)\n  end\nend\n',
        'test/test_helper.exs': 'ExUnit.start()\n', 'test/ledger_test.exs': 'defmodule LedgerTest do\n  use ExUnit.Case\n  test "balance", do: assert(Ledger.balance([1, 2]) == 3)\n  @tag :skip\n  test "crash on nxdomain", do: assert(false)\nend\n'},
       ci='gha'))
g(Case('green-haskell-build', 'haskell', 'ghc', 'success', ['ghc -outputdir build -o app Main.hs', './app'],
       {'Main.hs': 'module Main where\nmain :: IO ()\nmain = putStrLn "error: none (exception handling self-test ok)"\n'}, ci='jenkins'))
g(Case('green-lua-run', 'lua', 'lua', 'success', 'lua5.4 test.lua',
       {'test.lua': 'print("ok 1 - attempt to index a nil value is caught")\nprint("ok 2 - not enough memory guard")\nprint("1..2")\n'}, ci='gitlab'))
g(Case('green-docs-lint', 'docs', 'yamllint', 'success', ['yamllint -d relaxed .', 'codespell README.md'],
       {'ci.yml': '---\njobs:\n  build:\n    steps:\n      - run: make\n', 'README.md': '# Ledger\n\nHandles errors, timeouts and failures gracefully.\n'}, ci='travis'))
