"""Evaluation split, second part: ecosystems added for breadth (Fortran, Ada,
Pascal, C#/Mono, Common Lisp, Scheme, Tcl, Nim, R, Scala, D, Prolog, Vala).
Held out like cases_eval.py: nobody writes rules, guards or examples from
these logs. Tools are Debian 12 packages; see ../README.md."""
from framework import Case
import signal

C = []
add = C.append
G = []
g = G.append

# ----------------------------------------------------------------- Fortran (gfortran)
STATS_F90 = '''
module stats
  implicit none
contains
  function mean(x) result(m)
    real, intent(in) :: x(:)
    real :: m
    m = sum(x) / size(x)
  end function
end module stats
'''
add(Case('fortran-compile-error', 'fortran', 'gfortran', 'compilation_error', ['gfortran --version | head -1', 'gfortran -c -Wall src/grid.f90'],
         {'src/grid.f90': 'module grid\n  implicit none\ncontains\n  subroutine fill(a, n)\n    integer, intent(in) :: n\n    real, intent(out) :: a(n)\n    integer :: i\n    do i = 1, n\n      a(i) = real(i) * scale\n    end do\n  end subroutine\nend module grid\n'},
         ci='gha', block=r'grid\.f90:\d+:\d+', end=r'^Error:'))
add(Case('fortran-bounds-crash', 'fortran', 'gfortran', 'crash', ['gfortran -g -fcheck=bounds -o smooth smooth.f90', './smooth'],
         {'smooth.f90': 'program smooth\n  implicit none\n  real :: w(5)\n  integer :: i, n\n  n = 6\n  print *, "smoothing 6 samples"\n  do i = 1, n\n    w(i) = 1.0 / i\n  end do\n  print *, w\nend program smooth\n'},
         ci='travis', block=r'^At line \d+ of file', end=r'^\s+at .*smooth\.f90'))
add(Case('fortran-test-fail', 'fortran', 'make check', 'test_failure', 'make check',
         {'Makefile': 'FC = gfortran\n\ncheck: test_stats\n\t./test_stats\n\ntest_stats: stats.f90 test_stats.f90\n\t$(FC) -o $@ stats.f90 test_stats.f90\n',
          'stats.f90': STATS_F90,
          'test_stats.f90': '''
            program test_stats
              use stats
              implicit none
              integer :: failed = 0
              call check('mean of 1..4', mean([1.0, 2.0, 3.0, 4.0]), 2.5)
              call check('mean of one value', mean([7.0]), 7.0)
              call check('mean of integers', mean([1.0, 2.0]), 1.0)
              if (failed > 0) then
                print '(I0, A)', failed, ' of 3 tests FAILED'
                error stop 1
              end if
              print '(A)', 'all 3 tests passed'
            contains
              subroutine check(name, got, want)
                character(*), intent(in) :: name
                real, intent(in) :: got, want
                if (abs(got - want) > 1e-6) then
                  print '(A, A, F8.3, A, F8.3)', 'FAIL: ', name, got, ' /= ', want
                  failed = failed + 1
                else
                  print '(A, A)', 'PASS: ', name
                end if
              end subroutine
            end program test_stats
            '''}, ci='jenkins', block=r'^FAIL: mean of integers', end=r'^ERROR STOP'))
add(Case('fortran-missing-module', 'fortran', 'gfortran', 'dependency_error', 'gfortran -o loader loader.f90',
         {'loader.f90': 'program loader\n  use json_module\n  implicit none\n  type(json_file) :: cfg\n  call cfg%load(filename="settings.json")\nend program loader\n'},
         ci='gitlab', block=r'loader\.f90:2:', end=r'^Fatal Error: Cannot open module'))
add(Case('fortran-link-error', 'fortran', 'gfortran', 'compilation_error', 'gfortran -o solver main.f90',
         {'main.f90': 'program solver\n  implicit none\n  real :: x(3) = [1.0, 2.0, 3.0]\n  external :: lu_solve\n  print *, "solving 3x3 system"\n  call lu_solve(x, 3)\nend program solver\n'},
         ci='buildkite', block=r'/usr/bin/ld: ', end=r'collect2: error'))
add(Case('fortran-segfault', 'fortran', 'gfortran', 'crash', ['gfortran -g -o walk walk.f90', './walk'],
         {'walk.f90': 'program walk\n  implicit none\n  integer, pointer :: p(:) => null()\n  print *, "walking the mesh"\n  p(3) = 42\n  print *, p(3)\nend program walk\n'},
         ci='gha', block=r'^Program received signal SIGSEGV', end=r'^\s+at .*walk\.f90'))
add(Case('fortran-oom', 'fortran', 'gfortran', 'out_of_memory', ['gfortran -o field field.f90', '(ulimit -v 500000; ./field)'],
         {'field.f90': 'program field\n  implicit none\n  real(8), allocatable :: u(:,:)\n  print *, "allocating 40000x40000 grid"\n  allocate(u(40000, 40000))\n  u = 0\n  print *, sum(u)\nend program field\n'},
         ci='travis', block=r'Error allocating', end=r'^Error termination|Error allocating'))
add(Case('fortran-permission', 'fortran', 'gfortran', 'permission_denied', ['gfortran -o save save.f90', './save'],
         {'save.f90': 'program save\n  implicit none\n  print *, "writing results"\n  open(unit=10, file="/var/lib/results.dat", status="replace", action="write")\n  write(10, *) 1.0\n  close(10)\nend program save\n'},
         ci='jenkins', user='nobody', block=r'^At line \d+ of file', end=r'Permission denied'))
add(Case('fortran-make-no-rule', 'fortran', 'make', 'config_error', 'make test',
         {'Makefile': 'FC = gfortran\n\nall: solver\n\nsolver: main.f90 linalg.f90\n\t$(FC) -o $@ $^\n',
          'main.f90': 'program solver\nend program solver\n'},
         ci='gitlab', block=r"No rule to make target"))
g(Case('green-fortran-make', 'fortran', 'make check', 'success', 'make check',
       {'Makefile': 'FC = gfortran\n\ncheck: test_stats\n\t./test_stats\n\ntest_stats: stats.f90 test_stats.f90\n\t$(FC) -Wall -o $@ stats.f90 test_stats.f90\n',
        'stats.f90': STATS_F90,
        'test_stats.f90': 'program test_stats\n  use stats\n  implicit none\n  integer :: unused\n  print \'(A)\', "PASS: mean of 1..4 (no segmentation fault on empty input)"\n  if (abs(mean([1.0, 2.0, 3.0, 4.0]) - 2.5) > 1e-6) error stop 1\n  print \'(A)\', "all tests passed"\nend program test_stats\n'},
       ci='gha'))

# ----------------------------------------------------------------- Ada (GNAT)
add(Case('ada-compile-error', 'ada', 'gnatmake', 'compilation_error', ['gnatmake --version | head -1', 'gnatmake -q main.adb'],
         {'main.adb': 'with Ada.Text_IO; use Ada.Text_IO;\nprocedure Main is\n   Count : Integer := 0;\nbegin\n   Count := Count + "1";\n   Put_Line (Integer\'Image (Count));\nend Main;\n'},
         ci='gha', block=r'main\.adb:\d+:\d+', end=r'gnatmake: .* compilation error'))
add(Case('ada-constraint-crash', 'ada', 'gnatmake', 'crash', ['gnatmake -q -g main.adb', './main'],
         {'main.adb': 'with Ada.Text_IO; use Ada.Text_IO;\nprocedure Main is\n   type Slots is array (1 .. 3) of Integer;\n   S : Slots := (others => 0);\n   N : Integer := 4;\nbegin\n   Put_Line ("booking slot" & Integer\'Image (N));\n   S (N) := 1;\n   Put_Line (Integer\'Image (S (1)));\nend Main;\n'},
         ci='travis', block=r'raised CONSTRAINT_ERROR'))
add(Case('ada-missing-package', 'ada', 'gnatmake', 'dependency_error', 'gnatmake -q main.adb',
         {'main.adb': 'with GNATCOLL.JSON;\nprocedure Main is\n   V : GNATCOLL.JSON.JSON_Value;\nbegin\n   null;\nend Main;\n'},
         ci='jenkins', block=r'not found|cannot be found|is not a predefined', end=r'gnatmake: .*(error|not found)'))
add(Case('ada-assertion-test', 'ada', 'gnatmake', 'test_failure', ['gnatmake -q -gnata test_prices.adb', './test_prices'],
         {'prices.ads': 'package Prices is\n   function Net (Gross : Integer) return Integer;\nend Prices;\n',
          'prices.adb': 'package body Prices is\n   function Net (Gross : Integer) return Integer is (Gross * 5 / 6 + 1);\nend Prices;\n',
          'test_prices.adb': 'with Ada.Text_IO; use Ada.Text_IO;\nwith Prices;\nprocedure Test_Prices is\nbegin\n   Put_Line ("test: net of 12");\n   pragma Assert (Prices.Net (12) = 10, "Net (12) should be 10");\n   Put_Line ("ok");\nend Test_Prices;\n'},
         ci='gitlab', block=r'raised ADA\.ASSERTIONS\.ASSERTION_ERROR'))
add(Case('ada-style-check', 'ada', 'gnatmake', 'lint_error', 'gnatmake -q -gnatyg -gnatwe main.adb',
         {'main.adb': 'with Ada.Text_IO; use Ada.Text_IO;\nprocedure Main is\nbegin\n   Put_Line("hello") ;   \nend Main;\n'},
         ci='buildkite', block=r'main\.adb:\d+:\d+: \(style\)', end=r'gnatmake: .* compilation error'))
add(Case('ada-stack-overflow', 'ada', 'gnatmake', 'crash', ['gnatmake -q main.adb', './main'],
         {'main.adb': 'with Ada.Text_IO; use Ada.Text_IO;\nprocedure Main is\n   function Depth (N : Integer) return Integer is\n      Pad : array (1 .. 1000) of Integer := (others => N);\n   begin\n      return Depth (N + 1) + Pad (1);\n   end Depth;\nbegin\n   Put_Line ("walking tree");\n   Put_Line (Integer\'Image (Depth (0)));\nend Main;\n'},
         ci='gha', block=r'raised STORAGE_ERROR'))
