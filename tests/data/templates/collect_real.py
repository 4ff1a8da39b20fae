#!/usr/bin/env python3
"""Collects labeled log lines from real programs run here (gcc, make, cmake,
pytest, python, node, npm, git, curl, cargo, gtest, redis-server, postgres).

Each scenario runs several times in fresh temp dirs with random identifiers,
ports and values, so what varies between runs of the same failure really
varies. Every output line is labeled with an event type by the ordered rules
of its tool (first match wins); lines matching an IGNORE rule (source code
excerpts, caret markers) are not log events and are dropped; lines matching no
rule are reported on stderr and dropped.

Usage: collect_real.py OUTDIR [runs]   -> OUTDIR/real_<tool>.tsv (event<TAB>line)
"""
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

R = random.Random(20261127)
WORDS = ["alpha", "beta", "gamma", "delta", "omega", "parse", "render", "count", "index", "buffer", "queue",
         "token", "user", "order", "cache", "limit", "widget", "frame", "packet", "sensor", "ledger", "vector"]


def ident():
    return R.choice(WORDS) + R.choice(["", "_" + R.choice(WORDS), str(R.randint(1, 99))])


def run(cmd, cwd=None, env=None, timeout=60, shell=False):
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, timeout=timeout, shell=shell, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        return p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        return (e.stdout or b"").decode("utf-8", "replace")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def tmpdir(prefix):
    return tempfile.mkdtemp(prefix=prefix + "-" + "".join(R.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                                                           for _ in range(6)) + "-")


class Labeler:
    def __init__(self, tool, rules):
        self.tool = tool
        self.rules = [(re.compile(rx), ev) for rx, ev in rules]
        self.rows = []
        self.unlabeled = 0

    def feed(self, text):
        for line in text.splitlines():
            if not line.strip():
                continue
            for rx, ev in self.rules:
                if rx.search(line):
                    if ev != "IGNORE":
                        self.rows.append((ev, line))
                    break
            else:
                self.unlabeled += 1
                if self.unlabeled <= 15:
                    sys.stderr.write("[%s] unlabeled: %s\n" % (self.tool, line))

    def write(self, outdir, cap=1500):
        rows = self.rows[:cap]
        with open(os.path.join(outdir, "real_%s.tsv" % self.tool), "w") as f:
            for ev, line in rows:
                f.write("%s\t%s\n" % (ev, line.replace("\t", " ")))
        sys.stderr.write("[%s] %d lines, %d events, %d unlabeled dropped\n" %
                         (self.tool, len(rows), len(set(e for e, _ in rows)), self.unlabeled))


# ---------------------------------------------------------------- gcc + make
GCC_RULES = [
    (r"^\s+\d*\s*\|", "IGNORE"), (r"^\s*\|", "IGNORE"),
    (r": In function '", "gcc_in_function"),
    (r"error: '\w+' undeclared \(first use in this function\)", "gcc_undeclared"),
    (r"note: each undeclared identifier is reported only once", "gcc_note_once"),
    (r"warning: implicit declaration of function '\w+'", "gcc_implicit_decl"),
    (r"error: implicit declaration of function '\w+'", "gcc_implicit_decl_err"),
    (r"error: expected ';' before", "gcc_expected_semicolon"),
    (r"warning: unused variable '\w+'", "gcc_unused_var"),
    (r"error: too few arguments to function '\w+'", "gcc_too_few_args"),
    (r"note: declared here", "gcc_note_declared"),
    (r"fatal error: [\w./]+: No such file or directory", "gcc_missing_header"),
    (r"^compilation terminated\.", "gcc_terminated"),
    (r"undefined reference to `\w+'", "ld_undefined_ref"),
    (r"collect2: error: ld returned 1 exit status", "ld_exit"),
    (r"in function `\w+':", "ld_in_function"),
    (r"error: 'return' with a value, in function returning void", "gcc_return_void"),
    (r"warning: control reaches end of non-void function", "gcc_no_return"),
    (r"error: conflicting types for '\w+'", "gcc_conflicting"),
    (r"note: previous declaration of '\w+'", "gcc_note_prev_decl"),
    (r"note: previous definition of '\w+'", "gcc_note_prev_decl"),
    (r"warning: incompatible implicit declaration of built-in function", "gcc_builtin_decl"),
    (r"note: include '<\w+\.h>' or provide a declaration", "gcc_note_include"),
    (r"^make(\[\d+\])?: \*\*\* \[.*\] Error \d+", "make_error"),
    (r"^make(\[\d+\])?: Entering directory", "make_enter"),
    (r"^make(\[\d+\])?: Leaving directory", "make_leave"),
    (r"^make(\[\d+\])?: Nothing to be done", "make_nothing"),
    (r"^gcc ", "make_echo_cc"), (r"^cc ", "make_echo_cc"),
    (r"\d+ warnings? generated", "IGNORE"),
    (r"warning: conflicting types for built-in function '\w+'", "gcc_builtin_conflict"),
    (r"warning: 'return' with a value, in function returning void", "gcc_return_void_warn"),
    (r": At top level:", "gcc_top_level"),
    (r"error: expected ',' or ';' before", "gcc_expected_comma_semicolon"),
]


