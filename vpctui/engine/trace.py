"""The trace engine: Lambda function -> target, hop by hop (rule book §0.2).

``trace(network, function_name, target)`` returns a ``Trace``: one path per configured subnet (one
Hyperplane ENI each, R1.1/R1.5). Each path walks H0..H10, records every hop, stops at nothing it can
step past: after a drop it goes on "as if that setting were fixed" wherever the next hop is still
determined, so the result lists every blocker on the path (R0.2), with the first drop as the cause
of the symptom.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from ..model.network import (
    EPHEMERAL, Host, LambdaFunction, Network, PortRange, RouteTable, SecurityGroup, Subnet, Vpc,
    VpcEndpoint,
)
from ..model.services import (
    CATALOG, internet_address, managed_prefix_list_id, public_address, public_address_v6,
    service_for_hostname, uncovered_reason,
)
from . import policy as pol
from .filters import Peer, nacl_allows, sg_allows
from .reasons import REASONS
from .result import (
    ACCESS_DENIED, BLOCKED, CONNECTION_REFUSED, DNS_FAILURE, DROP, HOP_UNKNOWN, INFO,
    INTERMITTENT, INVOKE_ERROR, OK, PASS, REACHABLE, SYMPTOM_UNKNOWN, TIMEOUT, UNKNOWN, Finding,
    Highlight, Hop, PathResult, Trace,
)
from .routing import lookup
from .targets import Target, TargetError, parse_target

_RFC1918 = tuple(ipaddress.ip_network(c) for c in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"))


_MEMO_LIMIT = 500_000
_UNFOLLOWED = ("tgw-", "vgw-", "eni-", "i-", "lgw-", "cagw-", "arn:")
_TARGET_KINDS = {"igw-": "internet_gateways", "nat-": "nat_gateways", "vpce-": "vpc_endpoints",
                 "pcx-": "vpc_peering_connections", "eigw-": "egress_only_internet_gateways"}


class TraceError(ValueError):
    """The source or target cannot be understood (a usage error, not a verdict)."""


# --------------------------------------------------------------------------------------------------
# Indices built once per network value


@dataclass(frozen=True)
class Owner:
    """What sits at an address in a VPC."""

    kind: str  # host | endpoint | nat
    subnet_id: str
    vpc_id: str
    group_ids: tuple[str, ...]
    host: Optional[Host] = None
    endpoint: Optional[VpcEndpoint] = None
    component_id: str = ""


def _owners(net: Network) -> dict[str, Owner]:
    got = net.__dict__.get("_ip_owner")
    if got is None:
        got = {}
        sub = {s.subnet_id: s for s in net.subnets}
        for h in net.hosts:
            vpc_id = sub[h.subnet_id].vpc_id if h.subnet_id in sub else ""
            got[h.private_ip] = Owner("host", h.subnet_id, vpc_id, h.security_group_ids, host=h, component_id=h.host_id)
        for e in net.vpc_endpoints:
            for eni in e.enis:
                if eni.private_ip:
                    got[eni.private_ip] = Owner("endpoint", eni.subnet_id, e.vpc_id, e.security_group_ids,
                                                endpoint=e, component_id=e.vpc_endpoint_id)
        for n in net.nat_gateways:
            if n.private_ip and n.subnet_id in sub:
                got[n.private_ip] = Owner("nat", n.subnet_id, sub[n.subnet_id].vpc_id, (), component_id=n.nat_gateway_id)
        net.__dict__["_ip_owner"] = got
    return got


def _hosts_by_dns(net: Network) -> dict[str, Host]:
    got = net.__dict__.get("_hosts_by_dns")
    if got is None:
        got = net.__dict__["_hosts_by_dns"] = {h.dns_name: h for h in reversed(net.hosts) if h.dns_name}
    return got


def _endpoints_by_vpc(net: Network) -> dict[str, tuple[VpcEndpoint, ...]]:
    got = net.__dict__.get("_endpoints_by_vpc")
    if got is None:
        acc: dict[str, list[VpcEndpoint]] = {}
        for e in net.vpc_endpoints:
            acc.setdefault(e.vpc_id, []).append(e)
        got = net.__dict__["_endpoints_by_vpc"] = {k: tuple(v) for k, v in acc.items()}
    return got


def lambda_eni_ip(subnet: Subnet, v6: bool = False):
    """A stand-in address for the function's Hyperplane ENI in ``subnet``."""
    cidr = subnet.ipv6_cidr_block if v6 else subnet.cidr_block
    return _eni_ip(cidr) if cidr else None


@lru_cache(maxsize=65536)
def _eni_ip(cidr: str):
    net = ipaddress.ip_network(cidr)
    return fast_ip(net[min(net.num_addresses - 2, 0x9A)])


def _formats_once(base: type) -> type:
    """An address type that formats itself once: hop details print addresses many times a path."""

    class Address(base):  # type: ignore[valid-type, misc]
        __slots__ = ("_s",)

        def __str__(self) -> str:
            try:
                return self._s
            except AttributeError:
                self._s = s = base.__str__(self)
                return s

    Address.__name__ = Address.__qualname__ = f"Fast{base.__name__}"
    return Address


_V4 = _formats_once(ipaddress.IPv4Address)
_V6 = _formats_once(ipaddress.IPv6Address)


def fast_ip(ip):
    if isinstance(ip, (_V4, _V6)):
        return ip
    return _V4(int(ip)) if ip.version == 4 else _V6(int(ip))


def _sgs(net: Network, ids: Iterable[str]) -> tuple[SecurityGroup, ...]:
    return tuple(g for g in (net.get(i) for i in ids) if isinstance(g, SecurityGroup))


# --------------------------------------------------------------------------------------------------


@dataclass
class _Dest:
    ip: object
    hostname: Optional[str]
    service_key: Optional[tuple[str, str]] = None
    public: bool = False

    def __post_init__(self) -> None:
        self.ip = fast_ip(self.ip)


@dataclass
class _Arrival:
    """How the request reaches the service (the context the service's policies see)."""

    endpoint: Optional[VpcEndpoint] = None
    source_public_ip: Optional[str] = None