add(Case('ada-bad-switch', 'ada', 'gnatmake', 'config_error', 'gnatmake -q -gnat2035 main.adb',
         {'main.adb': 'procedure Main is\nbegin\n   null;\nend Main;\n'},
         ci='travis', block=r'invalid|unrecognized|bad switch|illegal', end='$'))
g(Case('green-ada-build', 'ada', 'gnatmake', 'success', ['gnatmake -q -gnata test_prices.adb', './test_prices'],
       {'prices.ads': 'package Prices is\n   function Net (Gross : Integer) return Integer;\nend Prices;\n',
        'prices.adb': 'package body Prices is\n   function Net (Gross : Integer) return Integer is (Gross * 5 / 6);\nend Prices;\n',
        'test_prices.adb': 'with Ada.Text_IO; use Ada.Text_IO;\nwith Prices;\nprocedure Test_Prices is\nbegin\n   pragma Assert (Prices.Net (12) = 10);\n   Put_Line ("ok: CONSTRAINT_ERROR is raised on negative input (checked elsewhere)");\nend Test_Prices;\n'},
       ci='jenkins'))

# ----------------------------------------------------------------- Pascal (Free Pascal)
add(Case('pascal-compile-error', 'pascal', 'fpc', 'compilation_error', 'fpc -vew report.pas',
         {'report.pas': "program Report;\nvar\n  Total: Integer;\nbegin\n  Total := 0;\n  Totl := Total + 1;\n  WriteLn('total ', Total);\nend.\n"},
         ci='gha', block=r'report\.pas\(\d+,\d+\) Error', end=r'Fatal: Compilation aborted|There were \d+ errors'))
add(Case('pascal-missing-unit', 'pascal', 'fpc', 'dependency_error', 'fpc -vew fetch.pas',
         {'fetch.pas': "program Fetch;\nuses SynaUtil, HttpSend;\nbegin\n  WriteLn('fetching');\nend.\n"},
         ci='jenkins', block=r"Can't find unit", end=r"Can't find unit|Compilation aborted"))
add(Case('pascal-range-crash', 'pascal', 'fpc', 'crash', ['fpc -vew -Cr -gl ledger.pas', './ledger'],
         {'ledger.pas': "program Ledger;\n{$R+}\nvar\n  Days: array[1..7] of Integer;\n  I: Integer;\nbegin\n  WriteLn('closing week');\n  for I := 1 to 8 do\n    Days[I] := I;\n  WriteLn(Days[1]);\nend.\n"},
         ci='travis', block=r'^Runtime error 201', end=r'ledger\.pas|\$[0-9A-F]+$'))
add(Case('pascal-disk-full', 'pascal', 'fpc', 'disk_full', ['fpc -vew export.pas', './export'],
         {'export.pas': "program ExportData;\n{$mode objfpc}\nuses SysUtils;\nvar\n  H: THandle;\n  Buf: array[0..65535] of Byte;\nbegin\n  WriteLn('exporting snapshot');\n  H := FileOpen('/dev/full', fmOpenWrite);\n  if FileWrite(H, Buf, SizeOf(Buf)) < 0 then\n    RaiseLastOSError;\n  FileClose(H);\nend.\n"},
         ci='gitlab', block=r'An unhandled exception', end=r'No space left'))
add(Case('pascal-fpcunit-fail', 'pascal', 'fpcunit', 'test_failure', ['fpc -vew -Fu. testrunner.pas', './testrunner --all --format=plain'],
         {'calc.pas': "unit Calc;\n{$mode objfpc}\ninterface\nfunction Percent(Part, Whole: Integer): Integer;\nimplementation\nfunction Percent(Part, Whole: Integer): Integer;\nbegin\n  Result := Part * 100 div Whole + 1;\nend;\nend.\n",
          'calctests.pas': "unit CalcTests;\n{$mode objfpc}{$H+}\ninterface\nuses fpcunit, testregistry, Calc;\ntype\n  TCalcTest = class(TTestCase)\n  published\n    procedure TestHalf;\n    procedure TestZeroPart;\n  end;\nimplementation\nprocedure TCalcTest.TestHalf;\nbegin\n  AssertEquals('half', 50, Percent(1, 2));\nend;\nprocedure TCalcTest.TestZeroPart;\nbegin\n  AssertEquals('zero', 0, Percent(0, 5));\nend;\ninitialization\n  RegisterTest(TCalcTest);\nend.\n",
          'testrunner.pas': "program TestRunner;\n{$mode objfpc}{$H+}\nuses consoletestrunner, CalcTests;\nvar\n  App: TTestRunner;\nbegin\n  App := TTestRunner.Create(nil);\n  App.Initialize;\n  App.Run;\n  App.Free;\nend.\n"},
         ci='buildkite', block=r'TestHalf\s+Failed', end=r'Number of failures'))
add(Case('pascal-bad-option', 'pascal', 'fpc', 'config_error', 'fpc -Mdelphix main.pas',
         {'main.pas': "program Main;\nbegin\nend.\n"},
         ci='gha', block=r'Illegal|illegal|Error', end='$'))
g(Case('green-pascal-build', 'pascal', 'fpc', 'success', ['fpc -vewn report.pas', './report'],
       {'report.pas': "program Report;\nvar\n  Total, Unused: Integer;\nbegin\n  Total := 2;\n  WriteLn('runtime error handling: ok, total ', Total);\nend.\n"},
       ci='travis'))

# ----------------------------------------------------------------- C# (Mono)
add(Case('csharp-compile-error', 'csharp', 'mcs', 'compilation_error', ['mono --version | head -1', 'mcs -out:app.exe src/*.cs'],
         {'src/Order.cs': 'using System;\nnamespace Shop {\n  public class Order {\n    public decimal Total(decimal[] prices) {\n      decimal sum = 0;\n      foreach (var p in prices) sum += p;\n      return sume;\n    }\n  }\n}\n',
          'src/Program.cs': 'using System;\nnamespace Shop {\n  static class Program {\n    static void Main() { Console.WriteLine(new Order().Total(new decimal[] {1m, 2m})); }\n  }\n}\n'},
         ci='gha', block=r'error CS\d+', end=r'Compilation failed'))
add(Case('csharp-missing-reference', 'csharp', 'mcs', 'dependency_error', 'mcs -out:sync.exe Sync.cs',
         {'Sync.cs': 'using System;\nusing Newtonsoft.Json;\nclass Sync {\n  static void Main() { Console.WriteLine(JsonConvert.SerializeObject(new { ok = true })); }\n}\n'},
         ci='jenkins', block=r'error CS0246', end=r'Compilation failed'))
add(Case('csharp-unhandled', 'csharp', 'mono', 'crash', ['mcs -debug -out:worker.exe Worker.cs', 'mono --debug worker.exe'],
         {'Worker.cs': 'using System;\nusing System.Collections.Generic;\nclass Worker {\n  static Dictionary<string, string> cfg = new Dictionary<string, string>();\n  static void Main() {\n    Console.WriteLine("processing queue");\n    Console.WriteLine(cfg["queue_url"].Length);\n  }\n}\n'},
         ci='travis', block=r'^Unhandled Exception', end=r'at Worker\.Main'))
add(Case('csharp-conn-refused', 'csharp', 'mono', 'network_error', ['mcs -out:ping.exe Ping.cs', 'mono ping.exe'],
         {'Ping.cs': 'using System;\nusing System.Net.Sockets;\nclass Ping {\n  static void Main() {\n    Console.WriteLine("connecting to cache at 127.0.0.1:1");\n    new TcpClient("127.0.0.1", 1);\n  }\n}\n'},
         ci='gitlab', block=r'^Unhandled Exception', end=r'SocketException'))
add(Case('csharp-disk-full', 'csharp', 'mono', 'disk_full', ['mcs -out:dump.exe Dump.cs', 'mono dump.exe'],
         {'Dump.cs': 'using System;\nusing System.IO;\nclass Dump {\n  static void Main() {\n    Console.WriteLine("writing report cache");\n    File.WriteAllBytes("/dev/full", new byte[1 << 16]);\n  }\n}\n'},
         ci='buildkite', block=r'^Unhandled Exception', end=r'IOException'))
add(Case('csharp-permission', 'csharp', 'mono', 'permission_denied', ['mcs -out:deploy.exe Deploy.cs', 'mono deploy.exe'],
         {'Deploy.cs': 'using System;\nusing System.IO;\nclass Deploy {\n  static void Main() {\n    Console.WriteLine("installing plugin");\n    File.WriteAllText("/usr/lib/shop-plugin.dll", "x");\n  }\n}\n'},
         ci='gha', user='nobody', block=r'^Unhandled Exception', end=r'UnauthorizedAccessException'))
add(Case('csharp-timeout', 'csharp', 'mono', 'timeout', ['mcs -out:poll.exe Poll.cs', 'timeout 4 mono poll.exe'],
         {'Poll.cs': 'using System;\nusing System.Threading;\nclass Poll {\n  static void Main() {\n    Console.WriteLine("waiting for the build agent to report ready");\n    while (true) Thread.Sleep(200);\n  }\n}\n'},
         ci='travis', block='EXIT'))
add(Case('csharp-bad-option', 'csharp', 'mcs', 'config_error', 'mcs -langversion:13 -out:a.exe A.cs',
         {'A.cs': 'class A { static void Main() {} }\n'}, ci='jenkins', block=r'error CS\d+', end='$'))
g(Case('green-csharp-build', 'csharp', 'mcs', 'success', ['mcs -warn:4 -out:app.exe App.cs', 'mono app.exe'],
       {'App.cs': 'using System;\nclass App {\n  static void Main() {\n    int unused;\n    try { throw new TimeoutException("simulated"); }\n    catch (TimeoutException e) { Console.WriteLine("handled: " + e.Message); }\n    Console.WriteLine("Unhandled exceptions: 0");\n  }\n}\n'},
       ci='gitlab'))

