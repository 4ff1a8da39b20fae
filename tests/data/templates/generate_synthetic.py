#!/usr/bin/env python3
"""Synthetic labeled logs in the formats of systems we cannot run here
(Loghub-style: HDFS, Hadoop, Spark, Zookeeper, BGL, HPC, Thunderbird, Windows,
Linux, Android, HealthApp, Apache, OpenSSH, OpenStack, Mac, Proxifier).

Each dataset is a list of event types written as line formats with typed
slots; every slot draws a fresh value per line (numbers, ids, addresses,
paths, and also words: user names, host names, class and file names), so the
only thing two lines of one event share is what the event itself fixes.

Usage: generate_synthetic.py OUTDIR [lines_per_dataset] -> OUTDIR/<name>.tsv
"""
import random
import string
import sys

R = random.Random(4242)
USERS = ["root", "admin", "guest", "oracle", "test", "ubuntu", "postgres", "www-data", "jenkins", "alice", "bob",
         "deploy", "git", "nagios", "ftpuser", "mysql", "support", "user1", "pi", "hadoop"]
HOSTS = ["combo", "LabSZ", "calvisitor-10-105-160-95", "dn228", "bn1", "tbird-admin1", "an671", "node-246",
         "ip-10-0-0-12", "web-prod-3", "db01", "kiwi", "mercury", "Joshuas-MacBook"]
WORDS = ["alpha", "beta", "gamma", "delta", "render", "count", "index", "buffer", "queue", "token", "order",
         "cache", "limit", "widget", "frame", "packet", "sensor", "ledger", "vector", "mapper", "reducer", "stage"]
APPS = ["chrome.exe", "firefox.exe", "svchost.exe", "Dropbox.exe", "outlook.exe", "git-remote-https.exe",
        "Skype.exe", "putty.exe", "WeChat.exe", "QQ.exe"]
DOMAINS = ["proxy.cse.cuhk.edu.hk", "www.google.com", "api.github.com", "s3.amazonaws.com", "ns.example.org",
           "mail.yahoo.com", "update.microsoft.com", "cdn.jsdelivr.net", "login.live.com"]
PKGS = ["com.tencent.qt.qtl", "com.android.systemui", "com.whatsapp", "com.google.android.gms", "com.example.app"]
CLASSES = ["NewsDetailXmlActivity", "MainActivity", "SettingsActivity", "LoginActivity", "PlayerActivity"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def n(a, b):
    return str(R.randint(a, b))


def hexs(k):
    return "".join(R.choice("0123456789abcdef") for _ in range(k))


def ip():
    return "%d.%d.%d.%d" % (R.randint(1, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))


def uuid():
    return "%s-%s-%s-%s-%s" % (hexs(8), hexs(4), hexs(4), hexs(4), hexs(12))


def word():
    return R.choice(WORDS)


def path():
    return "/" + "/".join(R.choice(["usr", "var", "tmp", "data", "home", "opt", "lib", word(), R.choice(USERS)])
                          for _ in range(R.randint(1, 4))) + "/" + word() + R.choice(["", ".log", ".dat", ".conf", n(1, 99)])


def time_hms():
    return "%02d:%02d:%02d" % (R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))


SLOTS = {
    "int": lambda: n(0, 99999), "small": lambda: n(0, 20), "big": lambda: n(100000, 9999999999),
    "blk": lambda: "blk_" + R.choice(["", "-"]) + n(10 ** 17, 10 ** 19),
    "ip": ip, "port": lambda: n(1024, 65535), "ipport": lambda: ip() + ":" + n(1024, 65535),
    "hex4": lambda: hexs(R.randint(4, 8)), "hex8": lambda: hexs(8), "hex32": lambda: hexs(32), "uuid": uuid,
    "user": lambda: R.choice(USERS), "host": lambda: R.choice(HOSTS), "word": word, "path": path,
    "float": lambda: "%.*f" % (R.randint(1, 7), R.random() * 100), "time": time_hms,
    "app": lambda: R.choice(APPS), "domain": lambda: R.choice(DOMAINS), "pkg": lambda: R.choice(PKGS),
    "cls": lambda: R.choice(CLASSES), "ms": lambda: n(0, 5000), "pct": lambda: n(0, 100),
    "size": lambda: R.choice([n(1, 999) + " bytes", n(1, 999) + " KB", "%.1f MB" % (R.random() * 100)]),
    "jobid": lambda: "job_%s_%04d" % (n(1445000000000, 1445999999999), R.randint(1, 99)),
    "attempt": lambda: "attempt_%s_%04d_%s_%06d_%d" % (n(1445000000000, 1445999999999), R.randint(1, 99),
                                                     R.choice("mr"), R.randint(0, 99), R.randint(0, 3)),
    "container": lambda: "container_%s_%04d_01_%06d" % (n(1445000000000, 1445999999999), R.randint(1, 99),
                                                       R.randint(1, 99)),
    "node": lambda: "R%02d-M%d-N%d-C:J%02d-U%02d" % (R.randint(0, 77), R.randint(0, 1), R.randint(0, 15),
                                                     R.randint(2, 18), R.randint(1, 11)),
    "reqid": lambda: "req-" + uuid(), "dn": lambda: "dn" + n(1, 999), "tid": lambda: n(1, 65000),
    "email": lambda: R.choice(USERS) + "@" + R.choice(DOMAINS), "yn": lambda: R.choice(["true", "false"]),
    "ftptime": lambda: "%s %s %2d %s 2005" % (R.choice(DAYS), R.choice(MONTHS), R.randint(1, 28), time_hms()),
    "kb": lambda: n(1, 99999) + "KB", "state": lambda: R.choice(["unavailable", "available"]),
}