def collect_gcc(runs):
    lab = Labeler("gcc", GCC_RULES)
    for i in range(runs):
        d = tmpdir("build")
        f, g, v, h = ident(), ident(), ident(), ident()
        kinds = R.sample(["undeclared", "implicit", "semicolon", "unused", "fewargs", "header", "link", "retvoid",
                          "noreturn", "conflict"], 3)
        body = ["#include <stdio.h>"]
        if "header" in kinds:
            body.append("#include \"%s.h\"" % h)
        body.append("int %s(int a, int b) { return a + b; }" % g)
        body.append("void %s_v(void) { %s }" % (f, "return 1;" if "retvoid" in kinds else ""))
        body.append("int %s_n(int x) { if (x) return %d; %s}" % (f, R.randint(1, 99), "" if "noreturn" in kinds else "return 0; "))
        if "conflict" in kinds:
            body.append("int %s_c(int);\nlong %s_c(int q) { return q; }" % (f, f))
        lines = ["int main(void) {"]
        lines.append("  int %s = %d;" % (v, R.randint(0, 1000)))
        if "undeclared" in kinds:
            lines.append("  %s = %s_%d + 1;" % (v, ident(), R.randint(1, 9)))
        if "implicit" in kinds:
            lines.append("  %s_missing(%s);" % (ident(), v))
        if "semicolon" in kinds:
            lines.append("  int q%d = %d\n  return q%d;" % (i, R.randint(1, 9), i))
        if "unused" in kinds:
            lines.append("  int %s_unused = %d;" % (ident(), R.randint(1, 9)))
        if "fewargs" in kinds:
            lines.append("  %s(%s);" % (g, v))
        if "link" in kinds:
            lines.append("  extern int %s_ext(void); %s_ext();" % (h, h))
        lines.append("  printf(\"%%d\\n\", %s);\n  return 0;\n}" % v)
        for _ in range(R.randint(0, 6)):
            body.insert(1, "")
        src = "%s.c" % f
        with open(os.path.join(d, src), "w") as fh:
            fh.write("\n".join(body + lines) + "\n")
        with open(os.path.join(d, "Makefile"), "w") as fh:
            fh.write("all:\n\tgcc -Wall -Wextra -o %s %s\n" % (f, src))
        lab.feed(run(["make", "-C", d, "--no-print-directory" if R.random() < 0.5 else "-w"],
                     env=dict(os.environ, LC_ALL="C")))
        shutil.rmtree(d, ignore_errors=True)
    return lab


# ---------------------------------------------------------------- cmake
CMAKE_RULES = [
    (r"^-- The (C|CXX) compiler identification is", "cmake_compiler_id"),
    (r"^-- Detecting (C|CXX) compiler ABI info - done", "cmake_abi_done"),
    (r"^-- Detecting (C|CXX) compiler ABI info$", "cmake_abi"),
    (r"^-- Check for working (C|CXX) compiler: .* - skipped", "cmake_check_compiler"),
    (r"^-- Detecting (C|CXX) compile features - done", "cmake_features_done"),
    (r"^-- Detecting (C|CXX) compile features$", "cmake_features"),
    (r"^-- Configuring done", "cmake_configuring_done"),
    (r"^-- Configuring incomplete, errors occurred!", "cmake_configuring_incomplete"),
    (r"^-- Generating done", "cmake_generating_done"),
    (r"^-- Build files have been written to:", "cmake_written"),
    (r"^CMake Error at .*CMakeLists.txt:\d+ \(find_package\):", "cmake_error_find_package"),
    (r"^CMake Error at .*CMakeLists.txt:\d+ \(message\):", "cmake_error_at_cmd"),
    (r"^CMake Error at .*CMakeLists.txt:\d+:", "cmake_error_at"),
    (r"^  By not providing \"Find\w+\.cmake\" in CMAKE_MODULE_PATH", "cmake_fp_1"),
    (r"^  asked CMake to find a package configuration file provided by", "cmake_fp_2"),
    (r"^  CMake did not find one\.", "cmake_fp_3"),
    (r"^  Could not find a package configuration file provided by", "cmake_fp_4"),
    (r"^  following names:", "cmake_fp_5"),
    (r"^    \w+Config\.cmake$", "cmake_fp_cfgname"), (r"^    \w+-config\.cmake$", "cmake_fp_cfgname"),
    (r"^  Add the installation prefix of", "cmake_fp_6"),
    (r"^  \"\w+_DIR\" to a directory containing one of the above files", "cmake_fp_7"),
    (r"provides a separate development package or SDK, be sure it has", "cmake_fp_8"),
    (r"^  been installed\.", "cmake_fp_9"),
    (r"^  Unknown CMake command \"\w+\"", "cmake_unknown_cmd"),
    (r"^  required setting .* is missing: \w+", "cmake_custom_msg"),
    (r"^  Parse error\.  Expected a command name, got", "cmake_parse_error"),
    (r"^Call Stack \(most recent call first\):", "cmake_callstack"),
    (r"^  CMakeLists.txt:\d+ \(\w+\)", "cmake_callstack_frame"),
    (r"^\[\s*\d+%\] Building C object", "build_c_object"),
    (r"^\[\s*\d+%\] Linking C executable", "linking_exe"),
    (r"^\[\s*\d+%\] Linking C static library", "linking_lib"),
    (r"^\[\s*\d+%\] Built target", "make_built_target"),
    (r"^Scanning dependencies of target", "make_scanning"),
    (r"^\[\d+/\d+\] Building C object", "build_c_object"),
    (r"^\[\d+/\d+\] Linking C executable", "linking_exe"),
    (r"^\[\d+/\d+\] Linking C static library", "linking_lib"),
    (r"^gmake|^make", "IGNORE"), (r"^Consolidate compiler generated dependencies", "make_consolidate"),
    (r"^See also \".*CMakeOutput\.log\"", "cmake_see_also"),
    (r"^CMake Error at CMakeLists.txt:\d+ \(\w+\):", "cmake_error_at_cmd"),
    (r"^  ", "IGNORE"),  # continuation lines of a wrapped message: the body of one event, not events
]


def collect_cmake(runs):
    lab = Labeler("cmake", CMAKE_RULES)
    for i in range(runs):
        d = tmpdir("ws")
        proj = ident()
        kind = R.choice(["ok", "ok", "findpkg", "unknown", "message", "ok"])
        srcs = [ident() + ".c" for _ in range(R.randint(1, 4))]
        lines = ["cmake_minimum_required(VERSION 3.16)", "project(%s C)" % proj]
        if kind == "findpkg":
            lines.append("find_package(%s%s REQUIRED)" % (R.choice(["Lib", "Foo", "Acme", "Zed"]), ident().capitalize()))
        if kind == "unknown":
            lines.append("%s_setup(%s)" % (ident(), proj))
        if kind == "message":
            lines.append("message(FATAL_ERROR \"required setting for %s is missing: %s\")" % (proj, ident().upper()))
        lines.append("add_library(%s_lib STATIC %s)" % (proj, " ".join(srcs[1:] or srcs)))
        lines.append("add_executable(%s %s)" % (proj, srcs[0]))
        for s in srcs:
            with open(os.path.join(d, s), "w") as fh:
                fh.write("int %s(void) { return %d; }\n" % (s[:-2] if s != srcs[0] else "main", R.randint(0, 9)))
        with open(os.path.join(d, "CMakeLists.txt"), "w") as fh:
            fh.write("\n".join(lines) + "\n")
        gen = R.choice(["Unix Makefiles", "Ninja"])
        b = os.path.join(d, "build")
        lab.feed(run(["cmake", "-S", d, "-B", b, "-G", gen]))
        if kind == "ok":
            lab.feed(run(["cmake", "--build", b]))
        shutil.rmtree(d, ignore_errors=True)
    return lab