# ----------------------------------------------------------------- Common Lisp (SBCL)
add(Case('lisp-undefined-function', 'lisp', 'sbcl', 'crash', ['sbcl --version', 'sbcl --script report.lisp'],
         {'report.lisp': '(defun total (rows) (reduce #\'+ (mapcar #\'row-amount rows)))\n(format t "building monthly report~%")\n(print (total (list 1 2 3)))\n'},
         ci='gha', block=r'^Unhandled UNDEFINED-FUNCTION', end=r'The function .* is undefined'))
add(Case('lisp-missing-system', 'lisp', 'sbcl', 'dependency_error', 'sbcl --non-interactive --load app.lisp',
         {'app.lisp': '(require :cl-ppcre)\n(format t "~a~%" (cl-ppcre:scan-to-strings "[0-9]+" "order 42"))\n'},
         ci='travis', block=r'^Unhandled SB-INT:EXTENSION-FAILURE', end=r"Don't know how to REQUIRE"))
add(Case('lisp-sb-rt-fail', 'lisp', 'sb-rt', 'test_failure', 'sbcl --non-interactive --load tests.lisp',
         {'tests.lisp': '''
            (require :sb-rt)
            (defun discount (price pct) (if (zerop pct) price (- price (floor (* price pct) 100) 1)))
            (sb-rt:deftest discount.none (discount 100 0) 100)
            (sb-rt:deftest discount.ten (discount 200 10) 180)
            (sb-rt:deftest discount.zero-price (discount 0 50) 0)
            (unless (sb-rt:do-tests) (sb-ext:exit :code 1))
            '''}, ci='jenkins', block=r'^Test DISCOUNT\.\S+ failed', end=r'tests failed|total tests failed'))
add(Case('lisp-compile-error', 'lisp', 'sbcl', 'compilation_error', 'sbcl --non-interactive --eval \'(unless (compile-file "src/parser.lisp") (sb-ext:exit :code 1))\'',
         {'src/parser.lisp': '(defun parse-line (line)\n  (let ((parts (split line #\\,)))\n    (list (first parts) (second parts)))\n\n(defun split (s c)\n  (loop for i = 0 then (1+ j)\n        as j = (position c s :start i)\n        collect (subseq s i j)\n        while j))\n'},
         ci='gitlab', block=r'caught ERROR', end=r'end of file'))
add(Case('lisp-heap-exhausted', 'lisp', 'sbcl', 'out_of_memory', 'sbcl --dynamic-space-size 96 --non-interactive --load grow.lisp',
         {'grow.lisp': '(format t "loading price history~%")\n(defvar *keep* nil)\n(loop (push (make-array 1000000 :element-type \'double-float) *keep*))\n'},
         ci='buildkite', block=r'^Unhandled SB-KERNEL::HEAP-EXHAUSTED-ERROR', end=r'Heap exhausted \(no more',
         note='the GC report after "Heap exhausted during allocation" (a few lines up) says the same'))
add(Case('lisp-conn-refused', 'lisp', 'sbcl', 'network_error', 'sbcl --non-interactive --load ping.lisp',
         {'ping.lisp': '(require :sb-bsd-sockets)\n(format t "connecting to queue at 127.0.0.1:1~%")\n(let ((s (make-instance \'sb-bsd-sockets:inet-socket :type :stream :protocol :tcp)))\n  (sb-bsd-sockets:socket-connect s #(127 0 0 1) 1))\n'},
         ci='gha', block=r'^Unhandled|Connection refused', end=r'Connection refused'))
g(Case('green-lisp-sb-rt', 'lisp', 'sb-rt', 'success', 'sbcl --non-interactive --load tests.lisp',
       {'tests.lisp': '(require :sb-rt)\n(defun discount (price pct) (- price (floor (* price pct) 100)))\n(sb-rt:deftest discount.none (discount 100 0) 100)\n(sb-rt:deftest discount.handles-heap-exhausted-message (length "Heap exhausted") 14)\n(unless (sb-rt:do-tests) (sb-ext:exit :code 1))\n'},
       ci='travis'))

# ----------------------------------------------------------------- Scheme (Guile)
add(Case('scheme-srfi64-fail', 'scheme', 'srfi-64', 'test_failure', ['guile --version | head -1', 'guile --no-auto-compile -s tests.scm'],
         {'tests.scm': '''
            (use-modules (srfi srfi-64))
            (define (slug s) (string-downcase (string-map (lambda (c) (if (char=? c #\\space) #\\- c)) s)))
            (test-begin "slug")
            (test-equal "lowercases" "ab" (slug "AB"))
            (test-equal "spaces" "a-b" (slug "a b"))
            (test-equal "trims" "a" (slug " a "))
            (define fails (test-runner-fail-count (test-runner-current)))
            (test-end "slug")
            (exit (if (zero? fails) 0 1))
            '''}, ci='gha', block=r'FAIL trims', end=r'# of unexpected failures'))
add(Case('scheme-unbound-variable', 'scheme', 'guile', 'crash', 'guile --no-auto-compile -s report.scm',
         {'report.scm': '(define (total rows) (apply + (map row-amount rows)))\n(display "building report")\n(newline)\n(display (total (list 1 2 3)))\n'},
         ci='jenkins', block=r'^ERROR: In procedure', end=r'Unbound variable'))
add(Case('scheme-missing-module', 'scheme', 'guile', 'dependency_error', 'guile --no-auto-compile -s app.scm',
         {'app.scm': '(use-modules (json) (web client))\n(display (scm->json-string \'((ok . #t))))\n'},
         ci='travis', block=r'In procedure resolve-interface', end=r'no code for module'))
add(Case('scheme-conn-refused', 'scheme', 'guile', 'network_error', 'guile --no-auto-compile -s ping.scm',
         {'ping.scm': '(display "connecting to 127.0.0.1:1")\n(newline)\n(let ((s (socket PF_INET SOCK_STREAM 0)))\n  (connect s AF_INET (inet-pton AF_INET "127.0.0.1") 1))\n'},
         ci='gitlab', block=r'^ERROR: In procedure connect', end=r'Connection refused'))
add(Case('scheme-syntax-error', 'scheme', 'guile', 'compilation_error', 'guile --no-auto-compile -s parser.scm',
         {'parser.scm': '(define (parse line)\n  (let ((parts (string-split line #\\,)))\n    (list (car parts) (cadr parts)))\n\n(define (main) (display (parse "a,b")))\n'},
         ci='buildkite', block=r'In procedure lp', end=r'unexpected end of input'))
g(Case('green-scheme-srfi64', 'scheme', 'srfi-64', 'success', 'guile --no-auto-compile -s tests.scm',
       {'tests.scm': '(use-modules (srfi srfi-64))\n(test-begin "slug")\n(test-equal "lowercases" "ab" (string-downcase "AB"))\n(test-expect-fail 1)\n(test-equal "known bug: unbound variable in old parser" 1 2)\n(test-end "slug")\n'},
       ci='jenkins'))

# ----------------------------------------------------------------- Tcl (tclsh, tcltest)
add(Case('tcl-tcltest-fail', 'tcl', 'tcltest', 'test_failure', ['echo "puts [info patchlevel]" | tclsh', 'tclsh tests/all.tcl'],
         {'lib/price.tcl': 'proc net {gross} { return [expr {round($gross / 1.2 * 10) / 10.0 + 0.1}] }\n',
          'tests/all.tcl': '''
            package require tcltest 2
            namespace import ::tcltest::*
            configure -testdir [file dirname [file normalize [info script]]] -verbose e
            source [file join [file dirname [info script]] .. lib price.tcl]
            test net-1.1 {net of 12} { net 12 } 10.0
            test net-1.2 {net of 0} { net 0 } 0.0
            test net-1.3 {net of 120} -constraints knownBug -body { net 120 } -result 100.0
            set failed $::tcltest::numTests(Failed)
            cleanupTests
            exit [expr {$failed > 0}]
            '''}, ci='gha', block=r'^==== net-1\.1', end=r'Failed\s+\d+'))
add(Case('tcl-missing-package', 'tcl', 'tclsh', 'dependency_error', 'tclsh app.tcl',
         {'app.tcl': 'package require Tcl 8.6\npackage require rl_json\nputs [rl_json::json get {{"ok":true}} ok]\n'},
         ci='jenkins', block=r"can't find package", end=r"can't find package|invoked from within|app\.tcl"))
add(Case('tcl-conn-refused', 'tcl', 'tclsh', 'network_error', 'tclsh ping.tcl',
         {'ping.tcl': 'puts "connecting to redis at 127.0.0.1:1"\nset s [socket 127.0.0.1 1]\nputs $s PING\n'},
         ci='travis', block=r"couldn't open socket", end=r'couldn.t open socket|ping\.tcl'))
add(Case('tcl-error-crash', 'tcl', 'tclsh', 'crash', 'tclsh worker.tcl',
         {'worker.tcl': 'proc handle {job} {\n    dict get $job user_id\n}\nputs "processing job 17"\nhandle {id 17 kind email}\n'},
         ci='gitlab', block=r'key "user_id" not known', end=r'file "worker\.tcl"|worker\.tcl'))
add(Case('tcl-permission', 'tcl', 'tclsh', 'permission_denied', 'tclsh publish.tcl',
         {'publish.tcl': 'puts "publishing docs"\nset f [open /var/www/index.html w]\nputs $f "<html/>"\nclose $f\n'},
         ci='buildkite', user='nobody', block=r"couldn't open", end=r'couldn.t open|publish\.tcl'))
add(Case('tcl-disk-full', 'tcl', 'tclsh', 'disk_full', 'tclsh dump.tcl',
         {'dump.tcl': 'puts "writing fixtures"\nset f [open /dev/full w]\nputs $f [string repeat x 100000]\nclose $f\n'},
         ci='gha', block=r'error (flushing|writing)|no space left', end=r'no space left|dump\.tcl'))
add(Case('tcl-timeout', 'tcl', 'tcltest', 'timeout', 'timeout 3 tclsh tests/all.tcl',
         {'tests/all.tcl': 'package require tcltest 2\nnamespace import ::tcltest::*\nconfigure -verbose {start}\ntest poll-1.1 {waits for the job} { while 1 { after 200 } } {}\ncleanupTests\n'},
         ci='jenkins', block='EXIT'))
