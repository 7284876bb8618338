"""What the function sees (the path's verdict, symptom and message) and the fix texts."""

from __future__ import annotations

from ..model.network import Network, RouteTable, Vpc
from ..model.services import CATALOG, managed_prefix_list_id
from .path import Dest, PathLog, cat
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
        return PathResult(self.sub.subnet_id if self.sub else None, verdict, symptom,
                          self._message(symptom, drop), tuple(self.hops), drop, blockers, tuple(self.notes))

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


def _no_route_fix(net: Network, rt: RouteTable, dest: Dest) -> str:
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