# ---------------------------------------------------------------- pytest + python tracebacks
PYTEST_RULES = [
    (r"^=+ test session starts =+$", "pt_session_start"),
    (r"^platform linux -- Python .* -- /", "pt_platform_verbose"),
    (r"^platform linux -- Python", "pt_platform"),
    (r"^rootdir: ", "pt_rootdir"),
    (r"^plugins: ", "pt_plugins"),
    (r"^configfile: ", "pt_configfile"),
    (r"^cachedir: ", "pt_cachedir"),
    (r"^collected \d+ items?", "pt_collected"),
    (r"^collecting \.\.\.", "pt_collecting"),
    (r"^\S+\.py::\S+ PASSED", "pt_v_passed"),
    (r"^\S+\.py::\S+ FAILED", "pt_v_failed"),
    (r"^\S+\.py::\S+ SKIPPED", "pt_v_skipped"),
    (r"^\S+\.py [.FsExX]+\s+\[\s*\d+%\]$", "pt_progress"),
    (r"^=+ FAILURES =+$", "pt_failures_header"),
    (r"^=+ short test summary info =+$", "pt_summary_header"),
    (r"^=+ \d+ failed, \d+ passed, \d+ skipped in [\d.]+s", "pt_final_failed_passed_skipped"),
    (r"^=+ \d+ failed, \d+ passed in [\d.]+s", "pt_final_failed_passed"),
    (r"^=+ \d+ failed, \d+ skipped in [\d.]+s", "pt_final_failed_skipped"),
    (r"^=+ \d+ failed in [\d.]+s", "pt_final_failed"),
    (r"^=+ \d+ passed, \d+ skipped in [\d.]+s", "pt_final_passed_skipped"),
    (r"^=+ \d+ passed.* in [\d.]+s", "pt_final_passed"),
    (r"^FAILED \S+ - AssertionError: assert", "pt_short_failed_assert"),
    (r"^FAILED \S+ - ZeroDivisionError", "pt_short_failed_zde"),
    (r"^FAILED \S+ - KeyError", "pt_short_failed_keyerror"),
    (r"^FAILED \S+ - ", "pt_short_failed_other"),
    (r"^SKIPPED \[\d+\] \S+:\d+: ", "pt_short_skipped"),
    (r"^\S+\.py:\d+: AssertionError", "pt_tbline_assert"),
    (r"^\S+\.py:\d+: ZeroDivisionError", "pt_tbline_zde"),
    (r"^\S+\.py:\d+: KeyError", "pt_tbline_keyerror"),
    (r"^\S+\.py:\d+: \w+Error", "pt_tbline_other"),
]
PY_RULES = [
    (r"^Traceback \(most recent call last\):", "py_traceback"),

    (r"^  File \".*\", line \d+, in \w+", "py_frame"),
    (r"^ZeroDivisionError: division by zero", "py_zde"),
    (r"^KeyError: '\w+'", "py_keyerror"),
    (r"^FileNotFoundError: \[Errno 2\] No such file or directory:", "py_fnf"),
    (r"^ModuleNotFoundError: No module named '\w+'", "py_modnotfound"),
    (r"^ValueError: invalid literal for int\(\) with base 10:", "py_valueerror_int"),
    (r"^IndexError: list index out of range", "py_indexerror"),
    (r"^AttributeError: 'NoneType' object has no attribute '\w+'", "py_attr_none"),
    (r"^TypeError: unsupported operand type\(s\) for \+: 'int' and 'str'", "py_typeerror_add"),
    (r"^ConnectionRefusedError: \[Errno 111\] Connection refused", "py_connrefused"),
    (r"^PermissionError: \[Errno 13\] Permission denied:", "py_permission"),
    (r"^    [\^~ ]+$", "IGNORE"), (r"^    ", "IGNORE"),
]


def collect_pytest(runs):
    lab = Labeler("pytest", PYTEST_RULES)
    for i in range(runs):
        d = tmpdir("pytest-of-runner")
        mods = []
        for m in range(R.randint(1, 3)):
            name = "test_%s.py" % ident()
            tests = []
            for t in range(R.randint(2, 6)):
                k = R.choice(["pass", "pass", "assert", "zde", "key", "skip", "type"])
                tn = "test_%s_%d" % (ident(), t)
                if k == "pass":
                    tests.append("def %s():\n    assert %d == %d\n" % (tn, t, t))
                elif k == "assert":
                    a = R.randint(0, 100)
                    tests.append("def %s():\n    x = %d\n    assert x == %d\n" % (tn, a, a + R.randint(1, 5)))
                elif k == "zde":
                    tests.append("def %s():\n    return %d / 0\n" % (tn, R.randint(1, 9)))
                elif k == "key":
                    tests.append("def %s():\n    return {}['%s']\n" % (tn, ident()))
                elif k == "skip":
                    tests.append("import pytest\n@pytest.mark.skip(reason='%s not ready')\ndef %s():\n    pass\n" % (ident(), tn))
                else:
                    tests.append("def %s():\n    return %d + '%s'\n" % (tn, R.randint(1, 9), ident()))
            with open(os.path.join(d, name), "w") as fh:
                fh.write("\n".join(tests))
            mods.append(name)
        args = ["pytest", "-p", "no:cacheprovider", "-rfEs", "--tb=line"]
        if R.random() < 0.4:
            args.append("-v")
        lab.feed(run(args + mods, cwd=d, env=dict(os.environ, COLUMNS=str(R.choice([80, 100, 120, 160])))))
        shutil.rmtree(d, ignore_errors=True)
    return lab