class _PathTracer:
    def __init__(self, net: Network, fn: LambdaFunction, subnet: Optional[Subnet], target: Target):
        self.net, self.fn, self.sub, self.t = net, fn, subnet, target
        self.vpc: Optional[Vpc] = net.vpc_of_subnet(subnet.subnet_id) if subnet else None
        self.hops: list[Hop] = []
        self.findings: list[Finding] = []
        self.dns_causes: list[Finding] = []  # DNS answers that send the traffic somewhere it fails
        self.notes: list[str] = []
        self.src_sgs = _sgs(net, fn.security_group_ids)
        memo = net.__dict__.get("_step_memo")
        if memo is None or len(memo) > _MEMO_LIMIT:  # bounded: a long TUI session starts afresh
            memo = net.__dict__["_step_memo"] = {}
        self.memo = memo
        # the Hyperplane ENI's addresses (stand-ins from the subnet)
        self.src_ip = lambda_eni_ip(subnet) if subnet is not None else None
        self.src_ip6 = lambda_eni_ip(subnet, v6=True) if subnet is not None and fn.ipv6_allowed_for_dual_stack else None

    # ---- memo: hop steps whose outcome depends only on their key ---------------------------------

    def _memo(self, key: tuple, step, *args):
        """Run ``step(*args)`` once per network for ``key``; replay what it recorded afterwards.

        A step records hops, findings, notes and DNS causes and returns a value; the same inputs on
        the same (immutable) network always record the same things, so a later call with the same
        key appends the recorded items again instead of recomputing them. Keys hold every input the
        step reads (the callers list them); functions that share subnets, security groups and
        targets hit this cache most.
        """
        cache = self.memo
        hit = cache.get(key)
        if hit is None:
            marks = (len(self.hops), len(self.findings), len(self.notes), len(self.dns_causes))
            ret = step(*args)
            hit = cache[key] = (ret, tuple(self.hops[marks[0]:]), tuple(self.findings[marks[1]:]),
                                tuple(self.notes[marks[2]:]), tuple(self.dns_causes[marks[3]:]),
                                getattr(self, "_no_aaaa", None))
            return ret
        ret, hops, findings, notes, causes, no_aaaa = hit
        self.hops.extend(hops)
        if findings:
            self.findings.extend(findings)
        if notes:
            self.notes.extend(notes)
        if causes:
            self.dns_causes.extend(causes)
        if no_aaaa is not None:
            self._no_aaaa = no_aaaa
        return ret

    # ---- recording ------------------------------------------------------------------------------

    def hop(self, h: str, comp: str, ctype: str, result: str, detail: str, hl: Optional[Highlight] = None) -> None:
        self.hops.append(Hop(h, comp, ctype, result, detail, hl))

    def block(self, h: str, reason: str, comp: str, explanation: str, fix: str, symptom: Optional[str] = None) -> None:
        sym = symptom or REASONS.get(reason, ("", TIMEOUT, ""))[1]
        self.findings.append(Finding(h, reason, comp, explanation, fix, sym))

    def unknown(self, h: str, comp: str, ctype: str, why: str, reason: str = "UNKNOWN_RESOURCE") -> None:
        self.hop(h, comp, ctype, HOP_UNKNOWN, why)
        self.findings.append(Finding(h, reason, comp, why, "grant vpctui read access to it, or describe it in the scenario", SYMPTOM_UNKNOWN))

    # ---- the walk -------------------------------------------------------------------------------

    def run(self) -> PathResult:
        fn, sub = self.fn, self.sub
        if sub is None:
            self._outside_vpc()
        elif self._memo(("h0", sub.subnet_id, fn.security_group_ids, fn.state, fn.state_reason_code,
                         fn.ipv6_allowed_for_dual_stack, fn.function_name, fn.arn), self._h0):
            dest = self._dns()
            if dest is not None:
                key = ("net", sub.subnet_id, fn.security_group_ids, fn.ipv6_allowed_for_dual_stack,
                       fn.function_name, fn.arn, dest.ip, dest.hostname, dest.service_key, dest.public,
                       self.t.port, self.t.protocol, getattr(self, "_no_aaaa", None))
                arrival = self._memo(key, self._network, dest)
                if arrival is not None:
                    ep = arrival.endpoint
                    key = ("auth", self.t.text, fn.role, fn.function_name, ep.vpc_endpoint_id if ep else None,
                           arrival.source_public_ip, self.src_ip if ep else None)
                    self._memo(key, self._authorize, arrival)
        return self._result()

    def _result(self) -> PathResult:
        definite = [f for f in self.findings if f.symptom != SYMPTOM_UNKNOWN]
        unknowns = [f for f in self.findings if f.symptom == SYMPTOM_UNKNOWN]
        if definite:
            findings = sorted(self.dns_causes + self.findings, key=lambda f: _hop_no(f.hop))
            drop = definite[0]
            verdict = BLOCKED
            symptom = drop.symptom
        elif unknowns:
            findings = list(self.findings)
            drop = unknowns[0]
            verdict = UNKNOWN
            symptom = SYMPTOM_UNKNOWN
        else:
            return PathResult(self.sub.subnet_id if self.sub else None, REACHABLE, OK, self._ok_message(),
                              tuple(self.hops), None, (), tuple(self.notes))
        blockers = tuple(f for f in findings if f is not drop)
        return PathResult(self.sub.subnet_id if self.sub else None, verdict, symptom,
                          self._message(symptom, drop), tuple(self.hops), drop, blockers, tuple(self.notes))

    # ---- H0 --------------------------------------------------------------------------------------

    def _h0(self) -> bool:
        fn, sub = self.fn, self.sub
        eni = "Hyperplane ENI"  # one per (subnet, security groups), shared by functions (R1.1)
        if fn.state_reason_code or fn.state in ("Inactive", "Failed"):
            code = fn.state_reason_code or ("ResourceNotReadyException" if fn.state == "Inactive" else "EC2AccessDeniedException")
            self.hop("H0", sub.subnet_id, "lambda-eni", DROP, f"{eni}: {fn.state} ({code})", Highlight("subnet", sub.subnet_id))
            self.block("H0", "LAMBDA_ENI_SETUP_FAILED", fn.arn or fn.function_name,
                       f"Lambda could not set up the function's network interface: {code} (HTTP 502 at Invoke)",
                       _eni_fix(code))
            return False
        if sub.available_ip_address_count == 0:
            self.hop("H0", sub.subnet_id, "lambda-eni", DROP, f"{sub.label} has no free IP addresses", Highlight("subnet", sub.subnet_id))
            self.block("H0", "LAMBDA_ENI_SETUP_FAILED", sub.subnet_id,
                       f"subnet {sub.label} has no free IPv4 addresses, so Lambda cannot create its ENI "
                       "(SubnetIPAddressLimitReachedException, HTTP 502 at Invoke)",
                       f"free addresses in {sub.subnet_id} or configure the function with a larger subnet")
            return False
        if fn.ipv6_allowed_for_dual_stack and not sub.dual_stack:
            self.hop("H0", sub.subnet_id, "lambda-eni", DROP, f"{sub.label} is not dual-stack", Highlight("subnet", sub.subnet_id))
            self.block("H0", "IPV6_NOT_ALLOWED_FOR_FUNCTION", sub.subnet_id,
                       f"Ipv6AllowedForDualStack needs every subnet of the function to have an IPv4 and an IPv6 CIDR; "
                       f"{sub.label} {'is IPv6-only' if sub.ipv6_only else 'has no IPv6 CIDR'}, which Lambda rejects",
                       f"give {sub.subnet_id} both an IPv4 and an IPv6 CIDR, or turn Ipv6AllowedForDualStack off",
                       INVOKE_ERROR)
            return False
        if sub.cidr_block is None:
            self.hop("H0", sub.subnet_id, "lambda-eni", DROP, f"{sub.label} is IPv6-only")
            self.block("H0", "IPV6_NOT_ALLOWED_FOR_FUNCTION", sub.subnet_id,
                       "Lambda does not support IPv6-only subnets", f"use a dual-stack subnet instead of {sub.subnet_id}",
                       INVOKE_ERROR)
            return False
        sg_text = ", ".join(g.label for g in self.src_sgs) or "none"
        self.hop("H0", sub.subnet_id, "lambda-eni", PASS,
                 f"{eni} in {sub.label} ({sub.availability_zone}), {self.src_ip}, no public IP; SGs: {sg_text}",
                 Highlight("subnet", sub.subnet_id))
        return True

    # ---- H1 DNS --------------------------------------------------------------------------------

    def _sdk_hostname(self) -> Optional[str]:
        t = self.t
        if t.hostname:
            return t.hostname
        if t.service is None:
            return None
        svc = t.service
        if svc.name == "sts" and self.fn.sts_regional_endpoints == "legacy":
            return "sts.amazonaws.com"
        if svc.name == "s3" and t.resource_arn.startswith("arn:aws:s3:::"):
            bucket = t.resource_arn[len("arn:aws:s3:::"):].split("/", 1)[0]
            return f"{bucket}.s3.{t.region}.amazonaws.com"
        if svc.name == "ecr.dkr":
            return f"{self.net.account_id}.dkr.ecr.{t.region}.amazonaws.com"
        return svc.host(t.region)

    def _dns(self) -> Optional[_Dest]:
        vpc, sub, fn = self.vpc, self.sub, self.fn
        # what DNS answers depends on the VPC, the subnet's AZ (which endpoint ENI), the target, and
        # the function's STS naming and IPv6; a custom resolver also on the subnet and the SGs
        custom = not vpc.dhcp_options.uses_amazon_dns
        key = ("dns", vpc.vpc_id, sub.availability_zone, self.t.text, fn.sts_regional_endpoints,
               self.src_ip6 is not None, (sub.subnet_id, fn.security_group_ids) if custom else None)
        return self._memo(key, self._dns_step)

    def _dns_step(self) -> Optional[_Dest]:
        t, vpc, net = self.t, self.vpc, self.net
        if t.kind == "address":
            ip = ipaddress.ip_address(t.ip)
            self.hop("H1", vpc.vpc_id, "dns", PASS, f"{t.ip} is an address: no DNS lookup")
            return _Dest(ip, None, public=not ip.is_private)
        if t.kind == "host" and not t.hostname:
            ip = ipaddress.ip_address(t.host.private_ip)
            self.hop("H1", vpc.vpc_id, "dns", PASS, f"{t.host.label} addressed as {ip}: no DNS lookup")
            return _Dest(ip, None)
        name = self._sdk_hostname()
        assert name is not None
        u = net.unknown("vpcs", f"{vpc.vpc_id}:enableDnsSupport", f"{vpc.vpc_id}:enableDnsHostnames", "dhcp_options")
        if u:
            self.unknown("H1", vpc.vpc_id, "dns", f"how {vpc.label} resolves {name} is not known: its DNS settings could not be read ({u})")
            return None
        dhcp = vpc.dhcp_options
        amazon = dhcp.uses_amazon_dns
        both_attrs = vpc.enable_dns_support and vpc.enable_dns_hostnames
        if amazon:
            if not vpc.enable_dns_support:
                self.hop("H1", vpc.vpc_id, "dns", DROP, f"{name}: the Amazon DNS server does not answer (enableDnsSupport is false)",
                         Highlight("vpc", vpc.vpc_id, "enable_dns_support"))
                self.block("H1", "DNS_RESOLUTION_DISABLED", vpc.vpc_id,
                           f"enableDnsSupport is false on {vpc.label}: lookups of {name} to AmazonProvidedDNS go unanswered",
                           f"set enableDnsSupport=true on {vpc.vpc_id} (or call an IP address)")
                both_attrs = False  # continue as if fixed, to find the other blockers
            resolver = "AmazonProvidedDNS"
        else:
            resolver = ", ".join(dhcp.domain_name_servers)
            if not self._custom_dns_reachable(name, dhcp.domain_name_servers):
                return None
        # DNS Firewall (R5.5)
        fw = vpc.dns_firewall
        if fw is not None and amazon:
            if fw.impaired and fw.fail_mode == "closed":
                self.hop("H1", vpc.vpc_id, "dns-firewall", DROP, f"{name}: SERVFAIL (DNS Firewall impaired, fail closed)")
                self.block("H1", "DNS_FIREWALL_FAIL_CLOSED", vpc.vpc_id,
                           "the DNS Firewall cannot answer and the VPC's failure mode is fail closed: every query gets SERVFAIL",
                           f"set the DNS Firewall failure mode of {vpc.vpc_id} to fail open, or restore the firewall")
            for d in fw.blocked_domains:
                if _domain_match(name, d):
                    self.hop("H1", vpc.vpc_id, "dns-firewall", DROP, f"{name}: {fw.response} (DNS Firewall blocks {d})")
                    self.block("H1", "DNS_FIREWALL_BLOCK", vpc.vpc_id,
                               f"a DNS Firewall rule on {vpc.label} blocks {d}; the answer is {fw.response}",
                               f"remove {d} from the blocked domain list, or add an ALLOW rule for {name} with a higher priority")
                    break
        # private hosted zones (R5.4), effective only with both attributes
        if amazon and both_attrs:
            zones = [z for z in net.private_hosted_zones if vpc.vpc_id in z.vpc_ids and _domain_match(name, z.name)]
            if zones:
                z = max(zones, key=lambda z: len(z.name))
                rec = dict(z.records).get(name)
                if rec is None:
                    self.hop("H1", z.hosted_zone_id or z.name, "dns", DROP, f"{name}: NXDOMAIN from private hosted zone {z.name}")
                    self.block("H1", "PHZ_SHADOWS_NAME", z.hosted_zone_id or z.name,
                               f"private hosted zone {z.name} is associated with {vpc.label} and has no record for {name}; "
                               "the Resolver answers NXDOMAIN and does not fall back to public DNS",
                               f"add a record for {name} to {z.name}, or narrow the zone")
                    return None
                ip = ipaddress.ip_address(rec)
                self.hop("H1", z.hosted_zone_id or z.name, "dns", PASS, f"{name} → {ip} (private hosted zone {z.name})")
                return _Dest(ip, name, public=not ip.is_private)
        # endpoint-specific names (public DNS records with private answers)
        if name.endswith(".vpce.amazonaws.com"):
            ep = next((e for e in net.vpc_endpoints if name.startswith(e.vpc_endpoint_id + "-") or name.startswith(e.vpc_endpoint_id + ".")), None)
            if ep is None or not ep.enis:
                self.hop("H1", vpc.vpc_id, "dns", DROP, f"{name}: NXDOMAIN (no such endpoint)")
                self.block("H1", "UNKNOWN_DESTINATION", vpc.vpc_id,
                           f"{name} names no endpoint in this network", "use the DNS name shown on the endpoint", DNS_FAILURE)
                return None
            eni = self._pick_eni(ep)
            ip = ipaddress.ip_address(eni.private_ip)
            self.hop("H1", ep.vpc_endpoint_id, "dns", PASS, f"{name} → {ip} (endpoint-specific name)", Highlight("endpoint", ep.vpc_endpoint_id))
            return _Dest(ip, name)
        # hosts with DNS names (RDS endpoints resolve to private IPs inside the VPC, R5.9)
        h = _hosts_by_dns(net).get(name)
        if h is not None:
            ip = ipaddress.ip_address(h.private_ip)
            self.hop("H1", vpc.vpc_id, "dns", PASS, f"{name} → {ip} ({h.label})")
            return _Dest(ip, name)
        found = service_for_hostname(name)
        if found is None:
            ip = internet_address(name)
            self.hop("H1", vpc.vpc_id, "dns", PASS, f"{name} → {ip} (public DNS via {resolver})")
            return _Dest(ip, name, public=True)
        svc, region, legacy = found
        region = region or self.t.region or net.region
        u = net.unknown("vpc_endpoints", "network_interfaces") if svc.interface_endpoint else None
        if u:
            self.unknown("H1", vpc.vpc_id, "dns", f"whether an interface endpoint answers for {name} is not known ({u})")
            return None
        # interface endpoint private DNS (R4.10, R4.11, R5.3)
        candidates = [e for e in _endpoints_by_vpc(net).get(vpc.vpc_id, ())
                      if e.is_interface and e.service == svc.name and e.region == region]
        for e in candidates:
            if not svc.covers(name, region):
                why = uncovered_reason(svc, name, region) or f"not covered: {svc.title} endpoints' private DNS does not cover {name}"
                fix = (f"call sts.{region}.amazonaws.com (AWS_STS_REGIONAL_ENDPOINTS=regional)" if svc.name == "sts"
                       else f"call {svc.host(region)}" if svc.private_dns_covers
                       else f"set endpoint_url to the endpoint-specific name of {e.vpc_endpoint_id}, or add a gateway endpoint")
                self.dns_causes.append(Finding("H1", "HOSTNAME_NOT_COVERED_BY_PRIVATE_DNS", e.vpc_endpoint_id,
                                               f"{name} is {why}; it resolves to public IPs", fix))
                continue
            if not e.private_dns_enabled:
                self.dns_causes.append(Finding("H1", "PRIVATE_DNS_NOT_EFFECTIVE", e.vpc_endpoint_id,
                                               f"{e.label} has private DNS off, so {name} resolves to public IPs, not to the endpoint",
                                               f"enable private DNS on {e.vpc_endpoint_id}, or call its endpoint-specific name"))
                continue
            if svc.name == "s3" and e.private_dns_only_for_inbound_resolver_endpoint and any(
                    g.is_gateway and g.service == "s3" and g.region == region
                    for g in _endpoints_by_vpc(net).get(vpc.vpc_id, ())):
                self.notes.append(f"{e.label} has private DNS only for the inbound Resolver endpoint: callers in the "
                                  "VPC resolve S3 publicly and use the S3 gateway endpoint (R4.13)")
                continue
            if not (both_attrs and (amazon or dhcp.forwards_to_amazon_dns)):
                missing = [a for a, v in (("enableDnsSupport", vpc.enable_dns_support), ("enableDnsHostnames", vpc.enable_dns_hostnames)) if not v]
                why = (f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} false on {vpc.label}" if missing
                       else "the custom DNS servers do not forward amazonaws.com to the Amazon DNS server")
                self.dns_causes.append(Finding("H1", "PRIVATE_DNS_NOT_EFFECTIVE", e.vpc_endpoint_id,
                                               f"{e.label} has private DNS on, but {why}; {name} resolves to public IPs",
                                               f"set both enableDnsSupport and enableDnsHostnames to true on {vpc.vpc_id}" if missing
                                               else "forward amazonaws.com from the custom resolver to the VPC+2 resolver"))
                continue
            eni = self._pick_eni(e)
            if eni is None:
                continue
            ip = ipaddress.ip_address(eni.private_ip)
            self.hop("H1", e.vpc_endpoint_id, "dns", PASS,
                     f"{name} → {ip} (private DNS of {e.label}, VPC-wide)", Highlight("endpoint", e.vpc_endpoint_id))
            return _Dest(ip, name)
        for f in self.dns_causes:
            self.hop("H1", f.component_id, "dns", INFO, f.explanation)
        # public answer
        use_v6 = bool(self.src_ip6) and svc.aaaa and not legacy
        if self.src_ip6 and not svc.aaaa:
            self.notes.append(f"{name} has no AAAA record, so the function uses IPv4 for it (R1.8)")
            self._no_aaaa = name
        ip = public_address_v6(svc.name, region) if use_v6 else public_address(svc.name, region)
        self.hop("H1", vpc.vpc_id, "dns", PASS, f"{name} → {ip} (public {svc.title} address, via {resolver})")
        return _Dest(ip, name, service_key=(svc.name, region), public=True)

    def _pick_eni(self, e: VpcEndpoint):
        enis = [x for x in e.enis if x.private_ip]
        if not enis:
            return None
        same = [x for x in enis if getattr(self.net.get(x.subnet_id), "availability_zone", None) == self.sub.availability_zone]
        if not same:
            self.notes.append(f"{e.label} has no ENI in {self.sub.availability_zone}: traffic crosses AZs "
                              "(AVAILABILITY_ZONE_CROSSED; an availability risk, not a block)")
        return (same or enis)[0]

    def _custom_dns_reachable(self, name: str, servers: tuple[str, ...]) -> bool:
        """DNS to a custom resolver is ordinary traffic (R5.6): UDP 53 through SG, NACL, route."""
        errs = []
        for s in servers:
            ip = ipaddress.ip_address(s)
            owner = _owners(self.net).get(s)
            peer = Peer(ip, None, frozenset(owner.group_ids) if owner else frozenset())
            d = sg_allows(self.net, self.src_sgs, True, "udp", 53, peer)
            if not d.allowed:
                errs.append((s, f"the function's security groups do not allow UDP 53 to {s}",
                             f"allow UDP and TCP 53 to {s} in {self.src_sgs[0].group_id if self.src_sgs else 'the function SG'} egress",
                             self.src_sgs[0].group_id if self.src_sgs else self.vpc.vpc_id))
                continue
            if owner is None or owner.subnet_id != self.sub.subnet_id:
                acl = self.net.nacl_of_subnet.get(self.sub.subnet_id)
                if acl is not None and not nacl_allows(acl, True, "udp", PortRange(53, 53), ip).allowed:
                    errs.append((s, f"{acl.label} does not allow UDP 53 out to {s}", f"allow UDP 53 to {s} outbound in {acl.network_acl_id}", acl.network_acl_id))
                    continue
                rt = self.net.route_table_of_subnet.get(self.sub.subnet_id)
                m = lookup(self.net, rt, peer) if rt else None
                if m is None or m.route.state != "active":
                    errs.append((s, f"no route to the DNS server {s}", f"add a route to {s}", rt.route_table_id if rt else self.vpc.vpc_id))
                    continue
                if m.route.target.startswith(_UNFOLLOWED) or (m.route.target == "local" and owner is None):
                    # beyond what vpctui follows (a VPN, a transit gateway) or an address nothing in
                    # the file owns: whether the resolver answers is not known
                    self.unknown("H1", m.route.target if m.route.target != "local" else self.vpc.vpc_id, "dns",
                                 f"the custom DNS server {s} is reached through {m.route.target}; whether it answers "
                                 f"{name} is not known", "UNKNOWN_DESTINATION")
                    return True
            if owner is not None and owner.group_ids:
                din = sg_allows(self.net, _sgs(self.net, owner.group_ids), False, "udp", 53,
                                Peer(self.src_ip, None, frozenset(self.fn.security_group_ids)))
                if not din.allowed:
                    errs.append((s, f"the DNS server's security groups do not admit UDP 53 from the function",
                                 f"allow UDP and TCP 53 inbound from the function SG on {owner.group_ids[0]}", owner.group_ids[0]))
                    continue
            self.hop("H1", self.vpc.vpc_id, "dns", PASS, f"{name} resolved by the custom DNS server {s} (UDP 53 allowed)")
            return True
        s, expl, fix, comp = errs[0]
        self.hop("H1", comp, "dns", DROP, f"{name}: no answer from {s} (EAI_AGAIN)")
        self.block("H1", "CUSTOM_DNS_UNREACHABLE", comp,
                   f"the VPC's DHCP options send DNS to {', '.join(servers)}; {expl}. "
                   "Unlike AmazonProvidedDNS, a custom resolver is filtered like any other traffic", fix)
        return False

    # ---- H2..H8 ---------------------------------------------------------------------------------

    def _network(self, dest: _Dest) -> Optional[_Arrival]:
        net, sub, vpc = self.net, self.sub, self.vpc
        src_ip = self.src_ip6 if (dest.ip.version == 6 and self.src_ip6) else self.src_ip
        if dest.ip.version == 6 and not self.src_ip6:
            self.hop("H0", sub.subnet_id, "lambda-eni", DROP, "the function sends no IPv6 (Ipv6AllowedForDualStack is false)")
            self.block("H0", "IPV6_NOT_ALLOWED_FOR_FUNCTION", self.fn.arn or self.fn.function_name,
                       f"{dest.ip} is IPv6 and outbound IPv6 is off for {self.fn.function_name}",
                       f"set VpcConfig.Ipv6AllowedForDualStack=true on {self.fn.function_name} (all subnets dual-stack)")
            return None
        port, proto = self.t.port, self.t.protocol
        owner = _owners(net).get(str(dest.ip))
        peer = Peer(dest.ip, dest.service_key, frozenset(owner.group_ids) if owner else frozenset())
        # H2 source SG egress
        self._sg_hop("H2", self.src_sgs, True, proto, port, peer, f"to {dest.ip}:{port}",
                     "egress", f"allow TCP {port} to {_peer_text(dest)} in the egress rules of {{g}}")
        same_subnet = owner is not None and owner.subnet_id == sub.subnet_id
        src_acl = net.nacl_of_subnet.get(sub.subnet_id)
        # H3 source NACL outbound
        if same_subnet:
            self.hop("H3", src_acl.network_acl_id if src_acl else sub.subnet_id, "network-acl", PASS,
                     "same subnet: network ACLs do not apply inside a subnet (R6.8)")
        else:
            self._nacl_hop("H3", sub, True, proto, PortRange(port, port), dest.ip, f"outbound TCP {port} to {dest.ip}")
        # H4 route
        if same_subnet:
            self.hop("H4", sub.subnet_id, "route-table", PASS, "same subnet: delivered without a route lookup (R2.5)")
            return self._deliver_local(dest, owner, src_ip, port)
        rt = net.route_table_of_subnet.get(sub.subnet_id)
        if rt is None:
            u = net.unknown("route_tables")
            self.unknown("H4", sub.subnet_id, "route-table", f"no route table is known for {sub.label}" + (f" ({u})" if u else ""))
            return None
        m = lookup(net, rt, peer)
        if m is None:
            self.hop("H4", rt.route_table_id, "route-table", DROP, f"no route matches {dest.ip} in {rt.label}",
                     Highlight("route_table", rt.route_table_id))
            self._no_route(rt, dest)
            return None
        r = m.route
        hl = Highlight("route", rt.route_table_id, r.destination)
        tgt = net.get(r.target) if r.target != "local" else None
        if r.state != "blackhole" and r.target != "local" and tgt is None and not r.target.startswith(_UNFOLLOWED):
            u = net.unknown(_TARGET_KINDS.get(r.target.split("-")[0] + "-", ""))
            if u:
                self.hop("H4", rt.route_table_id, "route-table", PASS, f"{dest.ip} matches {r.describe()} in {rt.label}", hl)
                self.unknown("H5", r.target, "gateway", f"{r.target} could not be described ({u})")
                return None
        pl_unknown = [x.destination for x in rt.routes
                      if x.is_prefix_list and net.unknown(x.destination) and x is not r] if net.unknowns else ()
        if pl_unknown:
            self.hop("H4", rt.route_table_id, "route-table", PASS, f"{dest.ip} matches {r.describe()} in {rt.label}", hl)
            self.unknown("H4", rt.route_table_id, "route-table",
                         f"the entries of {', '.join(pl_unknown)} could not be read ({net.unknown(pl_unknown[0])}): a route to it may be more specific")
            return None
        if r.state == "blackhole" or (r.target != "local" and tgt is None and not r.target.startswith(_UNFOLLOWED)):
            self.hop("H4", rt.route_table_id, "route-table", DROP, f"{r.describe()} is a blackhole", hl)
            self.block("H4", "BAD_STATE_ROUTE", rt.route_table_id,
                       f"{rt.label} sends {dest.ip} to {r.target}, which no longer exists (route state blackhole)",
                       f"replace the route {r.destination} in {rt.route_table_id} with a working target (e.g. a NAT gateway that exists)")
            return None
        why = f" (beats {', '.join(x.describe() for x in m.shadowed)})" if m.shadowed else ""
        self.hop("H4", rt.route_table_id, "route-table", PASS, f"{dest.ip} matches {r.describe()} in {rt.label}{why}", hl)
        # H5 next hop
        t = r.target
        if t == "local":
            if owner is None and net.unknown("network_interfaces", "vpc_endpoints"):
                self.unknown("H5", vpc.vpc_id, "vpc", f"what has {dest.ip} in {vpc.label} is not known "
                             f"({net.unknown('network_interfaces', 'vpc_endpoints')})")
                return None
            if owner is None or owner.vpc_id != vpc.vpc_id:
                self.hop("H5", vpc.vpc_id, "vpc", DROP, f"nothing in {vpc.label} has the address {dest.ip}")
                self.block("H5", "NO_POSSIBLE_DESTINATION", vpc.vpc_id, f"no network interface in {vpc.label} has {dest.ip}",
                           "check the target address")
                return None
            return self._deliver_local(dest, owner, src_ip, port)
        if t.startswith("igw-"):
            return self._via_igw(tgt, dest, src_ip, rt)
        if t.startswith("nat-"):
            return self._via_nat(tgt, dest, src_ip, port, rt)
        if t.startswith("eigw-"):
            return self._via_eigw(tgt, dest)
        if t.startswith("vpce-"):
            return self._via_gateway_endpoint(tgt, dest, port)
        if t.startswith("pcx-"):
            return self._via_peering(tgt, dest, src_ip, port)
        kind = {"tgw": "transit gateway", "vgw": "virtual private gateway", "eni": "network interface", "i": "instance",
                "lgw": "local gateway", "cagw": "carrier gateway"}.get(t.split("-")[0], "core network" if t.startswith("arn:") else t)
        self.unknown("H5", t, kind, f"the path continues through {kind} {t}, which vpctui does not follow yet", "UNKNOWN_DESTINATION")
        return None

    def _no_route(self, rt: RouteTable, dest: _Dest) -> None:
        net, vpc = self.net, self.vpc
        self.block("H4", "NO_ROUTE_TO_DESTINATION", rt.route_table_id,
                   f"{rt.label} has no route for {dest.ip}" + (f" ({dest.hostname})" if dest.hostname else "") +
                   "; the packet is dropped silently",
                   _no_route_fix(net, rt, dest))
        if dest.service_key and dest.service_key[0] in ("s3", "dynamodb"):
            svc, region = dest.service_key
            gws = [e for e in _endpoints_by_vpc(net).get(vpc.vpc_id, ()) if e.is_gateway and e.service == svc]
            if any(e.region != region for e in gws) and not any(e.region == region for e in gws):
                e = gws[0]
                self.block("H4", "GATEWAY_ENDPOINT_CROSS_REGION", e.vpc_endpoint_id,
                           f"{e.label} serves {svc} in {e.region} only; the target is in {region}",
                           f"reach {svc} in {region} through a NAT gateway, or an interface endpoint over inter-Region peering")
            for e in gws:
                if e.region == region and rt.route_table_id not in e.route_table_ids:
                    self.block("H4", "GATEWAY_ENDPOINT_NOT_ASSOCIATED", e.vpc_endpoint_id,
                               f"{e.label} exists but is not associated with {rt.label}",
                               f"associate {e.vpc_endpoint_id} with route table {rt.route_table_id}")
        if dest.ip.version == 4 and not self.fn.ipv6_allowed_for_dual_stack:
            if any(r.destination == "::/0" and r.target.startswith("eigw-") for r in rt.routes):
                self.block("H0", "IPV6_NOT_ALLOWED_FOR_FUNCTION", self.fn.arn or self.fn.function_name,
                           f"{rt.label} has IPv6 internet egress (::/0 → eigw) but {self.fn.function_name} sends IPv4 only",
                           f"set Ipv6AllowedForDualStack=true on {self.fn.function_name} (and call dual-stack names), or add a NAT gateway")
        no_aaaa = getattr(self, "_no_aaaa", None)
        if no_aaaa and any(r.destination == "::/0" for r in rt.routes):
            self.block("H1", "NO_AAAA_FOR_ENDPOINT", self.vpc.vpc_id,
                       f"{no_aaaa} has no AAAA record, so the IPv6 route (::/0) cannot carry it",
                       "call the service's dual-stack name, or add an IPv4 route through a NAT gateway")

    def _sg_hop(self, h, groups, egress, proto, port, peer, what, direction, fix_tmpl) -> bool:
        key = ("sg", h, tuple(g.group_id for g in groups), egress, proto, port, peer, what, direction, fix_tmpl)
        return self._memo(key, self._sg_step, h, groups, egress, proto, port, peer, what, direction, fix_tmpl)

    def _sg_step(self, h, groups, egress, proto, port, peer, what, direction, fix_tmpl) -> bool:
        net = self.net
        u = net.unknown("security_groups")
        if u:
            self.unknown(h, ",".join(g.group_id for g in groups) or "security-groups", "security-group",
                         f"security groups could not be read ({u})")
            return True
        if not groups:
            self.hop(h, "-", "security-group", INFO, "no security groups are described here: not checked")
            return True
        d = sg_allows(net, groups, egress, proto, port, peer)
        names = ", ".join(g.label for g in groups)
        if d.allowed:
            self.hop(h, d.group_id, "security-group", PASS, f"{direction} {what} allowed by {d.rule_text} ({net.get(d.group_id).label})",
                     Highlight("sg_rule", d.group_id, f"{direction}:{d.rule_index}"))
            return True
        unknown_pl = [r.prefix_list_id for g in groups for r in (g.egress if egress else g.ingress)
                      if r.prefix_list_id and (net.unknown(r.prefix_list_id) or net.get(r.prefix_list_id) is None)]
        if unknown_pl:
            self.unknown(h, groups[0].group_id, "security-group",
                         f"{direction} {what}: no rule of {names} is known to allow it, and the entries of "
                         f"{', '.join(unknown_pl)} are not known ({net.unknown(unknown_pl[0]) or 'not loaded'})")
            return True
        g0 = groups[0]
        reason = "SG_HAS_NO_RULES" if d.no_rules else "ENI_SG_RULES_MISMATCH"
        self.hop(h, g0.group_id, "security-group", DROP, f"{direction} {what}: no rule in {names} allows it",
                 Highlight("sg_rule", g0.group_id, direction))
        self.block(h, reason, g0.group_id,
                   (f"{names} {'have' if len(groups) > 1 else 'has'} no {direction} rules" if d.no_rules
                    else f"no {direction} rule of {names} allows TCP {port} {'to' if egress else 'from'} "
                         f"{peer.ip if egress else 'the function'}") + "; security groups drop silently",
                   fix_tmpl.format(g=g0.group_id))
        return False

    def _nacl_hop(self, h, subnet: Subnet, egress: bool, proto: str, ports: PortRange, peer_ip, what: str) -> bool:
        key = ("nacl", h, subnet.subnet_id, egress, proto, ports, peer_ip, what)
        return self._memo(key, self._nacl_step, h, subnet, egress, proto, ports, peer_ip, what)

    def _nacl_step(self, h, subnet: Subnet, egress: bool, proto: str, ports: PortRange, peer_ip, what: str) -> bool:
        net = self.net
        u = net.unknown("network_acls")
        if u:
            self.unknown(h, subnet.subnet_id, "network-acl", f"network ACLs could not be read ({u})")
            return True
        acl = net.nacl_of_subnet.get(subnet.subnet_id)
        if acl is None:
            self.hop(h, subnet.subnet_id, "network-acl", PASS, "no network ACL known (treated as the default allow-all)")
            return True
        d = nacl_allows(acl, egress, proto, ports, peer_ip)
        direction = "egress" if egress else "ingress"
        hl = Highlight("nacl_entry", acl.network_acl_id, f"{direction}:{d.rule_key}")
        if d.allowed:
            self.hop(h, acl.network_acl_id, "network-acl", PASS, f"{what}: {acl.label} rule {d.rule.rule_number} allows", hl)
            return True
        ret = ports == EPHEMERAL
        rule = f"rule {d.rule.rule_number} denies" if d.rule else "no rule matches (final * deny)"
        self.hop(h, acl.network_acl_id, "network-acl", DROP, f"{what}: {acl.label} {rule}", hl)
        side = "inbound" if not egress else "outbound"
        if ret:
            where = acl.label if acl.label == subnet.label else f"{acl.label} ({subnet.label})"
            expl = (f"{where} does not allow the reply {side} on ports 1024-65535 "
                    f"{'from' if not egress else 'to'} {peer_ip}: {rule}. NACLs are stateless and Lambda uses "
                    "ephemeral ports 1024-65535 (R1.6)")
            fix = f"add an {side} allow rule for TCP 1024-65535 {'from' if not egress else 'to'} {_cidr_hint(peer_ip)} to {acl.network_acl_id}, numbered below any deny"
        else:
            where = acl.label if acl.label == subnet.label else f"{acl.label} ({subnet.label})"
            expl = f"{where} does not allow {what}: {rule}"
            fix = f"add an {side} allow rule for TCP {ports} {'to' if egress else 'from'} {_cidr_hint(peer_ip)} to {acl.network_acl_id}, numbered below any deny"
        self.block(h, "SUBNET_ACL_RESTRICTION", acl.network_acl_id, expl, fix)
        return False

    def _return_nacls(self, far_subnet: Optional[Subnet], far_ip, port: int, src_ip) -> None:
        """H8: the reply crosses the NACLs again, to the Lambda's ephemeral port (stateless)."""
        if far_subnet is not None:
            self._nacl_hop("H8", far_subnet, True, "tcp", EPHEMERAL, src_ip, f"reply outbound to {src_ip}:1024-65535")
        self._nacl_hop("H8", self.sub, False, "tcp", EPHEMERAL, far_ip, f"reply inbound from {far_ip}:{port} to 1024-65535")

    def _deliver_local(self, dest: _Dest, owner, src_ip, port: int) -> Optional[_Arrival]:
        net = self.net
        far = net.get(owner.subnet_id)
        same = owner.subnet_id == self.sub.subnet_id
        if not same:
            self._nacl_hop("H6", far, False, "tcp", PortRange(port, port), src_ip, f"inbound TCP {port} from {src_ip}")
        label = owner.endpoint.label if owner.endpoint else owner.host.label if owner.host else owner.component_id
        if owner.kind == "endpoint":
            ep = owner.endpoint
            self.hop("H5", ep.vpc_endpoint_id, "vpc-endpoint", PASS if ep.state == "available" else DROP,
                     f"interface endpoint {label} ENI {dest.ip} in {far.label} (over the local route)",
                     Highlight("endpoint", ep.vpc_endpoint_id))
            if ep.state != "available":
                self.block("H5", "BAD_STATE", ep.vpc_endpoint_id, f"{label} is {ep.state}", f"wait for or recreate {ep.vpc_endpoint_id}")
        elif owner.kind == "host":
            self.hop("H5", owner.component_id, owner.host.kind, PASS, f"{label} ({dest.ip}) in {far.label}", Highlight("host", owner.component_id))
        else:
            self.hop("H5", owner.component_id, "nat-gateway", PASS, f"{label} ({dest.ip})")
        groups = _sgs(net, owner.group_ids)
        if owner.kind != "nat":
            src_peer = Peer(src_ip, None, frozenset(self.fn.security_group_ids))
            fix = (f"allow TCP {port} inbound from {{g0}} (the function's SG) or {_cidr_hint(src_ip)} on {{g}}")
            g0 = self.fn.security_group_ids[0] if self.fn.security_group_ids else "the function's SG"
            self._sg_hop("H7", groups, False, "tcp", port, src_peer, f"from {src_ip} TCP {port}", "ingress",
                         fix.replace("{g0}", g0))
        if not same:
            self._return_nacls(far, dest.ip, port, src_ip)
        if owner.kind == "endpoint":
            if port != 443:
                self.block("H10", "PORT_NOT_LISTENING", owner.component_id, f"interface endpoints accept HTTPS on 443 only, not {port}",
                           "call the service on 443", CONNECTION_REFUSED)
            return _Arrival(endpoint=owner.endpoint)
        if owner.kind == "host":
            self._listening(owner.host, port)
        return None

    def _listening(self, h: Host, port: int) -> None:
        if not h.ports:
            self.hop("H10", h.host_id, h.kind, PASS, f"listening ports of {h.label} not given; assumed open")
            return
        if port in h.ports:
            self.hop("H10", h.host_id, h.kind, PASS, f"{h.label} listens on {port}", Highlight("host", h.host_id))
            return
        self.hop("H10", h.host_id, h.kind, DROP, f"{h.label} does not listen on {port} (listens on {', '.join(map(str, h.ports))})")
        self.block("H10", "PORT_NOT_LISTENING", h.host_id,
                   f"the packet reaches {h.label}, which answers TCP RST: nothing listens on {port}",
                   f"connect to {h.label} on {', '.join(map(str, h.ports))}, or start the service on {port}", CONNECTION_REFUSED)

    def _igw_checks(self, h: str, igw, via_nat: bool) -> bool:
        vpc, bpa = self.vpc, self.net.block_public_access
        if igw is None or igw.vpc_id != vpc.vpc_id:
            gid = igw.internet_gateway_id if igw else "igw"
            self.hop(h, gid, "internet-gateway", DROP, f"{gid} is not attached to {vpc.label}")
            self.block(h, "BAD_STATE_ATTACHMENT", gid, f"internet gateway {gid} is not attached to {vpc.label}",
                       f"attach {gid} to {vpc.vpc_id}")
            return False
        excluded = vpc.vpc_id in bpa.exclusions or self.sub.subnet_id in bpa.exclusions
        if bpa.mode == "bidirectional" and not excluded:
            self.hop(h, igw.internet_gateway_id, "internet-gateway", DROP, "VPC Block Public Access (bidirectional) blocks the internet gateway")
            self.block(h, "VPC_BLOCK_PUBLIC_ACCESS_ENABLED", igw.internet_gateway_id,
                       "the account's VPC Block Public Access is bidirectional: all traffic through internet gateways is blocked",
                       f"add a BPA exclusion for {vpc.vpc_id} (or the NAT subnet), or switch BPA to ingress-only")
            return False
        if bpa.mode == "ingress" and not excluded and not via_nat:
            self.hop(h, igw.internet_gateway_id, "internet-gateway", DROP, "VPC Block Public Access (ingress-only) blocks direct internet traffic")
            self.block(h, "VPC_BLOCK_PUBLIC_ACCESS_ENABLED", igw.internet_gateway_id,
                       "ingress-only Block Public Access allows only traffic started through NAT gateways and egress-only gateways",
                       f"route through a NAT gateway, or add a BPA exclusion for {vpc.vpc_id}")
            return False
        return True

    def _via_igw(self, igw, dest: _Dest, src_ip, rt) -> Optional[_Arrival]:
        if not self._igw_checks("H5", igw, via_nat=False):
            return None
        gid = igw.internet_gateway_id
        hl = Highlight("gateway", gid)
        if dest.ip.version == 4 and any(dest.ip in n for n in _RFC1918):
            self.hop("H5", gid, "internet-gateway", DROP, f"{dest.ip} is a private address", hl)
            self.block("H5", "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS", gid,
                       f"internet gateways do not carry traffic to private addresses such as {dest.ip}",
                       "reach private networks through peering, a transit gateway or a VPN, not the internet gateway")
            return None
        if src_ip.version == 4:
            self.hop("H5", gid, "internet-gateway", DROP,
                     f"source {src_ip} has no public IPv4 address: a Lambda ENI never gets one", hl)
            self.block("H5", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", gid,
                       f"{self.sub.label} routes to {gid}, but Lambda's Hyperplane ENIs never have a public IP, so the internet "
                       "gateway drops the traffic (a public subnet gives a function no internet access; R1.3)",
                       f"move {self.fn.function_name} to private subnets whose 0.0.0.0/0 goes to a NAT gateway"
                       + (f", or add a gateway endpoint for {dest.service_key[0]}" if dest.service_key and dest.service_key[0] in ("s3", "dynamodb") else
                          f", or add an interface endpoint for {dest.service_key[0]}" if dest.service_key else ""))
            return None
        self.hop("H5", gid, "internet-gateway", PASS, f"IPv6 source {src_ip} is public: out through {gid}", hl)
        self._return_nacls(None, dest.ip, self.t.port, src_ip)
        return _Arrival(source_public_ip=str(src_ip))

    def _via_eigw(self, eigw, dest: _Dest) -> Optional[_Arrival]:
        gid = eigw.egress_only_internet_gateway_id
        if eigw.vpc_id != self.vpc.vpc_id:
            self.hop("H5", gid, "egress-only-internet-gateway", DROP, f"{gid} is not attached to {self.vpc.label}")
            self.block("H5", "BAD_STATE_ATTACHMENT", gid, f"{gid} is not attached to {self.vpc.label}", f"attach {gid} to {self.vpc.vpc_id}")
            return None
        bpa = self.net.block_public_access
        if bpa.mode == "bidirectional" and self.vpc.vpc_id not in bpa.exclusions and self.sub.subnet_id not in bpa.exclusions:
            self.hop("H5", gid, "egress-only-internet-gateway", DROP, "VPC Block Public Access (bidirectional)")
            self.block("H5", "VPC_BLOCK_PUBLIC_ACCESS_ENABLED", gid, "bidirectional Block Public Access blocks egress-only gateways too",
                       f"add a BPA exclusion for {self.vpc.vpc_id}, or switch BPA to ingress-only")
            return None
        self.hop("H5", gid, "egress-only-internet-gateway", PASS, f"IPv6 out through {gid}", Highlight("gateway", gid))
        self._return_nacls(None, dest.ip, self.t.port, self.src_ip6)
        return _Arrival(source_public_ip=str(self.src_ip6))

    def _via_nat(self, nat, dest: _Dest, src_ip, port: int, rt) -> Optional[_Arrival]:
        net = self.net
        nid = nat.nat_gateway_id
        hl = Highlight("gateway", nid)
        nat_sub = net.get(nat.subnet_id)
        if nat.state != "available":
            self.hop("H5", nid, "nat-gateway", DROP, f"{nat.name or nid} is {nat.state}", hl)
            self.block("H5", "BAD_STATE", nid, f"NAT gateway {nid} is {nat.state}, not available", f"recreate {nid} or route to an available NAT gateway")
            return None
        if dest.ip.version == 6:
            self.hop("H5", nid, "nat-gateway", DROP, "NAT gateways do not carry IPv6 to the internet", hl)
            self.block("H5", "BAD_STATE", nid, "IPv6 traffic cannot use a NAT gateway", "route ::/0 to an egress-only internet gateway")
            return None
        if nat.connectivity_type == "public" and not nat.public_ip:
            self.hop("H5", nid, "nat-gateway", DROP, f"{nid} has no Elastic IP", hl)
            self.block("H5", "BAD_STATE", nid, f"public NAT gateway {nid} has no Elastic IP", f"associate an Elastic IP with {nid}")
            return None
        if nat_sub is None:
            self.unknown("H5", nid, "nat-gateway", f"the subnet of {nid} ({nat.subnet_id}) is not known")
            return None
        if nat_sub.availability_zone != self.sub.availability_zone:
            self.notes.append(f"{nid} is in {nat_sub.availability_zone}, the function's subnet in {self.sub.availability_zone}: "
                              "works, but an outage of that AZ cuts internet access (R3.8)")
        self.hop("H5", nid, "nat-gateway", PASS,
                 f"{nat.connectivity_type} NAT gateway {nat.name or nid} in {nat_sub.label}: source {src_ip} → "
                 f"{nat.public_ip or nat.private_ip or 'its private IP'}, ports remapped to 1024-65535", hl)
        if nat_sub.subnet_id != self.sub.subnet_id:
            self._nacl_hop("H6", nat_sub, False, "tcp", PortRange(port, port), src_ip, f"NAT subnet inbound TCP {port} from {src_ip}")
        nat_rt = net.route_table_of_subnet.get(nat_sub.subnet_id)
        peer = Peer(dest.ip, dest.service_key)
        m = lookup(net, nat_rt, peer) if nat_rt else None
        if nat.connectivity_type == "private":
            if m is not None and m.route.target.startswith("igw-"):
                self.hop("H5", nat_rt.route_table_id, "route-table", DROP, f"{nat_sub.label} sends {dest.ip} to {m.route.target}",
                         Highlight("route", nat_rt.route_table_id, m.route.destination))
                self.block("H5", "PRIVATE_NAT_TO_IGW", nid,
                           f"{nid} is a private NAT gateway: it has no Elastic IP, and the internet gateway drops its traffic",
                           f"use a public NAT gateway (with an Elastic IP) in a public subnet for internet access")
                return None
            comp = m.route.target if m else nat_rt.route_table_id if nat_rt else nid
            self.unknown("H5", comp, "route-table", f"a private NAT gateway forwards to {comp}; vpctui does not follow it further", "UNKNOWN_DESTINATION")
            return None
        self._nacl_hop("H6", nat_sub, True, "tcp", PortRange(port, port), dest.ip, f"NAT subnet outbound TCP {port} to {dest.ip}")
        if m is None or not m.route.target.startswith("igw-") or m.route.state != "active":
            what = "no route" if m is None else f"{m.route.describe()}"
            rid = nat_rt.route_table_id if nat_rt else nat_sub.subnet_id
            self.hop("H5", rid, "route-table", DROP, f"NAT subnet {nat_sub.label}: {what} for {dest.ip}",
                     Highlight("route", rid, m.route.destination) if m else Highlight("route_table", rid))
            self.block("H5", "NAT_SUBNET_NO_IGW_ROUTE", rid,
                       f"NAT gateway {nid} sits in {nat_sub.label}, whose route table {rid} has {what} to the internet: "
                       "a public NAT gateway must be in a public subnet (0.0.0.0/0 → internet gateway)",
                       f"move {nid} to a public subnet, or add 0.0.0.0/0 → an attached internet gateway to {rid}")
            return None
        self.hop("H5", nat_rt.route_table_id, "route-table", PASS, f"NAT subnet: {dest.ip} matches {m.route.describe()}",
                 Highlight("route", nat_rt.route_table_id, m.route.destination))
        igw = net.get(m.route.target)
        if not self._igw_checks("H5", igw, via_nat=True):
            return None
        self.hop("H5", igw.internet_gateway_id, "internet-gateway", PASS,
                 f"out to the internet from the NAT's Elastic IP {nat.public_ip}", Highlight("gateway", igw.internet_gateway_id))
        # replies: into the NAT subnet, back to the Lambda subnet
        self._nacl_hop("H8", nat_sub, False, "tcp", EPHEMERAL, dest.ip, f"reply into NAT subnet from {dest.ip}:{port}")
        if nat_sub.subnet_id != self.sub.subnet_id:
            self._nacl_hop("H8", nat_sub, True, "tcp", EPHEMERAL, src_ip, f"reply out of NAT subnet to {src_ip}:1024-65535")
            self._nacl_hop("H8", self.sub, False, "tcp", EPHEMERAL, dest.ip, f"reply inbound from {dest.ip}:{port} to 1024-65535")
        self.notes.append("an idle pooled connection through a NAT gateway is reset after 350 s; the retry succeeds (R3.3)")
        return _Arrival(source_public_ip=nat.public_ip)

    def _via_gateway_endpoint(self, ep, dest: _Dest, port: int) -> Optional[_Arrival]:
        if not ep.is_gateway:
            self.unknown("H5", ep.vpc_endpoint_id, "vpc-endpoint", f"{ep.label} is not a gateway endpoint (GWLB endpoints are not followed)", "UNKNOWN_DESTINATION")
            return None
        hl = Highlight("endpoint", ep.vpc_endpoint_id)
        if ep.state != "available":
            self.hop("H5", ep.vpc_endpoint_id, "vpc-endpoint", DROP, f"{ep.label} is {ep.state}", hl)
            self.block("H5", "BAD_STATE", ep.vpc_endpoint_id, f"{ep.label} is {ep.state}", f"recreate {ep.vpc_endpoint_id}")
            return None
        self.hop("H5", ep.vpc_endpoint_id, "vpc-endpoint", PASS, f"gateway endpoint {ep.label} ({ep.service_name}) carries it to {ep.service}", hl)
        self._return_nacls(None, dest.ip, port, self.src_ip)
        return _Arrival(endpoint=ep)

    def _via_peering(self, pcx, dest: _Dest, src_ip, port: int) -> Optional[_Arrival]:
        net, vpc = self.net, self.vpc
        pid = pcx.vpc_peering_connection_id
        hl = Highlight("gateway", pid)
        if pcx.status != "active":
            self.hop("H5", pid, "peering-connection", DROP, f"{pid} is {pcx.status}", hl)
            self.block("H5", "BAD_STATE", pid, f"peering connection {pid} is {pcx.status}", f"accept {pid} (status must be active)")
            return None
        peer_id = pcx.peer_of(vpc.vpc_id)
        peer_vpc = net.get(peer_id) if peer_id else None
        if peer_id and peer_vpc is None:
            self.hop("H5", pid, "peering-connection", PASS, f"over {pid} to {peer_id}", hl)
            self.unknown("H5", peer_id, "vpc", f"the peer VPC {peer_id} is not in the loaded network (another account, "
                         "Region, or filtered out): its routes, NACLs and security groups are not known", "UNKNOWN_DESTINATION")
            return None
        if peer_vpc is None:
            self.hop("H5", pid, "peering-connection", DROP, f"{pid} does not connect {vpc.label}", hl)
            self.block("H5", "BAD_STATE_ATTACHMENT", pid, f"{pid} is not a peering of {vpc.label}", f"route to a peering connection of {vpc.vpc_id}")
            return None
        if not peer_vpc.contains(dest.ip):
            if dest.public:
                self.hop("H5", pid, "peering-connection", DROP, f"{dest.ip} is not in {peer_vpc.label}: no edge-to-edge routing", hl)
                self.block("H5", "EDGE_TO_EDGE_NOT_SUPPORTED", pid,
                           f"traffic over {pid} cannot use {peer_vpc.label}'s internet gateway, NAT gateway or gateway endpoints",
                           f"give {vpc.label} its own NAT gateway or VPC endpoint")
            else:
                self.hop("H5", pid, "peering-connection", DROP, f"{dest.ip} is not in {peer_vpc.label}'s CIDRs: peering is not transitive", hl)
                self.block("H5", "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", pid,
                           f"{pid} reaches only {peer_vpc.label} ({', '.join(peer_vpc.cidr_blocks)}); {dest.ip} is beyond it",
                           f"peer {vpc.vpc_id} directly with the VPC that holds {dest.ip}, or use a transit gateway")
            return None
        self.hop("H5", pid, "peering-connection", PASS, f"over {pid} to {peer_vpc.label}", hl)
        owner = _owners(net).get(str(dest.ip))
        if owner is None or owner.vpc_id != peer_vpc.vpc_id:
            self.hop("H5", peer_vpc.vpc_id, "vpc", DROP, f"nothing in {peer_vpc.label} has {dest.ip}")
            self.block("H5", "NO_POSSIBLE_DESTINATION", peer_vpc.vpc_id, f"no network interface in {peer_vpc.label} has {dest.ip}", "check the target address")
            return None
        far = net.get(owner.subnet_id)
        self._nacl_hop("H6", far, False, "tcp", PortRange(port, port), src_ip, f"inbound TCP {port} from {src_ip}")
        src_peer = Peer(src_ip, None, frozenset(self.fn.security_group_ids))
        g0 = self.fn.security_group_ids[0] if self.fn.security_group_ids else "the function's SG"
        self._sg_hop("H7", _sgs(net, owner.group_ids), False, "tcp", port, src_peer, f"from {src_ip} TCP {port}", "ingress",
                     f"allow TCP {port} inbound from {_cidr_hint(src_ip)} (or {g0}) on {{g}}")
        far_rt = net.route_table_of_subnet.get(far.subnet_id)
        back = lookup(net, far_rt, Peer(src_ip)) if far_rt else None
        if back is None or back.route.target != pid or back.route.state != "active":
            rid = far_rt.route_table_id if far_rt else far.subnet_id
            what = "no route" if back is None else back.route.describe()
            self.hop("H8", rid, "route-table", DROP, f"reply to {src_ip}: {what} in {far_rt.label if far_rt else rid}",
                     Highlight("route", rid, back.route.destination) if back else Highlight("route_table", rid))
            self.block("H8", "PEERING_NO_RETURN_ROUTE", rid,
                       f"the request reaches {owner.component_id}, but {rid} in {peer_vpc.label} has {what} back to {src_ip} over {pid}",
                       f"add a route {_vpc_cidr_of(vpc, src_ip)} → {pid} to {rid}")
        else:
            self.hop("H8", far_rt.route_table_id, "route-table", PASS, f"reply to {src_ip} matches {back.route.describe()}",
                     Highlight("route", far_rt.route_table_id, back.route.destination))
        self._return_nacls(far, dest.ip, port, src_ip)
        if owner.kind == "endpoint":
            return _Arrival(endpoint=owner.endpoint)
        if owner.kind == "host":
            self._listening(owner.host, port)
        return None

    # ---- outside a VPC ---------------------------------------------------------------------------

    def _outside_vpc(self) -> None:
        fn, t = self.fn, self.t
        self.hop("H0", fn.arn or fn.function_name, "lambda", PASS, f"{fn.function_name} is not attached to a VPC: it runs in Lambda's own network with internet access")
        if t.kind in ("host",) or (t.kind == "address" and ipaddress.ip_address(t.ip).is_private):
            what = t.host.label if t.host else t.ip
            self.hop("H4", fn.arn or fn.function_name, "lambda", DROP, f"{what} is a private address; a function outside a VPC cannot reach it")
            self.block("H4", "NO_ROUTE_TO_DESTINATION", fn.arn or fn.function_name,
                       f"{fn.function_name} is not attached to a VPC, so private addresses such as {what} are unreachable",
                       f"attach {fn.function_name} to the VPC (subnets and security groups that can reach {what})")
            return
        name = self._sdk_hostname() or t.ip
        self.hop("H1", "public-dns", "dns", PASS, f"{name} resolved by public DNS")
        self.hop("H5", "internet", "internet", PASS, "over the internet from Lambda's network")
        self._authorize(_Arrival(source_public_ip="52.94.0.1"))

    # ---- H9 ---------------------------------------------------------------------------------------

    def _authorize(self, arrival: _Arrival) -> None:
        t, net, fn = self.t, self.net, self.fn
        if t.kind != "service" or not t.action:
            if t.kind == "service":
                self.hop("H9", t.service.name if t.service else "service", "authorization", PASS, "network reachability only: no action checked")
            return
        role = net.role_of(fn)
        role_arn = role.arn if role else (fn.role if fn.role.startswith("arn:") else f"arn:aws:iam::{net.account_id}:role/{fn.role or 'unknown'}")
        keys = {"aws:principalarn": role_arn, "aws:principalaccount": net.account_id,
                "aws:securetransport": "true", "aws:requestedregion": t.region, "aws:principaltype": "AssumedRole"}
        if arrival.endpoint is not None:
            keys["aws:sourcevpce"] = arrival.endpoint.vpc_endpoint_id
            keys["aws:sourcevpc"] = arrival.endpoint.vpc_id
            if self.src_ip is not None:
                keys["aws:vpcsourceip"] = str(self.src_ip)
        elif arrival.source_public_ip:
            keys["aws:sourceip"] = arrival.source_public_ip
        req = pol.Request(t.action, t.resource_arn or "*", role_arn, net.account_id, keys)
        via = (f"through {arrival.endpoint.vpc_endpoint_id}" if arrival.endpoint else
               f"from {arrival.source_public_ip}" if arrival.source_public_ip else "")
        svc = t.service
        status = f"{svc.authz_code} ({svc.authz_status})"
        who = f"arn:aws:sts::{net.account_id}:assumed-role/{role_arn.rsplit('/', 1)[-1]}/{fn.function_name}"
        base = f"User: {who} is not authorized to perform: {t.action} on resource: {t.resource_arn}"
        ok = True
        # endpoint policy (R4.8)
        ep = arrival.endpoint
        if ep is not None and net.unknown(ep.vpc_endpoint_id):
            ok = False
            self.unknown("H9", ep.vpc_endpoint_id, "endpoint-policy", f"{ep.label}'s policy: {net.unknown(ep.vpc_endpoint_id)}", "POLICY_UNKNOWN")
        elif ep is not None:
            if ep.policy is None:
                self.hop("H9", ep.vpc_endpoint_id, "endpoint-policy", PASS, f"{ep.label}: default policy (full access)", Highlight("policy", ep.vpc_endpoint_id))
            else:
                o = pol.evaluate(ep.policy, req, resource_policy=True)
                if o.decision == "unknown":
                    ok = False
                    self.unknown("H9", ep.vpc_endpoint_id, "endpoint-policy", f"{ep.label}'s policy: {o.why_unknown}", "POLICY_UNKNOWN")
                elif o.decision != "allow":
                    ok = False
                    explicit = o.decision == "deny"
                    self.hop("H9", ep.vpc_endpoint_id, "endpoint-policy", DROP,
                             f"{ep.label}'s policy {'explicitly denies' if explicit else 'does not allow'} {t.action}", Highlight("policy", ep.vpc_endpoint_id))
                    self.block("H9", "VPCE_POLICY_DENY", ep.vpc_endpoint_id,
                               f"{status}: {base} " + ("with an explicit deny in a VPC endpoint policy" if explicit
                                                       else f"because no VPC endpoint policy allows the {t.action} action"),
                               f"allow {t.action} on {t.resource_arn} in the policy of {ep.vpc_endpoint_id}"
                               + (f" (statement {o.statement.sid})" if o.statement and o.statement.sid else ""), ACCESS_DENIED)
                else:
                    self.hop("H9", ep.vpc_endpoint_id, "endpoint-policy", PASS, f"{ep.label}'s policy allows {t.action}", Highlight("policy", ep.vpc_endpoint_id))
        # resource policy (R7.1, R7.2, R7.7)
        res = t.resource
        resource_allows = False
        if res is not None and res.policy_error:
            ok = False
            self.unknown("H9", res.arn, "resource-policy", f"the policy of {res.name} could not be read ({res.policy_error})", "POLICY_UNKNOWN")
        elif res is not None and res.policy is not None:
            o = pol.evaluate(res.policy, req, resource_policy=True)
            if o.decision == "unknown":
                ok = False
                self.unknown("H9", res.arn, "resource-policy", f"the policy of {res.name}: {o.why_unknown}", "POLICY_UNKNOWN")
            elif o.decision == "deny":
                ok = False
                cond = _cond_text(o.statement, keys)
                self.hop("H9", res.arn, "resource-policy", DROP, f"{res.name}'s policy denies {t.action} {via}{cond}", Highlight("policy", res.arn))
                self.block("H9", "RESOURCE_POLICY_DENY", res.arn,
                           f"{status}: {base} with an explicit deny in a resource-based policy{cond}",
                           _resource_fix(o.statement, res.name, keys, net), ACCESS_DENIED)
            else:
                resource_allows = o.decision == "allow"
                self.hop("H9", res.arn, "resource-policy", PASS,
                         f"{res.name}'s policy {'allows' if resource_allows else 'does not deny'} {t.action} {via}".rstrip(), Highlight("policy", res.arn))
        elif res is None and t.resource_arn and t.service and t.service.name in ("s3", "dynamodb", "sqs", "secretsmanager"):
            u = net.unknown("resource_policies")
            if u:
                ok = False
                self.unknown("H9", t.resource_arn, "resource-policy", f"the resource policy of {t.resource_arn} was not read ({u})",
                             "POLICY_UNKNOWN")
            else:
                self.notes.append(f"{t.resource_arn} is not described in the scenario; its resource policy is not checked")
        # identity policy (R1.13, R7.4)
        if role is None:
            self.hop("H9", fn.role or fn.function_name, "identity-policy", INFO,
                     f"role {fn.role or '(none)'} is not described: its policies are assumed to allow {t.action}")
            self.notes.append(f"the execution role's policies are not in the scenario; vpctui assumed they allow {t.action}")
        elif role.error:
            ok = False
            self.unknown("H9", role.arn, "identity-policy", f"the policies of {role.role_name} could not be read ({role.error})", "POLICY_UNKNOWN")
        else:
            decisions = [pol.evaluate(p, req) for p in role.policies]
            deny = next((d for d in decisions if d.decision == "deny"), None)
            unk = next((d for d in decisions if d.decision == "unknown"), None)
            allow = any(d.decision == "allow" for d in decisions)
            if deny:
                ok = False
                self.hop("H9", role.arn, "identity-policy", DROP, f"{role.role_name} explicitly denies {t.action}", Highlight("policy", role.arn))
                self.block("H9", "IDENTITY_POLICY_DENY", role.arn, f"{status}: {base} with an explicit deny in an identity-based policy",
                           f"remove the Deny for {t.action} from {role.role_name}'s policies", ACCESS_DENIED)
            elif unk and not allow and not resource_allows:
                ok = False
                self.unknown("H9", role.arn, "identity-policy", f"{role.role_name}: {unk.why_unknown}", "POLICY_UNKNOWN")
            elif not allow and not resource_allows:
                ok = False
                self.hop("H9", role.arn, "identity-policy", DROP, f"no policy of {role.role_name} allows {t.action}", Highlight("policy", role.arn))
                self.block("H9", "IDENTITY_POLICY_NO_ALLOW", role.arn, f"{status}: {base} because no identity-based policy allows the {t.action} action",
                           f"allow {t.action} on {t.resource_arn} in a policy of {role.role_name}", ACCESS_DENIED)
            else:
                self.hop("H9", role.arn, "identity-policy", PASS,
                         f"{role.role_name} allows {t.action}" if allow else f"the resource policy allows {t.action}", Highlight("policy", role.arn))
        if ok and t.service and t.service.name in ("ssm", "secretsmanager"):
            self.notes.append("a SecureString parameter or secret under a customer-managed KMS key also needs kms:Decrypt "
                              "and a route to KMS (an interface endpoint or NAT); vpctui flags, does not assert, this (R7.8)")

    # ---- messages -----------------------------------------------------------------------------

    def _ok_message(self) -> str:
        t = self.t
        if t.kind == "service" and t.action:
            return f"200 OK: {t.action} succeeds"
        return f"connected to {t.description or t.text}"

    def _message(self, symptom: str, drop: Finding) -> str:
        fn, t = self.fn, self.t
        url = f"https://{self._sdk_hostname() or t.ip or ''}/"
        if symptom == TIMEOUT:
            msg = f"Task timed out after {fn.timeout:.2f} seconds"
            if fn.timeout > 60:
                msg += f' (first: ConnectTimeoutError: Connect timeout on endpoint URL: "{url}")'
            return msg
        if symptom == DNS_FAILURE:
            return f'EndpointConnectionError: Could not connect to the endpoint URL: "{url}" (getaddrinfo ENOTFOUND / EAI_AGAIN)'
        if symptom == ACCESS_DENIED:
            return drop.explanation
        if symptom == CONNECTION_REFUSED:
            return f"ConnectionRefusedError: [Errno 111] Connection refused ({t.text})"
        if symptom == INVOKE_ERROR:
            return f"Invoke fails before the code runs (HTTP 502): {drop.explanation}"
        return f"unknown: {drop.explanation}"


