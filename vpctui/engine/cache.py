"""The step cache: trace steps' recorded outcomes, owned by whoever runs traces.

A trace step (H0, DNS, the network path, a security-group or NACL hop, authorization) records hops,
findings, notes and DNS causes, and returns a value. On the same (immutable) network the same inputs
always record the same things, so a ``StepCache`` keeps each step's record under a key holding every
input the step reads, and a later step with the same key replays the record instead of recomputing
it. Route lookups are cached the same way.

The cache belongs to the caller, never to the ``Network``: ``matrix()`` makes one per matrix, the TUI
or the CLI may keep one per loaded network and pass it to ``trace(..., cache=)``; a trace without a
cache gets a fresh one and reuses nothing. A cache must only be used with the network it was filled
from. It is bounded: past ``limit`` steps it starts afresh (a long TUI session).
"""

from __future__ import annotations


class StepCache:
    __slots__ = ("steps", "lookups", "limit")

    def __init__(self, limit: int = 500_000):
        self.steps: dict[tuple, tuple] = {}
        self.lookups: dict[tuple, object] = {}
        self.limit = limit

    def steps_for_trace(self) -> dict[tuple, tuple]:
        """The step records, emptied first when they have grown past the limit."""
        if len(self.steps) > self.limit:
            self.steps = {}
            self.lookups = {}
        return self.steps

    def __len__(self) -> int:
        return len(self.steps)


# --------------------------------------------------------------------------------------------------
# The key of each cached step: every input the step reads, declared here and nowhere else. A step
# that read something its key leaves out would replay a record made for other inputs; the
# equivalence tests (tests/unit/test_equivalence.py) compare cached answers with fresh ones. ``w``
# is the path being walked (engine/trace.py ``_PathTracer``). No key holds the function's name or
# ARN: texts that name the function are recorded with slots for them (engine/path.py ``Named``).


def h0_key(w) -> tuple:
    """H0, the function's ENI in its subnet (engine/trace.py)."""
    fn, sub = w.fn, w.sub
    return ("h0", sub.subnet_id, fn.security_group_ids, fn.state, fn.state_reason_code,
            fn.ipv6_allowed_for_dual_stack)


def dns_key(w) -> tuple:
    """H1 (engine/dns.py): the VPC, the subnet's AZ (which endpoint ENI answers), the target, the
    name the function's SDK calls and why (SDK-1..SDK-5) and IPv6; with a custom resolver also the subnet and the SGs (the query is
    ordinary traffic)."""
    vpc, sub, fn = w.vpc, w.sub, w.fn
    custom = not vpc.dhcp_options.uses_amazon_dns
    return ("dns", vpc.vpc_id, sub.availability_zone, w.t.text, w._sdk_choice(),
            w.src_ip6 is not None, (sub.subnet_id, fn.security_group_ids) if custom else None)


def network_key(w, dest) -> tuple:
    """H2..H8 (engine/egress.py, gateways.py, filter_steps.py) to the address DNS gave."""
    fn, sub = w.fn, w.sub
    return ("net", sub.subnet_id, fn.security_group_ids, fn.ipv6_allowed_for_dual_stack, dest.ip, dest.hostname, dest.service_key, dest.public,
            w.t.port, w.t.protocol, w.no_aaaa)


def auth_key(w, arrival) -> tuple:
    """H9 (engine/authz.py): the action and resource, the role, and how the request arrives."""
    fn, ep = w.fn, arrival.endpoint
    return ("auth", w.t.text, fn.role, ep.vpc_endpoint_id if ep else None,
            arrival.source_public_ip, arrival.source_unknown, w.src_ip if ep else None)


def sg_key(h, groups, egress, proto, port, peer, what, direction, fix_tmpl) -> tuple:
    """A security-group hop (engine/filter_steps.py): all its arguments."""
    return ("sg", h, tuple(g.group_id for g in groups), egress, proto, port, peer, what, direction, fix_tmpl)


def nacl_key(h, subnet, egress, proto, ports, peer_ip, what) -> tuple:
    """A network-ACL hop (engine/filter_steps.py): all its arguments."""
    return ("nacl", h, subnet.subnet_id, egress, proto, ports, peer_ip, what)