def fill(fmt):
    out = []
    i = 0
    while i < len(fmt):
        if fmt.startswith("{{", i) or fmt.startswith("}}", i):
            out.append(fmt[i])
            i += 2
        elif fmt[i] == "{":
            j = fmt.index("}", i)
            key = fmt[i + 1:j]
            if "|" in key:
                out.append(R.choice(key.split("|")))
            else:
                out.append(SLOTS[key]())
            i = j + 1
        else:
            out.append(fmt[i])
            i += 1
    return "".join(out)


def header(kind):
    y, mo, d = R.randint(2005, 2017), R.randint(1, 12), R.randint(1, 28)
    t = time_hms()
    if kind == "hdfs":
        return "%02d%02d%02d %s %s" % (y % 100, mo, d, t.replace(":", ""), n(1, 30000))
    if kind == "iso_comma":
        return "%d-%02d-%02d %s,%03d" % (y, mo, d, t, R.randint(0, 999))
    if kind == "spark":
        return "%02d/%02d/%02d %s" % (y % 100, mo, d, t)
    if kind == "syslog":
        return "%s %2d %s" % (R.choice(MONTHS), d, t)
    raise KeyError(kind)


DATASETS = {}


def dataset(name, events, head=None):
    DATASETS[name] = (events, head)


dataset("HDFS", [
    ("INFO dfs.DataNode$PacketResponder: PacketResponder {small} for block {blk} terminating"),
    ("INFO dfs.DataNode$PacketResponder: Received block {blk} of size {big} from /{ip}"),
    ("INFO dfs.DataNode$DataXceiver: Receiving block {blk} src: /{ipport} dest: /{ipport}"),
    ("INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap updated: {ipport} is added to {blk} size {big}"),
    ("INFO dfs.FSNamesystem: BLOCK* NameSystem.allocateBlock: {path}. {blk}"),
    ("INFO dfs.DataNode$DataXceiver: {ipport} Served block {blk} to /{ip}"),
    ("WARN dfs.DataNode$DataXceiver: {ipport}:Got exception while serving {blk} to /{ip}:"),
    ("INFO dfs.DataBlockScanner: Verification succeeded for {blk}"),
    ("INFO dfs.FSNamesystem: BLOCK* NameSystem.delete: {blk} is added to invalidSet of {ipport}"),
    ("INFO dfs.FSDataset: Deleting block {blk} file {path}"),
    ("INFO dfs.DataNode: {ipport} Starting thread to transfer block {blk} to {ipport}"),
    ("INFO dfs.DataNode$DataTransfer: {ipport}:Transmitted block {blk} to /{ipport}"),
    ("WARN dfs.DataNode$DataXceiver: {ipport}:Got exception while serving {blk} to /{ip}: java.io.IOException: Connection reset by peer"),
    ("INFO dfs.DataNode$BlockReceiver: Exception in receiveBlock for block {blk} java.io.IOException: Connection reset by peer"),
    ("INFO dfs.DataNode$PacketResponder: PacketResponder {blk} {small} Exception java.io.InterruptedIOException: Interruped while waiting for IO on channel java.nio.channels.SocketChannel[connected local=/{ipport} remote=/{ipport}]. {int} millis timeout left."),
    ("INFO dfs.FSNamesystem: BLOCK* ask {ipport} to replicate {blk} to datanode(s) {ipport}"),
    ("WARN dfs.FSDataset: Unexpected error trying to delete block {blk}. BlockInfo not found in volumeMap."),
], "hdfs")

