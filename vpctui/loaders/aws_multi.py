"""Several AWS accounts and regions in one network (read-only).

``load_accounts(options)`` loads each (profile or assumed role, region) of ``options.accounts``
concurrently with ``aws.load_account``, each with its own progress lines (``[LABEL] ...``), and
merges the networks into one (``merge_networks``): a hub-and-spoke organisation spreads its VPCs,
transit gateway and shared services over accounts, and a trace must see all of them.

Merging follows ownership: a subnet shared through AWS RAM appears in the owner's and in each
participant's load; the owner's view is kept (its ``OwnerId`` names the account), and the owner's
route tables and ACLs come with it. A transit gateway shared through RAM likewise keeps the owner's
view (only the owner reads its route tables). Everything else is kept once per id, first load first.

``--assume-role ARN`` reads an account through a role: boto3 calls sts:AssumeRole with the base
credentials (the one call that is not a Describe/List/Get; it changes nothing in any account) and
the load runs with the temporary credentials.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields, replace
from typing import Callable, Optional, Sequence

from ..model.network import Network, Unknown
from . import AwsOptions, LoadError
from .source import Progress

# Network fields holding components with an id (for dedupe), and the id attribute of each
_ID_FIELDS = {
    "vpcs": "vpc_id", "subnets": "subnet_id", "route_tables": "route_table_id",
    "internet_gateways": "internet_gateway_id", "egress_only_internet_gateways": "egress_only_internet_gateway_id",
    "nat_gateways": "nat_gateway_id", "vpc_endpoints": "vpc_endpoint_id", "prefix_lists": "prefix_list_id",
    "security_groups": "group_id", "network_acls": "network_acl_id", "hosts": "host_id",
    "peering_connections": "vpc_peering_connection_id", "transit_gateways": "transit_gateway_id",
    "transit_gateway_attachments": "transit_gateway_attachment_id",
    "transit_gateway_route_tables": "transit_gateway_route_table_id", "roles": "arn",
}


def label_of(profile: Optional[str], role_arn: Optional[str], region: Optional[str]) -> str:
    who = role_arn.rsplit(":", 2)[-2] + "/" + role_arn.rsplit("/", 1)[-1] if role_arn and role_arn.count(":") >= 5 else \
        (role_arn or profile or "default")
    return f"{who}@{region or 'default region'}"


def assumed_session(base_profile: Optional[str], role_arn: str, region: Optional[str]):
    """A boto3 session with the temporary credentials of ``role_arn`` (sts:AssumeRole)."""
    import boto3

    from .aws import _describe_failure, make_session

    base = make_session(AwsOptions(profile=base_profile, region=region))
    try:
        creds = base.client("sts", region_name=region or base.region_name or "us-east-1").assume_role(
            RoleArn=role_arn, RoleSessionName="vpctui-read-only")["Credentials"]
    except Exception as e:  # noqa: BLE001 - one line for the user
        raise LoadError([f"{role_arn}: {_describe_failure('sts:AssumeRole', e)}"]) from None
    return boto3.session.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                                 aws_session_token=creds["SessionToken"], region_name=region or base.region_name)


def load_accounts(options: AwsOptions, progress: Optional[Progress] = None, *,
                  cancelled: Optional[Callable[[], bool]] = None,
                  more_targets: Optional[Callable[[Network], Sequence[str]]] = None,
                  sessions: Optional[dict] = None,
                  on_partial: Optional[Callable[[Network], None]] = None) -> Network:
    """Load every (profile, role, region) of ``options.accounts`` at once; one merged network.

    ``sessions``: label -> a boto3 Session to use for that account (tests). An account that fails
    as a whole (credentials, region) does not stop the others: it is recorded as unknown
    (``account:LABEL``) and named in the progress; when every account fails, LoadError.

    ``on_partial``: called at most once, in the calling thread, with one merged partial network
    once every account/region has its panes' parts (its own partial network, or its whole network
    when it had nothing left to read, or its failure), while some are still loading: what each
    still loads is unknown ("... still loading") in it, as in ``aws.load_account``. Not a partial
    of the first account alone: a trace in it would miss the other accounts' VPCs and transit
    gateway routes without saying so. Not called when every load has ended by then."""
    from .aws import load_account

    say = progress or (lambda _m: None)
    lock = threading.Lock()
    redactor = None
    if options.redact:
        from .redact import Redactor

        redactor = Redactor()

    def speaker(label: str) -> Progress:
        def s(msg: str) -> None:
            line = f"[{label}] {msg}"
            with lock:
                say(redactor.text(line) if redactor is not None else line)
        return s

    # the first network each load handed over (its partial one, or the whole), or None when it
    # failed: the merged partial network is made once every load has one
    firsts: dict[str, tuple[Optional[Network], Optional[str]]] = {}
    ready = threading.Condition()

    def first(label: str, net: Optional[Network], why: Optional[str] = None) -> None:
        with ready:
            firsts.setdefault(label, (net, why))
            ready.notify_all()

    def one(spec):
        profile, role_arn, region = spec
        label = label_of(profile, role_arn, region)
        opts = replace(options, profile=profile, region=region, accounts=(), redact=False)
        session = (sessions or {}).get(label)
        try:
            if session is None and role_arn:
                session = assumed_session(profile, role_arn, region)
            net = load_account(opts, speaker(label), session=session, cancelled=cancelled, more_targets=more_targets,
                               on_partial=(lambda n: first(label, n)) if on_partial is not None else None)
            first(label, net)
            return label, net, None
        except LoadError as e:
            first(label, None, "; ".join(e.errors))
            if type(e).__name__ == "LoadCancelled":
                raise
            speaker(label)(f"could not be read: {'; '.join(e.errors)}")
            return label, None, "; ".join(e.errors)

    def merged_of(results) -> Optional[Network]:
        nets = [(label, n) for label, n, _ in results if n is not None]
        failed = [(label, why) for label, n, why in results if n is None]
        if not nets:
            return None
        merged = merge_networks([n for _, n in nets], [label for label, _ in nets])
        if failed:
            merged = replace(merged, unknowns=merged.unknowns + tuple(
                Unknown(f"account:{label}", f"the account/region {label} could not be read ({why})")
                for label, why in failed))
        if redactor is not None:
            from .redact import redact_network

            merged = redact_network(merged, redactor)
        return merged

    specs = list(options.accounts)
    labels = [label_of(*s) for s in specs]
    say(f"reading {len(specs)} accounts/regions at once: {', '.join(labels)}")
    with ThreadPoolExecutor(max_workers=min(8, len(specs)), thread_name_prefix="vpctui-account") as pool:
        futures = [pool.submit(one, spec) for spec in specs]
        if on_partial is not None:
            _send_merged_partial(futures, labels, firsts, ready, merged_of, on_partial)
        results = [f.result() for f in futures]
    failed = [(label, why) for label, n, why in results if n is None]
    merged = merged_of(results)
    if merged is None:
        msgs = [f"{label}: {why}" for label, why in failed]
        raise LoadError([redactor.text(m) for m in msgs] if redactor is not None else msgs)
    nets = [n for _, n, _ in results if n is not None]
    say(f"merged {len(nets)} accounts/regions: {len(merged.vpcs)} VPCs, {len(merged.subnets)} subnets, "
        f"{len(merged.transit_gateways)} transit gateways, {len(merged.functions)} functions")
    return merged


def _send_merged_partial(futures, labels, firsts, ready, merged_of, on_partial) -> None:
    """Wait (in the calling thread) until every load has handed over a first network or ended;
    then, if any is still loading, hand over their merge once. A load that fails or is cancelled
    ends the wait too (its error is raised by the caller's ``result()``)."""
    def ended() -> bool:
        return all(f.done() for f in futures) or any(f.done() and f.exception() for f in futures)

    with ready:
        while not set(labels) <= firsts.keys() and not ended():
            ready.wait(0.1)
        got = dict(firsts)
    if ended():
        return  # the whole network follows at once (or the load is ending)
    results = [(label, *got[label]) for label in dict.fromkeys(labels)]
    merged = merged_of(results)
    if merged is not None:
        on_partial(merged)


def _owner_rank(item, account: str) -> int:
    """0 for the owner's view of a component (preferred), 1 otherwise."""
    owner = getattr(item, "owner_id", "") or getattr(item, "resource_owner_id", "")
    return 0 if not owner or owner == account else 1


def merge_networks(nets: Sequence[Network], labels: Sequence[str] = ()) -> Network:
    """One network from several loads: components once per id (the owner's view where a
    component is shared), functions once per ARN, unknowns once per kind."""
    if len(nets) == 1:
        return nets[0]
    first = nets[0]
    out: dict = {}
    for f in fields(Network):
        name = f.name
        if name in _ID_FIELDS:
            key = _ID_FIELDS[name]
            chosen: dict = {}
            rank: dict = {}
            order: list = []
            for n in nets:
                for item in getattr(n, name):
                    # a subnet or VPC with no owner recorded is the loading account's own
                    if name in ("vpcs", "subnets") and not item.owner_id:
                        item = replace(item, owner_id=n.account_id)
                    if name == "transit_gateways" and not item.owner_id:
                        item = replace(item, owner_id=n.account_id)
                    k = getattr(item, key)
                    r = _owner_rank(item, n.account_id) if name in ("vpcs", "subnets", "transit_gateways") else 1
                    if k not in chosen:
                        order.append(k)
                        chosen[k], rank[k] = item, r
                    elif r < rank[k]:
                        chosen[k], rank[k] = item, r
            out[name] = tuple(chosen[k] for k in order)
    # functions: once per ARN; a name used in two accounts gets the account as a suffix
    fns, names = [], {}
    for n in nets:
        for fn in n.functions:
            if fn.arn and any(x.arn == fn.arn for x in fns):
                continue
            if fn.function_name in names and names[fn.function_name] != n.account_id:
                fn = replace(fn, function_name=f"{fn.function_name}@{n.account_id}")
            names.setdefault(fn.function_name, n.account_id)
            fns.append(fn)
    out["functions"] = tuple(fns)
    zones: dict = {}
    for n in nets:
        for z in n.private_hosted_zones:
            k = z.hosted_zone_id or z.name
            if k in zones:
                zones[k] = replace(zones[k], vpc_ids=tuple(dict.fromkeys(zones[k].vpc_ids + z.vpc_ids)))
            else:
                zones[k] = z
    out["private_hosted_zones"] = tuple(zones.values())
    res: dict = {}
    for n in nets:
        for r in n.resources:
            res.setdefault((r.service, r.arn), r)
    out["resources"] = tuple(res.values())
    unk: dict = {}
    for n in nets:
        for u in n.unknowns:
            unk.setdefault(u.kind, u)
    out["unknowns"] = tuple(unk.values())
    out["targets"] = tuple(dict.fromkeys(t for n in nets for t in n.targets))
    out["notes"] = tuple(dict.fromkeys(x for n in nets for x in n.notes)) + (
        "read from " + ", ".join(labels or [f"{n.account_id}/{n.region}" for n in nets])
        + f"; the network's region is {first.region} (traces name their target's region)",)
    accounts = list(dict.fromkeys(n.account_id for n in nets))
    regions = list(dict.fromkeys(n.region for n in nets))
    return replace(first, **out, name=f"{len(accounts)} accounts, {len(regions)} regions",
                   description=f"read from AWS accounts {', '.join(accounts)} in {', '.join(regions)}",
                   source="aws:" + ",".join(f"{n.account_id}/{n.region}" for n in nets),
                   expectations=())
