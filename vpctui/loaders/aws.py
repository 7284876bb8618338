"""A live AWS account -> the network model, read-only.

Only Describe/List/Get operations are called (``OPERATIONS`` lists them; ``vpctui/iam-policy.json``
grants exactly these, and a test checks both against what a full load calls).

How it stays fast:
- one paginated call per resource type (``describe_*`` with filters for the chosen VPCs), all
  started at once on a thread pool. Clients are created up front in the calling thread: botocore
  clients are thread-safe, sessions are not;
- per-resource calls only where AWS has no bulk API: the two DNS attributes of each VPC
  (DescribeVpcAttribute), the entries of each prefix list that a route or rule uses
  (GetManagedPrefixListEntries), the policies of each distinct execution role (IAM), and the
  buckets named by the targets asked about (GetBucketLocation, GetBucketPolicy).

How it stays honest: an AccessDenied (or a call that keeps failing) on one operation does not stop
the load; the collection it would have filled is recorded in ``Network.unknowns`` with the
operation and the error, and traces through it say ``unknown``. Missing or expired credentials, an
unknown profile and a missing region end the load with one ``LoadError`` line. The credentials
check (sts:GetCallerIdentity) runs together with the first round of calls; their credential errors
are folded into that one line.
"""

from __future__ import annotations

import collections
import copy
import ipaddress
import os
import threading
import time
import urllib.parse
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Optional, Sequence

from ..model.network import (
    ALL_PORTS, DhcpOptions, EgressOnlyInternetGateway, EndpointEni, Host, InternetGateway,
    LambdaFunction, NaclEntry, NatGateway, Network, NetworkAcl, PeeringConnection, PortRange,
    PrefixList, Resource, Role, Route, RouteTable, SecurityGroup, SgRule, Subnet, Unknown, Vpc,
    VpcEndpoint,
)
from ..model.policy import Policy, PolicyError
from ..model.route_targets import route_target_kind
from ..model.services import managed_prefix_list_id, managed_prefix_list_name
from . import AwsOptions, LoadCancelled, LoadError, aws_transit
from .source import Progress

# Every operation the loader may call, as IAM actions. vpctui/iam-policy.json grants exactly these.
OPERATIONS: tuple[str, ...] = (
    "sts:GetCallerIdentity",
    "ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeDhcpOptions",
    "ec2:DescribeSubnets", "ec2:DescribeRouteTables", "ec2:DescribeInternetGateways",
    "ec2:DescribeEgressOnlyInternetGateways", "ec2:DescribeNatGateways",
    "ec2:DescribeVpcEndpoints", "ec2:DescribeManagedPrefixLists",
    "ec2:GetManagedPrefixListEntries", "ec2:DescribeSecurityGroups", "ec2:DescribeNetworkAcls",
    "ec2:DescribeNetworkInterfaces", "ec2:DescribeVpcPeeringConnections",
    "lambda:ListFunctions",
    "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:GetPolicy",
    "iam:GetPolicyVersion", "iam:GetRole",
    "s3:GetBucketLocation", "s3:GetBucketPolicy",
    # the resource policies of the targets asked about (and of the default targets), and the KMS
    # key policy where a SecureString parameter or a secret is encrypted with a customer key
    "dynamodb:GetResourcePolicy", "sqs:GetQueueUrl", "sqs:GetQueueAttributes",
    "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy", "ssm:DescribeParameters",
    "kms:DescribeKey", "kms:GetKeyPolicy",
) + aws_transit.OPERATIONS

# botocore client settings: adaptive retries (client-side rate limiting on throttling), bounded
# connect/read timeouts so a dead network gives an answer instead of a hang. Module-level so tests
# can shorten them.
RETRY_ATTEMPTS = 8
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 30
# Calls in flight at once. Against AWS, whose latency dominates, more is faster; against moto's
# server (one Python process) too many concurrent requests thrash its GIL: measured on the 10x
# network, 4 workers 0.58 s, 8 0.63 s, 12 0.66 s; with 50 ms of latency per call (bench/run.py
# --latency-ms 50) more calls in flight win. 16 is the default; VPCTUI_AWS_CONCURRENCY overrides.
_conc = os.environ.get("VPCTUI_AWS_CONCURRENCY", "")
MAX_WORKERS = max(1, min(64, int(_conc))) if _conc.isdigit() else 16
# The whole load's deadline (seconds): after it the calls not answered yet are `unknown`, named.
# --deadline or VPCTUI_AWS_DEADLINE override it. A full load of a large account takes seconds; one
# stuck API would otherwise take RETRY_ATTEMPTS x READ_TIMEOUT (4 minutes).
DEFAULT_DEADLINE = 60.0
MAX_DEADLINE = 3600.0

# Page sizes: the maximum each operation accepts (fewest calls, bounded responses).
_PAGE_SIZE = {"describe_route_tables": 100, "describe_managed_prefix_lists": 100,
              "get_managed_prefix_list_entries": 100, "describe_egress_only_internet_gateways": 255,
              "list_functions": 50}

_BAD_CREDENTIALS = {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "InvalidClientTokenId",
                    "UnrecognizedClientException", "SignatureDoesNotMatch", "AuthFailure",
                    "InvalidAccessKeyId", "InvalidToken", "TokenRefreshRequired"}

_NACL_PROTOCOLS = {"-1": "-1", "6": "tcp", "17": "udp", "1": "icmp", "tcp": "tcp", "udp": "udp",
                   "icmp": "icmp", "58": "icmpv6", "icmpv6": "icmpv6"}


class _Fatal(Exception):
    """Ends the whole load (credentials, region, profile): one line for the user."""


class _Stopped(Exception):
    """Raised by the before-send hook in a call abandoned by a stopped load (no more attempts)."""


class _BadResponse(Exception):
    """A response without the field every answer of the operation has (garbage, a proxy's page)."""


def _one_line(msg: str) -> str:
    return " ".join(str(msg).split())


def _err_code(e: Exception) -> tuple[str, str]:
    from botocore.exceptions import ClientError

    if isinstance(e, ClientError):
        err = e.response.get("Error", {})
        code = str(err.get("Code") or e.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "error"))
        return code, _one_line(err.get("Message") or "")
    return type(e).__name__, _one_line(str(e))


def _credentials_error(e: Exception) -> Optional[str]:
    """One line if ``e`` means the credentials are missing, expired or invalid, else None."""
    from botocore import exceptions as bx

    if isinstance(e, bx.NoCredentialsError):
        return ("no AWS credentials found: set AWS_PROFILE (or use --profile), run `aws sso login`, "
                "or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY")
    if isinstance(e, (getattr(bx, "SSOTokenLoadError", ()), getattr(bx, "UnauthorizedSSOTokenError", ()),
                      getattr(bx, "TokenRetrievalError", ()))):
        return f"the AWS SSO session has expired or is missing: run `aws sso login`{_profile_hint()} ({_one_line(str(e))})"
    if isinstance(e, (bx.PartialCredentialsError, bx.CredentialRetrievalError)):
        return f"AWS credentials are incomplete or could not be retrieved: {_one_line(str(e))}"
    if isinstance(e, bx.ClientError):
        code, msg = _err_code(e)
        if code in _BAD_CREDENTIALS:
            if "xpired" in code or "xpired" in msg:
                return f"the AWS credentials have expired ({code}): refresh them, e.g. `aws sso login`{_profile_hint()}"
            return f"the AWS credentials were rejected ({code}: {msg})"
    return None


_profile_name = threading.local()


def _profile_hint() -> str:
    p = getattr(_profile_name, "value", None)
    return f" --profile {p}" if p else ""


# --------------------------------------------------------------------------------------------------
# The session and clients


def make_session(options: AwsOptions):
    """A boto3 session from boto3's own chain, with --profile/--region as overrides."""
    import boto3
    from botocore import exceptions as bx

    try:
        return boto3.session.Session(profile_name=options.profile or None, region_name=options.region or None)
    except bx.ProfileNotFound as e:
        raise LoadError([f"AWS profile not found: {_one_line(str(e))} (see `aws configure list-profiles`)"]) from None


def _config():
    from botocore.config import Config

    return Config(retries={"mode": "adaptive", "max_attempts": RETRY_ATTEMPTS},
                  connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT,
                  max_pool_connections=MAX_WORKERS + 4, user_agent_extra="vpctui")


class _Clients:
    """One boto3 client per service, made on first use (a client costs tens of milliseconds to
    build, and a load that reads no bucket or role needs no S3 or IAM client). Thread-safe."""

    _names = {"ec2": "ec2", "lam": "lambda", "iam": "iam", "s3": "s3", "sts": "sts", "dynamodb": "dynamodb",
              "sqs": "sqs", "secretsmanager": "secretsmanager", "ssm": "ssm", "kms": "kms", "r53": "route53",
              "nfw": "network-firewall"}

    def __init__(self, session, region: str, config, stopped: Callable[[], bool] = lambda: False):
        self._session, self._region, self._config = session, region, config
        self._stopped = stopped
        self._made: dict[str, Any] = {}
        # one lock per service: a thread building the Lambda client does not hold up EC2's calls
        self._locks = {attr: threading.Lock() for attr in self._names}

    def _check(self, **_kw) -> None:
        if self._stopped():
            raise _Stopped("the load stopped")

    def __getattr__(self, attr: str):
        if attr.startswith("_") or attr not in self._names:
            raise AttributeError(attr)
        c = self._made.get(attr)
        if c is not None:
            return c
        with self._locks[attr]:
            c = self._made.get(attr)
            if c is None:
                c = self._made[attr] = self._session.client(self._names[attr], region_name=self._region,
                                                            config=self._config)
                # every HTTP attempt, retries included: none once the load has stopped
                c.meta.events.register("before-send", self._check)
            return c


# Only the buckets named by the targets asked about are read (two calls each); any other bucket,
# queue, secret or table that a trace reaches has a resource policy vpctui has not seen.
_RESOURCE_POLICIES_UNREAD = Unknown(
    "resource_policies",
    "vpctui reads the policies of the S3 buckets named by the targets asked about (--to) only")


# The first-round parts the panes show: once they are in, a partial network can be shown
# (``load_account(on_partial=...)``). The endpoints' addresses come from the network interfaces.
_PANES = ("vpcs", "subnets", "route_tables", "sgs", "nacls", "endpoints", "enis", "functions")
# The credentials check, started with the first round (``_Loader.run``).
_IDENT, _IDENT_ACTION = "ident", "sts:GetCallerIdentity"
# What the second round (the entries of the prefix lists in use) is computed from.
_ROUND2_INPUTS = ("route_tables", "sgs", "endpoints", "prefix_lists")