dataset("Hadoop", [
    ("INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster for application appattempt_{big}_{int}_{small}"),
    ("INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Executing with tokens:"),
    ("INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Kind: YARN_AM_RM_TOKEN, Service: , Ident: (appAttemptId {{ application_id {{ id: {small} cluster_timestamp: {big} }} attemptId: {small} }} keyId: {big})"),
    ("INFO [AsyncDispatcher event handler] org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl: {attempt} TaskAttempt Transitioned from NEW to UNASSIGNED"),
    ("INFO [AsyncDispatcher event handler] org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl: {attempt} TaskAttempt Transitioned from UNASSIGNED to ASSIGNED"),
    ("INFO [AsyncDispatcher event handler] org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl: {attempt} TaskAttempt Transitioned from RUNNING to SUCCESS_CONTAINER_CLEANUP"),
    ("INFO [AsyncDispatcher event handler] org.apache.hadoop.mapreduce.v2.app.job.impl.TaskImpl: task_{big}_{int}_m_{int} Task Transitioned from SCHEDULED to RUNNING"),
    ("INFO [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: Assigned container {container} to {attempt}"),
    ("INFO [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: After Scheduling: PendingReds:{small} ScheduledMaps:{small} ScheduledReds:{small} AssignedMaps:{small} AssignedReds:{small} CompletedMaps:{small} CompletedReds:{small} ContAlloc:{small} ContRel:{small} HostLocal:{small} RackLocal:{small}"),
    ("INFO [ContainerLauncher #{small}] org.apache.hadoop.mapreduce.v2.app.launcher.ContainerLauncherImpl: Processing the event EventType: CONTAINER_REMOTE_LAUNCH for container {container} taskAttempt {attempt}"),
    ("INFO [IPC Server handler {small} on {port}] org.apache.hadoop.mapred.TaskAttemptListenerImpl: Progress of TaskAttempt {attempt} is : {float}"),
    ("INFO [IPC Server handler {small} on {port}] org.apache.hadoop.mapred.TaskAttemptListenerImpl: Done acknowledgement from {attempt}"),
    ("WARN [LeaseRenewer:{user}@{host}:{port}] org.apache.hadoop.hdfs.LeaseRenewer: Failed to renew lease for [DFSClient_NONMAPREDUCE_{big}_{small}] for {small} seconds.  Will retry shortly ..."),
    ("WARN [RMCommunicator Allocator] org.apache.hadoop.ipc.Client: Address change detected. Old: {host}/{ipport} New: {host}:{port}"),
    ("INFO [RMCommunicator Allocator] org.apache.hadoop.ipc.Client: Retrying connect to server: {host}:{port}. Already tried {small} time(s); retry policy is RetryUpToMaximumCountWithFixedSleep(maxRetries={small}, sleepTime=1000 MILLISECONDS)"),
    ("ERROR [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: ERROR IN CONTACTING RM."),
    ("INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Using mapred newApiCommitter."),
    ("INFO [main] org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter: File Output Committer Algorithm version is {small}"),
], "iso_comma")

dataset("Spark", [
    ("INFO executor.CoarseGrainedExecutorBackend: Registered signal handlers for [TERM, HUP, INT]"),
    ("INFO spark.SecurityManager: Changing view acls to: {user}"),
    ("INFO spark.SecurityManager: Changing modify acls to: {user}"),
    ("INFO spark.SecurityManager: SecurityManager: authentication disabled; ui acls disabled; users with view permissions: Set({user}); users with modify permissions: Set({user})"),
    ("INFO storage.BlockManager: Found block rdd_{small}_{int} locally"),
    ("INFO storage.MemoryStore: Block broadcast_{small}_piece0 stored as bytes in memory (estimated size {float} KB, free {float} KB)"),
    ("INFO storage.MemoryStore: Block rdd_{small}_{int} stored as values in memory (estimated size {float} KB, free {float} KB)"),
    ("INFO broadcast.TorrentBroadcast: Reading broadcast variable {small} took {ms} ms"),
    ("INFO executor.Executor: Running task {float} in stage {float} (TID {int})"),
    ("INFO executor.Executor: Finished task {float} in stage {float} (TID {int}). {int} bytes result sent to driver"),
    ("INFO executor.CoarseGrainedExecutorBackend: Got assigned task {int}"),
    ("INFO spark.CacheManager: Partition rdd_{small}_{int} not found, computing it"),
    ("INFO python.PythonRunner: Times: total = {ms}, boot = {ms}, init = {ms}, finish = {ms}"),
    ("INFO storage.ShuffleBlockFetcherIterator: Getting {small} non-empty blocks out of {small} blocks"),
    ("INFO storage.ShuffleBlockFetcherIterator: Started {small} remote fetches in {ms} ms"),
    ("INFO output.FileOutputCommitter: Saved output of task 'attempt_{big}_{int}_m_{int}_{small}' to hdfs://{host}:{port}{path}"),
    ("ERROR executor.CoarseGrainedExecutorBackend: RECEIVED SIGNAL 15: SIGTERM"),
    ("WARN storage.BlockManager: Putting block rdd_{small}_{int} failed"),
    ("INFO util.Utils: Successfully started service 'sparkExecutorActorSystem' on port {port}."),
], "spark")

