"""The service catalog: data about AWS service endpoints, not code paths (rule book §10).

For each service: the hostname the SDKs call by default, other names some SDKs call, whether a
gateway and/or interface endpoint exists, which names an interface endpoint's private DNS covers,
whether the default name has an AAAA record, and how an authorization failure looks.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import Optional


@dataclass(frozen=True)
class Service:
    name: str  # short name: s3, ssm, ecr.api
    title: str
    hostname: str  # template with {region}
    gateway_endpoint: bool = False
    interface_endpoint: bool = True
    # Hostname patterns (fnmatch, {region} substituted) that interface-endpoint private DNS answers.
    private_dns_covers: tuple[str, ...] = ()
    private_dns_default: bool = True  # private DNS on by default when the endpoint is created
    aaaa: bool = False  # does the default hostname have an AAAA record? (R1.8)
    authz_status: int = 400
    authz_code: str = "AccessDeniedException"
    # Names some SDKs call that private DNS does not cover: (template, why)
    uncovered_names: tuple[tuple[str, str], ...] = ()
    default_action: str = ""  # the action a bare "service" target stands for ("" = none checked)
    arn_service: str = ""

    def host(self, region: str) -> str:
        return self.hostname.format(region=region)

    def covers(self, hostname: str, region: str) -> bool:
        return any(fnmatchcase(hostname, p.format(region=glob_literal(region))) for p in self.private_dns_covers)


def _svc(name, title, **kw) -> Service:
    kw.setdefault("hostname", f"{name}.{{region}}.amazonaws.com")
    kw.setdefault("private_dns_covers", (kw["hostname"],))
    return Service(name, title, **kw)


CATALOG: dict[str, Service] = {
    s.name: s
    for s in (
        _svc("s3", "Amazon S3", gateway_endpoint=True, interface_endpoint=True,
             private_dns_covers=("s3.{region}.amazonaws.com", "*.s3.{region}.amazonaws.com"),
             private_dns_default=False, authz_status=403, authz_code="AccessDenied",
             uncovered_names=(("s3.amazonaws.com", "the legacy global S3 name; PrivateLink for S3 does not serve it"),),
             default_action="s3:ListAllMyBuckets"),
        _svc("dynamodb", "Amazon DynamoDB", gateway_endpoint=True, interface_endpoint=True,
             private_dns_covers=(), private_dns_default=False, authz_status=403,
             default_action="dynamodb:ListTables"),
        _svc("ssm", "AWS Systems Manager (Parameter Store)", default_action="ssm:DescribeParameters"),
        _svc("secretsmanager", "AWS Secrets Manager", default_action="secretsmanager:ListSecrets"),
        _svc("sts", "AWS STS", authz_status=403, authz_code="AccessDenied",
             uncovered_names=(("sts.amazonaws.com", "the global STS name; an STS endpoint's private DNS covers only sts.{region}.amazonaws.com"),),
             default_action=""),
        _svc("sqs", "Amazon SQS",
             private_dns_covers=("sqs.{region}.amazonaws.com", "sqs.{region}.api.aws"), aaaa=True,
             uncovered_names=(("{region}.queue.amazonaws.com", "a legacy SQS name that private DNS does not cover"),
                              ("queue.amazonaws.com", "a legacy SQS name that private DNS does not cover")),
             default_action="sqs:ListQueues"),
        _svc("kms", "AWS KMS", default_action="kms:ListKeys"),
        _svc("logs", "Amazon CloudWatch Logs", default_action="logs:DescribeLogGroups"),
        _svc("sns", "Amazon SNS", authz_status=403, authz_code="AuthorizationError",
             default_action="sns:ListTopics"),
        _svc("ecr.api", "Amazon ECR API", hostname="api.ecr.{region}.amazonaws.com",
             default_action="ecr:DescribeRepositories", arn_service="ecr"),
        _svc("ecr.dkr", "Amazon ECR Docker registry", hostname="*.dkr.ecr.{region}.amazonaws.com",
             private_dns_covers=("*.dkr.ecr.{region}.amazonaws.com",), default_action="",
             arn_service="ecr"),
        _svc("lambda", "AWS Lambda", authz_status=403, default_action="lambda:ListFunctions"),
        _svc("events", "Amazon EventBridge", default_action="events:ListRules"),
        _svc("ec2", "Amazon EC2", authz_status=403, authz_code="UnauthorizedOperation",
             default_action="ec2:DescribeVpcs"),
    )
}

# Real ids of the AWS-managed prefix lists in us-east-1; elsewhere a stable made-up id is used.
_MANAGED_PL_IDS = {("s3", "us-east-1"): "pl-63a5400a", ("dynamodb", "us-east-1"): "pl-02cd2c6b"}


def managed_prefix_list_id(service: str, region: str) -> str:
    known = _MANAGED_PL_IDS.get((service, region))
    if known:
        return known
    return "pl-" + hashlib.sha1(f"{service}.{region}".encode()).hexdigest()[:8]


def managed_prefix_list_name(service: str, region: str) -> str:
    return f"com.amazonaws.{region}.{service}"


def public_address(service: str, region: str) -> ipaddress.IPv4Address:
    """A stable stand-in public IPv4 address for a service's regional name.

    The engine needs an address to match routes and filters against; real answers rotate. The
    address is drawn from 52.0.0.0/8-like public space and is the same for a (service, region).
    """
    h = hashlib.sha1(f"{service}|{region}".encode()).digest()
    return ipaddress.IPv4Address(bytes([52, 64 + h[0] % 64, h[1], 1 + h[2] % 250]))


def public_address_v6(service: str, region: str) -> ipaddress.IPv6Address:
    h = hashlib.sha1(f"{service}|{region}|6".encode()).digest()
    return ipaddress.IPv6Address(b"\x26\x00\x1f\x18" + h[:12])


def internet_address(hostname: str) -> ipaddress.IPv4Address:
    """A stable stand-in public address for an arbitrary internet hostname."""
    h = hashlib.sha1(hostname.encode()).digest()
    return ipaddress.IPv4Address(bytes([34 + h[0] % 20, h[1], h[2], 1 + h[3] % 250]))


def glob_literal(text: str) -> str:
    """``text`` inside an fnmatch pattern as itself: a Region or a host label is data, never a
    pattern (a Region of 20,000 ``[`` took 32 s to match as one)."""
    return _GLOB_SPECIAL.sub(r"[\1]", text)


_GLOB_SPECIAL = re.compile(r"([\[\]*?])")


@lru_cache(maxsize=4096)
def service_for_hostname(hostname: str) -> Optional[tuple[Service, str, bool]]:
    """Which catalog service a hostname belongs to: (service, region, is_uncovered_legacy_name)."""
    host = hostname.lower().rstrip(".")
    parts = host.split(".")
    if not host.endswith(".amazonaws.com") and not host.endswith(".api.aws"):
        return None
    if host.endswith(".vpce.amazonaws.com"):
        return None  # endpoint-specific names are handled by the DNS hop
    for svc in CATALOG.values():
        for tmpl, _why in svc.uncovered_names:
            if "{region}" in tmpl:
                # e.g. us-east-1.queue.amazonaws.com
                suffix = tmpl.split("{region}", 1)[1]
                if host.endswith(suffix) and len(parts) == len(tmpl.split(".")):
                    return svc, parts[0], True
            elif host == tmpl:
                return svc, "", True
    for svc in CATALOG.values():
        # find the region label: the label after the service's prefix labels
        tmpl_parts = svc.hostname.split(".")
        if len(tmpl_parts) != len(parts) and not svc.hostname.startswith("*"):
            # virtual-hosted S3 names have one more label: bucket.s3.region.amazonaws.com
            if not (svc.name == "s3" and len(parts) >= len(tmpl_parts) + 1):
                continue
        for i, tp in enumerate(tmpl_parts):
            if tp == "{region}":
                offset = len(parts) - len(tmpl_parts)
                j = i + offset
                if 0 <= j < len(parts):
                    region = parts[j]
                    lit = glob_literal(region)
                    if fnmatchcase(host, svc.hostname.format(region=lit)) or (
                        svc.name == "s3" and fnmatchcase(host, "*.s3.{region}.amazonaws.com".format(region=lit))
                    ):
                        return svc, region, False
    return None


def uncovered_reason(svc: Service, hostname: str, region: str) -> Optional[str]:
    for tmpl, why in svc.uncovered_names:
        if tmpl.format(region=region) == hostname:
            return why.format(region=region)
    return None