# --------------------------------------------------------------------------------------------------
# helpers


def _hop_no(h: str) -> int:
    try:
        return int(h[1:])
    except ValueError:
        return 99


def _domain_match(name: str, domain: str) -> bool:
    d = domain.lstrip("*.").lower().rstrip(".")
    return name == d or name.endswith("." + d)


def _peer_text(dest: _Dest) -> str:
    if dest.service_key:
        svc, region = dest.service_key
        if svc in ("s3", "dynamodb"):
            return f"the {svc} prefix list ({managed_prefix_list_id(svc, region)}) or 0.0.0.0/0"
        return "0.0.0.0/0"
    return _cidr_hint(dest.ip)


def _cidr_hint(ip) -> str:
    return f"{ip}/{32 if ip.version == 4 else 128}"


def _vpc_cidr_of(vpc: Vpc, ip) -> str:
    for n in vpc.networks:
        if n.version == ip.version and ip in n:
            return str(n)
    return _cidr_hint(ip)


def _no_route_fix(net: Network, rt: RouteTable, dest: _Dest) -> str:
    if dest.service_key:
        svc, region = dest.service_key
        s = CATALOG.get(svc)
        if s is not None and s.gateway_endpoint and region == net.region:
            return (f"add a gateway endpoint for {svc} associated with {rt.route_table_id} (free), "
                    f"or route 0.0.0.0/0 in {rt.route_table_id} to a NAT gateway in a public subnet")
        if s is not None and s.interface_endpoint and region == net.region:
            return (f"add an interface endpoint for {svc} with private DNS (and both VPC DNS attributes on), "
                    f"or route 0.0.0.0/0 in {rt.route_table_id} to a NAT gateway in a public subnet")
    if dest.public:
        return f"route 0.0.0.0/0 in {rt.route_table_id} to a NAT gateway in a public subnet"
    return f"add a route for {dest.ip} to {rt.route_table_id} (peering connection or transit gateway)"