dataset("Zookeeper", [
    ("- INFO  [QuorumPeer[myid={small}]/0:0:0:0:0:0:0:0:{port}:FastLeaderElection@{int}] - Notification time out: {ms}"),
    ("- INFO  [WorkerReceiver[myid={small}]:FastLeaderElection@{int}] - Notification: {small} (n.leader), 0x{hex4} (n.zxid), 0x{small} (n.round), LOOKING (n.state), {small} (n.sid), 0x{small} (n.peerEPoch), LOOKING (my state)"),
    ("- INFO  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:{port}:NIOServerCnxnFactory@{int}] - Accepted socket connection from /{ipport}"),
    ("- WARN  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:{port}:NIOServerCnxn@{int}] - caught end of stream exception"),
    ("- INFO  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:{port}:NIOServerCnxn@{int}] - Closed socket connection for client /{ipport} which had sessionid 0x{hex32}"),
    ("- INFO  [CommitProcessor:{small}:ZooKeeperServer@{int}] - Established session 0x{hex32} with negotiated timeout {int} for client /{ipport}"),
    ("- INFO  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:{port}:ZooKeeperServer@{int}] - Client attempting to establish new session at /{ipport}"),
    ("- WARN  [SendWorker:{small}:QuorumCnxManager$SendWorker@{int}] - Interrupted while waiting for message on queue"),
    ("- WARN  [RecvWorker:{small}:QuorumCnxManager$RecvWorker@{int}] - Connection broken for id {small}, my id = {small}, error ="),
    ("- WARN  [SendWorker:{small}:QuorumCnxManager$SendWorker@{int}] - Send worker leaving thread"),
    ("- INFO  [ProcessThread(sid:{small} cport:-1)::PrepRequestProcessor@{int}] - Got user-level KeeperException when processing sessionid:0x{hex32} type:create cxid:0x{hex4} zxid:0x{hex4} txntype:-1 reqpath:n/a Error Path:{path} Error:KeeperErrorCode = NodeExists for {path}"),
    ("- INFO  [SessionTracker:ZooKeeperServer@{int}] - Expiring session 0x{hex32}, timeout of {int}ms exceeded"),
    ("- INFO  [ProcessThread(sid:{small} cport:-1)::PrepRequestProcessor@{int}] - Processed session termination for sessionid: 0x{hex32}"),
    ("- WARN  [QuorumPeer[myid={small}]/0:0:0:0:0:0:0:0:{port}:QuorumCnxManager@{int}] - Cannot open channel to {small} at election address /{ipport}"),
    ("- INFO  [QuorumPeer[myid={small}]/0:0:0:0:0:0:0:0:{port}:QuorumPeer@{int}] - LOOKING"),
    ("- INFO  [QuorumPeer[myid={small}]/0:0:0:0:0:0:0:0:{port}:Follower@{int}] - FOLLOWING - LEADER ELECTION TOOK - {ms}"),
], "iso_comma")


def bgl_head():
    ts = R.randint(1117838570, 1136000000)
    node = SLOTS["node"]()
    return "%s %d %d.%02d.%02d %s %d-%02d-%02d-%02d.%02d.%02d.%06d %s RAS" % (
        R.choice(["-", "-", "-", "KERNDTLB", "APPREAD"]), ts, 2005, R.randint(6, 12), R.randint(1, 28), node, 2005,
        R.randint(6, 12), R.randint(1, 28), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59),
        R.randint(0, 999999), node)


dataset("BGL", [
    ("KERNEL INFO instruction cache parity error corrected"),
    ("KERNEL INFO generating core.{int}"),
    ("KERNEL FATAL data TLB error interrupt"),
    ("KERNEL INFO {int} double-hummer alignment exceptions"),
    ("KERNEL INFO CE sym {small}, at 0x{hex8}, mask 0x{hex4}"),
    ("KERNEL FATAL data storage interrupt"),
    ("APP FATAL ciod: failed to read message prefix on control stream (CioStream socket to {ipport}"),
    ("KERNEL FATAL instruction address: 0x{hex8}"),
    ("KERNEL FATAL machine check interrupt (bit=0x{hex4}): L2 dcache unit data parity error"),
    ("KERNEL INFO total of {small} ddr error(s) detected and corrected"),
    ("MMCS ERROR idoproxydb hit ASSERT condition: ASSERT expression=0 Source file=idotransportmgr.cpp Source line={int} Function=int IdoTransportMgr::SendPacket(IdoUdpMgr*, BglCtlPavTrace*)"),
    ("KERNEL FATAL rts: kernel terminated for reason {int}"),
    ("KERNEL FATAL Lustre mount FAILED : bglio{small} : block_id : location"),
    ("APP FATAL ciod: Error loading {path}: invalid or missing program image, No such file or directory"),
    ("KERNEL INFO ddr: activating redundant bit steering: rank={small} symbol={small}"),
    ("DISCOVERY SEVERE Node card VPD check: {node} node in processor card slot J{small} do not match. VPD ecid {hex32}, found {hex32}"),
], "bgl")

dataset("HPC", [
    ("unix.hw state_change.{state} {big} 1 Component State Change: Component \\042alt{small}\\042 is in the {state} state (HWID={int})"),
    ("node.status running {big} 1 running running"),
    ("boot_cmd new {big} 1 Targeting domains:node-D{small} and nodes:node-[{small}-{int}] child of command {int}"),
    ("node.boot success {big} 1 boot (command {int}) Boot completed successfully"),
    ("unix.hw net.niff.up {big} 1 NIFF: node node-{int} detected a failed network connection on network {ip} via interface alt{small}"),
    ("unix.hw net.niff.down {big} 1 NIFF: node node-{int} has detected an available network connection on network {ip} via interface alt{small}"),
    ("gige.server link.up {big} 1 Link in reset"),
    ("gige.server link.error {big} 1 Link error on broadcast tree Interconnect-{small}T{small}:{small}:{small}:{small}"),
    ("node.psu psu.failure {big} 1 psu failure\\ ambient={int}"),
    ("node.temp temperature.warning {big} 1 ambient={int}"),
    ("node.fan fan.fail {big} 1 Fan speeds ( {int} {int} {int} {int} {int} {int} )"),
    ("action start {big} 1 clusterAddMember  (command {int})"),
    ("action error {big} 1 halt (command {int}) Error: couldn't connect to console"),
], None)