def _clients(session, region: str, stopped: Callable[[], bool] = lambda: False) -> _Clients:
    c = _Clients(session, region, _config(), stopped)
    # EC2's client is built here (the first round needs it first; its service model alone takes
    # ~0.1-0.2 s to load), so a missing profile or a bad setting shows before anything else runs
    c.ec2
    return c


# --------------------------------------------------------------------------------------------------


@dataclass
class _State:
    """What the calls brought back (filled from worker threads; each key written once)."""

    raw: dict[str, Any] = field(default_factory=dict)
    unknowns: list[Unknown] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def unknown(self, kind: str, reason: str, action: str = "") -> None:
        with self.lock:
            if not any(u.kind == kind for u in self.unknowns):
                self.unknowns.append(Unknown(kind, reason, action))

    def warn(self, text: str) -> None:
        with self.lock:
            self.warnings.append(text)

    def unknown_kinds(self) -> set[str]:
        with self.lock:
            return {u.kind for u in self.unknowns}


# JSON-protocol operations whose every answer carries the list, even when empty: a page without it
# is not "none" but an unreadable answer (a JSON parser gives {} for an HTML error page).
_LIST_REQUIRED = {"list_functions", "list_role_policies", "list_attached_role_policies"}


def _paginate(client, op: str, key: str, **kw) -> list:
    """Every item of a paginated operation (``op`` in snake_case, ``key`` the result list)."""
    pag = client.get_paginator(op)
    out: list = []
    for page in pag.paginate(PaginationConfig={"PageSize": _PAGE_SIZE.get(op, 1000)}, **kw):
        items = page.get(key)
        if items is None and op in _LIST_REQUIRED:
            raise _BadResponse(f"the answer has no {key} (not a valid response)")
        if items is not None and not isinstance(items, list):
            raise _BadResponse(f"{key} in the answer is not a list")
        out.extend(items or ())
    return out


@dataclass(frozen=True)
class AwsSource:
    """A live AWS account and region, read-only (``--aws``). A ``Source`` (loaders/source.py)."""

    options: AwsOptions = AwsOptions()

    label = "aws"
    loads_fast = False  # network calls: always in a worker, with progress lines
    cancellable = True  # load() takes ``cancelled`` (the TUI's quit and reload stop it at once)

    def load(self, progress: Optional[Progress] = None, *, cancelled: Optional[Callable[[], bool]] = None,
             more_targets: Optional[Callable[[Network], Sequence[str]]] = None,
             on_partial: Optional[Callable[[Network], None]] = None) -> Network:
        """--redact is applied inside the loader, so progress lines and errors are masked too.
        ``on_partial``: see ``load_account``; with several accounts/regions, ``load_accounts``
        (one merged partial network once every one has its panes' parts)."""
        if self.options.accounts:  # several accounts/regions (loaders/aws_multi.py)
            from .aws_multi import load_accounts

            return load_accounts(self.options, progress, cancelled=cancelled, more_targets=more_targets,
                                 on_partial=on_partial)
        return load_account(self.options, progress=progress, cancelled=cancelled, more_targets=more_targets,
                            on_partial=on_partial)

    def title(self, network: Network) -> str:
        """The account id and region (the id masked with --redact)."""
        account = "(redacted)" if self.options.redact else network.account_id
        vpcs = f" · {len(self.options.vpc_ids)} VPCs" if self.options.vpc_ids else ""
        if self.options.accounts:
            return f"AWS {network.name}{vpcs}"
        return f"AWS account {account} · {network.region}{vpcs}"


def deadline_seconds(options: AwsOptions) -> float:
    """The load's total deadline: --deadline, else VPCTUI_AWS_DEADLINE, else DEFAULT_DEADLINE."""
    if options.deadline is not None:
        value, origin = options.deadline, "--deadline"
    else:
        env = os.environ.get("VPCTUI_AWS_DEADLINE", "").strip()
        if not env:
            return DEFAULT_DEADLINE
        value, origin = env, f"VPCTUI_AWS_DEADLINE={env[:40]!r}"
    try:
        d = float(value)
    except (TypeError, ValueError):
        raise LoadError([f"{origin}: the load deadline must be a number of seconds, e.g. 60"]) from None
    if not 0 < d <= MAX_DEADLINE:
        raise LoadError([f"{origin}: the load deadline must be more than 0 and at most {MAX_DEADLINE:g} seconds"])
    return d


def region_of(options: AwsOptions, session) -> Optional[str]:
    """--region, else AWS_REGION, else botocore's own chain (AWS_DEFAULT_REGION, the profile).

    The AWS CLI v2 and the SDKs read AWS_REGION before AWS_DEFAULT_REGION; botocore (1.44) reads
    only AWS_DEFAULT_REGION, so AWS_REGION is read here."""
    return options.region or os.environ.get("AWS_REGION", "").strip() or session.region_name or None


def load_account(options: AwsOptions, progress: Optional[Progress] = None, *, session=None,
                 cancelled: Optional[Callable[[], bool]] = None,
                 more_targets: Optional[Callable[[Network], Sequence[str]]] = None,
                 on_partial: Optional[Callable[[Network], None]] = None) -> Network:
    """Read the network of one account and region. Raises LoadError with one line per problem.

    ``session``: a boto3 Session to use instead of one built from ``options`` (tests pass one with
    event hooks or stubbed clients). ``cancelled``: polled while waiting; when it returns True the
    load stops at once (LoadCancelled). ``more_targets``: called with the network once it is read;
    the resource policies of the targets it returns are read too, and they become the network's
    targets (the CLI passes the default targets here when no --to is given).

    ``on_partial``: called at most once, in the calling thread, with a partial network as soon as
    the parts the panes show are read (VPCs, subnets, route tables, security groups, network ACLs,
    VPC endpoints, functions, and the other first-round collections) while other calls are still
    out (the VPCs' DNS attributes, the roles' policies, the targets' resource policies, prefix-list
    entries, hosted zones, transit gateway routes). Every part still loading is an ``Unknown`` in
    that network with the reason "... still loading", so a trace that needs it says unknown. It is
    not called when nothing is left to read by then: the whole network follows at once.

    With ``options.redact`` the account ids are masked in the network, the progress lines and the
    errors alike (one Redactor for all of them)."""
    raw_say = progress or (lambda _m: None)
    redactor = None
    if options.redact:
        from .redact import Redactor

        redactor = Redactor()

    def say(msg: str) -> None:
        raw_say(redactor.text(msg) if redactor is not None else msg)

    try:
        return _load_account(options, say, session, cancelled, more_targets, redactor, on_partial)
    except LoadError as e:
        if redactor is not None:
            e.errors = [redactor.text(x) for x in e.errors]
        raise


def _load_account(options, say, session, cancelled, more_targets, redactor, on_partial=None) -> Network:
    from botocore import exceptions as bx

    started = time.monotonic()
    deadline = deadline_seconds(options)
    _profile_name.value = options.profile
    if session is None:
        session = make_session(options)
    region = region_of(options, session)
    if not region:
        raise LoadError(["no AWS region: use --region, set AWS_REGION (or AWS_DEFAULT_REGION), "
                         "or set region in the profile"])
    loader = _Loader(options, region, say, deadline, started + deadline, cancelled)
    try:
        loader.c = _clients(session, region, loader.is_stopped)
    except bx.ProfileNotFound as e:
        raise LoadError([f"AWS profile not found: {_one_line(str(e))}"]) from None
    except bx.BotoCoreError as e:
        raise LoadError([f"cannot set up AWS clients: {_one_line(str(e))}"]) from None
    say(f"checking credentials ({region})")

    def on_account(account: str) -> None:
        """The credentials check answered (in this thread, before any line of the load is shown)."""
        if redactor is not None and account:
            redactor.account(account)
        say(f"account {account}, region {region}: reading the network (deadline {deadline:g} s)")

    if redactor is not None:
        from .redact import redact_network

    def redacted_partial(n: Network) -> None:
        on_partial(redact_network(n, redactor))  # type: ignore[misc]

    partial = redacted_partial if on_partial is not None and redactor is not None else on_partial
    try:
        net = loader.run(more_targets, partial, on_account)
    except _Fatal as e:
        raise LoadError([str(e)]) from None
    finally:
        loader.close()
    if redactor is not None:
        net = redact_network(net, redactor)
    return net


def require_functions(net: Network) -> None:
    """A live network whose functions could not be listed checks nothing: raise LoadError naming
    the call (distinct from an account that has no functions, which loads with none)."""
    why = net.unknown("lambda_functions")
    if why:
        raise LoadError([f"the Lambda functions could not be read, so nothing can be checked: {why}"])


def _describe_failure(action: str, e: Exception) -> str:
    from botocore import exceptions as bx

    creds = _credentials_error(e)
    if creds:
        return creds
    if isinstance(e, (bx.EndpointConnectionError, bx.ConnectTimeoutError, bx.ReadTimeoutError,
                      bx.ConnectionClosedError)):
        return f"cannot reach AWS ({action}): {_one_line(str(e))}"
    if isinstance(e, _BadResponse):
        return f"{action}: unreadable answer: {e}"
    from botocore.parsers import ResponseParserError

    if isinstance(e, ResponseParserError):
        return f"{action}: unreadable answer ({_one_line(str(e))[:200]})"
    code, msg = _err_code(e)
    return f"{action}: {code}" + (f" ({msg})" if msg else "")


@dataclass(eq=False)
class _Task:
    key: str
    action: str
    fn: Callable[[], Any]
    kind: Optional[str] = None
    then: Optional[Callable[[Any], None]] = None
    label: str = ""


