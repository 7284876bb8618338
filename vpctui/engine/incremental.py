"""Re-trace after an edit: only the traces whose components the edit touched.

``IncrementalMatrix.build(network, targets)`` traces the matrix once and records, for every trace,
the component ids its paths visited or read (``trace_deps``): the function, its subnets, VPCs,
security groups, route tables and network ACLs, every hop's component and highlight, every
finding's component, the security groups of whatever a hop reached (a host, an endpoint, a custom
DNS server), the execution role and the target's resource. ``update(edits)`` applies the edits
(``edits.apply``), asks each edit which component ids it touches (``Edit.touched``: an edit that
changes what DNS answers VPC-wide touches the VPC) and re-traces only the traces that recorded one
of them; every other trace is carried over as it is. ``tests/unit/test_equivalence.py`` checks that
the result equals a full recomputation, trace for trace, on generated networks and scenarios.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from ..model.network import Host, Network, NatGateway, PeeringConnection, Subnet, VpcEndpoint
from .edits import Edit, apply, touched
from .matrix import matrix
from .result import PathResult, Trace
from .targets import TargetError, default_targets, parse_target


def _owner_ids(net: Network) -> dict[str, tuple[str, ...]]:
    """address -> (owner id, its subnet, its security groups...) for custom DNS servers."""
    got = net.__dict__.get("_incr_owner_ids")
    if got is None:
        got = {}
        for h in net.hosts:
            got[h.private_ip] = (h.host_id, h.subnet_id) + h.security_group_ids
        for e in net.vpc_endpoints:
            for x in e.enis:
                if x.private_ip:
                    got[x.private_ip] = (e.vpc_endpoint_id, x.subnet_id) + e.security_group_ids
        net.__dict__["_incr_owner_ids"] = got
    return got


def _component_deps(net: Network, cid: str, out: set) -> None:
    """What else a component the path reached brings into play (its SGs, subnet, tables); kept
    per network value, as a path names the same few components many times."""
    memo = net.__dict__.get("_incr_component_deps")
    if memo is None:
        memo = net.__dict__["_incr_component_deps"] = {}
    got = memo.get(cid)
    if got is None:
        found: set = set()
        _component_deps_of(net, cid, found)
        got = memo[cid] = tuple(found)
    out.update(got)


def _component_deps_of(net: Network, cid: str, out: set) -> None:
    obj = net.get(cid)
    if obj is None:
        return
    if isinstance(obj, VpcEndpoint):
        out.update(obj.security_group_ids)
        out.add(obj.vpc_id)
        for x in obj.enis:
            out.add(x.subnet_id)
    elif isinstance(obj, Host):
        out.update(obj.security_group_ids)
        out.add(obj.subnet_id)
    elif isinstance(obj, NatGateway):
        out.add(obj.subnet_id)
    elif isinstance(obj, PeeringConnection):
        out.add(obj.requester_vpc_id)
        out.add(obj.accepter_vpc_id)
    if isinstance(obj, (Host, NatGateway)) or isinstance(obj, VpcEndpoint):
        for sid in ([obj.subnet_id] if not isinstance(obj, VpcEndpoint) else [x.subnet_id for x in obj.enis]):
            rt = net.route_table_of_subnet.get(sid)
            acl = net.nacl_of_subnet.get(sid)
            if rt is not None:
                out.add(rt.route_table_id)
            if acl is not None:
                out.add(acl.network_acl_id)


def path_deps(net: Network, p: PathResult) -> frozenset[str]:
    """The component ids one path visited or read."""
    out: set[str] = set()
    sid = p.subnet_id
    if sid:
        out.add(sid)
        sub = net.get(sid)
        if isinstance(sub, Subnet):
            out.add(sub.vpc_id)
            rt = net.route_table_of_subnet.get(sid)
            acl = net.nacl_of_subnet.get(sid)
            if rt is not None:
                out.add(rt.route_table_id)
            if acl is not None:
                out.add(acl.network_acl_id)
            vpc = net.get(sub.vpc_id)
            if vpc is not None and not vpc.dhcp_options.uses_amazon_dns:
                owners = _owner_ids(net)
                for s in vpc.dhcp_options.domain_name_servers:
                    for cid in owners.get(s, ()):
                        out.add(cid)
                        _component_deps(net, cid, out)
    for h in p.hops:
        out.add(h.component_id)
        if h.highlight is not None:
            out.add(h.highlight.owner_id)
    for f in ((p.drop,) if p.drop else ()) + p.blockers:
        out.add(f.component_id)
    for cid in list(out):
        _component_deps(net, cid, out)
    return frozenset(out)


@dataclass
class IncrementalMatrix:
    """The matrix of one network, with what each trace depends on, updated edit by edit."""

    network: Network
    targets: list[str]
    traces: list[Trace]
    # dependency groups: traces whose paths, security groups, role and resource are the same share
    # one group; component id -> groups, group -> trace positions, function -> trace positions
    group_of: list[int] = field(default_factory=list)
    group_deps: list[frozenset] = field(default_factory=list)
    by_component: dict = field(default_factory=lambda: defaultdict(set))
    group_members: dict = field(default_factory=lambda: defaultdict(set))
    by_function: dict = field(default_factory=lambda: defaultdict(list))
    recomputed: int = 0  # traces recomputed by the last update

    @classmethod
    def build(cls, network: Network, targets: Optional[Iterable[str]] = None) -> "IncrementalMatrix":
        tl = list(targets) if targets else default_targets(network)
        m = cls(network, tl, matrix(network, tl))
        m._index_all()
        return m

    @classmethod
    def from_traces(cls, network: Network, targets: list[str], traces: list[Trace]) -> "IncrementalMatrix":
        """The index for a matrix already traced on ``network`` (the TUI's, say)."""
        m = cls(network, list(targets), list(traces))
        m._index_all()
        return m

    # ---- dependencies ---------------------------------------------------------------------------

    def _index_all(self) -> None:
        self.group_of = [0] * len(self.traces)
        self._groups: dict = {}
        self._path_memo: dict = {}
        res_memo: dict = {}
        for i, t in enumerate(self.traces):
            self.by_function[t.source].append(i)
            self._index(i, t, res_memo)
        self._path_memo = {}

    def _target_deps(self, net: Network, target: str, memo: dict) -> tuple:
        got = memo.get(target)
        if got is None:
            try:
                t = parse_target(net, target)
            except TargetError:
                got = ()
            else:
                got = tuple(x for x in ((t.resource.arn, t.resource.name) if t.resource else ()) +
                            ((t.host.host_id,) if t.host else ()))
            memo[target] = got
        return got

    def _index(self, i: int, t: Trace, res_memo: dict) -> None:
        net = self.network
        fn = net.function_by_name.get(t.source)
        role = net.role_of(fn) if fn is not None else None
        key = (tuple(id(p) for p in t.paths), fn.security_group_ids if fn else (),
               (role.arn, role.role_name) if role else (fn.role if fn else "",), t.target)
        g = self._groups.get(key)
        if g is None:
            deps: set[str] = set()
            for p in t.paths:
                pd = self._path_memo.get(id(p))
                if pd is None:
                    pd = self._path_memo[id(p)] = path_deps(net, p)
                deps |= pd
            if fn is not None:
                deps.update(fn.security_group_ids)
                for gid in fn.security_group_ids:
                    _component_deps(net, gid, deps)
            deps.update(key[2])
            deps.update(self._target_deps(net, t.target, res_memo))
            g = self._groups[key] = len(self.group_deps)
            fdeps = frozenset(deps)
            self.group_deps.append(fdeps)
            for c in fdeps:
                self.by_component[c].add(g)
        self.group_of[i] = g
        self.group_members[g].add(i)

    def affected(self, ids: Iterable[str]) -> set[int]:
        """Positions of the traces that depend on any of ``ids``."""
        out: set[int] = set()
        for c in ids:
            for g in self.by_component.get(c, ()):
                out |= self.group_members[g]
            out.update(self.by_function.get(c, ()))
        return out

    # ---- updates ------------------------------------------------------------------------------

    def update(self, edits: Sequence[Edit]) -> list[int]:
        """Apply ``edits`` and re-trace what they touched; the positions of the traces whose
        verdict, symptom or drop changed."""
        old = self.network
        new = apply(old, edits)
        return self.retrace(new, touched(old, edits) | touched(new, edits))

    def retrace(self, new: Network, ids: Iterable[str]) -> list[int]:
        """Move to ``new`` (the network after edits that touched ``ids``, or before them: an undo)
        and re-trace the traces that depend on any of ``ids``."""
        todo = sorted(self.affected(ids))
        self.network = new
        self.recomputed = len(todo)
        if not todo:
            return []
        # one matrix call per distinct set of targets (the matrix shares the work of functions
        # that share subnets and security groups within a call)
        targets_of: dict[str, list[int]] = defaultdict(list)
        for i in todo:
            targets_of[self.traces[i].source].append(i)
        calls: dict[tuple, list[str]] = defaultdict(list)
        for name, positions in targets_of.items():
            calls[tuple(self.traces[i].target for i in positions)].append(name)
        changed = []
        res_memo: dict = {}
        # groups are keyed by the ids of path objects: only those of this update's traces, which
        # stay alive in self.traces (an id of a path dropped earlier may be reused)
        self._path_memo = {}
        self._groups = {}
        for tlist, names in calls.items():
            fresh = iter(matrix(new, list(tlist), names))
            for name in names:
                for i in targets_of[name]:
                    t = next(fresh)
                    before = self.traces[i]
                    self.group_members[self.group_of[i]].discard(i)
                    self.traces[i] = t
                    self._index(i, t, res_memo)
                    if (before.verdict, before.symptom, before.drop) != (t.verdict, t.symptom, t.drop):
                        changed.append(i)
        self._path_memo = {}
        return changed

    def by_pair(self) -> dict[tuple[str, str], Trace]:
        return {(t.source, t.target): t for t in self.traces}
