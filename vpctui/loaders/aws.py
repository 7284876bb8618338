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
unknown profile and a missing region end the load with one ``LoadError`` line.
"""

from __future__ import annotations

import ipaddress
import os
import threading
import urllib.parse
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Optional

from ..model.network import (
    ALL_PORTS, DhcpOptions, EgressOnlyInternetGateway, EndpointEni, Host, InternetGateway,
    LambdaFunction, NaclEntry, NatGateway, Network, NetworkAcl, PeeringConnection, PortRange,
    PrefixList, Resource, Role, Route, RouteTable, SecurityGroup, SgRule, Subnet, Unknown, Vpc,
    VpcEndpoint,
)
from ..model.policy import Policy, PolicyError
from ..model.route_targets import route_target_kind
from ..model.services import managed_prefix_list_id, managed_prefix_list_name
from . import AwsOptions, LoadError
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
    "iam:GetPolicyVersion",
    "s3:GetBucketLocation", "s3:GetBucketPolicy",
)

# botocore client settings: adaptive retries (client-side rate limiting on throttling), bounded
# connect/read timeouts so a dead network gives an answer instead of a hang. Module-level so tests
# can shorten them.
RETRY_ATTEMPTS = 8
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 30
# Calls in flight at once. Against AWS, whose latency dominates, more is faster; against moto's
# server (one Python process) too many concurrent requests thrash its GIL: measured on the 10x
# network, 4 workers 0.58 s, 8 0.63 s, 12 0.66 s. 8 is the default; VPCTUI_AWS_CONCURRENCY overrides.
_conc = os.environ.get("VPCTUI_AWS_CONCURRENCY", "")
MAX_WORKERS = max(1, min(64, int(_conc))) if _conc.isdigit() else 8

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

    _names = {"ec2": "ec2", "lam": "lambda", "iam": "iam", "s3": "s3", "sts": "sts"}

    def __init__(self, session, region: str, config):
        self._session, self._region, self._config = session, region, config
        self._made: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __getattr__(self, attr: str):
        if attr.startswith("_") or attr not in self._names:
            raise AttributeError(attr)
        with self._lock:
            c = self._made.get(attr)
            if c is None:
                c = self._made[attr] = self._session.client(self._names[attr], region_name=self._region,
                                                            config=self._config)
            return c


# Only the buckets named by the targets asked about are read (two calls each); any other bucket,
# queue, secret or table that a trace reaches has a resource policy vpctui has not seen.
_RESOURCE_POLICIES_UNREAD = Unknown(
    "resource_policies",
    "vpctui reads the policies of the S3 buckets named by the targets asked about (--to) only")


def _clients(session, region: str) -> _Clients:
    c = _Clients(session, region, _config())
    c.sts  # built here, so a missing profile or a bad setting shows before anything else runs
    return c


# --------------------------------------------------------------------------------------------------


@dataclass
class _State:
    """What the calls brought back (filled from worker threads; each key written once)."""

    raw: dict[str, Any] = field(default_factory=dict)
    unknowns: list[Unknown] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def unknown(self, kind: str, reason: str) -> None:
        with self.lock:
            if not any(u.kind == kind for u in self.unknowns):
                self.unknowns.append(Unknown(kind, reason))

    def warn(self, text: str) -> None:
        with self.lock:
            self.warnings.append(text)

    def unknown_kinds(self) -> set[str]:
        with self.lock:
            return {u.kind for u in self.unknowns}


def _paginate(client, op: str, key: str, **kw) -> list:
    """Every item of a paginated operation (``op`` in snake_case, ``key`` the result list)."""
    pag = client.get_paginator(op)
    out: list = []
    for page in pag.paginate(PaginationConfig={"PageSize": _PAGE_SIZE.get(op, 1000)}, **kw):
        out.extend(page.get(key, ()))
    return out


@dataclass(frozen=True)
class AwsSource:
    """A live AWS account and region, read-only (``--aws``). A ``Source`` (loaders/source.py)."""

    options: AwsOptions = AwsOptions()

    label = "aws"
    loads_fast = False  # network calls: always in a worker, with progress lines

    def load(self, progress: Optional[Progress] = None) -> Network:
        net = load_account(self.options, progress=progress)
        if self.options.redact:
            from .redact import redact_network

            net = redact_network(net)
        return net

    def title(self, network: Network) -> str:
        """The account id and region (the id masked with --redact)."""
        account = "(redacted)" if self.options.redact else network.account_id
        vpcs = f" · {len(self.options.vpc_ids)} VPCs" if self.options.vpc_ids else ""
        return f"AWS account {account} · {network.region}{vpcs}"


def load_account(options: AwsOptions, progress: Optional[Progress] = None, *, session=None) -> Network:
    """Read the network of one account and region. Raises LoadError with one line per problem.

    ``session``: a boto3 Session to use instead of one built from ``options`` (tests pass one with
    event hooks or stubbed clients)."""
    say = progress or (lambda _m: None)
    from botocore import exceptions as bx

    _profile_name.value = options.profile
    if session is None:
        session = make_session(options)
    region = options.region or session.region_name
    if not region:
        raise LoadError(["no AWS region: use --region, set AWS_REGION, or set region in the profile"])
    try:
        clients = _clients(session, region)
    except bx.ProfileNotFound as e:
        raise LoadError([f"AWS profile not found: {_one_line(str(e))}"]) from None
    except bx.BotoCoreError as e:
        raise LoadError([f"cannot set up AWS clients: {_one_line(str(e))}"]) from None
    say(f"checking credentials ({region})")
    try:
        ident = clients.sts.get_caller_identity()
    except Exception as e:  # noqa: BLE001 - turned into one line
        raise LoadError([_describe_failure("sts:GetCallerIdentity", e)]) from None
    account = ident.get("Account", "")
    say(f"account {account}, region {region}: reading the network")
    try:
        return _Loader(options, clients, region, account, say).run()
    except _Fatal as e:
        raise LoadError([str(e)]) from None


def _describe_failure(action: str, e: Exception) -> str:
    from botocore import exceptions as bx

    creds = _credentials_error(e)
    if creds:
        return creds
    if isinstance(e, (bx.EndpointConnectionError, bx.ConnectTimeoutError, bx.ReadTimeoutError,
                      bx.ConnectionClosedError)):
        return f"cannot reach AWS ({action}): {_one_line(str(e))}"
    code, msg = _err_code(e)
    return f"{action}: {code}" + (f" ({msg})" if msg else "")


class _Loader:
    def __init__(self, options: AwsOptions, clients: _Clients, region: str, account: str, say: Progress):
        self.o, self.c, self.region, self.account, self.say = options, clients, region, account, say
        self.st = _State()
        self.pool = ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="vpctui-aws")
        self.futures: list[Future] = []
        self.flock = threading.Lock()
        self.done = 0
        self.fatal: Optional[str] = None

    # ---- running calls --------------------------------------------------------------------------

    def submit(self, key: str, action: str, fn: Callable[[], Any], kind: Optional[str] = None,
               then: Optional[Callable[[Any], None]] = None, label: str = "") -> None:
        """Run ``fn`` on the pool; store its result under ``key``. On failure record ``kind`` as
        unknown (AccessDenied and friends) or end the load (credentials)."""

        def task():
            if self.fatal:
                return
            try:
                result = fn()
            except Exception as e:  # noqa: BLE001 - sorted below, never a traceback
                creds = _credentials_error(e)
                if creds:
                    self.fatal = creds
                    return
                why = _describe_failure(action, e)
                if kind:
                    self.st.unknown(kind, why)
                self.st.raw[key] = _Failed(why, _err_code(e)[0])
                self.say(f"{action}: could not read ({why})")
                return
            self.st.raw[key] = result
            with self.flock:
                self.done += 1
                n = self.done
            if label:
                count = len(result) if isinstance(result, list) else ""
                self.say(f"{label}: {count} ({n} calls done)" if count != "" else f"{label} ({n} calls done)")
            if then is not None:
                then(result)

        with self.flock:
            self.futures.append(self.pool.submit(task))

    def wait(self) -> None:
        """Wait for every task, including tasks that tasks submitted."""
        while True:
            with self.flock:
                pending = [f for f in self.futures if not f.done()]
            if not pending:
                break
            for f in pending:
                f.result()
        if self.fatal:
            raise _Fatal(self.fatal)

    def get(self, key: str, default=None):
        v = self.st.raw.get(key, default)
        return default if isinstance(v, _Failed) else v

    # ---- the load --------------------------------------------------------------------------------

    def run(self) -> Network:
        try:
            self._start()
            self.wait()
            self._second_round()
            self.wait()
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)
        net = self._build()
        self.say(f"loaded {len(net.vpcs)} VPCs, {len(net.subnets)} subnets, {len(net.functions)} functions"
                 + (f"; {len(net.unknowns)} parts unknown" if net.unknowns else ""))
        return net

    def _vpc_filter(self, name: str = "vpc-id") -> dict:
        return {"Filters": [{"Name": name, "Values": list(self.o.vpc_ids)}]} if self.o.vpc_ids else {}

    def _start(self) -> None:
        ec2, c = self.c.ec2, self.c
        P = _paginate
        vf = self._vpc_filter
        self.submit("vpcs", "ec2:DescribeVpcs", lambda: P(ec2, "describe_vpcs", "Vpcs", **vf()), "vpcs",
                    then=self._vpc_attributes, label="VPCs")
        self.submit("dhcp", "ec2:DescribeDhcpOptions", lambda: P(ec2, "describe_dhcp_options", "DhcpOptions"),
                    "dhcp_options", label="DHCP option sets")
        self.submit("subnets", "ec2:DescribeSubnets", lambda: P(ec2, "describe_subnets", "Subnets", **vf()),
                    "subnets", label="subnets")
        self.submit("route_tables", "ec2:DescribeRouteTables",
                    lambda: P(ec2, "describe_route_tables", "RouteTables", **vf()), "route_tables", label="route tables")
        self.submit("igws", "ec2:DescribeInternetGateways",
                    lambda: P(ec2, "describe_internet_gateways", "InternetGateways", **vf("attachment.vpc-id")),
                    "internet_gateways", label="internet gateways")
        self.submit("eigws", "ec2:DescribeEgressOnlyInternetGateways",
                    lambda: P(ec2, "describe_egress_only_internet_gateways", "EgressOnlyInternetGateways"),
                    "egress_only_internet_gateways", label="egress-only internet gateways")
        self.submit("nats", "ec2:DescribeNatGateways",
                    lambda: P(ec2, "describe_nat_gateways", "NatGateways", **({"Filter": vf()["Filters"]} if self.o.vpc_ids else {})),
                    "nat_gateways", label="NAT gateways")
        self.submit("endpoints", "ec2:DescribeVpcEndpoints",
                    lambda: P(ec2, "describe_vpc_endpoints", "VpcEndpoints", **vf()), "vpc_endpoints", label="VPC endpoints")
        self.submit("prefix_lists", "ec2:DescribeManagedPrefixLists",
                    lambda: P(ec2, "describe_managed_prefix_lists", "PrefixLists"), "prefix_lists", label="prefix lists")
        self.submit("sgs", "ec2:DescribeSecurityGroups",
                    lambda: P(ec2, "describe_security_groups", "SecurityGroups", **vf()), "security_groups",
                    label="security groups")
        self.submit("nacls", "ec2:DescribeNetworkAcls",
                    lambda: P(ec2, "describe_network_acls", "NetworkAcls", **vf()), "network_acls", label="network ACLs")
        self.submit("enis", "ec2:DescribeNetworkInterfaces",
                    lambda: P(ec2, "describe_network_interfaces", "NetworkInterfaces", **vf()), "network_interfaces",
                    label="network interfaces")
        self.submit("pcx", "ec2:DescribeVpcPeeringConnections",
                    lambda: P(ec2, "describe_vpc_peering_connections", "VpcPeeringConnections"),
                    "vpc_peering_connections", label="peering connections")
        self.submit("functions", "lambda:ListFunctions", lambda: P(c.lam, "list_functions", "Functions"),
                    "lambda_functions", then=self._roles, label="Lambda functions")
        for bucket in self._target_buckets():
            self._bucket(bucket)

    # ---- per-VPC, per-role, per-bucket, per-prefix-list calls -----------------------------------

    def _vpc_attributes(self, vpcs: list) -> None:
        for v in vpcs:
            vid = v["VpcId"]
            for attr in ("enableDnsSupport", "enableDnsHostnames"):
                self.submit(f"attr:{vid}:{attr}", "ec2:DescribeVpcAttribute",
                            lambda vid=vid, attr=attr: self.c.ec2.describe_vpc_attribute(VpcId=vid, Attribute=attr),
                            kind=f"{vid}:{attr}")

    def _roles(self, functions: list) -> None:
        arns = sorted({f.get("Role", "") for f in functions if f.get("Role")})
        for arn in arns:
            self.submit(f"role:{arn}", "iam:ListRolePolicies", lambda arn=arn: self._role_policies(arn))

    def _role_policies(self, arn: str) -> Role:
        """A role's inline and attached policies; any failure becomes Role.error (never raises)."""
        iam = self.c.iam
        name = arn.rsplit("/", 1)[-1]
        docs: list[Policy] = []
        action = "iam:ListRolePolicies"
        try:
            for pname in _paginate(iam, "list_role_policies", "PolicyNames", RoleName=name):
                action = "iam:GetRolePolicy"
                doc = iam.get_role_policy(RoleName=name, PolicyName=pname)["PolicyDocument"]
                docs.append(_policy(doc, f"{name}/{pname}"))
            action = "iam:ListAttachedRolePolicies"
            for att in _paginate(iam, "list_attached_role_policies", "AttachedPolicies", RoleName=name):
                action = "iam:GetPolicy"
                pol = iam.get_policy(PolicyArn=att["PolicyArn"])["Policy"]
                action = "iam:GetPolicyVersion"
                ver = iam.get_policy_version(PolicyArn=att["PolicyArn"], VersionId=pol["DefaultVersionId"])
                docs.append(_policy(ver["PolicyVersion"]["Document"], att.get("PolicyName", att["PolicyArn"])))
        except PolicyError as e:
            return Role(role_name=name, arn=arn, policies=tuple(docs), error=f"a policy of {name} could not be parsed: {e}")
        except Exception as e:  # noqa: BLE001
            creds = _credentials_error(e)
            if creds:
                raise
            return Role(role_name=name, arn=arn, policies=tuple(docs), error=_describe_failure(action, e))
        return Role(role_name=name, arn=arn, policies=tuple(docs))

    def _target_buckets(self) -> list[str]:
        out = []
        for t in self.o.targets:
            if t.startswith("s3://"):
                b = t[5:].split("/", 1)[0]
                if b and b not in out:
                    out.append(b)
        return out

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

    def _second_round(self) -> None:
        """Entries of the prefix lists that a route or a rule uses (known after the first round)."""
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
        known = {p["PrefixListId"] for p in self.get("prefix_lists", [])}
        for plid in sorted(used & known):
            self.submit(f"pl:{plid}", "ec2:GetManagedPrefixListEntries",
                        lambda plid=plid: _paginate(self.c.ec2, "get_managed_prefix_list_entries", "Entries",
                                                    PrefixListId=plid), kind=plid)
        self._used_prefix_lists = used

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
                              public_ip=pub))

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
            got = st.raw.get(f"role:{arn}")
            if isinstance(got, Role):
                roles.append(got)
            elif isinstance(got, _Failed):
                roles.append(Role(role_name=arn.rsplit("/", 1)[-1], arn=arn, error=got.why))
        resources = self._resources()
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
            functions=tuple(functions), roles=tuple(roles), resources=tuple(resources),
            targets=tuple(self.o.targets), unknowns=tuple(st.unknowns) + (_RESOURCE_POLICIES_UNREAD,),
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
                   dhcp_options=d, name=_name(v), is_default=bool(v.get("IsDefault")), tags=_tags(v))

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
                      or r.get("InstanceId") or r.get("NetworkInterfaceId") or r.get("LocalGatewayId")
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
                if ids is not None and r.state == "active" and k.collection not in known_kinds and r.target not in ids:
                    r = replace(r, state="blackhole")
                routes.append(r)
            out.append(replace(rt, routes=tuple(routes)))
        return out

    def _resources(self) -> list[Resource]:
        out = []
        for t in self.o.targets:
            if t.startswith("s3://"):
                bucket, _, key = t[5:].partition("/")
                if any(r.service == "s3" and r.name == bucket for r in out):
                    prev = next(r for r in out if r.service == "s3" and r.name == bucket)
                    if key and key not in prev.objects:
                        out[out.index(prev)] = replace(prev, objects=prev.objects + (key,))
                    continue
                got = self.st.raw.get(f"bucket:{bucket}")
                info = got if isinstance(got, dict) else {"error": getattr(got, "why", "not read")}
                pol, err = None, info.get("error")
                if info.get("policy"):
                    try:
                        pol = _policy(info["policy"], f"{bucket} bucket policy")
                    except PolicyError as e:
                        err = err or f"the bucket policy could not be parsed: {e}"
                out.append(Resource(service="s3", name=bucket, region=info.get("region") or self.region,
                                    arn=f"arn:aws:s3:::{bucket}", policy=pol, policy_error=err,
                                    objects=(key,) if key else (), account_id=self.account))
            elif t.startswith("ssm:"):
                name = t[4:]
                if name and not any(r.service == "ssm" and r.name == name for r in out):
                    out.append(Resource(service="ssm", name=name, region=self.region,
                                        arn=f"arn:aws:ssm:{self.region}:{self.account}:parameter/{name.lstrip('/')}",
                                        account_id=self.account))
        return out


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
    net = ipaddress.ip_network(sub.cidr_block)
    for i in list(range(200, net.num_addresses - 1)) + list(range(4, 200)):
        if i < net.num_addresses - 1 and str(net[i]) not in taken:
            taken.add(str(net[i]))
            return str(net[i])
    return ""


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
                  available_ip_address_count=s.get("AvailableIpAddressCount"), name=_name(s), tags=_tags(s))


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
    sts = "legacy" if str(env.get("AWS_STS_REGIONAL_ENDPOINTS", "")).lower() == "legacy" else "regional"
    state = f.get("State") or "Active"  # ListFunctions does not return State in AWS (GetFunction does)
    return LambdaFunction(
        function_name=f["FunctionName"], role=f.get("Role", ""), subnet_ids=subs,
        security_group_ids=sgs if subs else (), ipv6_allowed_for_dual_stack=bool(vc.get("Ipv6AllowedForDualStack")),
        timeout=float(f.get("Timeout", 3)), runtime=f.get("Runtime", ""), sts_regional_endpoints=sts,
        state=state, state_reason_code=f.get("StateReasonCode", "") if state in ("Failed", "Inactive") else "",
        arn=f.get("FunctionArn", ""))