g(Case('green-tcl-tcltest', 'tcl', 'tcltest', 'success', 'tclsh tests/all.tcl',
       {'tests/all.tcl': 'package require tcltest 2\nnamespace import ::tcltest::*\ntest err-1.1 {permission denied is reported} { string match *denied* "permission denied" } 1\ntest err-1.2 {disk full retry} -constraints knownBug -body { error "no space left on device" } -result {}\nset failed $::tcltest::numTests(Failed)\ncleanupTests\nexit [expr {$failed > 0}]\n'},
       ci='gitlab'))

# ----------------------------------------------------------------- Nim
NIMENV = {'XDG_CACHE_HOME': '/tmp/realtools-cache/nim'}
add(Case('nim-compile-error', 'nim', 'nim', 'compilation_error', ['nim --version | head -1', 'nim c --hints:off src/orders.nim'],
         {'src/orders.nim': 'proc total(prices: seq[int]): int =\n  for p in prices:\n    result += p\n\nlet t: int = total(@[1, 2]) & " items"\necho t\n'},
         ci='gha', env=NIMENV, block=r'orders\.nim\(\d+, \d+\) Error', end=r'Error|expected'))
add(Case('nim-unittest-fail', 'nim', 'nim unittest', 'test_failure', 'nim c -r --hints:off tests/test_slug.nim',
         {'tests/test_slug.nim': 'import unittest, strutils\n\nproc slug(s: string): string = s.toLowerAscii.replace(" ", "-")\n\nsuite "slug":\n  test "lowercases":\n    check slug("AB") == "ab"\n  test "strips punctuation":\n    check slug("a, b!") == "a-b"\n'},
         ci='travis', env=NIMENV, block=r'Check failed|test_slug\.nim\(\d+, \d+\)', end=r'\[FAILED\]'))
add(Case('nim-index-defect', 'nim', 'nim', 'crash', ['nim c --hints:off -o:bin/app src/app.nim', './bin/app'],
         {'src/app.nim': 'let slots = @[1, 2, 3]\necho "booking slot 5"\necho slots[5]\n'},
         ci='jenkins', env=NIMENV, block=r'app\.nim\(\d+\) app', end=r'IndexDefect'))
add(Case('nim-missing-module', 'nim', 'nim', 'dependency_error', 'nim c --hints:off src/server.nim',
         {'src/server.nim': 'import jester\n\nroutes:\n  get "/":\n    resp "ok"\n'},
         ci='gitlab', env=NIMENV, block=r'cannot open file', end=r'cannot open file'))
add(Case('nim-conn-refused', 'nim', 'nim', 'network_error', ['nim c --hints:off -o:bin/ping src/ping.nim', './bin/ping'],
         {'src/ping.nim': 'import net\necho "connecting to cache at 127.0.0.1:1"\nlet s = newSocket()\ns.connect("127.0.0.1", Port(1))\n'},
         ci='buildkite', env=NIMENV, block=r'ping\.nim\(\d+\) ping', end=r'Connection refused'))
add(Case('nim-oom', 'nim', 'nim', 'out_of_memory', ['nim c --hints:off -o:bin/grow src/grow.nim', '(ulimit -v 300000; ./bin/grow)'],
         {'src/grow.nim': 'var keep: seq[seq[float]]\necho "loading catalog"\nwhile true:\n  keep.add(newSeq[float](10_000_000))\n'},
         ci='gha', env=NIMENV, block=r'out of memory|Out of memory', end=r'out of memory|Out of memory'))
g(Case('green-nim-unittest', 'nim', 'nim unittest', 'success', 'nim c -r --hints:off tests/test_slug.nim',
       {'tests/test_slug.nim': 'import unittest, strutils\n\nproc slug(s: string): string = s.toLowerAscii.replace(" ", "-")\n\nsuite "slug":\n  test "lowercases, no IndexDefect on empty input":\n    check slug("AB") == "ab"\n  test "network: connection refused is retried":\n    skip()\n'},
       ci='travis', env=NIMENV))

# ----------------------------------------------------------------- R (Rscript, testthat)
RENV = {'R_LIBS_USER': '/tmp/realtools-cache/r-lib'}
add(Case('r-testthat-fail', 'r', 'testthat', 'test_failure', ['Rscript --version', 'Rscript -e \'testthat::test_dir("tests/testthat", stop_on_failure = TRUE)\''],
         {'R/price.R': 'net <- function(gross) round(gross / 1.2, 1) + 0.1\n',
          'tests/testthat/test-price.R': 'source(file.path("..", "..", "R", "price.R"))\ntest_that("net of 12", {\n  expect_equal(net(12), 10)\n})\ntest_that("net is numeric", {\n  expect_true(is.numeric(net(1)))\n})\n'},
         ci='gha', env=RENV, block=r"^Failure \('test-price", end=r'FAIL \d+ \| WARN'))
add(Case('r-missing-package', 'r', 'Rscript', 'dependency_error', 'Rscript analysis.R',
         {'analysis.R': 'cat("loading data\\n")\nlibrary(dplyr)\nsales <- data.frame(x = 1:3)\nprint(sales %>% summarise(total = sum(x)))\n'},
         ci='travis', env=RENV, block=r'there is no package called', end=r'Execution halted'))
add(Case('r-stop-crash', 'r', 'Rscript', 'crash', 'Rscript report.R',
         {'report.R': 'region_total <- function(sales, region) {\n  sum(sales[[region]])\n}\ncat("building report\\n")\nsales <- list(north = c(1, 2), south = c(3))\nprint(region_total(sales, 3))\n'},
         ci='jenkins', env=RENV, block=r'^Error in sales', end=r'Execution halted'))
add(Case('r-conn-refused', 'r', 'Rscript', 'network_error', 'Rscript fetch.R',
         {'fetch.R': 'cat("fetching exchange rates\\n")\nx <- readLines(url("http://127.0.0.1:1/rates.csv"))\n'},
         ci='gitlab', env=RENV, block=r'^Error in', end=r'Execution halted'))
add(Case('r-syntax-error', 'r', 'Rscript', 'compilation_error', 'Rscript model.R',
         {'model.R': 'fit <- function(df) {\n  lm(y ~ x, data = df\n}\nprint(fit(data.frame(x = 1:3, y = 2:4)))\n'},
         ci='buildkite', env=RENV, block=r'^Error: unexpected', end=r'Execution halted'))
add(Case('r-oom', 'r', 'Rscript', 'out_of_memory', '(ulimit -v 600000; Rscript grow.R)',
         {'grow.R': 'cat("simulating 1e10 draws\\n")\nx <- numeric(1e10)\nprint(sum(x))\n'},
         ci='gha', env=RENV, block=r'cannot allocate', end=r'Execution halted'))
add(Case('r-testthat-timeout', 'r', 'testthat', 'timeout', 'timeout 6 Rscript -e \'testthat::test_dir("tests/testthat", reporter = "summary")\'',
         {'tests/testthat/test-poll.R': 'test_that("job finishes", {\n  message("polling job status")\n  repeat Sys.sleep(0.2)\n})\n'},
         ci='travis', env=RENV, block='EXIT'))
g(Case('green-r-testthat', 'r', 'testthat', 'success', 'Rscript -e \'testthat::test_dir("tests/testthat", stop_on_failure = TRUE)\'',
       {'tests/testthat/test-a.R': 'test_that("error messages are kept", {\n  expect_error(stop("connection refused"), "refused")\n})\ntest_that("big allocations", {\n  skip("cannot allocate vector of size 80 Gb on CI")\n})\n'},
       ci='gitlab', env=RENV))

# ----------------------------------------------------------------- Scala (scalac 2.11)
add(Case('scala-type-mismatch', 'scala', 'scalac', 'compilation_error', ['scalac -version', 'mkdir -p out && scalac -d out src/Cart.scala'],
         {'src/Cart.scala': 'object Cart {\n  def total(prices: List[Int]): Int = prices.sum.toString\n  def main(args: Array[String]): Unit = println(total(List(1, 2)))\n}\n'},
         ci='gha', block=r'Cart\.scala:\d+: error', end=r'errors? found'))
add(Case('scala-missing-dependency', 'scala', 'scalac', 'dependency_error', 'mkdir -p out && scalac -d out src/Client.scala',
         {'src/Client.scala': 'import akka.actor.ActorSystem\n\nobject Client {\n  def main(args: Array[String]): Unit = {\n    val system = ActorSystem("client")\n  }\n}\n'},
         ci='jenkins', block=r'Client\.scala:1: error', end=r'errors? found',
         note='the second error (not found: value ActorSystem) follows from the missing akka package'))
add(Case('scala-exception', 'scala', 'scala', 'crash', ['mkdir -p out && scalac -d out src/Main.scala', 'scala -cp out Main'],
         {'src/Main.scala': 'object Main {\n  def ratio(a: Int, b: Int): Int = a / b\n  def main(args: Array[String]): Unit = {\n    println("computing ratios")\n    println(ratio(3, 0))\n  }\n}\n'},
         ci='travis', block=r'^java\.lang\.ArithmeticException', end=r'at Main\$\.main|at Main\.main'))
g(Case('green-scala-build', 'scala', 'scalac', 'success', ['mkdir -p out && scalac -deprecation -d out src/Main.scala', 'scala -cp out Main'],
       {'src/Main.scala': 'object Main {\n  def main(args: Array[String]): Unit = {\n    try { 1 / args.length } catch { case e: ArithmeticException => println("handled: " + e) }\n    println("OutOfMemoryError guard: ok")\n  }\n}\n'},
       ci='buildkite'))

# ----------------------------------------------------------------- D (gdc)
add(Case('dlang-compile-error', 'd', 'gdc', 'compilation_error', ['gdc --version | head -1', 'gdc -c source/cart.d'],
         {'source/cart.d': 'module cart;\n\nint total(int[] prices)\n{\n    int sum;\n    foreach (p; prices)\n        sum += p;\n    return summ;\n}\n'},
         ci='gha', block=r'cart\.d:\d+:\d+: error'))
add(Case('dlang-unittest-fail', 'd', 'gdc -funittest', 'test_failure', ['gdc -funittest -fmain -o test_slug source/slug.d', './test_slug'],
         {'source/slug.d': 'module slug;\nimport std.string : toLower, replace;\n\nstring slug(string s) { return s.toLower.replace(" ", "-"); }\n\nunittest\n{\n    assert(slug("AB") == "ab");\n}\n\nunittest\n{\n    assert(slug("a, b!") == "a-b", "punctuation is stripped");\n}\n'},
         ci='gitlab', block=r'AssertError@', end=r'modules FAILED unittests'))
