"""The machinery of generate.py: runs a case's commands for real in a scratch
workspace, stops at the first failing command as a CI script does, wraps the
output the way a CI service writes it (GitHub Actions, Travis CI, Jenkins,
GitLab CI) and finds the labeled failure block in the result.

Deterministic where the tools are: fixed workspace paths, seeded timestamps.
"""
import os, random, re, shutil, signal, subprocess, textwrap, time

ANSI = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]|\x1b[\]_][^\x07]*\x07|\x1b[()][0-9A-Za-z]')
GHA_TS = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z ')
WORK = '/tmp/realtools-ws'


def clean(line):
    """A line as a reader sees it: no colours, no CI timestamp, last \\r redraw."""
    line = ANSI.sub('', line)
    line = GHA_TS.sub('', line)
    if '\r' in line:
        parts = [p for p in line.split('\r') if p.strip()]
        line = parts[-1] if parts else ''
    return line


class Case:
    def __init__(self, name, eco, tool, category, cmds, files=None, ci='gha', block=None, end=None,
                 env=None, user=None, timeout=120, setup=None, killer=None, note='', expect_rc=None):
        self.name, self.eco, self.tool, self.category = name, eco, tool, category
        self.cmds = [cmds] if isinstance(cmds, str) else list(cmds)
        self.files = files or {}
        self.ci, self.block, self.end = ci, block, end
        self.env, self.user, self.timeout = env or {}, user, timeout
        self.setup, self.killer, self.note = setup, killer, note
        self.expect_rc = expect_rc


class Rng:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.t = 1733390000.0 + self.r.random() * 86400 * 30

    def hexs(self, n):
        return ''.join(self.r.choice('0123456789abcdef') for _ in range(n))

    def tick(self, lo=0.001, hi=0.4):
        self.t += lo + self.r.random() * (hi - lo)
        return self.t

    def iso(self):
        t = self.tick()
        frac = int((t % 1) * 1e7)
        return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(t)) + '.%07dZ' % frac


def base_env(home):
    e = {
        'PATH': '/tmp/realtools-cache/node-tools/node_modules/.bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/root/.cargo/bin',
        'HOME': home, 'LANG': 'C.UTF-8', 'LC_ALL': 'C.UTF-8', 'TERM': 'xterm',
        'CI': 'true', 'GOCACHE': '/tmp/realtools-cache/go-build', 'GOPATH': '/tmp/realtools-cache/gopath',
        'GOFLAGS': '-mod=mod', 'GOPROXY': 'off', 'GOSUMDB': 'off', 'GO111MODULE': 'on',
        'CARGO_HOME': '/root/.cargo', 'RUSTUP_HOME': '/root/.rustup', 'CARGO_TARGET_DIR': '/tmp/realtools-cache/cargo',
        'PYTHONDONTWRITEBYTECODE': '1', 'MIX_HOME': '/tmp/realtools-cache/mix', 'HEX_OFFLINE': '1',
        'npm_config_cache': '/tmp/realtools-cache/npm', 'npm_config_update_notifier': 'false',
        'npm_config_fund': 'false', 'npm_config_audit': 'false',
    }
    return e