def collect_python(runs):
    lab = Labeler("python", PY_RULES)
    for i in range(runs):
        d = tmpdir("tmp")
        k = R.choice(["zde", "key", "fnf", "mod", "int", "index", "none", "type", "conn", "perm"])
        fn = ident()
        body = {
            "zde": "%d / 0" % R.randint(1, 99),
            "key": "{}['%s']" % ident(),
            "fnf": "open('/tmp/%s/%s.txt')" % (ident(), ident()),
            "mod": "import %s_mod" % ident(),
            "int": "int('%s')" % ident(),
            "index": "[%d][%d]" % (R.randint(0, 9), R.randint(3, 9)),
            "none": "None.%s" % ident(),
            "type": "%d + '%s'" % (R.randint(0, 9), ident()),
            "conn": "__import__('socket').create_connection(('127.0.0.1', %d))" % free_port(),
            "perm": "open('/proc/%d/mem', 'w')" % R.randint(1, 1),
        }[k]
        pre = "\n" * R.randint(0, 5)
        src = "%sdef %s():\n    %s\n\ndef main():\n    %s()\n\nmain()\n" % (pre, fn, body, fn)
        path = os.path.join(d, "%s.py" % ident())
        with open(path, "w") as fh:
            fh.write(src)
        env = dict(os.environ)
        if k == "perm":
            # as root /proc/1/mem is writable-ish; use a read-only file instead
            ro = os.path.join(d, "ro.txt")
            open(ro, "w").close()
            os.chmod(ro, 0o444)
            src = src.replace("/proc/1/mem", ro)
            with open(path, "w") as fh:
                fh.write(src)
            lab.feed(run(["runuser", "-u", "nobody", "--", "python3", path]) if os.geteuid() == 0 else run(["python3", path]))
        else:
            lab.feed(run(["python3", path], env=env))
        shutil.rmtree(d, ignore_errors=True)
    return lab


# ---------------------------------------------------------------- node + npm
NODE_RULES = [
    (r"^node:internal/", "IGNORE"), (r"^\s+\^+$", "IGNORE"),
    (r"^\S+\.js:\d+$", "node_err_location"),
    (r"^ReferenceError: \w+ is not defined", "node_referenceerror"),
    (r"^TypeError: Cannot read properties of undefined \(reading '\w+'\)", "node_typeerror_undef"),
    (r"^TypeError: \w+ is not a function", "node_typeerror_notfn"),
    (r"^Error: Cannot find module '[^']+'", "node_cannot_find_module"),
    (r"^Error: connect ECONNREFUSED", "node_econnrefused"),
    (r"^Error: \w+ failed with code \d+", "node_custom_error"),
    (r"^    at \S+ \(.*:\d+:\d+\)$", "node_frame"),
    (r"^    at \S+ \[as \w+\] \(.*:\d+:\d+\)$", "node_frame_as"),
    (r"^    at [^ ]*:\d+:\d+$", "node_frame_nofn"),
    (r"^    at .*:\d+:\d+", "node_frame_other"),
    (r"^\s+code: '(MODULE_NOT_FOUND|ECONNREFUSED)'", "node_prop_code"),
    (r"^\s+requireStack: \[", "node_prop_requirestack"), (r"^\s+'/.*\.js'$", "node_prop_requirestack_item"),
    (r"^\s+errno: -\d+", "node_prop_errno"), (r"^\s+syscall: '\w+'", "node_prop_syscall"),
    (r"^\s+address: '[\d.]+'", "node_prop_address"), (r"^\s+port: \d+", "node_prop_port"),
    (r"^\s*\}$", "node_prop_close"), (r"^\s*\]$", "node_prop_close_arr"),
    (r"^Node\.js v\d+", "node_version"),
    (r"^(\s*)(ok|not ok) \d+ - ", "IGNORE"), (r"^\s*\S.*", "IGNORE"),
]
NPM_RULES = [
    (r"^> \S+@\d+\.\d+\.\d+ \w+$", "npm_script_header"),
    (r"^> ", "npm_script_cmd"),
    (r"^npm error Missing script: \"\w+\"", "npm_missing_script"),
    (r"^npm error Did you mean this\?", "npm_did_you_mean_one"),
    (r"^npm error Did you mean one of these\?", "npm_did_you_mean_many"),
    (r"^npm error   npm \w+ # ", "npm_suggestion"),
    (r"^npm error To see a list of scripts, run:", "npm_see_scripts"),
    (r"^npm error   npm run$", "npm_run_hint"),
    (r"^npm error code E\w+$", "npm_err_code_name"),
    (r"^npm error syscall \w+", "npm_syscall"),
    (r"^npm error path /", "npm_err_path"),
    (r"^npm error errno -?\d+", "npm_errno"),
    (r"^npm error enoent ENOENT: no such file or directory, open '", "npm_enoent_open"),
    (r"^npm error enoent This is related to npm not being able to find a file\.", "npm_enoent_hint"),
    (r"^npm error A complete log of this run can be found in: ", "npm_complete_log"),
    (r"^npm error$", "npm_err_blank"),
    (r"^npm error enoent$", "npm_enoent_blank"),
    (r"^npm (warn|notice)", "IGNORE"),
]


def collect_node(runs):
    lab = Labeler("node", NODE_RULES)
    for i in range(runs):
        d = tmpdir("work")
        k = R.choice(["ref", "undef", "notfn", "module", "conn", "custom"])
        v = ident()
        body = {
            "ref": "console.log(%s_x + %d);" % (v, R.randint(0, 9)),
            "undef": "const o = {}; console.log(o.%s.%s);" % (v, ident()),
            "notfn": "const %s = %d; %s();" % (v, R.randint(0, 9), v),
            "module": "require('%s-%s');" % (v, ident()),
            "conn": "require('net').connect(%d, '127.0.0.1');" % free_port(),
            "custom": "throw new Error('%s failed with code %d');" % (v, R.randint(1, 200)),
        }[k]
        pre = "\n" * R.randint(0, 4)
        src = "%sfunction %s() {\n  %s\n}\n%s();\n" % (pre, ident(), body, "main")
        src = src.replace("function %s()" % src.split("function ")[1].split("(")[0], "function main()")
        path = os.path.join(d, "%s.js" % ident())
        with open(path, "w") as fh:
            fh.write(src)
        lab.feed(run(["node", path], env=dict(os.environ, NO_COLOR="1")))
        shutil.rmtree(d, ignore_errors=True)
    return lab