add(Case('dlang-range-crash', 'd', 'gdc', 'crash', ['gdc -o app source/app.d', './app'],
         {'source/app.d': 'import std.stdio;\n\nvoid main()\n{\n    int[] slots = [1, 2, 3];\n    writeln("booking slot 5");\n    writeln(slots[5]);\n}\n'},
         ci='jenkins', block=r'ArrayIndexError@|RangeError@', end=r'_Dmain'))
add(Case('dlang-missing-module', 'd', 'gdc', 'dependency_error', 'gdc -c source/server.d',
         {'source/server.d': 'module server;\nimport vibe.d;\n\nvoid start() { listenHTTP(new HTTPServerSettings, (req, res) {}); }\n'},
         ci='buildkite', block=r'server\.d:\d+:\d+: error', end=r'cannot be read|not found|import path'))
g(Case('green-dlang-unittest', 'd', 'gdc -funittest', 'success', ['gdc -Wall -funittest -fmain -o test_slug source/slug.d', './test_slug'],
       {'source/slug.d': 'module slug;\nimport std.string : toLower;\n\nstring slug(string s) { return s.toLower; }\n\nunittest\n{\n    import std.exception : assertThrown;\n    import core.exception : RangeError;\n    int[] a = [1];\n    assertThrown!RangeError(a[2]);\n    assert(slug("AB") == "ab");\n}\n'},
       ci='travis'))

# ----------------------------------------------------------------- Prolog (SWI-Prolog, plunit)
add(Case('prolog-plunit-fail', 'prolog', 'plunit', 'test_failure', ['swipl --version', 'swipl -g run_tests -t halt tests.pl'],
         {'tests.pl': ':- use_module(library(plunit)).\n\nnet(Gross, Net) :- Net is Gross * 5 // 6 + 1.\n\n:- begin_tests(prices).\ntest(net_of_12) :- net(12, 10).\ntest(net_of_0, [true(N == 0)]) :- net(0, N).\n:- end_tests(prices).\n'},
         ci='gha', block=r'^ERROR: .*tests\.pl:6:', end=r'tests failed'))
add(Case('prolog-unknown-procedure', 'prolog', 'swipl', 'crash', 'swipl -g main -t halt report.pl',
         {'report.pl': 'main :- format("building report~n"), rows(R), total(R, T), format("~w~n", [T]).\nrows([1, 2, 3]).\n'},
         ci='travis', block=r'Unknown procedure|existence_error|total/2', end=r'total/2|Unknown procedure'))
add(Case('prolog-syntax-error', 'prolog', 'swipl', 'compilation_error', 'swipl -g main -t halt parser.pl',
         {'parser.pl': 'main :- parse("a,b", X), print(X).\nparse(S, X) :- split_string(S, ",", "", X.\n'},
         ci='jenkins', block=r'[Ss]yntax error', end=r'[Ss]yntax error|Illegal|Operator'))
add(Case('prolog-missing-library', 'prolog', 'swipl', 'dependency_error', 'swipl --on-error=halt -g main -t halt app.pl',
         {'app.pl': ':- use_module(library(http_json_sentinel)).\nmain :- format("ok~n").\n'},
         ci='gitlab', block=r'^ERROR: .*app\.pl:1:', end=r'does not exist'))
g(Case('green-prolog-plunit', 'prolog', 'plunit', 'success', 'swipl -g run_tests -t halt tests.pl',
       {'tests.pl': ':- use_module(library(plunit)).\n\nnet(Gross, Net) :- Net is Gross * 5 // 6.\n\n:- begin_tests(prices).\ntest(net_of_12) :- net(12, 10).\ntest(existence_error_is_raised, [error(existence_error(procedure, _))]) :- call(no_such_pred).\n:- end_tests(prices).\n'},
       ci='gha'))

# ----------------------------------------------------------------- Vala (valac)
add(Case('vala-compile-error', 'vala', 'valac', 'compilation_error', ['valac --version', 'valac -o app src/main.vala'],
         {'src/main.vala': 'int total (int[] prices) {\n    int sum = 0;\n    foreach (var p in prices) sum += p;\n    return summ;\n}\n\nvoid main () {\n    print ("%d\\n", total ({1, 2}));\n}\n'},
         ci='gha', block=r'main\.vala:\d+\.\d+-\d+\.\d+: error', end=r'Compilation failed'))
add(Case('vala-missing-package', 'vala', 'valac', 'dependency_error', 'valac --pkg json-glib-1.0 -o app src/main.vala',
         {'src/main.vala': 'void main () {\n    var p = new Json.Parser ();\n    print ("ok\\n");\n}\n'},
         ci='travis', block=r'fatal error: json-glib', end=r'Compilation failed',
         note='the Vala binding is there, the C library headers (libjson-glib-dev) are not'))
g(Case('green-vala-build', 'vala', 'valac', 'success', ['valac -o app src/main.vala', './app'],
       {'src/main.vala': 'void main () {\n    int unused = 0;\n    print ("error handling: ok (0 errors, 0 failures)\\n");\n}\n'},
       ci='jenkins'))

# ----------------------------------------------------------------- more shapes of the same ecosystems
add(Case('r-dns', 'r', 'Rscript', 'network_dns', 'Rscript fetch.R',
         {'fetch.R': 'cat("fetching exchange rates\\n")\nx <- readLines(url("http://rates.example.invalid/today.csv"))\n'},
         ci='jenkins', env=RENV, block=r'^Error in readLines', end=r'Execution halted'))
add(Case('r-disk-full', 'r', 'Rscript', 'disk_full', 'Rscript export.R',
         {'export.R': 'cat("exporting model coefficients\\n")\nwriteLines(strrep("x", 100000), "/dev/full")\n'},
         ci='buildkite', env=RENV, block=r'^Error in writeLines', end=r'No space left'))
add(Case('r-permission', 'r', 'Rscript', 'permission_denied', 'Rscript publish.R',
         {'publish.R': 'cat("publishing report\\n")\nwriteLines("<html/>", "/var/www/report.html")\n'},
         ci='gha', env=RENV, user='nobody', block=r'^Error in file', end=r'Execution halted'))
add(Case('tcl-dns', 'tcl', 'tclsh', 'network_dns', 'tclsh fetch.tcl',
         {'fetch.tcl': 'package require http\nputs "fetching price list"\nset tok [http::geturl http://prices.example.invalid/v2/list]\nputs [http::data $tok]\n'},
         ci='gitlab', block=r"couldn't open socket|Name or service not known", end=r'fetch\.tcl'))
add(Case('nim-dns', 'nim', 'nim', 'network_dns', ['nim c --hints:off -o:bin/fetch src/fetch.nim', './bin/fetch'],
         {'src/fetch.nim': 'import httpclient\necho "fetching price list"\nlet c = newHttpClient()\necho c.getContent("http://prices.example.invalid/v2/list")\n'},
         ci='travis', env=NIMENV, block=r'fetch\.nim\(\d+\) fetch', end=r'Name or service not known'))
add(Case('scheme-disk-full', 'scheme', 'guile', 'disk_full', 'guile --no-auto-compile -s dump.scm',
         {'dump.scm': '(display "writing fixtures")\n(newline)\n(with-output-to-file "/dev/full" (lambda () (display (make-string 100000 #\\x))))\n'},
         ci='gha', block=r'^ERROR: In procedure', end=r'No space left'))
add(Case('csharp-dns', 'csharp', 'mono', 'network_dns', ['mcs -out:fetch.exe Fetch.cs', 'mono fetch.exe'],
         {'Fetch.cs': 'using System;\nusing System.Net.Sockets;\nclass Fetch {\n  static void Main() {\n    Console.WriteLine("fetching price list");\n    new TcpClient("prices.example.invalid", 80);\n  }\n}\n'},
         ci='gitlab', block=r'^Unhandled Exception', end=r'SocketException'))
add(Case('lisp-timeout', 'lisp', 'sbcl', 'timeout', 'sbcl --non-interactive --load wait.lisp',
         {'wait.lisp': '(format t "waiting for the settlement job~%")\n(sb-ext:with-timeout 2 (loop (sleep 0.1)))\n'},
         ci='travis', block=r'^Unhandled TIMEOUT', end=r'Timeout occurred'))
add(Case('prolog-time-limit', 'prolog', 'swipl', 'timeout', 'swipl -g main -t halt solve.pl',
         {'solve.pl': ':- use_module(library(time)).\nloop :- loop.\nmain :- format("solving schedule~n"), call_with_time_limit(2, loop).\n'},
         ci='buildkite', block=r'[Tt]ime limit exceeded', end=r'[Tt]ime limit exceeded'))
add(Case('scala-bad-option', 'scala', 'scalac', 'config_error', 'mkdir -p out && scalac -target:jvm-21 -d out src/A.scala',
         {'src/A.scala': 'object A\n'}, ci='gitlab', block=r'scalac error|bad option|not a valid choice', end='$'))
add(Case('lisp-permission', 'lisp', 'sbcl', 'permission_denied', 'sbcl --script publish.lisp',
         {'publish.lisp': '(format t "publishing docs~%")\n(with-open-file (s "/var/www/index.html" :direction :output :if-exists :supersede)\n  (write-line "<html/>" s))\n'},
         ci='jenkins', user='nobody', block=r'^Unhandled', end=r'Permission denied'))
add(Case('csharp-oom', 'csharp', 'mono', 'out_of_memory', ['mcs -out:grow.exe Grow.cs', 'MONO_GC_PARAMS=max-heap-size=64m mono grow.exe'],
         {'Grow.cs': 'using System;\nusing System.Collections.Generic;\nclass Grow {\n  static void Main() {\n    Console.WriteLine("loading catalog");\n    var keep = new List<byte[]>();\n    while (true) keep.Add(new byte[8 << 20]);\n  }\n}\n'},
         ci='buildkite', block=r'^Unhandled Exception', end=r'OutOfMemoryException'))