def hpc_head():
    return "%s node-%s" % (n(1, 999999), n(0, 500))


dataset("Thunderbird", [
    ("crond(pam_unix)[{int}]: session closed for user {user}"),
    ("crond(pam_unix)[{int}]: session opened for user {user} by (uid=0)"),
    ("crond[{int}]: ({user}) CMD (run-parts /etc/cron.hourly)"),
    ("kernel: e1000: eth{small}: e1000_watchdog: NIC Link is Up {int} Mbps Full Duplex"),
    ("kernel: ib_sm_sweep.c:{int}: ******************* Fabric sweep completed. *******************"),
    ("sshd[{int}]: Accepted publickey for {user} from {ip} port {port} ssh2"),
    ("sshd(pam_unix)[{int}]: session opened for user {user} by (uid=0)"),
    ("ntpd[{int}]: synchronized to {ip}, stratum {small}"),
    ("ntpd[{int}]: time reset {float} s"),
    ("postfix/postdrop[{int}]: warning: unable to look up public/pickup: No such file or directory"),
    ("kernel: hda: drive_cmd: status=0x51 {{ DriveReady SeekComplete Error }}"),
    ("xinetd[{int}]: START: auth pid={int} from={ip}"),
    ("dhcpd: DHCPDISCOVER from 00:{hex4}:{hex4} via eth{small}"),
    ("kernel: Out of Memory: Killed process {int} ({word})."),
    ("smartd[{int}]: Device: /dev/sd{small}, SMART Failure: DATA CHANNEL IMPENDING FAILURE"),
], None)


def tbird_head():
    h = SLOTS["dn"]()
    return "- %s 2005.11.%02d %s %s %s/%s" % (n(1131566461, 1133000000), R.randint(1, 30), h,
                                           "Nov %d %s" % (R.randint(1, 30), time_hms()), h, h)


dataset("Windows", [
    ("Info                  CBS    Loaded Servicing Stack v6.1.7601.{int} with Core: C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_6.1.7601.{int}_none_{hex32}\\cbscore.dll"),
    ("Info                  CSI    {hex8}@{big} CSI Transaction @0x{hex8} destroyed"),
    ("Info                  CBS    Starting TrustedInstaller initialization."),
    ("Info                  CBS    Ending TrustedInstaller initialization."),
    ("Info                  CBS    Starting the TrustedInstaller main loop."),
    ("Info                  CBS    TrustedInstaller service starts successfully."),
    ("Info                  CBS    SQM: Initializing online with Windows opt-in: False"),
    ("Info                  CBS    SQM: Cleaning up report files older than {small} days."),
    ("Info                  CBS    SQM: Requesting upload of all unsent reports."),
    ("Info                  CBS    SQM: Failed to start upload with file pattern: C:\\Windows\\servicing\\sqm\\*_std.sqm, flags: 0x{small} [HRESULT = 0x{hex8} - E_FAIL]"),
    ("Info                  CBS    Session: {big}_{big} initialized by client WindowsUpdateAgent."),
    ("Info                  CBS    Read out cached package applicability for package: Package_for_KB{int}~31bf3856ad364e35~amd64~~6.1.{small}.{small}, ApplicableState: {int}, CurrentState:{int}"),
    ("Info                  CBS    Failed to internally open package. [HRESULT = 0x800f0805 - CBS_E_INVALID_PACKAGE]"),
    ("Info                  CBS    Warning: Unrecognized packageExtended attribute."),
    ("Info                  CBS    Expecting attribute name [HRESULT = 0x800f080d - CBS_E_MANIFEST_INVALID_ITEM]"),
], None)


def win_head():
    return "%d-%02d-%02d %s," % (2016, R.randint(9, 12), R.randint(1, 28), time_hms())


dataset("Linux", [
    ("sshd(pam_unix)[{int}]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost={ip}"),
    ("sshd(pam_unix)[{int}]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost={ip}  user={user}"),
    ("sshd(pam_unix)[{int}]: check pass; user unknown"),
    ("su(pam_unix)[{int}]: session opened for user {user} by (uid=0)"),
    ("su(pam_unix)[{int}]: session closed for user {user}"),
    ("ftpd[{int}]: connection from {ip} () at {ftptime}"),
    ("logrotate: ALERT exited abnormally with [{small}]"),
    ("kernel: Linux version 2.6.5-1.358 (bhcompile@bugs.build.redhat.com) (gcc version 3.3.3 20040412 (Red Hat Linux 3.3.3-7)) #1 Sat May 8 09:04:50 EDT 2004"),
    ("kernel: Memory: {int}k/{int}k available ({int}k kernel code, {int}k reserved, {int}k data, {int}k init, {int}k highmem)"),
    ("gdm(pam_unix)[{int}]: check pass; user unknown"),
    ("cups: cupsd shutdown succeeded"),
    ("cups: cupsd startup succeeded"),
    ("syslogd 1.4.1: restart."),
    ("named[{int}]: lame server resolving '{domain}' (in '{domain}'?): {ip}#53"),
    ("xinetd[{int}]: START: ftp pid={int} from={ip}"),
    ("rpc.statd[{int}]: Version 1.0.6 Starting"),
], "syslog")