def collect_npm(runs):
    lab = Labeler("npm", NPM_RULES)
    for i in range(runs):
        d = tmpdir("proj")
        name = ident().replace("_", "-")
        rc = R.randint(1, 3)
        pkg = '{"name": "%s", "version": "%d.%d.%d", "scripts": {"test": "node t.js", "build": "exit %d"}}' % (
            name, R.randint(0, 3), R.randint(0, 20), R.randint(0, 9), rc)
        with open(os.path.join(d, "package.json"), "w") as fh:
            fh.write(pkg)
        with open(os.path.join(d, "t.js"), "w") as fh:
            fh.write("process.exit(%d)\n" % R.choice([0, 1]))
        script = R.choice(["test", "build", "lint" + str(R.randint(0, 9)), "start", "tset", "buidl"])
        if R.random() < 0.3:
            lab.feed(run(["npm", "install", "--offline", "--no-audit", "--no-fund",
                          "./%s-%d.%d.tgz" % (ident(), R.randint(0, 9), R.randint(0, 9))], cwd=d,
                         env=dict(os.environ, NO_COLOR="1")))
        else:
            lab.feed(run(["npm", "run", script, "--no-update-notifier"], cwd=d, env=dict(os.environ, NO_COLOR="1")))
        shutil.rmtree(d, ignore_errors=True)
    return lab


# ---------------------------------------------------------------- git, curl
GIT_RULES = [
    (r"^fatal: not a git repository", "git_not_repo"),
    (r"^error: pathspec '.*' did not match any file\(s\) known to git", "git_pathspec"),
    (r"^fatal: ambiguous argument '.*': unknown revision or path not in the working tree", "git_ambiguous"),
    (r"^Use '--' to separate paths from revisions", "git_ambiguous_hint"),
    (r"^'git <command> \[<revision>\.\.\.\] -- \[<file>\.\.\.\]'", "git_ambiguous_hint2"),
    (r"^fatal: repository '.*' does not exist", "git_repo_missing"),
    (r"^fatal: Could not read from remote repository", "git_remote_read"),
    (r"^Please make sure you have the correct access rights", "git_access_hint"),
    (r"^and the repository exists", "git_access_hint2"),
    (r"^fatal: '.*' does not appear to be a git repository", "git_not_git_repo"),
    (r"^\[\w+(-\w+)* \(root-commit\) [0-9a-f]{7}\] ", "git_commit_root"),
    (r"^\[\w+(-\w+)* [0-9a-f]{7}\] ", "git_commit_header"),
    (r"^ \d+ files? changed", "git_commit_stats"),
    (r"^ create mode 100644 ", "git_create_mode"),
    (r"^Initialized empty Git repository in ", "git_init"),
    (r"^Switched to a new branch '", "git_switch_new"),
    (r"^Switched to branch '", "git_switch"),
    (r"^Cloning into '", "git_cloning"),
    (r"^done\.$", "git_done"),
    (r"^warning: You appear to have cloned an empty repository", "git_empty_clone"),
    (r"^error: src refspec \S+ does not match any", "git_refspec"),
    (r"^error: failed to push some refs to '", "git_push_failed"),
    (r"^hint:", "IGNORE"),
    (r"^fatal: invalid reference: ", "git_invalid_ref"),
    (r"^Already on '", "git_already_on"),
    (r"^error: Your local changes to the following files would be overwritten by checkout", "git_overwrite"),
]
CURL_RULES = [
    (r"^curl: \(7\) Failed to connect to [\d.]+ port \d+", "curl_connect_failed"),
    (r"^curl: \(6\) Could not resolve host: ", "curl_resolve"),
    (r"^curl: \(22\) The requested URL returned error: 404", "curl_404"),
    (r"^curl: \(22\) The requested URL returned error: 500", "curl_500"),
    (r"^curl: \(3\) URL using bad/illegal format or missing URL", "curl_bad_url"),
    (r"^curl: \(1\) Protocol \"\w+\" not supported", "curl_protocol"),
    (r"^curl: \(28\) ", "curl_timeout"),
    (r"^curl: \(\d+\) ", "curl_other"),
]


def collect_git(runs):
    lab = Labeler("git", GIT_RULES)
    env = dict(os.environ, GIT_AUTHOR_NAME="ci", GIT_AUTHOR_EMAIL="ci@example.com", GIT_COMMITTER_NAME="ci",
               GIT_COMMITTER_EMAIL="ci@example.com", LC_ALL="C", GIT_CONFIG_NOSYSTEM="1", HOME="/tmp")
    for i in range(runs):
        d = tmpdir("repo")
        lab.feed(run(["git", "-C", d, "status"], env=env))
        lab.feed(run(["git", "init", "-b", R.choice(["main", "master"]), d], env=env))
        for _ in range(R.randint(1, 3)):
            f = "%s.txt" % ident()
            with open(os.path.join(d, f), "w") as fh:
                fh.write("%s\n" % ident() * R.randint(1, 5))
            run(["git", "-C", d, "add", f], env=env)
            lab.feed(run(["git", "-C", d, "commit", "-q" if R.random() < 0.3 else "-m", "add %s" % f, "-m",
                          "%s %d" % (ident(), R.randint(1, 99))], env=env))
        lab.feed(run(["git", "-C", d, "checkout", "%s-%d" % (ident(), R.randint(1, 99))], env=env))
        lab.feed(run(["git", "-C", d, "log", "%s..HEAD" % ident()], env=env))
        lab.feed(run(["git", "-C", d, "checkout", "-b", "feature/%s-%d" % (ident(), R.randint(1, 999))], env=env))
        lab.feed(run(["git", "clone", "/tmp/%s-%d" % (ident(), R.randint(1, 9999)), os.path.join(d, "c")], env=env))
        lab.feed(run(["git", "-C", d, "push", "origin", ident()], env=env))
        shutil.rmtree(d, ignore_errors=True)
    return lab


