"""Indices built once per network value: what sits at an address, hosts by DNS name, endpoints by
VPC; and the stand-in addresses of a function's Hyperplane ENI.

The indices are derived data of the immutable ``Network`` (like its ``cached_property`` fields) and
are kept on the value; they hold no trace results. Trace results are cached only in a ``StepCache``
(engine/cache.py) owned by the caller.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from ..model.network import Host, Network, SecurityGroup, Subnet, VpcEndpoint


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


def _described(base: type) -> type:
    class Described(base):  # type: ignore[valid-type, misc]
        """An address vpctui uses internally but does not know as a fact (LAMBDA-9, DNS-10): it prints
        as what it stands for ("a public address of Amazon S3 in us-east-1"); ``fix_sg`` and
        ``fix_nacl`` are what a fix may name instead of it (ids, CIDRs and prefix lists from the
        input, or 0.0.0.0/0)."""

        __slots__ = ("fix_sg", "fix_nacl")

    Described.__name__ = Described.__qualname__ = f"Described{base.__name__}"
    return Described


_DV4 = _described(_V4)
_DV6 = _described(_V6)


def described(ip, label: str, fix_sg: str = "", fix_nacl: str = ""):
    """``ip`` printing as ``label``; compares, hashes and matches CIDRs as the address itself."""
    a = (_DV4 if ip.version == 4 else _DV6)(int(ip))
    a._s = label
    a.fix_sg = fix_sg or fix_nacl
    a.fix_nacl = fix_nacl or fix_sg
    return a


def addr_text(ip) -> str:
    """The dotted address (for lookups and policy keys; never shown for a described address)."""
    return (ipaddress.IPv4Address.__str__ if ip.version == 4 else ipaddress.IPv6Address.__str__)(ip)


def host_cidr(ip) -> str:
    """``ip`` as a one-address CIDR: /32 or /128."""
    return f"{ip}/{32 if ip.version == 4 else 128}"


def is_described(ip) -> bool:
    return isinstance(ip, (_DV4, _DV6))


def _sgs(net: Network, ids: Iterable[str]) -> tuple[SecurityGroup, ...]:
    return tuple(g for g in (net.get(i) for i in ids) if isinstance(g, SecurityGroup))