def linux_head():
    return "%s combo" % header("syslog")


dataset("Android", [
    ("D WindowManager: printFreezingDisplayLogsopening app wtoken = AppWindowToken{{{hex8} token=Token{{{hex8} ActivityRecord{{{hex8} u0 {pkg}/.activity.{cls} t{int}}}}}}}, allDrawn= {yn}, startingDisplayed =  {yn}, startingMoved =  {yn}, isRelaunching =  {yn}"),
    ("I PowerManager_screenOn: DisplayPowerStatesetColorFadeLevel: level={float}"),
    ("D DisplayPowerController: Animating brightness: target={int}, rate={int}"),
    ("V WindowManager: Changing focus from Window{{{hex8} u0 {pkg}/{pkg}.{cls}}} to null Callers=com.android.server.wm.WindowManagerService.removeWindowLocked:{int} com.android.server.wm.WindowManagerService.removeWindow:{int}"),
    ("I ActivityManager: Start proc {int}:{pkg}/u0a{int} for activity {pkg}/.{cls}"),
    ("D PowerManagerService: acquire lock={int}, flags=0x{small}, tag=\"{word}\", name={pkg}, ws=null, uid={int}, pid={int}"),
    ("D PowerManagerService: release:lock={int}, flg=0x0, tag=\"{word}\", name={pkg}\", ws=null, uid={int}, pid={int}"),
    ("W ActivityManager: Unable to start service Intent {{ act={pkg}.{word} }} U=0: not found"),
    ("E ActivityManager: ANR in {pkg} ({pkg}/.{cls})"),
    ("I ActivityManager: Killing {int}:{pkg}/u0a{int} (adj {int}): empty #{small}"),
    ("D SendBroadcastPermission: action:android.com.huawei.bone.NOTIFY_SPORT_DATA, mPermissionType:{small}"),
    ("V WindowManager: Relayout Window{{{hex8} u0 {pkg}/{pkg}.{cls}}}: oldVis={small} newVis={small}"),
    ("I DisplayPowerController: Blocking screen on until initial contents have been drawn."),
    ("E AndroidRuntime: FATAL EXCEPTION: main"),
], None)


def android_head():
    return "%02d-%02d %s.%03d  %s  %s" % (R.randint(1, 12), R.randint(1, 28), time_hms(), R.randint(0, 999),
                                         n(100, 30000), n(100, 30000))


dataset("HealthApp", [
    ("Step_LSC|{int}|onStandStepChanged {int}"),
    ("Step_LSC|{int}|onExtend:{big} {small} {small} {small}"),
    ("Step_SPUtils|{int}| getTodayTotalDetailSteps = {big}##{int}##{int}##{int}##{int}##{big}"),
    ("Step_StandReportReceiver|{int}|onReceive action: android.intent.action.SCREEN_ON"),
    ("Step_StandReportReceiver|{int}|onReceive action: android.intent.action.SCREEN_OFF"),
    ("Step_LSC|{int}|processHandleBroadcastAction action:android.intent.action.SCREEN_ON"),
    ("Step_ExtSDM|{int}|calculateCaloriesWithCache totalCalories={int}"),
    ("Step_ExtSDM|{int}|calculateAltitudeWithCache totalAltitude={int}"),
    ("Step_SPUtils|{int}|setTodayTotalDetailSteps={big}##{int}##{int}##{int}##{int}##{big}"),
    ("Step_NotificationUtil|{int}|REPORT : {int} {int} {int} {int}"),
    ("Step_LSC|{int}|flush sensor data"),
    ("HiH_HiSyncControl|{int}|startTimer start autoSync"),
    ("HiH_HiHealthDataInsertStore|{int}|saveData() deviceID = {int} dataSource={small}"),
], None)


def health_head():
    return "%d%02d%02d-%s:%d|" % (2017, 12, R.randint(1, 31), time_hms(), R.randint(0, 999))


dataset("Apache", [
    ("[notice] jk2_init() Found child {int} in scoreboard slot {small}"),
    ("[notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties"),
    ("[error] mod_jk child workerEnv in error state {small}"),
    ("[error] [client {ip}] Directory index forbidden by rule: /var/www/html/"),
    ("[error] jk2_init() Can't find child {int} in scoreboard"),
    ("[error] mod_jk child init {small} -2"),
    ("[error] [client {ip}] File does not exist: {path}"),
    ("[notice] Apache/2.0.49 (Fedora) configured -- resuming normal operations"),
    ("[notice] Digest: generating secret for digest authentication ..."),
    ("[error] [client {ip}] script not found or unable to stat: /var/www/cgi-bin/{word}"),
    ("[warn] child process {int} still did not exit, sending a SIGTERM"),
], None)


