"""TARGET strings -> what the function will call.

Forms: ``s3://BUCKET/KEY`` (s3:GetObject), ``s3://BUCKET`` (s3:ListBucket), ``ssm:NAME``
(ssm:GetParameter), ``dynamodb:TABLE`` (dynamodb:GetItem), ``secretsmanager:NAME``
(secretsmanager:GetSecretValue), ``sqs:QUEUE`` (sqs:SendMessage), a bare catalog service (``s3``,
``sts`` ...), ``https://HOST[:PORT][/PATH]``, ``IP:PORT``, and a host id or name with ``:PORT``.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Optional

from ..model.network import Host, Network, Resource
from ..model.services import CATALOG, FEATURED, Service, service_for_hostname


class TargetError(ValueError):
    pass


@dataclass(frozen=True)
class Target:
    text: str
    kind: str  # service | host | address | internet
    port: int = 443
    protocol: str = "tcp"
    service: Optional[Service] = None
    region: str = ""
    hostname: Optional[str] = None  # None: the SDK's default for the service (decided per function)
    ip: Optional[str] = None  # a literal address
    action: str = ""
    resource_arn: str = ""
    resource: Optional[Resource] = None
    host: Optional[Host] = None
    description: str = ""


_RESOURCE_FORMS = {
    "ssm": ("ssm:GetParameter", "arn:aws:ssm:{r}:{a}:parameter/{n}"),
    "dynamodb": ("dynamodb:GetItem", "arn:aws:dynamodb:{r}:{a}:table/{n}"),
    "secretsmanager": ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:{r}:{a}:secret:{n}"),
    "sqs": ("sqs:SendMessage", "arn:aws:sqs:{r}:{a}:{n}"),
}


def parse_target(network: Network, text: str) -> Target:
    t = text.strip()
    if not t:
        raise TargetError("empty target")
    region, acct = network.region, network.account_id
    if t.startswith("s3://"):
        rest = t[5:]
        bucket, _, key = rest.partition("/")
        if not bucket:
            raise TargetError(f"{text!r}: no bucket name (s3://BUCKET[/KEY])")
        res = network.resource("s3", bucket)
        r = res.region if res else region
        if key:
            return Target(t, "service", service=CATALOG["s3"], region=r, action="s3:GetObject",
                          resource_arn=f"arn:aws:s3:::{bucket}/{key}", resource=res,
                          description=f"s3:GetObject on {bucket}/{key}")
        return Target(t, "service", service=CATALOG["s3"], region=r, action="s3:ListBucket",
                      resource_arn=f"arn:aws:s3:::{bucket}", resource=res,
                      description=f"s3:ListBucket on {bucket}")
    low = t.lower()
    if low.startswith(("https://", "http://")):
        scheme, _, rest = t.partition("://")
        hostport = rest.split("/", 1)[0]
        host, port = _split_port(hostport, 443 if scheme.lower() == "https" else 80)
        host = host.strip("[]").lower()
        try:
            ipaddress.ip_address(host)
            return Target(t, "address", port=port, ip=host, description=f"TCP {port} to {host}")
        except ValueError:
            pass
        found = service_for_hostname(host)
        if found:
            svc, r, _legacy = found
            return Target(t, "service", port=port, service=svc, region=r or region, hostname=host,
                          description=f"{svc.title} at {host}")
        if ".vpce.amazonaws.com" in host:
            parts = host.split(".")
            svc = CATALOG.get(parts[1]) if len(parts) > 4 else None
            return Target(t, "service", port=port, service=svc, region=parts[-4] if len(parts) > 4 else region,
                          hostname=host, description=f"endpoint-specific name {host}")
        h = _host_by_dns(network, host)
        if h is not None:
            return Target(t, "host", port=port, host=h, hostname=host, description=f"{h.label} at {host}:{port}")
        return Target(t, "internet", port=port, hostname=host, description=f"HTTPS to {host}")
    if "://" in t:  # a URL whose scheme vpctui does not trace (ftp://, s3a://, ...)
        scheme = t.partition("://")[0]
        raise TargetError(f"{text[:200]!r}: vpctui traces s3:// and https:// (or http://) URLs, not {scheme[:20]!r}; "
                          "for another protocol give HOST:PORT or IP:PORT")
    if ":" in t:
        head, _, tail = t.partition(":")
        svc_key = head.lower()
        if svc_key in _RESOURCE_FORMS and tail and not (tail.isascii() and tail.isdigit()):
            action, tmpl = _RESOURCE_FORMS[svc_key]
            res = network.resource(svc_key, tail) or (network.resource(svc_key, "/" + tail) if svc_key == "ssm" else None)
            r = res.region if res else region
            name = tail.lstrip("/") if svc_key == "ssm" else tail
            arn = res.arn if res else tmpl.format(r=r, a=acct, n=name)
            return Target(t, "service", service=CATALOG[svc_key], region=r, action=action,
                          resource_arn=arn, resource=res, description=f"{action} on {tail}")
    # IPv4:PORT, [IPv6]:PORT, HOST:PORT
    if t.startswith("["):
        addr, _, port = t[1:].partition("]:")
        return Target(t, "address", port=_port(port, text), ip=_ip(addr, text), description=f"TCP {port} to {addr}")
    if t.count(":") == 1:
        head, _, port_s = t.partition(":")
        port = _port(port_s, text)
        try:
            ipaddress.ip_address(head)
            return Target(t, "address", port=port, ip=head, description=f"TCP {port} to {head}")
        except ValueError:
            pass
        h = _host_by_name(network, head)
        if h is not None:
            return Target(t, "host", port=port, host=h, hostname=h.dns_name or None,
                          description=f"{h.label} ({h.private_ip}) TCP {port}")
        raise TargetError(f"{text!r}: no host, instance or database named {head!r} in the network")
    if low in CATALOG:
        svc = CATALOG[low]
        return Target(t, "service", service=svc, region=region, action=svc.default_action,
                      description=f"{svc.title} API")
    raise TargetError(
        f"{text!r} is not a target: use s3://BUCKET[/KEY], ssm:NAME, dynamodb:TABLE, "
        "secretsmanager:NAME, sqs:QUEUE, a service (s3, ssm, sts, ...), https://HOST[:PORT], IP:PORT "
        "or HOST:PORT")


def _split_port(hostport: str, default: int) -> tuple[str, int]:
    if hostport.startswith("["):
        host, _, rest = hostport[1:].partition("]")
        return host, _port(rest[1:], hostport) if rest.startswith(":") else default
    if hostport.count(":") == 1:
        h, _, p = hostport.partition(":")
        return h, _port(p, hostport)
    return hostport, default


def _port(s: str, text: str) -> int:
    if not (s.isascii() and s.isdigit() and len(s) <= 5 and 0 < int(s) <= 65535):
        raise TargetError(f"{text[:200]!r}: {s[:20]!r} is not a port number (1-65535)")
    return int(s)


def _ip(s: str, text: str) -> str:
    try:
        return str(ipaddress.ip_address(s))
    except ValueError:
        raise TargetError(f"{text!r}: {s!r} is not an IP address") from None


def _host_by_name(network: Network, name: str) -> Optional[Host]:
    for h in network.hosts:
        if name in (h.host_id, h.name) or (h.dns_name and name.lower() == h.dns_name):
            return h
    return None


def _host_by_dns(network: Network, hostname: str) -> Optional[Host]:
    for h in network.hosts:
        if h.dns_name and h.dns_name == hostname:
            return h
    return None


def default_targets(network: Network) -> list[str]:
    """The targets a scenario offers: its ``targets:`` list, else one per resource and host."""
    if network.targets:
        return list(network.targets)
    out: list[str] = []
    for r in network.resources:
        if r.service == "s3":
            out.append(f"s3://{r.name}/{r.objects[0]}" if r.objects else f"s3://{r.name}")
        else:
            out.append(f"{r.service}:{r.name}")
    for h in network.hosts:
        for p in h.ports[:1]:
            out.append(f"{h.label}:{p}")
    return out


def suggest_targets(network: Network) -> list[tuple[str, str]]:
    """(target, description) for a picker: scenario targets, resources, hosts, catalog services."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []

    def add(t: str, d: str) -> None:
        if t not in seen:
            seen.add(t)
            out.append((t, d))

    for t in network.targets:
        add(t, "scenario target")
    for r in network.resources:
        if r.service == "s3":
            for k in r.objects:
                add(f"s3://{r.name}/{k}", "S3 object (GetObject)")
            add(f"s3://{r.name}", "S3 bucket (ListBucket)")
        else:
            add(f"{r.service}:{r.name}", f"{CATALOG[r.service].title if r.service in CATALOG else r.service}")
    for h in network.hosts:
        for p in h.ports or (443,):
            add(f"{h.label}:{p}", f"{h.kind} {h.private_ip}")
    for name in FEATURED:  # the rest of the catalog is typed (the picker stays short)
        svc = CATALOG[name]
        add(name, svc.title if svc.title.endswith("API") else f"{svc.title} API")
    return out