def collect_curl(runs):
    lab = Labeler("curl", CURL_RULES)
    srv_dir = tmpdir("www")
    port = free_port()
    srv = subprocess.Popen(["python3", "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", srv_dir],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.7)
    try:
        for i in range(runs):
            k = R.choice(["conn", "conn", "resolve", "404", "badurl", "proto"])
            if k == "conn":
                cmd = ["curl", "-sS", "http://127.0.0.1:%d/%s" % (free_port(), ident())]
            elif k == "resolve":
                cmd = ["curl", "-sS", "--max-time", "3", "http://%s-%d.invalid/" % (ident().replace("_", "-"), R.randint(1, 99))]
            elif k == "404":
                cmd = ["curl", "-sSf", "http://127.0.0.1:%d/%s/%d" % (port, ident(), R.randint(1, 999))]
            elif k == "badurl":
                cmd = ["curl", "-sS", "http://[%s" % ident()]
            else:
                cmd = ["curl", "-sS", "%s://127.0.0.1/%s" % (R.choice(["gopherx", "foo", "abc"]), ident())]
            lab.feed(run(cmd, timeout=10))
    finally:
        srv.terminate()
        srv.wait()
        shutil.rmtree(srv_dir, ignore_errors=True)
    return lab


# ---------------------------------------------------------------- cargo
CARGO_RULES = [
    (r"^\s+Created binary \(application\) `\w+` package", "cargo_created"),
    (r"^\s+Compiling \w+ v\d+\.\d+\.\d+ \(", "cargo_compiling"),
    (r"^error\[E0425\]: cannot find value `\w+` in this scope", "rs_e0425"),
    (r"^error\[E0308\]: mismatched types", "rs_e0308"),
    (r"^error\[E0384\]: cannot assign twice to immutable variable `\w+`", "rs_e0384"),
    (r"^error\[E0599\]: no method named `\w+` found for", "rs_e0599"),
    (r"^warning: unused variable: `\w+`", "rs_unused_var"),
    (r"^error: could not compile `\w+` \(bin \"\w+\"\) due to \d+ previous errors?", "cargo_could_not_compile"),
    (r"^warning: `\w+` \(bin \"\w+\"\) generated \d+ warnings?", "cargo_generated_warnings"),
    (r"^\s+--> src/main\.rs:\d+:\d+", "rs_arrow_location"),
    (r"^\s+= note: `#\[warn\(unused_variables\)\]` on by default", "rs_note_unused_default"),
    (r"^\s+= help: if this is intentional, prefix it with an underscore", "IGNORE"),
    (r"^For more information about this error, try `rustc --explain E\d+`", "rs_explain_one"),
    (r"^Some errors have detailed explanations: ", "rs_explain_many"),
    (r"^For more information about an error, try `rustc --explain E\d+`", "rs_explain_any"),
    (r"^\s+Finished ", "cargo_finished"),
    (r"^\s+Running `target/debug/\w+`", "cargo_running"),
    (r"^thread 'main' panicked at ", "rs_panic"),
    (r"^note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace", "rs_backtrace_note"),
    (r"^error: aborting due to", "rs_aborting"),
    (r"^\s*\d*\s*\|", "IGNORE"), (r"^\s*= ", "IGNORE"), (r"^\s*\.\.\.$", "IGNORE"), (r".", "IGNORE"),
]


def collect_cargo(runs):
    lab = Labeler("cargo", CARGO_RULES)
    home = tmpdir("cargo-home")
    for i in range(runs):
        d = tmpdir("crate")
        name = ident()
        run(["cargo", "new", "--offline", "-q", "--vcs", "none", os.path.join(d, name)],
            env=dict(os.environ, CARGO_TERM_COLOR="never"))
        v = ident()
        kinds = R.sample(["e0425", "e0308", "e0384", "e0599", "unused", "panic"], R.randint(1, 2))
        body = ["fn main() {", "    let %s: i32 = %d;" % (v, R.randint(1, 50))]
        if "e0425" in kinds:
            body.append("    println!(\"{}\", %s_missing);" % ident())
        if "e0308" in kinds:
            body.append("    let q: u8 = \"%s\";" % ident())
        if "e0384" in kinds:
            body.append("    let z = 1; z = %d;" % R.randint(2, 9))
        if "e0599" in kinds:
            body.append("    %s.%s_m();" % (v, ident()))
        if "unused" in kinds:
            body.append("    let %s_u = %d;" % (ident(), R.randint(1, 9)))
        if "panic" in kinds and len(kinds) == 1:
            body.append("    let xs: Vec<i32> = vec![]; println!(\"{}\", xs[%d]);" % R.randint(0, 9))
        body.append("    println!(\"{}\", %s);\n}" % v)
        with open(os.path.join(d, name, "src", "main.rs"), "w") as fh:
            fh.write("\n" * R.randint(0, 3) + "\n".join(body) + "\n")
        lab.feed(run(["cargo", "run", "--offline"], cwd=os.path.join(d, name),
                     env=dict(os.environ, CARGO_TERM_COLOR="never", CARGO_TARGET_DIR=os.path.join(d, "t")), timeout=120))
        shutil.rmtree(d, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)
    return lab