def apache_head():
    return "[%s %s %02d %s %d]" % (R.choice(DAYS), R.choice(MONTHS), R.randint(1, 28), time_hms(), 2005)


dataset("OpenSSH", [
    ("sshd[{int}]: reverse mapping checking getaddrinfo for {domain} [{ip}] failed - POSSIBLE BREAK-IN ATTEMPT!"),
    ("sshd[{int}]: Invalid user {user} from {ip}"),
    ("sshd[{int}]: input_userauth_request: invalid user {user} [preauth]"),
    ("sshd[{int}]: pam_unix(sshd:auth): check pass; user unknown"),
    ("sshd[{int}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}"),
    ("sshd[{int}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user={user}"),
    ("sshd[{int}]: Failed password for invalid user {user} from {ip} port {port} ssh2"),
    ("sshd[{int}]: Failed password for {user} from {ip} port {port} ssh2"),
    ("sshd[{int}]: Accepted password for {user} from {ip} port {port} ssh2"),
    ("sshd[{int}]: Received disconnect from {ip}: 11: Bye Bye [preauth]"),
    ("sshd[{int}]: Connection closed by {ip} [preauth]"),
    ("sshd[{int}]: error: Received disconnect from {ip}: 3: com.jcraft.jsch.JSchException: Auth fail [preauth]"),
    ("sshd[{int}]: message repeated {small} times: [ Failed password for {user} from {ip} port {port} ssh2]"),
    ("sshd[{int}]: Disconnecting: Too many authentication failures for {user} [preauth]"),
    ("sshd[{int}]: PAM {small} more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user={user}"),
    ("sshd[{int}]: fatal: Read from socket failed: Connection reset by peer [preauth]"),
    ("sshd[{int}]: Did not receive identification string from {ip}"),
    ("sshd[{int}]: pam_unix(sshd:session): session opened for user {user} by (uid=0)"),
], None)


def ssh_head():
    return "%s LabSZ" % header("syslog")


dataset("OpenStack", [
    ("INFO nova.osapi_compute.wsgi.server [{reqid} {hex32} {hex32} - - -] {ip} \"GET /v2/{hex32}/servers/detail HTTP/1.1\" status: 200 len: {int} time: {float}"),
    ("INFO nova.osapi_compute.wsgi.server [{reqid} {hex32} {hex32} - - -] {ip} \"POST /v2/{hex32}/os-server-external-events HTTP/1.1\" status: 200 len: {int} time: {float}"),
    ("INFO nova.osapi_compute.wsgi.server [{reqid} {hex32} {hex32} - - -] {ip} \"DELETE /v2/{hex32}/servers/{uuid} HTTP/1.1\" status: 204 len: {int} time: {float}"),
    ("INFO nova.osapi_compute.wsgi.server [{reqid} {hex32} {hex32} - - -] {ip} \"GET /v2/{hex32}/servers/{uuid} HTTP/1.1\" status: 404 len: {int} time: {float}"),
    ("INFO nova.compute.manager [{reqid} - - - - -] [instance: {uuid}] VM Started (Lifecycle Event)"),
    ("INFO nova.compute.manager [{reqid} - - - - -] [instance: {uuid}] VM Paused (Lifecycle Event)"),
    ("INFO nova.compute.manager [{reqid} - - - - -] [instance: {uuid}] VM Resumed (Lifecycle Event)"),
    ("INFO nova.compute.manager [{reqid} - - - - -] [instance: {uuid}] VM Stopped (Lifecycle Event)"),
    ("INFO nova.compute.manager [{reqid} {hex32} {hex32} - - -] [instance: {uuid}] Took {float} seconds to spawn the instance on the hypervisor."),
    ("INFO nova.compute.manager [{reqid} {hex32} {hex32} - - -] [instance: {uuid}] Took {float} seconds to build instance."),
    ("INFO nova.compute.manager [{reqid} {hex32} {hex32} - - -] [instance: {uuid}] Terminating instance"),
    ("INFO nova.virt.libvirt.driver [-] [instance: {uuid}] Instance destroyed successfully."),
    ("INFO nova.compute.claims [{reqid} {hex32} {hex32} - - -] [instance: {uuid}] Total memory: {int} MB, used: {float} MB"),
    ("INFO nova.compute.claims [{reqid} {hex32} {hex32} - - -] [instance: {uuid}] memory limit: {float} MB, free: {float} MB"),
    ("INFO nova.compute.resource_tracker [{reqid} - - - - -] Final resource view: name=cp-1.slowvm1.tcloud-pg0.utah.cloudlab.us phys_ram={int}MB used_ram={int}MB phys_disk={int}GB used_disk={int}GB total_vcpus={small} used_vcpus={small} pci_stats=[]"),
    ("WARNING nova.compute.manager [{reqid} - - - - -] While synchronizing instance power states, found {small} instances in the database and {small} instances on the hypervisor."),
    ("INFO nova.virt.libvirt.imagecache [{reqid} - - - - -] image {uuid} at ({path}): checking"),
    ("INFO nova.metadata.wsgi.server [-] {ip},{ip} \"GET /openstack/2013-10-17/meta_data.json HTTP/1.1\" status: 200 len: {int} time: {float}"),
], None)


