"""Security groups (stateful, allow-only) and network ACLs (stateless, ordered)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..model.network import NaclEntry, Network, NetworkAcl, PortRange, SecurityGroup


@dataclass(frozen=True)
class Peer:
    """The far end of a packet as filters see it."""

    ip: ipaddress.IPv4Address | ipaddress.IPv6Address
    service_key: Optional[tuple[str, str]] = None  # (service, region) for AWS service addresses
    group_ids: frozenset[str] = frozenset()  # SGs of the far ENI (for SG references)


@lru_cache(maxsize=65536)
def _net(cidr: str):
    return ipaddress.ip_network(cidr, strict=False)


def proto_matches(rule_proto: str, proto: str) -> bool:
    return rule_proto == "-1" or rule_proto == proto


def in_cidr(ip, cidr: str) -> bool:
    n = _net(cidr)
    return n.version == ip.version and ip in n


def prefix_list_contains(network: Network, pl_id: str, peer: Peer) -> bool:
    pl = network.get(pl_id)
    if pl is None:
        return False
    if peer.service_key is not None and pl.service_key == peer.service_key:
        return True
    return any(n.version == peer.ip.version and peer.ip in n for n in pl.networks)


@dataclass(frozen=True)
class SgDecision:
    allowed: bool
    group_id: str = ""  # the group whose rule matched
    rule_index: int = -1
    rule_text: str = ""
    no_rules: bool = False  # every group has no rules in this direction


def sg_allows(network: Network, groups: tuple[SecurityGroup, ...], egress: bool, proto: str,
              port: int, peer: Peer) -> SgDecision:
    """Union of the groups' rules in one direction (SG-1)."""
    any_rules = False
    for g in groups:
        rules = g.egress if egress else g.ingress
        for i, r in enumerate(rules):
            any_rules = True
            if not proto_matches(r.protocol, proto):
                continue
            if r.protocol != "-1" and proto != "icmp" and not r.ports.contains(port):
                continue
            if r.cidr is not None:
                ok = in_cidr(peer.ip, r.cidr)
            elif r.prefix_list_id is not None:
                ok = prefix_list_contains(network, r.prefix_list_id, peer)
            else:
                ok = r.group_id in peer.group_ids
            if ok:
                return SgDecision(True, g.group_id, i, r.describe())
    return SgDecision(False, groups[0].group_id if groups else "", no_rules=not any_rules)


@dataclass(frozen=True)
class NaclDecision:
    allowed: bool
    rule: Optional[NaclEntry]  # None: the final '*' rule

    @property
    def rule_key(self) -> str:
        return str(self.rule.rule_number) if self.rule else "*"


def nacl_allows(acl: NetworkAcl, egress: bool, proto: str, port_range: PortRange, peer_ip) -> NaclDecision:
    """First matching rule by number decides (NACL-2).

    ``port_range`` is the destination-port range of the traffic: a single port for requests, the
    ephemeral range for replies. A rule admits it only if it covers the whole range.
    """
    for e in acl.entries:
        if e.egress != egress:
            continue
        if not proto_matches(e.protocol, proto):
            continue
        if e.protocol != "-1" and proto != "icmp" and not e.ports.covers(port_range):
            if e.rule_action == "deny" and _overlaps(e.ports, port_range):
                return NaclDecision(False, e)  # a deny on part of the range drops some replies
            continue
        if not in_cidr(peer_ip, e.cidr_block):
            continue
        return NaclDecision(e.rule_action == "allow", e)
    return NaclDecision(False, None)


def _overlaps(a: PortRange, b: PortRange) -> bool:
    return a.from_port <= b.to_port and b.from_port <= a.to_port