add(Case('dlang-conn-refused', 'd', 'gdc', 'network_error', ['gdc -o ping source/ping.d', './ping'],
         {'source/ping.d': 'import std.socket, std.stdio;\n\nvoid main()\n{\n    writeln("connecting to cache at 127.0.0.1:1");\n    stdout.flush();\n    auto s = new TcpSocket(new InternetAddress("127.0.0.1", 1));\n}\n'},
         ci='gha', block=r'SocketOSException@', end=r'_Dmain|refused'))
add(Case('ada-conn-refused', 'ada', 'gnatmake', 'network_error', ['gnatmake -q ping.adb', './ping'],
         {'ping.adb': 'with Ada.Text_IO; use Ada.Text_IO;\nwith GNAT.Sockets; use GNAT.Sockets;\nprocedure Ping is\n   S : Socket_Type;\n   A : Sock_Addr_Type := (Family_Inet, Inet_Addr ("127.0.0.1"), 1);\nbegin\n   Put_Line ("connecting to cache at 127.0.0.1:1");\n   Create_Socket (S);\n   Connect_Socket (S, A);\nend Ping;\n'},
         ci='jenkins', block=r'raised GNAT\.SOCKETS\.SOCKET_ERROR'))
add(Case('fortran-timeout', 'fortran', 'gfortran', 'timeout', ['gfortran -o relax relax.f90', 'timeout 3 ./relax'],
         {'relax.f90': 'program relax\n  implicit none\n  real(8) :: r = 1.0d0\n  integer :: it = 0\n  print *, "iterating until residual < 1e-12"\n  flush(6)\n  do while (r > 1.0d-12)\n    r = r * 1.0d0\n    it = it + 1\n  end do\n  print *, it\nend program relax\n'},
         ci='gitlab', block='EXIT'))
g(Case('green-r-lintr', 'r', 'lintr', 'success', 'Rscript -e \'l <- lintr::lint_dir("R"); print(l); quit(status = length(l) > 0)\'',
       {'R/model.R': '# Stops with "cannot allocate vector" on huge inputs; callers sample first.\nfit_model <- function(df) {\n  lm(y ~ x, data = df)\n}\n'},
       ci='gha', env=RENV))
g(Case('green-tcl-scripts', 'tcl', 'tclsh', 'success', 'tclsh run.tcl',
       {'run.tcl': 'if {[catch {socket 127.0.0.1 1} err]} { puts "\\[info\\] cache 127.0.0.1:1 unavailable ($err); using the in-memory cache" }\nputs "\\[info\\] report written (permission checks: 0 denied)"\n'},
       ci='buildkite'))
g(Case('green-csharp-nunit-like', 'csharp', 'mono', 'success', ['mcs -out:t.exe T.cs', 'mono t.exe'],
       {'T.cs': 'using System;\nclass T {\n  static int Main() {\n    string[] names = {"Parses OutOfMemoryException text", "Retries on SocketException (Connection refused)", "Disk full is reported"};\n    foreach (var n in names) Console.WriteLine("  Passed " + n);\n    Console.WriteLine("Tests run: 3, Errors: 0, Failures: 0, Inconclusive: 0, Time: 0.01 seconds");\n    return 0;\n  }\n}\n'},
       ci='travis'))

# ----------------------------------------------------------------- linters and package managers of eval ecosystems
CABAL_HOME = {'HOME': '/tmp/realtools-cache/cabal-home'}
add(Case('lua-luacheck', 'lua', 'luacheck', 'lint_error', ['luacheck --version', 'luacheck --no-color src'],
         {'src/cart.lua': 'local json = require("json")\n\nfunction total(items)\n  local sum = 0\n  for i, item in ipairs(items) do\n    sum = sum + item.price\n  end\n  count = #items\n  return sum\nend\n\nreturn { total = total }\n'},
         ci='gha', block=r'^Checking src/cart\.lua', end=r'^Total: \d+ warnings'))
add(Case('php-phpcs', 'php', 'phpcs', 'lint_error', 'phpcs --standard=PSR12 --no-colors --report-width=100 src',
         {'src/Cart.php': '<?php\nnamespace Shop;\nclass Cart {\n    public function total($items){\n        $sum=0;\n        foreach($items as $i) $sum += $i;\n        return $sum;\n    }\n}\n'},
         ci='travis', block=r'^FILE: ', end=r'PHPCBF CAN FIX'))
add(Case('php-composer-unresolvable', 'php', 'composer', 'dependency_error', 'composer install --no-interaction --no-ansi',
         {'composer.json': '{\n  "name": "acme/shop",\n  "require": {\n    "php": ">=8.1",\n    "monolog/monolog-sentinel": "^3.0"\n  },\n  "repositories": [{"packagist.org": false}]\n}\n'},
         ci='gitlab', env={'COMPOSER_HOME': '/tmp/realtools-cache/composer'},
         block=r'Your requirements could not be resolved', end=r'could not be found in any version'))
add(Case('php-composer-secure-http', 'php', 'composer', 'config_error', 'composer install --no-interaction --no-ansi',
         {'composer.json': '{\n  "name": "acme/shop",\n  "require": {"acme/money": "^1.2"},\n  "repositories": [{"type": "composer", "url": "http://127.0.0.1:1/packages"}, {"packagist.org": false}]\n}\n'},
         ci='buildkite', env={'COMPOSER_HOME': '/tmp/realtools-cache/composer'},
         block=r'^In Config\.php', end=r'or details\.'))
add(Case('php-composer-conn-refused', 'php', 'composer', 'network_error', 'composer install --no-interaction --no-ansi',
         {'composer.json': '{\n  "name": "acme/shop",\n  "require": {"acme/money": "^1.2"},\n  "repositories": [{"type": "composer", "url": "http://127.0.0.1:1/packages"}, {"packagist.org": false}],\n  "config": {"secure-http": false}\n}\n'},
         ci='gha', env={'COMPOSER_HOME': '/tmp/realtools-cache/composer'},
         block=r'^In \w+\.php line', end=r'refused|Connection'))
add(Case('haskell-hlint', 'haskell', 'hlint', 'lint_error', ['hlint --version', 'hlint src'],
         {'src/Report.hs': 'module Report where\n\ntotal :: [Int] -> Int\ntotal xs = foldr (\\x acc -> x + acc) 0 xs\n\nlabels :: [Int] -> String\nlabels xs = concat (map show xs)\n'},
         ci='jenkins', block=r'^src/Report\.hs:\d+:\d+', end=r'^\d+ hints'))
add(Case('haskell-cabal-unresolvable', 'haskell', 'cabal', 'dependency_error', 'cabal build --offline',
         {'app.cabal': 'cabal-version: 2.4\nname:          app\nversion:       0.1.0\nexecutable app\n  main-is:          Main.hs\n  build-depends:    base, aeson-sentinel >= 2.1\n  default-language: Haskell2010\n',
          'cabal.project': 'packages: .\nactive-repositories: :none\n', 'Main.hs': 'main :: IO ()\nmain = putStrLn "hi"\n'},
         ci='gha', env=CABAL_HOME, setup='mkdir -p /tmp/realtools-cache/cabal-home/.cabal && printf "jobs: 1\\n" > /tmp/realtools-cache/cabal-home/.cabal/config',
         block=r'Could not resolve dependencies', end=r'had most trouble'))
add(Case('haskell-cabal-dns', 'haskell', 'cabal', 'network_dns', 'cabal update',
         {'app.cabal': 'cabal-version: 2.4\nname:          app\nversion:       0.1.0\nexecutable app\n  main-is:          Main.hs\n  build-depends:    base\n  default-language: Haskell2010\n', 'Main.hs': 'main :: IO ()\nmain = putStrLn "hi"\n'},
         ci='travis', env={'HOME': '/tmp/realtools-cache/cabal-home-dns'}, setup='rm -rf /tmp/realtools-cache/cabal-home-dns',
         block=r'dieVerbatim', end=r'Could not resolve host'))
add(Case('r-lintr', 'r', 'lintr', 'lint_error', 'Rscript -e \'l <- lintr::lint_dir("R"); print(l); quit(status = length(l) > 0)\'',
         {'R/model.R': 'fit_model <- function(df){\n  m=lm(y ~ x, data = df)\n  return(m)\n}\n'},
         ci='gitlab', env=RENV, block=r'model\.R:\d+:\d+: style', end='$'))
add(Case('perl-perltidy', 'perl', 'perltidy', 'lint_error', 'perltidy --assert-tidy -se -st lib/Cart.pm > /dev/null',
         {'lib/Cart.pm': 'package Cart;\nuse strict;use warnings;\nsub total{my($items)=@_;my $s=0;$s+=$_ for @$items;return $s}\n1;\n'},
         ci='jenkins', block=r'assert-tidy|ERROR|Error|error', end='$'))
add(Case('html-tidy', 'html', 'tidy', 'lint_error', 'tidy -q -e docs/index.html',
         {'docs/index.html': '<!DOCTYPE html>\n<html lang="en">\n<head><title>Shop docs</title></head>\n<body>\n<h1>Shop</h1>\n<p>Install with <code>make install</p>\n<img src="logo.png">\n</body>\n</html>\n'},
         ci='gha', block=r'^line \d+ column \d+', end='$'))
add(Case('tex-chktex', 'tex', 'chktex', 'lint_error', 'chktex -q -n 1 paper.tex',
         {'paper.tex': '\\documentclass{article}\n\\begin{document}\nAs shown in section 3 .The results "improve" on prior work ... see below.\n\\end{document}\n'},
         ci='travis', block=r'^Warning \d+ in paper\.tex', end='$'))
add(Case('xml-xmllint', 'xml', 'xmllint', 'lint_error', 'xmllint --noout config/*.xml',
         {'config/logging.xml': '<?xml version="1.0"?>\n<configuration>\n  <appender name="file">\n    <file>app.log</file>\n  </appender>\n  <root level="info">\n    <appender-ref ref="file"/>\n</configuration>\n'},
         ci='buildkite', block=r'parser error', end='$',
         note='a CI well-formedness check over the repository XML files'))
