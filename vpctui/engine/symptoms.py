"""What the function sees (the path's verdict, symptom and message) and the fix texts."""

from __future__ import annotations

from typing import Optional

from ..model.network import Network, RouteTable, Vpc
from ..model.services import CATALOG
from .index import _endpoints_by_vpc, addr_text
from .path import FN_NAME, Dest, PathLog, cat
from .result import (
    ACCESS_DENIED, BLOCKED, CONNECTION_REFUSED, DNS_FAILURE, INVOKE_ERROR, OK, REACHABLE, SYMPTOM_UNKNOWN, TIMEOUT,
    UNKNOWN, Finding, PathResult,
)


class SymptomSteps(PathLog):
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
        from .gateways import NAT_IDLE_NOTE

        notes = tuple(n for n in self.notes if n != NAT_IDLE_NOTE)  # explains a working path only
        return PathResult(self.sub.subnet_id if self.sub else None, verdict, symptom,
                          self._message(symptom, drop), tuple(self.hops), drop, blockers, notes)

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
            return cat("Invoke fails before the code runs (HTTP 502): ", drop.explanation)
        return cat("unknown: ", drop.explanation)



def _hop_no(h: str) -> int:
    try:
        return int(h[1:])
    except ValueError:
        return 99



def _peer_text(dest: Dest) -> str:
    """What a security-group fix names for the destination (LAMBDA-9): a managed prefix list, a CIDR
    from the input, or 0.0.0.0/0, never an address vpctui does not know."""
    return _cidr_hint(dest.ip, nacl=False)


def _cidr_hint(ip, nacl: bool = True) -> str:
    """What a fix names for ``ip``: for an address vpctui does not know as a fact, what it stands for
    (the subnet's CIDR for the function's ENI, a prefix list or 0.0.0.0/0 for a public service), else
    the address itself as /32 or /128."""
    f = getattr(ip, "fix_nacl" if nacl else "fix_sg", "")
    if f:
        return f
    return f"{addr_text(ip)}/{32 if ip.version == 4 else 128}"


def _vpc_cidr_of(vpc: Vpc, ip) -> str:
    n = vpc.network_of(ip)
    return str(n) if n is not None else _cidr_hint(ip)


def _existing_gateway_endpoint(net: Network, vpc_id: str, service_key) -> Optional[object]:
    """A gateway endpoint for the service in the caller's VPC and Region, if one exists (EP-2)."""
    if not service_key:
        return None
    svc, region = service_key
    return next((e for e in _endpoints_by_vpc(net).get(vpc_id, ())
                 if e.is_gateway and e.service == svc and e.region == region and e.state == "available"), None)


def _to_nat(net: Network, vpc_id: str, rt_id: str) -> str:
    return f"route 0.0.0.0/0 in {rt_id} to a NAT gateway in a public subnet"


def _endpoint_fix(net: Network, vpc_id: str, rt_id: str, service_key) -> str:
    """The fix that brings a service to a route table, preferring what exists (EP-2): associate an
    existing gateway endpoint before adding one."""
    if not service_key:
        return ""
    svc, region = service_key
    ep = _existing_gateway_endpoint(net, vpc_id, service_key)
    if ep is not None:
        return f"associate {ep.vpc_endpoint_id} with {rt_id} (it adds the {svc} prefix-list route)"
    s = CATALOG.get(svc)
    if s is not None and s.gateway_endpoint and region == net.region:
        return f"add a gateway endpoint for {svc} associated with {rt_id} (free)"
    if s is not None and s.interface_endpoint and region == net.region:
        return f"add an interface endpoint for {svc} with private DNS (and both VPC DNS attributes on)"
    return ""


def _no_route_fix(net: Network, vpc_id: str, rt: RouteTable, dest: Dest) -> str:
    ep = _endpoint_fix(net, vpc_id, rt.route_table_id, dest.service_key)
    if ep:
        return f"{ep}, or {_to_nat(net, vpc_id, rt.route_table_id)}"
    if dest.public:
        return _to_nat(net, vpc_id, rt.route_table_id)
    return f"add a route for {_cidr_hint(dest.ip)} to {rt.route_table_id} (peering connection or transit gateway)"


def _igw_fix(net: Network, vpc_id: str, rt_id: str, service_key):
    """A function in a public subnet (LAMBDA-2): a gateway endpoint the subnet's route table can use
    comes first (associate the existing one), else private subnets behind a NAT gateway. The text
    names the function through a slot (engine/path.py)."""
    move = cat("move ", FN_NAME, " to private subnets whose 0.0.0.0/0 goes to a NAT gateway")
    ep = _existing_gateway_endpoint(net, vpc_id, service_key)
    if ep is not None:
        return cat(f"associate {ep.vpc_endpoint_id} with {rt_id} (S3 and DynamoDB then bypass the internet gateway), or ", move)
    other = _endpoint_fix(net, vpc_id, rt_id, service_key)
    return cat(move, f", or {other}") if other else move


def _eni_fix(code: str) -> str:
    return {
        "EC2AccessDeniedException": "give the execution role ec2:CreateNetworkInterface, DescribeNetworkInterfaces and DeleteNetworkInterface (AWSLambdaVPCAccessExecutionRole)",
        "ENILimitReachedException": "raise the ENI quota or share subnets and security groups between functions",
        "SubnetIPAddressLimitReachedException": "free addresses in the subnet or use larger subnets",
        "ResourceNotReadyException": "invoke again after the function returns to Active (it lost its ENIs after 14 idle days)",
    }.get(code, "check the function's state and VPC configuration")