def _eni_fix(code: str) -> str:
    return {
        "EC2AccessDeniedException": "give the execution role ec2:CreateNetworkInterface, DescribeNetworkInterfaces and DeleteNetworkInterface (AWSLambdaVPCAccessExecutionRole)",
        "ENILimitReachedException": "raise the ENI quota or share subnets and security groups between functions",
        "SubnetIPAddressLimitReachedException": "free addresses in the subnet or use larger subnets",
        "ResourceNotReadyException": "invoke again after the function returns to Active (it lost its ENIs after 14 idle days)",
    }.get(code, "check the function's state and VPC configuration")


def _cond_text(stmt, keys: dict) -> str:
    if stmt is None or not stmt.conditions:
        return ""
    parts = []
    for c in stmt.conditions:
        have = keys.get(c.key.lower())
        parts.append(f"{c.operator} {c.key} {list(c.values)} (request: {have if have is not None else 'key absent'})")
    return " [" + "; ".join(parts) + "]"


def _resource_fix(stmt, name: str, keys: dict, net: Network) -> str:
    if stmt is not None:
        for c in stmt.conditions:
            k = c.key.lower()
            if k in ("aws:sourcevpce", "aws:sourcevpc") and k not in keys:
                return (f"the request does not come through a VPC endpoint, so {c.key} is absent and the Deny applies: "
                        f"route the function's subnet through {', '.join(c.values)} (gateway endpoint on its route table)")
            if k == "aws:sourceip" and "aws:sourcevpce" in keys:
                return (f"aws:SourceIp is absent through a VPC endpoint: use aws:VpcSourceIp or aws:SourceVpce in "
                        f"{name}'s policy instead")
            if k in ("aws:sourcevpce", "aws:sourcevpc"):
                return f"add {keys.get(k)} to the {c.key} values in {name}'s policy"
    return f"change the Deny in {name}'s policy{(' (' + stmt.sid + ')') if stmt is not None and stmt.sid else ''}"