add(Case('sql-sqlfluff', 'sql', 'sqlfluff', 'lint_error', ['sqlfluff version', 'sqlfluff lint --dialect postgres --nocolor migrations'],
         {'migrations/0001_orders.sql': 'create table orders (id serial primary key, total numeric(10,2));\nSELECT id,total from orders where  total>100;\n'},
         ci='gha', block=r'^== \[migrations/0001_orders\.sql\] FAIL', end='$'))
add(Case('sql-sqlfluff-parse', 'sql', 'sqlfluff', 'compilation_error', 'sqlfluff lint --dialect postgres --nocolor migrations',
         {'migrations/0002_bad.sql': 'CREATE TABLE items (\n    id SERIAL PRIMARY KEY,\n    name TEXT NOT NULL,\n);\n'},
         ci='jenkins', block=r'^== \[migrations/0002_bad\.sql\] FAIL', end=r'TABLE items',
         note='the linter cannot parse the file (a trailing comma): a syntax error, not a style finding'))
add(Case('puppet-lint', 'puppet', 'puppet-lint', 'lint_error', 'puppet-lint --fail-on-warnings manifests',
         {'manifests/init.pp': 'class shop {\n  file { "/etc/shop.conf":\n    ensure => present,\n    mode => 644,\n  }\n}\n'},
         ci='gitlab', block=r'^(ERROR|WARNING):', end='$'))
g(Case('green-lua-luacheck', 'lua', 'luacheck', 'success', 'luacheck --no-color src',
       {'src/cart.lua': '-- errors: "attempt to index a nil value" is caught by the caller\nlocal M = {}\n\nfunction M.total(items)\n  local sum = 0\n  for _, item in ipairs(items) do\n    sum = sum + item.price\n  end\n  return sum\nend\n\nreturn M\n'},
       ci='gitlab'))
g(Case('green-php-phpcs', 'php', 'phpcs', 'success', 'phpcs --standard=PSR12 --no-colors src && echo "phpcs: 0 errors, 0 warnings"',
       {'src/Cart.php': '<?php\n\nnamespace Shop;\n\nclass Cart\n{\n    public function total(array $items): int\n    {\n        return array_sum($items);\n    }\n}\n'},
       ci='jenkins'))
g(Case('green-haskell-hlint', 'haskell', 'hlint', 'success', 'hlint src',
       {'src/Report.hs': 'module Report where\n\n-- | Fails with "Prelude.head: empty list" on no input; callers check first.\ntotal :: [Int] -> Int\ntotal = sum\n'},
       ci='buildkite'))
g(Case('green-sql-sqlfluff', 'sql', 'sqlfluff', 'success', 'sqlfluff lint --dialect postgres --nocolor migrations',
       {'migrations/0001_orders.sql': 'CREATE TABLE orders (id SERIAL PRIMARY KEY, total NUMERIC(10, 2));\n'},
       ci='travis'))
g(Case('green-html-tidy', 'html', 'tidy', 'success', 'tidy -q -e docs/index.html && echo "tidy: no warnings or errors were found"',
       {'docs/index.html': '<!DOCTYPE html>\n<html lang="en">\n<head><title>Errors and timeouts</title></head>\n<body>\n<h1>Troubleshooting: connection refused, disk full</h1>\n</body>\n</html>\n'},
       ci='gha'))

# ----------------------------------------------------------------- thin categories: permission, disk full, timeout, runner lost
add(Case('pascal-permission', 'pascal', 'fpc', 'permission_denied', ['fpc -vew publish.pas', './publish'],
         {'publish.pas': "program Publish;\n{$mode objfpc}\nuses SysUtils, Classes;\nvar\n  L: TStringList;\nbegin\n  WriteLn('publishing docs');\n  L := TStringList.Create;\n  L.Add('<html/>');\n  L.SaveToFile('/var/www/index.html');\n  L.Free;\nend.\n"},
         ci='buildkite', user='nobody', block=r'An unhandled exception', end=r'EFCreateError|Unable to create|Permission denied'))
add(Case('scheme-permission', 'scheme', 'guile', 'permission_denied', 'guile --no-auto-compile -s publish.scm',
         {'publish.scm': '(display "publishing docs")\n(newline)\n(call-with-output-file "/var/www/index.html" (lambda (p) (display "<html/>" p)))\n'},
         ci='travis', user='nobody', block=r'^ERROR: In procedure', end=r'Permission denied'))
add(Case('dlang-permission', 'd', 'gdc', 'permission_denied', ['gdc -o publish source/publish.d', './publish'],
         {'source/publish.d': 'import std.file, std.stdio;\n\nvoid main()\n{\n    writeln("publishing docs");\n    stdout.flush();\n    std.file.write("/var/www/index.html", "<html/>");\n}\n'},
         ci='gitlab', user='nobody', block=r'FileException@', end=r'_Dmain|Permission denied'))
add(Case('lisp-disk-full', 'lisp', 'sbcl', 'disk_full', 'sbcl --script dump.lisp',
         {'dump.lisp': '(format t "writing fixtures~%")\n(with-open-file (s "/dev/full" :direction :output :if-exists :append)\n  (write-string (make-string 100000 :initial-element #\\x) s))\n'},
         ci='gha', block=r'^Unhandled', end=r'No space left'))
add(Case('nim-disk-full', 'nim', 'nim', 'disk_full', ['nim c --hints:off -o:bin/dump src/dump.nim', './bin/dump'],
         {'src/dump.nim': 'echo "writing fixtures"\nvar f = open("/dev/full", fmWrite)\nf.write(newString(100_000))\nf.flushFile()\nf.close()\n'},
         ci='jenkins', env=NIMENV, block=r'dump\.nim\(\d+\) dump', end=r'IOError|No space left'))
add(Case('nim-timeout', 'nim', 'nim unittest', 'timeout', ['nim c --hints:off -o:bin/test_wait tests/test_wait.nim', 'timeout 3 ./bin/test_wait'],
         {'tests/test_wait.nim': 'import unittest, os\n\nsuite "settlement":\n  test "waits for the job":\n    echo "polling job status"\n    while true:\n      sleep(200)\n'},
         ci='buildkite', env=NIMENV, block='EXIT'))
add(Case('fortran-killed-runner-gha', 'fortran', 'make check', 'infrastructure', 'echo "gfortran -o test_stats stats.f90 test_stats.f90"; sleep 60',
         {}, ci='gha', killer=(1.5, signal.SIGTERM), block='RUNNER'))
add(Case('csharp-killed-runner-jenkins', 'csharp', 'mono', 'infrastructure', 'echo "Running tests for Shop.Tests.dll"; sleep 60',
         {}, ci='jenkins', killer=(1.5, signal.SIGKILL), block='RUNNER'))
g(Case('green-scheme-scripts', 'scheme', 'guile', 'success', 'guile --no-auto-compile -s check.scm',
       {'check.scm': '(define (safe-div a b) (catch \'numerical-overflow (lambda () (/ a b)) (lambda args 0)))\n(display "safe-div 1 0 -> ")\n(display (safe-div 1 0))\n(newline)\n(display "backtrace printing: disabled")\n(newline)\n'},
       ci='buildkite'))
g(Case('green-fortran-warnings', 'fortran', 'gfortran', 'success', ['gfortran -Wall -Wextra -c src/grid.f90', 'echo "build ok"'],
       {'src/grid.f90': 'module grid\n  implicit none\ncontains\n  subroutine fill(a, n, unused)\n    integer, intent(in) :: n, unused\n    real, intent(out) :: a(n)\n    integer :: i, j\n    do i = 1, n\n      a(i) = real(i)\n    end do\n  end subroutine\nend module grid\n'},
       ci='travis'))

# ----------------------------------------------------------------- root cause inside a test run; longer test logs
add(Case('r-testthat-missing-package', 'r', 'testthat', 'dependency_error', 'Rscript -e \'testthat::test_dir("tests/testthat", stop_on_failure = TRUE)\'',
         {'tests/testthat/test-model.R': 'library(glmnetSentinel)\ntest_that("fits", {\n  expect_true(TRUE)\n})\n'},
         ci='travis', env=RENV, block=r"^Error \('test-model\.R", end=r'there is no package called',
         note='the test file cannot load its package: root cause over the FAIL summary'))
add(Case('prolog-plunit-missing-library', 'prolog', 'plunit', 'dependency_error', 'swipl --on-error=halt -g run_tests -t halt tests.pl',
         {'tests.pl': ':- use_module(library(plunit)).\n:- use_module(library(yaml_sentinel)).\n\n:- begin_tests(config).\ntest(loads) :- true.\n:- end_tests(config).\n'},
         ci='gitlab', block=r'^ERROR: .*tests\.pl:2:', end=r'does not exist'))
add(Case('tcl-tcltest-verbose-fail', 'tcl', 'tcltest', 'test_failure', 'tclsh tests/all.tcl',
         {'tests/all.tcl': '''
            package require tcltest 2
            namespace import ::tcltest::*
            configure -verbose {pass skip error}
            proc slug {s} { string map {" " -} [string tolower $s] }
            foreach {i in want} {1 AB ab 2 {a b} a-b 3 X x 4 {Hello World} hello-world 5 Tcl tcl 6 {a  b} a--b 7 Q q 8 {no space left} no-space-left 9 {Permission Denied} permission-denied 10 {Connection Refused} connection-refused 11 Timeout timeout 12 {Out Of Memory} out-of-memory} {
                test slug-1.$i "slug of $in" [list slug $in] $want
            }
            test slug-2.1 {slug strips punctuation} { slug "a, b!" } a-b
            test slug-2.2 {slug of segfault} { slug "Segmentation Fault" } segmentation-fault
            test slug-2.3 {unicode} -constraints knownBug -body { slug "Déjà vu" } -result deja-vu
            set failed $::tcltest::numTests(Failed)
            cleanupTests
            exit [expr {$failed > 0}]
            '''}, ci='jenkins', block=r'^==== slug-2\.1', end=r'Failed\s+\d+'))
