"""Carrying a network's lookups over to an edited copy.

The engine builds lookups once per ``Network`` value (``by_id``, the route table of each subnet, the
compiled route tables, ...). ``edits.apply`` returns a new value; ``carry_indices`` gives it the
lookups of the old value that are still right for it, with the replaced components swapped in, so
the first trace after an edit does not rebuild them.
"""

from __future__ import annotations

from ..model.network import Network

# Index (a cached property of Network, or an engine cache on the value) -> the Network fields it is
# built from. "patch": dict values that are components are swapped for their replacements;
# "keep": the index holds derived values, carried only when none of its fields changed.
_INDICES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("by_id", ("vpcs", "subnets", "route_tables", "internet_gateways", "egress_only_internet_gateways",
               "nat_gateways", "vpc_endpoints", "prefix_lists", "security_groups", "network_acls", "hosts",
               "peering_connections"), "patch"),
    ("function_by_name", ("functions",), "patch"),
    ("role_by_key", ("roles",), "patch"),
    ("resource_by_key", ("resources",), "patch"),
    ("main_route_table", ("route_tables",), "patch"),
    ("route_table_of_subnet", ("route_tables", "subnets"), "patch"),
    ("nacl_of_subnet", ("network_acls", "subnets"), "patch"),
    ("default_sg", ("security_groups",), "patch"),
    ("subnets_of_vpc", ("subnets",), "keep"),
    ("unknown_by_kind", ("unknowns",), "keep"),
    ("_ip_owner", ("hosts", "vpc_endpoints", "nat_gateways", "subnets"), "keep"),
    ("_hosts_by_dns", ("hosts",), "keep"),
    ("_endpoints_by_vpc", ("vpc_endpoints",), "keep"),
)
# association fields: an index that maps subnets to tables is only patched when they did not change
_STRUCTURE = {"route_tables": ("route_table_id", "subnet_ids", "main", "vpc_id"),
              "network_acls": ("network_acl_id", "subnet_ids", "is_default", "vpc_id"),
              "security_groups": ("group_id", "is_default", "vpc_id")}


def carry_indices(old: Network, new: Network) -> None:
    """Give ``new`` the indices of ``old`` that are still right for it (see ``apply``)."""
    cached = old.__dict__
    if not cached:
        return
    swap: dict[int, object] = {}
    changed: set[str] = set()
    reshaped: set[str] = set()  # fields whose members (ids, associations) changed
    for f in new.__dataclass_fields__:  # type: ignore[attr-defined]
        a, b = getattr(old, f), getattr(new, f)
        if a is b:
            continue
        changed.add(f)
        if not (isinstance(a, tuple) and isinstance(b, tuple)) or len(a) != len(b):
            reshaped.add(f)
            continue
        keys = _STRUCTURE.get(f)
        for x, y in zip(a, b):
            if x is not y:
                swap[id(x)] = y
                if keys and any(getattr(x, k) != getattr(y, k) for k in keys):
                    reshaped.add(f)
                elif not keys and type(x) is not type(y):
                    reshaped.add(f)
    target = new.__dict__
    for name, fields, how in _INDICES:
        got = cached.get(name)
        if got is None or name in target:
            continue
        touched_fields = changed.intersection(fields)
        if not touched_fields:
            target[name] = got
        elif how == "patch" and not reshaped.intersection(fields):
            d = dict(got)
            for k, v in got.items():
                r = swap.get(id(v))
                if r is not None:
                    d[k] = r
            target[name] = d
    rc = cached.get("_route_cache")
    if rc is not None:
        if "route_tables" in changed or "prefix_lists" in reshaped:
            old_ids = {id(x) for x in old.route_tables}
            gone = {x.route_table_id for x in old.route_tables if id(x) in swap} if old_ids else set()
            target["_route_cache"] = {k: v for k, v in rc.items() if k not in gone}
        else:
            target["_route_cache"] = dict(rc)
