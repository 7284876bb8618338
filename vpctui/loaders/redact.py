"""Redaction for sharing: account ids (and so every ARN that carries one) replaced consistently.

Every string in the network is rewritten, policies included (their parsed statements and their
text alike), so a role ARN in a function, the role itself, a bucket policy's principal and an
error message all name the same stand-in account. The first account seen (the network's own)
becomes 111111111111, the next 222222222222, and so on; the mapping is the same for the same
input, so two exports of one account compare cleanly. Resource names and ids are kept: they are
what traces and targets refer to.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Optional

from ..model.network import Network

# a 12-digit account id standing alone (not inside a longer run of letters/digits such as an id)
_ACCOUNT = re.compile(r"(?<![0-9A-Za-z])(\d{12})(?![0-9A-Za-z])")


def stand_in(n: int) -> str:
    """The n-th (1-based) stand-in account id."""
    return str(n) * 12 if n <= 9 else f"{n:012d}"


class Redactor:
    def __init__(self, own_account: str = ""):
        self.map: dict[str, str] = {}
        if own_account:
            self.account(own_account)

    def account(self, acct: str) -> str:
        if acct not in self.map:
            taken = set(self.map.values())
            n = len(self.map) + 1
            while stand_in(n) in taken:
                n += 1
            self.map[acct] = stand_in(n)
        return self.map[acct]

    def text(self, s: str) -> str:
        if not s or not any(c.isdigit() for c in s):
            return s
        return _ACCOUNT.sub(lambda m: self.account(m.group(1)), s)

    def value(self, v: Any) -> Any:
        if isinstance(v, str):
            return self.text(v)
        if isinstance(v, tuple):
            return tuple(self.value(x) for x in v)
        if isinstance(v, list):
            return [self.value(x) for x in v]
        if isinstance(v, dict):
            return {self.value(k): self.value(x) for k, x in v.items()}
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            kwargs = {f.name: self.value(getattr(v, f.name)) for f in dataclasses.fields(v) if f.init}
            return type(v)(**kwargs)
        return v


def redact_network(network: Network, redactor: Optional[Redactor] = None) -> Network:
    """The same network with account ids replaced everywhere (ARNs, policies, messages)."""
    r = redactor or Redactor(network.account_id)
    out = r.value(network)
    name = out.name + (" (redacted)" if "(redacted)" not in out.name else "")
    return dataclasses.replace(out, name=name)