add(Case('prolog-plunit-long', 'prolog', 'plunit', 'test_failure', 'swipl -g "run_tests" -t halt tests.pl',
         {'tests.pl': ':- use_module(library(plunit)).\n\nslug(S, T) :- string_lower(S, L), split_string(L, " ", "", P), atomic_list_concat(P, "-", A), atom_string(A, T).\n\n:- begin_tests(slug).\ntest(lower) :- slug("AB", "ab").\ntest(space) :- slug("a b", "a-b").\ntest(words) :- slug("Hello World", "hello-world").\ntest(timeout_words) :- slug("Timeout Error", "timeout-error").\ntest(punct, [true(T == "a-b")]) :- slug("a, b!", T).\ntest(empty) :- slug("", "").\n:- end_tests(slug).\n'},
         ci='buildkite', block=r'^ERROR: .*tests\.pl:10:', end=r'tests? failed'))

# ----------------------------------------------------------------- Crystal, CHICKEN Scheme, Elm, rebar3
CRENV = {'CRYSTAL_CACHE_DIR': '/tmp/realtools-cache/crystal'}
SLUG_CR = 'def slug(s : String) : String\n  s.downcase.gsub(" ", "-")\nend\n'
add(Case('crystal-spec-fail', 'crystal', 'crystal spec', 'test_failure', ['crystal --version | head -1', 'crystal spec --no-color'],
         {'src/slug.cr': SLUG_CR,
          'spec/slug_spec.cr': 'require "spec"\nrequire "../src/slug"\n\ndescribe "slug" do\n  it "lowercases" do\n    slug("AB").should eq("ab")\n  end\n\n  it "strips punctuation" do\n    slug("a, b!").should eq("a-b")\n  end\n\n  it "handles Errno (connection refused) messages" do\n    slug("Connection Refused").should eq("connection-refused")\n  end\nend\n'},
         ci='gha', env=CRENV, block=r'^\s+1\) slug strips punctuation', end=r'^crystal spec spec/slug_spec\.cr'))
add(Case('crystal-compile-error', 'crystal', 'crystal build', 'compilation_error', 'crystal build --no-color --no-codegen src/cart.cr',
         {'src/cart.cr': 'def total(prices : Array(Int32)) : Int32\n  prices.sum\nend\n\nputs total([1, 2]) + " items"\n'},
         ci='travis', env=CRENV, block=r'^In src/cart\.cr:\d+:\d+', end=r'^Error: expected argument'))
add(Case('crystal-missing-shard', 'crystal', 'crystal build', 'dependency_error', 'crystal build --no-color --no-codegen src/server.cr',
         {'src/server.cr': 'require "kemal"\n\nget "/" do\n  "ok"\nend\n\nKemal.run\n'},
         ci='jenkins', env=CRENV, block=r'^In src/server\.cr:1:1', end=r"can't find file 'kemal'"))
add(Case('crystal-index-crash', 'crystal', 'crystal', 'crash', ['mkdir -p bin && crystal build --no-color -o bin/app src/app.cr', './bin/app'],
         {'src/app.cr': 'slots = [1, 2, 3]\nputs "booking slot 5"\nputs slots[5]\n'},
         ci='gitlab', env=CRENV, block=r'^Unhandled exception: Index out of bounds', end=r"in '__crystal_main'|IndexError"))
g(Case('green-crystal-spec', 'crystal', 'crystal spec', 'success', 'crystal spec --no-color -v',
       {'src/slug.cr': SLUG_CR,
        'spec/slug_spec.cr': 'require "spec"\nrequire "../src/slug"\n\ndescribe "slug" do\n  it "lowercases" do\n    slug("AB").should eq("ab")\n  end\n\n  pending "segfaults on invalid UTF-8 (upstream bug)" do\n  end\nend\n'},
       ci='buildkite', env=CRENV))

add(Case('chicken-syntax-error', 'chicken', 'csc', 'compilation_error', ['csc -version | head -3', 'csc -o report report.scm'],
         {'report.scm': '(define (total xs) (apply + xs))\n\n(display (total (list 1 2))\n(newline)\n'},
         ci='buildkite', block=r'^Error: \(line \d+\)', end=r'terminated with non-zero exit status'))
add(Case('chicken-missing-egg', 'chicken', 'csc', 'dependency_error', 'csc -o app app.scm',
         {'app.scm': '(import (chicken base) http-client)\n(display (with-input-from-request "http://localhost/" #f read-string))\n'},
         ci='gha', block=r'^Syntax error \(import\)', end=r'http-client'))
add(Case('chicken-car-crash', 'chicken', 'csc', 'crash', ['csc -o queue queue.scm', './queue'],
         {'queue.scm': '(define (next-job q) (car q))\n(display "taking next job")\n(newline)\n(display (next-job (quote ())))\n'},
         ci='travis', block=r'^Error: \(car\)', end=r'^Call history:|bad argument type'))
g(Case('green-chicken-build', 'chicken', 'csc', 'success', ['csc -o queue queue.scm', './queue'],
       {'queue.scm': '(define (next-job q) (if (null? q) \'none (car q)))\n(display "next job: ")\n(display (next-job (quote ())))\n(newline)\n(display "guard for (car) on an empty queue: ok")\n(newline)\n'},
       ci='gitlab'))

add(Case('elm-make-dns', 'elm', 'elm make', 'network_dns', 'elm make src/Main.elm --output=/dev/null',
         {'elm.json': '{"type":"application","source-directories":["src"],"elm-version":"0.19.1","dependencies":{"direct":{"elm/browser":"1.0.2","elm/core":"1.0.5","elm/html":"1.0.0"},"indirect":{"elm/json":"1.1.3","elm/time":"1.0.0","elm/url":"1.0.0","elm/virtual-dom":"1.0.3"}},"test-dependencies":{"direct":{},"indirect":{}}}\n',
          'src/Main.elm': 'module Main exposing (main)\n\nimport Html\n\n\nmain =\n    Html.text "shop"\n'},
         ci='gitlab', env={'HOME': '/tmp/realtools-cache/elm-home'}, block=r'PROBLEM LOADING PACKAGE LIST', end=r'Name or service not known'))
add(Case('erlang-rebar3-missing-package', 'erlang', 'rebar3', 'dependency_error', 'rebar3 compile',
         {'rebar.config': '{erl_opts, [debug_info]}.\n{deps, [{jsx_sentinel, "3.1.0"}]}.\n',
          'src/shop.app.src': '{application, shop, [{vsn, "0.1.0"}, {applications, [kernel, stdlib]}, {modules, []}]}.\n'},
         ci='jenkins', env={'HOME': '/tmp/realtools-cache/rebar-home'}, block=r'Failed to update package', end=r'Package not found in any repo',
         note='offline: rebar3 could not update the hex index, then reports the package as not found'))

# ----------------------------------------------------------------- more configuration errors and out-of-memory shapes
add(Case('nim-bad-option', 'nim', 'nim', 'config_error', 'nim c --hints:off --mm:arcx src/app.nim',
         {'src/app.nim': 'echo "ok"\n'}, ci='gha', env=NIMENV, block=r'Error', end='$'))
add(Case('dlang-bad-option', 'd', 'gdc', 'config_error', 'gdc -fpreview=nosuchfeature -c source/app.d',
         {'source/app.d': 'module app;\n'}, ci='travis', block=r'error', end='$'))
add(Case('tcl-missing-test-script', 'tcl', 'tclsh', 'config_error', 'tclsh tests/all.tcl',
         {'test/all.tcl': 'puts ok\n'}, ci='gitlab', block=r"couldn't read file", end='$',
         note='the CI script names tests/, the repository has test/'))
add(Case('ada-heap-exhausted', 'ada', 'gnatmake', 'out_of_memory', ['gnatmake -q grow.adb', '(ulimit -v 400000; ./grow)'],
         {'grow.adb': 'with Ada.Text_IO; use Ada.Text_IO;\nprocedure Grow is\n   type Block is array (1 .. 16_000_000) of Long_Float;\n   type Block_Access is access Block;\n   B : Block_Access;\nbegin\n   Put_Line ("loading price history");\n   loop\n      B := new Block\'(others => 1.0);\n   end loop;\nend Grow;\n'},
         ci='buildkite', block=r'raised STORAGE_ERROR'))
add(Case('pascal-out-of-memory', 'pascal', 'fpc', 'out_of_memory', ['fpc -vew grow.pas', '(ulimit -v 400000; ./grow)'],
         {'grow.pas': "program Grow;\n{$mode objfpc}\nuses SysUtils;\nvar\n  P: Pointer;\nbegin\n  WriteLn('loading price history');\n  while True do\n  begin\n    GetMem(P, 64 * 1024 * 1024);\n    FillChar(P^, 64 * 1024 * 1024, 1);\n  end;\nend.\n"},
         ci='gha', block=r'An unhandled exception|Runtime error 203|EOutOfMemory', end=r'EOutOfMemory|Out of memory|Runtime error 203'))
add(Case('tcl-alloc-fail', 'tcl', 'tclsh', 'out_of_memory', '(ulimit -v 300000; tclsh grow.tcl)',
         {'grow.tcl': 'puts "building lookup table"\nset s x\nwhile 1 { append s $s }\n'},
         ci='travis', block=r'unable to (re)?alloc|alloc', end=r'alloc|[Aa]bort'))

# ----------------------------------------------------------------- a crash inside a test run is a crash
add(Case('nim-unittest-segv', 'nim', 'nim unittest', 'crash', 'nim c -r --hints:off tests/test_cache.nim',
         {'tests/test_cache.nim': 'import unittest\n\ntype Entry = ref object\n  value: int\n\nproc lookup(e: Entry): int = e.value\n\nsuite "cache":\n  test "hit":\n    check lookup(Entry(value: 1)) == 1\n  test "miss":\n    var e: Entry\n    check lookup(e) == 0\n'},
         ci='gitlab', env=NIMENV, block=r'^Traceback', end=r'^Segmentation fault'))
add(Case('dlang-unittest-segv', 'd', 'gdc -funittest', 'crash', ['gdc -funittest -fmain -o test_cache source/cache.d', './test_cache'],
         {'source/cache.d': 'module cache;\n\nclass Entry { int value; }\n\nint lookup(Entry e) { return e.value; }\n\nunittest\n{\n    assert(lookup(new Entry) == 0);\n    Entry missing;\n    assert(lookup(missing) == 0);\n}\n'},
         ci='jenkins', block=r'^Segmentation fault while running unittests', end=r'cache\.__unittest'))