def run_case(c):
    """Runs the commands; returns [(cmd, output, rc)] up to and including the first failure."""
    ws = os.path.join(WORK, c.name)
    shutil.rmtree(ws, ignore_errors=True)
    os.makedirs(ws)
    for rel, content in c.files.items():
        p = os.path.join(ws, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        mode = None
        if isinstance(content, tuple):
            content, mode = content
        with open(p, 'w') as f:
            f.write(textwrap.dedent(content).lstrip('\n'))
        if mode is not None:
            os.chmod(p, mode)
    home = '/tmp/realtools-cache/home'
    os.makedirs(home, exist_ok=True)
    env = base_env(home)
    env.update(c.env)
    if c.user:
        for dp, dn, fn in os.walk(ws):
            os.chmod(dp, 0o755)
        subprocess.run(['chown', '-R', c.user, ws])
        env['HOME'] = ws
    if c.setup:
        subprocess.run(['bash', '-c', c.setup], cwd=ws, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = []
    for cmd in c.cmds:
        argv = ['bash', '-o', 'pipefail', '-c', cmd + '\nrc=$?; exit $rc']
        if c.user:
            argv = ['runuser', '-u', c.user, '--'] + argv
        p = subprocess.Popen(argv, cwd=ws, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             start_new_session=True)
        killed = False
        try:
            if c.killer is not None and cmd == c.cmds[-1]:
                try:
                    out, _ = p.communicate(timeout=c.killer[0])
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, c.killer[1])
                    killed = True
                    out, _ = p.communicate(timeout=30)
            else:
                out, _ = p.communicate(timeout=c.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, _ = p.communicate()
            raise RuntimeError('%s: %r ran past %ss' % (c.name, cmd, c.timeout))
        rc = p.returncode
        if rc < 0:
            rc = 128 - rc
        text = out.decode('utf-8', 'replace').replace('\r\n', '\n')
        text = text.replace(ws, '/home/ci/work/' + c.name)
        results.append((cmd, text, rc, killed))
        if rc != 0:
            break
    return results


# ----------------------------------------------------------------- CI wrappers
def out_lines(text):
    if not text:
        return []
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    return lines


def wrap_gha(c, results, rng, green):
    """GitHub Actions raw log: every line timestamped, ##[group] per step, ##[error] at the end."""
    repo = 'acme/' + c.eco + '-svc'
    L, region, marker = [], None, None
    pre = ['Requested labels: ubuntu-latest',
           'Job defined at: %s/.github/workflows/ci.yml@refs/heads/main' % repo,
           'Waiting for a runner to pick up this job...',
           'Job is about to start running on the hosted runner: GitHub Actions %d (hosted)' % rng.r.randint(2, 99),
           'Current runner version: \'2.321.0\'', '##[group]Operating System', 'Ubuntu', '22.04.5', 'LTS',
           '##[endgroup]', '##[group]Runner Image', 'Image: ubuntu-22.04', 'Version: 20241201.1.0', '##[endgroup]',
           '##[group]GITHUB_TOKEN Permissions', 'Contents: read', 'Metadata: read', '##[endgroup]',
           'Secret source: Actions', 'Prepare workflow directory', 'Prepare all required actions',
           'Getting action download info', "Download action repository 'actions/checkout@v4' (SHA:%s)" % rng.hexs(40),
           'Complete job name: build', '##[group]Run actions/checkout@v4', 'with:', '  repository: ' + repo,
           '  ref: main', '  fetch-depth: 1', '##[endgroup]', 'Syncing repository: ' + repo,
           '##[group]Getting Git version info', "Working directory is '/home/runner/work/%s'" % repo.split('/')[1],
           '[command]/usr/bin/git version', 'git version 2.47.1', '##[endgroup]',
           '[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules --depth=1 origin +%s:refs/remotes/origin/main' % rng.hexs(40),
           'From https://github.com/' + repo, ' * [new ref]         %s -> origin/main' % rng.hexs(40),
           '[command]/usr/bin/git log -1 --format=%H', rng.hexs(40)]
    L += pre
    for cmd, text, rc, killed in results:
        L.append('##[group]Run ' + cmd.split('\n')[0])
        for extra in cmd.split('\n')[1:]:
            L.append(extra)
        L.append('shell: /usr/bin/bash -e {0}')
        L.append('##[endgroup]')
        start = len(L)
        L += out_lines(text)
        region = (start, len(L))
        m0 = len(L)
        if killed:
            L.append('##[error]The runner has received a shutdown signal. This can happen when the runner service is stopped, or a manually started runner is canceled.')
            L.append('##[error]The operation was canceled.')
        elif rc != 0:
            L.append('##[error]Process completed with exit code %d.' % rc)
        marker = (m0, len(L) - 1)
    L += ['Post job cleanup.', '[command]/usr/bin/git version', 'git version 2.47.1',
          "Temporarily overriding HOME='/home/runner/work/_temp/%s' before making global git config changes" % rng.hexs(8),
          '[command]/usr/bin/git config --local --name-only --get-regexp core\\.sshCommand',
          'Cleaning up orphan processes']
    return ['%s %s' % (rng.iso(), l) for l in L], region, marker


def wrap_travis(c, results, rng, green):
    """Travis CI: worker info folds, travis_time markers, "The command ... exited with N.", Done."""
    E = '\r\x1b[0K'
    repo = 'acme/' + c.eco + '-lib'
    L = ['travis_fold:start:worker_info' + E + '\x1b[33;1mWorker information\x1b[0m',
         'hostname: %s-%d' % (rng.hexs(8), rng.r.randint(1, 9)), 'version: v6.2.22 https://github.com/travis-ci/worker/tree/' + rng.hexs(40),
         'instance: travis-job-%s 1.0.0 (via amqp)' % rng.hexs(12), 'startup: 6.%03ds' % rng.r.randint(0, 999),
         'travis_fold:end:worker_info' + E, 'travis_time:start:%s' % rng.hexs(8) + E,
         'travis_time:end:%s:start=%d,finish=%d,duration=%d,event=no_world_writable_dirs' % (rng.hexs(8), 1, 2, 1) + E,
         'travis_fold:start:system_info' + E + '\x1b[33;1mBuild system information\x1b[0m',
         'Build language: generic', 'Build dist: focal', 'Build id: %d' % rng.r.randint(10**8, 10**9),
         'Job id: %d' % rng.r.randint(10**8, 10**9), 'Runtime kernel version: 5.4.0-1093-gcp',
         'travis_fold:end:system_info' + E, '',
         'travis_fold:start:git.checkout' + E + 'travis_time:start:%s' % rng.hexs(8) + E +
         '$ git clone --depth=50 --branch=master https://github.com/%s.git %s' % (repo, repo),
         "Cloning into '%s'..." % repo,
         'travis_time:end:%s:start=1,finish=2,duration=1,event=checkout' % rng.hexs(8) + E,
         '$ cd ' + repo, '$ git checkout -qf ' + rng.hexs(40), 'travis_fold:end:git.checkout' + E, '']
    region, marker = None, None
    for cmd, text, rc, killed in results:
        tid = rng.hexs(8)
        L.append('travis_time:start:%s' % tid + E + '$ ' + cmd.replace('\n', '; '))
        start = len(L)
        L += out_lines(text)
        region = (start, len(L))
        L.append('travis_time:end:%s:start=%d,finish=%d,duration=%d,event=script' % (tid, 1, 2, 1) + E)
        if killed:
            L.append('')
            L.append('')
            m0 = len(L)
            L.append('\x1b[31;1mNo output has been received in the last 10m0s, this potentially indicates a stalled build or something wrong with the build itself.\x1b[0m')
            L.append('\x1b[31;1mCheck the details on how to adjust your build configuration on: https://docs.travis-ci.com/user/common-build-problems/#build-times-out-because-no-output-was-received\x1b[0m')
            L.append('')
            L.append('\x1b[31;1mThe build has been terminated\x1b[0m')
            marker = (m0, len(L) - 1)
            L.append('')
            return L, region, marker
        col = '32' if rc == 0 else '31'
        marker = (len(L), len(L))
        L.append('\x1b[%s;1mThe command "%s" exited with %d.\x1b[0m' % (col, cmd.replace('\n', '; '), rc))
    if not green:
        L += ['', 'travis_fold:start:after_failure.1' + E + '$ cat build.log 2>/dev/null || true',
              'travis_fold:end:after_failure.1' + E, '',
              'travis_fold:start:cache.2' + E + 'store build cache', 'change detected (content changed, file is created, or file is deleted):',
              '/home/travis/.cache/pip/http/%s' % rng.hexs(40), 'changes detected, packing new archive',
              'uploading master/cache-linux-focal-%s.tgz' % rng.hexs(40), 'cache uploaded', 'travis_fold:end:cache.2' + E]
    L += ['', 'Done. Your build exited with %d.' % (results[-1][2] if not green else 0)]
    return L, region, marker


def wrap_jenkins(c, results, rng, green):
    """Jenkins freestyle or pipeline console: `+ cmd` echo (sh -xe), Finished: FAILURE."""
    job = c.eco + '-ci'
    pipeline = rng.r.random() < 0.5
    L = ['Started by user Ada Lovelace' if rng.r.random() < 0.5 else 'Started by an SCM change',
         'Running as SYSTEM']
    if pipeline:
        L += ['[Pipeline] Start of Pipeline', '[Pipeline] node', 'Running on agent-%d in /var/lib/jenkins/workspace/%s' % (rng.r.randint(1, 9), job),
              '[Pipeline] {', '[Pipeline] stage', '[Pipeline] { (Checkout)', '[Pipeline] checkout',
              'The recommended git tool is: NONE', 'No credentials specified',
              ' > git rev-parse --resolve-git-dir /var/lib/jenkins/workspace/%s/.git # timeout=10' % job,
              'Fetching changes from the remote Git repository',
              ' > git fetch --tags --force --progress -- https://git.acme.test/%s.git +refs/heads/*:refs/remotes/origin/* # timeout=10' % job,
              'Checking out Revision %s (refs/remotes/origin/main)' % rng.hexs(40),
              'Commit message: "%s"' % rng.r.choice(['Bump version', 'Fix flaky test', 'Refactor parser', 'Add CI']),
              '[Pipeline] }', '[Pipeline] // stage', '[Pipeline] stage', '[Pipeline] { (Build)']
    else:
        L += ['Building in workspace /var/lib/jenkins/workspace/' + job, 'The recommended git tool is: NONE',
              ' > git rev-parse --resolve-git-dir /var/lib/jenkins/workspace/%s/.git # timeout=10' % job,
              'Fetching changes from the remote Git repository',
              'Checking out Revision %s (refs/remotes/origin/main)' % rng.hexs(40),
              ' > git config core.sparsecheckout # timeout=10', ' > git checkout -f %s # timeout=10' % rng.hexs(40),
              '[%s] $ /bin/sh -xe /tmp/jenkins%d.sh' % (job, rng.r.randint(10**17, 10**18))]
    region, marker = None, None
    for cmd, text, rc, killed in results:
        if pipeline:
            L.append('[Pipeline] sh')
        for i, part in enumerate(cmd.split('\n')):
            L.append('+ ' + part)
        start = len(L)
        L += out_lines(text)
        region = (start, len(L))
        m0 = len(L)
        if killed:
            L += ['FATAL: command execution failed', 'java.io.EOFException',
                  '\tat java.base/java.io.ObjectInputStream$PeekInputStream.readFully(ObjectInputStream.java:2911)',
                  '\tat hudson.remoting.Command.readFrom(Command.java:142)',
                  'Caused: java.io.IOException: Unexpected termination of the channel',
                  '\tat hudson.remoting.SynchronousCommandTransport$ReaderThread.run(SynchronousCommandTransport.java:75)',
                  'Agent agent-3 was marked offline: Connection was broken']
            marker = (m0, len(L) - 1)
            break
        if rc != 0 and pipeline:
            L += ['[Pipeline] }', '[Pipeline] // stage', '[Pipeline] }', '[Pipeline] // node', '[Pipeline] End of Pipeline',
                  'ERROR: script returned exit code %d' % rc]
            marker = (len(L) - 1, len(L) - 1)
        elif rc != 0:
            L.append("Build step 'Execute shell' marked build as failure")
            marker = (len(L) - 1, len(L) - 1)
    if green and pipeline:
        L += ['[Pipeline] }', '[Pipeline] // stage', '[Pipeline] }', '[Pipeline] // node', '[Pipeline] End of Pipeline']
    L.append('Finished: ' + ('SUCCESS' if green else 'FAILURE'))
    return L, region, marker


def wrap_gitlab(c, results, rng, green):
    """GitLab CI job log: section_start/section_end markers, coloured `$ cmd`, ERROR: Job failed."""
    E = '\r\x1b[0K'
    t = int(rng.tick())
    L = ['\x1b[0KRunning with gitlab-runner 16.11.1 (535ced5f)\x1b[0;m',
         '\x1b[0K  on docker-ci-%d %s, system ID: s_%s\x1b[0;m' % (rng.r.randint(1, 9), rng.hexs(8), rng.hexs(12)),
         'section_start:%d:prepare_executor' % t + E + '\x1b[0K\x1b[36;1mPreparing the "docker" executor\x1b[0;m\x1b[0;m',
         '\x1b[0KUsing Docker executor with image debian:bookworm ...\x1b[0;m',
         '\x1b[0KPulling docker image debian:bookworm ...\x1b[0;m',
         'section_end:%d:prepare_executor' % (t + 3) + E,
         'section_start:%d:get_sources' % (t + 3) + E + '\x1b[0K\x1b[36;1mGetting source from Git repository\x1b[0;m\x1b[0;m',
         '\x1b[32;1mFetching changes with git depth set to 20...\x1b[0;m',
         'Initialized empty Git repository in /builds/acme/%s/.git/' % c.eco,
         '\x1b[32;1mCreated fresh repository.\x1b[0;m',
         '\x1b[32;1mChecking out %s as detached HEAD (ref is main)...\x1b[0;m' % rng.hexs(8),
         'section_end:%d:get_sources' % (t + 5) + E,
         'section_start:%d:step_script' % (t + 5) + E + '\x1b[0K\x1b[36;1mExecuting "step_script" stage of the job script\x1b[0;m\x1b[0;m']
    region, marker = None, None
    for cmd, text, rc, killed in results:
        L.append('\x1b[32;1m$ %s\x1b[0;m' % cmd.replace('\n', '; '))
        start = len(L)
        L += out_lines(text)
        region = (start, len(L))
        if killed:
            L.append('section_end:%d:step_script' % (t + 40) + E)
            L.append('\x1b[31;1mERROR: Job failed (system failure): aborted: terminated\x1b[0;m')
            return L, region, (len(L) - 1, len(L) - 1)
    L.append('section_end:%d:step_script' % (t + 30) + E)
    L.append('section_start:%d:cleanup_file_variables' % (t + 30) + E + '\x1b[0K\x1b[36;1mCleaning up project directory and file based variables\x1b[0;m\x1b[0;m')
    L.append('section_end:%d:cleanup_file_variables' % (t + 31) + E)
    if green:
        L.append('\x1b[32;1mJob succeeded\x1b[0;m')
    else:
        L.append('\x1b[31;1mERROR: Job failed: exit code %d\x1b[0;m' % results[-1][2])
    return L, region, (len(L) - 1, len(L) - 1)


def wrap_buildkite(c, results, rng, green):
    """Buildkite agent job log as downloaded raw: every line prefixed with the agent's
    `ESC _bk;t=<ms> BEL` timestamp (APC sequence), `~~~` section headers, `$ cmd` echo, the step's
    commands run as one `bash -e -c` script, and on failure `^^^ +++` / `🚨 Error: The command
    exited with status N` / `user command error: exit status N`."""
    slug = 'acme/%s-svc' % c.eco
    agent = 'ci-agent-%d' % rng.r.randint(1, 9)
    wd = '/var/lib/buildkite-agent/builds/%s-1/%s' % (agent, slug)
    L = ['~~~ Running global environment hook', '$ /etc/buildkite-agent/hooks/environment',
         '~~~ Preparing working directory', '# Creating "%s"' % wd, '$ cd ' + wd,
         '$ git clone -v -- https://github.com/%s.git .' % slug, "Cloning into '.'...",
         'POST git-upload-pack (175 bytes)', '$ git clean -ffxdq',
         '$ git fetch -v --prune -- origin main', 'From https://github.com/' + slug,
         ' * branch            main       -> FETCH_HEAD', '$ git checkout -f %s' % rng.hexs(40),
         'HEAD is now at %s %s' % (rng.hexs(7), rng.r.choice(['Bump version', 'Fix flaky test', 'Refactor parser', 'Add CI'])),
         '# Cleaning again to catch any post-checkout changes', '$ git clean -ffxdq',
         '# Checking to see if Git data needs to be sent to Buildkite',
         '$ buildkite-agent meta-data exists buildkite:git:commit',
         '~~~ Running commands']
    script = [part for cmd in c.cmds for part in cmd.split('\n')]
    L.append('$ ' + script[0])
    L += script[1:]
    region, marker = None, None
    start = len(L)
    for cmd, text, rc, killed in results:
        L += out_lines(text)
    region = (start, len(L))
    rc = results[-1][2]
    if rc != 0:
        m0 = len(L)
        L += ['^^^ +++', '\x1b[31m🚨 Error: The command exited with status %d\x1b[0m' % rc, '^^^ +++',
              'user command error: exit status %d' % rc]
        marker = (m0, len(L) - 1)
    t = int(rng.tick() * 1000)
    out = []
    for l in L:
        t += rng.r.randint(0, 40)
        out.append('\x1b_bk;t=%d\x07%s' % (t, l))
    return out, region, marker


WRAPPERS = {'gha': wrap_gha, 'travis': wrap_travis, 'jenkins': wrap_jenkins, 'gitlab': wrap_gitlab,
            'buildkite': wrap_buildkite}


def find_block(c, lines, region, marker):
    """1-based (first, last) lines of the failure block inside the failing command's output.
    block 'EXIT': the command's last output line and the CI's failure marker (a command killed
    by timeout(1) says nothing itself); 'RUNNER': the CI's own lines (the runner went away)."""
    lo, hi = region
    cl = [clean(l) for l in lines]
    idx = [i for i in range(lo, hi) if cl[i].strip()]
    if c.block in ('EXIT', 'RUNNER'):
        if marker is None:
            return None
        first = idx[-1] if idx and c.block == 'EXIT' else marker[0]
        return first + 1, marker[1] + 1
    if not idx:
        return None
    if c.block is None:
        return idx[0] + 1, idx[-1] + 1
    start = next((i for i in idx if re.search(c.block, cl[i])), None)
    if start is None:
        return None
    if c.end is None:
        end = start
    elif c.end == '$':
        end = idx[-1]
    else:
        ends = [i for i in idx if i > start and re.search(c.end, cl[i])]
        if ends:
            end = ends[0]
        elif re.search(c.end, cl[start]):
            end = start
        else:
            return None
    return start + 1, end + 1