def openstack_head():
    return "nova-%s.log.1.2017-05-16_13:53:08 2017-05-16 %s.%03d %s" % (R.choice(["api", "compute"]), time_hms(),
                                                                         R.randint(0, 999), n(1000, 30000))


dataset("Mac", [
    ("kernel[0]: IOThunderboltSwitch<0>(0x0)::listenerCallback - Thunderbolt HPD packet for route = 0x0 port = {small} unplug = {small}"),
    ("kernel[0]: ARPT: {float}: wl0: wl_update_tcpkeep_seq: Original Seq: {big}, Ack: {big}, Win size: {int}"),
    ("kernel[0]: AppleCamIn::systemWakeCall - messageType = 0x{hex8}"),
    ("kernel[0]: Wake reason: ARPT (Network)"),
    ("kernel[0]: en0: channel changed to {small}"),
    ("com.apple.cts[{int}]: com.apple.suggestions.harvest: scheduler_evaluate_activity told me to run this job; however, but the start time isn't for {int} seconds.  Ignoring."),
    ("QQ[{int}]: FA||Url||taskID[{big}] dealloc"),
    ("WeChat[{int}]: jemmytest"),
    ("configd[{int}]: network changed: v4(en0-:{ip}) DNS- Proxy- SMB"),
    ("Google Chrome Helper[{int}]: Couldn't set selectedTextBackgroundColor from default ()"),
    ("sandboxd[{int}] ([{int}]): QQ({int}) deny mach-lookup com.apple.networking.captivenetworksupport"),
    ("mDNSResponder[{int}]: mDNS_DeregisterInterface: Frequent transitions for interface en0 ({ip})"),
    ("symptomsd[{int}]: -[NetworkAnalyticsEngine observeValueForKeyPath:ofObject:change:context:] [{int}] Network change for NOI 0x{hex8}, updating state"),
    ("kernel[0]: Sandbox: com.apple.Addres({int}) deny(1) network-outbound /private/var/run/mDNSResponder"),
], None)


def mac_head():
    return "%s %s" % (header("syslog"), R.choice(["calvisitor-10-105-160-95", "authorMacBook-Pro"]))


dataset("Proxifier", [
    ("{app} - {domain}:{port} open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS"),
    ("{app} - {domain}:{port} close, {int} bytes sent, {int} bytes received, lifetime {time}"),
    ("{app} - {domain}:{port} close, {int} bytes ({size}) sent, {int} bytes ({size}) received, lifetime {time}"),
    ("{app} - {domain}:{port} error : Could not connect through proxy proxy.cse.cuhk.edu.hk:5070 - Proxy server cannot establish a connection with the target, status code 503"),
    ("{app} - {domain}:{port} close, {int} bytes sent, {int} bytes received, lifetime <1 sec"),
    ("{app} - {domain}:{port} error : A connection request was canceled before the completion."),
    ("{app} *64 - {domain}:{port} open through proxy proxy.cse.cuhk.edu.hk:5070 SOCKS5"),
    ("{app} - {ipport} matching rule failed"),
], None)


def proxifier_head():
    return "[%02d.%02d %s]" % (R.randint(1, 12), R.randint(1, 30), time_hms())


HEADS = {"BGL": bgl_head, "HPC": hpc_head, "Thunderbird": tbird_head, "Windows": win_head, "Linux": linux_head,
         "Android": android_head, "HealthApp": health_head, "Apache": apache_head, "OpenSSH": ssh_head,
         "OpenStack": openstack_head, "Mac": mac_head, "Proxifier": proxifier_head}


# Formats that are one event in the real Loghub labels: Proxifier's "close"
# line is one event (E8, "<*> close, <*> bytes<*>sent, <*> bytes<*>received,
# lifetime <*>") whether or not the byte counts carry a "(1.16 KB)" restatement
# and whatever the lifetime's form. Event number -> the event it belongs to.
SAME_EVENT = {"Proxifier": {3: 2, 5: 2}}


def main():
    outdir = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    for name, (events, head) in DATASETS.items():
        # Zipf-like event frequencies, as in real logs.
        weights = [1.0 / (i + 1) ** 0.8 for i in range(len(events))]
        rows = []
        for _ in range(count):
            k = R.choices(range(len(events)), weights)[0]
            body = fill(events[k])
            h = HEADS[name]() if name in HEADS else header(head)
            if name == "HDFS":
                line = "%s %s" % (h, body)
            elif name in ("Hadoop",):
                line = "%s %s" % (h, body)
            elif name == "Zookeeper":
                line = "%s %s" % (h, body)
            elif name == "HealthApp":
                line = h + body
            else:
                line = "%s %s" % (h, body)
            ev = SAME_EVENT.get(name, {}).get(k + 1, k + 1)
            rows.append("%s_E%d\t%s" % (name, ev, line))
        with open("%s/%s.tsv" % (outdir, name), "w") as f:
            f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