# --------------------------------------------------------------------------------------------------
# public API


def clear_memos(network: Network) -> None:
    """Forget the per-network memos of trace steps (indices stay): every trace after this computes
    its steps afresh. For tests that compare memoised answers with fresh ones."""
    for k in ("_step_memo", "_lookup_memo"):
        network.__dict__.pop(k, None)


def resolve_function(network: Network, name: str) -> LambdaFunction:
    fn = network.function_by_name.get(name)
    if fn is None:
        for f in network.functions:
            if f.arn == name:
                return f
        names = ", ".join(sorted(network.function_by_name)) or "none"
        raise TraceError(f"no Lambda function named {name!r} (functions: {names})")
    return fn


def trace_target(network: Network, fn: LambdaFunction, target: Target) -> Trace:
    if not fn.subnet_ids:
        paths = [_PathTracer(network, fn, None, target).run()]
    else:
        paths = []
        for sid in fn.subnet_ids:
            sub = network.get(sid)
            if not isinstance(sub, Subnet):
                u = network.unknown("subnets")
                f = Finding("H0", "UNKNOWN_RESOURCE", sid, f"subnet {sid} is not known" + (f" ({u})" if u else ""),
                            "grant ec2:DescribeSubnets, or describe the subnet", SYMPTOM_UNKNOWN)
                paths.append(PathResult(sid, UNKNOWN, SYMPTOM_UNKNOWN, f"unknown: {f.explanation}",
                                        (Hop("H0", sid, "subnet", HOP_UNKNOWN, f.explanation),), f))
                continue
            paths.append(_PathTracer(network, fn, sub, target).run())
    return Trace(fn.function_name, target.text, combine([p.verdict for p in paths]), tuple(paths), target.description)


def combine(verdicts: list[str]) -> str:
    s = set(verdicts)
    if len(s) == 1:
        return verdicts[0]
    if REACHABLE in s and BLOCKED in s:
        return INTERMITTENT
    if REACHABLE in s and UNKNOWN in s:
        return UNKNOWN
    if UNKNOWN in s:
        return UNKNOWN
    return BLOCKED


def trace(network: Network, function: str, target: str) -> Trace:
    """Trace ``function`` (a name or ARN) to ``target`` (a TARGET string). Raises TraceError."""
    fn = resolve_function(network, function)
    try:
        t = parse_target(network, target)
    except TargetError as e:
        raise TraceError(str(e)) from None
    return trace_target(network, fn, t)