# ---------------------------------------------------------------- gtest
GTEST_SRC = r'''
#include <gtest/gtest.h>
#include <cstdlib>
#include <string>
static int Param(const char* k, int d) { const char* v = std::getenv(k); return v ? std::atoi(v) : d; }
TEST(%(S1)s, %(T1)s) { EXPECT_EQ(Param("A", 1), Param("B", 1)); }
TEST(%(S1)s, %(T2)s) { EXPECT_TRUE(Param("C", 1) > 0); }
TEST(%(S2)s, %(T3)s) { ASSERT_NE(Param("D", 0), Param("E", 1)); }
TEST(%(S2)s, %(T4)s) { EXPECT_STREQ(std::getenv("F") ? std::getenv("F") : "x", "x"); }
TEST(%(S2)s, %(T5)s) { EXPECT_NEAR(Param("G", 10) / 10.0, 1.0, 0.01); }
'''
GTEST_RULES = [
    (r"^Running main\(\) from ", "gt_running_main"),
    (r"^\[==========\] Running \d+ tests? from \d+ test suites?\.", "gt_running"),
    (r"^\[----------\] Global test environment set-up\.", "gt_env_setup"),
    (r"^\[----------\] Global test environment tear-down", "gt_env_teardown"),
    (r"^\[----------\] \d+ tests? from \w+ \(\d+ ms total\)", "gt_suite_total"),
    (r"^\[----------\] \d+ tests? from \w+$", "gt_suite_start"),
    (r"^\[ RUN      \] ", "gt_run"),
    (r"^\[       OK \] ", "gt_ok"),
    (r"^\[  FAILED  \] \w+\.\w+ \(\d+ ms\)", "gt_failed_test"),
    (r"^\[  FAILED  \] \w+\.\w+$", "gt_failed_list_item"),
    (r"^\[  FAILED  \] \d+ tests?, listed below:", "gt_failed_listed"),
    (r"^\[==========\] \d+ tests? from \d+ test suites? ran\. \(\d+ ms total\)", "gt_ran"),
    (r"^\[  PASSED  \] \d+ tests?\.", "gt_passed"),
    (r"^ ?\d+ FAILED TESTS?", "gt_failed_count"),
    (r"^\S+\.cc:\d+: Failure", "gt_failure_loc"),
    (r"^Expected equality of these values:", "gt_expected_eq"),
    (r"^Value of: ", "gt_value_of"),
    (r"^  Actual: (true|false)", "gt_actual_bool"),
    (r"^Expected: (true|false)", "gt_expected_bool"),
    (r"^Expected: \(.*\) != \(.*\), actual: \d+ vs \d+", "gt_expected_ne"),
    (r"^Expected equality of these values:", "gt_expected_eq"),
    (r"^The difference between .* is [\d.e+-]+, which exceeds", "gt_near_diff"),
    (r"^Expected: \(.*\) > \(.*\), actual: ", "gt_expected_gt"),
    (r"^    Which is: ", "gt_which_is"),
    # Echoed source expressions are code, not log events.
    (r"^  Param\(", "IGNORE"), (r"^  std::getenv", "IGNORE"), (r"^  \"x\"", "IGNORE"),
    (r"^Expected: ", "gt_expected_other"), (r"^  Actual: ", "gt_actual_other"),
    (r"^\S+ evaluates to [\d.e+-]+,", "gt_evaluates"),
    (r"^\s+", "IGNORE"),
]