class _Loader:
    def __init__(self, options: AwsOptions, region: str, say: Progress, deadline: float, deadline_at: float,
                 cancelled: Optional[Callable[[], bool]]):
        self.o, self.region, self._say = options, region, say
        self.muted = False  # after a cancel or the end: no more progress lines from stray threads
        self.c: Any = None
        self.account = ""
        self.deadline, self.deadline_at = deadline, deadline_at
        self.cancelled = cancelled or (lambda: False)
        self.st = _State()
        self.cv = threading.Condition()
        self.queue: collections.deque[_Task] = collections.deque()
        self.running: set[_Task] = set()
        self.threads: list[threading.Thread] = []
        self.stopped = False
        self.done = 0
        self.late: list[str] = []  # the calls not answered within the deadline
        self.targets: tuple[str, ...] = tuple(options.targets)
        self._asked: set[str] = set()
        self.fatal: Optional[str] = None
        # The credentials check (sts:GetCallerIdentity) runs together with the first round. Until
        # it has answered, a credentials error of another call is held here (the check's own line
        # wins: each service words it differently) and the load's progress lines are held back
        # (a load whose credentials fail shows nothing of the calls started with the check).
        self.checked = False
        self.pending_fatal: Optional[str] = None
        self._held_lines: list[str] = []
        self._round2 = False  # the second round (prefix-list entries) started

    # ---- running calls --------------------------------------------------------------------------
    #
    # A small pool of daemon threads, not a ThreadPoolExecutor: an executor's threads are joined at
    # interpreter exit (and by shutdown), so one call stuck in a 30 s read kept Ctrl-C and `q`
    # waiting for every attempt. Daemon threads are abandoned instead: when the load stops
    # (cancelled, past its deadline, or a fatal error) the queue is dropped, late answers are
    # ignored, and a ``before-send`` hook on every client stops abandoned calls from retrying.

    def submit(self, key: str, action: str, fn: Callable[[], Any], kind: Optional[str] = None,
               then: Optional[Callable[[Any], None]] = None, label: str = "", urgent: bool = False) -> None:
        """Run ``fn`` on the pool; store its result under ``key``. On failure record ``kind`` as
        unknown (AccessDenied and friends) or end the load (credentials). ``urgent``: ahead of the
        queue (a call at the head of a chain of calls, such as a role's policies)."""
        task = _Task(key, action, fn, kind, then, label)
        with self.cv:
            if self.stopped:
                self._missing(task)
                return
            if urgent:
                self.queue.appendleft(task)
            else:
                self.queue.append(task)
            busy = len(self.queue) + len(self.running)
            if len(self.threads) < min(MAX_WORKERS, busy):
                t = threading.Thread(target=self._worker, name=f"vpctui-aws-{len(self.threads)}", daemon=True)
                self.threads.append(t)
                t.start()
            self.cv.notify()

    def _worker(self) -> None:
        while True:
            with self.cv:
                while not self.queue and not self.stopped:
                    self.cv.wait()
                if self.stopped:
                    return
                task = self.queue.popleft()
                self.running.add(task)
            try:
                self._run(task)
            finally:
                with self.cv:
                    self.running.discard(task)
                    self.cv.notify_all()

    def _run(self, task: "_Task") -> None:
        try:
            result = task.fn()
        except Exception as e:  # noqa: BLE001 - sorted below, never a traceback
            with self.cv:
                if self.stopped:
                    return
                creds = _credentials_error(e)
                if creds and not self.checked and task.key != _IDENT:
                    # started with the check: the check decides the line (it may say the same)
                    self.pending_fatal = self.pending_fatal or creds
                    self.st.raw[task.key] = _Failed(creds, _err_code(e)[0])
                    return
                if creds:
                    self.fatal = creds
                    self._stop(None)
                    return
                why = _describe_failure(task.action, e)
                if task.kind:
                    self.st.unknown(task.kind, why, task.action)
                self.st.raw[task.key] = _Failed(why, _err_code(e)[0])
            if task.key != _IDENT:  # the check's failure is the load's one error line
                self.say(f"{task.action}: could not read ({why})")
            return
        with self.cv:
            if self.stopped:
                return  # an answer after the deadline or a cancel: the part is already unknown
            self.st.raw[task.key] = result
            self.done += 1
            n = self.done
        if task.label:
            count = len(result) if isinstance(result, list) else ""
            self.say(f"{task.label}: {count} ({n} calls done)" if count != "" else f"{task.label} ({n} calls done)")
        if task.then is not None:
            task.then(result)

    def _missing(self, task: "_Task") -> None:
        """A task that will not run or whose answer came too late (the deadline passed)."""
        why = (f"{task.action}: no answer within the load deadline of {self.deadline:g} s "
               "(raise it with --deadline or VPCTUI_AWS_DEADLINE)")
        if task.kind:
            self.st.unknown(task.kind, why, task.action)
        self.st.raw.setdefault(task.key, _Failed(why, "Deadline"))
        self.late.append(task.action)

    def _stop(self, reason: Optional[str]) -> None:
        """Stop the load (caller holds ``cv``). ``reason`` "deadline": every call not answered
        yet becomes unknown; None: nothing more is recorded (cancelled or fatal)."""
        if self.stopped:
            return
        self.stopped = True
        if reason == "deadline":
            for task in list(self.queue) + sorted(self.running, key=lambda t: t.key):
                self._missing(task)
        self.queue.clear()
        self.cv.notify_all()

    def is_stopped(self) -> bool:
        return self.stopped

    def wait(self, hook: Optional[Callable[[], Optional[Callable[[], None]]]] = None) -> None:
        """Wait for every task, including tasks that tasks submitted, the deadline, or a cancel.
        Wakes every 0.1 s to look at the cancel flag; a Ctrl-C in the calling thread interrupts
        the wait at once. ``hook``, asked (under the lock) at every wake-up while calls are out,
        returns work to run now in this thread (outside the lock), or None."""
        import time

        while True:
            job = None
            with self.cv:
                while (self.queue or self.running) and not self.stopped:
                    if self.cancelled():
                        self.muted = True
                        self._stop(None)
                        raise LoadCancelled(["the load was cancelled"])
                    remaining = self.deadline_at - time.monotonic()
                    if remaining <= 0:
                        self._stop("deadline")
                        break
                    job = hook() if hook is not None else None
                    if job is not None:
                        break
                    self.cv.wait(min(0.1, remaining))
                if job is None and self.fatal:
                    raise _Fatal(self.fatal)
            if job is None:
                return
            job()

    def get(self, key: str, default=None):
        v = self.st.raw.get(key, default)
        return default if isinstance(v, _Failed) else v

    # ---- the load --------------------------------------------------------------------------------

    def say(self, msg: str) -> None:
        with self.cv:  # one line at a time, and none once the load was cancelled or has ended
            if self.muted:
                return
            if not self.checked:
                self._held_lines.append(msg)
                return
            self._say(msg)

    def _check_credentials(self, on_account: Optional[Callable[[str], None]]) -> None:
        """The credentials check has answered (or the load stopped first): end the load with its
        one line, or take the account id, show the held progress lines and start the reads that
        need the account id (the targets' resources)."""
        ident = self.st.raw.get(_IDENT)
        with self.cv:
            fatal = self.pending_fatal
            if fatal or not isinstance(ident, dict):
                self.muted = True  # nothing of this load is shown but its one line
                self._stop(None)
        if fatal:
            raise _Fatal(fatal)
        if not isinstance(ident, dict):
            raise LoadError([ident.why if isinstance(ident, _Failed) else f"{_IDENT_ACTION}: no answer"])
        self.account = str(ident.get("Account", ""))
        if on_account is not None:  # e.g. --redact learns the account id before any line names it
            on_account(self.account)
        with self.cv:
            fatal = self.pending_fatal  # a call that failed while on_account ran
            if fatal:
                self.muted = True
                self._stop(None)
            else:
                self.checked = True
                held, self._held_lines = self._held_lines, []
                for line in held:
                    if not self.muted:
                        self._say(line)
        if fatal:
            raise _Fatal(fatal)
        self._read_resources(self.targets)

    def close(self) -> None:
        """Stop the pool (idle threads end; a thread in a call is abandoned: it is a daemon)."""
        with self.cv:
            self.muted = True
            if not self.stopped:
                self.stopped = True
                self.queue.clear()
                self.cv.notify_all()

    def run(self, more_targets: Optional[Callable[[Network], Sequence[str]]] = None,
            on_partial: Optional[Callable[[Network], None]] = None,
            on_account: Optional[Callable[[str], None]] = None) -> Network:
        """The whole load: the credentials check and the first round at once, then what follows.
        ``on_account``: called with the account id once the check has answered."""
        self._start()
        partial_sent = on_partial is None

        def hook():
            """At each answer: take the credentials check's answer; start the second round as soon
            as its inputs are in; send the partial network once the check and the panes' parts are
            in (and no callback is still adding calls)."""
            nonlocal partial_sent
            if not self.checked and _IDENT in self.st.raw:
                return lambda: self._check_credentials(on_account)
            if not self._round2 and not self._busy(_ROUND2_INPUTS):
                return self._second_round
            if self.checked and not partial_sent and not self._busy(_PANES):
                partial_sent = True
                return lambda: self._send_partial(on_partial)
            return None

        self.wait(hook)
        if not self.checked:  # the deadline passed before the check answered (or every call ended first)
            self._check_credentials(on_account)
            self.wait(hook)
        self._second_round()  # when an input failed in a way that left the hook waiting: at once
        self.wait()
        net = self._build()
        if more_targets is not None and not self.stopped:
            extra = [t for t in more_targets(net) if t not in self.targets]
            if extra:
                self.targets = self.targets + tuple(extra)
                self._read_resources(extra)
                self.wait()
                net = replace(net, resources=tuple(self._resources()), targets=self.targets,
                              unknowns=tuple(self.st.unknowns) + (_RESOURCE_POLICIES_UNREAD,),
                              external_hosts=_external_hosts(self.targets))
        if self.late:
            self.say(f"the load deadline of {self.deadline:g} s passed: not read: {', '.join(sorted(set(self.late)))}")
        parts = net.unknown_parts
        self.say(f"loaded {len(net.vpcs)} VPCs, {len(net.subnets)} subnets, {len(net.functions)} functions"
                 + (f"; {len(parts)} {'part' if len(parts) == 1 else 'parts'} unknown" if parts else ""))
        for u in parts:
            self.say(f"unknown: {u.title}: {u.reason}")
        return net

    def _vpc_filter(self, name: str = "vpc-id") -> dict:
        return {"Filters": [{"Name": name, "Values": list(self.o.vpc_ids)}]} if self.o.vpc_ids else {}

    def _start(self) -> None:
        ec2, c = self.c.ec2, self.c
        P = _paginate
        vf = self._vpc_filter
        # the credentials check goes first: its answer (the account id) is waited for before
        # anything of the load is shown, and before the reads that need the account id
        # (``_check_credentials``); the first round does not wait for it
        self.submit(_IDENT, _IDENT_ACTION, lambda: c.sts.get_caller_identity())
        # first what starts the longest chains: the functions (then each role's policies, 3-6
        # calls one after another) and the VPCs (then their DNS attributes and hosted zones)
        self.submit("functions", "lambda:ListFunctions", lambda: P(c.lam, "list_functions", "Functions"),
                    "lambda_functions", then=self._roles, label="Lambda functions")
        self.submit("vpcs", "ec2:DescribeVpcs", lambda: P(ec2, "describe_vpcs", "Vpcs", **vf()), "vpcs",
                    then=self._vpc_attributes, label="VPCs")
        # then the rest of the panes' parts (a partial network is shown once they are in: _PANES),
        # then the other collections
        self.submit("subnets", "ec2:DescribeSubnets", lambda: P(ec2, "describe_subnets", "Subnets", **vf()),
                    "subnets", label="subnets")
        self.submit("route_tables", "ec2:DescribeRouteTables",
                    lambda: P(ec2, "describe_route_tables", "RouteTables", **vf()), "route_tables", label="route tables")
        self.submit("sgs", "ec2:DescribeSecurityGroups",
                    lambda: P(ec2, "describe_security_groups", "SecurityGroups", **vf()), "security_groups",
                    label="security groups")
        self.submit("nacls", "ec2:DescribeNetworkAcls",
                    lambda: P(ec2, "describe_network_acls", "NetworkAcls", **vf()), "network_acls", label="network ACLs")
        self.submit("endpoints", "ec2:DescribeVpcEndpoints",
                    lambda: P(ec2, "describe_vpc_endpoints", "VpcEndpoints", **vf()), "vpc_endpoints", label="VPC endpoints")
        self.submit("enis", "ec2:DescribeNetworkInterfaces",
                    lambda: P(ec2, "describe_network_interfaces", "NetworkInterfaces", **vf()), "network_interfaces",
                    label="network interfaces")
        self.submit("prefix_lists", "ec2:DescribeManagedPrefixLists",
                    lambda: P(ec2, "describe_managed_prefix_lists", "PrefixLists"), "prefix_lists", label="prefix lists")
        self.submit("nats", "ec2:DescribeNatGateways",
                    lambda: P(ec2, "describe_nat_gateways", "NatGateways", **({"Filter": vf()["Filters"]} if self.o.vpc_ids else {})),
                    "nat_gateways", label="NAT gateways")
        self.submit("igws", "ec2:DescribeInternetGateways",
                    lambda: P(ec2, "describe_internet_gateways", "InternetGateways", **vf("attachment.vpc-id")),
                    "internet_gateways", label="internet gateways")
        self.submit("eigws", "ec2:DescribeEgressOnlyInternetGateways",
                    lambda: P(ec2, "describe_egress_only_internet_gateways", "EgressOnlyInternetGateways"),
                    "egress_only_internet_gateways", label="egress-only internet gateways")
        self.submit("dhcp", "ec2:DescribeDhcpOptions", lambda: P(ec2, "describe_dhcp_options", "DhcpOptions"),
                    "dhcp_options", label="DHCP option sets")
        self.submit("pcx", "ec2:DescribeVpcPeeringConnections",
                    lambda: P(ec2, "describe_vpc_peering_connections", "VpcPeeringConnections"),
                    "vpc_peering_connections", label="peering connections")
        aws_transit.start(self)  # transit gateways (loaders/aws_transit.py)

    # ---- per-VPC, per-role, per-bucket, per-prefix-list calls -----------------------------------

    def _vpc_attributes(self, vpcs: list) -> None:
        for v in vpcs:
            vid = v["VpcId"]
            for attr in ("enableDnsSupport", "enableDnsHostnames"):
                self.submit(f"attr:{vid}:{attr}", "ec2:DescribeVpcAttribute",
                            lambda vid=vid, attr=attr: self.c.ec2.describe_vpc_attribute(VpcId=vid, Attribute=attr),
                            kind=f"{vid}:{attr}")
        aws_transit.start_zones(self, vpcs)  # Route 53 private hosted zones (loaders/aws_transit.py)

    def _roles(self, functions: list) -> None:
        """Each distinct role's policies, in three chains read at once: the inline policies (a
        list, then one call each), the attached ones (a list, then two calls each) and the
        permissions boundary (GetRole, then two calls); ``_role`` puts them together."""
        arns = sorted({f.get("Role", "") for f in functions if f.get("Role")})
        for arn in arns:
            name = arn.rsplit("/", 1)[-1]
            self.submit(f"role:{arn}:inline", "iam:ListRolePolicies", lambda n=name: self._role_inline(n), urgent=True)
            self.submit(f"role:{arn}:attached", "iam:ListAttachedRolePolicies",
                        lambda n=name: self._role_attached(n), urgent=True)
            self.submit(f"role:{arn}:boundary", "iam:GetRole", lambda n=name: self._role_boundary(n), urgent=True)

    def _role_inline(self, name: str) -> tuple[list[Policy], Optional[str]]:
        """(the inline policies read, the error that stopped the reading or None). Credential
        errors propagate (they end the load)."""
        iam, docs, action = self.c.iam, [], "iam:ListRolePolicies"
        try:
            for pname in _paginate(iam, "list_role_policies", "PolicyNames", RoleName=name):
                action = "iam:GetRolePolicy"
                doc = iam.get_role_policy(RoleName=name, PolicyName=pname)["PolicyDocument"]
                docs.append(_policy(doc, f"{name}/{pname}"))
        except PolicyError as e:
            return docs, f"a policy of {name} could not be parsed: {e}"
        except Exception as e:  # noqa: BLE001
            if _credentials_error(e):
                raise
            return docs, _describe_failure(action, e)
        return docs, None

    def _role_attached(self, name: str) -> tuple[list[Policy], Optional[str]]:
        iam, docs, action = self.c.iam, [], "iam:ListAttachedRolePolicies"
        try:
            for att in _paginate(iam, "list_attached_role_policies", "AttachedPolicies", RoleName=name):
                action = "iam:GetPolicy"
                pol = iam.get_policy(PolicyArn=att["PolicyArn"])["Policy"]
                action = "iam:GetPolicyVersion"
                ver = iam.get_policy_version(PolicyArn=att["PolicyArn"], VersionId=pol["DefaultVersionId"])
                docs.append(_policy(ver["PolicyVersion"]["Document"], att.get("PolicyName", att["PolicyArn"])))
        except PolicyError as e:
            return docs, f"a policy of {name} could not be parsed: {e}"
        except Exception as e:  # noqa: BLE001
            if _credentials_error(e):
                raise
            return docs, _describe_failure(action, e)
        return docs, None

    def _role_boundary(self, name: str) -> tuple[Optional[Policy], Optional[str]]:
        """The permissions boundary (POL-9): a failure here makes only the boundary unknown."""
        iam, action = self.c.iam, "iam:GetRole"
        try:
            pb = ((iam.get_role(RoleName=name)["Role"].get("PermissionsBoundary") or {})
                  .get("PermissionsBoundaryArn"))
            if pb:
                action = "iam:GetPolicy"
                pol = iam.get_policy(PolicyArn=pb)["Policy"]
                action = "iam:GetPolicyVersion"
                ver = iam.get_policy_version(PolicyArn=pb, VersionId=pol["DefaultVersionId"])
                return _policy(ver["PolicyVersion"]["Document"], f"{name} permissions boundary"), None
        except PolicyError as e:
            return None, f"the permissions boundary of {name} could not be parsed: {e}"
        except Exception as e:  # noqa: BLE001
            if _credentials_error(e):
                raise
            return None, _describe_failure(action, e)
        return None, None

    def _role(self, arn: str) -> Optional[Role]:
        """A role from its three parts (None when none was asked). The inline policies come first,
        then the attached ones; an error in either is the role's error (with the policies read
        before it), and then the boundary is not looked at, as when the parts are read in turn."""
        name = arn.rsplit("/", 1)[-1]
        parts = [self.st.raw.get(f"role:{arn}:{p}") for p in ("inline", "attached", "boundary")]
        if all(p is None for p in parts):
            return None
        for p in parts:
            if not isinstance(p, tuple):  # not answered (the deadline, still loading) or failed
                why = p.why if isinstance(p, _Failed) else "iam:ListRolePolicies: no answer"
                return Role(role_name=name, arn=arn, error=why)
        (inline, err1), (attached, err2), (boundary, berr) = parts
        if err1:
            return Role(role_name=name, arn=arn, policies=tuple(inline), error=err1)
        if err2:
            return Role(role_name=name, arn=arn, policies=tuple(inline + attached), error=err2)
        return Role(role_name=name, arn=arn, policies=tuple(inline + attached), permissions_boundary=boundary,
                    boundary_error=berr)

    def _bucket(self, bucket: str) -> None:
        def read() -> dict:
            s3 = self.c.s3
            out: dict[str, Any] = {"region": None, "policy": None, "error": None}
            try:
                loc = s3.get_bucket_location(Bucket=bucket).get("LocationConstraint")
                out["region"] = {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(loc, loc)
            except Exception as e:  # noqa: BLE001
                if _credentials_error(e):
                    raise
                out["error"] = _describe_failure("s3:GetBucketLocation", e)
                if _err_code(e)[0] == "NoSuchBucket":
                    out["error"] += " - the bucket does not exist"
                    return out
            try:
                out["policy"] = s3.get_bucket_policy(Bucket=bucket)["Policy"]
            except Exception as e:  # noqa: BLE001
                if _credentials_error(e):
                    raise
                if _err_code(e)[0] == "NoSuchBucketPolicy":
                    out["policy"] = None  # no policy: nothing denies
                else:
                    out["error"] = out["error"] or _describe_failure("s3:GetBucketPolicy", e)
            return out

        self.submit(f"bucket:{bucket}", "s3:GetBucketPolicy", read, label=f"bucket {bucket}")

    # ---- the targets' resources: buckets, tables, queues, secrets, parameters, KMS keys ---------

    def _read_resources(self, targets: Sequence[str]) -> None:
        """Start the reads for the resources the targets name (each at most once)."""
        for t in targets:
            svc, name = _resource_of(t)
            if not name or f"res:{svc}:{name}" in self._asked:
                continue
            self._asked.add(f"res:{svc}:{name}")
            if svc == "s3":
                self._bucket(name)
            elif svc == "dynamodb":
                self._table(name)
            elif svc == "sqs":
                self._queue(name)
            elif svc == "secretsmanager":
                self._secret(name)
            elif svc == "ssm":
                self._parameter(name)

    def _guard(self, action: str, call: Callable[[], Any], absent: tuple[str, ...] = ()) -> tuple[Any, Optional[str]]:
        """(answer, None), or (None, None) when the error code is in ``absent`` (e.g. no policy),
        or (None, why). Credential errors propagate (they end the load)."""
        try:
            return call(), None
        except Exception as e:  # noqa: BLE001
            if _credentials_error(e) or isinstance(e, _Stopped):
                raise
            code = _err_code(e)[0]
            if code in absent:
                return None, None
            why = _describe_failure(action, e)
            if code in ("NoSuchBucket", "ResourceNotFoundException", "QueueDoesNotExist",
                        "AWS.SimpleQueueService.NonExistentQueue", "ParameterNotFound"):
                why += " - it does not exist"
            return None, why

    def _table(self, table: str) -> None:
        arn = f"arn:aws:dynamodb:{self.region}:{self.account}:table/{table}"

        def read() -> dict:
            got, err = self._guard("dynamodb:GetResourcePolicy",
                                   lambda: self.c.dynamodb.get_resource_policy(ResourceArn=arn),
                                   absent=("PolicyNotFoundException",))
            return {"arn": arn, "policy": (got or {}).get("Policy"), "error": err}

        self.submit(f"res:dynamodb:{table}", "dynamodb:GetResourcePolicy", read, label=f"table {table}")

    def _queue(self, queue: str) -> None:
        def read() -> dict:
            out: dict[str, Any] = {"arn": f"arn:aws:sqs:{self.region}:{self.account}:{queue}", "policy": None, "error": None}
            url, err = self._guard("sqs:GetQueueUrl", lambda: self.c.sqs.get_queue_url(QueueName=queue)["QueueUrl"])
            if err:
                out["error"] = err
                return out
            attrs, err = self._guard("sqs:GetQueueAttributes", lambda: self.c.sqs.get_queue_attributes(
                QueueUrl=url, AttributeNames=["Policy", "QueueArn"]).get("Attributes", {}))
            out["error"] = err
            out["policy"] = (attrs or {}).get("Policy")
            out["arn"] = (attrs or {}).get("QueueArn") or out["arn"]
            return out

        self.submit(f"res:sqs:{queue}", "sqs:GetQueueAttributes", read, label=f"queue {queue}")

    def _secret(self, secret: str) -> None:
        def read() -> dict:
            out: dict[str, Any] = {"arn": "", "policy": None, "error": None, "kms": ""}
            # the ARN (its last six characters are random) and the key come from DescribeSecret;
            # GetResourcePolicy names the ARN too, so either call is enough to learn it
            desc, derr = self._guard("secretsmanager:DescribeSecret",
                                     lambda: self.c.secretsmanager.describe_secret(SecretId=secret))
            got, perr = self._guard("secretsmanager:GetResourcePolicy",
                                    lambda: self.c.secretsmanager.get_resource_policy(SecretId=secret))
            out["arn"] = (desc or {}).get("ARN") or (got or {}).get("ARN") or ""
            out["policy"] = (got or {}).get("ResourcePolicy")
            out["error"] = perr
            if derr:
                # whether a customer managed key encrypts it is not known
                out["kms_error"] = derr
                out["error"] = out["error"] or (derr if not out["arn"] else None)
            out["kms"] = (desc or {}).get("KmsKeyId") or ""
            return out

        self.submit(f"res:secretsmanager:{secret}", "secretsmanager:DescribeSecret", read,
                    then=lambda got: self._key(got.get("kms", ""), "aws/secretsmanager"), label=f"secret {secret}")

    def _parameter(self, name: str) -> None:
        full = name if name.startswith("/") or "/" not in name else "/" + name

        def read() -> dict:
            out: dict[str, Any] = {"policy": None, "error": None, "kms": "", "name": name}
            got, err = self._guard("ssm:DescribeParameters", lambda: self.c.ssm.describe_parameters(
                ParameterFilters=[{"Key": "Name", "Option": "Equals", "Values": [name]}]))
            params = (got or {}).get("Parameters") or []
            if not params and not err and full != name:
                got, err = self._guard("ssm:DescribeParameters", lambda: self.c.ssm.describe_parameters(
                    ParameterFilters=[{"Key": "Name", "Option": "Equals", "Values": [full]}]))
                params = (got or {}).get("Parameters") or []
            if err:
                # whether it is a SecureString under a customer key is not known
                out["error"] = err
                return out
            if params and params[0].get("Type") == "SecureString":
                out["kms"] = params[0].get("KeyId") or "alias/aws/ssm"
            return out

        self.submit(f"res:ssm:{name}", "ssm:DescribeParameters", read,
                    then=lambda got: self._key(got.get("kms", ""), "aws/ssm"), label=f"parameter {name}")

    def _key(self, key: str, aws_alias: str) -> None:
        """Describe the KMS key (and read its policy if it is a customer managed key)."""
        if not key or key in (f"alias/{aws_alias}",) or f"res:kms:{key}" in self._asked:
            return
        self._asked.add(f"res:kms:{key}")

        def read() -> dict:
            out: dict[str, Any] = {"arn": "", "policy": None, "error": None, "manager": ""}
            meta, err = self._guard("kms:DescribeKey", lambda: self.c.kms.describe_key(KeyId=key)["KeyMetadata"])
            if err:
                out["error"] = err
                return out
            out["arn"], out["manager"] = meta.get("Arn", ""), meta.get("KeyManager", "")
            if out["manager"] == "CUSTOMER":
                got, err = self._guard("kms:GetKeyPolicy",
                                       lambda: self.c.kms.get_key_policy(KeyId=meta.get("KeyId", key), PolicyName="default"))
                out["error"] = err
                out["policy"] = (got or {}).get("Policy")
            return out

        self.submit(f"res:kms:{key}", "kms:DescribeKey", read, label=f"KMS key {key}")

    def _busy(self, keys: tuple[str, ...]) -> bool:
        """Whether any of ``keys`` has not answered yet, or has but its callback (which may add
        calls) is still running. Caller holds ``cv``."""
        raw = self.st.raw
        if any(k not in raw for k in keys):
            return True
        return any(t.key in keys or (t.then is not None and t.key in raw) for t in self.running)

    def _send_partial(self, on_partial: Callable[[Network], None]) -> None:
        try:
            net = self._partial()
        except LoadError:
            return  # e.g. a --vpc that does not exist: the full build says so
        on_partial(net)

    def _partial(self) -> Network:
        """The network from what has answered so far; every call still out (or not started: the
        second round) is an Unknown "still loading", so traces that need it say unknown."""
        with self.cv:
            pending = list(self.running) + list(self.queue)
            raw = dict(self.st.raw)
            unknowns = list(self.st.unknowns)
        snap = copy.copy(self)
        snap.st = _State(raw=raw, unknowns=unknowns)
        snap._say = lambda _m: None
        snap.muted = True
        for t in pending:
            if t.key in raw and t.then is None:
                continue  # answered (its entry is read as is)
            if t.key in raw and t.key.startswith("res:"):
                raw[t.key] = _Failed(f"{t.action}: still loading", "Loading")  # its KMS key is not asked yet
            why = f"{t.action}: still loading"
            if t.kind:
                snap.st.unknown(t.kind, why, t.action)
            if t.key.startswith(("zones:", "zone:", "records:")):
                snap.st.unknown("private_hosted_zones", why, t.action)
            raw.setdefault(t.key, _Failed(why, "Loading"))
        if not self._round2:  # the prefix lists' entries are read once the first round is in
            used = snap._used_lists()
            snap._used_prefix_lists = used
            for plid in sorted(used):
                if f"pl:{plid}" not in raw:
                    snap.st.unknown(plid, "ec2:GetManagedPrefixListEntries: still loading",
                                    "ec2:GetManagedPrefixListEntries")
        return snap._build()

    def _used_lists(self) -> set[str]:
        """The prefix lists that a route or a rule uses (and the managed list of each gateway
        endpoint's service)."""
        used: set[str] = set()
        for rt in self.get("route_tables", []):
            for r in rt.get("Routes", ()):
                if r.get("DestinationPrefixListId"):
                    used.add(r["DestinationPrefixListId"])
        for g in self.get("sgs", []):
            for perm in g.get("IpPermissions", []) + g.get("IpPermissionsEgress", []):
                for p in perm.get("PrefixListIds", ()):
                    used.add(p["PrefixListId"])
        for e in self.get("endpoints", []):
            if e.get("VpcEndpointType") == "Gateway":
                pl = self._managed_list_for(e.get("ServiceName", ""))
                if pl:
                    used.add(pl["PrefixListId"])
        return used

    def _second_round(self) -> None:
        """Entries of the prefix lists that a route or a rule uses (known after the first round's
        route tables, security groups, endpoints and prefix lists: started as soon as those are in)."""
        if self._round2:
            return
        self._round2 = True
        used = self._used_lists()
        known = {p["PrefixListId"] for p in self.get("prefix_lists", [])}
        for plid in sorted(used & known):
            self.submit(f"pl:{plid}", "ec2:GetManagedPrefixListEntries",
                        lambda plid=plid: _paginate(self.c.ec2, "get_managed_prefix_list_entries", "Entries",
                                                    PrefixListId=plid), kind=plid, urgent=True)
        self._used_prefix_lists = used

    def _prefix_lists_named(self) -> set[str]:
        """The prefix-list ids that routes and security-group rules name (and the managed list a
        gateway endpoint's route uses)."""
        used: set[str] = set()
        for rt in self.get("route_tables", []):
            for r in rt.get("Routes", ()):
                if r.get("DestinationPrefixListId"):
                    used.add(r["DestinationPrefixListId"])
        for g in self.get("sgs", []):
            for perm in g.get("IpPermissions", []) + g.get("IpPermissionsEgress", []):
                for p in perm.get("PrefixListIds", ()):
                    used.add(p["PrefixListId"])
        return used

    def _managed_list_for(self, service_name: str) -> Optional[dict]:
        for p in self.get("prefix_lists", []):
            if p.get("PrefixListName") == service_name:
                return p
        return None

    # ---- raw -> model --------------------------------------------------------------------------

    def _build(self) -> Network:
        st, region = self.st, self.region
        vpc_ids = set(self.o.vpc_ids)
        raw_vpcs = self.get("vpcs", [])
        if self.o.vpc_ids and "vpcs" not in st.unknown_kinds():
            missing = sorted(vpc_ids - {v["VpcId"] for v in raw_vpcs})
            if missing:
                raise LoadError([f"no such VPC in account {self.account}, {region}: {', '.join(missing)}"])
        keep = (lambda vid: vid in vpc_ids) if vpc_ids else (lambda vid: True)

        dhcp = {d["DhcpOptionsId"]: _dhcp(d) for d in self.get("dhcp", [])}
        subnets = [_subnet(s) for s in self.get("subnets", []) if keep(s.get("VpcId"))]
        sub_by_id = {s.subnet_id: s for s in subnets}
        vpcs = [self._vpc(v, dhcp) for v in raw_vpcs if keep(v["VpcId"])]
        if isinstance(st.raw.get("vpcs"), _Failed):
            vpcs = self._vpcs_from_parts(subnets)
        vpc_set = {v.vpc_id for v in vpcs}

        # prefix lists: the ones in use, with entries where they could be read
        pls: dict[str, PrefixList] = {}
        for p in self.get("prefix_lists", []):
            plid = p["PrefixListId"]
            if plid in getattr(self, "_used_prefix_lists", ()):
                entries = self.get(f"pl:{plid}", [])
                pls[plid] = PrefixList(prefix_list_id=plid, prefix_list_name=p.get("PrefixListName", plid),
                                       cidrs=tuple(e["Cidr"] for e in entries or ()),
                                       managed=p.get("OwnerId") == "AWS" or p.get("PrefixListName", "").startswith("com.amazonaws."))

        failed = st.raw.get("prefix_lists")
        if isinstance(failed, _Failed):
            # the lists could not be described: every list a route or a rule names is unknown (its
            # entries decide what the route or the rule matches), not absent
            for plid in sorted(self._prefix_lists_named()):
                st.unknown(plid, failed.why, "ec2:DescribeManagedPrefixLists")

        igws = []
        for g in self.get("igws", []):
            att = [a["VpcId"] for a in g.get("Attachments", ()) if a.get("State") in ("available", "attached")]
            vid = att[0] if att else None
            if vid is None or keep(vid):
                igws.append(InternetGateway(internet_gateway_id=g["InternetGatewayId"], vpc_id=vid, name=_name(g)))
        eigws = []
        for g in self.get("eigws", []):
            att = [a["VpcId"] for a in g.get("Attachments", ()) if a.get("State") in ("attached", "available")]
            vid = att[0] if att else None
            if vid is None or keep(vid):
                eigws.append(EgressOnlyInternetGateway(egress_only_internet_gateway_id=g["EgressOnlyInternetGatewayId"],
                                                       vpc_id=vid, name=_name(g)))

        enis = {e["NetworkInterfaceId"]: e for e in self.get("enis", [])}
        self._taken = {a.get("PrivateIpAddress") for e in enis.values() for a in e.get("PrivateIpAddresses", ())}
        nats = []
        nat_enis: set[str] = set()
        for n in self.get("nats", []):
            if n.get("State") in ("deleted", "deleting", "failed") or not keep(n.get("VpcId")):
                continue
            addrs = n.get("NatGatewayAddresses") or [{}]
            primary = next((a for a in addrs if a.get("IsPrimary")), addrs[0])
            nat_enis.update(a.get("NetworkInterfaceId", "") for a in addrs)
            sub = sub_by_id.get(n.get("SubnetId", ""))
            priv = primary.get("PrivateIp")
            if priv and sub is not None and not _inside(priv, sub):
                st.warn(f"{n['NatGatewayId']}: private IP {priv} is outside its subnet {sub.subnet_id}; ignored")
                priv = None
            nats.append(NatGateway(nat_gateway_id=n["NatGatewayId"], subnet_id=n.get("SubnetId", ""),
                                   connectivity_type=(n.get("ConnectivityType") or "public").lower(),
                                   state=n.get("State", "available"), public_ip=primary.get("PublicIp"),
                                   private_ip=priv, name=_name(n)))

        endpoints = []
        ep_enis: set[str] = set()
        for e in self.get("endpoints", []):
            if not keep(e.get("VpcId")) or e.get("State", "").lower() in ("deleted", "deleting", "failed", "rejected"):
                continue
            endpoints.append(self._endpoint(e, enis, sub_by_id, pls))
            ep_enis.update(e.get("NetworkInterfaceIds", ()))
        endpoints += aws_transit.firewall_endpoints(self, keep, {x.vpc_endpoint_id for x in endpoints})

        route_tables = [self._route_table(rt, endpoints, pls) for rt in self.get("route_tables", [])
                        if keep(rt.get("VpcId"))]
        route_tables = self._mark_blackholes(route_tables, igws, eigws, nats, endpoints)

        sgs = [_sg(g) for g in self.get("sgs", []) if keep(g.get("VpcId"))]
        nacls = [_nacl(a) for a in self.get("nacls", []) if keep(a.get("VpcId"))]

        hosts = []
        for e in enis.values():
            eid = e["NetworkInterfaceId"]
            if eid in ep_enis or eid in nat_enis or not keep(e.get("VpcId")):
                continue
            if e.get("InterfaceType", "interface") not in ("interface", "efa", "branch", "trunk"):
                continue  # lambda, nat_gateway, vpc_endpoint, load balancers, ... are not hosts
            sub = sub_by_id.get(e.get("SubnetId", ""))
            ip = e.get("PrivateIpAddress")
            if sub is None or not ip:
                continue
            if not _inside(ip, sub):
                st.warn(f"{eid}: address {ip} is outside its subnet {sub.subnet_id}; left out")
                continue
            att = e.get("Attachment") or {}
            desc = e.get("Description", "")
            kind = "ec2" if att.get("InstanceId") else "rds" if desc.startswith("RDSNetworkInterface") else "eni"
            pub = (e.get("Association") or {}).get("PublicIp")
            hosts.append(Host(host_id=eid, subnet_id=sub.subnet_id, private_ip=ip, kind=kind,
                              name=att.get("InstanceId") or _name(e, "TagSet") or desc[:60],
                              security_group_ids=tuple(g["GroupId"] for g in e.get("Groups", ())),
                              public_ip=pub, source_dest_check=bool(e.get("SourceDestCheck", True)),
                              network_interface_id=eid))

        pcx = []
        for p in self.get("pcx", []):
            status = (p.get("Status") or {}).get("Code", "active")
            if status in ("deleted", "rejected", "failed", "expired"):
                continue
            req = (p.get("RequesterVpcInfo") or {}).get("VpcId", "")
            acc = (p.get("AccepterVpcInfo") or {}).get("VpcId", "")
            if vpc_ids and not (req in vpc_set or acc in vpc_set):
                continue
            dns = ((p.get("RequesterVpcInfo") or {}).get("PeeringOptions") or {}).get("AllowDnsResolutionFromRemoteVpc", False)
            pcx.append(PeeringConnection(vpc_peering_connection_id=p["VpcPeeringConnectionId"], requester_vpc_id=req,
                                         accepter_vpc_id=acc, status=status, allow_dns_resolution=bool(dns),
                                         name=_name(p)))

        functions = []
        for f in self.get("functions", []):
            fn = _function(f, sub_by_id)
            if fn is None:
                continue
            if vpc_ids and not any(s in sub_by_id for s in fn.subnet_ids):
                continue  # outside the VPCs asked about
            functions.append(fn)
        role_arns = {f.role for f in functions}
        roles = []
        for arn in sorted(role_arns):
            got = self._role(arn)
            if got is not None:
                roles.append(got)
            if roles and roles[-1].arn == arn and roles[-1].error:
                st.unknown(arn, roles[-1].error, _action_of(roles[-1].error))
            elif roles and roles[-1].arn == arn and roles[-1].boundary_error:
                # only the permissions boundary is unknown: a part the user should see named
                st.unknown(f"{arn} permissions boundary", roles[-1].boundary_error,
                           _action_of(roles[-1].boundary_error))
        resources = self._resources()
        tgws, tgw_atts, tgw_rtbs = aws_transit.build(self, sub_by_id)
        zones = aws_transit.build_zones(self, endpoints, vpc_set)
        for w in st.warnings:
            self.say(f"warning: {w}")
        name = f"{self.account} {region}" + (f" ({', '.join(self.o.vpc_ids)})" if self.o.vpc_ids else "")
        return Network(
            region=region, account_id=self.account, name=name,
            description=f"read from AWS account {self.account} in {region}",
            source=f"aws:{self.account}/{region}", vpcs=tuple(vpcs), subnets=tuple(subnets),
            route_tables=tuple(route_tables), internet_gateways=tuple(igws),
            egress_only_internet_gateways=tuple(eigws), nat_gateways=tuple(nats),
            vpc_endpoints=tuple(endpoints), prefix_lists=tuple(pls.values()), security_groups=tuple(sgs),
            network_acls=tuple(nacls), hosts=tuple(hosts), peering_connections=tuple(pcx),
            private_hosted_zones=tuple(zones), transit_gateways=tuple(tgws),
            transit_gateway_attachments=tuple(tgw_atts), transit_gateway_route_tables=tuple(tgw_rtbs),
            functions=tuple(functions), roles=tuple(roles), resources=tuple(resources),
            targets=self.targets, unknowns=tuple(st.unknowns) + (_RESOURCE_POLICIES_UNREAD,),
            external_hosts=_external_hosts(self.targets),
        )

    def _vpc(self, v: dict, dhcp: dict) -> Vpc:
        vid = v["VpcId"]
        cidrs = [a["CidrBlock"] for a in v.get("CidrBlockAssociationSet", ())
                 if (a.get("CidrBlockState") or {}).get("State", "associated") == "associated"]
        if v.get("CidrBlock") and v["CidrBlock"] in cidrs:
            cidrs.remove(v["CidrBlock"])
        cidrs = ([v["CidrBlock"]] if v.get("CidrBlock") else []) + cidrs
        v6 = [a["Ipv6CidrBlock"] for a in v.get("Ipv6CidrBlockAssociationSet", ())
              if (a.get("Ipv6CidrBlockState") or {}).get("State", "associated") == "associated" and a.get("Ipv6CidrBlock")]
        attrs = {}
        for attr, key in (("enableDnsSupport", "EnableDnsSupport"), ("enableDnsHostnames", "EnableDnsHostnames")):
            got = self.get(f"attr:{vid}:{attr}")
            # without the attribute, assume AWS's default for a new VPC (support on, hostnames off);
            # the unknown recorded for it names the missing permission
            attrs[attr] = bool(((got or {}).get(key) or {}).get("Value", attr == "enableDnsSupport"))
        d = dhcp.get(v.get("DhcpOptionsId", "default"), DhcpOptions(dhcp_options_id=v.get("DhcpOptionsId", "default")))
        return Vpc(vpc_id=vid, cidr_blocks=tuple(cidrs), ipv6_cidr_blocks=tuple(v6),
                   enable_dns_support=attrs["enableDnsSupport"], enable_dns_hostnames=attrs["enableDnsHostnames"],
                   dhcp_options=d, name=_name(v), is_default=bool(v.get("IsDefault")), tags=_tags(v),
                   owner_id=v.get("OwnerId", ""))

    def _vpcs_from_parts(self, subnets: list[Subnet]) -> list[Vpc]:
        """DescribeVpcs failed: VPCs with the CIDRs their route tables' local routes show."""
        cidrs: dict[str, list[str]] = {}
        for rt in self.get("route_tables", []):
            for r in rt.get("Routes", ()):
                if r.get("GatewayId") == "local" and r.get("DestinationCidrBlock"):
                    cidrs.setdefault(rt["VpcId"], [])
                    if r["DestinationCidrBlock"] not in cidrs[rt["VpcId"]]:
                        cidrs[rt["VpcId"]].append(r["DestinationCidrBlock"])
        for s in subnets:
            cidrs.setdefault(s.vpc_id, [])
            if not cidrs[s.vpc_id] and s.cidr_block:
                cidrs[s.vpc_id].append(s.cidr_block)
        return [Vpc(vpc_id=vid, cidr_blocks=tuple(c)) for vid, c in sorted(cidrs.items()) if c]

    def _endpoint(self, e: dict, enis: dict, sub_by_id: dict, pls: dict) -> VpcEndpoint:
        etype = e.get("VpcEndpointType", "Gateway")
        enilist = []
        for i, eid in enumerate(e.get("NetworkInterfaceIds", ())):
            raw = enis.get(eid) or {}
            sid = raw.get("SubnetId", "")
            ip = raw.get("PrivateIpAddress", "")
            sub = sub_by_id.get(sid)
            if sub is not None and ip and not _inside(ip, sub):
                self.st.warn(f"{e['VpcEndpointId']}: ENI {eid} has address {ip} outside its subnet {sid}; "
                             "a stand-in address in the subnet is used")
                ip = ""
            if sub is not None and not ip:
                ip = _stand_in(sub, self._taken)
            if sid:
                enilist.append(EndpointEni(subnet_id=sid, private_ip=ip, network_interface_id=eid))
        # the endpoint's own subnets when its ENIs could not be read
        have = {x.subnet_id for x in enilist}
        for i, sid in enumerate(e.get("SubnetIds", ())):
            if sid not in have and sid in sub_by_id:
                enilist.append(EndpointEni(subnet_id=sid, private_ip=_stand_in(sub_by_id[sid], self._taken)))
        pol = None
        if e.get("PolicyDocument"):
            try:
                pol = _policy(e["PolicyDocument"], f"{e['VpcEndpointId']} policy")
            except PolicyError as err:
                self.st.unknown(e["VpcEndpointId"], f"its policy could not be parsed: {err}")
        interface = etype.lower() == "interface"
        dns_opts = e.get("DnsOptions") or {}
        return VpcEndpoint(
            vpc_endpoint_id=e["VpcEndpointId"], vpc_id=e.get("VpcId", ""), service_name=e.get("ServiceName", ""),
            vpc_endpoint_type=etype, state=e.get("State", "available").lower(),
            route_table_ids=tuple(e.get("RouteTableIds", ())),
            subnet_ids=tuple(e.get("SubnetIds", ())) if interface else (), enis=tuple(enilist),
            # an interface endpoint's security groups are the endpoint's (Groups), not its ENIs'
            # (moto reports the VPC's default group on the ENIs)
            security_group_ids=tuple(g["GroupId"] for g in e.get("Groups", ())),
            private_dns_enabled=bool(e.get("PrivateDnsEnabled")) if interface else False,
            private_dns_only_for_inbound_resolver_endpoint=bool(
                dns_opts.get("PrivateDnsOnlyForInboundResolverEndpoint", True)),
            policy=pol, name=_name(e))

    def _route_table(self, rt: dict, endpoints: list[VpcEndpoint], pls: dict) -> RouteTable:
        rid = rt["RouteTableId"]
        routes = []
        for r in rt.get("Routes", ()):
            dest = r.get("DestinationCidrBlock") or r.get("DestinationIpv6CidrBlock") or r.get("DestinationPrefixListId")
            target = (r.get("GatewayId") or r.get("NatGatewayId") or r.get("TransitGatewayId")
                      or r.get("VpcPeeringConnectionId") or r.get("EgressOnlyInternetGatewayId")
                      # an instance route also names the instance's ENI: the ENI is the hop (hosts are ENIs)
                      or r.get("NetworkInterfaceId") or r.get("InstanceId") or r.get("LocalGatewayId")
                      or r.get("CarrierGatewayId") or r.get("CoreNetworkArn") or "")
            if not dest or not target:
                continue
            state = "blackhole" if r.get("State") == "blackhole" else "active"
            origin = "propagated" if r.get("Origin") == "EnableVgwRoutePropagation" else "static"
            routes.append(Route(destination=dest, target=target, state=state, origin=origin))
        # a gateway endpoint's route comes from its route-table association as well
        for e in endpoints:
            if e.is_gateway and rid in e.route_table_ids and not any(r.target == e.vpc_endpoint_id for r in routes):
                pl = self._managed_list_for(e.service_name)
                plid = pl["PrefixListId"] if pl else managed_prefix_list_id(e.service, e.region)
                failed = self.st.raw.get("prefix_lists")
                if pl is None and isinstance(failed, _Failed):
                    self.st.unknown(plid, failed.why, "ec2:DescribeManagedPrefixLists")
                if plid not in pls:
                    pls[plid] = PrefixList(prefix_list_id=plid,
                                           prefix_list_name=managed_prefix_list_name(e.service, e.region), managed=True)
                routes.append(Route(destination=plid, target=e.vpc_endpoint_id))
        main = any(a.get("Main") for a in rt.get("Associations", ()))
        subs = tuple(a["SubnetId"] for a in rt.get("Associations", ())
                     if a.get("SubnetId") and (a.get("AssociationState") or {}).get("State", "associated") == "associated")
        return RouteTable(route_table_id=rid, vpc_id=rt.get("VpcId", ""), routes=tuple(routes), subnet_ids=subs,
                          main=main, name=_name(rt))

    def _mark_blackholes(self, tables, igws, eigws, nats, endpoints) -> list[RouteTable]:
        """A route to a target that no longer exists is a blackhole (AWS reports it so; moto keeps
        it active). Only for target types that were read completely."""
        known_kinds = self.st.unknown_kinds()
        live = {  # by the Network collection of the target's kind (model/route_targets.py)
            "internet_gateways": {g.internet_gateway_id for g in igws},
            "egress_only_internet_gateways": {g.egress_only_internet_gateway_id for g in eigws},
            "nat_gateways": {n.nat_gateway_id for n in nats},
            "vpc_endpoints": {e.vpc_endpoint_id for e in endpoints},
        }
        out = []
        for rt in tables:
            routes = []
            for r in rt.routes:
                k = route_target_kind(r.target)
                ids = live.get(k.collection) if k is not None else None
                if k is not None and k.collection == "vpc_endpoints" and "network_firewalls" in known_kinds:
                    ids = None  # a firewall endpoint vpctui could not read is not a deleted endpoint
                if ids is not None and r.state == "active" and k.collection not in known_kinds and r.target not in ids:
                    r = replace(r, state="blackhole")
                routes.append(r)
            out.append(replace(rt, routes=tuple(routes)))
        return out

    def _resources(self) -> list[Resource]:
        out: list[Resource] = []
        seen: dict[tuple[str, str], int] = {}
        keys: dict[str, Resource] = {}
        for t in self.targets:
            svc, name = _resource_of(t)
            if not name:
                continue
            if (svc, name) in seen:
                if svc == "s3":  # another object of a bucket already listed
                    key = t[5:].partition("/")[2]
                    prev = out[seen[(svc, name)]]
                    if key and key not in prev.objects:
                        out[seen[(svc, name)]] = replace(prev, objects=prev.objects + (key,))
                continue
            got = self.st.raw.get(f"bucket:{name}" if svc == "s3" else f"res:{svc}:{name}")
            info = got if isinstance(got, dict) else {"error": getattr(got, "why", "not read")}
            pol, err = None, info.get("error")
            what = {"s3": "bucket policy", "dynamodb": "table's resource policy", "sqs": "queue policy",
                    "secretsmanager": "secret's resource policy"}.get(svc)
            if info.get("policy") and what:
                try:
                    pol = _policy(info["policy"], f"{name} {what}")
                except PolicyError as e:
                    err = err or f"the {what} could not be parsed: {e}"
            kms_arn = ""
            if info.get("kms"):
                kms_arn = self._kms_resource(info["kms"], keys)
            if svc == "s3":
                key = t[5:].partition("/")[2]
                res = Resource(service="s3", name=name, region=info.get("region") or self.region,
                               arn=f"arn:aws:s3:::{name}", policy=pol, policy_error=err,
                               objects=(key,) if key else (), account_id=self.account)
            elif svc == "ssm":
                # no resource policy: only whether a customer key encrypts it (and that key's policy)
                res = Resource(service="ssm", name=name, region=self.region,
                               arn=f"arn:aws:ssm:{self.region}:{self.account}:parameter/{name.lstrip('/')}",
                               account_id=self.account, kms_key_arn=kms_arn,
                               policy_error=None)
                if err:
                    self.st.unknown(res.arn, f"whether {name} is encrypted with a customer managed KMS key is not known ({err})",
                                    "ssm:DescribeParameters")
            else:
                arn = info.get("arn") or _RESOURCE_ARNS[svc].format(r=self.region, a=self.account, n=name)
                res = Resource(service=svc, name=name, region=self.region, arn=arn, policy=pol, policy_error=err,
                               account_id=self.account, kms_key_arn=kms_arn,
                               arn_known=bool(info.get("arn")) or svc != "secretsmanager")
                if info.get("kms_error"):
                    self.st.unknown(f"{arn}:kms", f"whether {name} is encrypted with a customer managed KMS key is not "
                                    f"known ({info['kms_error']})", "secretsmanager:DescribeSecret")
            if err and svc != "ssm":
                self.st.unknown(res.arn, f"the {what} of {name} could not be read ({err})", _action_of(err))
            seen[(svc, name)] = len(out)
            out.append(res)
        return out + list(keys.values())

    def _kms_resource(self, key: str, keys: dict[str, Resource]) -> str:
        """The customer managed key's ARN ("" for an AWS managed key); its Resource into ``keys``."""
        got = self.st.raw.get(f"res:kms:{key}")
        if got is None:
            return ""  # an AWS managed key (alias/aws/...): not read, its policy is AWS's
        info = got if isinstance(got, dict) else {"error": getattr(got, "why", "not read")}
        if info.get("manager") == "AWS":
            return ""
        arn = info.get("arn") or (key if key.startswith("arn:") else
                                  f"arn:aws:kms:{self.region}:{self.account}:{key if key.startswith('alias/') else 'key/' + key}")
        pol, err = None, info.get("error")
        if info.get("policy"):
            try:
                pol = _policy(info["policy"], f"{key} key policy")
            except PolicyError as e:
                err = err or f"the key policy could not be parsed: {e}"
        if err:
            self.st.unknown(arn, f"the key policy of {key} could not be read ({err})", _action_of(err))
        keys.setdefault(arn, Resource(service="kms", name=arn, region=self.region, arn=arn, policy=pol,
                                      policy_error=err, account_id=self.account))
        return arn


_RESOURCE_ARNS = {
    "dynamodb": "arn:aws:dynamodb:{r}:{a}:table/{n}",
    "sqs": "arn:aws:sqs:{r}:{a}:{n}",
    "secretsmanager": "arn:aws:secretsmanager:{r}:{a}:secret:{n}",
}


def _resource_of(target: str) -> tuple[str, str]:
    """(service, resource name) a target names (s3, dynamodb, sqs, secretsmanager, ssm), or ("", "")."""
    if target.startswith("s3://"):
        return "s3", target[5:].split("/", 1)[0]
    head, sep, tail = target.partition(":")
    if sep and head in ("dynamodb", "sqs", "secretsmanager", "ssm") and tail and not tail.isdigit():
        if "*" in tail or "?" in tail:
            return "", ""  # a pattern (a default target from a policy): nothing to read by name
        return head, tail
    return "", ""


def _action_of(why: str) -> str:
    head = why.split(":", 2)
    return f"{head[0]}:{head[1]}" if len(head) >= 2 and head[0].isalnum() and " " not in head[1] else ""  # s3, ec2: digits


@dataclass(frozen=True)
class _Failed:
    why: str
    code: str


# --------------------------------------------------------------------------------------------------
# One AWS item -> one model value


def _name(item: dict, key: str = "Tags") -> str:
    for t in item.get(key) or ():
        if t.get("Key") == "Name":
            return str(t.get("Value", ""))
    return ""


def _tags(item: dict) -> tuple[tuple[str, str], ...]:
    return tuple((str(t.get("Key")), str(t.get("Value", ""))) for t in item.get("Tags") or () if t.get("Key") != "Name")


def _inside(ip: str, sub: Subnet) -> bool:
    try:
        return sub.contains(ipaddress.ip_address(ip))
    except ValueError:
        return False


def _stand_in(sub: Subnet, taken: set) -> str:
    """A free address in the subnet for an endpoint ENI whose address is not known (the scenario
    loader's rule: .200 upwards, then .4 upwards, skipping addresses in use)."""
    if not sub.cidr_block:
        return ""
    from .scenario import free_address  # lazily: len(taken) + 1 candidates, never the whole subnet

    ip = free_address(ipaddress.ip_network(sub.cidr_block), taken)
    if ip is None:
        return ""
    taken.add(ip)
    return ip


def _policy(doc: Any, name: str) -> Policy:
    if isinstance(doc, str) and doc.lstrip().startswith("%7B"):
        doc = urllib.parse.unquote(doc)
    return Policy.from_document(doc, name=name)


def _dhcp(d: dict) -> DhcpOptions:
    servers: tuple[str, ...] = ("AmazonProvidedDNS",)
    for c in d.get("DhcpConfigurations", ()):
        if c.get("Key") == "domain-name-servers":
            servers = tuple(v.get("Value", "") for v in c.get("Values", ()) if v.get("Value"))
    # whether a custom resolver forwards amazonaws.com to the VPC resolver cannot be read from
    # the API; the model's default (it does) is kept
    return DhcpOptions(dhcp_options_id=d["DhcpOptionsId"], domain_name_servers=servers or ("AmazonProvidedDNS",))


def _subnet(s: dict) -> Subnet:
    v6 = [a["Ipv6CidrBlock"] for a in s.get("Ipv6CidrBlockAssociationSet", ())
          if (a.get("Ipv6CidrBlockState") or {}).get("State", "associated") == "associated" and a.get("Ipv6CidrBlock")]
    return Subnet(subnet_id=s["SubnetId"], vpc_id=s.get("VpcId", ""), availability_zone=s.get("AvailabilityZone", ""),
                  cidr_block=s.get("CidrBlock") or None, ipv6_cidr_block=v6[0] if v6 else None,
                  map_public_ip_on_launch=bool(s.get("MapPublicIpOnLaunch")),
                  available_ip_address_count=s.get("AvailableIpAddressCount"), name=_name(s), tags=_tags(s),
                  owner_id=s.get("OwnerId", ""))  # a RAM-shared subnet names its owner account


def _ports(perm: dict, proto: str) -> PortRange:
    if proto in ("-1", "icmp", "icmpv6"):
        return ALL_PORTS
    lo, hi = perm.get("FromPort"), perm.get("ToPort")
    if lo is None or hi is None or lo < 0 or hi < 0:
        return ALL_PORTS
    return PortRange(int(lo), int(hi))


def _sg_rules(perms: list) -> tuple[SgRule, ...]:
    out = []
    for p in perms:
        proto = _NACL_PROTOCOLS.get(str(p.get("IpProtocol", "-1")).lower(), str(p.get("IpProtocol")))
        ports = _ports(p, proto)
        for r in p.get("IpRanges", ()):
            out.append(SgRule(protocol=proto, ports=ports, cidr=r["CidrIp"], description=r.get("Description", "")))
        for r in p.get("Ipv6Ranges", ()):
            out.append(SgRule(protocol=proto, ports=ports, cidr=r["CidrIpv6"], description=r.get("Description", "")))
        for r in p.get("PrefixListIds", ()):
            out.append(SgRule(protocol=proto, ports=ports, prefix_list_id=r["PrefixListId"], description=r.get("Description", "")))
        for r in p.get("UserIdGroupPairs", ()):
            if r.get("GroupId"):
                out.append(SgRule(protocol=proto, ports=ports, group_id=r["GroupId"], description=r.get("Description", "")))
    return tuple(out)


def _sg(g: dict) -> SecurityGroup:
    return SecurityGroup(group_id=g["GroupId"], vpc_id=g.get("VpcId", ""), group_name=g.get("GroupName", ""),
                         description=g.get("Description", ""), ingress=_sg_rules(g.get("IpPermissions", [])),
                         egress=_sg_rules(g.get("IpPermissionsEgress", [])),
                         is_default=g.get("GroupName") == "default", tags=_tags(g))


def _nacl(a: dict) -> NetworkAcl:
    entries = []
    for e in a.get("Entries", ()):
        n = int(e.get("RuleNumber", 0))
        if n >= 32767:
            continue  # the implicit final deny: a packet no rule matches is denied anyway
        proto = _NACL_PROTOCOLS.get(str(e.get("Protocol", "-1")), str(e.get("Protocol")))
        pr = e.get("PortRange") or {}
        ports = (PortRange(int(pr.get("From", 0)), int(pr.get("To", 65535)))
                 if proto in ("tcp", "udp") and pr else ALL_PORTS)
        entries.append(NaclEntry(rule_number=n, egress=bool(e.get("Egress")),
                                 rule_action=str(e.get("RuleAction", "deny")).lower(), protocol=proto, ports=ports,
                                 cidr_block=e.get("CidrBlock") or e.get("Ipv6CidrBlock") or "0.0.0.0/0"))
    entries.sort(key=lambda x: (x.egress, x.rule_number))
    subs = tuple(x["SubnetId"] for x in a.get("Associations", ()) if x.get("SubnetId"))
    return NetworkAcl(network_acl_id=a["NetworkAclId"], vpc_id=a.get("VpcId", ""), is_default=bool(a.get("IsDefault")),
                      entries=tuple(entries), subnet_ids=subs, name=_name(a))


def _function(f: dict, sub_by_id: dict) -> Optional[LambdaFunction]:
    vc = f.get("VpcConfig") or {}
    # the function's VPC is the VPC of its subnets; VpcConfig.VpcId is not used (moto reports a
    # made-up one)
    subs = tuple(vc.get("SubnetIds") or ())
    sgs = tuple(vc.get("SecurityGroupIds") or ())
    env = ((f.get("Environment") or {}).get("Variables") or {})
    sts = str(env.get("AWS_STS_REGIONAL_ENDPOINTS", "")).lower()
    sts = sts if sts in ("regional", "legacy") else ""
    # only the variables that change which endpoint the SDK calls (SDK-1..SDK-5); values of others
    # (secrets, often) are not kept
    sdk_env = tuple((k, str(v)) for k, v in sorted(env.items())
                    if k.startswith("AWS_ENDPOINT_URL") or k in _SDK_ENDPOINT_VARS)
    state = f.get("State") or "Active"  # ListFunctions does not return State in AWS (GetFunction does)
    return LambdaFunction(
        function_name=f["FunctionName"], role=f.get("Role", ""), subnet_ids=subs,
        security_group_ids=sgs if subs else (), ipv6_allowed_for_dual_stack=bool(vc.get("Ipv6AllowedForDualStack")),
        timeout=float(f.get("Timeout", 3)), runtime=f.get("Runtime", ""), sts_regional_endpoints=sts,
        state=state, state_reason_code=f.get("StateReasonCode", "") if state in ("Failed", "Inactive") else "",
        arn=f.get("FunctionArn", ""), environment=sdk_env)


_SDK_ENDPOINT_VARS = ("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "AWS_STS_REGIONAL_ENDPOINTS", "AWS_USE_DUALSTACK_ENDPOINT",
                      "AWS_USE_FIPS_ENDPOINT")


def _external_hosts(targets) -> tuple:
    """The internet names the user asked about (--to https://NAME): an account does not say which
    external names exist, so the ones the user names are taken as declared (DNS-10)."""
    from ..model.network import ExternalHost
    from ..model.services import service_for_hostname

    out = []
    for t in targets:
        if t.lower().startswith(("https://", "http://")):
            host = t.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0].lower()
            if host and not host[0].isdigit() and service_for_hostname(host) is None and not host.endswith(".amazonaws.com"):
                if host not in [e.name for e in out]:
                    out.append(ExternalHost(host))
    return tuple(out)