def collect_gtest(runs):
    lab = Labeler("gtest", GTEST_RULES)
    for b in range(3):
        d = tmpdir("gtest")
        names = dict(S1=ident().capitalize() + "Test", S2=ident().capitalize() + "Suite", T1=ident().capitalize(),
                     T2=ident().capitalize(), T3=ident().capitalize(), T4=ident().capitalize(), T5=ident().capitalize())
        src = os.path.join(d, "%s_test.cc" % ident())
        with open(src, "w") as fh:
            fh.write(GTEST_SRC % names)
        exe = os.path.join(d, "t")
        out = run(["g++", "-std=c++17", "-O0", src, "-o", exe, "-lgtest", "-lgtest_main", "-pthread"], timeout=180)
        if not os.path.exists(exe):
            sys.stderr.write("gtest build failed: %s\n" % out[:500])
            continue
        for i in range(max(1, runs // 3)):
            env = dict(os.environ, A=str(R.randint(0, 3)), B=str(R.randint(0, 3)), C=str(R.randint(-1, 3)),
                       D=str(R.randint(0, 2)), E=str(R.randint(0, 2)), F=R.choice(["x", ident()]),
                       G=str(R.randint(9, 12)))
            lab.feed(run([exe, "--gtest_color=no"], env=env))
        shutil.rmtree(d, ignore_errors=True)
    return lab


# ---------------------------------------------------------------- redis, postgres
REDIS_RULES = [
    (r"oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo", "redis_starting"),
    (r"Redis version=[\d.]+, bits=64, commit=\w+, modified=\d, pid=\d+, just started", "redis_version"),
    (r"Configuration loaded", "redis_config_loaded"),
    (r"monotonic clock: ", "redis_monotonic"),
    (r"Running mode=standalone, port=\d+\.", "redis_running_mode"),
    (r"Server initialized", "redis_server_initialized"),
    (r"Ready to accept connections", "redis_ready"),
    (r"User requested shutdown\.\.\.", "redis_user_shutdown"),
    (r"Received SIGTERM scheduling shutdown", "redis_sigterm"),
    (r"Saving the final RDB snapshot before exiting\.", "redis_final_save"),
    (r"DB saved on disk", "redis_db_saved"),
    (r"Redis is now ready to exit, bye bye\.\.\.", "redis_bye"),
    (r"WARNING Memory overcommit must be enabled!", "redis_overcommit"),
    (r"WARNING: The TCP backlog setting of \d+ cannot be enforced", "redis_backlog"),
    (r"Loading RDB produced by version", "redis_loading_rdb"),
    (r"RDB age \d+ seconds", "redis_rdb_age"),
    (r"RDB memory usage when created [\d.]+ Mb", "redis_rdb_mem"),
    (r"Done loading RDB, keys loaded: \d+, keys expired: \d+\.", "redis_done_loading"),
    (r"DB loaded from disk: [\d.]+ seconds", "redis_db_loaded"),
    (r"Warning: no config file specified", "redis_no_config"),
    (r"Background saving started by pid \d+", "redis_bgsave_started"),
    (r"DB saved on disk$", "redis_db_saved"),
    (r"Fork CoW for RDB: current \d+ MB, peak \d+ MB, average \d+ MB", "redis_cow"),
    (r"Background saving terminated with success", "redis_bgsave_done"),
    (r"\d+ changes in \d+ seconds\. Saving\.\.\.", "redis_changes_saving"),
    (r"Removing the pid file", "redis_removing_pid"),
    (r"Server started", "redis_server_started"),
    (r"^\s", "IGNORE"), (r"^\S*\s*$", "IGNORE"), (r"_\._|`-\._|\.-``|`-\.__|_\.-|\(    '      ,|\|", "IGNORE"),
]
PG_RULES = [
    (r"LOG:  starting PostgreSQL \d+", "pg_starting"),
    (r"LOG:  listening on IPv4 address \"127\.0\.0\.1\", port \d+", "pg_listening_ipv4"),
    (r"LOG:  listening on Unix socket ", "pg_listening_unix"),
    (r"LOG:  database system was shut down at ", "pg_was_shut_down"),
    (r"LOG:  database system is ready to accept connections", "pg_ready"),
    (r"LOG:  received fast shutdown request", "pg_fast_shutdown"),
    (r"LOG:  received smart shutdown request", "pg_smart_shutdown"),
    (r"LOG:  aborting any active transactions", "pg_aborting"),
    (r"LOG:  background worker \"logical replication launcher\" \(PID \d+\) exited with exit code 1", "pg_bgworker_exit"),
    (r"LOG:  shutting down", "pg_shutting_down"),
    (r"LOG:  checkpoint starting: ", "pg_checkpoint_start"),
    (r"LOG:  checkpoint complete: ", "pg_checkpoint_complete"),
    (r"LOG:  database system is shut down", "pg_is_shut_down"),
    (r"ERROR:  relation \"\w+\" does not exist at character \d+", "pg_err_relation"),
    (r"ERROR:  column \"\w+\" does not exist at character \d+", "pg_err_column"),
    (r"ERROR:  syntax error at or near \"\w+\" at character \d+", "pg_err_syntax"),
    (r"ERROR:  duplicate key value violates unique constraint \"\w+\"", "pg_err_duplicate"),
    (r"DETAIL:  Key \(id\)=\(\d+\) already exists\.", "pg_detail_key_exists"),
    (r"ERROR:  division by zero", "pg_err_div0"),
    (r"FATAL:  database \"\w+\" does not exist", "pg_fatal_no_db"),
    (r"FATAL:  role \"\w+\" does not exist", "pg_fatal_no_role"),
    (r"STATEMENT:  ", "pg_statement"),
    (r"LOG:  redirecting log output to logging collector process", "pg_redirecting"),
    (r"HINT:  ", "pg_hint"),
]


def collect_redis(runs):
    lab = Labeler("redis", REDIS_RULES)
    for i in range(runs):
        d = tmpdir("redis")
        port = free_port()
        log = os.path.join(d, "redis.log")
        p = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", d,
                              "--logfile", log, "--save", "1 1", "--daemonize", "no"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        for _ in range(R.randint(0, 3)):
            run(["redis-cli", "-p", str(port), "set", ident(), str(R.randint(1, 999))], timeout=5)
        if R.random() < 0.5:
            run(["redis-cli", "-p", str(port), "bgsave"], timeout=5)
            time.sleep(0.3)
        if R.random() < 0.5:
            run(["redis-cli", "-p", str(port), "shutdown"], timeout=5)
        else:
            p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
        with open(log, errors="replace") as fh:
            lab.feed(fh.read())
        shutil.rmtree(d, ignore_errors=True)
    return lab


def collect_postgres(runs):
    lab = Labeler("postgres", PG_RULES)
    bins = sorted(d for d in os.listdir("/usr/lib/postgresql") if os.path.exists("/usr/lib/postgresql/%s/bin/initdb" % d))
    if not bins:
        sys.stderr.write("postgres: no server binaries\n")
        return lab
    b = "/usr/lib/postgresql/%s/bin" % bins[-1]
    d = tempfile.mkdtemp(prefix="pgdata-")
    asuser = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if os.geteuid() == 0:
        shutil.chown(d, "postgres", "postgres")
    run(asuser + [b + "/initdb", "-D", d + "/data", "--auth=trust", "-U", "postgres"], timeout=120)
    for i in range(runs):
        port = free_port()
        log = os.path.join(d, "pg-%d.log" % i)
        run(asuser + [b + "/pg_ctl", "-D", d + "/data", "-l", log, "-w", "-o",
                      "-p %d -k %s -c listen_addresses=127.0.0.1" % (port, d), "start"], timeout=60)
        psql = asuser + [b + "/psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-X", "-q"]
        t = ident()
        stmts = ["create table if not exists %s (id int primary key, v text)" % t,
                 "insert into %s values (%d, '%s')" % (t, R.randint(1, 5), ident())]
        for _ in range(R.randint(2, 6)):
            k = R.choice(["rel", "col", "syn", "dup", "div"])
            stmts.append({
                "rel": "select * from %s_%d" % (ident(), R.randint(1, 99)),
                "col": "select %s from %s" % (ident(), t),
                "syn": "selec%s * from %s" % (R.choice("tkx"), t),
                "dup": "insert into %s values (%d, 'x'); insert into %s values (%d, 'y')" % (t, 7, t, 7),
                "div": "select %d / 0" % R.randint(1, 99),
            }[k])
        for s in stmts:
            run(psql + ["-d", "postgres", "-c", s], timeout=20)
        run(psql + ["-d", "%s_db" % ident(), "-c", "select 1"], timeout=20)
        run(asuser + [b + "/pg_ctl", "-D", d + "/data", "-m", R.choice(["fast", "smart"]), "-w", "stop"], timeout=60)
        with open(log, errors="replace") as fh:
            lab.feed(fh.read())
    shutil.rmtree(d, ignore_errors=True)
    return lab


def main():
    outdir = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    only = sys.argv[3].split(",") if len(sys.argv) > 3 else None
    tools = [("gcc", collect_gcc, runs), ("cmake", collect_cmake, runs // 2), ("pytest", collect_pytest, runs),
             ("python", collect_python, runs * 2), ("node", collect_node, runs), ("npm", collect_npm, runs // 2),
             ("git", collect_git, runs // 2), ("curl", collect_curl, runs), ("cargo", collect_cargo, runs // 2),
             ("gtest", collect_gtest, runs), ("redis", collect_redis, runs // 2),
             ("postgres", collect_postgres, max(3, runs // 5))]
    for name, fn, n in tools:
        if only and name not in only:
            continue
        t0 = time.time()
        fn(n).write(outdir)
        sys.stderr.write("[%s] %.1fs\n" % (name, time.time() - t0))


if __name__ == "__main__":
    main()
